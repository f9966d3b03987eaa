package graphbinary

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/graphperf/graphperf/graph/graphson"
	"github.com/graphperf/graphperf/graph/gvalue"
)

// Decode decodes one fully qualified GraphBinary v1 value into the
// same Go values [graphson.Decode] produces for the equivalent GraphSON:
//
//	Int → int32, Long → int64, Float → float32, Double → float64,
//	Byte → int8, Short → int16, Boolean → bool, String, Char → string,
//	ByteBuffer → []byte, Date, Timestamp → time.Time (UTC), UUID → [gvalue.UUID],
//	List, Set → []any, BulkSet → []any (each value repeated bulk times),
//	Map → map[any]any, Vertex → [gvalue.Vertex], Edge → [gvalue.Edge],
//	VertexProperty → [gvalue.VertexProperty], Property → [gvalue.Property], Path → [gvalue.Path],
//	T → [gvalue.T], Direction → [gvalue.Direction],
//	janusgraph.RelationIdentifier → [gvalue.RelationIdentifier],
//	TraversalMetrics, Metrics → the map[any]any GraphSON carries,
//	the other enums, Class, BigInteger, BigDecimal → the [gvalue.Raw] GraphSON
//	decodes to (e.g. gvalue.Raw{Type: "g:Pop", Value: `"first"`}).
//
// Any other type (an unknown type code, a custom type other than
// RelationIdentifier, the java.time types, Tree, ...) is a *gvalue.DecodeError:
// unlike GraphSON, GraphBinary gives no way to skip a value whose format is
// unknown. Map keys Go cannot hash are replaced by their GraphSON text.
func Decode(data []byte) (any, error) {
	d := binDecoder{data: data}
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	if d.pos != len(d.data) {
		return nil, d.errorf("trailing data after value")
	}
	return v, nil
}

// Decoder limits, as in graph/graphson: maxDepth bounds nesting so hostile
// input cannot exhaust the stack, defaultMaxBulk bounds the items one
// BulkSet may expand to, maxInterned bounds a decoder's intern table.
const (
	maxDepth       = 512
	defaultMaxBulk = 1 << 24
	maxInterned    = 1024
)

type binDecoder struct {
	data  []byte
	pos   int
	depth int
	// total items expanded from BulkSets so far; maxBulk 0 means defaultMaxBulk
	bulk, maxBulk int64
	names         map[string]string
}

func (d *binDecoder) errorf(format string, args ...any) error {
	return &gvalue.DecodeError{Format: "GraphBinary", Offset: d.pos, Msg: fmt.Sprintf(format, args...)}
}

func (d *binDecoder) need(n int) error {
	if n < 0 || len(d.data)-d.pos < n {
		return d.errorf("unexpected end of data")
	}
	return nil
}

func (d *binDecoder) byte1() (byte, error) {
	if d.pos >= len(d.data) {
		return 0, d.errorf("unexpected end of data")
	}
	b := d.data[d.pos]
	d.pos++
	return b, nil
}

func (d *binDecoder) u16() (uint16, error) {
	if err := d.need(2); err != nil {
		return 0, err
	}
	v := binary.BigEndian.Uint16(d.data[d.pos:])
	d.pos += 2
	return v, nil
}

func (d *binDecoder) u32() (uint32, error) {
	if err := d.need(4); err != nil {
		return 0, err
	}
	v := binary.BigEndian.Uint32(d.data[d.pos:])
	d.pos += 4
	return v, nil
}

func (d *binDecoder) u64() (uint64, error) {
	if err := d.need(8); err != nil {
		return 0, err
	}
	v := binary.BigEndian.Uint64(d.data[d.pos:])
	d.pos += 8
	return v, nil
}

// length reads an Int length and checks that at least minItem bytes per
// item remain.
func (d *binDecoder) length(minItem int) (int, error) {
	start := d.pos
	n, err := d.u32()
	if err != nil {
		return 0, err
	}
	if int32(n) < 0 || (minItem > 0 && int64(n)*int64(minItem) > int64(len(d.data)-d.pos)) {
		d.pos = start
		return 0, d.errorf("invalid length %d", int32(n))
	}
	return int(n), nil
}

