package queries

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/graphperf/graphperf/banking"
)

// Truncated expansions (FinBench): a vertex's edges of one label, newest
// first, at most `trunc` of them.
const (
	outT = "local(outE('transfer').order().by('timestamp',desc).limit(trunc))"
	inT  = "local(inE('transfer').order().by('timestamp',desc).limit(trunc))"
)

const (
	day  = int64(86_400_000)
	year = 365 * day
)

// orZero makes an aggregation that has no input (sum or max of nothing)
// answer 0 instead of nothing, so that a map projected from it always has
// every key: empty results have the same shape as full ones.
func orZero(agg string) string { return "coalesce(" + agg + ", constant(0.0d))" }

// requireKeys fails when an answer map lacks one of keys: every key is
// present, 0 for none.
func requireKeys(m map[string]any, keys ...string) error {
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return fmt.Errorf("the answer lacks %q (empty results must have every key)", k)
		}
	}
	return nil
}

// ---- non-pattern queries: checked against a computation in Go ----

func accountLookup() Query {
	return Query{
		Name:    "account-lookup",
		Purpose: "TSR1: one account by id (unique composite index): the latency floor",
		Script: `g.V().has('Account','accountId',aid).` +
			`project('accountId','createTime','isBlocked','type','accountLevel').` +
			`by('accountId').by('createTime').by('isBlocked').by('type').by('accountLevel')`,
		cases: func(d *Data, cfg Config) ([]Case, error) {
			ids := comparable(d.sortedAccounts(), func(int64) int { return 1 }, cfg.Params, "account-lookup")
			var cs []Case
			for _, id := range ids {
				a := d.accounts[id]
				cs = append(cs, Case{
					Bindings: map[string]any{"aid": id},
					Want:     fmt.Sprintf("account %d createTime=%d isBlocked=%v type=%s accountLevel=%s", id, a.createTime, a.isBlocked, a.typ, a.accountLevel),
					check: func(res []any) error {
						m, err := singleMap(res)
						if err != nil {
							return err
						}
						gotID, _ := int64Field(m, "accountId", -1)
						ct, _ := int64Field(m, "createTime", -1)
						bl, _ := m["isBlocked"].(bool)
						typ, _ := m["type"].(string)
						lvl, _ := m["accountLevel"].(string)
						if gotID != id || ct != a.createTime || bl != a.isBlocked || typ != a.typ || lvl != a.accountLevel {
							return fmt.Errorf("properties differ")
						}
						return nil
					},
				})
			}
			return cs, nil
		},
	}
}

// summary is the count, sum and maximum of amounts.
type summary struct {
	n        int64
	sum, max float64
}

func summarize(es []edge, t0, t1 int64) summary {
	var s summary
	for _, e := range es {
		if e.ts >= t0 && e.ts < t1 {
			s.n++
			s.sum += e.amount
			s.max = math.Max(s.max, e.amount)
		}
	}
	return s
}

func readSummary(v any) (summary, error) {
	m, ok := asMap(v)
	if !ok {
		return summary{}, fmt.Errorf("summary is %T, want a map", v)
	}
	if err := requireKeys(m, "n", "sum", "max"); err != nil {
		return summary{}, err
	}
	var s summary
	var err error
	if s.n, err = int64Field(m, "n", 0); err != nil {
		return s, err
	}
	if s.sum, err = floatField(m, "sum", 0); err != nil {
		return s, err
	}
	s.max, err = floatField(m, "max", 0)
	return s, err
}

func (s summary) equal(o summary) bool {
	return s.n == o.n && sameFloat(s.sum, o.sum) && sameFloat(s.max, o.max)
}

