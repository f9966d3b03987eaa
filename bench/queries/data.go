package queries

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/graphperf/graphperf/banking"
)

// edge is one timed money movement as the reference computations need it:
// the account (or loan) at the other end, its timestamp and amount.
type edge struct {
	other  int64
	ts     int64
	amount float64
}

// account is what the checks need of an Account vertex.
type account struct {
	createTime   int64
	isBlocked    bool
	typ          string
	accountLevel string
}

// Data is an in-memory index of the generated graph, built from the very
// batches that were loaded: it serves deterministic parameter curation and the
// independent (Go) computation of the expected answers. Only the labels the
// queries need are kept (accounts, loans, transfer, withdraw and deposit
// edges), compactly.
type Data struct {
	truth    *banking.GroundTruth
	counts   map[string]int64
	accounts map[int64]account
	loans    map[int64]float64 // loanId → loanAmount
	out, in  map[int64][]edge  // transfers by source / by target account
	wdIn     map[int64][]edge  // withdraws by target (card) account
	deposits map[int64][]edge  // deposits by loan
	finished bool
}

// NewData returns an empty index for a graph whose injected patterns are
// truth (nil means none). Feed it every batch with Add, then call Finish.
func NewData(truth *banking.GroundTruth) *Data {
	if truth == nil {
		truth = &banking.GroundTruth{}
	}
	return &Data{
		truth: truth, counts: map[string]int64{},
		accounts: map[int64]account{}, loans: map[int64]float64{},
		out: map[int64][]edge{}, in: map[int64][]edge{},
		wdIn: map[int64][]edge{}, deposits: map[int64][]edge{},
	}
}

// Collect builds a finished Data from a batch stream: run is called once with
// an emit function (for example a generator's Run, or a dataset's Read with
// its batch size bound).
func Collect(ctx context.Context, truth *banking.GroundTruth, run func(ctx context.Context, emit func(*banking.Batch) error) error) (*Data, error) {
	d := NewData(truth)
	if err := run(ctx, func(b *banking.Batch) error { d.Add(b); return nil }); err != nil {
		return nil, fmt.Errorf("queries: reading the generated data: %w", err)
	}
	d.Finish()
	return d, nil
}

// Add indexes one batch. Batches may come in any order.
func (d *Data) Add(b *banking.Batch) {
	d.counts[b.Label.String()] += int64(b.Len())
	switch b.Label {
	case banking.Account:
		for _, a := range b.Accounts {
			d.accounts[a.ID] = account{a.CreateTime, a.IsBlocked, a.Type, a.AccountLevel}
		}
	case banking.Loan:
		for _, l := range b.Loans {
			d.loans[l.ID] = l.LoanAmount
		}
	case banking.Transfer:
		for _, t := range b.Transfers {
			d.out[t.From] = append(d.out[t.From], edge{t.To, t.Timestamp, t.Amount})
			d.in[t.To] = append(d.in[t.To], edge{t.From, t.Timestamp, t.Amount})
		}
	case banking.Withdraw:
		for _, w := range b.Money {
			d.wdIn[w.To] = append(d.wdIn[w.To], edge{w.From, w.Timestamp, w.Amount})
		}
	case banking.Deposit:
		for _, w := range b.Money {
			d.deposits[w.From] = append(d.deposits[w.From], edge{w.To, w.Timestamp, w.Amount})
		}
	}
}

// Finish sorts every adjacency list newest first, as the queries' truncated
// expansions see them.
func (d *Data) Finish() {
	for _, m := range []map[int64][]edge{d.out, d.in, d.wdIn, d.deposits} {
		for _, es := range m {
			slices.SortFunc(es, func(a, b edge) int {
				// Newest first; ties broken by the other end so the
				// order is deterministic.
				if c := cmp.Compare(b.ts, a.ts); c != 0 {
					return c
				}
				return cmp.Compare(a.other, b.other)
			})
		}
	}
	d.finished = true
}

// Counts returns the number of elements per label name ("Account",
// "transfer", ...) seen by Add.
func (d *Data) Counts() map[string]int64 {
	out := make(map[string]int64, len(d.counts))
	for k, v := range d.counts {
		out[k] = v
	}
	return out
}

// VertexCounts returns the number of vertices per vertex label name,
// including labels with none.
func (d *Data) VertexCounts() map[string]int64 {
	out := map[string]int64{}
	for _, info := range banking.Labels() {
		if info.Kind == banking.VertexKind {
			out[info.Name] = d.counts[info.Name]
		}
	}
	return out
}

// ElementCounts returns the number of vertices and edges per label name,
// including labels with none (what CheckLoaded expects).
func (d *Data) ElementCounts() map[string]int64 {
	out := map[string]int64{}
	for _, info := range banking.Labels() {
		out[info.Name] = d.counts[info.Name]
	}
	return out
}

// Truth returns the ground truth of the injected patterns.
func (d *Data) Truth() *banking.GroundTruth { return d.truth }

// trunc returns the newest n edges of es (es is sorted newest first).
func trunc(es []edge, n int) []edge {
	if len(es) > n {
		return es[:n]
	}
	return es
}

// sortedAccounts returns every account id in ascending order.
func (d *Data) sortedAccounts() []int64 {
	ids := make([]int64, 0, len(d.accounts))
	for id := range d.accounts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
