package loader

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
)

// Source is the data a load reads: the generator's stream or a dataset
// directory. Build one with [FromData], [GeneratorSource] or [BatchSource].
type Source struct {
	// Name describes the source for reports ("generator seed 42 scale
	// 0.01", "dir data/sf001").
	Name string
	// Fingerprint identifies the data as read (generator or directory): a
	// resumed load must read the same.
	Fingerprint string
	// Dataset identifies the data whichever way it is read: a directory
	// written by the generator has the generator's identity. The graph
	// records it (see GraphState).
	Dataset string
	// Counts is the number of elements per label.
	Counts [banking.NumLabels]int64
	// Truth is the injected patterns' ground truth.
	Truth *banking.GroundTruth

	// stream emits the source's parts in order, sized by sz (nil: not
	// sized).
	stream func(ctx context.Context, sz *sizer, emit func(*part) error) error
}

// run emits the source's parts without sizing them, for readers that do
// not cut batches.
func (s *Source) run(ctx context.Context, emit func(*part) error) error {
	return s.stream(ctx, nil, emit)
}

// Total returns the number of elements of the source.
func (s *Source) Total() int64 {
	var n int64
	for _, c := range s.Counts {
		n += c
	}
	return n
}

// GeneratorSource streams a banking generator's batches: FromData over
// dataset.Source{Config: cfg}.
func GeneratorSource(ctx context.Context, cfg banking.Config) (*Source, error) {
	d, err := dataset.Source{Config: cfg}.Open(ctx)
	if err != nil {
		return nil, err
	}
	return FromData(ctx, d)
}

// FromData streams opened data (a dataset directory or the generator; see
// dataset.Source), under the data's own identity, d.Fingerprint. A
// directory's counts come from its manifest: the caller should have called
// d.Verify, so that a tampered file fails before anything is loaded; files
// are hashed again while streaming. The generator is run once first,
// without loading, to count the elements per label (generation is far
// faster than loading), so that progress has a total and verification
// exact expectations.
func FromData(ctx context.Context, d *dataset.Data) (*Source, error) {
	gt, err := d.GroundTruth()
	if err != nil {
		return nil, err
	}
	s := &Source{Truth: gt, Name: d.String(), Fingerprint: d.Fingerprint, Dataset: d.Fingerprint}
	if d.Dataset != nil {
		for name, n := range d.Dataset.Manifest.Counts {
			l, ok := banking.ParseLabel(name)
			if !ok {
				return nil, fmt.Errorf("loader: manifest of %s counts unknown label %q", d.Dataset.Dir, name)
			}
			s.Counts[l] = n
		}
		s.stream = func(ctx context.Context, sz *sizer, emit func(*part) error) error {
			var offsets [banking.NumLabels]int64
			return d.Run(ctx, func(b *banking.Batch) error {
				p, err := newPart(b, offsets[b.Label], sz)
				if err != nil {
					return err
				}
				offsets[b.Label] += int64(p.len())
				return emit(p)
			})
		}
		return s, nil
	}
	counter := d.Config
	counter.SkipValidation = true
	cg, err := banking.New(counter)
	if err != nil {
		return nil, err
	}
	if err := cg.Run(ctx, func(b *banking.Batch) error {
		s.Counts[b.Label] += int64(b.Len())
		return nil
	}); err != nil {
		return nil, fmt.Errorf("loader: counting generated elements: %w", err)
	}
	g := d.Generator
	s.stream = func(ctx context.Context, sz *sizer, emit func(*part) error) error {
		var offsets [banking.NumLabels]int64
		return banking.RunPrepared(ctx, g,
			func(b *banking.Batch) (*part, error) { return newPart(b, 0, sz) },
			func(b *banking.Batch, p *part) error {
				p.offset = offsets[b.Label]
				offsets[b.Label] += int64(p.len())
				return emit(p)
			})
	}
	return s, nil
}

// sliceSource builds a Source from in-memory batches (tests, load-bench
// slices).
func sliceSource(name string, batches []*banking.Batch, gt *banking.GroundTruth) *Source {
	s := &Source{Name: name, Truth: gt}
	h := sha256.New()
	for _, b := range batches {
		s.Counts[b.Label] += int64(b.Len())
		h.Write(b.AppendJSONL(nil))
	}
	s.Fingerprint = "mem:" + hex.EncodeToString(h.Sum(nil)[:8])
	s.Dataset = s.Fingerprint
	if s.Truth == nil {
		s.Truth = &banking.GroundTruth{}
	}
	s.stream = func(ctx context.Context, sz *sizer, emit func(*part) error) error {
		var offsets [banking.NumLabels]int64
		for _, b := range batches {
			if err := ctx.Err(); err != nil {
				return err
			}
			p, err := newPart(b, offsets[b.Label], sz)
			if err != nil {
				return err
			}
			offsets[b.Label] += int64(p.len())
			if err := emit(p); err != nil {
				return err
			}
		}
		return nil
	}
	return s
}

// BatchSource returns a Source over in-memory batches, in the given order
// (vertex batches before the edge batches that use them). The ground truth
// may be nil.
func BatchSource(name string, batches []*banking.Batch, gt *banking.GroundTruth) *Source {
	return sliceSource(name, batches, gt)
}

// Each streams s once and calls fn with every batch, in load order: its
// label and, per element, the business id (vertices; ends is nil) or the
// endpoints (edges; ids is nil) and the property map the loader sends.
// The slices are only valid during the call.
func (s *Source) Each(ctx context.Context, fn func(label banking.Label, ids []int64, ends []banking.Ends, props []map[string]any) error) error {
	return s.run(ctx, func(p *part) error { return fn(p.label, p.ids, p.ends, p.props) })
}
