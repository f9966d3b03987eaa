package banking

import (
	"math"
	"strconv"

	"github.com/graphperf/graphperf/graph/graphson"
)

// Keys of the binding maps built by Batch.Bindings, for the loader's
// scripts. A vertex map is {label, idKey, id, props}; an edge map is
// {label, fromLabel, fromKey, fromId, toLabel, toKey, toId, props}. props
// holds every other property, keyed by property name, with Go values of the
// declared DataType (int64, float64, string, bool).
const (
	BindLabel     = "label"
	BindIDKey     = "idKey"
	BindID        = "id"
	BindFromLabel = "fromLabel"
	BindFromKey   = "fromKey"
	BindFromID    = "fromId"
	BindToLabel   = "toLabel"
	BindToKey     = "toKey"
	BindToID      = "toId"
	BindProps     = "props"
)

// Columns returns the file columns of label l: a vertex label's properties
// (id key first), or for an edge label fromLabel, fromId, toLabel, toId and
// its properties.
func (l Label) Columns() []string {
	info := l.Info()
	var cols []string
	if info.Kind == EdgeKind {
		cols = append(cols, ColFromLabel, ColFromID, ColToLabel, ColToID)
	}
	for _, p := range info.Props {
		cols = append(cols, p.Name)
	}
	return cols
}

// encoder appends values in JSON or CSV syntax.
type encoder struct {
	csv  bool
	keys []string // per column: `"name":` (JSON) — unused for CSV
	col  int
}

func newEncoder(l Label, csv bool) *encoder {
	e := &encoder{csv: csv}
	for _, c := range l.Columns() {
		e.keys = append(e.keys, strconv.Quote(c)+":")
	}
	return e
}

func (e *encoder) begin(dst []byte) []byte {
	e.col = 0
	if e.csv {
		return dst
	}
	return append(dst, '{')
}

func (e *encoder) end(dst []byte) []byte {
	if e.csv {
		return append(dst, '\n')
	}
	return append(dst, '}', '\n')
}

func (e *encoder) sep(dst []byte) []byte {
	if e.col > 0 {
		dst = append(dst, ',')
	}
	if !e.csv {
		dst = append(dst, e.keys[e.col]...)
	}
	e.col++
	return dst
}

func (e *encoder) int(dst []byte, v int64) []byte {
	return strconv.AppendInt(e.sep(dst), v, 10)
}

func (e *encoder) bool(dst []byte, v bool) []byte {
	return strconv.AppendBool(e.sep(dst), v)
}

func (e *encoder) float(dst []byte, v float64) []byte {
	return strconv.AppendFloat(e.sep(dst), v, 'f', -1, 64)
}

// amount appends a 2-decimal amount without strconv's float formatting.
func (e *encoder) amount(dst []byte, v float64) []byte {
	dst = e.sep(dst)
	c := int64(math.Round(v * 100))
	if c < 0 {
		dst = append(dst, '-')
		c = -c
	}
	dst = strconv.AppendInt(dst, c/100, 10)
	r := c % 100
	return append(dst, '.', byte('0'+r/10), byte('0'+r%10))
}

func (e *encoder) str(dst []byte, s string) []byte {
	dst = e.sep(dst)
	if e.csv {
		return appendCSVString(dst, s)
	}
	return graphson.AppendString(dst, s)
}

func appendCSVString(dst []byte, s string) []byte {
	quote := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			quote = true
			break
		}
	}
	if len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		quote = true
	}
	if !quote {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}

// ends appends an edge's endpoints; label names need no escaping or
// quoting in either format, so they are appended raw.
func (e *encoder) ends(dst []byte, x *Ends) []byte {
	dst = e.sep(dst)
	if !e.csv {
		dst = append(dst, '"')
	}
	dst = append(dst, x.FromLabel.String()...)
	if !e.csv {
		dst = append(dst, '"')
	}
	dst = e.int(dst, x.From)
	dst = e.sep(dst)
	if !e.csv {
		dst = append(dst, '"')
	}
	dst = append(dst, x.ToLabel.String()...)
	if !e.csv {
		dst = append(dst, '"')
	}
	return e.int(dst, x.To)
}

