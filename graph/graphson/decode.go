package graphson

import (
	"encoding/base64"
	"math"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/graphperf/graphperf/graph/gvalue"
)

// Decode decodes one GraphSON v3 value (for example the "data" of a
// response) into Go values:
//
//	g:Int32 → int32, g:Int64 → int64, g:Float → float32, g:Double → float64,
//	gx:Byte → int8, gx:Int16 → int16, gx:Char → string, gx:ByteBuffer → []byte,
//	g:Date, g:Timestamp → time.Time (UTC), g:UUID → [gvalue.UUID],
//	g:List, g:Set → []any, g:BulkSet → []any (each value repeated bulk times),
//	g:Map → map[any]any, g:Vertex → [gvalue.Vertex], g:Edge → [gvalue.Edge],
//	g:VertexProperty → [gvalue.VertexProperty], g:Property → [gvalue.Property], g:Path → [gvalue.Path],
//	g:T → [gvalue.T], g:Direction → [gvalue.Direction],
//	janusgraph:RelationIdentifier → [gvalue.RelationIdentifier],
//	g:TraversalMetrics, g:Metrics → their @value decoded (a map[any]any),
//	any other @type → [gvalue.Raw] (never an error).
//
// Untyped JSON decodes as JSON does: strings, bools, nil, integers → int64,
// other numbers → float64, arrays → []any, objects → map[string]any.
//
// g:Map keys that Go cannot hash (lists, maps, vertices, edges, paths, raw
// values, ...) are replaced by their GraphSON text exactly as the server sent
// it, as a string.
func Decode(data []byte) (any, error) {
	d := decoder{data: data}
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	d.ws()
	if d.pos != len(d.data) {
		return nil, d.errorf("trailing data after value")
	}
	return v, nil
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 512

// defaultMaxBulk bounds the items one g:BulkSet may expand to.
const defaultMaxBulk = 1 << 24

type decoder struct {
	data  []byte
	pos   int
	depth int
	// total items expanded from g:BulkSets so far; 0 means defaultMaxBulk
	bulk, maxBulk int64
	// interned labels and keys, which repeat across the items of a frame
	names map[string]string
}

// maxInterned bounds the intern table of one decoder.
const maxInterned = 1024

// intern returns b as a string, reusing an earlier copy of the same text.
//
//graphperf:nomutate interning only saves memory: the result equals string(b) whatever the table holds
func (d *decoder) intern(b []byte) string {
	if s, ok := d.names[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(b) <= 64 && len(d.names) < maxInterned {
		if d.names == nil {
			d.names = make(map[string]string)
		}
		d.names[s] = s
	}
	return s
}

// name decodes a string that is likely to repeat (a label or key), or any
// other value as value() does.
func (d *decoder) name() (any, error) {
	if c, ok := d.next(); ok && c == '"' {
		b, err := d.strBytes()
		if err != nil {
			return nil, err
		}
		return d.intern(b), nil
	}
	return d.value()
}

func (d *decoder) errorf(msg string) error {
	return &gvalue.DecodeError{Format: "GraphSON", Offset: d.pos, Msg: msg}
}

func (d *decoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// next skips white space and returns the next byte without consuming it.
func (d *decoder) next() (byte, bool) {
	d.ws()
	if d.pos >= len(d.data) {
		return 0, false
	}
	return d.data[d.pos], true
}

func (d *decoder) expect(c byte) error {
	if b, ok := d.next(); !ok || b != c {
		return d.errorf("expected '" + string(c) + "'")
	}
	d.pos++
	return nil
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > maxDepth {
		return d.errorf("nesting too deep")
	}
	return nil
}

func (d *decoder) value() (any, error) {
	c, ok := d.next()
	if !ok {
		return nil, d.errorf("unexpected end of data")
	}
	switch c {
	case '{':
		return d.object()
	case '[':
		if err := d.enter(); err != nil {
			return nil, err
		}
		v, err := d.array()
		d.depth--
		return v, err
	case '"':
		return d.str()
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	case 'n':
		return nil, d.literal("null")
	default:
		return d.number()
	}
}

func (d *decoder) literal(lit string) error {
	if len(d.data)-d.pos < len(lit) || string(d.data[d.pos:d.pos+len(lit)]) != lit {
		return d.errorf("invalid literal")
	}
	d.pos += len(lit)
	return nil
}

// numberSpan consumes a JSON number and returns its text.
func (d *decoder) numberSpan() ([]byte, bool, error) {
	start := d.pos
	isInt := true
	if d.pos < len(d.data) && d.data[d.pos] == '-' {
		d.pos++
	}
	digits := 0
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-':
			isInt = false
		default:
			goto done
		}
		d.pos++
	}
done:
	if digits == 0 {
		d.pos = start
		return nil, false, d.errorf("invalid number")
	}
	return d.data[start:d.pos], isInt, nil
}

func (d *decoder) number() (any, error) {
	b, isInt, err := d.numberSpan()
	if err != nil {
		return nil, err
	}
	if isInt {
		if n, ok := parseInt(b); ok {
			return n, nil
		}
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return nil, d.errorf("invalid number " + strconv.Quote(string(b)))
	}
	return f, nil
}

// parseInt parses a decimal int64 without allocating.
func parseInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && b[0] == '-' {
		neg = true
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return -int64(n), true
	}
	if n > math.MaxInt64 {
		return 0, false
	}
	return int64(n), true
}

