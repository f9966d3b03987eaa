// Package workload is the core of graphperf's transaction workload: an
// open-loop driver that starts operations at their scheduled times, like
// the LDBC FinBench driver, wrk2 and vegeta.
//
// A [Schedule] is a deterministic sequence of (scheduled start offset,
// [Operation]) built by [Build] from an update stream of timed writes,
// replayed at their data timestamps × a time compression ratio (TCR), and
// reads interleaved at per-type frequencies (one read of type T per
// freq[T] updates; [DefaultFrequencies] is FinBench's SF10 example).
//
// [Run] executes a schedule with Config.Clients workers. An operation
// starts at its scheduled time, not when the previous one finishes; when
// every worker is busy it starts late, and its lateness is recorded. Its
// latency is measured from the scheduled start, so a stall is charged to
// every operation it delayed (no coordinated omission). The [Report] has,
// per operation type, the count, errors, throughput and latency
// distribution from an HDR histogram, a per-second throughput series, and
// the schedule audit: the run passes only if at least 95% of the
// operations started within 1 s of their schedule (FinBench's rule).
// [FindMax] bisects the lowest passing TCR, the highest sustainable load.
//
// Config.Progress receives a snapshot every second ([Progress.String] is
// the live line); cancelling the run's context stops it cleanly, and Run
// returns the report of what ran, marked Partial.
//
// Time comes from a [Clock]: [SystemClock] for real runs, [VirtualClock]
// for deterministic simulations, tests and examples.
//
// Operations reach the graph through an [Executor]; [ClientExecutor]
// adapts a graph/client Client. Package finbench holds FinBench operations.
package workload
