package schema

import (
	"bufio"
	"fmt"
	"io"
)

// WriteText prints the live schema for people: vertex labels on one line,
// then edge labels with their multiplicity, property keys with their type
// and cardinality, and composite and edge indexes with their status.
func (l *Live) WriteText(w io.Writer) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "vertex labels (%d):", len(l.VertexLabels))
	for _, v := range l.VertexLabels {
		fmt.Fprint(b, " "+v)
	}
	fmt.Fprintf(b, "\nedge labels (%d):\n", len(l.EdgeLabels))
	for _, e := range l.EdgeLabels {
		fmt.Fprintf(b, "  %-14s %s\n", e.Name, e.Multiplicity)
	}
	fmt.Fprintf(b, "property keys (%d):\n", len(l.PropertyKeys))
	for _, k := range l.PropertyKeys {
		fmt.Fprintf(b, "  %-14s %-8s %s\n", k.Name, k.DataType, k.Cardinality)
	}
	fmt.Fprintf(b, "composite indexes (%d):\n", len(l.CompositeIndexes))
	for _, ix := range l.CompositeIndexes {
		u := ""
		if ix.Unique {
			u = " unique"
		}
		fmt.Fprintf(b, "  %-20s %s%s %s\n", ix.Name, ix.Key, u, l.IndexStatus[ix.Name])
	}
	fmt.Fprintf(b, "edge indexes (%d):\n", len(l.EdgeIndexes))
	for _, ix := range l.EdgeIndexes {
		fmt.Fprintf(b, "  %-20s %s by %s %s %s %s\n", ix.Name, ix.EdgeLabel, ix.Key, ix.Order, ix.Direction, l.IndexStatus[ix.Name])
	}
	return b.Flush()
}

// WriteText prints what Apply did for people: every change, one a line,
// and a count, or that nothing changed.
func (r *Result) WriteText(w io.Writer) error {
	if !r.Changed() {
		_, err := fmt.Fprintln(w, "schema is up to date: nothing changed")
		return err
	}
	b := bufio.NewWriter(w)
	for _, ch := range r.Changes {
		fmt.Fprintln(b, ch)
	}
	fmt.Fprintf(b, "%d changes applied; %d indexes awaited until ENABLED\n", len(r.Changes), len(r.Awaited))
	return b.Flush()
}

// WriteText prints the comparison for people: the live schema
// ([Live.WriteText]), the undeclared elements, then the differences, one a
// line. fix, when not "", follows the count of differences in parentheses:
// how to remove them.
func (c *Comparison) WriteText(w io.Writer, fix string) error {
	b := bufio.NewWriter(w)
	if err := c.Live.WriteText(b); err != nil {
		return err
	}
	if len(c.Extra) > 0 {
		fmt.Fprintf(b, "\nnot declared (%d): created by other data or tools\n", len(c.Extra))
		for _, e := range c.Extra {
			fmt.Fprintln(b, "  "+e)
		}
	}
	if len(c.Differences) == 0 {
		fmt.Fprintln(b, "\nno differences from the declared schema")
		return b.Flush()
	}
	if fix != "" {
		fix = " (" + fix + ")"
	}
	fmt.Fprintf(b, "\n%d differences from the declared schema%s:\n", len(c.Differences), fix)
	for _, d := range c.Differences {
		fmt.Fprintln(b, "  "+d.String())
	}
	return b.Flush()
}
