package banking

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/brianvoe/gofakeit/v7"
)

// Salts for stateless per-entity attributes.
const (
	saltOwnerCount uint64 = iota + 1
	saltCreate
	saltBlocked
	saltCard
	saltLoanAmount
	saltApplicant
	saltAddress
	saltMediumType
)

const (
	year  int64 = 365 * 24 * 3600 * 1000
	day   int64 = 24 * 3600 * 1000
	month int64 = 30 * day
)

// Fixed value pools (never modified).
var (
	payTypes      = [...]string{"transfer", "wire", "ach", "mobile", "online"}
	accountLevels = [...]string{"basic", "silver", "gold", "platinum", "diamond"}
	loanUsages    = [...]string{"mortgage", "car", "education", "business", "consumer", "renovation"}
	mediumTypes   = [...]string{"IP", "MAC", "POS", "PHONE"}
	riskLevels    = [...]string{"low", "medium", "high"}
	businesses    = [...]string{"retail", "manufacturing", "finance", "software", "logistics", "energy", "healthcare", "agriculture", "construction", "media"}
	organizations = [...]string{"First National Bank", "Metro Credit Union", "Harbor Savings", "Summit Lending", "Pioneer Trust", "Union Capital"}
	relationships = [...]string{"business", "family", "friend", "partner"}
)

// Stateless attributes shared by vertex and edge partitions.

func (g *Generator) createTime(l Label, idx int) int64 {
	return SpanStart + int64(hashOf(g.cfg.Seed, l, idx, saltCreate)%uint64(year))
}

func (g *Generator) isBlocked(l Label, idx int) bool {
	return hashOf(g.cfg.Seed, l, idx, saltBlocked)%100 < 5
}

func (g *Generator) isCard(a int) bool {
	return hashOf(g.cfg.Seed, Account, a, saltCard)%100 < 22
}

// ownerRef returns the label and business id of owner index o.
func (g *Generator) ownerRef(o int) (Label, int64) {
	if o < g.sizes.Persons {
		return Person, ID(Person, o)
	}
	return Company, ID(Company, o-g.sizes.Persons)
}

// ownerIndex is the inverse of ownerRef.
func (g *Generator) ownerIndex(l Label, idx int) int {
	if l == Person {
		return idx
	}
	return g.sizes.Persons + idx
}

// loanAmountCents is the loan's amount in cents (10,000.00 – 2,000,000.00, log-uniform).
func (g *Generator) loanAmountCents(i int) int64 {
	u := unit(hashOf(g.cfg.Seed, Loan, i, saltLoanAmount))
	return int64(math.Exp(math.Log(1e6) + u*(math.Log(2e8)-math.Log(1e6))))
}

// applicant returns the owner index that applied for loan i.
func (g *Generator) applicant(i int) int {
	if o, ok := g.plan.applicant[int32(i)]; ok {
		return int(o)
	}
	return int(hashOf(g.cfg.Seed, Loan, i, saltApplicant) % uint64(g.sizes.Persons+g.sizes.Companies))
}

// homeAddress returns the address index of person p (livesAt).
func (g *Generator) homeAddress(p int) int {
	if a, ok := g.plan.home[int32(p)]; ok {
		return int(a)
	}
	return int(hashOf(g.cfg.Seed, Person, p, saltAddress) % uint64(g.sizes.Addresses))
}

func cents(c int64) float64 { return float64(c) / 100 }

// partGen generates one partition.
type partGen struct {
	g    *Generator
	f    *gofakeit.Faker
	r    *rand.Rand
	seed uint64
}

// pool draws n values from the partition's faker. gofakeit calls cost
// 0.1–1 µs each (map lookups, templates), so per-entity strings are
// combined from small per-partition pools drawn once from the partition's
// own Faker: still deterministic, and ~10× cheaper.
func (p *partGen) pool(n int, draw func() string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = draw()
	}
	return out
}

func pick(r *rand.Rand, pool []string) string { return pool[r.IntN(len(pool))] }

// digits returns n random decimal digits.
func (p *partGen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + p.r.IntN(10))
	}
	return string(b)
}

func lower(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }

