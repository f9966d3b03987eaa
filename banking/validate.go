package banking

import (
	"fmt"
	"math"
	"strconv"
)

// ValidationError names an invalid entity: its label, its id (an edge's
// from id, with To set), the field and the problem.
type ValidationError struct {
	Label   Label
	ID      int64
	To      int64 // edges only
	Field   string
	Problem string
}

// Error implements the error interface.
func (e *ValidationError) Error() string {
	id := strconv.FormatInt(e.ID, 10)
	if e.Label.Kind() == EdgeKind {
		id += "->" + strconv.FormatInt(e.To, 10)
	}
	return fmt.Sprintf("banking: invalid %s %s: field %s: %s", e.Label, id, e.Field, e.Problem)
}

// Validator checks batches in stream order: ids unique within a label,
// edge endpoints among the vertices already emitted, timestamps inside the
// span, amounts positive with 2 decimals. It keeps one bitset per vertex
// label (1 bit per vertex).
type Validator struct {
	sizes Sizes
	seen  [NumVertexLabels][]uint64
	// from/to are bitmasks of the vertex labels allowed at each edge end.
	from, to [NumLabels]uint8
}

func newValidator(s Sizes) *Validator {
	v := &Validator{sizes: s}
	for l := range Label(NumVertexLabels) {
		v.seen[l] = make([]uint64, (s.Count(l)+63)/64)
	}
	for _, info := range labelTable() {
		for _, f := range info.From {
			v.from[info.Label] |= 1 << f
		}
		for _, t := range info.To {
			v.to[info.Label] |= 1 << t
		}
	}
	return v
}

// NewValidator returns a Validator for a graph of the given sizes, for
// readers of generated files. Feed it every batch in stream order (vertices
// before edges), as Run does.
func NewValidator(s Sizes) *Validator { return newValidator(s) }

// Check validates one batch; see Validator.
func (v *Validator) Check(b *Batch) error { return v.check(b) }

func inSpan(ts int64) bool { return ts >= SpanStart && ts < SpanEnd }

// twoDecimals reports whether a is positive with at most 2 decimals.
func twoDecimals(a float64) bool {
	if !(a > 0) || a > 1e13 {
		return false
	}
	c := a * 100
	return math.Abs(c-math.Round(c)) < 1e-4
}

func (v *Validator) add(l Label, id int64) error {
	idx := IndexOf(l, id)
	if idx < 0 || idx >= int64(v.sizes.Count(l)) {
		return &ValidationError{Label: l, ID: id, Field: l.IDKey(), Problem: "id outside the label's id space"}
	}
	w, bit := idx>>6, uint64(1)<<(idx&63)
	if v.seen[l][w]&bit != 0 {
		return &ValidationError{Label: l, ID: id, Field: l.IDKey(), Problem: "duplicate id"}
	}
	v.seen[l][w] |= bit
	return nil
}

func (v *Validator) exists(l Label, id int64) bool {
	if int(l) >= NumVertexLabels {
		return false
	}
	idx := IndexOf(l, id)
	if idx < 0 || idx >= int64(v.sizes.Count(l)) {
		return false
	}
	return v.seen[l][idx>>6]&(1<<(idx&63)) != 0
}

func (v *Validator) ends(l Label, e *Ends) error {
	bad := func(field, problem string) error {
		return &ValidationError{Label: l, ID: e.From, To: e.To, Field: field, Problem: problem}
	}
	if v.from[l]&(1<<e.FromLabel) == 0 {
		return bad(ColFromLabel, "label "+e.FromLabel.String()+" not allowed")
	}
	if v.to[l]&(1<<e.ToLabel) == 0 {
		return bad(ColToLabel, "label "+e.ToLabel.String()+" not allowed")
	}
	if !v.exists(e.FromLabel, e.From) {
		return bad(ColFromID, e.FromLabel.String()+" "+strconv.FormatInt(e.From, 10)+" does not exist")
	}
	if !v.exists(e.ToLabel, e.To) {
		return bad(ColToID, e.ToLabel.String()+" "+strconv.FormatInt(e.To, 10)+" does not exist")
	}
	return nil
}

