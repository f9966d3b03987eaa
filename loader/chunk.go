package loader

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/graph/client"
)

// requestOverhead is the room kept in every request for the message
// envelope, the script text and the binding names, on top of the batch.
const requestOverhead = 4 << 10

// assumedStringBytes is the string length assumed by MaxBatchSize for the
// worst-case element: generated strings are far shorter (names, cities,
// e-mails), and any batch that would still exceed the cap is cut by bytes.
const assumedStringBytes = 256

// part is one source batch (a generator partition or a block of file rows)
// turned into loader elements: business ids or endpoints, property maps
// and their encoded sizes.
type part struct {
	label  banking.Label
	ids    []int64        // vertex business ids
	ends   []banking.Ends // edge endpoints
	props  []map[string]any
	sizes  []int // encoded size of each element in the list binding
	offset int64 // position of the first element in the label's stream
}

func (p *part) len() int { return len(p.props) }

// chunk is one request: a contiguous run of elements of one label.
type chunk struct {
	label  banking.Label
	offset int64 // label-stream position of the first element
	ids    []int64
	ends   []banking.Ends
	props  []map[string]any
	sizes  []int
	bytes  int
	sum    uint64
}

func (c *chunk) len() int { return len(c.props) }

// key names the chunk in the journal: label, first position, length.
func (c *chunk) key() string {
	return c.label.String() + ":" + strconv.FormatInt(c.offset, 10) + ":" + strconv.Itoa(c.len())
}

// checksum hashes what identifies the chunk's data (ids or endpoints, and
// each element's encoded size), so that a journal written for other data
// or another batch layout is detected on resume.
func (c *chunk) checksum() uint64 {
	h := fnv.New64a()
	var b []byte
	b = append(b, c.label.String()...)
	for i := range c.props {
		b = b[:0]
		if c.ids != nil {
			b = strconv.AppendInt(b, c.ids[i], 10)
		} else {
			e := c.ends[i]
			b = strconv.AppendInt(b, int64(e.FromLabel), 10)
			b = append(b, '/')
			b = strconv.AppendInt(b, e.From, 10)
			b = append(b, '>')
			b = strconv.AppendInt(b, int64(e.ToLabel), 10)
			b = append(b, '/')
			b = strconv.AppendInt(b, e.To, 10)
		}
		b = append(b, '#')
		b = strconv.AppendInt(b, int64(c.sizes[i]), 10)
		b = append(b, ';')
		h.Write(b)
	}
	return h.Sum64()
}

// ElementTooLargeError is returned when one element alone does not fit in a
// request under the byte cap.
type ElementTooLargeError struct {
	Label banking.Label
	// Index is the element's position in its label's stream.
	Index int64
	Size  int
	Max   int
}

// Error names the element and both sizes.
func (e *ElementTooLargeError) Error() string {
	return fmt.Sprintf("loader: %s element #%d encodes to %d bytes, more than the %d bytes a request may carry",
		e.Label, e.Index, e.Size, e.Max)
}

// cut splits p, sized by sz, into chunks of at most maxElems elements whose
// encoded list binding stays under maxBytes. The cut depends only on the
// data, the serializer and the two limits, so a resumed load cuts the same
// chunks.
func cut(p *part, sz *sizer, maxElems, maxBytes int) ([]*chunk, error) {
	var out []*chunk
	listOverhead := sz.listOverhead
	start, bytes := 0, listOverhead
	flush := func(end int) {
		c := &chunk{label: p.label, offset: p.offset + int64(start), props: p.props[start:end], sizes: p.sizes[start:end], bytes: bytes}
		if p.ids != nil {
			c.ids = p.ids[start:end]
		} else {
			c.ends = p.ends[start:end]
		}
		c.sum = c.checksum()
		out = append(out, c)
		start, bytes = end, listOverhead
	}
	for i := range p.props {
		n := p.sizes[i] + sz.sep
		if listOverhead+n > maxBytes {
			return nil, &ElementTooLargeError{Label: p.label, Index: p.offset + int64(i), Size: n, Max: maxBytes}
		}
		if i > start && (i-start >= maxElems || bytes+n > maxBytes) {
			flush(i)
		}
		bytes += n
	}
	if start < len(p.props) {
		flush(len(p.props))
	}
	return out, nil
}

// sizer measures elements in the serializer their requests are sent in
// (the list binding's encoding), so that batches are cut by the bytes
// actually sent: GraphSON sizes are not an upper bound of GraphBinary ones
// (short strings, map keys), nor the reverse.
type sizer struct {
	ser client.Serializer
	// listOverhead is the size of an empty list binding; sep the bytes a
	// list adds per item beyond the item's own encoding.
	listOverhead, sep int
	// edgeEnvelope is the largest size an edge element adds around its
	// property map: both endpoint forms (vertex ids and indexed-lookup
	// keys) with the longest label and key names.
	edgeEnvelope int
}

// sizers holds one sizer per serializer, computed once.
var sizers = map[client.Serializer]*sizer{
	client.GraphSON:    newSizer(client.GraphSON),
	client.GraphBinary: newSizer(client.GraphBinary),
}

// sizerFor returns the sizer of the serializer sub sends in: a Submitter
// that reports its serializer (as *client.Client does) is sized in it,
// any other in GraphSON.
func sizerFor(sub Submitter) *sizer {
	if s, ok := sub.(interface{ Serializer() client.Serializer }); ok {
		if sz := sizers[s.Serializer()]; sz != nil {
			return sz
		}
	}
	return sizers[client.GraphSON]
}