// logCents draws a log-uniform amount in cents in [lo, hi).
func (p *partGen) logCents(lo, hi float64) int64 {
	return int64(lo * math.Exp(p.r.Float64()*math.Log(hi/lo)))
}

// between returns a uniform timestamp in [lo, hi).
func (p *partGen) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + p.r.Int64N(hi-lo)
}

// pickAccount draws an account with a skewed (preferential) popularity:
// low ranks are popular, and ranks are scattered over the id space by a
// multiplicative permutation.
func (p *partGen) pickAccount() int {
	n := p.g.sizes.Accounts
	u := p.r.Float64()
	rank := int(float64(n) * u * u)
	return int((uint64(rank)*p.g.plan.permMul + p.g.plan.permAdd) % uint64(n))
}

// pickCard returns a card account: the first card at or after a random index.
func (p *partGen) pickCard() int {
	n := p.g.sizes.Accounts
	a := p.r.IntN(n)
	for range n {
		if p.g.isCard(a) {
			return a
		}
		a++
		if a == n {
			a = 0
		}
	}
	return 0
}

func (p *partGen) fill(b *Batch, lo, hi int) {
	g := p.g
	n := hi - lo
	switch b.Label {
	case Person:
		b.Persons = make([]PersonV, 0, n) //graphperf:nomutate capacity hint: append grows the slice anyway
		first, last := p.pool(64, p.f.FirstName), p.pool(64, p.f.LastName)
		countries, cities := p.pool(16, p.f.Country), p.pool(64, p.f.City)
		for i := lo; i < hi; i++ {
			gender := "male"
			if p.r.IntN(2) == 0 {
				gender = "female"
			}
			b.Persons = append(b.Persons, PersonV{
				ID: ID(Person, i), Name: pick(p.r, first) + " " + pick(p.r, last), IsBlocked: g.isBlocked(Person, i),
				CreateTime: g.createTime(Person, i), Gender: gender,
				Birthday: SpanStart - 18*year - p.r.Int64N(60*year),
				Country:  pick(p.r, countries), City: pick(p.r, cities),
			})
		}
	case Company:
		b.Companies = make([]CompanyV, 0, n) //graphperf:nomutate capacity hint: append grows the slice anyway
		for i := lo; i < hi; i++ {
			b.Companies = append(b.Companies, CompanyV{
				ID: ID(Company, i), Name: p.f.Company(), IsBlocked: g.isBlocked(Company, i),
				CreateTime: g.createTime(Company, i), Country: p.f.Country(), City: p.f.City(),
				Business: businesses[p.r.IntN(len(businesses))], URL: "https://www." + p.f.DomainName(),
			})
		}
	case Account:
		b.Accounts = make([]AccountV, 0, n) //graphperf:nomutate capacity hint: append grows the slice anyway
		users := p.pool(64, p.f.Username)
		first, last := p.pool(64, p.f.FirstName), p.pool(64, p.f.LastName)
		domains := p.pool(16, p.f.DomainName)
		for i := range first {
			first[i], last[i] = lower(first[i]), lower(last[i])
		}
		for i := lo; i < hi; i++ {
			typ := "personalDeposit"
			if int(g.accountOwner[i]) >= g.sizes.Persons {
				typ = "companyDeposit"
			}
			if g.isCard(i) {
				typ = "card"
			}
			b.Accounts = append(b.Accounts, AccountV{
				ID: ID(Account, i), CreateTime: g.createTime(Account, i), IsBlocked: g.isBlocked(Account, i),
				Type: typ, Nickname: pick(p.r, users),
				Email:        pick(p.r, first) + "." + pick(p.r, last) + strconv.Itoa(p.r.IntN(100)) + "@" + pick(p.r, domains),
				PhoneNumber:  p.digits(10),
				AccountLevel: accountLevels[p.r.IntN(len(accountLevels))],
			})
		}
	case Loan:
		b.Loans = make([]LoanV, 0, n) //graphperf:nomutate capacity hint: append grows the slice anyway
		for i := lo; i < hi; i++ {
			amt := g.loanAmountCents(i)
			b.Loans = append(b.Loans, LoanV{
				ID: ID(Loan, i), LoanAmount: cents(amt), Balance: cents(amt * int64(p.r.IntN(101)) / 100),
				Usage: loanUsages[p.r.IntN(len(loanUsages))], InterestRate: float64(100+p.r.IntN(1400)) / 10000,
			})
		}
	case Medium:
		b.Media = make([]MediumV, 0, n) //graphperf:nomutate capacity hint: append grows the slice anyway
		for i := lo; i < hi; i++ {
			blocked := g.isBlocked(Medium, i)
			risk := riskLevels[p.r.IntN(2)]
			if blocked {
				risk = "high"
			}
			b.Media = append(b.Media, MediumV{
				ID: ID(Medium, i), Type: mediumTypes[hashOf(p.seed, Medium, i, saltMediumType)%4],
				CreateTime: g.createTime(Medium, i), IsBlocked: blocked, RiskLevel: risk,
			})
		}
	case Address:
		b.Addresses = make([]AddressV, 0, n) //graphperf:nomutate capacity hint: append grows the slice anyway
		for i := lo; i < hi; i++ {
			b.Addresses = append(b.Addresses, AddressV{
				ID: ID(Address, i), Street: p.f.Street(), City: p.f.City(), Postcode: p.f.Zip(), Country: p.f.Country(),
			})
		}
	case Own:
		b.Times = make([]TimeE, 0, n) //graphperf:nomutate capacity hint: append grows the slice anyway
		for a := lo; a < hi; a++ {
			ol, oid := g.ownerRef(int(g.accountOwner[a]))
			b.Times = append(b.Times, TimeE{Ends: Ends{ol, Account, oid, ID(Account, a)}, Time: g.createTime(Account, a)})
		}
	case Transfer:
		p.transfers(b, lo, hi)
	case Withdraw:
		b.Money = make([]MoneyE, 0, n*3/2) //graphperf:nomutate capacity hint: append grows the slice anyway
		for a := lo; a < hi; a++ {
			if g.isCard(a) {
				continue
			}
			created := g.createTime(Account, a)
			for range p.r.IntN(4) {
				c := p.pickCard()
				b.Money = append(b.Money, MoneyE{Ends: Ends{Account, Account, ID(Account, a), ID(Account, c)},
					Timestamp: p.between(max(created, g.createTime(Account, c)), SpanEnd), Amount: cents(p.logCents(1000, 500000))})
			}
		}
	case Deposit, Repay:
		b.Money = make([]MoneyE, 0, n*3) //graphperf:nomutate capacity hint: append grows the slice anyway
		for i := lo; i < hi; i++ {
			o := g.applicant(i)
			first, cnt := int(g.ownerStart[o]), int(g.ownerStart[o+1]-g.ownerStart[o])
			amt := g.loanAmountCents(i)
			if b.Label == Deposit {
				k := 1 + p.r.IntN(3)
				for range k {
					a := first + p.r.IntN(cnt)
					b.Money = append(b.Money, MoneyE{Ends: Ends{Loan, Account, ID(Loan, i), ID(Account, a)},
						Timestamp: p.between(SpanStart+year, SpanEnd), Amount: cents(max(amt/int64(k), 1))})
				}
				continue
			}
			for range p.r.IntN(6) {
				a := first + p.r.IntN(cnt)
				b.Money = append(b.Money, MoneyE{Ends: Ends{Account, Loan, ID(Account, a), ID(Loan, i)},
					Timestamp: p.between(SpanStart+year, SpanEnd), Amount: cents(max(amt/int64(20+p.r.IntN(40)), 1))})
			}
		}
	case SignIn:
		b.Notes = make([]NoteE, 0, n*5) //graphperf:nomutate capacity hint: append grows the slice anyway
		for m := lo; m < hi; m++ {
			if g.plan.reservedMedium(m) {
				continue
			}
			created := g.createTime(Medium, m)
			for range 1 + p.r.IntN(4) {
				a := p.pickAccount()
				city := p.f.City()
				for range 1 + p.r.IntN(3) {
					b.Notes = append(b.Notes, NoteE{Ends: Ends{Medium, Account, ID(Medium, m), ID(Account, a)},
						Timestamp: p.between(max(created, g.createTime(Account, a)), SpanEnd), Note: city})
				}
			}
		}
	case Apply:
		b.Notes = make([]NoteE, 0, n) //graphperf:nomutate capacity hint: append grows the slice anyway
		for i := lo; i < hi; i++ {
			ol, oid := g.ownerRef(g.applicant(i))
			b.Notes = append(b.Notes, NoteE{Ends: Ends{ol, Loan, oid, ID(Loan, i)},
				Timestamp: p.between(SpanStart, SpanStart+year), Note: organizations[p.r.IntN(len(organizations))]})
		}
	case Invest:
		b.Invests = make([]InvestE, 0, n*2) //graphperf:nomutate capacity hint: append grows the slice anyway
		owners := g.sizes.Persons + g.sizes.Companies
		for c := lo; c < hi; c++ {
			self := g.ownerIndex(Company, c)
			for range p.r.IntN(4) {
				o := p.r.IntN(owners)
				if o == self {
					continue
				}
				ol, oid := g.ownerRef(o)
				b.Invests = append(b.Invests, InvestE{Ends: Ends{ol, Company, oid, ID(Company, c)},
					Timestamp: p.between(g.createTime(Company, c), SpanEnd), Ratio: float64(1+p.r.IntN(100)) / 100})
			}
		}
	case Guarantee:
		b.Notes = make([]NoteE, 0, n/3) //graphperf:nomutate capacity hint: append grows the slice anyway
		for o := lo; o < hi; o++ {
			if p.r.IntN(100) >= 40 {
				continue
			}
			lo2, hi2 := 0, g.sizes.Persons
			if o >= g.sizes.Persons {
				lo2, hi2 = g.sizes.Persons, g.sizes.Persons+g.sizes.Companies
			}
			t := lo2 + p.r.IntN(hi2-lo2)
			if t == o {
				continue
			}
			fl, fid := g.ownerRef(o)
			tl, tid := g.ownerRef(t)
			b.Notes = append(b.Notes, NoteE{Ends: Ends{fl, tl, fid, tid},
				Timestamp: p.between(SpanStart+year, SpanEnd), Note: relationships[p.r.IntN(len(relationships))]})
		}
	case LivesAt:
		b.Times = make([]TimeE, 0, n) //graphperf:nomutate capacity hint: append grows the slice anyway
		for i := lo; i < hi; i++ {
			b.Times = append(b.Times, TimeE{Ends: Ends{Person, Address, ID(Person, i), ID(Address, g.homeAddress(i))},
				Time: g.createTime(Person, i)})
		}
	case RegisteredAt:
		b.Times = make([]TimeE, 0, n) //graphperf:nomutate capacity hint: append grows the slice anyway
		for i := lo; i < hi; i++ {
			addr := int(hashOf(p.seed, Company, i, saltAddress) % uint64(g.sizes.Addresses))
			b.Times = append(b.Times, TimeE{Ends: Ends{Company, Address, ID(Company, i), ID(Address, addr)},
				Time: g.createTime(Company, i)})
		}
	}
}

