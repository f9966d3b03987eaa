package graphstore

// The Gremlin queries a person types in a console (or runs with
// `graphperf gremlin`) to inspect stored runs. They see complete runs only
// (complete = true: every mutant stored); QueryIncompleteRuns lists the
// others. Each comes in two forms: for the latest run (the complete
// MutationRun with the latest started date) and, with the suffix ForRun,
// for the run whose runId is bound to the variable runId:
//
//	graphperf gremlin --bind 'runId="20250101T120000Z-1a2b3c4d"' "$QUERY"
//
// docs/mutate.md shows them in full; the tests run every
// one against a real server and check the exact answers.
const (
	// latestRun selects the complete MutationRun started last.
	latestRun = `g.V().has('MutationRun', 'complete', true).order().by('started', desc).limit(1)`
	// givenRun selects the MutationRun of the binding runId, if complete.
	// (limit(1): two concurrent stores of one run can leave two vertices
	// with its runId.)
	givenRun = `g.V().has('MutationRun', 'runId', runId).has('complete', true).limit(1)`

	// describeM formats the mutant labelled 'm' as
	// "line:column Operator original → replacement (Status)".
	describeM = `constant('').concat(select('m').values('line').asString(), constant(':'), select('m').values('column').asString(), ` +
		`constant(' '), select('m').values('operator'), constant(' '), select('m').values('original'), constant(' → '), ` +
		`select('m').values('replacement'), constant(' ('), select('m').values('status'), constant(')'))`

	survivorsByFile = `.out('produced').has('status', within('Survived', 'NoCoverage')).` +
		`group().by(out('inFile').values('path')).by(order().by('line').by('column').as('m').` + describeM + `.fold())`

	testsKillingNothing = `.as('r').out('produced').out('coveredBy').dedup().` +
		`not(__.in('killedBy').in('produced').where(eq('r'))).order().by('testId').` +
		`project('test', 'covers').by('testId').by(__.in('coveredBy').in('produced').where(eq('r')).count())`

	coveredNotKilled = `.out('produced').where(out('coveredBy')).not(out('killedBy')).has('status', without('Timeout', 'CompileError')).` +
		`order().by('file').by('line').by('column').as('m').` +
		`project('file', 'mutant', 'coveredBy').by('file').by(` + describeM + `).by(out('coveredBy').order().by('name').values('name').fold())`

	// QueryRuns lists the completely stored runs, latest first, with their
	// score and counts, one row per runId (two concurrent stores of one run
	// can leave two vertices with its runId). Take a runId from here for the
	// ForRun queries.
	QueryRuns = `g.V().has('MutationRun', 'complete', true).order().by('started', desc).dedup().by('runId').` +
		`valueMap('runId', 'started', 'score', 'total', 'killed', 'survived', 'noCoverage', 'timeout').by(unfold())`

	// QueryIncompleteRuns lists the runs whose storing did not finish (the
	// server or the client stopped half-way), as {runId, started, mutants:
	// the number stored, total: the number of the run}: store such a run
	// again with the same runId to complete it. A runId that also has a
	// complete vertex is not listed.
	QueryIncompleteRuns = `g.V().hasLabel('MutationRun').not(has('complete', true)).` +
		`not(values('runId').as('rid').V().has('MutationRun', 'complete', true).values('runId').where(eq('rid'))).` +
		`order().by('started', desc).dedup().by('runId').` +
		`project('runId', 'started', 'mutants', 'total').by('runId').by('started').by(out('produced').count()).by('total')`

	// QuerySurvivorsByFile returns, for the latest run, one map from each
	// file path to its undetected mutants (Survived and NoCoverage, the ones
	// that lower the score), in line order, as
	// "line:column Operator original → replacement (Status)".
	QuerySurvivorsByFile = latestRun + survivorsByFile
	// QuerySurvivorsByFileForRun is [QuerySurvivorsByFile] for the run bound
	// to runId.
	QuerySurvivorsByFileForRun = givenRun + survivorsByFile

	// QueryTestsKillingNothing lists, for the latest run, the tests that
	// execute at least one mutant of the run (coveredBy) but kill none
	// (no killedBy edge from the run's mutants), as {test: testId, covers: the
	// number of the run's mutants it executes}, by testId. Without
	// --full-matrix only the first failing test of a mutant is recorded as
	// its killer, so a test listed here may still fail on some mutant
	// another test killed first; with --full-matrix the list is exact.
	QueryTestsKillingNothing = latestRun + testsKillingNothing
	// QueryTestsKillingNothingForRun is [QueryTestsKillingNothing] for the
	// run bound to runId.
	QueryTestsKillingNothingForRun = givenRun + testsKillingNothing

	// QueryCoveredNotKilled lists, for the latest run, the mutants that some
	// test executes (coveredBy) and none kills (no killedBy edge), leaving
	// out Timeout (detected) and CompileError (never run): Survived and
	// RuntimeError mutants, as {file, mutant, coveredBy: test names}, by file,
	// line and column. These are the places where tests run the code but
	// assert too little.
	QueryCoveredNotKilled = latestRun + coveredNotKilled
	// QueryCoveredNotKilledForRun is [QueryCoveredNotKilled] for the run
	// bound to runId.
	QueryCoveredNotKilledForRun = givenRun + coveredNotKilled
)

// BindRunID is the name of the binding the ForRun queries read the runId
// from.
const BindRunID = "runId"
