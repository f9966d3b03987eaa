// Package banking generates deterministic, FinBench-aligned synthetic banking
// graphs: typed vertices and edges streamed in batches, injected fraud and AML
// patterns, and the ground truth that lets query answers be checked.
//
// The output is a pure function of the [Config] (seed, scale, locale, pattern
// counts): the id space of every label is cut into fixed partitions, each
// partition is generated from its own seeded gofakeit Faker, and batches are
// emitted in partition order whatever the number of workers.
package banking

// Kind tells vertices from edges.
type Kind uint8

// Element kinds.
const (
	VertexKind Kind = iota
	EdgeKind
)

// String returns "vertex" or "edge".
func (k Kind) String() string {
	if k == VertexKind {
		return "vertex"
	}
	return "edge"
}

// Label identifies one vertex or edge label. Vertex labels come first, in
// the order the generator emits them, then edge labels.
type Label uint8

// Vertex labels.
const (
	Person Label = iota
	Company
	Account
	Loan
	Medium
	Address
)

// Edge labels.
const (
	Own Label = iota + Address + 1
	Transfer
	Withdraw
	Deposit
	Repay
	SignIn
	Apply
	Invest
	Guarantee
	LivesAt
	RegisteredAt
)

// NumLabels is the number of labels (vertex and edge).
const NumLabels = int(RegisteredAt) + 1

// NumVertexLabels is the number of vertex labels; labels below it are vertices.
const NumVertexLabels = int(Address) + 1

// DataType is a property's value type, as declared in the graph schema.
type DataType uint8

// Property data types. Their Go types are int64, float64, string and bool.
const (
	Int64 DataType = iota
	Float64
	String
	Bool
)

// String returns the type's name ("Long", "Double", "String", "Boolean"),
// the JanusGraph class simple name.
func (t DataType) String() string {
	switch t {
	case Int64:
		return "Long"
	case Float64:
		return "Double"
	case String:
		return "String"
	default:
		return "Boolean"
	}
}

// Property is one property key of a label.
type Property struct {
	Name string
	Type DataType
}

// LabelInfo describes one label: its name, kind, business-id key (vertices),
// properties in file column order (a vertex's first property is its id
// key), and for edges the labels allowed at each end and the JanusGraph
// multiplicity the generated data respects.
type LabelInfo struct {
	Label Label
	Name  string
	Kind  Kind
	// IDKey is the business-id property of a vertex label ("personId", ...).
	IDKey string
	Props []Property
	From  []Label
	To    []Label
	// Multiplicity is MULTI (several edges per pair), ONE2MANY (at most one
	// incoming edge per vertex) or MANY2ONE (at most one outgoing edge).
	Multiplicity string
}

// Endpoint column names in edge files and in edge binding maps.
const (
	ColFromLabel = "fromLabel"
	ColFromID    = "fromId"
	ColToLabel   = "toLabel"
	ColToID      = "toId"
)

func labelTable() []LabelInfo {
	ts := Property{"timestamp", Int64}
	amount := Property{"amount", Float64}
	owners := []Label{Person, Company}
	return []LabelInfo{
		{Label: Person, Name: "Person", Kind: VertexKind, IDKey: "personId", Props: []Property{
			{"personId", Int64}, {"name", String}, {"isBlocked", Bool}, {"createTime", Int64},
			{"gender", String}, {"birthday", Int64}, {"country", String}, {"city", String}}},
		{Label: Company, Name: "Company", Kind: VertexKind, IDKey: "companyId", Props: []Property{
			{"companyId", Int64}, {"name", String}, {"isBlocked", Bool}, {"createTime", Int64},
			{"country", String}, {"city", String}, {"business", String}, {"url", String}}},
		{Label: Account, Name: "Account", Kind: VertexKind, IDKey: "accountId", Props: []Property{
			{"accountId", Int64}, {"createTime", Int64}, {"isBlocked", Bool}, {"type", String},
			{"nickname", String}, {"email", String}, {"phoneNumber", String}, {"accountLevel", String}}},
		{Label: Loan, Name: "Loan", Kind: VertexKind, IDKey: "loanId", Props: []Property{
			{"loanId", Int64}, {"loanAmount", Float64}, {"balance", Float64}, {"usage", String},
			{"interestRate", Float64}}},
		{Label: Medium, Name: "Medium", Kind: VertexKind, IDKey: "mediumId", Props: []Property{
			{"mediumId", Int64}, {"type", String}, {"createTime", Int64}, {"isBlocked", Bool},
			{"riskLevel", String}}},
		{Label: Address, Name: "Address", Kind: VertexKind, IDKey: "addressId", Props: []Property{
			{"addressId", Int64}, {"street", String}, {"city", String}, {"postcode", String},
			{"country", String}}},
		{Label: Own, Name: "own", Kind: EdgeKind, From: owners, To: []Label{Account}, Multiplicity: "ONE2MANY",
			Props: []Property{{"createTime", Int64}}},
		{Label: Transfer, Name: "transfer", Kind: EdgeKind, From: []Label{Account}, To: []Label{Account}, Multiplicity: "MULTI",
			Props: []Property{ts, amount, {"orderNumber", Int64}, {"payType", String}}},
		{Label: Withdraw, Name: "withdraw", Kind: EdgeKind, From: []Label{Account}, To: []Label{Account}, Multiplicity: "MULTI",
			Props: []Property{ts, amount}},
		{Label: Deposit, Name: "deposit", Kind: EdgeKind, From: []Label{Loan}, To: []Label{Account}, Multiplicity: "MULTI",
			Props: []Property{ts, amount}},
		{Label: Repay, Name: "repay", Kind: EdgeKind, From: []Label{Account}, To: []Label{Loan}, Multiplicity: "MULTI",
			Props: []Property{ts, amount}},
		{Label: SignIn, Name: "signIn", Kind: EdgeKind, From: []Label{Medium}, To: []Label{Account}, Multiplicity: "MULTI",
			Props: []Property{ts, {"location", String}}},
		{Label: Apply, Name: "apply", Kind: EdgeKind, From: owners, To: []Label{Loan}, Multiplicity: "ONE2MANY",
			Props: []Property{ts, {"organization", String}}},
		{Label: Invest, Name: "invest", Kind: EdgeKind, From: owners, To: []Label{Company}, Multiplicity: "MULTI",
			Props: []Property{ts, {"ratio", Float64}}},
		{Label: Guarantee, Name: "guarantee", Kind: EdgeKind, From: owners, To: owners, Multiplicity: "MULTI",
			Props: []Property{ts, {"relationship", String}}},
		{Label: LivesAt, Name: "livesAt", Kind: EdgeKind, From: []Label{Person}, To: []Label{Address}, Multiplicity: "MANY2ONE",
			Props: []Property{{"since", Int64}}},
		{Label: RegisteredAt, Name: "registeredAt", Kind: EdgeKind, From: []Label{Company}, To: []Label{Address}, Multiplicity: "MANY2ONE",
			Props: []Property{{"since", Int64}}},
	}
}

