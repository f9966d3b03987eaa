package banking

import (
	"fmt"
	"math/rand/v2"
)

// Pattern kinds, as written in the ground truth.
const (
	KindTransferCycle      = "transfer-cycle"
	KindMuleChain          = "mule-chain"
	KindStructuring        = "structuring"
	KindFraudRing          = "fraud-ring"
	KindBlockedMediumChain = "blocked-medium-chain"
	KindFanInWithdraw      = "fan-in-withdraw"
	KindGuaranteeChain     = "guarantee-chain"
)

// StructuringThreshold is the reporting threshold that structuring deposits
// stay just under: every structuring amount is in [StructuringMin, StructuringThreshold).
const (
	StructuringThreshold = 10000.00
	StructuringMin       = 9000.00
)

// Hop is one injected money movement (transfer or withdraw) between two
// accounts, by business id.
type Hop struct {
	From      int64   `json:"from"`
	To        int64   `json:"to"`
	Timestamp int64   `json:"timestamp"`
	Amount    float64 `json:"amount"`
}

// SignInRef is one injected signIn edge.
type SignInRef struct {
	Medium    int64 `json:"medium"`
	Account   int64 `json:"account"`
	Timestamp int64 `json:"timestamp"`
}

// TransferCycle is a round trip: transfers Accounts[0] → Accounts[1] → … →
// Accounts[0] with increasing timestamps.
type TransferCycle struct {
	Kind     string  `json:"kind"`
	Accounts []int64 `json:"accounts"`
	Hops     []Hop   `json:"hops"`
}

// MuleChain is victim → mule₁ … mule_k by transfers with increasing
// timestamps and amounts shrinking 2–6% per hop, then a withdraw from the
// last mule to a card account.
type MuleChain struct {
	Kind     string  `json:"kind"`
	Victim   int64   `json:"victim"`
	Mules    []int64 `json:"mules"`
	Card     int64   `json:"card"`
	Hops     []Hop   `json:"hops"`
	Withdraw Hop     `json:"withdraw"`
}

// Structuring is many transfers just under the threshold from distinct
// accounts into one beneficiary within WindowStart..WindowEnd (< 24 h).
type Structuring struct {
	Kind        string  `json:"kind"`
	Beneficiary int64   `json:"beneficiary"`
	Sources     []int64 `json:"sources"`
	Threshold   float64 `json:"threshold"`
	MinAmount   float64 `json:"minAmount"`
	WindowStart int64   `json:"windowStart"`
	WindowEnd   int64   `json:"windowEnd"`
	Deposits    []Hop   `json:"deposits"`
}

// FraudRing is persons living at one Address whose accounts are signed in
// by one Medium, with transfers among their accounts.
type FraudRing struct {
	Kind      string      `json:"kind"`
	Persons   []int64     `json:"persons"`
	Address   int64       `json:"address"`
	Medium    int64       `json:"medium"`
	Accounts  []int64     `json:"accounts"`
	SignIns   []SignInRef `json:"signIns"`
	Transfers []Hop       `json:"transfers"`
}

// BlockedMediumChain is a blocked medium signing in to Accounts[0], followed
// by a chain of transfers Accounts[0] → … → Accounts[3] with timestamps
// increasing from the sign-in on.
type BlockedMediumChain struct {
	Kind     string    `json:"kind"`
	Medium   int64     `json:"medium"`
	SignIn   SignInRef `json:"signIn"`
	Accounts []int64   `json:"accounts"`
	Hops     []Hop     `json:"hops"`
}

// FanInWithdraw is many transfers from distinct Sources into Account, then a
// withdraw from Account to Card after the last incoming transfer.
type FanInWithdraw struct {
	Kind     string  `json:"kind"`
	Account  int64   `json:"account"`
	Sources  []int64 `json:"sources"`
	In       []Hop   `json:"in"`
	Card     int64   `json:"card"`
	Withdraw Hop     `json:"withdraw"`
}

// GuaranteeChain is persons Persons[0] guarantees Persons[1] guarantees …,
// each of whom applied for Loans[i] (LoanAmounts[i]).
type GuaranteeChain struct {
	Kind            string    `json:"kind"`
	Persons         []int64   `json:"persons"`
	Loans           []int64   `json:"loans"`
	LoanAmounts     []float64 `json:"loanAmounts"`
	TotalLoanAmount float64   `json:"totalLoanAmount"`
}

