package banking

import (
	"context"
	"testing"
)

// benchGenerate generates scale 0.01 per iteration and reports elements/s.
func benchGenerate(b *testing.B, cfg Config, encode bool) {
	g, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	prepare := func(bt *Batch) ([]byte, error) { return nil, nil }
	if encode {
		prepare = func(bt *Batch) ([]byte, error) { return bt.AppendJSONL(make([]byte, 0, bt.Len()*160)), nil }
	}
	var elements, bytes int64
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		err := RunPrepared(context.Background(), g, prepare, func(bt *Batch, data []byte) error {
			elements += int64(bt.Len())
			bytes += int64(len(data))
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(elements)/b.Elapsed().Seconds(), "elements/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(elements)/cpu.Seconds(), "elements/cpu-s")
	}
	if encode {
		b.SetBytes(bytes / int64(b.N))
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, bc := range []struct {
		name     string
		workers  int
		validate bool
		encode   bool
	}{
		{"workers=1/validate", 1, true, false},
		{"workers=2/validate", 2, true, false},
		{"workers=2/novalidate", 2, false, false},
		{"workers=2/validate/jsonl", 2, true, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			benchGenerate(b, Config{Seed: 42, Scale: 0.01, Patterns: DefaultPatterns(), Workers: bc.workers, SkipValidation: !bc.validate}, bc.encode)
		})
	}
}
