package store

import (
	"context"
	"errors"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"signpost/flows"
	"signpost/internal/testclock"
)

// TestMiniredis runs the store on the in-memory Redis that `signpost chat`
// embeds, whose Lua is a different interpreter: the scripts must run there too.
func TestMiniredis(t *testing.T) {
	ctx := context.Background()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	clk := testclock.New(start)
	s := New(rdb, Config{Now: clk.Now})

	v, err := s.Commit(ctx, flows.Commit{User: 1, Session: []byte("a:b"), Outbox: entries("hi"), UpdateID: 9})
	if err != nil {
		t.Fatal(err)
	}
	if v != start.UnixMicro() {
		t.Errorf("first version = %d, want %d", v, start.UnixMicro())
	}
	if _, err := s.Commit(ctx, flows.Commit{User: 1, Version: v, Session: []byte("c"), UpdateID: 9}); !errors.Is(err, flows.ErrDuplicate) {
		t.Errorf("repeat: error = %v, want ErrDuplicate", err)
	}
	if _, err := s.Commit(ctx, flows.Commit{User: 1, Version: v - 1, Session: []byte("c")}); !errors.Is(err, flows.ErrConflict) {
		t.Errorf("stale: error = %v, want ErrConflict", err)
	}
	v2, err := s.Commit(ctx, flows.Commit{User: 1, Version: v, Session: []byte("c"), Outbox: entries("next")})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := s.Load(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(flows.Record{Data: []byte("c"), Version: v + 1}, rec); diff != "" || v2 != v+1 {
		t.Errorf("after second write, version %d, Load (-want +got):\n%s", v2, diff)
	}
	if err := s.SetProfile(ctx, 1, map[string]string{"lang": "en"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(ctx, flows.Commit{User: 1, Version: v2, Outbox: entries("bye")}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{s.keys.pending(), s.keys.outbox(1)}, mr.Keys()); diff != "" {
		t.Errorf("keys after erasure (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"bye"}, pending(t, s, 1)); diff != "" {
		t.Errorf("Pending (-want +got):\n%s", diff)
	}
}