// AppendCSVHeader appends the CSV header line of label l.
func AppendCSVHeader(dst []byte, l Label) []byte {
	for i, c := range l.Columns() {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, c...)
	}
	return append(dst, '\n')
}

// AppendJSONL appends the batch as JSON Lines, one object per entity,
// keys in Columns order.
func (b *Batch) AppendJSONL(dst []byte) []byte { return b.appendRows(dst, newEncoder(b.Label, false)) }

// AppendCSV appends the batch as CSV rows (no header), columns in Columns
// order; see AppendCSVHeader.
func (b *Batch) AppendCSV(dst []byte) []byte { return b.appendRows(dst, newEncoder(b.Label, true)) }

func (b *Batch) appendRows(dst []byte, e *encoder) []byte {
	for i := range b.Persons {
		v := &b.Persons[i]
		dst = e.begin(dst)
		dst = e.int(dst, v.ID)
		dst = e.str(dst, v.Name)
		dst = e.bool(dst, v.IsBlocked)
		dst = e.int(dst, v.CreateTime)
		dst = e.str(dst, v.Gender)
		dst = e.int(dst, v.Birthday)
		dst = e.str(dst, v.Country)
		dst = e.str(dst, v.City)
		dst = e.end(dst)
	}
	for i := range b.Companies {
		v := &b.Companies[i]
		dst = e.begin(dst)
		dst = e.int(dst, v.ID)
		dst = e.str(dst, v.Name)
		dst = e.bool(dst, v.IsBlocked)
		dst = e.int(dst, v.CreateTime)
		dst = e.str(dst, v.Country)
		dst = e.str(dst, v.City)
		dst = e.str(dst, v.Business)
		dst = e.str(dst, v.URL)
		dst = e.end(dst)
	}
	for i := range b.Accounts {
		v := &b.Accounts[i]
		dst = e.begin(dst)
		dst = e.int(dst, v.ID)
		dst = e.int(dst, v.CreateTime)
		dst = e.bool(dst, v.IsBlocked)
		dst = e.str(dst, v.Type)
		dst = e.str(dst, v.Nickname)
		dst = e.str(dst, v.Email)
		dst = e.str(dst, v.PhoneNumber)
		dst = e.str(dst, v.AccountLevel)
		dst = e.end(dst)
	}
	for i := range b.Loans {
		v := &b.Loans[i]
		dst = e.begin(dst)
		dst = e.int(dst, v.ID)
		dst = e.amount(dst, v.LoanAmount)
		dst = e.amount(dst, v.Balance)
		dst = e.str(dst, v.Usage)
		dst = e.float(dst, v.InterestRate)
		dst = e.end(dst)
	}
	for i := range b.Media {
		v := &b.Media[i]
		dst = e.begin(dst)
		dst = e.int(dst, v.ID)
		dst = e.str(dst, v.Type)
		dst = e.int(dst, v.CreateTime)
		dst = e.bool(dst, v.IsBlocked)
		dst = e.str(dst, v.RiskLevel)
		dst = e.end(dst)
	}
	for i := range b.Addresses {
		v := &b.Addresses[i]
		dst = e.begin(dst)
		dst = e.int(dst, v.ID)
		dst = e.str(dst, v.Street)
		dst = e.str(dst, v.City)
		dst = e.str(dst, v.Postcode)
		dst = e.str(dst, v.Country)
		dst = e.end(dst)
	}
	for i := range b.Transfers {
		v := &b.Transfers[i]
		dst = e.ends(e.begin(dst), &v.Ends)
		dst = e.int(dst, v.Timestamp)
		dst = e.amount(dst, v.Amount)
		dst = e.int(dst, v.OrderNumber)
		dst = e.str(dst, v.PayType)
		dst = e.end(dst)
	}
	for i := range b.Money {
		v := &b.Money[i]
		dst = e.ends(e.begin(dst), &v.Ends)
		dst = e.int(dst, v.Timestamp)
		dst = e.amount(dst, v.Amount)
		dst = e.end(dst)
	}
	for i := range b.Times {
		v := &b.Times[i]
		dst = e.ends(e.begin(dst), &v.Ends)
		dst = e.int(dst, v.Time)
		dst = e.end(dst)
	}
	for i := range b.Notes {
		v := &b.Notes[i]
		dst = e.ends(e.begin(dst), &v.Ends)
		dst = e.int(dst, v.Timestamp)
		dst = e.str(dst, v.Note)
		dst = e.end(dst)
	}
	for i := range b.Invests {
		v := &b.Invests[i]
		dst = e.ends(e.begin(dst), &v.Ends)
		dst = e.int(dst, v.Timestamp)
		dst = e.float(dst, v.Ratio)
		dst = e.end(dst)
	}
	return dst
}

