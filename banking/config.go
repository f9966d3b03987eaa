package banking

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// The generated time span: every timestamp lies in [SpanStart, SpanEnd),
// epoch milliseconds (2020-01-01T00:00Z to 2023-01-01T00:00Z).
const (
	SpanStart int64 = 1577836800000
	SpanEnd   int64 = 1672531200000
)

// Base counts at scale 1 (FinBench SF1-like: ≈640k vertices, ≈6.1M edges).
// Accounts are not listed: each owner (person or company) owns 1–5 of them
// (mean ≈1.97), so there are ≈295k.
const (
	basePersons   = 100_000
	baseCompanies = 50_000
	baseLoans     = 80_000
	baseMedia     = 70_000
	baseAddresses = 40_000
)

// PartitionSize is the number of entities (vertex labels) or source
// entities (edge labels) in one partition. It is fixed so that the output
// does not depend on the worker count.
const PartitionSize = 2048

// Locales lists the accepted values of Config.Locale. gofakeit/v7 ships
// English data only.
func Locales() []string { return []string{"en"} }

// PatternCounts says how many instances of each injected pattern to build.
type PatternCounts struct {
	TransferCycles      int `json:"transferCycles"`
	MuleChains          int `json:"muleChains"`
	Structuring         int `json:"structuring"`
	FraudRings          int `json:"fraudRings"`
	BlockedMediumChains int `json:"blockedMediumChains"`
	FanInWithdraws      int `json:"fanInWithdraws"`
	GuaranteeChains     int `json:"guaranteeChains"`
}

// DefaultPatterns returns the pattern counts used when none are given: ten
// instances of each kind.
func DefaultPatterns() PatternCounts {
	return PatternCounts{10, 10, 10, 10, 10, 10, 10}
}

// MaxWorkers bounds Config.Workers: more generating goroutines than this
// only cost memory.
const MaxWorkers = 1024

// MaxPatternCount bounds each count of a [PatternCounts]; the scale bounds
// it further (ErrTooManyPatterns).
const MaxPatternCount = 100_000

// PatternField is one count of a [PatternCounts], by name.
type PatternField struct {
	// Name is the pattern's kebab-case name ("cycles", "mule-chains"),
	// fit for a command-line flag.
	Name string
	// Description says what one instance is.
	Description string
	// Count points into the PatternCounts.
	Count *int
}

// Fields returns p's counts by name, in a fixed order: the one list of
// pattern names every command reads its pattern flags from.
func (p *PatternCounts) Fields() []PatternField {
	return []PatternField{
		{"cycles", "transfer cycles of length 3–6", &p.TransferCycles},
		{"mule-chains", "mule chains ending in a card withdraw", &p.MuleChains},
		{"structuring", "structuring groups (deposits just under 10,000 within 24 h)", &p.Structuring},
		{"fraud-rings", "fraud rings sharing an address and a medium", &p.FraudRings},
		{"blocked-medium-chains", "blocked-medium sign-ins upstream of transfer chains", &p.BlockedMediumChains},
		{"fan-in-withdraws", "fan-in then withdraw patterns", &p.FanInWithdraws},
		{"guarantee-chains", "guarantee chains with loans", &p.GuaranteeChains},
	}
}

// Config says what to generate. The generated data is a pure function of
// Seed, Scale, Locale and Patterns; Workers and SkipValidation change only
// speed.
type Config struct {
	Seed uint64 `json:"seed"`
	// Scale multiplies the FinBench-like base counts; 0 means 0.01.
	Scale float64 `json:"scale"`
	// Locale selects the faker data; "" means "en". See Locales.
	Locale   string        `json:"locale"`
	Patterns PatternCounts `json:"patterns"`
	// UpdateShare, when positive, splits the data by time as FinBench's
	// transaction workload does: elements whose time lies in the last
	// UpdateShare of the span [SpanStart, SpanEnd) form the update stream
	// ([Generator.Updates]), the rest the bulk part that Run emits. 0 (the
	// default) is no split; [FinBenchUpdateShare] is FinBench's 3%. Every
	// vertex is created in the first year, so the update stream holds only
	// edges and the bulk part has no dangling edge; injected patterns are
	// placed before the split, so the ground truth lies in the bulk part.
	UpdateShare float64 `json:"updateShare,omitempty"`
	// Workers is the number of generating goroutines; 0 means 2.
	Workers int `json:"-"`
	// SkipValidation turns batch validation off (benchmarks only).
	SkipValidation bool `json:"-"`
}

// FinBenchUpdateShare is FinBench's update stream share: the last 3% of
// the data by time.
const FinBenchUpdateShare = 0.03

// MaxUpdateShare bounds Config.UpdateShare: the split must leave the
// pattern window (the second year on) room before the update stream.
const MaxUpdateShare = 0.25

// ConfigError reports an invalid Config field.
type ConfigError struct {
	Field    string // Config field, e.g. "Scale" or "Patterns.MuleChains"
	Value    string
	Expected string
}

// Error implements the error interface.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("banking: invalid %s %s: expected %s", e.Field, e.Value, e.Expected)
}

// ErrTooManyPatterns is returned (wrapped) when the pattern counts need more
// distinct entities than the scale provides.
var ErrTooManyPatterns = errors.New("banking: pattern counts too large for the scale")

func (c Config) withDefaults() Config {
	if c.Scale == 0 {
		c.Scale = 0.01
	}
	if c.Locale == "" {
		c.Locale = "en"
	}
	if c.Workers <= 0 {
		c.Workers = 2
	}
	return c
}

// Validate checks the configuration after defaults are applied.
func (c Config) Validate() error {
	c = c.withDefaults()
	if !(c.Scale > 0) || math.IsInf(c.Scale, 0) || c.Scale > 1000 {
		return &ConfigError{"Scale", fmt.Sprint(c.Scale), "a number > 0 and ≤ 1000"}
	}
	if c.Workers > MaxWorkers {
		return &ConfigError{"Workers", fmt.Sprint(c.Workers), fmt.Sprintf("at most %d", MaxWorkers)}
	}
	if !(c.UpdateShare >= 0 && c.UpdateShare <= MaxUpdateShare) {
		return &ConfigError{"UpdateShare", fmt.Sprint(c.UpdateShare), fmt.Sprintf("a fraction between 0 and %g", MaxUpdateShare)}
	}
	okLocale := false
	for _, l := range Locales() {
		okLocale = okLocale || l == c.Locale
	}
	if !okLocale {
		return &ConfigError{"Locale", fmt.Sprintf("%q", c.Locale), "one of " + strings.Join(Locales(), ", ")}
	}
	p := c.Patterns
	for _, f := range []struct {
		name string
		v    int
	}{
		{"TransferCycles", p.TransferCycles}, {"MuleChains", p.MuleChains}, {"Structuring", p.Structuring},
		{"FraudRings", p.FraudRings}, {"BlockedMediumChains", p.BlockedMediumChains},
		{"FanInWithdraws", p.FanInWithdraws}, {"GuaranteeChains", p.GuaranteeChains},
	} {
		if f.v < 0 || f.v > MaxPatternCount {
			return &ConfigError{"Patterns." + f.name, fmt.Sprint(f.v), fmt.Sprintf("a count between 0 and %d", MaxPatternCount)}
		}
	}
	return nil
}

func scaled(base int, scale float64) int {
	n := int(math.Round(float64(base) * scale))
	return max(n, 1)
}