// GroundTruth lists every injected pattern instance by kind. Ordinary data
// may contain more structures of the same shape by chance: the ground truth
// is the set a correct query must at least find.
type GroundTruth struct {
	TransferCycles      []TransferCycle      `json:"transferCycles"`
	MuleChains          []MuleChain          `json:"muleChains"`
	Structuring         []Structuring        `json:"structuring"`
	FraudRings          []FraudRing          `json:"fraudRings"`
	BlockedMediumChains []BlockedMediumChain `json:"blockedMediumChains"`
	FanInWithdraws      []FanInWithdraw      `json:"fanInWithdraws"`
	GuaranteeChains     []GuaranteeChain     `json:"guaranteeChains"`
}

// plan holds the injected patterns: extra edges per label, overrides of
// ordinary edges (home address, loan applicant), and the ground truth.
type plan struct {
	g       *Generator
	r       *rand.Rand
	permMul uint64
	permAdd uint64

	applicant map[int32]int32 // loan index → owner index
	home      map[int32]int32 // person index → address index
	reserved  map[int32]bool  // media whose only signIns are injected

	transfers  []TransferE
	withdraws  []MoneyE
	signIns    []NoteE
	guarantees []NoteE

	usedAccounts, usedPersons, usedMedia, usedLoans, usedAddresses map[int]bool

	gt GroundTruth
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func newPlan(g *Generator) (*plan, error) {
	p := &plan{
		g:         g,
		r:         rand.New(rand.NewPCG(g.cfg.Seed, 1<<63)),
		applicant: map[int32]int32{}, home: map[int32]int32{}, reserved: map[int32]bool{},
		usedAccounts: map[int]bool{}, usedPersons: map[int]bool{}, usedMedia: map[int]bool{},
		usedLoans: map[int]bool{}, usedAddresses: map[int]bool{},
	}
	n := uint64(g.sizes.Accounts)
	p.permMul = 2654435761 % n
	for p.permMul == 0 || gcd(p.permMul, n) != 1 {
		p.permMul++
	}
	p.permAdd = p.r.Uint64() % n
	pc := g.cfg.Patterns
	steps := []struct {
		n     int
		build func() error
	}{
		{pc.TransferCycles, p.cycle}, {pc.MuleChains, p.muleChain}, {pc.Structuring, p.structuring},
		{pc.FraudRings, p.fraudRing}, {pc.BlockedMediumChains, p.blockedMedium},
		{pc.FanInWithdraws, p.fanIn}, {pc.GuaranteeChains, p.guaranteeChain},
	}
	for _, s := range steps {
		for range s.n {
			if err := s.build(); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

func (p *plan) truth() *GroundTruth { return &p.gt }

func (p *plan) reservedMedium(m int) bool { return len(p.reserved) > 0 && p.reserved[int32(m)] }

func (p *plan) hasEdges(l Label) bool {
	switch l {
	case Transfer:
		return len(p.transfers) > 0
	case Withdraw:
		return len(p.withdraws) > 0
	case SignIn:
		return len(p.signIns) > 0
	case Guarantee:
		return len(p.guarantees) > 0
	}
	return false
}

func (p *plan) fill(b *Batch) {
	switch b.Label {
	case Transfer:
		b.Transfers = append([]TransferE(nil), p.transfers...)
	case Withdraw:
		b.Money = append([]MoneyE(nil), p.withdraws...)
	case SignIn:
		b.Notes = append([]NoteE(nil), p.signIns...)
	case Guarantee:
		b.Notes = append([]NoteE(nil), p.guarantees...)
	}
}

// fresh draws an unused index in [0, n) satisfying ok and marks it used.
func (p *plan) fresh(what string, n int, used map[int]bool, ok func(int) bool) (int, error) {
	for range 20000 {
		i := p.r.IntN(n)
		if !used[i] && (ok == nil || ok(i)) {
			used[i] = true
			return i, nil
		}
	}
	return 0, fmt.Errorf("%w: no unused %s left (scale %v)", ErrTooManyPatterns, what, p.g.cfg.Scale)
}

func (p *plan) account() (int, error) {
	return p.fresh("non-card account", p.g.sizes.Accounts, p.usedAccounts, func(a int) bool { return !p.g.isCard(a) })
}

func (p *plan) card() (int, error) {
	return p.fresh("card account", p.g.sizes.Accounts, p.usedAccounts, p.g.isCard)
}

func (p *plan) accounts(k int) ([]int, error) {
	out := make([]int, k)
	for i := range out {
		a, err := p.account()
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

// start returns a pattern start time in the last year of the span, after
// every account's creation.
func (p *plan) start() int64 {
	return SpanStart + year + month + p.r.Int64N(year-3*month)
}

func (p *plan) transfer(from, to int, ts, amountCents int64) Hop {
	e := TransferE{Ends: Ends{Account, Account, ID(Account, from), ID(Account, to)}, Timestamp: ts,
		Amount: cents(amountCents), OrderNumber: p.r.Int64N(1e12), PayType: payTypes[p.r.IntN(len(payTypes))]}
	p.transfers = append(p.transfers, e)
	return Hop{e.From, e.To, ts, e.Amount}
}

func (p *plan) withdraw(from, to int, ts, amountCents int64) Hop {
	e := MoneyE{Ends: Ends{Account, Account, ID(Account, from), ID(Account, to)}, Timestamp: ts, Amount: cents(amountCents)}
	p.withdraws = append(p.withdraws, e)
	return Hop{e.From, e.To, ts, e.Amount}
}

func (p *plan) signIn(m, a int, ts int64) SignInRef {
	p.signIns = append(p.signIns, NoteE{Ends: Ends{Medium, Account, ID(Medium, m), ID(Account, a)}, Timestamp: ts, Note: "unknown"})
	return SignInRef{ID(Medium, m), ID(Account, a), ts}
}

func ids(l Label, idx []int) []int64 {
	out := make([]int64, len(idx))
	for i, v := range idx {
		out[i] = ID(l, v)
	}
	return out
}

func (p *plan) cycle() error {
	acc, err := p.accounts(3 + p.r.IntN(4))
	if err != nil {
		return err
	}
	c := TransferCycle{Kind: KindTransferCycle, Accounts: ids(Account, acc)}
	t := p.start()
	amt := 100_000 + p.r.Int64N(4_900_000)
	for i := range acc {
		t += 3600_000 + p.r.Int64N(day)
		c.Hops = append(c.Hops, p.transfer(acc[i], acc[(i+1)%len(acc)], t, amt))
		amt -= amt * p.r.Int64N(10) / 1000 // up to 1% fee per hop
	}
	p.gt.TransferCycles = append(p.gt.TransferCycles, c)
	return nil
}

func (p *plan) muleChain() error {
	acc, err := p.accounts(4 + p.r.IntN(3)) // victim + 3–5 mules
	if err != nil {
		return err
	}
	card, err := p.card()
	if err != nil {
		return err
	}
	m := MuleChain{Kind: KindMuleChain, Victim: ID(Account, acc[0]), Mules: ids(Account, acc[1:]), Card: ID(Account, card)}
	t := p.start()
	amt := 1_000_000 + p.r.Int64N(9_000_000)
	shrink := func(a int64) int64 { // 2.5–5.5% so that rounding keeps it within 2–6%
		return a - a*(25+p.r.Int64N(31))/1000
	}
	for i := 0; i+1 < len(acc); i++ {
		t += 600_000 + p.r.Int64N(6*3600_000)
		m.Hops = append(m.Hops, p.transfer(acc[i], acc[i+1], t, amt))
		amt = shrink(amt)
	}
	t += 600_000 + p.r.Int64N(6*3600_000)
	m.Withdraw = p.withdraw(acc[len(acc)-1], card, t, amt)
	p.gt.MuleChains = append(p.gt.MuleChains, m)
	return nil
}

func (p *plan) structuring() error {
	acc, err := p.accounts(1 + 10 + p.r.IntN(11))
	if err != nil {
		return err
	}
	s := Structuring{Kind: KindStructuring, Beneficiary: ID(Account, acc[0]), Sources: ids(Account, acc[1:]),
		Threshold: StructuringThreshold, MinAmount: StructuringMin}
	t0 := p.start()
	// The window is the deposits' span, from the first to the last.
	s.WindowStart, s.WindowEnd = t0+day, t0
	for _, src := range acc[1:] {
		ts := t0 + p.r.Int64N(day-3600_000)
		s.Deposits = append(s.Deposits, p.transfer(src, acc[0], ts, 900_000+p.r.Int64N(100_000)))
		s.WindowStart, s.WindowEnd = min(s.WindowStart, ts), max(s.WindowEnd, ts)
	}
	p.gt.Structuring = append(p.gt.Structuring, s)
	return nil
}

func (p *plan) fraudRing() error {
	g := p.g
	k := 3 + p.r.IntN(4)
	addr, err := p.fresh("address", g.sizes.Addresses, p.usedAddresses, nil)
	if err != nil {
		return err
	}
	med, err := p.fresh("medium", g.sizes.Media, p.usedMedia, func(m int) bool { return !g.isBlocked(Medium, m) })
	if err != nil {
		return err
	}
	p.reserved[int32(med)] = true
	ring := FraudRing{Kind: KindFraudRing, Address: ID(Address, addr), Medium: ID(Medium, med)}
	var acc []int
	for range k {
		person, err := p.fresh("person", g.sizes.Persons, p.usedPersons, func(i int) bool { return !p.usedAccounts[int(g.ownerStart[i])] })
		if err != nil {
			return err
		}
		a := int(g.ownerStart[person])
		p.usedAccounts[a] = true
		p.home[int32(person)] = int32(addr)
		ring.Persons = append(ring.Persons, ID(Person, person))
		acc = append(acc, a)
	}
	ring.Accounts = ids(Account, acc)
	t := p.start()
	for _, a := range acc {
		t += 60_000 + p.r.Int64N(3600_000)
		ring.SignIns = append(ring.SignIns, p.signIn(med, a, t))
	}
	for i := range acc {
		t += 3600_000 + p.r.Int64N(day)
		ring.Transfers = append(ring.Transfers, p.transfer(acc[i], acc[(i+1)%len(acc)], t, 50_000+p.r.Int64N(1_000_000)))
	}
	p.gt.FraudRings = append(p.gt.FraudRings, ring)
	return nil
}

func (p *plan) blockedMedium() error {
	g := p.g
	med, err := p.fresh("blocked medium", g.sizes.Media, p.usedMedia, func(m int) bool { return g.isBlocked(Medium, m) })
	if err != nil {
		return err
	}
	acc, err := p.accounts(4)
	if err != nil {
		return err
	}
	c := BlockedMediumChain{Kind: KindBlockedMediumChain, Medium: ID(Medium, med), Accounts: ids(Account, acc)}
	t := p.start()
	c.SignIn = p.signIn(med, acc[0], t)
	amt := 100_000 + p.r.Int64N(2_000_000)
	for i := 0; i+1 < len(acc); i++ {
		t += 600_000 + p.r.Int64N(day)
		c.Hops = append(c.Hops, p.transfer(acc[i], acc[i+1], t, amt))
	}
	p.gt.BlockedMediumChains = append(p.gt.BlockedMediumChains, c)
	return nil
}

func (p *plan) fanIn() error {
	acc, err := p.accounts(1 + 8 + p.r.IntN(8))
	if err != nil {
		return err
	}
	card, err := p.card()
	if err != nil {
		return err
	}
	f := FanInWithdraw{Kind: KindFanInWithdraw, Account: ID(Account, acc[0]), Sources: ids(Account, acc[1:]), Card: ID(Account, card)}
	t := p.start()
	var sum int64
	for _, src := range acc[1:] {
		t += 60_000 + p.r.Int64N(6*3600_000)
		amt := 50_000 + p.r.Int64N(500_000)
		sum += amt
		f.In = append(f.In, p.transfer(src, acc[0], t, amt))
	}
	t += 3600_000 + p.r.Int64N(day)
	f.Withdraw = p.withdraw(acc[0], card, t, sum*9/10)
	p.gt.FanInWithdraws = append(p.gt.FanInWithdraws, f)
	return nil
}

func (p *plan) guaranteeChain() error {
	g := p.g
	k := 3 + p.r.IntN(3)
	c := GuaranteeChain{Kind: KindGuaranteeChain}
	var persons []int
	var total int64
	for range k {
		person, err := p.fresh("person", g.sizes.Persons, p.usedPersons, nil)
		if err != nil {
			return err
		}
		loan, err := p.fresh("loan", g.sizes.Loans, p.usedLoans, nil)
		if err != nil {
			return err
		}
		p.applicant[int32(loan)] = int32(person)
		persons = append(persons, person)
		c.Loans = append(c.Loans, ID(Loan, loan))
		amt := g.loanAmountCents(loan)
		c.LoanAmounts = append(c.LoanAmounts, cents(amt))
		total += amt
	}
	c.Persons = ids(Person, persons)
	c.TotalLoanAmount = cents(total)
	t := p.start()
	for i := 0; i+1 < len(persons); i++ {
		t += day + p.r.Int64N(10*day)
		p.guarantees = append(p.guarantees, NoteE{Ends: Ends{Person, Person, ID(Person, persons[i]), ID(Person, persons[i+1])},
			Timestamp: t, Note: "business"})
	}
	p.gt.GuaranteeChains = append(p.gt.GuaranteeChains, c)
	return nil
}