// strBytes reads a String value: {length}{utf8}.
func (d *binDecoder) strBytes() ([]byte, error) {
	n, err := d.length(1)
	if err != nil {
		return nil, err
	}
	b := d.data[d.pos : d.pos+n]
	d.pos += n
	return b, nil
}

func (d *binDecoder) str() (string, error) {
	b, err := d.strBytes()
	return string(b), err
}

// name reads a String value likely to repeat (a label or key).
func (d *binDecoder) name() (string, error) {
	b, err := d.strBytes()
	if err != nil {
		return "", err
	}
	if s, ok := d.names[string(b)]; ok {
		return s, nil
	}
	s := string(b)
	if len(b) <= 64 && len(d.names) < maxInterned { //graphperf:nomutate interning only saves memory: the name equals string(b) either way
		if d.names == nil {
			d.names = make(map[string]string)
		}
		d.names[s] = s //graphperf:nomutate interning only saves memory: the name equals string(b) either way
	}
	return s, nil
}

func (d *binDecoder) enter() error {
	d.depth++
	if d.depth > maxDepth {
		return d.errorf("nesting too deep")
	}
	return nil
}

// value decodes a fully qualified value {type_code}{type_info}{value_flag}{value}.
func (d *binDecoder) value() (any, error) {
	start := d.pos
	code, err := d.byte1()
	if err != nil {
		return nil, err
	}
	if code == gbCustom {
		return d.custom(start)
	}
	flag, err := d.byte1()
	if err != nil {
		return nil, err
	}
	switch flag {
	case 0:
	case 1:
		return nil, nil
	default:
		d.pos--
		return nil, d.errorf("invalid value flag 0x%02x", flag)
	}
	if err := d.enter(); err != nil {
		return nil, err
	}
	v, err := d.body(code, start)
	d.depth--
	return v, err
}

// body decodes the value of a non-null value of type code.
func (d *binDecoder) body(code byte, start int) (any, error) {
	switch code {
	case gbInt:
		n, err := d.u32()
		return int32(n), err
	case gbLong:
		n, err := d.u64()
		return int64(n), err
	case gbString:
		return d.str()
	case gbDate, gbTimestamp:
		n, err := d.u64()
		return time.UnixMilli(int64(n)).UTC(), err
	case gbDouble:
		n, err := d.u64()
		return math.Float64frombits(n), err
	case gbFloat:
		n, err := d.u32()
		return math.Float32frombits(n), err
	case gbList, gbSet:
		return d.list()
	case gbMap:
		return d.gmap()
	case gbUUID:
		if err := d.need(16); err != nil {
			return nil, err
		}
		var u gvalue.UUID
		copy(u[:], d.data[d.pos:])
		d.pos += 16
		return u, nil
	case gbEdge:
		return d.edge()
	case gbPath:
		return d.path()
	case gbProperty:
		return d.property()
	case gbVertex:
		return d.vertex()
	case gbVertexProperty:
		return d.vertexProperty()
	case gbT, gbDirection:
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		s, ok := v.(string)
		if !ok {
			return nil, d.errorf("enum 0x%02x holds %T, want a String", code, v)
		}
		if code == gbT {
			return gvalue.T(s), nil
		}
		return gvalue.Direction(s), nil
	case gbBarrier, gbCardinality, gbColumn, gbOperator, gbOrder, gbPick, gbPop, gbScope, gbMerge, gbDT:
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		s, ok := v.(string)
		if !ok {
			return nil, d.errorf("enum 0x%02x holds %T, want a String", code, v)
		}
		return gvalue.Raw{Type: enumTypes[code], Value: graphson.AppendString(nil, s)}, nil
	case gbClass:
		s, err := d.str()
		return gvalue.Raw{Type: "g:Class", Value: graphson.AppendString(nil, s)}, err
	case gbBigInteger:
		n, err := d.bigInt()
		if err != nil {
			return nil, err
		}
		return gvalue.Raw{Type: "gx:BigInteger", Value: n.Append(nil, 10)}, nil
	case gbBigDecimal:
		scale, err := d.u32()
		if err != nil {
			return nil, err
		}
		n, err := d.bigInt()
		if err != nil {
			return nil, err
		}
		return gvalue.Raw{Type: "gx:BigDecimal", Value: []byte(bigDecimalText(n, int32(scale)))}, nil
	case gbByte:
		b, err := d.byte1()
		return int8(b), err
	case gbShort:
		n, err := d.u16()
		return int16(n), err
	case gbBoolean:
		b, err := d.byte1()
		return b != 0, err
	case gbByteBuffer:
		n, err := d.length(1)
		if err != nil {
			return nil, err
		}
		b := append([]byte{}, d.data[d.pos:d.pos+n]...)
		d.pos += n
		return b, nil
	case gbChar:
		if d.pos >= len(d.data) {
			return nil, d.errorf("unexpected end of data")
		}
		r, size := utf8.DecodeRune(d.data[d.pos:])
		if r == utf8.RuneError && size <= 1 {
			return nil, d.errorf("invalid UTF-8 Char")
		}
		d.pos += size
		return string(r), nil
	case gbBulkSet:
		return d.bulkSet()
	case gbTraversalMet:
		return d.traversalMetrics()
	case gbMetrics:
		return d.metrics()
	}
	d.pos = start
	return nil, d.errorf("unsupported type code 0x%02x", code)
}

