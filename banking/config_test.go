package banking

import (
	"errors"
	"math"
	"testing"
)

func TestConfigValidateBoundaries(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		field string // "" means valid
	}{
		{"zero value", Config{}, ""},
		{"scale 1000", Config{Scale: 1000}, ""},
		{"tiny scale", Config{Scale: 1e-9}, ""},
		{"scale just over 1000", Config{Scale: 1000.0001}, "Scale"},
		{"+Inf scale", Config{Scale: math.Inf(1)}, "Scale"},
		{"-Inf scale", Config{Scale: math.Inf(-1)}, "Scale"},
		{"locale en", Config{Locale: "en"}, ""},
		{"zero counts", Config{Patterns: PatternCounts{}}, ""},
		{"negative mule chains", Config{Patterns: PatternCounts{MuleChains: -1}}, "Patterns.MuleChains"},
		{"negative structuring", Config{Patterns: PatternCounts{Structuring: -1}}, "Patterns.Structuring"},
		{"negative fraud rings", Config{Patterns: PatternCounts{FraudRings: -1}}, "Patterns.FraudRings"},
		{"negative blocked medium", Config{Patterns: PatternCounts{BlockedMediumChains: -1}}, "Patterns.BlockedMediumChains"},
		{"negative fan-in", Config{Patterns: PatternCounts{FanInWithdraws: -1}}, "Patterns.FanInWithdraws"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.field {
				t.Fatalf("Validate() = %v, want ConfigError on %s", err, tc.field)
			}
		})
	}
}

func TestConfigErrorMessage(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Scale: -2}, "banking: invalid Scale -2: expected a number > 0 and ≤ 1000"},
		{Config{Locale: "fr"}, `banking: invalid Locale "fr": expected one of en`},
		{Config{Patterns: PatternCounts{FraudRings: -3}}, "banking: invalid Patterns.FraudRings -3: expected a count between 0 and 100000"},
		{Config{Patterns: PatternCounts{MuleChains: 100000001}}, "banking: invalid Patterns.MuleChains 100000001: expected a count between 0 and 100000"},
	}
	for _, tc := range tests {
		if err := tc.cfg.Validate(); err == nil || err.Error() != tc.want {
			t.Errorf("Validate() = %v, want %q", err, tc.want)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   Config
		want Config
	}{
		{"zero", Config{}, Config{Scale: 0.01, Locale: "en", Workers: 2}},
		{"negative workers", Config{Workers: -3}, Config{Scale: 0.01, Locale: "en", Workers: 2}},
		{"explicit", Config{Seed: 5, Scale: 0.02, Locale: "en", Workers: 1, SkipValidation: true},
			Config{Seed: 5, Scale: 0.02, Locale: "en", Workers: 1, SkipValidation: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.withDefaults(); got != tc.want {
				t.Fatalf("withDefaults() = %+v, want %+v", got, tc.want)
			}
		})
	}
	g, err := New(Config{Seed: 9, Scale: 0.001})
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Config(); got.Workers != 2 || got.Locale != "en" || got.Seed != 9 || got.Scale != 0.001 {
		t.Errorf("Generator.Config() = %+v, want defaults applied", got)
	}
	if got, want := DefaultPatterns(), (PatternCounts{10, 10, 10, 10, 10, 10, 10}); got != want {
		t.Errorf("DefaultPatterns() = %+v, want ten of each", got)
	}
	if got := Locales(); len(got) != 1 || got[0] != "en" {
		t.Errorf("Locales() = %v", got)
	}
}

func TestScaled(t *testing.T) {
	tests := []struct {
		base  int
		scale float64
		want  int
	}{
		{100_000, 0.01, 1000},
		{100_000, 1, 100_000},
		{50_000, 0.00001, 1},   // rounds to 0.5 → 1
		{40_000, 0.000001, 1},  // rounds to 0 → at least 1
		{70_000, 0.000015, 1},  // 1.05
		{80_000, 0.0000375, 3}, // 3.0
		{3, 0.5, 2},            // 1.5 rounds half away from zero
	}
	for _, tc := range tests {
		if got := scaled(tc.base, tc.scale); got != tc.want {
			t.Errorf("scaled(%d, %v) = %d, want %d", tc.base, tc.scale, got, tc.want)
		}
	}
}

func TestSizesFollowScale(t *testing.T) {
	g, err := New(Config{Seed: 1, Scale: 0.001})
	if err != nil {
		t.Fatal(err)
	}
	s := g.Sizes()
	want := Sizes{Persons: 100, Companies: 50, Loans: 80, Media: 70, Addresses: 40, Accounts: s.Accounts}
	if s != want {
		t.Fatalf("Sizes() = %+v, want %+v", s, want)
	}
	// Each of the 150 owners owns 1–5 accounts.
	if s.Accounts < 150 || s.Accounts > 750 {
		t.Fatalf("%d accounts for 150 owners", s.Accounts)
	}
}

func TestAccountsPerOwnerBuckets(t *testing.T) {
	tests := []struct {
		h    uint64
		want int
	}{
		{0, 1}, {44, 1}, {45, 2}, {74, 2}, {75, 3}, {87, 3}, {88, 4}, {94, 4}, {95, 5}, {99, 5},
		{100, 1}, {145, 2}, {199, 5},
	}
	for _, tc := range tests {
		if got := accountsPerOwner(tc.h); got != tc.want {
			t.Errorf("accountsPerOwner(%d) = %d, want %d", tc.h, got, tc.want)
		}
	}
}
