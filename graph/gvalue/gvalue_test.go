package gvalue

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
)

func TestParseUUIDAndHex(t *testing.T) {
	want := UUID{0x1b, 0x4e, 0x28, 0xba, 0x2f, 0xa1, 0x11, 0xd2, 0x88, 0x3f, 0x00, 0x16, 0xd3, 0xcc, 0xa4, 0x27}
	for _, s := range []string{"1b4e28ba-2fa1-11d2-883f-0016d3cca427", "1B4E28BA-2FA1-11D2-883F-0016D3CCA427"} {
		if u, err := ParseUUID(s); err != nil || u != want {
			t.Errorf("ParseUUID(%q) = %v, %v", s, u, err)
		}
	}
	for _, s := range []string{"", "1b4e28ba-2fa1-11d2-883f-0016d3cca42", "1b4e28ba_2fa1-11d2-883f-0016d3cca427",
		"1b4e28ba-2fa1_11d2-883f-0016d3cca427", "1b4e28ba-2fa1-11d2_883f-0016d3cca427", "1b4e28ba-2fa1-11d2-883f_0016d3cca427",
		"gb4e28ba-2fa1-11d2-883f-0016d3cca427", "1g4e28ba-2fa1-11d2-883f-0016d3cca427", "1b4e28ba-2fa1-11d2-883f-0016d3cca42G"} {
		u, err := ParseUUID(s)
		if !errors.Is(err, errBadUUID) || u != (UUID{}) {
			t.Errorf("ParseUUID(%q) = %v, %v; want errBadUUID", s, u, err)
		} else if want := fmt.Sprintf("gvalue: %q: malformed UUID", s); err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
	}
	for c := range 256 {
		v, err := strconv.ParseUint(string(rune(c)), 16, 8)
		got, ok := unhex(byte(c))
		if ok != (err == nil) || (ok && uint64(got) != v) || (!ok && got != 0) {
			t.Errorf("unhex(%q) = %d, %v", rune(c), got, ok)
		}
	}
	if s := (RelationIdentifier{RelationID: "4rd-3bc"}).String(); s != "4rd-3bc" {
		t.Errorf("RelationIdentifier.String() = %q", s)
	}
}

func TestUUIDText(t *testing.T) {
	u, _ := ParseUUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
	b, err := u.AppendText([]byte("id="))
	if err != nil || string(b) != "id=1b4e28ba-2fa1-11d2-883f-0016d3cca427" {
		t.Errorf("AppendText = %q, %v", b, err)
	}
	var v UUID
	if err := v.UnmarshalText([]byte(u.String())); err != nil || v != u {
		t.Errorf("UnmarshalText = %v, %v", v, err)
	}
	if err := v.UnmarshalText([]byte("nope")); !errors.Is(err, errBadUUID) {
		t.Errorf("UnmarshalText(nope) = %v, want errBadUUID", err)
	}
}

func TestHashable(t *testing.T) {
	for _, v := range []any{nil, "s", int64(1), int32(1), 1.5, true, T("id"), Direction("OUT"), UUID{}, RelationIdentifier{RelationID: "x"}} {
		if !Hashable(v) {
			t.Errorf("Hashable(%#v) = false", v)
		}
	}
	for _, v := range []any{[]any{}, map[any]any{}, Vertex{}, Edge{}, Path{}, Raw{}, []byte("x")} {
		if Hashable(v) {
			t.Errorf("Hashable(%#v) = true", v)
		}
	}
}

func TestErrors(t *testing.T) {
	de := &DecodeError{Format: "GraphBinary", Offset: 7, Msg: "bad"}
	if de.Error() != "GraphBinary decode error at byte 7: bad" {
		t.Errorf("DecodeError = %q", de)
	}
	be := &BindingError{Name: "x", Err: ErrUnsupported}
	if be.Error() != "binding x: unsupported type" || !errors.Is(be, ErrUnsupported) {
		t.Errorf("BindingError = %q", be)
	}
}
