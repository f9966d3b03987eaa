package graphbinary

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/graphperf/graphperf/graph/gvalue"
)

// GraphBinary v1, as specified in TinkerPop's IO reference ("GraphBinary")
// and implemented by Gremlin Server 3.7's GraphBinaryMessageSerializerV1.
// Every value is written fully qualified: {type_code}{value_flag}{value},
// big-endian; JanusGraph's gvalue.RelationIdentifier is the custom type
// "janusgraph.RelationIdentifier" (see appendRelationID).

// MimeType is the GraphBinary v1 serializer's mime type.
const MimeType = "application/vnd.graphbinary-v1.0"

// binaryVersion is the first byte of GraphBinary v1 request and response
// messages.
const binaryVersion = 0x81

// GraphBinary type codes (TinkerPop IO reference, "Data Type Codes").
const (
	gbCustom         = 0x00
	gbInt            = 0x01
	gbLong           = 0x02
	gbString         = 0x03
	gbDate           = 0x04
	gbTimestamp      = 0x05
	gbClass          = 0x06
	gbDouble         = 0x07
	gbFloat          = 0x08
	gbList           = 0x09
	gbMap            = 0x0a
	gbSet            = 0x0b
	gbUUID           = 0x0c
	gbEdge           = 0x0d
	gbPath           = 0x0e
	gbProperty       = 0x0f
	gbVertex         = 0x11
	gbVertexProperty = 0x12
	gbBarrier        = 0x13
	gbCardinality    = 0x16
	gbColumn         = 0x17
	gbDirection      = 0x18
	gbOperator       = 0x19
	gbOrder          = 0x1a
	gbPick           = 0x1b
	gbPop            = 0x1c
	gbScope          = 0x1f
	gbT              = 0x20
	gbBigDecimal     = 0x22
	gbBigInteger     = 0x23
	gbByte           = 0x24
	gbByteBuffer     = 0x25
	gbShort          = 0x26
	gbBoolean        = 0x27
	gbBulkSet        = 0x2a
	gbMetrics        = 0x2c
	gbTraversalMet   = 0x2d
	gbMerge          = 0x2e
	gbDT             = 0x2f
	gbChar           = 0x80
	gbUnspecNull     = 0xfe
)

// JanusGraph's gvalue.RelationIdentifier custom type (janusgraph-driver
// GraphBinaryType and RelationIdentifierGraphBinarySerializer, 1.x).
const (
	relationIDTypeName = "janusgraph.RelationIdentifier"
	relationIDTypeID   = 0x1001
)

// idOffset is where the 16 request id bytes start in a GraphBinary
// request frame: mime length byte, mime type, version byte.
const idOffset = 1 + len(MimeType) + 1

