package banking

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// sharedGraph is generated once for the attribute tests (it takes a few
// hundred milliseconds).
var sharedGraphOnce = sync.OnceValues(func() (*graph, error) {
	g, err := New(Config{Seed: 11, Scale: 0.01, Patterns: DefaultPatterns()})
	if err != nil {
		return nil, err
	}
	out := &graph{g: g}
	err = g.Run(context.Background(), func(b *Batch) error {
		out.batches = append(out.batches, b)
		out.byLabel[b.Label] = append(out.byLabel[b.Label], b)
		return nil
	})
	return out, err
})

func sharedGraph(t *testing.T) *graph {
	t.Helper()
	gr, err := sharedGraphOnce()
	if err != nil {
		t.Fatal(err)
	}
	return gr
}

// seenAll reports whether every value of pool was seen.
func seenAll[T comparable](seen map[T]int, pool []T) bool {
	for _, v := range pool {
		if seen[v] == 0 {
			return false
		}
	}
	return true
}

func TestBatchLayout(t *testing.T) {
	gr := sharedGraph(t)
	g := gr.g
	if len(gr.batches) != g.Batches() {
		t.Fatalf("%d batches emitted, Batches() = %d", len(gr.batches), g.Batches())
	}
	labels := g.BatchLabels()
	for i, b := range gr.batches {
		if b.Label != labels[i] {
			t.Fatalf("batch %d is %s, BatchLabels says %s", i, b.Label, labels[i])
		}
	}
	for l := range Label(NumLabels) {
		bs := gr.byLabel[l]
		src := g.sourceCount(l)
		parts := (src + PartitionSize - 1) / PartitionSize
		wantBatches := parts
		if g.plan.hasEdges(l) {
			wantBatches++
		}
		if len(bs) != wantBatches {
			t.Errorf("%s: %d batches, want %d (%d sources)", l, len(bs), wantBatches, src)
		}
		for i, b := range bs {
			if b.Partition != i {
				t.Errorf("%s batch %d has partition %d", l, i, b.Partition)
			}
		}
		if l.Kind() == VertexKind {
			if gr.count(l) != g.Sizes().Count(l) {
				t.Errorf("%s: %d vertices, Sizes says %d", l, gr.count(l), g.Sizes().Count(l))
			}
			// Ids are dense and in order: partition i holds indexes
			// [i·PartitionSize, (i+1)·PartitionSize).
			for _, b := range bs {
				if b.Partition+1 < len(bs) && b.Len() != PartitionSize {
					t.Errorf("%s partition %d holds %d vertices, want %d", l, b.Partition, b.Len(), PartitionSize)
				}
			}
		}
	}
	wantSources := map[Label]int{
		Own: g.sizes.Accounts, Transfer: g.sizes.Accounts, Withdraw: g.sizes.Accounts,
		Deposit: g.sizes.Loans, Repay: g.sizes.Loans, Apply: g.sizes.Loans, SignIn: g.sizes.Media,
		Invest: g.sizes.Companies, RegisteredAt: g.sizes.Companies, LivesAt: g.sizes.Persons,
		Guarantee: g.sizes.Persons + g.sizes.Companies, Person: g.sizes.Persons, Address: g.sizes.Addresses,
	}
	for l, want := range wantSources {
		if got := g.sourceCount(l); got != want {
			t.Errorf("sourceCount(%s) = %d, want %d", l, got, want)
		}
	}
	injected := map[Label]bool{Transfer: true, Withdraw: true, SignIn: true, Guarantee: true}
	for l := range Label(NumLabels) {
		if got := g.plan.hasEdges(l); got != injected[l] {
			t.Errorf("plan.hasEdges(%s) = %v, want %v", l, got, injected[l])
		}
	}
}

