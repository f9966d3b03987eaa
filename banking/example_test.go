package banking_test

import (
	"context"
	"fmt"
	"log"

	"github.com/graphperf/graphperf/banking"
)

// Generate a small banking graph with two injected transfer cycles: the
// output is a pure function of the configuration, whatever the number of
// workers, so the counts below never change.
func ExampleNew() {
	g, err := banking.New(banking.Config{Seed: 42, Scale: 0.001, Workers: 4,
		Patterns: banking.PatternCounts{TransferCycles: 2}})
	if err != nil {
		log.Fatal(err)
	}
	counts := make([]int, banking.NumLabels)
	err = g.Run(context.Background(), func(b *banking.Batch) error {
		counts[b.Label] += b.Len()
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range banking.Labels() {
		fmt.Printf("%s %s: %d\n", l.Kind, l.Name, counts[l.Label])
	}
	for _, c := range g.GroundTruth().TransferCycles {
		fmt.Printf("transfer cycle through %d accounts\n", len(c.Accounts))
	}
	// Output:
	// vertex Person: 100
	// vertex Company: 50
	// vertex Account: 295
	// vertex Loan: 80
	// vertex Medium: 70
	// vertex Address: 40
	// edge own: 295
	// edge transfer: 5279
	// edge withdraw: 315
	// edge deposit: 157
	// edge repay: 193
	// edge signIn: 350
	// edge apply: 80
	// edge invest: 85
	// edge guarantee: 52
	// edge livesAt: 100
	// edge registeredAt: 50
	// transfer cycle through 6 accounts
	// transfer cycle through 4 accounts
}
