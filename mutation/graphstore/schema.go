package graphstore

import "github.com/graphperf/graphperf/graph/schema"

// Schema returns the declared JanusGraph schema of the mutation-testing
// results graph that [Store] writes (and applies first):
//
//   - MutationRun (runId, started, finished, score, per-status counts,
//     commit, modulePath, packages (SET), fullMatrix);
//   - Mutant, one vertex per mutant and run (runMutantId = runId + "/" +
//     mutantId; mutantId is stable across runs and indexed non-uniquely, so
//     a mutant's history is one index lookup);
//   - Test (testId = package + "." + test name), SourceFile (fileId =
//     package + "/" + file name), shared by every run;
//   - edges produced (MutationRun→Mutant, ONE2MANY), inFile
//     (Mutant→SourceFile, MANY2ONE), killedBy and coveredBy (Mutant→Test,
//     MULTI).
//
// Every label and key is declared: a server with storage.batch-loading=true
// creates nothing automatically. Keys shared with the banking schema
// ("name") have the same data type there.
func Schema() schema.Schema {
	str := func(names ...string) []schema.PropertyKey {
		out := make([]schema.PropertyKey, len(names))
		for i, n := range names {
			out[i] = schema.PropertyKey{Name: n, DataType: "String", Cardinality: "SINGLE"}
		}
		return out
	}
	long := func(names ...string) []schema.PropertyKey {
		out := make([]schema.PropertyKey, len(names))
		for i, n := range names {
			out[i] = schema.PropertyKey{Name: n, DataType: "Long", Cardinality: "SINGLE"}
		}
		return out
	}
	var keys []schema.PropertyKey
	// MutationRun
	keys = append(keys, str("runId", "commit", "modulePath")...)
	keys = append(keys,
		schema.PropertyKey{Name: "started", DataType: "Date", Cardinality: "SINGLE"},
		schema.PropertyKey{Name: "finished", DataType: "Date", Cardinality: "SINGLE"},
		schema.PropertyKey{Name: "score", DataType: "Double", Cardinality: "SINGLE"},
		schema.PropertyKey{Name: "fullMatrix", DataType: "Boolean", Cardinality: "SINGLE"},
		// complete is true once every mutant of the run is stored.
		schema.PropertyKey{Name: "complete", DataType: "Boolean", Cardinality: "SINGLE"},
		schema.PropertyKey{Name: "packages", DataType: "String", Cardinality: "SET"})
	keys = append(keys, long("total", "killed", "survived", "noCoverage", "timeout",
		"compileError", "runtimeError", "ignored")...)
	// Mutant
	keys = append(keys, str("runMutantId", "mutantId", "status", "operator", "original",
		"replacement", "file", "function", "package", "statusReason")...)
	keys = append(keys, long("line", "column", "testsCompleted", "durationMillis")...)
	// Test and SourceFile
	keys = append(keys, str("testId", "name", "fileId", "path")...)
	keys = append(keys, long("baselineMillis")...)

	return schema.Schema{
		PropertyKeys: keys,
		VertexLabels: []string{"MutationRun", "Mutant", "Test", "SourceFile"},
		EdgeLabels: []schema.EdgeLabel{
			{Name: "produced", Multiplicity: "ONE2MANY"},
			{Name: "inFile", Multiplicity: "MANY2ONE"},
			{Name: "killedBy", Multiplicity: "MULTI"},
			{Name: "coveredBy", Multiplicity: "MULTI"},
		},
		CompositeIndexes: []schema.CompositeIndex{
			{Name: "byRunId", Key: "runId", Label: "MutationRun", Unique: true},
			{Name: "byRunMutantId", Key: "runMutantId", Label: "Mutant", Unique: true},
			{Name: "byMutantId", Key: "mutantId", Label: "Mutant"},
			{Name: "byTestId", Key: "testId", Label: "Test", Unique: true},
			{Name: "byFileId", Key: "fileId", Label: "SourceFile", Unique: true},
		},
	}
}
