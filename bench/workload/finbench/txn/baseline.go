package txn

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/bench/workload/finbench/paramgen"
)

// Command is the baseline command name of workload runs: a stored run
// is compared only with runs of the same command.
const Command = "workload"

// Baseline returns r as a run in the baseline format (bench/baseline), so
// that runs can be saved, compared and gated like query-bench's: one
// operation per type with its latencies in seconds (the driver must keep
// samples: workload.Config.KeepSamples), its errors and its curated
// parameter list (so that a later run can replay it, see
// [ParamsFromRun]). fingerprint identifies the data.
func (w *Workload) Baseline(r *Result, clients int) (*baseline.Run, error) {
	run := baseline.NewRun(Command)
	run.Dataset = w.Fingerprint
	run.Settings = map[string]string{
		"tcr": strconv.FormatFloat(r.TCR, 'g', -1, 64), "clients": strconv.Itoa(clients),
		"audit": r.Report.Audit.String(), "partial": strconv.FormatBool(r.Report.Partial),
		"params_seed": strconv.FormatUint(w.Params.Seed, 10), "params_per_type": strconv.Itoa(w.Params.PerType),
	}
	params, err := paramLists(w.Params)
	if err != nil {
		return nil, err
	}
	for _, st := range r.Report.Types {
		op := baseline.Operation{Name: st.Type, Unit: stats.Latency(), Clients: clients, Elapsed: r.Report.Elapsed,
			Params: params[st.Type], ErrorCount: int(st.Errors + st.Mismatches)}
		for _, d := range st.Samples {
			op.Samples = append(op.Samples, d.Seconds())
		}
		if op.Samples == nil {
			op.Samples = []float64{}
		}
		if st.FirstError != nil {
			op.Errors = append(op.Errors, st.FirstError.Error())
		}
		if st.FirstMismatch != nil {
			op.Errors = append(op.Errors, "wrong answer: "+st.FirstMismatch.Error())
		}
		run.Operations = append(run.Operations, op)
	}
	// Curated types that did not run keep their parameters too.
	for _, t := range slices.Sorted(maps.Keys(params)) {
		if run.Operation(t) == nil {
			run.Operations = append(run.Operations, baseline.Operation{Name: t, Unit: stats.Latency(), Params: params[t],
				Samples: []float64{}})
		}
	}
	return run, run.Validate()
}

// paramLists returns p's lists per type, each entry as JSON.
func paramLists(p *paramgen.Params) (map[string][]json.RawMessage, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var lists map[string]json.RawMessage
	if err := json.Unmarshal(raw, &lists); err != nil {
		return nil, err
	}
	out := map[string][]json.RawMessage{}
	for t, l := range lists {
		var items []json.RawMessage
		if json.Unmarshal(l, &items) == nil && len(items) > 0 {
			out[t] = items
		}
	}
	return out, nil
}

// ParamsFromRun returns the curated parameters a stored workload run
// executed, for replaying them ([PrepareConfig].Replay).
func ParamsFromRun(run *baseline.Run) (*paramgen.Params, error) {
	if run.Command != Command {
		return nil, fmt.Errorf("txn: run %q was saved by %s, not %s", run.Name, run.Command, Command)
	}
	lists := map[string]any{}
	for _, op := range run.Operations {
		if len(op.Params) > 0 {
			lists[op.Name] = op.Params
		}
	}
	seed, _ := strconv.ParseUint(run.Settings["params_seed"], 10, 64)
	per, _ := strconv.Atoi(run.Settings["params_per_type"])
	lists["seed"], lists["perType"] = seed, per
	raw, err := json.Marshal(lists)
	if err != nil {
		return nil, err
	}
	p := &paramgen.Params{}
	if err := json.Unmarshal(raw, p); err != nil {
		return nil, fmt.Errorf("txn: parameters of run %q: %w", run.Name, err)
	}
	return p, nil
}