// enumTypes names the GraphSON types of the enums decoded to [gvalue.Raw].
var enumTypes = map[byte]string{
	gbBarrier: "g:Barrier", gbCardinality: "g:Cardinality", gbColumn: "g:Column",
	gbOperator: "g:Operator", gbOrder: "g:Order", gbPick: "g:Pick", gbPop: "g:Pop",
	gbScope: "g:Scope", gbMerge: "g:Merge", gbDT: "g:DT",
}

func (d *binDecoder) bigInt() (*big.Int, error) {
	n, err := d.length(1)
	if err != nil {
		return nil, err
	}
	b := d.data[d.pos : d.pos+n]
	d.pos += n
	v := new(big.Int).SetBytes(b)
	if n > 0 && b[0]&0x80 != 0 { // two's complement negative
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*n)))
	}
	return v, nil
}

// bigDecimalText formats unscaled × 10^-scale as Java's BigDecimal.toString
// does (which is what GraphSON carries): plain notation when scale ≥ 0 and
// the adjusted exponent is ≥ -6, scientific notation otherwise. Its length
// is bounded by the digits of unscaled, whatever the scale.
func bigDecimalText(unscaled *big.Int, scale int32) string {
	digits := new(big.Int).Abs(unscaled).String()
	sign := ""
	if unscaled.Sign() < 0 {
		sign = "-"
	}
	if scale == 0 {
		return sign + digits
	}
	adjusted := int64(len(digits)-1) - int64(scale)
	if scale > 0 && adjusted >= -6 {
		if n := len(digits) - int(scale); n > 0 {
			return sign + digits[:n] + "." + digits[n:]
		}
		return sign + "0." + strings.Repeat("0", int(scale)-len(digits)) + digits
	}
	mantissa := digits[:1]
	if len(digits) > 1 {
		mantissa += "." + digits[1:]
	}
	exp := strconv.FormatInt(adjusted, 10)
	if adjusted >= 0 {
		exp = "+" + exp
	}
	return sign + mantissa + "E" + exp
}

// custom decodes a custom type; only JanusGraph's gvalue.RelationIdentifier is
// known.
func (d *binDecoder) custom(start int) (any, error) {
	name, err := d.strBytes()
	if err != nil {
		return nil, err
	}
	if string(name) != relationIDTypeName {
		d.pos = start
		return nil, d.errorf("unknown custom type %q", name)
	}
	info, err := d.u32()
	if err != nil {
		return nil, err
	}
	if info != relationIDTypeID {
		return nil, d.errorf("custom type %s with type info 0x%x, want 0x%x", name, info, relationIDTypeID)
	}
	flag, err := d.byte1()
	if err != nil {
		return nil, err
	}
	if flag&1 == 1 {
		return nil, nil
	}
	return d.relationID()
}

