package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
)

func gremlinCommand() *cli.Command {
	return &cli.Command{
		Name:      "gremlin",
		Usage:     "evaluate a Gremlin script with typed bindings and print the results",
		ArgsUsage: "SCRIPT",
		Description: "Sends SCRIPT to Gremlin Server with its --bind values as bindings (never\n" +
			"formatted into the script). Binding values are typed:\n" +
			"   42 → Int64   4.2 → Double   true/false → Boolean   null → null\n" +
			"   \"text\" → String (quotes removed)   [1,\"a\"] / {\"k\":1} → List / Map (JSON)\n" +
			"   anything else → String as written\n" +
			"In GraphBinary (the default) a result of a type graphperf does not know fails its request;\n" +
			"`graphperf --serializer graphson gremlin ...` returns such values raw instead.\n\n" +
			"   graphperf gremlin 'g.V().count()'\n" +
			"   graphperf gremlin --bind id=42 \"g.V().has('Account','accountId',id).valueMap()\"\n" +
			"   graphperf gremlin --json --bind n=3 'g.V().limit(n).elementMap()'",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "bind", Aliases: []string{"b"}, Usage: "binding `NAME=VALUE` (repeatable)"},
			&cli.BoolFlag{Name: "json", Usage: "print the results as a JSON array"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErrorf("gremlin expects exactly one SCRIPT argument, got %d (quote the script)", c.NArg())
			}
			script := c.Args().First()
			if strings.TrimSpace(script) == "" {
				return usageErrorf("gremlin: SCRIPT is empty")
			}
			bindings, err := parseBindings(c.StringSlice("bind"))
			if err != nil {
				return err
			}
			cl, err := newClient(c)
			if err != nil {
				return err
			}
			defer cl.Close()
			res, err := cl.Submit(c.Context, script, bindings)
			if err != nil {
				return err
			}
			return printResults(c.App.Writer, res, c.Bool("json"))
		},
	}
}

// reservedBindings are names that would shadow Gremlin tokens or the
// traversal source inside a script.
var reservedBindings = map[string]bool{
	"g": true, "graph": true, "id": true, "label": true, "key": true, "value": true,
	"keys": true, "values": true, "in": true, "out": true, "both": true,
	"not": true, "as": true, "by": true, "is": true,
}

// parseBindings turns --bind NAME=VALUE flags into typed bindings.
func parseBindings(flags []string) (map[string]any, error) {
	if len(flags) == 0 {
		return nil, nil
	}
	out := make(map[string]any, len(flags))
	for _, f := range flags {
		name, raw, ok := strings.Cut(f, "=")
		if !ok {
			return nil, usageErrorf("--bind %q: expected NAME=VALUE", f)
		}
		if !isIdentifier(name) {
			return nil, usageErrorf("--bind %q: NAME must be a Groovy identifier (letters, digits, _; not starting with a digit)", f)
		}
		if reservedBindings[name] {
			return nil, usageErrorf("--bind %q: %q shadows a Gremlin token; choose another name", f, name)
		}
		if _, dup := out[name]; dup {
			return nil, usageErrorf("--bind %q: %q is bound twice", f, name)
		}
		v, err := parseBindingValue(raw)
		if err != nil {
			return nil, usageErrorf("--bind %q: %v", f, err)
		}
		out[name] = v
	}
	return out, nil
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// parseBindingValue types one binding value: integers become int64, other
// numbers float64, true/false bool, null nil, "quoted" text a string, JSON
// arrays and objects lists and maps; anything else is a string as written.
func parseBindingValue(raw string) (any, error) {
	switch raw {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
		return n, nil
	}
	if f, err := strconv.ParseFloat(raw, 64); err == nil && looksNumeric(raw) {
		return f, nil
	}
	if strings.HasPrefix(raw, `"`) {
		var s string
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			return nil, fmt.Errorf("bad quoted string %s (want a JSON string such as \"a b\")", raw)
		}
		return s, nil
	}
	if strings.HasPrefix(raw, "[") || strings.HasPrefix(raw, "{") {
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil || dec.More() {
			return nil, fmt.Errorf("bad JSON list/map %s", raw)
		}
		return typeJSON(v), nil
	}
	return raw, nil
}

// looksNumeric rejects strings ParseFloat accepts but people mean as text
// ("Inf", "NaN", "0x1p3").
func looksNumeric(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789+-.eE", r) {
			return false
		}
	}
	return true
}

// typeJSON converts json.Number leaves into int64 or float64.
func typeJSON(v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n
		}
		f, _ := v.Float64()
		return f
	case []any:
		for i := range v {
			v[i] = typeJSON(v[i])
		}
		return v
	case map[string]any:
		for k := range v {
			v[k] = typeJSON(v[k])
		}
		return v
	}
	return v
}

func printResults(w io.Writer, res []any, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		view := make([]any, len(res))
		for i, r := range res {
			view[i] = jsonValue(r)
		}
		return enc.Encode(view)
	}
	for _, r := range res {
		fmt.Fprintf(w, "==>%s\n", textValue(r))
	}
	return nil
}