func inOutSummary() Query {
	agg := `.has('timestamp',between(t0,t1)).values('amount').fold().project('n','sum','max').by(count(local)).by(` +
		orZero(`sum(local)`) + `).by(` + orZero(`max(local)`) + `)`
	return Query{
		Name:    "in-out-summary",
		Purpose: "TSR2: count, sum and maximum of an account's transfers out and in within a window (0 for none)",
		Script:  `g.V().has('Account','accountId',aid).project('out','in').by(` + outT + agg + `).by(` + inT + agg + `)`,
		cases: func(d *Data, cfg Config) ([]Case, error) {
			t1 := banking.SpanEnd
			t0 := t1 - year
			// Both sides exercised: accounts with transfers out and in
			// within the window.
			deg := func(id int64) int {
				o, i := summarize(trunc(d.out[id], cfg.Truncation), t0, t1), summarize(trunc(d.in[id], cfg.Truncation), t0, t1)
				if o.n == 0 || i.n == 0 {
					return 0
				}
				return len(d.out[id]) + len(d.in[id])
			}
			var cs []Case
			for _, id := range comparable(d.sortedAccounts(), deg, cfg.Params, "in-out-summary") {
				wantOut := summarize(trunc(d.out[id], cfg.Truncation), t0, t1)
				wantIn := summarize(trunc(d.in[id], cfg.Truncation), t0, t1)
				cs = append(cs, Case{
					Bindings: map[string]any{"aid": id, "t0": t0, "t1": t1, "trunc": int64(cfg.Truncation)},
					Want:     fmt.Sprintf("out %+v in %+v", wantOut, wantIn),
					check: func(res []any) error {
						m, err := singleMap(res)
						if err != nil {
							return err
						}
						if err := requireKeys(m, "out", "in"); err != nil {
							return err
						}
						o, err := readSummary(m["out"])
						if err != nil {
							return err
						}
						i, err := readSummary(m["in"])
						if err != nil {
							return err
						}
						if !o.equal(wantOut) || !i.equal(wantIn) {
							return fmt.Errorf("sums differ (out %+v, in %+v)", o, i)
						}
						return nil
					},
				})
			}
			return cs, nil
		},
	}
}

func shortestTransferPath() Query {
	return Query{
		Name:    "shortest-transfer-path",
		Purpose: "TCR3: shortest transfer path between two accounts, breadth-first, at most `hops` hops",
		Script: `g.V().has('Account','accountId',aid).` +
			`repeat(` + outT + `.inV().dedup().barrier()).` +
			`until(or(has('accountId',aid2), loops().is(gte(hops)))).` +
			`has('accountId',aid2).limit(1).path().by('accountId').by('timestamp')`,
		cases: func(d *Data, cfg Config) ([]Case, error) {
			const hops = 3
			deg := func(id int64) int { return len(d.out[id]) }
			var cs []Case
			for _, src := range comparable(d.sortedAccounts(), deg, cfg.Params, "shortest-transfer-path") {
				dst, dist := farTarget(d, src, hops-1, cfg.Truncation)
				if dist <= 0 {
					continue
				}
				cs = append(cs, Case{
					Bindings: map[string]any{"aid": src, "aid2": dst, "hops": int64(hops), "trunc": int64(cfg.Truncation)},
					Want:     fmt.Sprintf("a path of %d hops from %d to %d", dist, src, dst),
					check: func(res []any) error {
						v, err := single(res)
						if err != nil {
							return err
						}
						ids, ts, err := pathAccounts(v)
						if err != nil {
							return err
						}
						if len(ids)-1 != dist || ids[0] != src || ids[len(ids)-1] != dst {
							return fmt.Errorf("path %v has %d hops", ids, len(ids)-1)
						}
						for k := 0; k+1 < len(ids); k++ {
							t, _ := asInt64(ts[k])
							if !slices.ContainsFunc(trunc(d.out[ids[k]], cfg.Truncation), func(e edge) bool { return e.other == ids[k+1] && e.ts == t }) {
								return fmt.Errorf("hop %d→%d at %d is not a transfer", ids[k], ids[k+1], t)
							}
						}
						return nil
					},
				})
			}
			return cs, nil
		},
	}
}