// AppendValue appends the fully qualified GraphBinary v1 encoding of
// v to buf. It accepts the same values as [graphson.AppendValue], with the same type
// mapping (int → Long, int32 → Int, float64 → Double, time.Time → Date,
// [gvalue.RelationIdentifier] → JanusGraph's custom type, ...), except [gvalue.Raw],
// which holds GraphSON and cannot be sent as GraphBinary.
func AppendValue(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, gbUnspecNull, 0x01), nil
	case string:
		return appendBinString(append(buf, gbString, 0), x), nil
	case bool:
		b := byte(0)
		if x {
			b = 1
		}
		return append(buf, gbBoolean, 0, b), nil
	case int:
		return appendBinLong(buf, int64(x)), nil
	case int64:
		return appendBinLong(buf, x), nil
	case int32:
		return appendBinInt(buf, x), nil
	case int16:
		return appendBinInt(buf, int32(x)), nil
	case int8:
		return appendBinInt(buf, int32(x)), nil
	case uint8:
		return appendBinLong(buf, int64(x)), nil
	case uint16:
		return appendBinLong(buf, int64(x)), nil
	case uint32:
		return appendBinLong(buf, int64(x)), nil
	case uint:
		return appendBinUint(buf, uint64(x))
	case uint64:
		return appendBinUint(buf, x)
	case float64:
		return binary.BigEndian.AppendUint64(append(buf, gbDouble, 0), math.Float64bits(x)), nil
	case float32:
		return binary.BigEndian.AppendUint32(append(buf, gbFloat, 0), math.Float32bits(x)), nil
	case time.Time:
		return binary.BigEndian.AppendUint64(append(buf, gbDate, 0), uint64(x.UnixMilli())), nil
	case gvalue.UUID:
		return append(append(buf, gbUUID, 0), x[:]...), nil
	case gvalue.T:
		return appendBinString(append(buf, gbT, 0, gbString, 0), string(x)), nil
	case gvalue.Direction:
		return appendBinString(append(buf, gbDirection, 0, gbString, 0), string(x)), nil
	case gvalue.RelationIdentifier:
		return appendRelationID(buf, x)
	case gvalue.Raw:
		return buf, fmt.Errorf("%w: gvalue.Raw %s holds GraphSON and cannot be sent as GraphBinary", gvalue.ErrUnsupported, x.Type)
	case []byte:
		buf = binary.BigEndian.AppendUint32(append(buf, gbByteBuffer, 0), uint32(len(x)))
		return append(buf, x...), nil
	case []any:
		buf = binary.BigEndian.AppendUint32(append(buf, gbList, 0), uint32(len(x)))
		for _, e := range x {
			var err error
			if buf, err = AppendValue(buf, e); err != nil {
				return buf, err
			}
		}
		return buf, nil
	case []map[string]any:
		buf = binary.BigEndian.AppendUint32(append(buf, gbList, 0), uint32(len(x)))
		for _, m := range x {
			var err error
			if buf, err = appendBinStringMap(buf, m); err != nil {
				return buf, err
			}
		}
		return buf, nil
	case map[string]any:
		return appendBinStringMap(buf, x)
	case []string:
		buf = binary.BigEndian.AppendUint32(append(buf, gbList, 0), uint32(len(x)))
		for _, s := range x {
			buf = appendBinString(append(buf, gbString, 0), s)
		}
		return buf, nil
	case []int64:
		buf = binary.BigEndian.AppendUint32(append(buf, gbList, 0), uint32(len(x)))
		for _, n := range x {
			buf = appendBinLong(buf, n)
		}
		return buf, nil
	case map[any]any:
		buf = binary.BigEndian.AppendUint32(append(buf, gbMap, 0), uint32(len(x)))
		for k, e := range x {
			var err error
			if buf, err = AppendValue(buf, k); err != nil {
				return buf, err
			}
			if buf, err = AppendValue(buf, e); err != nil {
				return buf, err
			}
		}
		return buf, nil
	}
	return appendBinReflect(buf, reflect.ValueOf(v))
}

func appendBinStringMap(buf []byte, m map[string]any) ([]byte, error) {
	buf = binary.BigEndian.AppendUint32(append(buf, gbMap, 0), uint32(len(m)))
	for k, e := range m {
		buf = appendBinString(append(buf, gbString, 0), k)
		var err error
		if buf, err = AppendValue(buf, e); err != nil {
			return buf, fmt.Errorf("map key %q: %w", k, err)
		}
	}
	return buf, nil
}

func appendBinReflect(buf []byte, rv reflect.Value) ([]byte, error) {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return append(buf, gbUnspecNull, 0x01), nil
		}
		return AppendValue(buf, rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		buf = binary.BigEndian.AppendUint32(append(buf, gbList, 0), uint32(rv.Len()))
		for i := range rv.Len() {
			var err error
			if buf, err = AppendValue(buf, rv.Index(i).Interface()); err != nil {
				return buf, err
			}
		}
		return buf, nil
	case reflect.Map:
		buf = binary.BigEndian.AppendUint32(append(buf, gbMap, 0), uint32(rv.Len()))
		it := rv.MapRange()
		for it.Next() {
			var err error
			if buf, err = AppendValue(buf, it.Key().Interface()); err != nil {
				return buf, err
			}
			if buf, err = AppendValue(buf, it.Value().Interface()); err != nil {
				return buf, err
			}
		}
		return buf, nil
	case reflect.String:
		return appendBinString(append(buf, gbString, 0), rv.String()), nil
	case reflect.Bool:
		return AppendValue(buf, rv.Bool())
	case reflect.Int, reflect.Int64:
		return appendBinLong(buf, rv.Int()), nil
	case reflect.Int32, reflect.Int16, reflect.Int8:
		return appendBinInt(buf, int32(rv.Int())), nil
	case reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint16, reflect.Uint8:
		return appendBinUint(buf, rv.Uint())
	case reflect.Float64:
		return AppendValue(buf, rv.Float())
	case reflect.Float32:
		return AppendValue(buf, float32(rv.Float()))
	}
	if !rv.IsValid() {
		return append(buf, gbUnspecNull, 0x01), nil
	}
	return buf, fmt.Errorf("%w %s", gvalue.ErrUnsupported, rv.Type())
}

