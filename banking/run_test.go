package banking

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestSchemaMatchesDesign checks the label table against the data model of
// design.md §4: names, property names in file order, their types
// (ids and timestamps Long, amounts and ratios Double), ends and
// multiplicities.
func TestSchemaMatchesDesign(t *testing.T) {
	owners := []Label{Person, Company}
	tests := []struct {
		name, props string // props: "name:Type ..."
		from, to    []Label
		mult        string
	}{
		{"Person", "personId:Long name:String isBlocked:Boolean createTime:Long gender:String birthday:Long country:String city:String", nil, nil, ""},
		{"Company", "companyId:Long name:String isBlocked:Boolean createTime:Long country:String city:String business:String url:String", nil, nil, ""},
		{"Account", "accountId:Long createTime:Long isBlocked:Boolean type:String nickname:String email:String phoneNumber:String accountLevel:String", nil, nil, ""},
		{"Loan", "loanId:Long loanAmount:Double balance:Double usage:String interestRate:Double", nil, nil, ""},
		{"Medium", "mediumId:Long type:String createTime:Long isBlocked:Boolean riskLevel:String", nil, nil, ""},
		{"Address", "addressId:Long street:String city:String postcode:String country:String", nil, nil, ""},
		{"own", "createTime:Long", owners, []Label{Account}, "ONE2MANY"},
		{"transfer", "timestamp:Long amount:Double orderNumber:Long payType:String", []Label{Account}, []Label{Account}, "MULTI"},
		{"withdraw", "timestamp:Long amount:Double", []Label{Account}, []Label{Account}, "MULTI"},
		{"deposit", "timestamp:Long amount:Double", []Label{Loan}, []Label{Account}, "MULTI"},
		{"repay", "timestamp:Long amount:Double", []Label{Account}, []Label{Loan}, "MULTI"},
		{"signIn", "timestamp:Long location:String", []Label{Medium}, []Label{Account}, "MULTI"},
		{"apply", "timestamp:Long organization:String", owners, []Label{Loan}, "ONE2MANY"},
		{"invest", "timestamp:Long ratio:Double", owners, []Label{Company}, "MULTI"},
		{"guarantee", "timestamp:Long relationship:String", owners, owners, "MULTI"},
		{"livesAt", "since:Long", []Label{Person}, []Label{Address}, "MANY2ONE"},
		{"registeredAt", "since:Long", []Label{Company}, []Label{Address}, "MANY2ONE"},
	}
	infos := Labels()
	if len(infos) != len(tests) {
		t.Fatalf("%d labels, design has %d", len(infos), len(tests))
	}
	for i, tc := range tests {
		info := infos[i]
		var props []string
		for _, p := range info.Props {
			props = append(props, p.Name+":"+p.Type.String())
		}
		if info.Name != tc.name || strings.Join(props, " ") != tc.props {
			t.Errorf("label %d: %s %v, design: %s %s", i, info.Name, props, tc.name, tc.props)
		}
		if !reflectEqualLabels(info.From, tc.from) || !reflectEqualLabels(info.To, tc.to) || info.Multiplicity != tc.mult {
			t.Errorf("%s: %v → %v %s, design: %v → %v %s", info.Name, info.From, info.To, info.Multiplicity, tc.from, tc.to, tc.mult)
		}
	}
}

