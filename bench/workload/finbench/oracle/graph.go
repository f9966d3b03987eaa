// Package oracle checks the answers of the FinBench operations of package
// finbench: a [Graph] is an in-memory copy of the banking graph, fed the
// batches that were loaded ([Graph.Add]) and the writes that ran
// ([Graph.Apply]); one method per read (TCR1–TCR12, TSR1–TSR6) computes
// the spec's answer independently of the Gremlin, in Go, and
// [Graph.Check] compares a read's result with it.
//
// A Graph is not safe for concurrent use; [Live] serialises a Graph
// behind the operations of a concurrent run and checks the reads that no
// write overlapped.
package oracle

import (
	"slices"

	"github.com/graphperf/graphperf/banking"
)

// Ref is a vertex: its label and business id.
type Ref struct {
	Label banking.Label
	ID    int64
}

// Edge is one edge of the model. Which optional properties are meaningful
// depends on Label, as in package banking: Amount (transfer, withdraw,
// deposit, repay), OrderNumber and PayType (transfer), Note (signIn
// location, apply organization, guarantee relationship), Ratio (invest);
// Timestamp is the own edge's createTime and livesAt/registeredAt's since.
type Edge struct {
	Label       banking.Label
	From, To    Ref
	Timestamp   int64
	Amount      float64
	OrderNumber int64
	PayType     string
	Note        string
	Ratio       float64
}

// adj keys an adjacency list: the edges of one label at one vertex.
type adj struct {
	label banking.Label
	v     Ref
}

// Graph is the in-memory model of a banking graph. The zero value is not
// usable; call [New].
type Graph struct {
	persons   map[int64]*banking.PersonV
	companies map[int64]*banking.CompanyV
	accounts  map[int64]*banking.AccountV
	loans     map[int64]*banking.LoanV
	media     map[int64]*banking.MediumV
	addresses map[int64]*banking.AddressV
	out, in   map[adj][]*Edge
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{
		persons: map[int64]*banking.PersonV{}, companies: map[int64]*banking.CompanyV{},
		accounts: map[int64]*banking.AccountV{}, loans: map[int64]*banking.LoanV{},
		media: map[int64]*banking.MediumV{}, addresses: map[int64]*banking.AddressV{},
		out: map[adj][]*Edge{}, in: map[adj][]*Edge{},
	}
}

// Add copies one batch into the graph (for example every batch of
// dataset.Data.Run). Vertices may come after the edges that reference
// them; an element added twice is kept twice for edges and replaced for
// vertices.
func (g *Graph) Add(b *banking.Batch) {
	for i := range b.Persons {
		v := b.Persons[i]
		g.persons[v.ID] = &v
	}
	for i := range b.Companies {
		v := b.Companies[i]
		g.companies[v.ID] = &v
	}
	for i := range b.Accounts {
		v := b.Accounts[i]
		g.accounts[v.ID] = &v
	}
	for i := range b.Loans {
		v := b.Loans[i]
		g.loans[v.ID] = &v
	}
	for i := range b.Media {
		v := b.Media[i]
		g.media[v.ID] = &v
	}
	for i := range b.Addresses {
		v := b.Addresses[i]
		g.addresses[v.ID] = &v
	}
	ends := func(e banking.Ends) (Ref, Ref) {
		return Ref{e.FromLabel, e.From}, Ref{e.ToLabel, e.To}
	}
	for _, e := range b.Transfers {
		f, t := ends(e.Ends)
		g.AddEdge(&Edge{Label: b.Label, From: f, To: t, Timestamp: e.Timestamp, Amount: e.Amount, OrderNumber: e.OrderNumber, PayType: e.PayType})
	}
	for _, e := range b.Money {
		f, t := ends(e.Ends)
		g.AddEdge(&Edge{Label: b.Label, From: f, To: t, Timestamp: e.Timestamp, Amount: e.Amount})
	}
	for _, e := range b.Times {
		f, t := ends(e.Ends)
		g.AddEdge(&Edge{Label: b.Label, From: f, To: t, Timestamp: e.Time})
	}
	for _, e := range b.Notes {
		f, t := ends(e.Ends)
		g.AddEdge(&Edge{Label: b.Label, From: f, To: t, Timestamp: e.Timestamp, Note: e.Note})
	}
	for _, e := range b.Invests {
		f, t := ends(e.Ends)
		g.AddEdge(&Edge{Label: b.Label, From: f, To: t, Timestamp: e.Timestamp, Ratio: e.Ratio})
	}
}