// Bindings returns the batch as the list binding the loader sends: one map
// per entity (see BindLabel for the layout).
func (b *Batch) Bindings() []map[string]any {
	out := make([]map[string]any, 0, b.Len())
	l := b.Label
	name := l.String()
	info := l.Info()
	pn := make([]string, len(info.Props))
	for i, p := range info.Props {
		pn[i] = p.Name
	}
	vertex := func(id int64, props map[string]any) {
		out = append(out, map[string]any{BindLabel: name, BindIDKey: l.IDKey(), BindID: id, BindProps: props})
	}
	edge := func(e *Ends, props map[string]any) {
		out = append(out, map[string]any{BindLabel: name,
			BindFromLabel: e.FromLabel.String(), BindFromKey: e.FromLabel.IDKey(), BindFromID: e.From,
			BindToLabel: e.ToLabel.String(), BindToKey: e.ToLabel.IDKey(), BindToID: e.To, BindProps: props})
	}
	for _, v := range b.Persons {
		vertex(v.ID, map[string]any{pn[1]: v.Name, pn[2]: v.IsBlocked, pn[3]: v.CreateTime, pn[4]: v.Gender,
			pn[5]: v.Birthday, pn[6]: v.Country, pn[7]: v.City})
	}
	for _, v := range b.Companies {
		vertex(v.ID, map[string]any{pn[1]: v.Name, pn[2]: v.IsBlocked, pn[3]: v.CreateTime, pn[4]: v.Country,
			pn[5]: v.City, pn[6]: v.Business, pn[7]: v.URL})
	}
	for _, v := range b.Accounts {
		vertex(v.ID, map[string]any{pn[1]: v.CreateTime, pn[2]: v.IsBlocked, pn[3]: v.Type, pn[4]: v.Nickname,
			pn[5]: v.Email, pn[6]: v.PhoneNumber, pn[7]: v.AccountLevel})
	}
	for _, v := range b.Loans {
		vertex(v.ID, map[string]any{pn[1]: v.LoanAmount, pn[2]: v.Balance, pn[3]: v.Usage, pn[4]: v.InterestRate})
	}
	for _, v := range b.Media {
		vertex(v.ID, map[string]any{pn[1]: v.Type, pn[2]: v.CreateTime, pn[3]: v.IsBlocked, pn[4]: v.RiskLevel})
	}
	for _, v := range b.Addresses {
		vertex(v.ID, map[string]any{pn[1]: v.Street, pn[2]: v.City, pn[3]: v.Postcode, pn[4]: v.Country})
	}
	for i := range b.Transfers {
		v := &b.Transfers[i]
		edge(&v.Ends, map[string]any{pn[0]: v.Timestamp, pn[1]: v.Amount, pn[2]: v.OrderNumber, pn[3]: v.PayType})
	}
	for i := range b.Money {
		v := &b.Money[i]
		edge(&v.Ends, map[string]any{pn[0]: v.Timestamp, pn[1]: v.Amount})
	}
	for i := range b.Times {
		v := &b.Times[i]
		edge(&v.Ends, map[string]any{pn[0]: v.Time})
	}
	for i := range b.Notes {
		v := &b.Notes[i]
		edge(&v.Ends, map[string]any{pn[0]: v.Timestamp, pn[1]: v.Note})
	}
	for i := range b.Invests {
		v := &b.Invests[i]
		edge(&v.Ends, map[string]any{pn[0]: v.Timestamp, pn[1]: v.Ratio})
	}
	return out
}
