package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"signpost/handoff"
	"signpost/internal/roundtrip"
)

// In a work that defers writes, an audit entry and a worker seen go with
// the next round trip the work makes (here the compare-and-set of a
// referral read earlier), before what it does; what is left goes with
// Flush. Outside such a work they are written at once.
func TestHeldWritesRideWithTheNextRoundTrip(t *testing.T) {
	shared, clk := setup(t, Config{})
	rdb := redis.NewClient(shared.rdb.(*redis.Client).Options())
	t.Cleanup(func() { rdb.Close() })
	s := New(rdb, Config{Prefix: shared.keys.prefix, Now: clk.Now})
	if err := s.Preload(t.Context()); err != nil {
		t.Fatal(err)
	}
	r := heldReferral("R-44444")
	if _, _, err := s.CreateReferral(t.Context(), r, handoff.Event{At: start, Kind: handoff.EventCreated}); err != nil {
		t.Fatal(err)
	}
	ctx, work := roundtrip.With(t.Context())
	work.SetUpdate(9002)
	work.DeferWrites()
	rt := CountRoundTrips(rdb)
	rdb.Ping(t.Context())
	rt.Record()

	ana := handoff.Worker{ID: 101, Name: "Ana"}
	if seen, err := s.SeenUpdate(ctx, 9002, r.Ref); err != nil || seen {
		t.Fatalf("SeenUpdate = %v, %v", seen, err)
	}
	if err := s.PutWorker(ctx, handoff.KnownWorker{Worker: ana, Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAudit(ctx, r.Ref, handoff.AuditEntry{At: start, Worker: ana, Action: handoff.ActionClaimed}); err != nil {
		t.Fatal(err)
	}
	if got := work.Deferred(); got != 2 {
		t.Fatalf("%d writes held, want 2 (the worker, the audit entry)", got)
	}
	if _, err := s.UpdateReferral(ctx, r.Ref, fromPerson(start)); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAudit(ctx, r.Ref, handoff.AuditEntry{At: start, Worker: ana, Action: handoff.ActionViewed}); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"pipeline: SET HGETALL",
		"pipeline: HSET HSET RPUSH cas_referral ZREM ZREM ZREM ZADD HSET ZADD",
		"pipeline: RPUSH",
	}
	if diff := cmp.Diff(want, rt.Recorded()); diff != "" {
		t.Errorf("round trips (-want +got):\n%s", diff)
	}
	audit, err := s.Audit(t.Context(), r.Ref)
	if err != nil || len(audit) != 2 {
		t.Fatalf("Audit = %v, %v; want two entries", audit, err)
	}
	if k, ok, err := s.WorkerByHandle(t.Context(), "ana"); err != nil || !ok || k.Name != "Ana" {
		t.Errorf("WorkerByHandle = %+v, %v, %v", k, ok, err)
	}

	// Without DeferWrites, at once.
	plain, _ := roundtrip.With(t.Context())
	if err := s.AddAudit(plain, r.Ref, handoff.AuditEntry{At: start, Worker: ana, Action: handoff.ActionViewed}); err != nil {
		t.Fatal(err)
	}
	if audit, _ := s.Audit(t.Context(), r.Ref); len(audit) != 3 {
		t.Errorf("%d audit entries, want 3", len(audit))
	}
}
