package finbench

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/graph/client"
)

// Read-writes TRW1–TRW3. Each is one Groovy script evaluated by Gremlin
// Server as one transaction (a sessionless request: the server commits
// when the script returns and rolls back when it throws):
//
//  1. read src and dst; if either is missing, answer so (nothing written);
//     if either is blocked, answer "refused" (nothing written);
//  2. add the edge (TW12 transfer or TW10 guarantee);
//  3. run the detection read (TCR4, TCR7 twice, TCR11) on the graph that
//     includes the new edge, inside the same transaction;
//  4. if it fires, throw: the server rolls the transaction back, so the
//     new edge is never visible to anyone; else answer "committed".
//
// After an abort, a second request blocks src and dst (TW18 for accounts,
// TW19 for persons, both in one transaction) — FinBench's "mark the src
// and dst as blocked in another transaction". Refused transactions block
// nothing more (as in FinBench's TuGraph reference implementation).
//
// Idempotency: the script request is not idempotent (it adds an edge) and
// is never retried; the block request is (it sets a flag) and may be.
//
// Atomicity is the server's: an abort leaves nothing behind (tested on the
// real server). Isolation is JanusGraph's, not serializable: two
// read-writes running at once each see the graph without the other's
// uncommitted edge, so both may commit where one after the other the
// second would abort (and the server takes no locks while it loads in
// batch mode). An oracle replaying a concurrent run therefore follows the
// server's outcome of overlapping read-writes (oracle.Graph.ApplyOutcome)
// instead of deciding them again.

// TRWOutcome is what a read-write operation did; it is the Result of
// TRW1–TRW3.
type TRWOutcome int

// Read-write outcomes.
const (
	// TRWCommitted: nothing was blocked and the detection did not fire; the
	// edge was written.
	TRWCommitted TRWOutcome = iota
	// TRWRefused: src or dst was blocked already; nothing was written.
	TRWRefused
	// TRWAborted: the detection fired; the transaction was rolled back
	// (no edge) and src and dst were then blocked.
	TRWAborted
)

// String returns "committed", "refused" or "aborted".
func (o TRWOutcome) String() string {
	switch o {
	case TRWCommitted:
		return "committed"
	case TRWRefused:
		return "refused"
	case TRWAborted:
		return "aborted"
	}
	return fmt.Sprintf("TRWOutcome(%d)", int(o))
}

// TRW1Params are the parameters of TRW1, transfer under transfer-cycle
// detection.
type TRW1Params struct {
	// Transfer is the transfer to add (srcId, dstId, time, amount).
	Transfer Transfer
	// Window is TCR4's time window.
	Window
}

// Detection returns the TCR4 whose non-empty answer aborts the TRW.
func (p TRW1Params) Detection() TCR4Params {
	return TCR4Params{ID1: p.Transfer.From, ID2: p.Transfer.To, Window: p.Window}
}

// TRW2Params are the parameters of TRW2, transfer under the in/out ratio
// strategy.
type TRW2Params struct {
	// Transfer is the transfer to add.
	Transfer Transfer
	// AmountThreshold is TCR7's threshold: transfers of at most this
	// amount are not counted.
	AmountThreshold float64
	// RatioThreshold aborts the transfer when src's or dst's in/out ratio
	// exceeds it.
	RatioThreshold float64
	// Window and Truncation are TCR7's.
	Window
	Truncation
}

// Detection returns the TCR7 reads of src and dst; the TRW aborts when
// either answers an InOutRatio above RatioThreshold.
func (p TRW2Params) Detection() (src, dst TCR7Params) {
	src = TCR7Params{ID: p.Transfer.From, Threshold: p.AmountThreshold, Window: p.Window, Truncation: p.Truncation}
	dst = src
	dst.ID = p.Transfer.To
	return src, dst
}

// TRW3Params are the parameters of TRW3, guarantee under guarantee-chain
// detection.
type TRW3Params struct {
	// Guarantee is the guarantee to add (srcId, dstId, time).
	Guarantee TW10Params
	// Threshold aborts the guarantee when the chain's loan sum exceeds it.
	Threshold float64
	// Window and Truncation are TCR11's.
	Window
	Truncation
}

