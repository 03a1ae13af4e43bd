package flows_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"signpost/content"
	"signpost/flows"
	"signpost/internal/redistest"
	"signpost/store"
)

func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }

func newRunner(t testing.TB, b *content.Bundle) (*flows.Runner, *store.Store) {
	t.Helper()
	rdb, prefix := redistest.Setup(t)
	st := store.New(rdb, store.Config{Prefix: prefix})
	var n atomic.Int64
	r := flows.NewRunner(st, b, flows.Config{
		Contents: st,
		Nonce:    func() string { return fmt.Sprintf("n%07d", n.Add(1)) },
	})
	if err := r.Publish(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r, st
}

func text(s string, update int64) flows.Event {
	return flows.Event{Kind: flows.EventText, Text: s, UpdateID: update}
}

// TestConcurrentEventsAppliedOnce sends 50 events to one session from 50
// goroutines at once, then sends them all again: each must be applied
// exactly once, in some order, and none lost.
func TestConcurrentEventsAppliedOnce(t *testing.T) {
	ctx := context.Background()
	r, st := newRunner(t, loopBundle(t))
	const user, n = 99, 50
	if _, err := r.Handle(ctx, user, text("start", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Pending(ctx, user); err != nil {
		t.Fatal(err)
	}
	send := func() (dups int64) {
		var wg sync.WaitGroup
		var d atomic.Int64
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				// Alternate the note question and the 1-3 scale so that
				// every event is a valid answer whichever comes first.
				_, err := r.Handle(ctx, user, text(fmt.Sprintf("msg-%d", i), int64(100+i)))
				if errors.Is(err, flows.ErrDuplicate) {
					d.Add(1)
					return
				}
				if err != nil {
					t.Error(err)
				}
			}(i)
		}
		wg.Wait()
		return d.Load()
	}
	if dups := send(); dups != 0 {
		t.Fatalf("%d events refused as repeats on first delivery", dups)
	}
	if dups := send(); dups != n {
		t.Fatalf("%d of %d repeats refused, want all", dups, n)
	}
	s, err := r.Session(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	if s.Seq != n+1 {
		t.Errorf("session applied %d events, want %d", s.Seq, n+1)
	}
	outs, err := r.Pending(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	ids := map[string]bool{}
	for _, o := range outs {
		if ids[o.ID] {
			t.Errorf("outbox id %s twice", o.ID)
		}
		ids[o.ID] = true
		if o.Kind == flows.OutClose {
			seen[o.Text]++
		}
		if strings.HasPrefix(o.Text, "Choose a number.") {
			seen["invalid"]++
		}
	}
	// Each event was either a note (recorded and echoed) or, at the scale,
	// refused kindly; either way it left exactly one trace.
	total := 0
	for i := 0; i < n; i++ {
		c := seen[fmt.Sprintf("msg-%d", i)]
		if c > 1 {
			t.Errorf("msg-%d applied %d times", i, c)
		}
		total += c
	}
	if total+seen["invalid"] != n {
		t.Errorf("%d notes recorded + %d refused = %d, want %d events", total, seen["invalid"], total+seen["invalid"], n)
	}
	_ = st
}

// TestSessionFinishesOnItsContent starts a conversation on one content
// version, deploys another, and checks the first finishes on the old one
// while a new conversation starts on the new.
func TestSessionFinishesOnItsContent(t *testing.T) {
	ctx := context.Background()
	old := loopBundle(t)
	r1, st := newRunner(t, old)
	if _, err := r1.Handle(ctx, 1, text("start", 0)); err != nil {
		t.Fatal(err)
	}

	// A new deployment: the same flow, reworded, as a separate runner on the same store.
	blob, _ := old.Encode()
	changed, err := content.Decode([]byte(strings.ReplaceAll(string(blob), "Got {note}.", "Thanks for {note}!")))
	if err != nil {
		t.Fatal(err)
	}
	if changed.Version == old.Version {
		t.Fatal("changed content has the same version")
	}
	r2 := flows.NewRunner(st, changed, flows.Config{Contents: st})
	if err := r2.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	out, err := r2.Handle(ctx, 1, text("hello", 0))
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(out, flows.OutMessage); len(got) == 0 || got[0] != "Got hello." {
		t.Errorf("pinned session said %q, want the old wording", got)
	}
	_, err = r2.Handle(ctx, 2, text("start", 0))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := r2.Session(ctx, 2); s.Content != changed.Version {
		t.Errorf("new session pinned to %s, want %s", s.Content, changed.Version)
	}
	out, _ = r2.Handle(ctx, 2, text("hello", 0))
	if got := texts(out, flows.OutMessage); len(got) == 0 || got[0] != "Thanks for hello!" {
		t.Errorf("new session said %q, want the new wording", got)
	}
}
