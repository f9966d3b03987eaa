package banking

import (
	"context"
	"math"
	"slices"
	"sort"
)

// splitMode selects which elements a generator emits.
type splitMode uint8

const (
	emitBulk    splitMode = iota // elements before UpdateStart (all without a split)
	emitUpdates                  // elements at or after UpdateStart
)

// UpdateStart returns the split time of a configuration with
// Config.UpdateShare > 0: elements whose time is at or after it form the
// update stream. Without a split it is SpanEnd, after every element.
func (g *Generator) UpdateStart() int64 { return g.updateStart }

// Split reports whether the configuration splits the data into a bulk part
// and an update stream (Config.UpdateShare > 0).
func (g *Generator) Split() bool { return g.updateStart < SpanEnd }

func updateStart(share float64) int64 {
	if share <= 0 {
		return SpanEnd
	}
	return SpanStart + int64(math.Round((1-share)*float64(SpanEnd-SpanStart)))
}

// Time returns the time of element i of b that decides its side of the
// split: an edge's timestamp (own: createTime; livesAt, registeredAt:
// since), a vertex's createTime; ok is false for labels without a time
// (Loan, Address), which always belong to the bulk part.
func (b *Batch) Time(i int) (t int64, ok bool) {
	switch b.Label {
	case Person:
		return b.Persons[i].CreateTime, true
	case Company:
		return b.Companies[i].CreateTime, true
	case Account:
		return b.Accounts[i].CreateTime, true
	case Medium:
		return b.Media[i].CreateTime, true
	case Loan, Address:
		return 0, false
	case Transfer:
		return b.Transfers[i].Timestamp, true
	case Withdraw, Deposit, Repay:
		return b.Money[i].Timestamp, true
	case Own, LivesAt, RegisteredAt:
		return b.Times[i].Time, true
	case SignIn, Apply, Guarantee:
		return b.Notes[i].Timestamp, true
	case Invest:
		return b.Invests[i].Timestamp, true
	}
	return 0, false
}

// keepSide keeps the elements of b on one side of the split, in order.
func keepSide(b *Batch, start int64, mode splitMode) {
	keep := func(i int) bool {
		t, ok := b.Time(i)
		late := ok && t >= start
		return late == (mode == emitUpdates)
	}
	b.Persons = filterIdx(b.Persons, keep)
	b.Companies = filterIdx(b.Companies, keep)
	b.Accounts = filterIdx(b.Accounts, keep)
	b.Loans = filterIdx(b.Loans, keep)
	b.Media = filterIdx(b.Media, keep)
	b.Addresses = filterIdx(b.Addresses, keep)
	b.Transfers = filterIdx(b.Transfers, keep)
	b.Money = filterIdx(b.Money, keep)
	b.Times = filterIdx(b.Times, keep)
	b.Notes = filterIdx(b.Notes, keep)
	b.Invests = filterIdx(b.Invests, keep)
}

// filterIdx keeps the elements of s whose index satisfies keep; keep sees
// the original indexes (it is evaluated before any element moves).
func filterIdx[T any](s []T, keep func(int) bool) []T {
	if len(s) == 0 {
		return s
	}
	marks := make([]bool, len(s))
	for i := range s {
		marks[i] = keep(i)
	}
	out := s[:0]
	for i, x := range s {
		if marks[i] {
			out = append(out, x)
		}
	}
	return slices.Clip(out)
}

// Element returns element i of b as a batch of its own (same label and
// partition).
func (b *Batch) Element(i int) *Batch {
	e := &Batch{Label: b.Label, Partition: b.Partition}
	switch {
	case len(b.Persons) > 0:
		e.Persons = []PersonV{b.Persons[i]}
	case len(b.Companies) > 0:
		e.Companies = []CompanyV{b.Companies[i]}
	case len(b.Accounts) > 0:
		e.Accounts = []AccountV{b.Accounts[i]}
	case len(b.Loans) > 0:
		e.Loans = []LoanV{b.Loans[i]}
	case len(b.Media) > 0:
		e.Media = []MediumV{b.Media[i]}
	case len(b.Addresses) > 0:
		e.Addresses = []AddressV{b.Addresses[i]}
	case len(b.Transfers) > 0:
		e.Transfers = []TransferE{b.Transfers[i]}
	case len(b.Money) > 0:
		e.Money = []MoneyE{b.Money[i]}
	case len(b.Times) > 0:
		e.Times = []TimeE{b.Times[i]}
	case len(b.Notes) > 0:
		e.Notes = []NoteE{b.Notes[i]}
	case len(b.Invests) > 0:
		e.Invests = []InvestE{b.Invests[i]}
	}
	return e
}

// SortUpdates orders an update stream of one-element batches by time;
// elements of equal time keep label order, then their order in us (the
// generation order when us is in stream order). It is the one order of an
// update stream, so that every reader replays it the same way.
func SortUpdates(us []*Batch) {
	sort.SliceStable(us, func(i, j int) bool {
		ti, _ := us[i].Time(0)
		tj, _ := us[j].Time(0)
		if ti != tj {
			return ti < tj
		}
		return us[i].Label < us[j].Label
	})
}

// Updates returns the update stream of a split configuration: every
// element at or after UpdateStart, as one-element batches in time order
// (see SortUpdates). It generates the data once more; without a split it
// is empty. The stream is a pure function of the configuration, like Run's.
func (g *Generator) Updates(ctx context.Context) ([]*Batch, error) {
	if !g.Split() {
		return nil, nil
	}
	u := *g
	u.mode = emitUpdates
	u.cfg.SkipValidation = true // the bulk part's vertices are not in this stream
	var out []*Batch
	err := u.Run(ctx, func(b *Batch) error {
		for i := range b.Len() {
			out = append(out, b.Element(i))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	SortUpdates(out)
	return out, nil
}