// relationID reads the gvalue.RelationIdentifier value (see appendRelationID) and
// returns its text form, which is what GraphSON carries.
func (d *binDecoder) relationID() (gvalue.RelationIdentifier, error) {
	var out, in [64]byte //graphperf:nomutate capacity hint: any capacity gives the same result
	outV, _, err := d.relVertexID(out[:0])
	if err != nil {
		return gvalue.RelationIdentifier{}, err
	}
	typeID, err := d.u64()
	if err != nil {
		return gvalue.RelationIdentifier{}, err
	}
	relID, err := d.u64()
	if err != nil {
		return gvalue.RelationIdentifier{}, err
	}
	inV, inNull, err := d.relVertexID(in[:0])
	if err != nil {
		return gvalue.RelationIdentifier{}, err
	}
	if int64(typeID) < 0 || int64(relID) < 0 {
		return gvalue.RelationIdentifier{}, d.errorf("negative RelationIdentifier component")
	}
	var buf [160]byte //graphperf:nomutate capacity hint: any capacity gives the same result
	b := appendBase36(buf[:0], int64(relID))
	b = append(b, '-')
	b = append(b, outV...)
	b = append(b, '-')
	b = appendBase36(b, int64(typeID))
	if !inNull {
		b = append(b, '-')
		b = append(b, inV...)
	}
	return gvalue.RelationIdentifier{RelationID: string(b)}, nil
}

// relVertexID reads a marker byte and a Long or a high-bit-terminated ASCII
// string, and appends its text form (base 36, or 'S' + string) to text.
// zero reports a Long 0, which JanusGraph writes for an absent in-vertex.
func (d *binDecoder) relVertexID(text []byte) (_ []byte, zero bool, err error) {
	marker, err := d.byte1()
	if err != nil {
		return nil, false, err
	}
	switch marker {
	case 0:
		n, err := d.u64()
		if err != nil {
			return nil, false, err
		}
		if int64(n) < 0 {
			return nil, false, d.errorf("negative vertex id in RelationIdentifier")
		}
		return appendBase36(text, int64(n)), n == 0, nil
	case 1:
		text = append(text, 'S')
		for {
			c, err := d.byte1()
			if err != nil {
				return nil, false, err
			}
			text = append(text, c&0x7f)
			if c&0x80 != 0 {
				return text, false, nil
			}
		}
	}
	d.pos--
	return nil, false, d.errorf("invalid RelationIdentifier vertex id marker %d", marker)
}