func TestVertexAttributes(t *testing.T) {
	gr := sharedGraph(t)
	g := gr.g
	idx := func(l Label, id int64) int { return int(IndexOf(l, id)) }
	checkCommon := func(l Label, i, want int, id, created int64, blocked bool) {
		t.Helper()
		if i != want {
			t.Fatalf("%s #%d has index %d: ids not dense and in order", l, want, i)
		}
		if created != g.createTime(l, i) || created < SpanStart || created >= SpanStart+year {
			t.Errorf("%s %d createTime %d, want g.createTime in the first year", l, id, created)
		}
		if blocked != g.isBlocked(l, i) {
			t.Errorf("%s %d isBlocked %v differs from g.isBlocked", l, id, blocked)
		}
	}
	genders := map[string]int{}
	n := 0
	for _, b := range gr.byLabel[Person] {
		for _, p := range b.Persons {
			checkCommon(Person, idx(Person, p.ID), n, p.ID, p.CreateTime, p.IsBlocked)
			n++
			genders[p.Gender]++
			if f := strings.Fields(p.Name); len(f) < 2 || p.Country == "" || p.City == "" {
				t.Errorf("person %+v lacks a first and last name, country or city", p)
			}
			if p.Birthday > SpanStart-18*year || p.Birthday <= SpanStart-78*year {
				t.Errorf("person %d born at %d: not 18–78 years before the span", p.ID, p.Birthday)
			}
		}
	}
	if len(genders) != 2 || !seenAll(genders, []string{"male", "female"}) {
		t.Errorf("genders %v", genders)
	}
	businessSeen := map[string]int{}
	n = 0
	for _, b := range gr.byLabel[Company] {
		for _, c := range b.Companies {
			checkCommon(Company, idx(Company, c.ID), n, c.ID, c.CreateTime, c.IsBlocked)
			n++
			businessSeen[c.Business]++
			if !strings.HasPrefix(c.URL, "https://www.") || len(c.URL) <= len("https://www.") || c.Name == "" || c.Country == "" || c.City == "" {
				t.Errorf("company %+v", c)
			}
		}
	}
	if !seenAll(businessSeen, businesses[:]) || len(businessSeen) != len(businesses) {
		t.Errorf("businesses %v", businessSeen)
	}
	owner := map[int64]Label{}
	for _, b := range gr.byLabel[Own] {
		for _, e := range b.Times {
			owner[e.To] = e.FromLabel
		}
	}
	email := regexp.MustCompile(`^[a-z'-]+\.[a-z'-]+[0-9]{1,2}@[a-z0-9.-]+\.[a-z]+$`)
	levels, types := map[string]int{}, map[string]int{}
	n = 0
	for _, b := range gr.byLabel[Account] {
		for _, a := range b.Accounts {
			i := idx(Account, a.ID)
			checkCommon(Account, i, n, a.ID, a.CreateTime, a.IsBlocked)
			n++
			levels[a.AccountLevel]++
			types[a.Type]++
			want := "personalDeposit"
			if owner[a.ID] == Company {
				want = "companyDeposit"
			}
			if g.isCard(i) {
				want = "card"
			}
			if a.Type != want {
				t.Errorf("account %d (owner %s, card %v) has type %s, want %s", a.ID, owner[a.ID], g.isCard(i), a.Type, want)
			}
			if !email.MatchString(a.Email) {
				t.Errorf("account %d email %q", a.ID, a.Email)
			}
			if len(a.PhoneNumber) != 10 || strings.Trim(a.PhoneNumber, "0123456789") != "" {
				t.Errorf("account %d phone %q, want 10 digits", a.ID, a.PhoneNumber)
			}
			if a.Nickname == "" {
				t.Errorf("account %d without nickname", a.ID)
			}
		}
	}
	if !seenAll(levels, accountLevels[:]) || len(levels) != len(accountLevels) {
		t.Errorf("account levels %v", levels)
	}
	if len(types) != 3 {
		t.Errorf("account types %v, want card, personalDeposit and companyDeposit", types)
	}
	if f := float64(types["card"]) / float64(n); f < 0.18 || f > 0.26 {
		t.Errorf("card fraction %.3f, want ≈0.22", f)
	}
	usages := map[string]int{}
	n = 0
	var minAmt, maxAmt float64 = 1e18, 0
	for _, b := range gr.byLabel[Loan] {
		for _, l := range b.Loans {
			i := idx(Loan, l.ID)
			if i != n {
				t.Fatalf("loan #%d has index %d", n, i)
			}
			n++
			usages[l.Usage]++
			minAmt, maxAmt = min(minAmt, l.LoanAmount), max(maxAmt, l.LoanAmount)
			if l.LoanAmount != cents(g.loanAmountCents(i)) || l.LoanAmount < 10_000 || l.LoanAmount > 2_000_000 {
				t.Errorf("loan %d amount %v", l.ID, l.LoanAmount)
			}
			if l.Balance < 0 || l.Balance > l.LoanAmount || (l.Balance != 0 && !twoDecimals(l.Balance)) {
				t.Errorf("loan %d balance %v of %v", l.ID, l.Balance, l.LoanAmount)
			}
			if r := l.InterestRate; r < 0.01 || r >= 0.15 || !twoDecimals(r*100) {
				t.Errorf("loan %d interest rate %v, want [0.01, 0.15) in steps of 0.0001", l.ID, r)
			}
		}
	}
	if minAmt > 20_000 || maxAmt < 1_000_000 {
		t.Errorf("loan amounts span [%v, %v], want log-uniform over [10k, 2M]", minAmt, maxAmt)
	}
	if !seenAll(usages, loanUsages[:]) || len(usages) != len(loanUsages) {
		t.Errorf("loan usages %v", usages)
	}
	mtypes, risks := map[string]int{}, map[string]int{}
	n = 0
	for _, b := range gr.byLabel[Medium] {
		for _, m := range b.Media {
			i := idx(Medium, m.ID)
			checkCommon(Medium, i, n, m.ID, m.CreateTime, m.IsBlocked)
			n++
			mtypes[m.Type]++
			if m.IsBlocked {
				if m.RiskLevel != "high" {
					t.Errorf("blocked medium %d has risk %s", m.ID, m.RiskLevel)
				}
				continue
			}
			risks[m.RiskLevel]++
			if want := mediumTypes[hashOf(g.cfg.Seed, Medium, i, saltMediumType)%4]; m.Type != want {
				t.Errorf("medium %d type %s, want %s", m.ID, m.Type, want)
			}
		}
	}
	if !seenAll(mtypes, mediumTypes[:]) || len(mtypes) != len(mediumTypes) {
		t.Errorf("medium types %v", mtypes)
	}
	if len(risks) != 2 || !seenAll(risks, []string{"low", "medium"}) {
		t.Errorf("risk levels of unblocked media %v, want low and medium", risks)
	}
	n = 0
	for _, b := range gr.byLabel[Address] {
		for _, a := range b.Addresses {
			if idx(Address, a.ID) != n {
				t.Fatalf("address #%d has id %d", n, a.ID)
			}
			n++
			if a.Street == "" || a.City == "" || a.Postcode == "" || a.Country == "" {
				t.Errorf("address %+v", a)
			}
		}
	}
}