func (d *decoder) intValue(bits int) (int64, error) {
	if _, ok := d.next(); !ok {
		return 0, d.errorf("unexpected end of data")
	}
	b, isInt, err := d.numberSpan()
	if err != nil {
		return 0, d.errorf("invalid " + strconv.Itoa(bits) + "-bit integer")
	}
	n, ok := parseInt(b)
	if !isInt || !ok || (bits < 64 && (n < -(1<<(bits-1)) || n > 1<<(bits-1)-1)) {
		return 0, d.errorf("invalid " + strconv.Itoa(bits) + "-bit integer " + strconv.Quote(string(b)))
	}
	return n, nil
}

func (d *decoder) floatValue(bits int) (float64, error) {
	c, ok := d.next()
	if !ok {
		return 0, d.errorf("unexpected end of data")
	}
	if c == '"' {
		s, err := d.str()
		if err != nil {
			return 0, err
		}
		switch s {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
		return 0, d.errorf("invalid floating point value " + strconv.Quote(s))
	}
	b, _, err := d.numberSpan()
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(string(b), bits)
	if err != nil {
		return 0, d.errorf("invalid floating point value " + strconv.Quote(string(b)))
	}
	return f, nil
}

// str decodes a JSON string.
func (d *decoder) str() (string, error) {
	b, err := d.strBytes()
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// strBytes decodes a JSON string. The result aliases d.data when the string
// has no escapes, so callers must copy it before keeping it.
func (d *decoder) strBytes() ([]byte, error) {
	if c, ok := d.next(); !ok || c != '"' {
		return nil, d.errorf("expected string")
	}
	d.pos++
	start := d.pos
	for i := start; i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			d.pos = i + 1
			return d.data[start:i], nil
		case c == '\\':
			return d.strSlow(start)
		case c < 0x20:
			d.pos = i
			return nil, d.errorf("control character in string")
		}
	}
	d.pos = len(d.data)
	return nil, d.errorf("unterminated string")
}

