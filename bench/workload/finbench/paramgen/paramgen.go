// Package paramgen curates the parameters of the FinBench operations of
// package finbench from the data a run starts with, like FinBench's
// paramgen: start vertices of comparable neighbourhood sizes (the middle
// of each candidate list sorted by size, so that no read meets a hub and
// none an empty neighbourhood), FinBench's default truncation (500 newest
// edges per vertex and step), a time window over the whole data, and the
// parameters of the writes that the update stream does not hold (new
// vertices, deletions, blocks, read-writes).
//
// [Curate] is a pure function of the graph and the [Config]: the same data
// and seed give the same [Params], whatever the order the graph was built
// in. Params is plain JSON, stored with a run so that a later run can
// replay the same parameter lists in the same order.
package paramgen

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload/finbench"
	"github.com/graphperf/graphperf/bench/workload/finbench/oracle"
)

// DefaultPerType is the number of parameter sets curated per operation
// type when Config.PerType is 0.
const DefaultPerType = 50

// Config configures [Curate]. The zero value is usable.
type Config struct {
	// Seed orders the curated lists (a seeded shuffle). Default 0.
	Seed uint64
	// PerType is the number of parameter sets per operation type. Default
	// [DefaultPerType].
	PerType int
	// Window is the reads' time window. Default: the whole generated span
	// (banking.SpanStart-1, banking.SpanEnd), open at both ends.
	Window finbench.Window
	// WriteTime is the timestamp of the curated writes (new vertices,
	// read-write transfers), epoch ms. Default banking.SpanEnd-1, after
	// every generated element.
	WriteTime int64
}

// Params are the curated parameters, one list per operation type.
type Params struct {
	// Seed and PerType are the Config they were curated with.
	Seed    uint64 `json:"seed"`
	PerType int    `json:"perType"`

	TSR1 []finbench.TSR1Params `json:"TSR1,omitempty"`
	TSR2 []finbench.TSR2Params `json:"TSR2,omitempty"`
	TSR3 []finbench.TSR3Params `json:"TSR3,omitempty"`
	TSR4 []finbench.TSR4Params `json:"TSR4,omitempty"`
	TSR5 []finbench.TSR5Params `json:"TSR5,omitempty"`
	TSR6 []finbench.TSR6Params `json:"TSR6,omitempty"`

	TCR1  []finbench.TCR1Params  `json:"TCR1,omitempty"`
	TCR2  []finbench.TCR2Params  `json:"TCR2,omitempty"`
	TCR3  []finbench.TCR3Params  `json:"TCR3,omitempty"`
	TCR4  []finbench.TCR4Params  `json:"TCR4,omitempty"`
	TCR5  []finbench.TCR5Params  `json:"TCR5,omitempty"`
	TCR6  []finbench.TCR6Params  `json:"TCR6,omitempty"`
	TCR7  []finbench.TCR7Params  `json:"TCR7,omitempty"`
	TCR8  []finbench.TCR8Params  `json:"TCR8,omitempty"`
	TCR9  []finbench.TCR9Params  `json:"TCR9,omitempty"`
	TCR10 []finbench.TCR10Params `json:"TCR10,omitempty"`
	TCR11 []finbench.TCR11Params `json:"TCR11,omitempty"`
	TCR12 []finbench.TCR12Params `json:"TCR12,omitempty"`

	TW1  []finbench.TW1Params  `json:"TW1,omitempty"`
	TW2  []finbench.TW2Params  `json:"TW2,omitempty"`
	TW3  []finbench.TW3Params  `json:"TW3,omitempty"`
	TW4  []finbench.TW4Params  `json:"TW4,omitempty"`
	TW5  []finbench.TW5Params  `json:"TW5,omitempty"`
	TW6  []finbench.TW6Params  `json:"TW6,omitempty"`
	TW7  []finbench.TW7Params  `json:"TW7,omitempty"`
	TW17 []finbench.TW17Params `json:"TW17,omitempty"`
	TW18 []finbench.TW18Params `json:"TW18,omitempty"`
	TW19 []finbench.TW19Params `json:"TW19,omitempty"`

	TRW1 []finbench.TRW1Params `json:"TRW1,omitempty"`
	TRW2 []finbench.TRW2Params `json:"TRW2,omitempty"`
	TRW3 []finbench.TRW3Params `json:"TRW3,omitempty"`
}

