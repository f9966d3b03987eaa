package queries

import (
	"cmp"
	"encoding/binary"
	"hash/fnv"
	"slices"
)

// mix hashes id with salt: the deterministic "random" order used to pick and
// order parameters, different for every query.
func mix(salt string, id int64) uint64 {
	h := fnv.New64a()
	h.Write([]byte(salt))
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(id))
	h.Write(b[:])
	return h.Sum64()
}

// comparable picks up to n ids whose degree is closest to the median degree
// of the ids with a positive degree (so that every parameter does a
// comparable amount of work), ties broken by a salted hash. The result is in
// salted-hash order: the execution order of the parameter list.
func comparable(ids []int64, degree func(int64) int, n int, salt string) []int64 {
	type cand struct {
		id  int64
		deg int
		h   uint64
	}
	var cs []cand
	for _, id := range ids {
		if d := degree(id); d > 0 {
			cs = append(cs, cand{id, d, mix(salt, id)})
		}
	}
	if len(cs) == 0 {
		return nil
	}
	degs := make([]int, len(cs))
	for i, c := range cs {
		degs[i] = c.deg
	}
	slices.Sort(degs)
	median := degs[len(degs)/2]
	abs := func(x int) int {
		if x < 0 {
			return -x
		}
		return x
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if c := cmp.Compare(abs(a.deg-median), abs(b.deg-median)); c != 0 {
			return c
		}
		return cmp.Compare(a.h, b.h)
	})
	cs = cs[:min(n, len(cs))]
	slices.SortFunc(cs, func(a, b cand) int { return cmp.Compare(a.h, b.h) })
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.id
	}
	return out
}