func (d *decoder) strSlow(start int) ([]byte, error) {
	out := make([]byte, 0, 2*(len(d.data)-start)/3+8) //graphperf:nomutate capacity hint: any capacity gives the same result
	i := start
	for i < len(d.data) {
		c := d.data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return out, nil
		case c < 0x20:
			d.pos = i
			return nil, d.errorf("control character in string")
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(d.data) {
			break
		}
		e := d.data[i+1]
		i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(d.data, i)
			if !ok {
				d.pos = i
				return nil, d.errorf("invalid \\u escape")
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(d.data, i+2); ok && i+1 < len(d.data) && d.data[i] == '\\' && d.data[i+1] == 'u' {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						i += 6
						out = utf8.AppendRune(out, dec)
						continue
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default:
			d.pos = i - 1
			return nil, d.errorf("invalid escape")
		}
	}
	d.pos = len(d.data)
	return nil, d.errorf("unterminated string")
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		v, ok := unhex(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

// key decodes an object key and the following ':'. The result may alias
// d.data.
func (d *decoder) key() ([]byte, error) {
	k, err := d.strBytes()
	if err != nil {
		return nil, err
	}
	return k, d.expect(':')
}

// more consumes ',' (true) or the closing byte (false).
func (d *decoder) more(closing byte) (bool, error) {
	c, ok := d.next()
	if !ok {
		return false, d.errorf("unexpected end of data")
	}
	d.pos++
	switch c {
	case ',':
		return true, nil
	case closing:
		return false, nil
	}
	d.pos--
	return false, d.errorf("expected ',' or '" + string(closing) + "'")
}

// open consumes the opening byte and reports whether the container is
// non-empty (consuming the closing byte when it is empty).
func (d *decoder) open(opening, closing byte) (bool, error) {
	if err := d.expect(opening); err != nil {
		return false, err
	}
	if c, ok := d.next(); ok && c == closing {
		d.pos++
		return false, nil
	}
	return true, nil
}

// array decodes a JSON array of values.
func (d *decoder) array() ([]any, error) {
	nonEmpty, err := d.open('[', ']')
	if err != nil || !nonEmpty {
		return []any{}, err
	}
	out := make([]any, 0, 8) //graphperf:nomutate capacity hint: any capacity gives the same result
	for {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if more, err := d.more(']'); err != nil {
			return nil, err
		} else if !more {
			return out, nil
		}
	}
}

// skip consumes one JSON value without building it.
func (d *decoder) skip() error {
	c, ok := d.next()
	if !ok {
		return d.errorf("unexpected end of data")
	}
	switch c {
	case '"':
		_, err := d.strBytes()
		return err
	case '{', '[':
		if err := d.enter(); err != nil {
			return err
		}
		err := d.skipContainer(c)
		d.depth--
		return err
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	default:
		_, _, err := d.numberSpan()
		return err
	}
}

func (d *decoder) skipContainer(c byte) error {
	{
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		nonEmpty, err := d.open(c, closing)
		if err != nil || !nonEmpty {
			return err
		}
		for {
			if c == '{' {
				if _, err := d.key(); err != nil {
					return err
				}
			}
			if err := d.skip(); err != nil {
				return err
			}
			if more, err := d.more(closing); err != nil || !more {
				return err
			}
		}
	}
}

// object decodes a JSON object: a typed GraphSON value when its keys are
// @type and @value, a map[string]any otherwise.
func (d *decoder) object() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	v, err := d.objectBody()
	d.depth--
	return v, err
}

func (d *decoder) objectBody() (any, error) {
	nonEmpty, err := d.open('{', '}')
	if err != nil {
		return nil, err
	}
	if !nonEmpty {
		return map[string]any{}, nil
	}
	k, err := d.key()
	if err != nil {
		return nil, err
	}
	switch string(k) {
	case "@type":
		typ, err := d.strBytes()
		if err != nil {
			return nil, err
		}
		more, err := d.more('}')
		if err != nil {
			return nil, err
		}
		if !more { // {"@type": "..."} without a value
			return gvalue.Raw{Type: string(typ)}, nil
		}
		k2, err := d.key()
		if err != nil {
			return nil, err
		}
		if string(k2) != "@value" {
			return nil, d.errorf("expected \"@value\" after \"@type\"")
		}
		v, err := d.typed(typ)
		if err != nil {
			return nil, err
		}
		return v, d.expect('}')
	case "@value":
		start := d.pos
		if err := d.skip(); err != nil {
			return nil, err
		}
		raw := d.data[start:d.pos]
		if err := d.expect(','); err != nil {
			return nil, err
		}
		k2, err := d.key()
		if err != nil {
			return nil, err
		}
		if string(k2) != "@type" {
			return nil, d.errorf("expected \"@type\" after \"@value\"")
		}
		typ, err := d.strBytes()
		if err != nil {
			return nil, err
		}
		if err := d.expect('}'); err != nil {
			return nil, err
		}
		sub := decoder{data: raw, depth: d.depth, maxBulk: d.maxBulk, bulk: d.bulk}
		v, err := sub.typed(typ)
		d.bulk = sub.bulk
		if err != nil {
			return nil, &gvalue.DecodeError{Offset: start + sub.pos, Msg: err.(*gvalue.DecodeError).Msg}
		}
		return v, nil
	}
	m := make(map[string]any, 4) //graphperf:nomutate capacity hint: any capacity gives the same result
	for {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		m[d.intern(k)] = v
		more, err := d.more('}')
		if err != nil {
			return nil, err
		}
		if !more {
			return m, nil
		}
		if k, err = d.key(); err != nil {
			return nil, err
		}
	}
}

// typed decodes the @value of a value of GraphSON type typ.
func (d *decoder) typed(typ []byte) (any, error) {
	switch string(typ) {
	case "g:Int64":
		return d.intValue(64)
	case "g:Int32":
		n, err := d.intValue(32)
		return int32(n), err
	case "gx:Int16":
		n, err := d.intValue(16)
		return int16(n), err
	case "gx:Byte":
		n, err := d.intValue(8)
		return int8(n), err
	case "g:Double":
		return d.floatValue(64)
	case "g:Float":
		f, err := d.floatValue(32)
		return float32(f), err
	case "g:Date", "g:Timestamp":
		ms, err := d.intValue(64)
		return time.UnixMilli(ms).UTC(), err
	case "g:UUID":
		s, err := d.strBytes()
		if err != nil {
			return nil, err
		}
		u, err := gvalue.ParseUUID(string(s))
		if err != nil {
			return nil, d.errorf(err.Error())
		}
		return u, nil
	case "g:List", "g:Set":
		return d.array()
	case "g:BulkSet":
		return d.bulkSet()
	case "g:Map":
		return d.gmap()
	case "g:Vertex":
		return d.vertex()
	case "g:Edge":
		return d.edge()
	case "g:VertexProperty":
		return d.vertexProperty()
	case "g:Property":
		return d.property()
	case "g:Path":
		return d.path()
	case "g:T":
		s, err := d.str()
		return gvalue.T(s), err
	case "g:Direction":
		s, err := d.str()
		return gvalue.Direction(s), err
	case "gx:Char":
		return d.str()
	case "gx:ByteBuffer":
		s, err := d.strBytes()
		if err != nil {
			return nil, err
		}
		b, err := base64.StdEncoding.AppendDecode(nil, s)
		if err != nil {
			return nil, d.errorf("invalid base64 in gx:ByteBuffer")
		}
		return b, nil
	case "janusgraph:RelationIdentifier":
		return d.relationID()
	case "g:TraversalMetrics", "g:Metrics":
		return d.value()
	}
	start := d.pos
	if err := d.skip(); err != nil {
		return nil, err
	}
	d.ws()
	return gvalue.Raw{Type: string(typ), Value: append([]byte(nil), d.data[start:d.pos]...)}, nil
}

func (d *decoder) bulkSet() ([]any, error) {
	nonEmpty, err := d.open('[', ']')
	if err != nil || !nonEmpty {
		return []any{}, err
	}
	out := make([]any, 0, 8) //graphperf:nomutate capacity hint: any capacity gives the same result
	for {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		if err := d.expect(','); err != nil {
			return nil, err
		}
		bulk, err := d.value()
		if err != nil {
			return nil, err
		}
		n, ok := asInt(bulk)
		if !ok || n < 0 {
			return nil, d.errorf("invalid g:BulkSet bulk")
		}
		limit := d.maxBulk
		if limit == 0 {
			limit = defaultMaxBulk
		}
		if d.bulk += n; d.bulk > limit {
			return nil, d.errorf("g:BulkSet expands to more than " + strconv.FormatInt(limit, 10) + " items")
		}
		for ; n > 0; n-- {
			out = append(out, v)
		}
		if more, err := d.more(']'); err != nil {
			return nil, err
		} else if !more {
			return out, nil
		}
	}
}

func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int32:
		return int64(n), true
	}
	return 0, false
}