func newSizer(ser client.Serializer) *sizer {
	enc := func(v any) int {
		b, err := ser.AppendValue(nil, v)
		if err != nil {
			panic(fmt.Sprintf("loader: sizing %v: %v", ser, err)) // static values: a programming error
		}
		return len(b)
	}
	item := int64(math.MinInt64)
	sz := &sizer{ser: ser, listOverhead: enc([]any{})}
	sz.sep = enc([]any{item, item}) - enc([]any{item}) - enc(item)
	longLabel, longKey := "", ""
	for _, info := range banking.Labels() {
		if info.Kind == banking.VertexKind {
			longLabel = max(longLabel, strings.Repeat("x", len(info.Name)))
			longKey = max(longKey, strings.Repeat("x", len(info.IDKey)))
		}
	}
	m := map[string]any{"o": item, "i": item,
		"ol": longLabel, "ok": longKey, "ob": item,
		"il": longLabel, "ik": longKey, "ib": item, "p": map[string]any{}}
	sz.edgeEnvelope = enc(m) - enc(map[string]any{})
	return sz
}

// elementSize returns the encoded size of one element in the list binding.
// scratch is reused between calls.
func (sz *sizer) elementSize(kind banking.Kind, props map[string]any, scratch []byte) (int, []byte, error) {
	enc, err := sz.ser.AppendValue(scratch[:0], props)
	if err != nil {
		return 0, enc, err
	}
	n := len(enc)
	if kind == banking.EdgeKind {
		n += sz.edgeEnvelope
	}
	return n, enc, nil
}

// newPart converts a generator or file batch into loader elements. offset
// is the label-stream position of its first element. Each element is
// encoded once, by sz, to size it; a nil sz leaves the sizes out (for
// readers that do not cut batches).
func newPart(b *banking.Batch, offset int64, sz *sizer) (*part, error) {
	p := &part{label: b.Label, offset: offset}
	binds := b.Bindings()
	p.props = make([]map[string]any, len(binds))
	if sz != nil {
		p.sizes = make([]int, len(binds))
	}
	kind := b.Label.Kind()
	if kind == banking.VertexKind {
		p.ids = make([]int64, len(binds))
	} else {
		p.ends = batchEnds(b)
		if len(p.ends) != len(binds) {
			return nil, fmt.Errorf("loader: %s batch: %d endpoints for %d elements", b.Label, len(p.ends), len(binds))
		}
	}
	idKey := b.Label.IDKey()
	var scratch []byte
	for i, m := range binds {
		props, ok := m[banking.BindProps].(map[string]any)
		if !ok {
			return nil, errors.New("loader: banking binding without props map")
		}
		if kind == banking.VertexKind {
			id, ok := m[banking.BindID].(int64)
			if !ok {
				return nil, errors.New("loader: banking vertex binding without int64 id")
			}
			props[idKey] = id
			p.ids[i] = id
		}
		p.props[i] = props
		if sz == nil {
			continue
		}
		var err error
		if p.sizes[i], scratch, err = sz.elementSize(kind, props, scratch); err != nil {
			return nil, fmt.Errorf("loader: encoding %s element #%d: %w", b.Label, offset+int64(i), err)
		}
	}
	return p, nil
}

// batchEnds returns the endpoints of an edge batch, in Bindings order.
func batchEnds(b *banking.Batch) []banking.Ends {
	out := make([]banking.Ends, 0, b.Len())
	for i := range b.Transfers {
		out = append(out, b.Transfers[i].Ends)
	}
	for i := range b.Money {
		out = append(out, b.Money[i].Ends)
	}
	for i := range b.Times {
		out = append(out, b.Times[i].Ends)
	}
	for i := range b.Notes {
		out = append(out, b.Notes[i].Ends)
	}
	for i := range b.Invests {
		out = append(out, b.Invests[i].Ends)
	}
	return out
}

// worstElementBytes is the encoded size, with its list separator, of the
// largest element of label info assuming strings of assumedStringBytes, in
// the serializer of sz.
func (sz *sizer) worstElementBytes(info banking.LabelInfo) int {
	m := make(map[string]any, len(info.Props))
	for _, p := range info.Props {
		switch p.Type {
		case banking.Int64:
			m[p.Name] = int64(math.MinInt64)
		case banking.Float64:
			m[p.Name] = -math.MaxFloat64
		case banking.Bool:
			m[p.Name] = false
		default:
			m[p.Name] = strings.Repeat("x", assumedStringBytes)
		}
	}
	n, _, _ := sz.elementSize(info.Kind, m, nil)
	return n + sz.sep
}

// MaxBatchSize returns the largest element count per batch that fits in
// requests of maxRequestBytes for every label and in either serializer
// (GraphSON and GraphBinary), assuming strings of at most 256 bytes (longer
// data is still cut by bytes).
func MaxBatchSize(maxRequestBytes int) int {
	limit := -1
	for _, sz := range []*sizer{sizers[client.GraphSON], sizers[client.GraphBinary]} {
		worst := 0
		for _, info := range banking.Labels() {
			worst = max(worst, sz.worstElementBytes(info))
		}
		n := max(0, (batchBytes(maxRequestBytes)-sz.listOverhead)/worst)
		if limit < 0 || n < limit {
			limit = n
		}
	}
	return limit
}

// batchBytes is the byte cap of a batch's list binding for requests of at
// most maxRequestBytes: the request size minus the envelope, less a 10%
// margin.
func batchBytes(maxRequestBytes int) int {
	return (maxRequestBytes - requestOverhead) * 9 / 10
}