// Labels returns the description of every label, vertex labels first, in
// emission order. The slice is new on every call.
func Labels() []LabelInfo { return labelTable() }

// Info returns the description of l.
func (l Label) Info() LabelInfo { return labelTable()[l] }

// labelNames is indexed by Label; it is never modified.
var labelNames = [NumLabels]string{
	"Person", "Company", "Account", "Loan", "Medium", "Address",
	"own", "transfer", "withdraw", "deposit", "repay", "signIn", "apply", "invest",
	"guarantee", "livesAt", "registeredAt",
}

// idKeys is indexed by vertex Label; it is never modified.
var idKeys = [NumVertexLabels]string{"personId", "companyId", "accountId", "loanId", "mediumId", "addressId"}

// String returns the label's name as it appears in the graph ("Person", "transfer").
func (l Label) String() string {
	if int(l) < NumLabels {
		return labelNames[l]
	}
	return "label(" + itoa(int64(l)) + ")"
}

// Kind reports whether l is a vertex or an edge label.
func (l Label) Kind() Kind {
	if int(l) < NumVertexLabels {
		return VertexKind
	}
	return EdgeKind
}

// IDKey returns the business-id property key of a vertex label
// ("personId", "accountId", ...), or "" for an edge label.
func (l Label) IDKey() string {
	if int(l) < NumVertexLabels {
		return idKeys[l]
	}
	return ""
}

// ParseLabel returns the label named name.
func ParseLabel(name string) (Label, bool) {
	for i, n := range labelNames {
		if n == name {
			return Label(i), true
		}
	}
	return 0, false
}

// Vertex entities. Ids are business ids, unique within their label.

// PersonV is a Person vertex.
type PersonV struct {
	ID         int64
	Name       string
	IsBlocked  bool
	CreateTime int64
	Gender     string
	Birthday   int64
	Country    string
	City       string
}

// CompanyV is a Company vertex.
type CompanyV struct {
	ID         int64
	Name       string
	IsBlocked  bool
	CreateTime int64
	Country    string
	City       string
	Business   string
	URL        string
}

// AccountV is an Account vertex.
type AccountV struct {
	ID           int64
	CreateTime   int64
	IsBlocked    bool
	Type         string
	Nickname     string
	Email        string
	PhoneNumber  string
	AccountLevel string
}

// LoanV is a Loan vertex.
type LoanV struct {
	ID           int64
	LoanAmount   float64
	Balance      float64
	Usage        string
	InterestRate float64
}

// MediumV is a Medium vertex (an IP, MAC, POS terminal or phone).
type MediumV struct {
	ID         int64
	Type       string
	CreateTime int64
	IsBlocked  bool
	RiskLevel  string
}

// AddressV is an Address vertex.
type AddressV struct {
	ID       int64
	Street   string
	City     string
	Postcode string
	Country  string
}

// Ends are an edge's endpoints: labels and business ids.
type Ends struct {
	FromLabel Label
	ToLabel   Label
	From      int64
	To        int64
}

// TransferE is a transfer edge (Account → Account).
type TransferE struct {
	Ends
	Timestamp   int64
	Amount      float64
	OrderNumber int64
	PayType     string
}

// MoneyE is a withdraw, deposit or repay edge: a timestamp and an amount.
type MoneyE struct {
	Ends
	Timestamp int64
	Amount    float64
}

// TimeE is an own (createTime), livesAt or registeredAt (since) edge: one
// timestamp property.
type TimeE struct {
	Ends
	Time int64
}

// NoteE is a signIn (location), apply (organization) or guarantee
// (relationship) edge: a timestamp and one string property.
type NoteE struct {
	Ends
	Timestamp int64
	Note      string
}

// InvestE is an invest edge: a timestamp and an ownership ratio.
type InvestE struct {
	Ends
	Timestamp int64
	Ratio     float64
}