// Detection returns the TCR11 of src; the TRW aborts when its
// SumLoanAmount exceeds Threshold.
func (p TRW3Params) Detection() TCR11Params {
	return TCR11Params{ID: p.Guarantee.PersonID1, Window: p.Window, Truncation: p.Truncation}
}

// abortMarker starts the message of the exception a TRW script throws to
// abort; any other script failure is an error.
const abortMarker = "graphperf TRW abort"

// trwHead is the common start of the TRW scripts: look up src and dst
// (sv, dv), refuse when one is blocked.
const trwHead = `def sv = g.V().has(vl,vk,src).tryNext().orElse(null)
def dv = g.V().has(vl,vk,dst).tryNext().orElse(null)
if (sv == null) return 'missing-src'
if (dv == null) return 'missing-dst'
if (sv.value('isBlocked') || dv.value('isBlocked')) return 'refused'
`

// addTransfer adds TRW1's and TRW2's transfer sv → dv.
const addTransfer = `g.V(sv).addE('transfer').to(dv).property('timestamp',ts).property('amount',amt).` +
	`property('orderNumber',ord).property('payType',pt).iterate()
`

// abort throws the exception that rolls a TRW back; the script appends
// the reason and closes the call.
const abort = `throw new IllegalStateException('` + abortMarker + `: `

// The detection reads are TCR4Script, TCR7Script and TCR11Script
// themselves, evaluated in the transaction after the new edge: the TRWs
// decide on exactly the answers the reads give (and the oracle checks).

// TRW1Script is TRW1's transaction: the transfer, then TCR4 of src and
// dst (bound to id1, id2) aborts it when it answers a row, i.e. when src
// transferred to dst in the window and some account received from dst
// and transferred to src in the window.
const TRW1Script = trwHead + addTransfer + `if (` + TCR4Script + `.hasNext()) ` + abort + `transfer cycle')` + `
return 'committed'`

// TRW2Script is TRW2's transaction: the transfer, then TCR7 of src and of
// dst (vid bound to each in turn) aborts it when either in/out amount
// ratio (-1 without transfer-outs) exceeds the ratio threshold rth.
const TRW2Script = trwHead + addTransfer + `def ratio = { m -> m['out']['n'] == 0 ? -1d : ` +
	`Math.floor(m['in']['sum'] / m['out']['sum'] * 1000 + 0.5) / 1000 }
vid = src
def rs = ratio(` + TCR7Script + `.next())
vid = dst
def rd = ratio(` + TCR7Script + `.next())
if (rs > rth || rd > rth) ` + abort + `in/out ratio')` + `
return 'committed'`

// TRW3Script is TRW3's transaction: the guarantee, then TCR11 of src
// (vid) aborts it when the chain's loan sum, rounded to 3 decimals,
// exceeds the threshold lth.
const TRW3Script = trwHead + `g.V(sv).addE('guarantee').to(dv).property('timestamp',ts).property('relationship',rel).iterate()
vid = src
def chain = ` + TCR11Script + `.next()
if (Math.floor(chain['sum'] * 1000 + 0.5) / 1000 > lth) ` + abort + `guarantee chain loans')` + `
return 'committed'`

// blockScript blocks the vertices vl/vk in ids; it answers how many.
const blockScript = `g.V().has(vl,vk,within(ids)).property('isBlocked',true).count()`

// trw is one read-write operation's requests.
type trw struct {
	typ, what string
	script    string
	bindings  map[string]any
	// label is src's and dst's label; src and dst their ids.
	label    banking.Label
	src, dst int64
}

func (t trw) errorf(format string, a ...any) error {
	return fmt.Errorf("%s %s: "+format, append([]any{t.typ, t.what}, a...)...)
}

// isAbort reports whether err is the failure of a script that threw the
// abort exception.
func isAbort(err error) bool {
	var se *client.StatusError
	return errors.As(err, &se) && errors.Is(err, client.ErrScript) && strings.Contains(se.Message, abortMarker)
}