// appendBinString appends a String value (no type code): {length}{utf8}.
func appendBinString(buf []byte, s string) []byte {
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
	return append(buf, s...)
}

func appendBinLong(buf []byte, n int64) []byte {
	return binary.BigEndian.AppendUint64(append(buf, gbLong, 0), uint64(n))
}

func appendBinInt(buf []byte, n int32) []byte {
	return binary.BigEndian.AppendUint32(append(buf, gbInt, 0), uint32(n))
}

func appendBinUint(buf []byte, n uint64) ([]byte, error) {
	if n > math.MaxInt64 {
		return buf, fmt.Errorf("%w: %d overflows a GraphBinary Long", gvalue.ErrUnsupported, n)
	}
	return appendBinLong(buf, int64(n)), nil
}

// errBadRelationID is wrapped when a gvalue.RelationIdentifier binding is not in
// JanusGraph's text form.
var errBadRelationID = errors.New("malformed RelationIdentifier")

// appendRelationID writes JanusGraph's gvalue.RelationIdentifier custom type:
// {0x00}{name String}{type id Int 0x1001}{value_flag}{outV}{typeId Long}
// {relationId Long}{inV}, where a vertex id is a marker byte (0: Long,
// 1: string, ASCII with the high bit set on its last byte) and a missing
// inV is written as Long 0. The text form JanusGraph prints (and GraphSON
// carries) is relationId-outV-typeId[-inV], each number in base 36 and a
// string vertex id prefixed with 'S'.
func appendRelationID(buf []byte, r gvalue.RelationIdentifier) ([]byte, error) {
	parts := strings.Split(r.RelationID, "-")
	if len(parts) != 3 && len(parts) != 4 {
		return buf, fmt.Errorf("%w %q", errBadRelationID, r.RelationID)
	}
	relID, ok1 := decodeBase36(parts[0])
	typeID, ok2 := decodeBase36(parts[2])
	if !ok1 || !ok2 {
		return buf, fmt.Errorf("%w %q", errBadRelationID, r.RelationID)
	}
	buf = append(buf, gbCustom)
	buf = appendBinString(buf, relationIDTypeName)
	buf = binary.BigEndian.AppendUint32(buf, relationIDTypeID)
	buf = append(buf, 0)
	var err error
	if buf, err = appendRelVertexID(buf, parts[1], r.RelationID); err != nil {
		return buf, err
	}
	buf = binary.BigEndian.AppendUint64(buf, uint64(typeID))
	buf = binary.BigEndian.AppendUint64(buf, uint64(relID))
	if len(parts) == 3 {
		return binary.BigEndian.AppendUint64(append(buf, 0), 0), nil
	}
	return appendRelVertexID(buf, parts[3], r.RelationID)
}

func appendRelVertexID(buf []byte, part, whole string) ([]byte, error) {
	if s, ok := strings.CutPrefix(part, "S"); ok {
		if s == "" {
			return buf, fmt.Errorf("%w %q: empty string vertex id", errBadRelationID, whole)
		}
		buf = append(buf, 1)
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= 0x80 {
				return buf, fmt.Errorf("%w %q: non-ASCII string vertex id", errBadRelationID, whole)
			}
			if i == len(s)-1 {
				c |= 0x80
			}
			buf = append(buf, c)
		}
		return buf, nil
	}
	n, ok := decodeBase36(part)
	if !ok {
		return buf, fmt.Errorf("%w %q", errBadRelationID, whole)
	}
	return binary.BigEndian.AppendUint64(append(buf, 0), uint64(n)), nil
}

const base36 = "0123456789abcdefghijklmnopqrstuvwxyz"

// decodeBase36 decodes JanusGraph's LongEncoding (lower-case base 36; the
// empty string is 0).
func decodeBase36(s string) (int64, bool) {
	var n uint64
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(base36, s[i])
		if d < 0 {
			return 0, false
		}
		if n > (math.MaxInt64-uint64(d))/36 {
			return 0, false
		}
		n = n*36 + uint64(d)
	}
	return int64(n), true
}

// appendBase36 appends JanusGraph's LongEncoding of n ≥ 0 (0 is the empty
// string, as JanusGraph prints it).
func appendBase36(buf []byte, n int64) []byte {
	var tmp [13]byte
	i := len(tmp)
	for u := uint64(n); u > 0; u /= 36 {
		i--
		tmp[i] = base36[u%36]
	}
	return append(buf, tmp[i:]...)
}