// AddEdge adds one edge.
func (g *Graph) AddEdge(e *Edge) {
	o, i := adj{e.Label, e.From}, adj{e.Label, e.To}
	g.out[o] = append(g.out[o], e)
	g.in[i] = append(g.in[i], e)
}

// RemoveEdge removes one edge (the very pointer added).
func (g *Graph) RemoveEdge(e *Edge) {
	del := func(m map[adj][]*Edge, k adj) {
		es := slices.DeleteFunc(m[k], func(x *Edge) bool { return x == e })
		if len(es) == 0 {
			delete(m, k)
		} else {
			m[k] = es
		}
	}
	del(g.out, adj{e.Label, e.From})
	del(g.in, adj{e.Label, e.To})
}

// Out returns the edges of label l leaving v (shared: do not modify).
func (g *Graph) Out(l banking.Label, v Ref) []*Edge { return g.out[adj{l, v}] }

// In returns the edges of label l entering v (shared: do not modify).
func (g *Graph) In(l banking.Label, v Ref) []*Edge { return g.in[adj{l, v}] }

// RemoveVertex removes v and every edge at it.
func (g *Graph) RemoveVertex(v Ref) {
	for _, info := range banking.Labels() {
		if info.Kind != banking.EdgeKind {
			continue
		}
		// In is read after the out-edges are gone: removing a loop edits
		// both lists in place.
		for _, e := range slices.Clone(g.Out(info.Label, v)) {
			g.RemoveEdge(e)
		}
		for _, e := range slices.Clone(g.In(info.Label, v)) {
			g.RemoveEdge(e)
		}
	}
	switch v.Label {
	case banking.Person:
		delete(g.persons, v.ID)
	case banking.Company:
		delete(g.companies, v.ID)
	case banking.Account:
		delete(g.accounts, v.ID)
	case banking.Loan:
		delete(g.loans, v.ID)
	case banking.Medium:
		delete(g.media, v.ID)
	case banking.Address:
		delete(g.addresses, v.ID)
	}
}

// Person returns the person with business id id, or nil.
func (g *Graph) Person(id int64) *banking.PersonV { return g.persons[id] }

// Company returns the company with business id id, or nil.
func (g *Graph) Company(id int64) *banking.CompanyV { return g.companies[id] }

// Account returns the account with business id id, or nil.
func (g *Graph) Account(id int64) *banking.AccountV { return g.accounts[id] }

// Loan returns the loan with business id id, or nil.
func (g *Graph) Loan(id int64) *banking.LoanV { return g.loans[id] }

// Medium returns the medium with business id id, or nil.
func (g *Graph) Medium(id int64) *banking.MediumV { return g.media[id] }

// PutPerson adds or replaces a person.
func (g *Graph) PutPerson(v banking.PersonV) { g.persons[v.ID] = &v }

// PutCompany adds or replaces a company.
func (g *Graph) PutCompany(v banking.CompanyV) { g.companies[v.ID] = &v }

// PutAccount adds or replaces an account.
func (g *Graph) PutAccount(v banking.AccountV) { g.accounts[v.ID] = &v }

// PutLoan adds or replaces a loan.
func (g *Graph) PutLoan(v banking.LoanV) { g.loans[v.ID] = &v }

// PutMedium adds or replaces a medium.
func (g *Graph) PutMedium(v banking.MediumV) { g.media[v.ID] = &v }

// IDs returns the business ids of the vertices of label l, ascending.
func (g *Graph) IDs(l banking.Label) []int64 {
	var ids []int64
	add := func(id int64) { ids = append(ids, id) }
	switch l {
	case banking.Person:
		for id := range g.persons {
			add(id)
		}
	case banking.Company:
		for id := range g.companies {
			add(id)
		}
	case banking.Account:
		for id := range g.accounts {
			add(id)
		}
	case banking.Loan:
		for id := range g.loans {
			add(id)
		}
	case banking.Medium:
		for id := range g.media {
			add(id)
		}
	case banking.Address:
		for id := range g.addresses {
			add(id)
		}
	}
	slices.Sort(ids)
	return ids
}