// farTarget runs a BFS over truncated transfers from src and returns a
// vertex at the largest distance ≤ maxDist (chosen by salted hash) and that
// distance, or distance 0 when nothing is reachable.
func farTarget(d *Data, src int64, maxDist, truncation int) (int64, int) {
	seen := map[int64]bool{src: true}
	level := []int64{src}
	var last []int64
	dist := 0
	for dist < maxDist {
		var next []int64
		for _, v := range level {
			for _, e := range trunc(d.out[v], truncation) {
				if !seen[e.other] {
					seen[e.other] = true
					next = append(next, e.other)
				}
			}
		}
		if len(next) == 0 {
			break
		}
		dist++
		level, last = next, next
	}
	if dist == 0 {
		return 0, 0
	}
	best := last[0]
	for _, v := range last {
		if mix("target", v) < mix("target", best) {
			best = v
		}
	}
	return best, dist
}

// fastWindow returns the end of the tightest window in which money came in
// and then went out: the timestamp after an outgoing transfer that
// follows an incoming one most closely, within span; ok is false when no
// outgoing transfer follows an incoming one within span.
func fastWindow(in, out []edge, span int64) (t1 int64, ok bool) {
	best := span
	for _, o := range out {
		for _, i := range in {
			if gap := o.ts - i.ts; gap >= 0 && gap < best || (ok && gap == best && o.ts+1 > t1) {
				best, t1, ok = gap, o.ts+1, true
			}
		}
	}
	return t1, ok
}

func fastInFastOut() Query {
	w := `.has('timestamp',between(t0,t1))`
	return Query{
		Name:    "fast-in-fast-out",
		Purpose: "TCR7: distinct sources and destinations and the in/out amounts of an account within a tight (30-day) window (0 for none)",
		Script: `g.V().has('Account','accountId',aid).project('srcs','dsts','inSum','outSum').` +
			`by(` + inT + w + `.outV().dedup().count()).` +
			`by(` + outT + w + `.inV().dedup().count()).` +
			`by(` + orZero(inT+w+`.values('amount').sum()`) + `).` +
			`by(` + orZero(outT+w+`.values('amount').sum()`) + `)`,
		cases: func(d *Data, cfg Config) ([]Case, error) {
			const span = 30 * day
			// Both sides exercised: money in, then out, within the window.
			deg := func(id int64) int {
				if _, ok := fastWindow(trunc(d.in[id], cfg.Truncation), trunc(d.out[id], cfg.Truncation), span); !ok {
					return 0
				}
				return len(d.out[id]) + len(d.in[id])
			}
			var cs []Case
			for _, id := range comparable(d.sortedAccounts(), deg, cfg.Params, "fast-in-fast-out") {
				in, out := trunc(d.in[id], cfg.Truncation), trunc(d.out[id], cfg.Truncation)
				t1, _ := fastWindow(in, out, span) // the window ends with the outgoing transfer
				t0 := t1 - span
				srcs, dsts := map[int64]bool{}, map[int64]bool{}
				var inSum, outSum float64
				for _, e := range in {
					if e.ts >= t0 && e.ts < t1 {
						srcs[e.other] = true
						inSum += e.amount
					}
				}
				for _, e := range out {
					if e.ts >= t0 && e.ts < t1 {
						dsts[e.other] = true
						outSum += e.amount
					}
				}
				cs = append(cs, Case{
					Bindings: map[string]any{"aid": id, "t0": t0, "t1": t1, "trunc": int64(cfg.Truncation)},
					Want:     fmt.Sprintf("srcs=%d dsts=%d inSum=%.2f outSum=%.2f", len(srcs), len(dsts), inSum, outSum),
					check: func(res []any) error {
						m, err := singleMap(res)
						if err != nil {
							return err
						}
						if err := requireKeys(m, "srcs", "dsts", "inSum", "outSum"); err != nil {
							return err
						}
						s, err1 := int64Field(m, "srcs", 0)
						t, err2 := int64Field(m, "dsts", 0)
						is, err3 := floatField(m, "inSum", 0)
						os, err4 := floatField(m, "outSum", 0)
						if err := errors.Join(err1, err2, err3, err4); err != nil {
							return err
						}
						if s != int64(len(srcs)) || t != int64(len(dsts)) || !sameFloat(is, inSum) || !sameFloat(os, outSum) {
							return fmt.Errorf("values differ")
						}
						return nil
					},
				})
			}
			return cs, nil
		},
	}
}

