package store

import (
	"testing"
	"time"

	"signpost/handoff"
)

func TestDropWorkers(t *testing.T) {
	s, clk := setup(t, Config{})
	ctx := t.Context()
	now := clk.Now()
	for _, k := range []handoff.KnownWorker{
		{Worker: handoff.Worker{ID: 11, Name: "Left"}, Username: "left_worker", Seen: now.Add(-200 * 24 * time.Hour)},
		{Worker: handoff.Worker{ID: 12, Name: "Here"}, Username: "here_worker", Seen: now.Add(-time.Hour)},
	} {
		if err := s.PutWorker(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.DropWorkers(ctx, now.Add(-183*24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("DropWorkers = %d, %v; want 1", n, err)
	}
	all, _ := s.Workers(ctx)
	if len(all) != 1 || all[0].ID != 12 {
		t.Errorf("workers left %+v; want only Here", all)
	}
	if _, ok, _ := s.WorkerByHandle(ctx, "left_worker"); ok {
		t.Error("the @username of a dropped worker still finds them")
	}
	if h := s.rdb.HGetAll(ctx, s.keys.handles()).Val(); len(h) != 1 || h["here_worker"] != "12" {
		t.Errorf("handles %v; want here_worker only", h)
	}
}

func TestDropStaleBlocked(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	for _, user := range []int64{31, 32} {
		if err := s.SetBlocked(ctx, user, true); err != nil {
			t.Fatal(err)
		}
	}
	// Person 31's profile expired; 32's is still there.
	s.rdb.Del(ctx, s.keys.profile(31))
	if n, err := s.DropStaleBlocked(ctx); err != nil || n != 1 {
		t.Fatalf("DropStaleBlocked = %d, %v; want 1", n, err)
	}
	if m := s.rdb.SMembers(ctx, s.keys.blocked()).Val(); len(m) != 1 || m[0] != "32" {
		t.Errorf("blocked %v, want 32 only", m)
	}
}