func (v *Validator) edge(l Label, e *Ends, ts int64, tsField string, amount float64, hasAmount bool) error {
	if err := v.ends(l, e); err != nil {
		return err
	}
	if !inSpan(ts) {
		return &ValidationError{Label: l, ID: e.From, To: e.To, Field: tsField, Problem: "timestamp " + strconv.FormatInt(ts, 10) + " outside the generated span"}
	}
	if hasAmount && !twoDecimals(amount) {
		return &ValidationError{Label: l, ID: e.From, To: e.To, Field: "amount", Problem: strconv.FormatFloat(amount, 'g', -1, 64) + " is not a positive amount with 2 decimals"}
	}
	return nil
}

func (v *Validator) vertexTime(l Label, id int64, ts int64) error {
	if !inSpan(ts) {
		return &ValidationError{Label: l, ID: id, Field: "createTime", Problem: "timestamp " + strconv.FormatInt(ts, 10) + " outside the generated span"}
	}
	return nil
}

func (v *Validator) check(b *Batch) error {
	l := b.Label
	for i := range b.Persons {
		e := &b.Persons[i]
		if err := v.add(l, e.ID); err != nil {
			return err
		}
		if err := v.vertexTime(l, e.ID, e.CreateTime); err != nil {
			return err
		}
	}
	for i := range b.Companies {
		e := &b.Companies[i]
		if err := v.add(l, e.ID); err != nil {
			return err
		}
		if err := v.vertexTime(l, e.ID, e.CreateTime); err != nil {
			return err
		}
	}
	for i := range b.Accounts {
		e := &b.Accounts[i]
		if err := v.add(l, e.ID); err != nil {
			return err
		}
		if err := v.vertexTime(l, e.ID, e.CreateTime); err != nil {
			return err
		}
	}
	for i := range b.Loans {
		e := &b.Loans[i]
		if err := v.add(l, e.ID); err != nil {
			return err
		}
		if !twoDecimals(e.LoanAmount) {
			return &ValidationError{Label: l, ID: e.ID, Field: "loanAmount", Problem: "not a positive amount with 2 decimals"}
		}
		if e.Balance != 0 && !twoDecimals(e.Balance) {
			return &ValidationError{Label: l, ID: e.ID, Field: "balance", Problem: "not an amount with 2 decimals"}
		}
	}
	for i := range b.Media {
		e := &b.Media[i]
		if err := v.add(l, e.ID); err != nil {
			return err
		}
		if err := v.vertexTime(l, e.ID, e.CreateTime); err != nil {
			return err
		}
	}
	for i := range b.Addresses {
		if err := v.add(l, b.Addresses[i].ID); err != nil {
			return err
		}
	}
	for i := range b.Transfers {
		e := &b.Transfers[i]
		if err := v.edge(l, &e.Ends, e.Timestamp, "timestamp", e.Amount, true); err != nil {
			return err
		}
	}
	for i := range b.Money {
		e := &b.Money[i]
		if err := v.edge(l, &e.Ends, e.Timestamp, "timestamp", e.Amount, true); err != nil {
			return err
		}
	}
	tsField := "createTime"
	if l != Own {
		tsField = "since"
	}
	for i := range b.Times {
		e := &b.Times[i]
		if err := v.edge(l, &e.Ends, e.Time, tsField, 0, false); err != nil {
			return err
		}
	}
	for i := range b.Notes {
		e := &b.Notes[i]
		if err := v.edge(l, &e.Ends, e.Timestamp, "timestamp", 0, false); err != nil {
			return err
		}
	}
	for i := range b.Invests {
		e := &b.Invests[i]
		if err := v.edge(l, &e.Ends, e.Timestamp, "timestamp", 0, false); err != nil {
			return err
		}
	}
	return nil
}