func TestEdgeAttributes(t *testing.T) {
	gr := sharedGraph(t)
	g := gr.g
	s := g.Sizes()
	created := map[int64]int64{} // vertex id → createTime
	isCard := map[int64]bool{}
	for _, b := range gr.batches {
		for _, v := range b.Accounts {
			created[v.ID] = v.CreateTime
			isCard[v.ID] = v.Type == "card"
		}
		for _, v := range b.Companies {
			created[v.ID] = v.CreateTime
		}
		for _, v := range b.Media {
			created[v.ID] = v.CreateTime
		}
	}
	ownerOf := map[int64]int64{}
	for _, b := range gr.byLabel[Own] {
		for _, e := range b.Times {
			if e.Time != created[e.To] {
				t.Errorf("own %d->%d createTime %d, account created %d", e.From, e.To, e.Time, created[e.To])
			}
			ownerOf[e.To] = e.From
		}
	}
	// The owner layout: owner o's accounts are ownerStart[o] ≤ a < ownerStart[o+1].
	for o := range s.Persons + s.Companies {
		ol, oid := g.ownerRef(o)
		if g.ownerIndex(ol, int(IndexOf(ol, oid))) != o {
			t.Fatalf("ownerIndex(ownerRef(%d)) != %d", o, o)
		}
		for a := g.ownerStart[o]; a < g.ownerStart[o+1]; a++ {
			if ownerOf[ID(Account, int(a))] != oid {
				t.Fatalf("account %d owned by %d, layout says %d", a, ownerOf[ID(Account, int(a))], oid)
			}
		}
		if n := g.ownerStart[o+1] - g.ownerStart[o]; n < 1 || n > 5 {
			t.Fatalf("owner %d has %d accounts", o, n)
		}
	}
	applicant := map[int64]int64{}
	orgs := map[string]int{}
	for _, b := range gr.byLabel[Apply] {
		for _, e := range b.Notes {
			applicant[e.To] = e.From
			orgs[e.Note]++
			if e.Timestamp < SpanStart || e.Timestamp >= SpanStart+year {
				t.Errorf("apply at %d, want in the first year", e.Timestamp)
			}
			if ol, oid := g.ownerRef(g.applicant(int(IndexOf(Loan, e.To)))); ol != e.FromLabel || oid != e.From {
				t.Errorf("apply %d->%d, applicant() says %s %d", e.From, e.To, ol, oid)
			}
		}
	}
	if len(applicant) != s.Loans || !seenAll(orgs, organizations[:]) {
		t.Errorf("%d loans applied for (want %d); organizations %v", len(applicant), s.Loans, orgs)
	}
	loanAmount := func(id int64) float64 { return cents(g.loanAmountCents(int(IndexOf(Loan, id)))) }
	perLoan := map[Label]map[int64]int{Deposit: {}, Repay: {}}
	for _, l := range []Label{Deposit, Repay} {
		for _, b := range gr.byLabel[l] {
			for _, e := range b.Money {
				loan, acc := e.From, e.To
				if l == Repay {
					loan, acc = e.To, e.From
				}
				perLoan[l][loan]++
				if ownerOf[acc] != applicant[loan] {
					t.Errorf("%s %d->%d: account owned by %d, loan applied for by %d", l, e.From, e.To, ownerOf[acc], applicant[loan])
				}
				if e.Timestamp < SpanStart+year || e.Timestamp >= SpanEnd {
					t.Errorf("%s at %d, want after the first year", l, e.Timestamp)
				}
				if l == Repay && (e.Amount > loanAmount(loan)/20+0.01 || e.Amount < loanAmount(loan)/60-0.01) {
					t.Errorf("repay %v of loan %v, want 1/60–1/20 of it", e.Amount, loanAmount(loan))
				}
			}
		}
	}
	for loan, k := range perLoan[Deposit] {
		if k < 1 || k > 3 {
			t.Errorf("loan %d has %d deposits, want 1–3", loan, k)
		}
	}
	if len(perLoan[Deposit]) != s.Loans {
		t.Errorf("%d loans with deposits, want all %d", len(perLoan[Deposit]), s.Loans)
	}
	depositSum := map[int64]float64{}
	for _, b := range gr.byLabel[Deposit] {
		for _, e := range b.Money {
			depositSum[e.From] += e.Amount
			want := float64(g.loanAmountCents(int(IndexOf(Loan, e.From)))/int64(perLoan[Deposit][e.From])) / 100
			if e.Amount != want {
				t.Errorf("deposit of loan %d: %v, want the amount split in %d: %v", e.From, e.Amount, perLoan[Deposit][e.From], want)
			}
		}
	}
	maxRepays := 0
	for _, k := range perLoan[Repay] {
		maxRepays = max(maxRepays, k)
	}
	if maxRepays != 5 {
		t.Errorf("at most %d repays per loan, want 0–5 with 5 reached", maxRepays)
	}
	withdrawsPer := map[int64]int{}
	for _, b := range gr.byLabel[Withdraw] {
		if g.plan.hasEdges(Withdraw) && b.Partition == len(gr.byLabel[Withdraw])-1 {
			continue // injected withdraws
		}
		for _, e := range b.Money {
			withdrawsPer[e.From]++
			if isCard[e.From] || !isCard[e.To] {
				t.Errorf("withdraw %d->%d: want a non-card account to a card", e.From, e.To)
			}
			if e.Timestamp < max(created[e.From], created[e.To]) || e.Timestamp >= SpanEnd {
				t.Errorf("withdraw at %d before an end's creation", e.Timestamp)
			}
			if e.Amount < 10 || e.Amount >= 5000 {
				t.Errorf("withdraw amount %v, want [10, 5000)", e.Amount)
			}
		}
	}
	maxW := 0
	for _, k := range withdrawsPer {
		maxW = max(maxW, k)
	}
	if maxW != 3 {
		t.Errorf("at most %d withdraws per account, want 0–3 with 3 reached", maxW)
	}
	payTypeSeen := map[string]int{}
	for _, b := range gr.byLabel[Transfer] {
		if b.Partition == len(gr.byLabel[Transfer])-1 {
			continue // injected transfers
		}
		for _, e := range b.Transfers {
			payTypeSeen[e.PayType]++
			if e.Timestamp < max(created[e.From], created[e.To]) || e.Timestamp >= SpanEnd {
				t.Errorf("transfer at %d before an end's creation", e.Timestamp)
			}
			if e.Amount < 1 || e.Amount >= 50_000 || e.OrderNumber < 0 || e.OrderNumber >= 1e12 {
				t.Errorf("transfer amount %v order %d", e.Amount, e.OrderNumber)
			}
		}
	}
	if !seenAll(payTypeSeen, payTypes[:]) || len(payTypeSeen) != len(payTypes) {
		t.Errorf("pay types %v", payTypeSeen)
	}
	reserved := map[int64]bool{}
	for _, r := range g.GroundTruth().FraudRings {
		reserved[r.Medium] = true
	}
	signInAccounts := map[int64]map[int64]bool{}
	for _, b := range gr.byLabel[SignIn] {
		if b.Partition == len(gr.byLabel[SignIn])-1 {
			continue // injected sign-ins
		}
		for _, e := range b.Notes {
			if reserved[e.From] {
				t.Errorf("reserved ring medium %d has an ordinary sign-in", e.From)
			}
			if e.Timestamp < max(created[e.From], created[e.To]) || e.Timestamp >= SpanEnd {
				t.Errorf("signIn at %d before an end's creation", e.Timestamp)
			}
			if e.Note == "" {
				t.Errorf("signIn %d->%d without a location", e.From, e.To)
			}
			if signInAccounts[e.From] == nil {
				signInAccounts[e.From] = map[int64]bool{}
			}
			signInAccounts[e.From][e.To] = true
		}
	}
	// Every unreserved medium signs in to 1–4 accounts.
	for m := range s.Media {
		id := ID(Medium, m)
		if n := len(signInAccounts[id]); reserved[id] != (n == 0) || n > 4 {
			t.Errorf("medium %d (reserved %v) signs in to %d accounts", id, reserved[id], n)
		}
	}
	for _, b := range gr.byLabel[Invest] {
		for _, e := range b.Invests {
			if e.FromLabel == Company && e.From == e.To {
				t.Errorf("company %d invests in itself", e.To)
			}
			if e.Ratio < 0.01 || e.Ratio > 1 || !twoDecimals(e.Ratio) {
				t.Errorf("invest ratio %v", e.Ratio)
			}
			if e.Timestamp < created[e.To] || e.Timestamp >= SpanEnd {
				t.Errorf("invest at %d before company creation %d", e.Timestamp, created[e.To])
			}
		}
	}
	guarantors := map[int64]bool{}
	rels := map[string]int{}
	for _, b := range gr.byLabel[Guarantee] {
		for _, e := range b.Notes {
			guarantors[e.From] = true
			rels[e.Note]++
			if e.FromLabel != e.ToLabel || e.From == e.To {
				t.Errorf("guarantee %s %d -> %s %d: want two distinct owners of one kind", e.FromLabel, e.From, e.ToLabel, e.To)
			}
			if e.Timestamp < SpanStart+year || e.Timestamp >= SpanEnd {
				t.Errorf("guarantee at %d, want after the first year", e.Timestamp)
			}
		}
	}
	if f := float64(len(guarantors)) / float64(s.Persons+s.Companies); f < 0.33 || f > 0.47 {
		t.Errorf("%.3f of owners guarantee someone, want ≈0.40", f)
	}
	if !seenAll(rels, relationships[:]) {
		t.Errorf("relationships %v", rels)
	}
	addrSeen := map[Label]map[int64]bool{LivesAt: {}, RegisteredAt: {}}
	for _, l := range []Label{LivesAt, RegisteredAt} {
		for _, b := range gr.byLabel[l] {
			for _, e := range b.Times {
				addrSeen[l][e.To] = true
				if e.Time != g.createTime(e.FromLabel, int(IndexOf(e.FromLabel, e.From))) {
					t.Errorf("%s since %d, want the owner's createTime", l, e.Time)
				}
				if l == LivesAt && e.To != ID(Address, g.homeAddress(int(IndexOf(Person, e.From)))) {
					t.Errorf("person %d lives at %d, homeAddress differs", e.From, e.To)
				}
			}
		}
		// Addresses are drawn uniformly: most of the 400 are used.
		if len(addrSeen[l]) < s.Addresses/2 {
			t.Errorf("%s uses %d of %d addresses", l, len(addrSeen[l]), s.Addresses)
		}
	}
}
