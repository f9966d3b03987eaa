package finbench

// TSR2Params are the parameters of TSR2.
type TSR2Params struct {
	// ID is the account's id.
	ID int64
	Window
}

// TSR2Result is TSR2's answer: the account's transfer-outs (Edge1) and
// transfer-ins (Edge2) in the window.
type TSR2Result struct {
	// SumEdge1Amount is the sum of the transfer-outs' amounts.
	SumEdge1Amount float64
	// MaxEdge1Amount is the largest transfer-out, -1 without any.
	MaxEdge1Amount float64
	// NumEdge1 is the number of transfer-outs.
	NumEdge1 int64
	// SumEdge2Amount is the sum of the transfer-ins' amounts.
	SumEdge2Amount float64
	// MaxEdge2Amount is the largest transfer-in, -1 without any.
	MaxEdge2Amount float64
	// NumEdge2 is the number of transfer-ins.
	NumEdge2 int64
}

// TSR3Params are the parameters of TSR3.
type TSR3Params struct {
	// ID is the (destination) account's id.
	ID int64
	// Threshold is the amount a transfer-in must exceed to count.
	Threshold float64
	Window
}

// TSR3Result is TSR3's answer.
type TSR3Result struct {
	// BlockRatio is the share of the transfer-ins (in the window, above
	// the threshold) that come from blocked accounts, -1 without any.
	BlockRatio float64
}

// TSR4Params are the parameters of TSR4.
type TSR4Params struct {
	// ID is the source account's id.
	ID int64
	// Threshold is the amount a transfer-out must exceed to count.
	Threshold float64
	Window
}

// TSR4Row is one row of TSR4's answer: the transfer-outs to one account.
type TSR4Row struct {
	// DstID is the destination account's id.
	DstID int64
	// NumEdges is the number of transfers to it.
	NumEdges int64
	// SumAmount is their total amount.
	SumAmount float64
}

// TSR5Params are the parameters of TSR5.
type TSR5Params struct {
	// ID is the destination account's id.
	ID int64
	// Threshold is the amount a transfer-in must exceed to count.
	Threshold float64
	Window
}

// TSR5Row is one row of TSR5's answer: the transfer-ins from one account.
type TSR5Row struct {
	// SrcID is the source account's id.
	SrcID int64
	// NumEdges is the number of transfers from it.
	NumEdges int64
	// SumAmount is their total amount.
	SumAmount float64
}

// TSR6Params are the parameters of TSR6.
type TSR6Params struct {
	// ID is the account's id.
	ID int64
	Window
}

// TSR6Result is TSR6's answer: the ids of the blocked accounts that
// received a transfer from an account that also transferred to the given
// one, ascending.
type TSR6Result struct {
	// DstIDs are the blocked accounts' ids, ascending.
	DstIDs []int64
}