func (d *decoder) gmap() (map[any]any, error) {
	nonEmpty, err := d.open('[', ']')
	if err != nil || !nonEmpty {
		return map[any]any{}, err
	}
	m := make(map[any]any, 8) //graphperf:nomutate capacity hint: any capacity gives the same result
	for {
		d.ws()
		start := d.pos
		k, err := d.name()
		if err != nil {
			return nil, err
		}
		if !gvalue.Hashable(k) {
			k = string(d.data[start:d.pos])
		}
		if err := d.expect(','); err != nil {
			return nil, err
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		m[k] = v
		if more, err := d.more(']'); err != nil {
			return nil, err
		} else if !more {
			return m, nil
		}
	}
}

// fields iterates the keys of a plain JSON object, calling f with the
// decoder positioned at each value; f must consume the value.
func (d *decoder) fields(f func(key []byte) error) error {
	if err := d.enter(); err != nil {
		return err
	}
	err := d.fieldsBody(f)
	d.depth--
	return err
}

func (d *decoder) fieldsBody(f func(key []byte) error) error {
	nonEmpty, err := d.open('{', '}')
	if err != nil || !nonEmpty {
		return err
	}
	for {
		k, err := d.key()
		if err != nil {
			return err
		}
		if err := f(k); err != nil {
			return err
		}
		if more, err := d.more('}'); err != nil || !more {
			return err
		}
	}
}

// typedHeader consumes `{"@type":"T","@value":` when the next value is a
// typed value in that key order and returns gvalue.T; otherwise it consumes
// nothing and returns nil.
func (d *decoder) typedHeader() []byte {
	start := d.pos
	if c, ok := d.next(); !ok || c != '{' {
		return nil
	}
	d.pos++
	if k, err := d.key(); err == nil && string(k) == "@type" {
		if typ, err := d.strBytes(); err == nil && d.expect(',') == nil {
			if k, err := d.key(); err == nil && string(k) == "@value" {
				return typ
			}
		}
	}
	d.pos = start
	return nil
}

func (d *decoder) label() (string, error) {
	v, err := d.name()
	if err != nil {
		return "", err
	}
	s, _ := v.(string)
	return s, nil
}

// vertexProperties decodes one key's list of g:VertexProperty values.
func (d *decoder) vertexProperties(key string) ([]gvalue.VertexProperty, error) {
	if c, ok := d.next(); !ok || c != '[' {
		v, err := d.value()
		return []gvalue.VertexProperty{{Label: key, Value: v}}, err
	}
	if err := d.enter(); err != nil {
		return nil, err
	}
	defer func() { d.depth-- }()
	nonEmpty, err := d.open('[', ']')
	if err != nil || !nonEmpty {
		return []gvalue.VertexProperty{}, err
	}
	props := make([]gvalue.VertexProperty, 0, 1) //graphperf:nomutate capacity hint: any capacity gives the same result
	for {
		var vp gvalue.VertexProperty
		if typ := d.typedHeader(); typ != nil {
			if string(typ) == "g:VertexProperty" {
				vp, err = d.vertexProperty()
			} else {
				var v any
				v, err = d.typed(typ)
				vp = gvalue.VertexProperty{Label: key, Value: v}
			}
			if err == nil {
				err = d.expect('}')
			}
		} else {
			var v any
			v, err = d.value()
			if p, ok := v.(gvalue.VertexProperty); ok {
				vp = p
			} else {
				vp = gvalue.VertexProperty{Label: key, Value: v}
			}
		}
		if err != nil {
			return nil, err
		}
		props = append(props, vp)
		if more, err := d.more(']'); err != nil {
			return nil, err
		} else if !more {
			return props, nil
		}
	}
}

func (d *decoder) vertex() (gvalue.Vertex, error) {
	var v gvalue.Vertex
	err := d.fields(func(k []byte) error {
		var err error
		switch string(k) {
		case "id":
			v.ID, err = d.value()
		case "label":
			v.Label, err = d.label()
		case "properties":
			v.Properties = make(map[string][]gvalue.VertexProperty, 8) //graphperf:nomutate capacity hint: any capacity gives the same result
			err = d.fields(func(name []byte) error {
				key := d.intern(name)
				props, err := d.vertexProperties(key)
				v.Properties[key] = props
				return err
			})
		default:
			err = d.skip()
		}
		return err
	})
	return v, err
}

func (d *decoder) edge() (gvalue.Edge, error) {
	var e gvalue.Edge
	err := d.fields(func(k []byte) error {
		var err error
		switch string(k) {
		case "id":
			e.ID, err = d.value()
		case "label":
			e.Label, err = d.label()
		case "inV":
			e.InV, err = d.value()
		case "outV":
			e.OutV, err = d.value()
		case "inVLabel":
			e.InVLabel, err = d.label()
		case "outVLabel":
			e.OutVLabel, err = d.label()
		case "properties":
			e.Properties, err = d.propertyMap()
		default:
			err = d.skip()
		}
		return err
	})
	return e, err
}

// propertyMap decodes {"key": g:Property or value, ...} into key → value.
func (d *decoder) propertyMap() (map[string]any, error) {
	m := make(map[string]any, 8) //graphperf:nomutate capacity hint: any capacity gives the same result
	err := d.fields(func(k []byte) error {
		v, err := d.value()
		if p, ok := v.(gvalue.Property); ok {
			v = p.Value
		}
		m[d.intern(k)] = v
		return err
	})
	return m, err
}

func (d *decoder) vertexProperty() (gvalue.VertexProperty, error) {
	var vp gvalue.VertexProperty
	err := d.fields(func(k []byte) error {
		var err error
		switch string(k) {
		case "id":
			vp.ID, err = d.value()
		case "label":
			vp.Label, err = d.label()
		case "value":
			vp.Value, err = d.value()
		case "properties":
			vp.Properties, err = d.propertyMap()
		default:
			err = d.skip()
		}
		return err
	})
	return vp, err
}

func (d *decoder) property() (gvalue.Property, error) {
	var p gvalue.Property
	err := d.fields(func(k []byte) error {
		var err error
		switch string(k) {
		case "key":
			p.Key, err = d.label()
		case "value":
			p.Value, err = d.value()
		default:
			err = d.skip()
		}
		return err
	})
	return p, err
}

func (d *decoder) path() (gvalue.Path, error) {
	var p gvalue.Path
	err := d.fields(func(k []byte) error {
		switch string(k) {
		case "labels":
			v, err := d.value()
			if err != nil {
				return err
			}
			list, _ := v.([]any)
			p.Labels = make([][]string, len(list))
			for i, set := range list {
				items, _ := set.([]any)
				labels := make([]string, 0, len(items))
				for _, it := range items {
					if s, ok := it.(string); ok {
						labels = append(labels, s)
					}
				}
				p.Labels[i] = labels
			}
			return nil
		case "objects":
			v, err := d.value()
			if err != nil {
				return err
			}
			list, ok := v.([]any)
			if !ok {
				list = []any{v}
			}
			p.Objects = list
			return nil
		}
		return d.skip()
	})
	return p, err
}

func (d *decoder) relationID() (any, error) {
	var r gvalue.RelationIdentifier
	err := d.fields(func(k []byte) error {
		if string(k) == "relationId" {
			v, err := d.value() // unique per relation: not interned
			r.RelationID, _ = v.(string)
			return err
		}
		return d.skip()
	})
	return r, err
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