// Thresholds of the curated reads, in the data's currency units. The
// generated transfers are log-uniform between 1 and 50,000 (ordinary) or
// 10 and 5,000,000 (pattern-adjacent), so these keep a share of each
// neighbourhood in every answer.
const (
	TransferThreshold = 100.0 // TSR3–TSR5, TCR6 (into the mid account), TCR7, TCR9
	WithdrawThreshold = 100.0 // TCR6 (mid account to the card)
	TCR8Factor        = 0.1   // TCR8: an edge must carry more than this share of its inflow
	RatioThreshold    = 2.0   // TRW2: abort when an in/out ratio exceeds it
	GuaranteeLimit    = 1e9   // TRW3: abort when the chain's loan sum exceeds it
)

// ErrNoCandidates is matched (with errors.Is) by the error of [Curate]
// when the graph has no vertex to start some operation from.
var ErrNoCandidates = errors.New("paramgen: no candidate vertices")

// cand is a candidate start vertex with its neighbourhood size.
type cand struct {
	id   int64
	size int
}

// pick returns the ids of up to n candidates with sizes closest to the
// median (the middle n of the list sorted by size, then id), shuffled by
// a PCG stream of (seed, stream).
func pick(cs []cand, n int, seed, stream uint64) []int64 {
	slices.SortFunc(cs, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.size, b.size), cmp.Compare(a.id, b.id))
	})
	lo := max(0, (len(cs)-n)/2)
	mid := cs[lo:min(len(cs), lo+n)]
	ids := make([]int64, len(mid))
	for i, c := range mid {
		ids[i] = c.id
	}
	r := rand.New(rand.NewPCG(seed, stream))
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return ids
}

func acc(id int64) oracle.Ref { return oracle.Ref{Label: banking.Account, ID: id} }

func person(id int64) oracle.Ref { return oracle.Ref{Label: banking.Person, ID: id} }

// transferDegree is an account's number of transfers in and out.
func transferDegree(g *oracle.Graph, id int64) int {
	return len(g.Out(banking.Transfer, acc(id))) + len(g.In(banking.Transfer, acc(id)))
}

// ownedAccounts returns the ids of the accounts a person or company owns.
func ownedAccounts(g *oracle.Graph, owner oracle.Ref) []int64 {
	var ids []int64
	for _, e := range g.Out(banking.Own, owner) {
		ids = append(ids, e.To.ID)
	}
	return ids
}