func (t trw) run(ctx context.Context, ex workload.Executor) (workload.Result, error) {
	vl, vk := t.label.String(), t.label.IDKey()
	b := map[string]any{"vl": vl, "vk": vk, "src": t.src, "dst": t.dst}
	for k, v := range t.bindings {
		b[k] = v
	}
	res, err := ex.Submit(ctx, workload.Request{Script: t.script, Bindings: b})
	if isAbort(err) {
		ids := []int64{t.src, t.dst}
		if t.src == t.dst {
			ids = ids[:1]
		}
		res, err := ex.Submit(ctx, workload.Request{Script: blockScript, Idempotent: true,
			Bindings: map[string]any{"vl": vl, "vk": vk, "ids": ids}})
		if err != nil {
			return nil, t.errorf("aborted, then blocking %s %d and %d failed: %w", strings.ToLower(vl), t.src, t.dst, err)
		}
		if n, err := client.Result(res).Int64(); err != nil || n != int64(len(ids)) {
			return nil, t.errorf("aborted, then blocking %s %d and %d answered %v (%v), want %d", strings.ToLower(vl), t.src, t.dst, res, err, len(ids))
		}
		return TRWAborted, nil
	}
	if err != nil {
		return nil, t.errorf("%w", err)
	}
	s, err := client.Result(res).One()
	if err != nil {
		return nil, t.errorf("%w", err)
	}
	missing := func(id int64) error { return t.errorf("%w", &NotFoundError{Label: t.label, ID: id}) }
	switch s {
	case "committed":
		return TRWCommitted, nil
	case "refused":
		return TRWRefused, nil
	case "missing-src":
		return nil, missing(t.src)
	case "missing-dst":
		return nil, missing(t.dst)
	}
	return nil, t.errorf("answered %v, want committed, refused or a missing vertex", s)
}

func trwOp(typ string, params any, t trw) workload.Operation {
	t.typ = typ
	return workload.Operation{Type: typ, Kind: workload.ReadWrite, Params: params,
		Do: func(ctx context.Context, ex workload.Executor) (workload.Result, error) { return t.run(ctx, ex) }}
}

func transferBindings(tr Transfer, w Window) map[string]any {
	return map[string]any{"ts": tr.Time, "amt": tr.Amount, "ord": tr.OrderNumber, "pt": tr.PayType, "s": w.Start, "e": w.End}
}

// TRW1 is FinBench's read-write 1, transfer under transfer-cycle
// detection (TSR1 → TW12 → TCR4 → TW18), in one transaction plus the
// block. Its Result is a [TRWOutcome]; it fails with ErrNoAccount when an
// account is missing.
func TRW1(p TRW1Params) workload.Operation {
	b := transferBindings(p.Transfer, p.Window)
	b["id1"], b["id2"] = p.Transfer.From, p.Transfer.To
	return trwOp("TRW1", p, trw{what: fmt.Sprintf("transfer %d -> %d", p.Transfer.From, p.Transfer.To), script: TRW1Script,
		bindings: b, label: banking.Account, src: p.Transfer.From, dst: p.Transfer.To})
}

// TRW2 is FinBench's read-write 2, transfer under the in/out ratio
// strategy (TSR1 → TW12 → TCR7 of src and dst → TW18); see TRW1.
func TRW2(p TRW2Params) workload.Operation {
	b := truncBindings(p.Truncation, transferBindings(p.Transfer, p.Window))
	b["th"], b["rth"] = p.AmountThreshold, p.RatioThreshold
	return trwOp("TRW2", p, trw{what: fmt.Sprintf("transfer %d -> %d", p.Transfer.From, p.Transfer.To), script: TRW2Script,
		bindings: b, label: banking.Account, src: p.Transfer.From, dst: p.Transfer.To})
}

// TRW3 is FinBench's read-write 3, guarantee under guarantee-chain
// detection (TSR1-style blocked check → TW10 → TCR11 → TW19); see TRW1.
// It fails with ErrNotFound when a person is missing.
func TRW3(p TRW3Params) workload.Operation {
	b := truncBindings(p.Truncation.TimeOrdered(), map[string]any{"ts": p.Guarantee.Time, "rel": p.Guarantee.Relationship,
		"s": p.Window.Start, "e": p.Window.End, "lth": p.Threshold})
	return trwOp("TRW3", p, trw{what: fmt.Sprintf("guarantee %d -> %d", p.Guarantee.PersonID1, p.Guarantee.PersonID2), script: TRW3Script,
		bindings: b, label: banking.Person, src: p.Guarantee.PersonID1, dst: p.Guarantee.PersonID2})
}
