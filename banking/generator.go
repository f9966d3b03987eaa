package banking

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/brianvoe/gofakeit/v7"
)

// Batch is one partition of one label: a slice of typed entities. Exactly
// one of the slices is set, chosen by Label: Persons, Companies, Accounts,
// Loans, Media, Addresses for vertex labels; Transfers (transfer), Money
// (withdraw, deposit, repay), Times (own, livesAt, registeredAt), Notes
// (signIn, apply, guarantee) or Invests (invest) for edge labels.
type Batch struct {
	Label Label
	// Partition is the partition index within the label. Edges injected by
	// patterns come in the label's last partition.
	Partition int

	Persons   []PersonV
	Companies []CompanyV
	Accounts  []AccountV
	Loans     []LoanV
	Media     []MediumV
	Addresses []AddressV

	Transfers []TransferE
	Money     []MoneyE
	Times     []TimeE
	Notes     []NoteE
	Invests   []InvestE
}

// Len returns the number of entities in the batch.
func (b *Batch) Len() int {
	return len(b.Persons) + len(b.Companies) + len(b.Accounts) + len(b.Loans) + len(b.Media) +
		len(b.Addresses) + len(b.Transfers) + len(b.Money) + len(b.Times) + len(b.Notes) + len(b.Invests)
}

// Sizes are the vertex counts of a generated graph.
type Sizes struct {
	Persons, Companies, Accounts, Loans, Media, Addresses int
}

// Count returns the vertex count of vertex label l.
func (s Sizes) Count(l Label) int {
	switch l {
	case Person:
		return s.Persons
	case Company:
		return s.Companies
	case Account:
		return s.Accounts
	case Loan:
		return s.Loans
	case Medium:
		return s.Media
	case Address:
		return s.Addresses
	}
	return 0
}

type job struct {
	label  Label
	part   int
	lo, hi int  // source index range
	plan   bool // the pattern partition of an edge label
}

// Generator produces the batches of one configuration. It is safe to call
// Run several times (each run produces the same stream) but not
// concurrently with itself.
type Generator struct {
	cfg   Config
	sizes Sizes
	// ownerStart[o] is the first account index of owner o (persons first,
	// then companies); ownerStart[owners] == accounts.
	ownerStart []int32
	// accountOwner[a] is the owner index of account a.
	accountOwner []int32
	plan         *plan
	jobs         []job
	// updateStart is the split time (SpanEnd without a split); mode says
	// which side of it Run emits.
	updateStart int64
	mode        splitMode
}

// New validates cfg and prepares a generator: it lays out account
// ownership and plans the injected patterns (small, in memory); entities are
// generated only by Run.
func New(cfg Config) (*Generator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	g := &Generator{cfg: cfg, updateStart: updateStart(cfg.UpdateShare)}
	s := Sizes{
		Persons:   scaled(basePersons, cfg.Scale),
		Companies: scaled(baseCompanies, cfg.Scale),
		Loans:     scaled(baseLoans, cfg.Scale),
		Media:     scaled(baseMedia, cfg.Scale),
		Addresses: scaled(baseAddresses, cfg.Scale),
	}
	owners := s.Persons + s.Companies
	g.ownerStart = make([]int32, owners+1)
	n := 0
	for o := range owners {
		g.ownerStart[o] = int32(n)
		n += accountsPerOwner(hashOf(cfg.Seed, Account, o, saltOwnerCount))
	}
	g.ownerStart[owners] = int32(n)
	s.Accounts = n
	g.accountOwner = make([]int32, n)
	for o := range owners {
		for a := g.ownerStart[o]; a < g.ownerStart[o+1]; a++ {
			g.accountOwner[a] = int32(o)
		}
	}
	g.sizes = s
	p, err := newPlan(g)
	if err != nil {
		return nil, err
	}
	g.plan = p
	for l := range Label(NumLabels) {
		src := g.sourceCount(l)
		parts := (src + PartitionSize - 1) / PartitionSize
		for i := range parts {
			g.jobs = append(g.jobs, job{label: l, part: i, lo: i * PartitionSize, hi: min((i+1)*PartitionSize, src)})
		}
		if l.Kind() == EdgeKind && p.hasEdges(l) {
			g.jobs = append(g.jobs, job{label: l, part: parts, plan: true})
		}
	}
	return g, nil
}