// Curate returns the parameters of every operation type curated from g,
// the graph as the run starts (the bulk part of a split dataset).
func Curate(g *oracle.Graph, cfg Config) (*Params, error) {
	if cfg.PerType < 0 {
		return nil, fmt.Errorf("paramgen: %d parameter sets per type, want a positive number", cfg.PerType)
	}
	if cfg.PerType == 0 {
		cfg.PerType = DefaultPerType
	}
	if cfg.Window == (finbench.Window{}) {
		cfg.Window = finbench.Window{Start: banking.SpanStart - 1, End: banking.SpanEnd}
	}
	if cfg.WriteTime == 0 {
		cfg.WriteTime = banking.SpanEnd - 1
	}
	n, w, seed := cfg.PerType, cfg.Window, cfg.Seed
	p := &Params{Seed: seed, PerType: n}
	var tr finbench.Truncation // FinBench's default: 500 newest

	// Accounts with transfers, by transfer degree.
	var accounts, cards []cand
	for _, id := range g.IDs(banking.Account) {
		if d := transferDegree(g, id); d > 0 {
			accounts = append(accounts, cand{id, d})
		}
		if len(g.In(banking.Withdraw, acc(id))) > 0 {
			in := 0
			for _, e := range g.In(banking.Withdraw, acc(id)) {
				in += len(g.In(banking.Transfer, e.From))
			}
			cards = append(cards, cand{id, in})
		}
	}
	// Persons by the transfer degree of their accounts; investors and
	// guarantors by their edges.
	var persons, investors, guarantors []cand
	for _, id := range g.IDs(banking.Person) {
		d := 0
		for _, a := range ownedAccounts(g, person(id)) {
			d += transferDegree(g, a)
		}
		if d > 0 {
			persons = append(persons, cand{id, d})
		}
		if k := len(g.Out(banking.Invest, person(id))); k > 0 {
			investors = append(investors, cand{id, k})
		}
		if k := len(g.Out(banking.Guarantee, person(id))); k > 0 {
			guarantors = append(guarantors, cand{id, k})
		}
	}
	var loans []cand
	for _, id := range g.IDs(banking.Loan) {
		d := 0
		for _, e := range g.Out(banking.Deposit, oracle.Ref{Label: banking.Loan, ID: id}) {
			d += len(g.Out(banking.Transfer, e.To))
		}
		if d > 0 {
			loans = append(loans, cand{id, d})
		}
	}
	for what, cs := range map[string][]cand{"accounts with transfers": accounts, "persons with transferring accounts": persons} {
		if len(cs) < 2 {
			return nil, fmt.Errorf("%w: %d %s", ErrNoCandidates, len(cs), what)
		}
	}

	// One stream per list, so that adding a type does not reorder others.
	a := pick(slices.Clone(accounts), n, seed, 1)
	ps := pick(slices.Clone(persons), n, seed, 2)
	for _, id := range a {
		p.TSR1 = append(p.TSR1, finbench.TSR1Params{ID: id})
		p.TSR2 = append(p.TSR2, finbench.TSR2Params{ID: id, Window: w})
		p.TSR3 = append(p.TSR3, finbench.TSR3Params{ID: id, Threshold: TransferThreshold, Window: w})
		p.TSR4 = append(p.TSR4, finbench.TSR4Params{ID: id, Threshold: TransferThreshold, Window: w})
		p.TSR5 = append(p.TSR5, finbench.TSR5Params{ID: id, Threshold: TransferThreshold, Window: w})
		p.TSR6 = append(p.TSR6, finbench.TSR6Params{ID: id, Window: w})
		p.TCR1 = append(p.TCR1, finbench.TCR1Params{ID: id, Window: w, Truncation: tr})
		p.TCR7 = append(p.TCR7, finbench.TCR7Params{ID: id, Threshold: TransferThreshold, Window: w, Truncation: tr})
		p.TCR9 = append(p.TCR9, finbench.TCR9Params{ID: id, Threshold: TransferThreshold, Window: w, Truncation: tr})
	}
	for i, id := range a {
		// TCR3: two curated accounts; TCR4: a transfer of the account.
		p.TCR3 = append(p.TCR3, finbench.TCR3Params{ID1: id, ID2: a[(i+1)%len(a)], Window: w})
		if out := g.Out(banking.Transfer, acc(id)); len(out) > 0 {
			// The newest transfer (ties: the smallest destination), whatever
			// the order the graph was built in.
			e := slices.MaxFunc(out, func(x, y *oracle.Edge) int {
				return cmp.Or(cmp.Compare(x.Timestamp, y.Timestamp), cmp.Compare(y.To.ID, x.To.ID))
			})
			p.TCR4 = append(p.TCR4, finbench.TCR4Params{ID1: id, ID2: e.To.ID, Window: w})
		}
	}
	for _, id := range ps {
		p.TCR2 = append(p.TCR2, finbench.TCR2Params{ID: id, Window: w, Truncation: tr})
		p.TCR5 = append(p.TCR5, finbench.TCR5Params{ID: id, Window: w, Truncation: tr})
		p.TCR12 = append(p.TCR12, finbench.TCR12Params{ID: id, Window: w, Truncation: tr})
	}
	for _, id := range pick(cards, n, seed, 3) {
		p.TCR6 = append(p.TCR6, finbench.TCR6Params{ID: id, Threshold1: TransferThreshold, Threshold2: WithdrawThreshold,
			Window: w, Truncation: tr})
	}
	for _, id := range pick(loans, n, seed, 4) {
		p.TCR8 = append(p.TCR8, finbench.TCR8Params{ID: id, Threshold: TCR8Factor, Window: w, Truncation: tr})
	}
	inv := pick(investors, n, seed, 5)
	for i := 0; i+1 < len(inv); i++ {
		p.TCR10 = append(p.TCR10, finbench.TCR10Params{PID1: inv[i], PID2: inv[i+1], Window: w})
	}
	gs := pick(guarantors, n, seed, 6)
	for _, id := range gs {
		p.TCR11 = append(p.TCR11, finbench.TCR11Params{ID: id, Window: w, Truncation: tr})
	}
	curateWrites(g, p, cfg, a, ps)
	return p, nil
}

// nextID returns the first unused business id of label l.
func nextID(g *oracle.Graph, l banking.Label) int64 {
	ids := g.IDs(l)
	if len(ids) == 0 {
		return banking.ID(l, 0)
	}
	return ids[len(ids)-1] + 1
}

