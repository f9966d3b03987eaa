package banking

import (
	"testing"
)

// index is a lookup view of a collected graph for pattern checks.
type index struct {
	transfers map[[2]int64][]TransferE
	withdraws map[[2]int64][]MoneyE
	signIns   map[[2]int64][]NoteE
	guarantee map[[2]int64]bool
	applied   map[int64]int64 // loan → applicant
	livesAt   map[int64]int64
	owner     map[int64]int64 // account → owner
	accounts  map[int64]AccountV
	media     map[int64]MediumV
	loans     map[int64]LoanV
}

func newIndex(gr *graph) *index {
	ix := &index{transfers: map[[2]int64][]TransferE{}, withdraws: map[[2]int64][]MoneyE{}, signIns: map[[2]int64][]NoteE{},
		guarantee: map[[2]int64]bool{}, applied: map[int64]int64{}, livesAt: map[int64]int64{}, owner: map[int64]int64{},
		accounts: map[int64]AccountV{}, media: map[int64]MediumV{}, loans: map[int64]LoanV{}}
	for _, b := range gr.batches {
		for _, e := range b.Transfers {
			ix.transfers[[2]int64{e.From, e.To}] = append(ix.transfers[[2]int64{e.From, e.To}], e)
		}
		for _, e := range b.Money {
			if b.Label == Withdraw {
				ix.withdraws[[2]int64{e.From, e.To}] = append(ix.withdraws[[2]int64{e.From, e.To}], e)
			}
		}
		for _, e := range b.Notes {
			switch b.Label {
			case SignIn:
				ix.signIns[[2]int64{e.From, e.To}] = append(ix.signIns[[2]int64{e.From, e.To}], e)
			case Guarantee:
				ix.guarantee[[2]int64{e.From, e.To}] = true
			case Apply:
				ix.applied[e.To] = e.From
			}
		}
		for _, e := range b.Times {
			switch b.Label {
			case LivesAt:
				ix.livesAt[e.From] = e.To
			case Own:
				ix.owner[e.To] = e.From
			}
		}
		for _, a := range b.Accounts {
			ix.accounts[a.ID] = a
		}
		for _, m := range b.Media {
			ix.media[m.ID] = m
		}
		for _, l := range b.Loans {
			ix.loans[l.ID] = l
		}
	}
	return ix
}

// hasTransfer reports whether the exact hop exists as a transfer edge.
func (ix *index) hasTransfer(h Hop) bool {
	for _, e := range ix.transfers[[2]int64{h.From, h.To}] {
		if e.Timestamp == h.Timestamp && e.Amount == h.Amount {
			return true
		}
	}
	return false
}

func (ix *index) hasWithdraw(h Hop) bool {
	for _, e := range ix.withdraws[[2]int64{h.From, h.To}] {
		if e.Timestamp == h.Timestamp && e.Amount == h.Amount {
			return true
		}
	}
	return false
}

func (ix *index) hasSignIn(s SignInRef) bool {
	for _, e := range ix.signIns[[2]int64{s.Medium, s.Account}] {
		if e.Timestamp == s.Timestamp {
			return true
		}
	}
	return false
}

func increasing(hops []Hop) bool {
	for i := 1; i < len(hops); i++ {
		if hops[i].Timestamp <= hops[i-1].Timestamp {
			return false
		}
	}
	return true
}

