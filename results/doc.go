// Package results is the results graph: every run graphperf makes
// (query-bench, load-bench, the workload driver, mutate) stored in one
// JanusGraph graph together with the git history it measured, and the
// analyses that answer questions about that history as Gremlin traversals.
//
// The graph (declared by [Schema], which includes the mutation graph of
// mutation/graphstore):
//
//	(Run)-[atCommit]->(Commit)-[parent {parentIndex}]->(Commit)
//	(Branch)-[head]->(Commit)
//	(Run)-[onBranch]->(Branch)
//	(Run)-[onDataset]->(Dataset)
//	(Run)-[onServer]->(Server)
//	(Run)-[hasResult {operation}]->(OperationResult)-[ofOperation]->(Operation)
//	(Run)-[mutation]->(MutationRun)   (kind mutate; see mutation/graphstore)
//
// A [Graph] wraps a *client.Client. [Graph.Store] writes a [Run]: it is
// idempotent (a run id stored twice is one run, updated in place) and
// complete-or-marked-partial (the Run vertex has status "partial" until
// every OperationResult is stored, and stays partial when the run itself
// was cut short). [Graph.StoreCommits] writes commits with their parent
// edges (the commit DAG, from `git log`, see [GitCommits]); [Import] brings
// existing baseline files (bench/baseline) in.
//
// The analyses — [Graph.Runs], [Graph.Run], [Graph.Comparable],
// [Graph.Trend], [Graph.FirstBad], [Graph.MutationTrend],
// [Graph.TestsByKills], [Graph.PersistentSurvivors] — each send one
// constant Gremlin script (the Query* constants) with bindings: no value
// is ever formatted into a script. docs/results-graph.md gives each one's
// Gremlin console equivalent. Regressions are decided by bench/compare's
// rule (Mann–Whitney U, threshold, floor) on the raw samples stored with
// each OperationResult.
package results
