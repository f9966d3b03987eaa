package results

import (
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/mutation/graphstore"
)

// Schema returns the declared JanusGraph schema of the results graph, which
// [Graph.Store] applies first. It is mutation/graphstore.Schema (MutationRun,
// Mutant, Test, SourceFile) plus:
//
//   - MutationRun's complete indexed (byMutationRunComplete);
//   - Run (runId unique, kind indexed, name, started, finished, status
//     "complete"/"partial", commit, dirty, driver, machine, settings (JSON),
//     settingsKey, indexed; setupKey: dataset, server and settingsKey in
//     one), with edges atCommit → Commit, onBranch → Branch,
//     onDataset → Dataset, onServer → Server (all MANY2ONE), hasResult →
//     OperationResult (ONE2MANY, edge property operation, vertex-centric
//     index hasResultByOperation) and mutation → MutationRun (ONE2ONE);
//   - Commit (hash unique, commitTime, message, author) with parent edges
//     (MULTI, edge property parentIndex: 0 for the first parent);
//   - Branch (name unique) with one head edge → Commit (MANY2ONE);
//   - Dataset (fingerprint unique), Server (serverId unique, backend,
//     janusgraphVersion, serverConfig as JSON);
//   - OperationResult (resultId = runId + "/" + operation, unique; seq
//     (its position in the run), unit,
//     higherIsBetter, n, min, p25, median, p75, p90, p95, p99, max, mean,
//     stddev, iqr, mad, ops, ciLo, ciHi, ciConfidence, samples as a JSON
//     array, clients, elapsedNanos, errorCount) → ofOperation → Operation
//     (name unique, MANY2ONE).
//
// Keys shared with graphstore (runId, started, finished, status, commit,
// name) keep its data types.
func Schema() schema.Schema {
	s := graphstore.Schema()
	add := func(typ string, names ...string) {
		for _, n := range names {
			s.PropertyKeys = append(s.PropertyKeys, schema.PropertyKey{Name: n, DataType: typ, Cardinality: "SINGLE"})
		}
	}
	// Run (runId, started, finished, status, commit, name come from graphstore).
	add("String", "kind", "driver", "machine", "settings", "settingsKey", "setupKey")
	add("Boolean", "dirty")
	// Commit, Branch, Dataset, Server.
	add("String", "hash", "message", "author", "fingerprint", "serverId", "backend", "janusgraphVersion", "serverConfig")
	add("Date", "commitTime")
	// OperationResult and edge properties.
	add("String", "resultId", "unit", "samples", "operation")
	add("Boolean", "higherIsBetter")
	add("Long", "seq", "n", "clients", "elapsedNanos", "errorCount", "parentIndex")
	add("Double", "min", "p25", "median", "p75", "p90", "p95", "p99", "max", "mean", "stddev", "iqr", "mad", "ops",
		"ciLo", "ciHi", "ciConfidence")

	s.VertexLabels = append(s.VertexLabels, "Run", "Commit", "Branch", "Dataset", "Server", "OperationResult", "Operation")
	s.EdgeLabels = append(s.EdgeLabels,
		schema.EdgeLabel{Name: "atCommit", Multiplicity: "MANY2ONE"},
		schema.EdgeLabel{Name: "onBranch", Multiplicity: "MANY2ONE"},
		schema.EdgeLabel{Name: "onDataset", Multiplicity: "MANY2ONE"},
		schema.EdgeLabel{Name: "onServer", Multiplicity: "MANY2ONE"},
		schema.EdgeLabel{Name: "hasResult", Multiplicity: "ONE2MANY"},
		schema.EdgeLabel{Name: "ofOperation", Multiplicity: "MANY2ONE"},
		schema.EdgeLabel{Name: "mutation", Multiplicity: "ONE2ONE"},
		schema.EdgeLabel{Name: "parent", Multiplicity: "MULTI"},
		schema.EdgeLabel{Name: "head", Multiplicity: "MANY2ONE"},
	)
	s.CompositeIndexes = append(s.CompositeIndexes,
		schema.CompositeIndex{Name: "byResultsRunId", Key: "runId", Label: "Run", Unique: true},
		schema.CompositeIndex{Name: "byRunKind", Key: "kind", Label: "Run"},
		schema.CompositeIndex{Name: "byRunSettingsKey", Key: "settingsKey", Label: "Run"},
		schema.CompositeIndex{Name: "byCommitHash", Key: "hash", Label: "Commit", Unique: true},
		schema.CompositeIndex{Name: "byBranchName", Key: "name", Label: "Branch", Unique: true},
		schema.CompositeIndex{Name: "byDatasetFingerprint", Key: "fingerprint", Label: "Dataset", Unique: true},
		schema.CompositeIndex{Name: "byServerId", Key: "serverId", Label: "Server", Unique: true},
		schema.CompositeIndex{Name: "byResultId", Key: "resultId", Label: "OperationResult", Unique: true},
		schema.CompositeIndex{Name: "byOperationName", Key: "name", Label: "Operation", Unique: true},
		// The mutation analyses start from the complete MutationRuns.
		schema.CompositeIndex{Name: "byMutationRunComplete", Key: "complete", Label: "MutationRun"},
	)
	s.EdgeIndexes = append(s.EdgeIndexes,
		schema.EdgeIndex{Name: "hasResultByOperation", EdgeLabel: "hasResult", Key: "operation", Direction: "OUT", Order: "asc"},
		schema.EdgeIndex{Name: "parentByIndex", EdgeLabel: "parent", Key: "parentIndex", Direction: "OUT", Order: "asc"},
	)
	return s
}