func TestPatternsHoldInGeneratedData(t *testing.T) {
	want := PatternCounts{TransferCycles: 4, MuleChains: 5, Structuring: 3, FraudRings: 3, BlockedMediumChains: 4, FanInWithdraws: 3, GuaranteeChains: 3}
	gr := collect(t, Config{Seed: 99, Scale: 0.01, Patterns: want})
	gt := gr.g.GroundTruth()
	ix := newIndex(gr)

	counts := []struct {
		kind      string
		got, want int
	}{
		{KindTransferCycle, len(gt.TransferCycles), want.TransferCycles},
		{KindMuleChain, len(gt.MuleChains), want.MuleChains},
		{KindStructuring, len(gt.Structuring), want.Structuring},
		{KindFraudRing, len(gt.FraudRings), want.FraudRings},
		{KindBlockedMediumChain, len(gt.BlockedMediumChains), want.BlockedMediumChains},
		{KindFanInWithdraw, len(gt.FanInWithdraws), want.FanInWithdraws},
		{KindGuaranteeChain, len(gt.GuaranteeChains), want.GuaranteeChains},
	}
	for _, c := range counts {
		if c.got != c.want {
			t.Errorf("%s: %d instances, want %d", c.kind, c.got, c.want)
		}
	}

	t.Run(KindTransferCycle, func(t *testing.T) {
		for _, c := range gt.TransferCycles {
			k := len(c.Accounts)
			if k < 3 || k > 6 || len(c.Hops) != k || !increasing(c.Hops) {
				t.Fatalf("bad cycle shape: %+v", c)
			}
			for i, h := range c.Hops {
				if h.From != c.Accounts[i] || h.To != c.Accounts[(i+1)%k] || !ix.hasTransfer(h) {
					t.Errorf("cycle hop %d %+v missing or misplaced", i, h)
				}
			}
		}
	})
	t.Run(KindMuleChain, func(t *testing.T) {
		for _, m := range gt.MuleChains {
			if len(m.Mules) < 3 || len(m.Hops) != len(m.Mules) || !increasing(append(m.Hops, m.Withdraw)) {
				t.Fatalf("bad mule chain shape: %+v", m)
			}
			path := append([]int64{m.Victim}, m.Mules...)
			for i, h := range m.Hops {
				if h.From != path[i] || h.To != path[i+1] || !ix.hasTransfer(h) {
					t.Errorf("mule hop %d %+v missing", i, h)
				}
			}
			all := append(m.Hops, m.Withdraw)
			for i := 1; i < len(all); i++ {
				shrink := 1 - all[i].Amount/all[i-1].Amount
				if shrink < 0.02 || shrink > 0.06 {
					t.Errorf("hop %d shrinks by %.4f, want 2–6%%", i, shrink)
				}
			}
			if m.Withdraw.From != m.Mules[len(m.Mules)-1] || m.Withdraw.To != m.Card || !ix.hasWithdraw(m.Withdraw) {
				t.Errorf("withdraw %+v missing", m.Withdraw)
			}
			if ix.accounts[m.Card].Type != "card" {
				t.Errorf("withdraw target %d is a %s account, want card", m.Card, ix.accounts[m.Card].Type)
			}
		}
	})
	t.Run(KindStructuring, func(t *testing.T) {
		for _, s := range gt.Structuring {
			seen := map[int64]bool{}
			if len(s.Deposits) < 10 || s.WindowEnd-s.WindowStart >= day {
				t.Fatalf("bad structuring shape: %d deposits, window %d ms", len(s.Deposits), s.WindowEnd-s.WindowStart)
			}
			for _, d := range s.Deposits {
				if d.To != s.Beneficiary || d.Amount < StructuringMin || d.Amount >= StructuringThreshold || !ix.hasTransfer(d) {
					t.Errorf("deposit %+v not just under the threshold into %d", d, s.Beneficiary)
				}
				if d.Timestamp < s.WindowStart || d.Timestamp > s.WindowEnd {
					t.Errorf("deposit at %d outside the window", d.Timestamp)
				}
				if seen[d.From] {
					t.Errorf("source %d repeated", d.From)
				}
				seen[d.From] = true
			}
		}
	})
	t.Run(KindFraudRing, func(t *testing.T) {
		for _, r := range gt.FraudRings {
			if len(r.Persons) < 3 || len(r.Accounts) != len(r.Persons) {
				t.Fatalf("bad ring shape: %+v", r)
			}
			for i, p := range r.Persons {
				if ix.livesAt[p] != r.Address {
					t.Errorf("ring person %d lives at %d, want %d", p, ix.livesAt[p], r.Address)
				}
				if ix.owner[r.Accounts[i]] != p {
					t.Errorf("ring account %d owned by %d, want %d", r.Accounts[i], ix.owner[r.Accounts[i]], p)
				}
				if len(ix.signIns[[2]int64{r.Medium, r.Accounts[i]}]) == 0 {
					t.Errorf("ring medium %d never signs in to %d", r.Medium, r.Accounts[i])
				}
			}
			members := map[int64]bool{}
			for _, a := range r.Accounts {
				members[a] = true
			}
			for _, h := range r.Transfers {
				if !members[h.From] || !members[h.To] || !ix.hasTransfer(h) {
					t.Errorf("ring transfer %+v not among ring accounts", h)
				}
			}
		}
	})
	t.Run(KindBlockedMediumChain, func(t *testing.T) {
		for _, c := range gt.BlockedMediumChains {
			if !ix.media[c.Medium].IsBlocked {
				t.Errorf("medium %d is not blocked", c.Medium)
			}
			if !ix.hasSignIn(c.SignIn) || c.SignIn.Account != c.Accounts[0] {
				t.Errorf("sign-in %+v missing", c.SignIn)
			}
			if len(c.Hops) != 3 || !increasing(c.Hops) || c.Hops[0].Timestamp <= c.SignIn.Timestamp {
				t.Errorf("hops not a 3-hop chain after the sign-in: %+v", c.Hops)
			}
			for i, h := range c.Hops {
				if h.From != c.Accounts[i] || h.To != c.Accounts[i+1] || !ix.hasTransfer(h) {
					t.Errorf("hop %+v missing", h)
				}
			}
		}
	})
	t.Run(KindFanInWithdraw, func(t *testing.T) {
		for _, f := range gt.FanInWithdraws {
			if len(f.In) < 8 {
				t.Fatalf("fan-in of %d", len(f.In))
			}
			for _, h := range f.In {
				if h.To != f.Account || !ix.hasTransfer(h) || h.Timestamp >= f.Withdraw.Timestamp {
					t.Errorf("incoming %+v missing or after the withdraw", h)
				}
			}
			if !ix.hasWithdraw(f.Withdraw) || ix.accounts[f.Card].Type != "card" || f.Withdraw.From != f.Account {
				t.Errorf("withdraw %+v to a card missing", f.Withdraw)
			}
		}
	})
	t.Run(KindGuaranteeChain, func(t *testing.T) {
		for _, c := range gt.GuaranteeChains {
			var total float64
			for i, p := range c.Persons {
				if i+1 < len(c.Persons) && !ix.guarantee[[2]int64{p, c.Persons[i+1]}] {
					t.Errorf("no guarantee %d -> %d", p, c.Persons[i+1])
				}
				if ix.applied[c.Loans[i]] != p {
					t.Errorf("loan %d applied by %d, want %d", c.Loans[i], ix.applied[c.Loans[i]], p)
				}
				if ix.loans[c.Loans[i]].LoanAmount != c.LoanAmounts[i] {
					t.Errorf("loan %d amount %v, ground truth %v", c.Loans[i], ix.loans[c.Loans[i]].LoanAmount, c.LoanAmounts[i])
				}
				total += c.LoanAmounts[i]
			}
			if diff := total - c.TotalLoanAmount; diff > 0.01 || diff < -0.01 {
				t.Errorf("total %v, sum of loans %v", c.TotalLoanAmount, total)
			}
		}
	})
}