// transfers draws a power-law number of counterparties per source account
// and a heavy-tailed number (1–100) of repeated transfers per pair.
func (p *partGen) transfers(b *Batch, lo, hi int) {
	g := p.g
	b.Transfers = make([]TransferE, 0, (hi-lo)*18) //graphperf:nomutate capacity hint: append grows the slice anyway
	maxPartners := float64(min(500, g.sizes.Accounts/2))
	for a := lo; a < hi; a++ {
		partners := int(math.Min(3.5*math.Pow(1-p.r.Float64(), -1/1.8), maxPartners))
		created := g.createTime(Account, a)
		from := ID(Account, a)
		for range partners {
			t := p.pickAccount()
			if t == a {
				continue
			}
			repeats := int(math.Min(math.Pow(1-p.r.Float64(), -1/1.6), 100))
			lo := max(created, g.createTime(Account, t))
			to := ID(Account, t)
			for range repeats {
				b.Transfers = append(b.Transfers, TransferE{Ends: Ends{Account, Account, from, to},
					Timestamp: p.between(lo, SpanEnd), Amount: cents(p.logCents(100, 5_000_000)),
					OrderNumber: p.r.Int64N(1e12), PayType: payTypes[p.r.IntN(len(payTypes))]})
			}
		}
	}
}