func loanFundTrace() Query {
	return Query{
		Name:    "loan-fund-trace",
		Purpose: "TCR8: accounts reached from a loan's deposits by ≤ `hops` transfers with increasing timestamps",
		Script: `g.withSack(0L).V().has('Loan','loanId',lid).` +
			`local(outE('deposit').order().by('timestamp',desc).limit(trunc)).sack(assign).by('timestamp').inV().` +
			`repeat(` + outT + `.filter{ it.get().value('timestamp') > it.sack() }.sack(assign).by('timestamp').inV()).` +
			`emit().times(hops).dedup().values('accountId').fold()`,
		cases: func(d *Data, cfg Config) ([]Case, error) {
			const hops = 3
			loans := make([]int64, 0, len(d.loans))
			for id := range d.loans {
				loans = append(loans, id)
			}
			slices.Sort(loans)
			// Both sides exercised: loans whose deposited money moves on.
			deg := func(id int64) int {
				if len(fundTrace(d, id, 1, cfg.Truncation)) == 0 {
					return 0
				}
				return len(d.deposits[id])
			}
			var cs []Case
			for _, lid := range comparable(loans, deg, cfg.Params, "loan-fund-trace") {
				want := fundTrace(d, lid, hops, cfg.Truncation)
				cs = append(cs, Case{
					Bindings: map[string]any{"lid": lid, "hops": int32(hops), "trunc": int64(cfg.Truncation)},
					Want:     fmt.Sprintf("%d accounts %s", len(want), int64Set(want)),
					check: func(res []any) error {
						v, err := single(res)
						if err != nil {
							return err
						}
						got, err := int64List(v)
						if err != nil {
							return err
						}
						if m := missing(want, got); len(m) > 0 {
							return fmt.Errorf("missing accounts %s", int64Set(m))
						}
						if x := missing(got, want); len(x) > 0 {
							return fmt.Errorf("unexpected accounts %s", int64Set(x))
						}
						if len(got) != len(want) {
							return fmt.Errorf("%d accounts (duplicates?), want %d", len(got), len(want))
						}
						return nil
					},
				})
			}
			return cs, nil
		},
	}
}