// curateWrites adds the writes the update stream does not hold: n new
// persons, companies, media, accounts and loans (fresh ids after the
// data's), n blocks of curated accounts and persons, n removals of
// accounts that no read starts from, and n read-writes between curated
// vertices. The read-write transfers carry order numbers after the
// data's and the write time.
func curateWrites(g *oracle.Graph, p *Params, cfg Config, accounts, persons []int64) {
	n, t := cfg.PerType, cfg.WriteTime
	pid, cid, mid := nextID(g, banking.Person), nextID(g, banking.Company), nextID(g, banking.Medium)
	aid, lid := nextID(g, banking.Account), nextID(g, banking.Loan)
	companies := g.IDs(banking.Company)
	for i := range n {
		k := int64(i)
		p.TW1 = append(p.TW1, finbench.TW1Params{ID: pid + k, Name: fmt.Sprintf("New Person %d", i), CreateTime: t,
			Gender: "female", Birthday: banking.SpanStart - 30*365*86400000, Country: "Nowhere", City: "Newtown"})
		p.TW2 = append(p.TW2, finbench.TW2Params{ID: cid + k, Name: fmt.Sprintf("New Company %d", i), CreateTime: t,
			Country: "Nowhere", City: "Newtown", Business: "software", URL: "https://example.com"})
		p.TW3 = append(p.TW3, finbench.TW3Params{ID: mid + k, Type: "IP", CreateTime: t, IsBlocked: i%4 == 0, RiskLevel: "high"})
		account := func(j int64) banking.AccountV {
			return banking.AccountV{ID: aid + j, CreateTime: t, Type: "personalDeposit", Nickname: "new", Email: "new@example.com",
				PhoneNumber: "000", AccountLevel: "basic"}
		}
		loan := func(j int64) banking.LoanV {
			return banking.LoanV{ID: lid + j, LoanAmount: 10000, Balance: 10000, Usage: "car", InterestRate: 0.05}
		}
		p.TW4 = append(p.TW4, finbench.TW4Params{PersonID: persons[i%len(persons)], Account: account(2 * k), Time: t})
		p.TW6 = append(p.TW6, finbench.TW6Params{PersonID: persons[i%len(persons)], Loan: loan(2 * k), Time: t,
			Organization: "Harbor Savings"})
		if len(companies) > 0 {
			c := companies[(i*7919)%len(companies)]
			p.TW5 = append(p.TW5, finbench.TW5Params{CompanyID: c, Account: account(2*k + 1), Time: t})
			p.TW7 = append(p.TW7, finbench.TW7Params{CompanyID: c, Loan: loan(2*k + 1), Time: t, Organization: "Pioneer Trust"})
		}
		p.TW18 = append(p.TW18, finbench.TW18Params{AccountID: accounts[i%len(accounts)]})
		p.TW19 = append(p.TW19, finbench.TW19Params{PersonID: persons[i%len(persons)]})
		from, to := accounts[i%len(accounts)], accounts[(i+1)%len(accounts)]
		tr := finbench.Transfer{From: from, To: to, Time: t, Amount: 1234.56, OrderNumber: 9_000_000_000 + k, PayType: "wire"}
		p.TRW1 = append(p.TRW1, finbench.TRW1Params{Transfer: tr, Window: cfg.Window})
		tr.OrderNumber += int64(n)
		p.TRW2 = append(p.TRW2, finbench.TRW2Params{Transfer: tr, AmountThreshold: TransferThreshold,
			RatioThreshold: RatioThreshold, Window: cfg.Window})
		p.TRW3 = append(p.TRW3, finbench.TRW3Params{Guarantee: finbench.TW10Params{PersonID1: persons[i%len(persons)],
			PersonID2: persons[(i+1)%len(persons)], Time: t, Relationship: "business"}, Threshold: GuaranteeLimit,
			Window: cfg.Window})
	}
	// Removals: accounts no curated read or write starts from, the
	// least-connected first (deterministic: degree, then id).
	used := map[int64]bool{}
	for _, id := range accounts {
		used[id] = true
	}
	var spare []cand
	for _, id := range g.IDs(banking.Account) {
		if !used[id] {
			spare = append(spare, cand{id, transferDegree(g, id)})
		}
	}
	slices.SortFunc(spare, func(a, b cand) int { return cmp.Or(cmp.Compare(a.size, b.size), cmp.Compare(a.id, b.id)) })
	for _, c := range spare[:min(n, len(spare))] {
		p.TW17 = append(p.TW17, finbench.TW17Params{AccountID: c.id})
	}
}