func (d *binDecoder) list() ([]any, error) {
	n, err := d.length(2)
	if err != nil {
		return nil, err
	}
	out := make([]any, n)
	for i := range out {
		if out[i], err = d.value(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// mapValue reads a Map value (no type code): {length}{key}{value}...
func (d *binDecoder) gmap() (map[any]any, error) {
	n, err := d.length(4)
	if err != nil {
		return nil, err
	}
	m := make(map[any]any, n)
	for range n {
		k, err := d.key()
		if err != nil {
			return nil, err
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, nil
}

// key decodes a map key: strings are interned, and keys Go cannot hash
// are replaced by their GraphSON text.
func (d *binDecoder) key() (any, error) {
	if len(d.data)-d.pos >= 2 && d.data[d.pos] == gbString && d.data[d.pos+1] == 0 {
		d.pos += 2
		return d.name()
	}
	k, err := d.value()
	if err != nil || gvalue.Hashable(k) {
		return k, err
	}
	if b, err := graphson.AppendValue(nil, k); err == nil {
		return string(b), nil
	}
	return fmt.Sprintf("%v", k), nil
}

func (d *binDecoder) bulkSet() ([]any, error) {
	n, err := d.length(10)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, n)
	for range n {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		b, err := d.u64()
		if err != nil {
			return nil, err
		}
		bulk := int64(b)
		limit := d.maxBulk
		if limit == 0 {
			limit = defaultMaxBulk
		}
		if bulk < 0 {
			return nil, d.errorf("invalid BulkSet bulk %d", bulk)
		}
		if d.bulk += bulk; d.bulk > limit {
			return nil, d.errorf("BulkSet expands to more than %d items", limit)
		}
		for ; bulk > 0; bulk-- {
			out = append(out, v)
		}
	}
	return out, nil
}

// nullOrList decodes a fully qualified value that must be null or a List.
func (d *binDecoder) nullOrList(what string) ([]any, error) {
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []any:
		return x, nil
	}
	return nil, d.errorf("%s is %T, want a List", what, v)
}

// propertyMap turns a List of gvalue.Property into key → value (nil when empty,
// as GraphSON omits empty properties).
func (d *binDecoder) propertyMap(what string) (map[string]any, error) {
	list, err := d.nullOrList(what)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	m := make(map[string]any, len(list))
	for _, it := range list {
		p, ok := it.(gvalue.Property)
		if !ok {
			return nil, d.errorf("%s holds %T, want Property", what, it)
		}
		m[p.Key] = p.Value
	}
	return m, nil
}

func (d *binDecoder) vertex() (gvalue.Vertex, error) {
	var v gvalue.Vertex
	var err error
	if v.ID, err = d.value(); err != nil {
		return v, err
	}
	if v.Label, err = d.name(); err != nil {
		return v, err
	}
	list, err := d.nullOrList("vertex properties")
	if err != nil || len(list) == 0 {
		return v, err
	}
	v.Properties = make(map[string][]gvalue.VertexProperty, 8) //graphperf:nomutate capacity hint: any capacity gives the same result
	for _, it := range list {
		vp, ok := it.(gvalue.VertexProperty)
		if !ok {
			return v, d.errorf("vertex properties hold %T, want VertexProperty", it)
		}
		v.Properties[vp.Label] = append(v.Properties[vp.Label], vp)
	}
	return v, nil
}

func (d *binDecoder) edge() (gvalue.Edge, error) {
	var e gvalue.Edge
	var err error
	if e.ID, err = d.value(); err != nil {
		return e, err
	}
	if e.Label, err = d.name(); err != nil {
		return e, err
	}
	if e.InV, err = d.value(); err != nil {
		return e, err
	}
	if e.InVLabel, err = d.name(); err != nil {
		return e, err
	}
	if e.OutV, err = d.value(); err != nil {
		return e, err
	}
	if e.OutVLabel, err = d.name(); err != nil {
		return e, err
	}
	if _, err = d.value(); err != nil { // parent: always null
		return e, err
	}
	e.Properties, err = d.propertyMap("edge properties")
	return e, err
}

func (d *binDecoder) vertexProperty() (gvalue.VertexProperty, error) {
	var vp gvalue.VertexProperty
	var err error
	if vp.ID, err = d.value(); err != nil {
		return vp, err
	}
	if vp.Label, err = d.name(); err != nil {
		return vp, err
	}
	if vp.Value, err = d.value(); err != nil {
		return vp, err
	}
	if _, err = d.value(); err != nil { // parent: always null
		return vp, err
	}
	vp.Properties, err = d.propertyMap("meta-properties")
	return vp, err
}

func (d *binDecoder) property() (gvalue.Property, error) {
	var p gvalue.Property
	var err error
	if p.Key, err = d.name(); err != nil {
		return p, err
	}
	if p.Value, err = d.value(); err != nil {
		return p, err
	}
	_, err = d.value() // parent: always null
	return p, err
}

func (d *binDecoder) path() (gvalue.Path, error) {
	var p gvalue.Path
	labels, err := d.nullOrList("path labels")
	if err != nil {
		return p, err
	}
	p.Labels = make([][]string, len(labels))
	for i, set := range labels {
		items, _ := set.([]any)
		ls := make([]string, 0, len(items))
		for _, it := range items {
			if s, ok := it.(string); ok {
				ls = append(ls, s)
			}
		}
		p.Labels[i] = ls
	}
	objects, err := d.nullOrList("path objects")
	if objects == nil {
		objects = []any{}
	}
	p.Objects = objects
	return p, err
}

// metrics decodes a Metrics value into the map GraphSON's g:Metrics
// carries: id, name, dur (milliseconds), counts, and annotations and
// nested metrics when present.
func (d *binDecoder) metrics() (map[any]any, error) {
	id, err := d.str()
	if err != nil {
		return nil, err
	}
	name, err := d.str()
	if err != nil {
		return nil, err
	}
	dur, err := d.u64()
	if err != nil {
		return nil, err
	}
	counts, err := d.gmap()
	if err != nil {
		return nil, err
	}
	annotations, err := d.gmap()
	if err != nil {
		return nil, err
	}
	nested, err := d.list()
	if err != nil {
		return nil, err
	}
	m := map[any]any{"id": id, "name": name, "dur": float64(int64(dur)) / 1e6, "counts": counts}
	if len(annotations) > 0 {
		m["annotations"] = annotations
	}
	if len(nested) > 0 {
		m["metrics"] = nested
	}
	return m, nil
}

// traversalMetrics decodes a TraversalMetrics value into the map GraphSON's
// g:TraversalMetrics carries: dur (milliseconds) and metrics.
func (d *binDecoder) traversalMetrics() (map[any]any, error) {
	dur, err := d.u64()
	if err != nil {
		return nil, err
	}
	list, err := d.list()
	if err != nil {
		return nil, err
	}
	return map[any]any{"dur": float64(int64(dur)) / 1e6, "metrics": list}, nil
}

// Response is one response message, as both codecs decode and encode it.
type Response = gvalue.Response

// DecodeResponse decodes a GraphBinary v1 Response message:
// {0x81}{request id: nullable gvalue.UUID}{status code Int}{status message:
// nullable String}{status attributes Map}{result meta Map}{result data}.
// When the request id and status are readable but the rest is not, it
// returns them with the error so that the waiting request can be failed.
func DecodeResponse(frame []byte) (Response, error) {
	return decodeResponseLimit(frame, defaultMaxBulk)
}

func decodeResponseLimit(frame []byte, maxBulk int64) (Response, error) {
	var r Response
	d := binDecoder{data: frame, maxBulk: maxBulk}
	v, err := d.byte1()
	if err != nil {
		return r, err
	}
	if v != binaryVersion {
		d.pos--
		return r, d.errorf("response version 0x%02x, want 0x%02x", v, binaryVersion)
	}
	flag, err := d.byte1()
	if err != nil {
		return r, err
	}
	switch flag {
	case 0:
		if err := d.need(16); err != nil {
			return r, err
		}
		copy(r.RequestID[:], d.data[d.pos:])
		d.pos += 16
		r.HasRequestID = true
	case 1:
	default:
		d.pos--
		return r, d.errorf("invalid request id flag 0x%02x", flag)
	}
	code, err := d.u32()
	if err != nil {
		return r, err
	}
	r.Code = int(int32(code))
	env := r // what is known when the rest fails
	fail := func(err error) (Response, error) { return env, err }
	flag, err = d.byte1()
	if err != nil {
		return fail(err)
	}
	switch flag {
	case 0:
		if r.Message, err = d.str(); err != nil {
			return fail(err)
		}
	case 1:
	default:
		d.pos--
		return fail(d.errorf("invalid status message flag 0x%02x", flag))
	}
	env.Message = r.Message
	attrs, err := d.gmap()
	if err != nil {
		return fail(err)
	}
	if r.Code != 200 && r.Code != 204 && r.Code != 206 {
		r.Attributes = attrs // only error statuses use them
	}
	env.Attributes = r.Attributes
	if _, err := d.gmap(); err != nil { // result meta
		return fail(err)
	}
	if r.Data, err = d.value(); err != nil {
		return fail(err)
	}
	r.HasData = true
	if d.pos != len(d.data) {
		return fail(d.errorf("trailing data after response"))
	}
	return r, nil
}
