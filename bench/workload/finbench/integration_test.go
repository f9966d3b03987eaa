package finbench

import (
	"context"
	"errors"
	"fmt"
	"github.com/graphperf/graphperf/banking"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testenv"
)

// TestOpenLoopOnServer runs a short open-loop schedule of TW12 transfers
// and TSR1 reads on the real server, checks every read against the
// accounts it wrote, and checks that every transfer was written exactly
// once.
func TestOpenLoopOnServer(t *testing.T) {
	hosts := testenv.RequireServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := client.New(ctx, client.Config{Hosts: hosts})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// The server loads in batch mode, which creates no schema on the fly.
	if _, err := schema.Apply(ctx, c, banking.Schema(), schema.Options{}); err != nil {
		t.Fatal(err)
	}
	ex := workload.ClientExecutor{Client: c}

	// Fresh account ids, so that runs against a shared server do not meet.
	base := time.Now().UnixNano() % 1_000_000_000 * 1000
	types := []string{"personalDeposit", "card", "companyDeposit", "card"}
	accounts := map[int64]Account{}
	var ids []int64
	for i, typ := range types {
		id := base + int64(i)
		a := Account{Found: true, CreateTime: 1_600_000_000_000 + int64(i), IsBlocked: i == 3, Type: typ}
		_, err := c.Submit(ctx, `g.addV('Account').property('accountId',aid).property('createTime',ct).`+
			`property('isBlocked',bl).property('type',ty).iterate()`,
			map[string]any{"aid": id, "ct": a.CreateTime, "bl": a.IsBlocked, "ty": a.Type})
		if err != nil {
			t.Fatal(err)
		}
		accounts[id] = a
		ids = append(ids, id)
	}

	// 30 transfers one data-second apart at TCR 0.02 (20 ms apart), and a
	// TSR1 every 3 updates.
	const n = 30
	var updates []workload.Update
	want := map[int64]Transfer{}
	for i := range n {
		tr := Transfer{From: ids[i%4], To: ids[(i+1)%4], Time: 1_700_000_000_000 + int64(i)*1000,
			Amount: float64(100+i) + 0.25, OrderNumber: base + int64(i), PayType: "wire"}
		want[tr.OrderNumber] = tr
		updates = append(updates, workload.Update{Time: time.UnixMilli(tr.Time), Op: TW12(tr)})
	}
	reads := map[string]workload.ReadSource{"TSR1": func(i int) workload.Operation { return TSR1(ids[i%4]) }}
	s, err := workload.Build(updates, reads, workload.ScheduleConfig{TCR: 0.02, Frequencies: map[string]int{"TSR1": 3}})
	if err != nil {
		t.Fatal(err)
	}
	oracle := func(op workload.Operation, res workload.Result) error {
		if op.Type != "TSR1" {
			return nil
		}
		got := res.(Account)
		for _, a := range accounts {
			if got == a {
				return nil
			}
		}
		return fmt.Errorf("TSR1 answered %+v, not an account written", got)
	}
	var (
		mu         sync.Mutex
		mismatches []string
	)
	checked := func(op workload.Operation, res workload.Result) error {
		err := oracle(op, res)
		if err != nil {
			mu.Lock()
			mismatches = append(mismatches, err.Error())
			mu.Unlock()
		}
		return err
	}
	wantReads := int64(0)
	for _, it := range s {
		if it.Op.Type == "TSR1" {
			wantReads++
		}
	}
	if wantReads == 0 {
		t.Fatal("no TSR1 scheduled")
	}
	r, err := workload.Run(ctx, workload.Config{Clients: 4, Oracle: checked}, s, ex)
	if err != nil {
		t.Fatal(err)
	}
	if len(mismatches) > 0 {
		t.Errorf("oracle: %v", mismatches)
	}
	if r.Partial || len(r.Types) != 2 {
		t.Fatalf("report %+v", r)
	}
	byType := map[string]workload.Stats{}
	for _, st := range r.Types {
		byType[st.Type] = st
	}
	if st := byType["TW12"]; st.Count != n || st.Errors != 0 || st.Kind != workload.Write {
		t.Errorf("TW12 %+v, want %d ok", st, n)
	}
	if st := byType["TSR1"]; st.Count != wantReads || st.Errors != 0 || st.Mismatches != 0 {
		t.Errorf("TSR1 %+v, want %d ok", st, wantReads)
	}
	// Timing depends on the machine: logged, not asserted.
	t.Logf("%s", r.Audit)

	// Every transfer is in the graph exactly once, with its properties.
	res, err := c.Submit(ctx, `g.V().has('Account','accountId',within(aids)).outE('transfer').`+
		`project('ord','src','dst','ts','amt','pt').by('orderNumber').by(outV().values('accountId')).`+
		`by(inV().values('accountId')).by('timestamp').by('amount').by('payType')`, map[string]any{"aids": ids})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]int{}
	for _, v := range res {
		m := v.(map[any]any)
		ord, _ := client.AsInt64(m["ord"])
		seen[ord]++
		src, _ := client.AsInt64(m["src"])
		dst, _ := client.AsInt64(m["dst"])
		ts, _ := client.AsInt64(m["ts"])
		got := Transfer{From: src, To: dst, Time: ts, OrderNumber: ord, PayType: fmt.Sprint(m["pt"])}
		got.Amount, _ = m["amt"].(float64)
		if w, ok := want[ord]; !ok || got != w {
			t.Errorf("edge %+v, want %+v", got, w)
		}
	}
	var dup, missing []int64
	for ord := range want {
		switch seen[ord] {
		case 1:
		case 0:
			missing = append(missing, ord)
		default:
			dup = append(dup, ord)
		}
	}
	slices.Sort(dup)
	slices.Sort(missing)
	if len(res) != n || len(dup) > 0 || len(missing) > 0 {
		t.Errorf("%d transfer edges, want %d: duplicated %v, missing %v", len(res), n, dup, missing)
	}

	// A transfer from a missing account fails with ErrNoAccount and writes
	// nothing.
	_, err = TW12(Transfer{From: base + 99, To: ids[0], OrderNumber: base + 99}).Do(ctx, ex)
	if !errors.Is(err, ErrNoAccount) {
		t.Errorf("transfer from a missing account: %v, want ErrNoAccount", err)
	}
	// TSR1 of a missing account is an empty answer.
	if a, err := TSR1(base+99).Do(ctx, ex); err != nil || a.(Account).Found {
		t.Errorf("TSR1 of a missing account: %+v, %v", a, err)
	}
}
