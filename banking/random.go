package banking

import "strconv"

// Stateless randomness: attributes that both a vertex partition and the edge
// partitions referring to it must agree on (account type, blocked flag,
// creation time, ...) are pure functions of (seed, label, index, salt), so no
// partition needs another partition's data.

func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hashOf returns a well-mixed 64-bit value for (seed, label, index, salt).
func hashOf(seed uint64, l Label, idx int, salt uint64) uint64 {
	return mix64(seed ^ mix64(uint64(l)<<56^uint64(idx)<<8^salt+0x9e3779b97f4a7c15))
}

// unit maps h to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// idBase returns the first business id of a vertex label: ids are
// idBase(l)+index, so that ids of different labels never collide (which
// helps people reading query results), while staying dense within a label.
func idBase(l Label) int64 { return (int64(l) + 1) * 10_000_000_000 }

// ID returns the business id of the idx-th (0-based) vertex of label l.
func ID(l Label, idx int) int64 { return idBase(l) + int64(idx) }

// IndexOf returns the 0-based index of business id id within label l, or
// -1 when id is not in l's id space.
func IndexOf(l Label, id int64) int64 {
	i := id - idBase(l)
	if i < 0 || i >= 10_000_000_000 {
		return -1
	}
	return i
}
