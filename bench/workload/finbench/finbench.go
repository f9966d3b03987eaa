// Package finbench holds operations of the LDBC FinBench transaction
// workload, adapted to Gremlin over graphperf's banking graph (vertex
// labels and properties as in package banking): each is a
// [workload.Operation] whose Do submits one constant script with bindings.
//
// Reads: TSR1–TSR6 and TCR1–TCR12, each a constructor TSRn(p) / TCRn(p)
// whose operation has Params p (TSRnParams, TCRnParams) and a typed Result
// (TSRnResult / TCRnResult, or []TSRnRow / []TCRnRow sorted as the spec
// says). They share FinBench's conventions, applied identically by the
// Gremlin and by package oracle, which checks their answers:
//
//   - Time windows ([Window]) are open: an edge is in the window when
//     Start < timestamp < End, as in FinBench's reference implementations
//     (Gremlin inside(s,e)).
//   - Truncation ([Truncation]) is per vertex and per step: of the edges a
//     step may follow from one vertex (in the window, above the step's
//     amount threshold if any), at most Limit (default 500) are followed,
//     the first in Order (newest first by default). Ties of the sort key
//     are broken by the server, as in FinBench. Truncated steps are
//     written flatMap(outE(...).order().by(...).limit(n)), not local(...):
//     from several vertices at once, JanusGraph 1.1.0 answers the local
//     form in the vertex-centric index's order whatever the order asked.
//   - Paths (TCR1, TCR2, TCR5) have strictly increasing timestamps
//     downstream (Groovy filter on the sack holding the previous edge's
//     timestamp).
//   - Floating-point results are rounded half up to 3 decimals ([Round3]);
//     ratios are computed in Go from the sums the server answers.
//   - A read of a vertex that does not exist answers the empty result: no
//     rows, or the "nothing found" values of a single-row result.
//
// Each read's doc comment names its deviations from the spec, if any.
package finbench

import (
	"context"
	"fmt"

	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/graph/client"
)

// Account is the answer of TSR1: the account's properties, or Found false
// when no account has the id (FinBench: an empty result).
type Account struct {
	// Found reports whether the account exists.
	Found bool
	// CreateTime is the account's creation time, epoch milliseconds.
	CreateTime int64
	// IsBlocked reports whether the account is blocked.
	IsBlocked bool
	// Type is the account type (personalDeposit, card, ...).
	Type string
}

// TSR1Script is TSR1's Gremlin: one account by its unique business id.
const TSR1Script = `g.V().has('Account','accountId',aid).` +
	`project('createTime','isBlocked','type').by('createTime').by('isBlocked').by('type')`

// TSR1Params are the parameters of TSR1 (the Params of its operation).
type TSR1Params struct {
	// ID is the account's id.
	ID int64
}

// TSR1 is FinBench's simple read 1, exact account query: given an account
// id, its createTime, isBlocked and type. Its Result is an [Account]; its
// Params a [TSR1Params].
func TSR1(accountID int64) workload.Operation {
	return workload.Operation{Type: "TSR1", Kind: workload.Read, Params: TSR1Params{ID: accountID},
		Do: func(ctx context.Context, ex workload.Executor) (workload.Result, error) {
			res, err := ex.Submit(ctx, workload.Request{Script: TSR1Script,
				Bindings: map[string]any{"aid": accountID}, Idempotent: true})
			if err != nil {
				return nil, fmt.Errorf("TSR1 account %d: %w", accountID, err)
			}
			a, err := decodeAccount(res)
			if err != nil {
				return nil, fmt.Errorf("TSR1 account %d: %w", accountID, err)
			}
			return a, nil
		}}
}

func decodeAccount(res []any) (Account, error) {
	switch len(res) {
	case 0:
		return Account{}, nil
	case 1:
	default:
		return Account{}, fmt.Errorf("%d accounts answered, want at most 1", len(res))
	}
	m, err := client.Result(res).Map()
	if err != nil {
		return Account{}, fmt.Errorf("answer: %w", err)
	}
	a := Account{Found: true}
	var ok1, ok2, ok3 bool
	a.CreateTime, ok1 = client.AsInt64(m["createTime"])
	a.IsBlocked, ok2 = m["isBlocked"].(bool)
	a.Type, ok3 = m["type"].(string)
	if !ok1 || !ok2 || !ok3 {
		return Account{}, fmt.Errorf("answer %v lacks createTime (integer), isBlocked (boolean) or type (string)", m)
	}
	return a, nil
}
