package finbench

import (
	"errors"
	"fmt"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
)

// ErrNoWrite is matched (with errors.Is) by the error of [UpdateOps] for an
// element that no FinBench write adds on its own.
var ErrNoWrite = errors.New("no FinBench write adds this element")

// UpdateOps converts the elements of an update-stream batch into FinBench
// writes, one operation per element, in the batch's order:
//
//	Person TW1, Company TW2, Medium TW3,
//	invest Person→Company TW8, Company→Company TW9,
//	guarantee Person→Person TW10, Company→Company TW11,
//	transfer TW12, withdraw TW13, repay TW14, deposit TW15, signIn TW16.
//
// Each operation carries every property of its element, so that replaying
// the stream writes the same graph as loading it. Other elements fail
// with ErrNoWrite: an Account or an own edge alone (TW4/TW5 add an account
// with its own edge), a Loan or an apply edge alone (TW6/TW7), Addresses
// and their livesAt/registeredAt edges (not in FinBench), and a guarantee
// between a Person and a Company. The banking generator creates every
// vertex (hence every own, apply, livesAt and registeredAt edge) before any
// split of the data, so its update streams hold none of them.
func UpdateOps(b *banking.Batch) ([]workload.Operation, error) {
	ops := make([]workload.Operation, 0, b.Len())
	noWrite := func(why string) ([]workload.Operation, error) {
		return nil, fmt.Errorf("%w: %s (%s)", ErrNoWrite, b.Label, why)
	}
	switch b.Label {
	case banking.Person:
		for _, v := range b.Persons {
			ops = append(ops, TW1(TW1Params(v)))
		}
	case banking.Company:
		for _, v := range b.Companies {
			ops = append(ops, TW2(TW2Params(v)))
		}
	case banking.Medium:
		for _, v := range b.Media {
			ops = append(ops, TW3(TW3Params(v)))
		}
	case banking.Account, banking.Own:
		return noWrite("TW4/TW5 add an Account together with its own edge")
	case banking.Loan, banking.Apply:
		return noWrite("TW6/TW7 add a Loan together with its apply edge")
	case banking.Address, banking.LivesAt, banking.RegisteredAt:
		return noWrite("addresses are not part of FinBench")
	case banking.Invest:
		for _, e := range b.Invests {
			if e.FromLabel == banking.Person {
				ops = append(ops, TW8(TW8Params{PersonID: e.From, CompanyID: e.To, Time: e.Timestamp, Ratio: e.Ratio}))
			} else {
				ops = append(ops, TW9(TW9Params{CompanyID1: e.From, CompanyID2: e.To, Time: e.Timestamp, Ratio: e.Ratio}))
			}
		}
	case banking.Guarantee:
		for _, e := range b.Notes {
			switch {
			case e.FromLabel == banking.Person && e.ToLabel == banking.Person:
				ops = append(ops, TW10(TW10Params{PersonID1: e.From, PersonID2: e.To, Time: e.Timestamp, Relationship: e.Note}))
			case e.FromLabel == banking.Company && e.ToLabel == banking.Company:
				ops = append(ops, TW11(TW11Params{CompanyID1: e.From, CompanyID2: e.To, Time: e.Timestamp, Relationship: e.Note}))
			default:
				return noWrite(fmt.Sprintf("%s %d -> %s %d: FinBench guarantees are Person→Person or Company→Company",
					e.FromLabel, e.From, e.ToLabel, e.To))
			}
		}
	case banking.Transfer:
		for _, e := range b.Transfers {
			ops = append(ops, TW12(Transfer{From: e.From, To: e.To, Time: e.Timestamp, Amount: e.Amount,
				OrderNumber: e.OrderNumber, PayType: e.PayType}))
		}
	case banking.Withdraw:
		for _, e := range b.Money {
			ops = append(ops, TW13(TW13Params{From: e.From, To: e.To, Time: e.Timestamp, Amount: e.Amount}))
		}
	case banking.Repay:
		for _, e := range b.Money {
			ops = append(ops, TW14(TW14Params{AccountID: e.From, LoanID: e.To, Time: e.Timestamp, Amount: e.Amount}))
		}
	case banking.Deposit:
		for _, e := range b.Money {
			ops = append(ops, TW15(TW15Params{LoanID: e.From, AccountID: e.To, Time: e.Timestamp, Amount: e.Amount}))
		}
	case banking.SignIn:
		for _, e := range b.Notes {
			ops = append(ops, TW16(TW16Params{MediumID: e.From, AccountID: e.To, Time: e.Timestamp, Location: e.Note}))
		}
	default:
		return noWrite("unknown label")
	}
	return ops, nil
}