func reflectEqualLabels(a, b []Label) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPartitionCount(t *testing.T) {
	// Scale 0.02048 gives exactly PartitionSize persons: one partition, not
	// two; 0.02049 gives PartitionSize+1 persons: two.
	tests := []struct {
		scale float64
		want  int
	}{
		{0.02048, 1}, {0.02049, 2}, {0.001, 1},
	}
	for _, tc := range tests {
		g, err := New(Config{Seed: 1, Scale: tc.scale})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, l := range g.BatchLabels() {
			if l == Person {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("scale %v (%d persons): %d Person batches, want %d", tc.scale, g.sizes.Persons, n, tc.want)
		}
	}
}

func TestRunPrepared(t *testing.T) {
	g, err := New(Config{Seed: 4, Scale: 0.001, Patterns: PatternCounts{TransferCycles: 1}, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	// prepare's result reaches emit with its batch.
	n := 0
	err = RunPrepared(context.Background(), g, func(b *Batch) (int, error) { return b.Len() + 1000, nil },
		func(b *Batch, v int) error {
			n++
			if v != b.Len()+1000 {
				return errors.New("prepare result not passed to emit")
			}
			return nil
		})
	if err != nil || n != g.Batches() {
		t.Fatalf("RunPrepared = %v after %d of %d batches", err, n, g.Batches())
	}
	// A prepare error stops the run, wrapped and naming the batch.
	boom := errors.New("boom")
	emitted := 0
	err = RunPrepared(context.Background(), g, func(b *Batch) (struct{}, error) {
		if b.Label == Loan {
			return struct{}{}, boom
		}
		return struct{}{}, nil
	}, func(b *Batch, _ struct{}) error {
		emitted++
		if b.Label >= Loan {
			t.Errorf("batch %s emitted after the failing Loan batch", b.Label)
		}
		return nil
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "banking: preparing Loan batch 0: boom") {
		t.Fatalf("RunPrepared = %v, want the wrapped prepare error", err)
	}
	if emitted != 3 {
		t.Errorf("%d batches emitted before the failing one, want 3 (Person, Company, Account)", emitted)
	}
}

func TestRunLeavesNoGoroutines(t *testing.T) {
	g, err := New(Config{Seed: 4, Scale: 0.001, Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	stop := errors.New("stop")
	for range 5 {
		if err := g.Run(context.Background(), func(*Batch) error { return stop }); !errors.Is(err, stop) {
			t.Fatalf("Run = %v", err)
		}
		// A worker whose WaitGroup.Done has run may still be exiting when
		// Run returns: wait for the count to settle (a leaked goroutine
		// never lets it).
		after := runtime.NumGoroutine()
		for i := 0; i < 2000 && after > before; i++ {
			runtime.Gosched()
			time.Sleep(time.Millisecond)
			after = runtime.NumGoroutine()
		}
		if after > before {
			t.Fatalf("%d goroutines after Run returned, %d before", after, before)
		}
	}
}

// TestRunValidates corrupts one injected transfer: Run rejects it with a
// ValidationError unless validation is skipped.
func TestRunValidates(t *testing.T) {
	for _, skip := range []bool{false, true} {
		g, err := New(Config{Seed: 4, Scale: 0.001, Patterns: PatternCounts{TransferCycles: 1}, SkipValidation: skip})
		if err != nil {
			t.Fatal(err)
		}
		g.plan.transfers[0].Amount = 0.001
		err = g.Run(context.Background(), func(*Batch) error { return nil })
		var ve *ValidationError
		if got := errors.As(err, &ve); got == skip || (!skip && ve.Field != "amount") {
			t.Errorf("SkipValidation=%v: Run = %v", skip, err)
		}
	}
}

func TestRunCancelledWhileEmitting(t *testing.T) {
	g, err := New(Config{Seed: 4, Scale: 0.001, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	done := make(chan error, 1)
	go func() {
		done <- g.Run(ctx, func(*Batch) error {
			n++
			if n == 2 {
				cancel()
			}
			return nil
		})
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) && err != nil {
			t.Fatalf("Run = %v", err)
		}
		if err == nil && n != g.Batches() {
			t.Fatalf("Run returned nil after %d of %d batches", n, g.Batches())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestPartitionStreamsDiffer(t *testing.T) {
	g := &Generator{cfg: Config{Seed: 3}}
	seen := map[uint64]string{}
	for l := range Label(NumLabels) {
		for part := range 4 {
			_, r := g.newFaker(l, part)
			v := r.Uint64()
			if prev, ok := seen[v]; ok {
				t.Fatalf("partition %s/%d draws the same stream as %s", l, part, prev)
			}
			seen[v] = l.String() + "/" + string(rune('0'+part))
		}
	}
}
