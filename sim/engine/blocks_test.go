package engine_test

import (
	"fmt"
	"testing"

	"github.com/akash-market/akash/sim/engine"
)

func TestBlockClock(t *testing.T) {
	c := engine.BlockClock{Interval: engine.DefaultBlockTime}
	tests := []struct {
		at   engine.Time
		want engine.Height
	}{
		{0, 0},
		{engine.Time(6*engine.Second) - 1, 0},
		{engine.Time(6 * engine.Second), 1},
		{engine.Time(6*engine.Second) + 1, 1},
		{engine.Time(12 * engine.Second), 2},
		{engine.Time(engine.Hour), 600},
	}
	for _, tc := range tests {
		if got := c.HeightAt(tc.at); got != tc.want {
			t.Errorf("HeightAt(%v) = %d, want %d", tc.at, got, tc.want)
		}
	}
	for h := engine.Height(0); h < 1000; h++ {
		if got := c.HeightAt(c.TimeOf(h)); got != h {
			t.Fatalf("HeightAt(TimeOf(%d)) = %d, want %d", h, got, h)
		}
	}
	if got := c.Blocks(10); got != 60*engine.Second {
		t.Fatalf("Blocks(10) = %v, want 1m0s", got)
	}
}

func TestBlocksAtExactMultiples(t *testing.T) {
	tests := []struct {
		name     string
		start    engine.Time // when StartBlocks is called
		interval engine.Duration
		until    engine.Time
		want     string
	}{
		{"from genesis", 0, 6, 20, "1@6 2@12 3@18"},
		{"bound exactly on a block includes it", 0, 6, 18, "1@6 2@12 3@18"},
		{"started between blocks: next multiple, height from time", 13, 6, 30, "3@18 4@24 5@30"},
		{"started exactly on a multiple: that block is not replayed", 12, 6, 24, "3@18 4@24"},
		{"default 6 s blocks", 0, engine.DefaultBlockTime, engine.Time(20 * engine.Second), "1@6000000000 2@12000000000 3@18000000000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := engine.New()
			s.RunUntil(tc.start)
			tr := &trace{}
			s.StartBlocks(tc.interval, func(s *engine.Sim, h engine.Height) {
				tr.got = append(tr.got, fmt.Sprintf("%d@%d", h, s.Now()))
			})
			s.RunUntil(tc.until)
			if got := tr.String(); got != tc.want {
				t.Fatalf("blocks %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBlocksFireFirstAtTheirInstant(t *testing.T) {
	s := engine.New()
	tr := &trace{}
	// Ordinary events at block instants, scheduled before the producer exists.
	s.At(6, tr.ev("tx"))
	s.At(12, tr.ev("tx"))
	s.StartBlocks(6, func(s *engine.Sim, h engine.Height) {
		tr.got = append(tr.got, fmt.Sprintf("block%d@%d", h, s.Now()))
		s.After(0, tr.ev("afterBlock"))
	})
	s.At(12, tr.ev("tx2"))
	s.RunUntil(12)
	want := "block1@6 tx@6 afterBlock@6 block2@12 tx@12 tx2@12 afterBlock@12"
	if got := tr.String(); got != want {
		t.Fatalf("fired %q\nwant  %q", got, want)
	}
}

func TestBlockProducerStop(t *testing.T) {
	s := engine.New()
	var heights []engine.Height
	var b *engine.BlockProducer
	b = s.StartBlocks(6, func(s *engine.Sim, h engine.Height) {
		heights = append(heights, h)
		if h == 3 {
			b.Stop() // from inside the callback: the next block is already queued
		}
	})
	s.RunUntil(100)
	if fmt.Sprint(heights) != "[1 2 3]" || b.Height() != 3 {
		t.Fatalf("heights %v, Height() %d; want [1 2 3] and 3", heights, b.Height())
	}
	if s.Pending() != 0 {
		t.Fatalf("Pending() = %d after Stop, want 0", s.Pending())
	}
	b.Stop() // idempotent
}