// accountsPerOwner draws 1–5 accounts: 45%, 30%, 13%, 7%, 5% (mean 1.97).
func accountsPerOwner(h uint64) int {
	switch v := h % 100; {
	case v < 45:
		return 1
	case v < 75:
		return 2
	case v < 88:
		return 3
	case v < 95:
		return 4
	default:
		return 5
	}
}

// sourceCount is the number of source entities that label l's partitions
// cover.
func (g *Generator) sourceCount(l Label) int {
	s := g.sizes
	switch l {
	case Own, Transfer, Withdraw:
		return s.Accounts
	case Deposit, Repay, Apply:
		return s.Loans
	case SignIn:
		return s.Media
	case Invest, RegisteredAt:
		return s.Companies
	case Guarantee:
		return s.Persons + s.Companies
	case LivesAt:
		return s.Persons
	}
	return s.Count(l)
}

// Config returns the configuration with defaults applied.
func (g *Generator) Config() Config { return g.cfg }

// Sizes returns the vertex counts.
func (g *Generator) Sizes() Sizes { return g.sizes }

// GroundTruth returns the injected pattern instances. It is known before
// Run: patterns are planned by New.
func (g *Generator) GroundTruth() *GroundTruth { return g.plan.truth() }

// Batches returns the total number of batches Run emits, for progress bars.
func (g *Generator) Batches() int { return len(g.jobs) }

// BatchLabels returns the label of each batch, in emission order.
func (g *Generator) BatchLabels() []Label {
	out := make([]Label, len(g.jobs))
	for i, j := range g.jobs {
		out[i] = j.label
	}
	return out
}

// Run generates every batch (with a split, Config.UpdateShare, only the
// bulk part: elements before UpdateStart), validates it (unless Config.SkipValidation)
// and calls emit with it, in a fixed order: vertex labels first, then edge
// labels, each label's partitions in index order. Workers generate ahead
// concurrently, at most 2×Workers batches in memory. emit runs on the
// calling goroutine; an error from it (or from validation, or ctx) stops the
// run and is returned.
func (g *Generator) Run(ctx context.Context, emit func(*Batch) error) error {
	return RunPrepared(ctx, g, nil, func(b *Batch, _ struct{}) error { return emit(b) })
}

// RunPrepared is Run with a prepare step that runs on the worker goroutines
// right after each batch is generated, concurrently, so that per-batch work
// such as encoding or building binding maps is spread over the workers.
// emit receives the batches in order with prepare's result. A nil prepare
// yields T's zero value.
func RunPrepared[T any](ctx context.Context, g *Generator, prepare func(*Batch) (T, error), emit func(*Batch, T) error) error {
	type result struct {
		b   *Batch
		v   T
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := g.cfg.Workers
	results := make([]chan result, len(g.jobs))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	sem := make(chan struct{}, 2*workers)
	next := make(chan int)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(next)
		for i := range g.jobs {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	})
	for range workers {
		wg.Go(func() {
			for i := range next {
				var r result
				r.b = g.generate(g.jobs[i])
				if prepare != nil {
					r.v, r.err = prepare(r.b)
				}
				results[i] <- r
			}
		})
	}
	defer func() {
		cancel()
		wg.Wait()
	}()
	var v *Validator
	if !g.cfg.SkipValidation {
		v = newValidator(g.sizes)
	}
	for i := range g.jobs {
		var r result
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil {
			return fmt.Errorf("banking: preparing %s batch %d: %w", r.b.Label, r.b.Partition, r.err)
		}
		if v != nil {
			if err := v.check(r.b); err != nil {
				return err
			}
		}
		if err := emit(r.b, r.v); err != nil {
			return err
		}
		<-sem
	}
	return nil
}

// newFaker returns the Faker of one (seed, label partition, locale): a
// private PCG stream, never the global faker.
func (g *Generator) newFaker(l Label, part int) (*gofakeit.Faker, *rand.Rand) {
	src := rand.NewPCG(g.cfg.Seed, uint64(l)<<40|uint64(part))
	return gofakeit.NewFaker(src, false), rand.New(src)
}

func (g *Generator) generate(j job) *Batch {
	b := &Batch{Label: j.label, Partition: j.part}
	if j.plan {
		g.plan.fill(b)
		if g.Split() {
			keepSide(b, g.updateStart, g.mode)
		}
		return b
	}
	f, r := g.newFaker(j.label, j.part)
	gen := partGen{g: g, f: f, r: r, seed: g.cfg.Seed}
	gen.fill(b, j.lo, j.hi)
	if g.Split() {
		keepSide(b, g.updateStart, g.mode)
	}
	return b
}
