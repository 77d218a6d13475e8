package chainclient

import (
	"context"
	"errors"
	"testing"
	"time"

	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/akash-market/akash/provider/manager"
)

func block(h int64) ctypes.ResultEvent {
	return ctypes.ResultEvent{Data: cmttypes.EventDataNewBlock{Block: &cmttypes.Block{Header: cmttypes.Header{Height: h}}}}
}

func plainEnrich(_ context.Context, h int64, _ cmttypes.EventDataNewBlock) ([]manager.Event, error) {
	return []manager.Event{{Kind: manager.NewBlock, Height: h}}, nil
}

// drainHeights runs follow over the given events and returns the heights it
// passed on before it stopped (it must stop by itself: a gap).
func drainHeights(t *testing.T, evs []ctypes.ResultEvent, silence time.Duration, enrich func(context.Context, int64, cmttypes.EventDataNewBlock) ([]manager.Event, error)) []int64 {
	t.Helper()
	in := make(chan ctypes.ResultEvent, len(evs))
	for _, e := range evs {
		in <- e
	}
	out := make(chan manager.Event, 16)
	done := make(chan struct{})
	go func() { follow(context.Background(), in, out, silence, enrich); close(done) }()
	var hs []int64
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-out:
			if !ok {
				<-done
				return hs
			}
			hs = append(hs, ev.Height)
		case <-timeout:
			t.Fatal("follow did not stop on a gap")
		}
	}
}

func TestFollowStopsOnSkippedHeight(t *testing.T) {
	hs := drainHeights(t, []ctypes.ResultEvent{block(10), block(11), block(13), block(14)}, time.Minute, plainEnrich)
	if len(hs) != 2 || hs[0] != 10 || hs[1] != 11 {
		t.Fatalf("passed %v, want [10 11] then a gap at 13", hs)
	}
}

func TestFollowStopsOnSilence(t *testing.T) {
	start := time.Now()
	hs := drainHeights(t, []ctypes.ResultEvent{block(5), {Data: "not a block"}}, 100*time.Millisecond, plainEnrich)
	if len(hs) != 1 || time.Since(start) < 100*time.Millisecond {
		t.Fatalf("passed %v after %s; want block 5, then a stop after 100ms of silence", hs, time.Since(start))
	}
}

func TestFollowStopsWhenEventsCannotBeRead(t *testing.T) {
	failAt7 := func(ctx context.Context, h int64, nb cmttypes.EventDataNewBlock) ([]manager.Event, error) {
		if h == 7 {
			return nil, errors.New("query order: connection refused")
		}
		return plainEnrich(ctx, h, nb)
	}
	hs := drainHeights(t, []ctypes.ResultEvent{block(6), block(7), block(8)}, time.Minute, failAt7)
	if len(hs) != 1 || hs[0] != 6 {
		t.Fatalf("passed %v, want [6] then a stop", hs)
	}
}