// fundTrace returns the accounts reachable from loan lid's (truncated)
// deposits by 1..hops truncated transfers with strictly increasing
// timestamps. Earliest arrival per account and hop count dominates later
// arrivals, so a level-by-level minimum is exact for walks.
func fundTrace(d *Data, lid int64, hops, truncation int) []int64 {
	level := map[int64]int64{}
	for _, e := range trunc(d.deposits[lid], truncation) {
		if t, ok := level[e.other]; !ok || e.ts < t {
			level[e.other] = e.ts
		}
	}
	reached := map[int64]bool{}
	for range hops {
		next := map[int64]int64{}
		for v, t := range level {
			for _, e := range trunc(d.out[v], truncation) {
				if e.ts > t {
					if old, ok := next[e.other]; !ok || e.ts < old {
						next[e.other] = e.ts
					}
				}
			}
		}
		for v := range next {
			reached[v] = true
		}
		level = next
	}
	out := make([]int64, 0, len(reached))
	for v := range reached {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// ---- pattern queries: checked against the injected ground truth ----

// firstN returns at most n items.
func firstN[T any](s []T, n int) []T { return s[:min(n, len(s))] }

func blockedMedium3Hop() Query {
	return Query{
		Name: "blocked-medium-3hop",
		Purpose: "TCR1 (traced upstream): accounts ≤3 transfer hops upstream of an account, timestamps decreasing " +
			"backwards within `win` of the last transfer, that a blocked medium signed in to",
		GroundTruth: true,
		Script: `g.withSack{ [-1L, Long.MAX_VALUE] }.V().has('Account','accountId',aid).` +
			`repeat(` + inT + `.filter{ def s = it.sack(); def t = it.get().value('timestamp'); t < s[1] && (s[0] < 0 || t > s[0] - win) }.` +
			`sack{ s, e -> def t = e.value('timestamp'); [s[0] < 0 ? t : s[0], t] }.outV()).` +
			`emit().times(3).dedup().as('acc').` +
			`local(inE('signIn').order().by('timestamp',desc).limit(trunc)).outV().has('isBlocked',true).as('m').` +
			`select('acc','m').by('accountId').by('mediumId').dedup()`,
		cases: func(d *Data, cfg Config) ([]Case, error) {
			var cs []Case
			for _, c := range firstN(d.truth.BlockedMediumChains, cfg.Params) {
				start, acc, med := c.Accounts[len(c.Accounts)-1], c.Accounts[0], c.Medium
				cs = append(cs, Case{
					Bindings: map[string]any{"aid": start, "win": 30 * day, "trunc": int64(cfg.Truncation)},
					Want:     fmt.Sprintf("account %d signed in by blocked medium %d among the answers", acc, med),
					check: func(res []any) error {
						for _, r := range res {
							m, ok := asMap(r)
							if !ok {
								return fmt.Errorf("item is %T, want a map", r)
							}
							a, _ := int64Field(m, "acc", -1)
							md, _ := int64Field(m, "m", -1)
							if a == acc && md == med {
								return nil
							}
						}
						return fmt.Errorf("the injected blocked-medium chain was not found")
					},
				})
			}
			return cs, nil
		},
	}
}

// hasPath reports whether one of res's paths has exactly the account ids
// want.
func hasPath(res []any, want []int64) (bool, error) {
	for _, r := range res {
		ids, _, err := pathAccounts(r)
		if err != nil {
			return false, err
		}
		if slices.Equal(ids, want) {
			return true, nil
		}
	}
	return false, nil
}

func transferCycle() Query {
	return Query{
		Name: "transfer-cycle",
		Purpose: "TCR4 (generalized): transfer cycles of ≤ `hops` hops through an account, timestamps increasing, " +
			"completed within `win` of the first transfer",
		GroundTruth: true,
		Script: `g.withSack{ [-1L, 0L] }.V().has('Account','accountId',aid).as('s').` +
			`repeat(` + outT + `.filter{ def s = it.sack(); def t = it.get().value('timestamp'); t > s[1] && (s[0] < 0 || t < s[0] + win) }.` +
			`sack{ s, e -> def t = e.value('timestamp'); [s[0] < 0 ? t : s[0], t] }.inV().` +
			`filter(or(where(eq('s')), simplePath()))).` +
			`until(or(where(eq('s')), loops().is(gte(hops)))).` +
			`where(eq('s')).path().by('accountId').by('timestamp')`,
		cases: func(d *Data, cfg Config) ([]Case, error) {
			var cs []Case
			for _, c := range firstN(d.truth.TransferCycles, cfg.Params) {
				want := append(slices.Clone(c.Accounts), c.Accounts[0])
				cs = append(cs, Case{
					Bindings: map[string]any{"aid": c.Accounts[0], "hops": int64(6), "win": 7 * day, "trunc": int64(cfg.Truncation)},
					Want:     fmt.Sprintf("the cycle %v among the answers", want),
					check: func(res []any) error {
						ok, err := hasPath(res, want)
						if err != nil || ok {
							return err
						}
						return fmt.Errorf("the injected cycle was not found among %d cycles", len(res))
					},
				})
			}
			return cs, nil
		},
	}
}

func fanInWithdraw() Query {
	return Query{
		Name:        "fan-in-withdraw",
		Purpose:     "TCR6: accounts that withdrew to a card after receiving transfers from ≥ minSrc distinct accounts within `win` before",
		GroundTruth: true,
		Script: `g.withSack(0L).V().has('Account','accountId',aid).` +
			`local(inE('withdraw').order().by('timestamp',desc).limit(trunc)).sack(assign).by('timestamp').outV().` +
			`project('mid','withdrawTime','sources','inSum').by('accountId').by(sack()).` +
			`by(` + inT + `.filter{ def t = it.get().value('timestamp'); t < it.sack() && t >= it.sack() - win }.outV().dedup().count()).` +
			`by(` + orZero(inT+`.filter{ def t = it.get().value('timestamp'); t < it.sack() && t >= it.sack() - win }.values('amount').sum()`) + `).` +
			`where(select('sources').is(gte(minSrc)))`,
		cases: func(d *Data, cfg Config) ([]Case, error) {
			var cs []Case
			for _, f := range firstN(d.truth.FanInWithdraws, cfg.Params) {
				cs = append(cs, Case{
					Bindings: map[string]any{"aid": f.Card, "win": 7 * day, "minSrc": int64(3), "trunc": int64(cfg.Truncation)},
					Want:     fmt.Sprintf("account %d with ≥ %d sources among the answers", f.Account, len(f.Sources)),
					check: func(res []any) error {
						for _, r := range res {
							m, ok := asMap(r)
							if !ok {
								return fmt.Errorf("item is %T, want a map", r)
							}
							if err := requireKeys(m, "mid", "withdrawTime", "sources", "inSum"); err != nil {
								return err
							}
							mid, _ := int64Field(m, "mid", -1)
							n, _ := int64Field(m, "sources", 0)
							if mid == f.Account && n >= int64(len(f.Sources)) {
								return nil
							}
						}
						return fmt.Errorf("the injected fan-in was not found")
					},
				})
			}
			return cs, nil
		},
	}
}

func guaranteeChain() Query {
	return Query{
		Name:        "guarantee-chain",
		Purpose:     "TCR11: loans applied for by the persons ≤ `hops` guarantee hops from a person, and their total",
		GroundTruth: true,
		Script: `g.V().has('Person','personId',pid).` +
			`repeat(local(outE('guarantee').order().by('timestamp',desc).limit(trunc)).inV().simplePath()).emit().times(hops).dedup().` +
			`local(outE('apply').order().by('timestamp',desc).limit(trunc)).inV().dedup().` +
			`fold().project('loans','total').by(unfold().values('loanId').fold()).by(` + orZero(`unfold().values('loanAmount').sum()`) + `)`,
		cases: func(d *Data, cfg Config) ([]Case, error) {
			var cs []Case
			for _, c := range firstN(d.truth.GuaranteeChains, cfg.Params) {
				wantLoans := c.Loans[1:]
				cs = append(cs, Case{
					Bindings: map[string]any{"pid": c.Persons[0], "hops": int32(5), "trunc": int64(cfg.Truncation)},
					Want:     fmt.Sprintf("loans %v among the answers", wantLoans),
					check: func(res []any) error {
						m, err := singleMap(res)
						if err != nil {
							return err
						}
						if err := requireKeys(m, "loans", "total"); err != nil {
							return err
						}
						loans, err := int64List(m["loans"])
						if err != nil {
							return err
						}
						if x := missing(wantLoans, loans); len(x) > 0 {
							return fmt.Errorf("missing loans %v", x)
						}
						total, err := floatField(m, "total", 0)
						if err != nil {
							return err
						}
						var sum float64
						for _, l := range loans {
							sum += d.loans[l]
						}
						if !sameFloat(total, sum) {
							return fmt.Errorf("total %.2f, but the loans returned sum to %.2f", total, sum)
						}
						return nil
					},
				})
			}
			return cs, nil
		},
	}
}

func structuring() Query {
	return Query{
		Name:        "structuring",
		Purpose:     "AML: from an account's transfers just under the threshold, the beneficiaries and how many distinct accounts sent them such amounts within `win`",
		GroundTruth: true,
		Script: `g.withSack(0L).V().has('Account','accountId',aid).` +
			outT + `.has('amount',between(lo,hi)).sack(assign).by('timestamp').inV().as('b').` +
			inT + `.has('amount',between(lo,hi)).filter{ Math.abs(it.get().value('timestamp') - it.sack()) < win }.outV().` +
			`group().by(select('b').values('accountId')).by(dedup().count())`,
		cases: func(d *Data, cfg Config) ([]Case, error) {
			var cs []Case
			for _, s := range firstN(d.truth.Structuring, cfg.Params) {
				cs = append(cs, Case{
					Bindings: map[string]any{"aid": s.Sources[0], "lo": banking.StructuringMin, "hi": banking.StructuringThreshold,
						"win": day, "trunc": int64(cfg.Truncation)},
					Want: fmt.Sprintf("beneficiary %d with ≥ %d sources", s.Beneficiary, len(s.Sources)),
					check: func(res []any) error {
						m, err := singleMap(res)
						if err != nil {
							return err
						}
						n, err := int64Field(m, fmt.Sprint(s.Beneficiary), 0)
						if err != nil {
							return err
						}
						if n < int64(len(s.Sources)) {
							return fmt.Errorf("beneficiary %d has %d sources", s.Beneficiary, n)
						}
						return nil
					},
				})
			}
			return cs, nil
		},
	}
}

func sharedIdentifierRing() Query {
	return Query{
		Name:        "shared-identifier-ring",
		Purpose:     "AML: persons living at a person's address whose accounts a medium signed in to that also signed in to the person's accounts",
		GroundTruth: true,
		Script: `g.V().has('Person','personId',pid).as('p').` +
			`local(outE('own').order().by('createTime',desc).limit(trunc)).inV().` +
			`local(inE('signIn').order().by('timestamp',desc).limit(trunc)).outV().dedup().aggregate('pm').` +
			`select('p').dedup().out('livesAt').` +
			`local(inE('livesAt').order().by('since',desc).limit(trunc)).outV().where(neq('p')).dedup().` +
			`where(local(outE('own').order().by('createTime',desc).limit(trunc)).inV().` +
			`local(inE('signIn').order().by('timestamp',desc).limit(trunc)).outV().where(within('pm'))).` +
			`values('personId').fold()`,
		cases: func(d *Data, cfg Config) ([]Case, error) {
			var cs []Case
			for _, r := range firstN(d.truth.FraudRings, cfg.Params) {
				want := r.Persons[1:]
				cs = append(cs, Case{
					Bindings: map[string]any{"pid": r.Persons[0], "trunc": int64(cfg.Truncation)},
					Want:     fmt.Sprintf("persons %v among the answers", want),
					check: func(res []any) error {
						v, err := single(res)
						if err != nil {
							return err
						}
						got, err := int64List(v)
						if err != nil {
							return err
						}
						if x := missing(want, got); len(x) > 0 {
							return fmt.Errorf("missing ring members %v", x)
						}
						return nil
					},
				})
			}
			return cs, nil
		},
	}
}

func muleChain() Query {
	cond := `{ def s = it.sack(); def e = it.get(); def a = e.value('amount'); ` +
		`e.value('timestamp') > s[0] && (s[1] < 0 || (a < s[1] && a >= s[1] * ratio)) }`
	return Query{
		Name:        "mule-chain",
		Purpose:     "AML: chains of minHops..maxHops transfers from an account, timestamps increasing and amounts shrinking by < (1-ratio) per hop, ending in a withdraw to a card",
		GroundTruth: true,
		Script: `g.withSack{ [0L, -1.0d] }.V().has('Account','accountId',aid).` +
			`repeat(` + outT + `.filter` + cond + `.sack{ s, e -> [e.value('timestamp'), e.value('amount')] }.inV().simplePath()).` +
			`emit(loops().is(gte(minHops))).times(maxHops).` +
			`local(outE('withdraw').order().by('timestamp',desc).limit(trunc)).filter` + cond + `.inV().` +
			`path().by('accountId').by('amount')`,
		cases: func(d *Data, cfg Config) ([]Case, error) {
			var cs []Case
			for _, m := range firstN(d.truth.MuleChains, cfg.Params) {
				want := append(append([]int64{m.Victim}, m.Mules...), m.Card)
				cs = append(cs, Case{
					Bindings: map[string]any{"aid": m.Victim, "minHops": int32(3), "maxHops": int32(5), "ratio": 0.9, "trunc": int64(cfg.Truncation)},
					Want:     fmt.Sprintf("the chain %v among the answers", want),
					check: func(res []any) error {
						ok, err := hasPath(res, want)
						if err != nil || ok {
							return err
						}
						return fmt.Errorf("the injected mule chain was not found among %d chains", len(res))
					},
				})
			}
			return cs, nil
		},
	}
}
