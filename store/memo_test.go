package store

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"signpost/handoff"
	"signpost/internal/roundtrip"
)

// heldReferral is an open referral a worker holds, for the person 42.
func heldReferral(ref string) handoff.Referral {
	return handoff.Referral{Ref: ref, User: 42, Team: handoff.TeamLinkWorkers, Status: handoff.StatusClaimed,
		Created: start, Holder: handoff.Worker{ID: 101, Name: "Ana"}, Claimed: start}
}

// fromPerson is the change a message passed on to the case makes.
func fromPerson(at time.Time) func(*handoff.Referral) (handoff.Change, error) {
	return func(r *handoff.Referral) (handoff.Change, error) {
		if r.Status == handoff.StatusClosed {
			return handoff.Change{}, handoff.ErrClosed
		}
		r.LastFromPerson = at
		return handoff.Change{Events: []handoff.Event{{At: at, Kind: handoff.EventFromPerson, Text: "hello"}}}, nil
	}
}

// A person's message for their case reads their referrals and session once
// (marking the update for the case) and, since this store made their
// referral, that referral in the same round trip; it writes the change with
// its indexes in one more.
func TestUpdateReadEarlierInOneRoundTrip(t *testing.T) {
	shared, clk := setup(t, Config{})
	// A client of its own, whose round trips are counted.
	rdb := redis.NewClient(shared.rdb.(*redis.Client).Options())
	t.Cleanup(func() { rdb.Close() })
	s := New(rdb, Config{Prefix: shared.keys.prefix, Now: clk.Now})
	if err := s.Preload(t.Context()); err != nil {
		t.Fatal(err)
	}
	r := heldReferral("R-33333")
	if _, _, err := s.CreateReferral(t.Context(), r, handoff.Event{At: start, Kind: handoff.EventCreated}); err != nil {
		t.Fatal(err)
	}
	ctx, work := roundtrip.With(t.Context())
	work.SetUpdate(9001)
	rt := CountRoundTrips(rdb)
	rt.Record()
	rdb.Ping(t.Context()) // a connection made before, not counted in the update
	refs, err := s.PersonReferrals(ctx, 42)
	if err != nil || len(refs) != 1 {
		t.Fatalf("PersonReferrals = %v, %v", refs, err)
	}
	if rec, err := s.Load(ctx, 42); err != nil || rec.Data != nil {
		t.Fatalf("Load = %+v, %v; want no session", rec, err)
	}
	if seen, err := s.SeenUpdate(ctx, 9001); err != nil || seen {
		t.Fatalf("first SeenUpdate = %v, %v; want new", seen, err)
	}
	if seen, _ := s.SeenUpdate(ctx, 9001); !seen {
		t.Error("a second SeenUpdate in the same update says new")
	}
	if _, err := s.Referrals(ctx, refs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Referral(ctx, r.Ref); err != nil {
		t.Fatal(err)
	}
	before := work.N()
	at := start.Add(time.Minute)
	got, err := s.UpdateReferral(ctx, r.Ref, fromPerson(at))
	if err != nil || !got.LastFromPerson.Equal(at) {
		t.Fatalf("UpdateReferral = %+v, %v", got, err)
	}
	if n := work.N(); before != 1 || n != 2 {
		t.Errorf("round trips: %d to read, %d in all; want 1 and 2: %q", before, n, rt.Recorded())
	}
	stored, err := s.Referral(t.Context(), r.Ref)
	if err != nil || !stored.LastFromPerson.Equal(at) {
		t.Errorf("stored %+v, %v", stored, err)
	}
	hist, _ := s.History(t.Context(), r.Ref)
	if len(hist) != 2 || hist[1].Kind != handoff.EventFromPerson {
		t.Errorf("history %+v", hist)
	}
	sums, _ := s.rdb.HGet(t.Context(), s.keys.open(string(r.Team)), r.Ref).Result()
	if sum, ok := decodeSummary(r.Team, sums); !ok || !sum.LastFromPerson.Equal(at) {
		t.Errorf("the open cases' summary is %q", sums)
	}

	// The same update again, as Telegram sends it when no answer came.
	ctx2, work2 := roundtrip.With(t.Context())
	work2.SetUpdate(9001)
	s.PersonReferrals(ctx2, 42)
	if seen, _ := s.SeenUpdate(ctx2, 9001); !seen {
		t.Error("the repeated update is new for the case")
	}
}

// A replica that has not seen the person reads their referral in a round
// trip after their index; once it has, in the same one. A referral made
// since it last looked is read in a round trip of its own again.
func TestReadAheadOnAnotherReplica(t *testing.T) {
	shared, clk := setup(t, Config{})
	if _, _, err := shared.CreateReferral(t.Context(), heldReferral("R-55555"), handoff.Event{At: start, Kind: handoff.EventCreated}); err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(shared.rdb.(*redis.Client).Options())
	t.Cleanup(func() { rdb.Close() })
	s := New(rdb, Config{Prefix: shared.keys.prefix, Now: clk.Now})
	if err := s.Preload(t.Context()); err != nil {
		t.Fatal(err)
	}
	rdb.Ping(t.Context())
	rt := CountRoundTrips(rdb)
	rt.Record()
	look := func(want int, wantRefs ...string) {
		t.Helper()
		ctx, _ := roundtrip.With(t.Context())
		refs, err := s.PersonReferrals(ctx, 42)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := s.Referrals(ctx, refs)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rs {
			got = append(got, r.Ref)
		}
		if diff := cmp.Diff(wantRefs, got); diff != "" {
			t.Errorf("referrals (-want +got):\n%s", diff)
		}
		// A new pooled connection's handshake is the pool's, not the read's.
		var sent []string
		for _, r := range rt.Recorded() {
			if r != "HELLO" && r != "pipeline: CLIENT CLIENT" {
				sent = append(sent, r)
			}
		}
		if len(sent) != want {
			t.Errorf("%d round trips, want %d: %q", len(sent), want, sent)
		}
	}
	look(2, "R-55555")
	look(1, "R-55555")
	later := heldReferral("R-66666")
	later.Created = start.Add(time.Hour)
	if _, _, err := shared.CreateReferral(t.Context(), later, handoff.Event{At: later.Created, Kind: handoff.EventCreated}); err != nil {
		t.Fatal(err)
	}
	look(2, "R-66666", "R-55555")
	look(1, "R-66666", "R-55555")
}

// A referral that changed between the update's read and its write is not
// overwritten: the change is made again on what is stored, and the indexes
// end as the referral is.
func TestUpdateReadEarlierThenChanged(t *testing.T) {
	s, _ := setup(t, Config{})
	r := heldReferral("R-44444")
	if _, _, err := s.CreateReferral(t.Context(), r, handoff.Event{At: start, Kind: handoff.EventCreated}); err != nil {
		t.Fatal(err)
	}
	ctx, _ := roundtrip.With(t.Context())
	if _, err := s.Referral(ctx, r.Ref); err != nil {
		t.Fatal(err)
	}
	// Meanwhile, elsewhere, the worker closes the case.
	closed := start.Add(30 * time.Second)
	if _, err := s.UpdateReferral(t.Context(), r.Ref, func(r *handoff.Referral) (handoff.Change, error) {
		r.Status, r.Closed, r.Outcome = handoff.StatusClosed, closed, handoff.OutcomeOther
		return handoff.Change{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateReferral(ctx, r.Ref, fromPerson(start.Add(time.Minute))); !errors.Is(err, handoff.ErrClosed) {
		t.Fatalf("UpdateReferral on a case closed since read = %v, want ErrClosed", err)
	}
	stored, _ := s.Referral(t.Context(), r.Ref)
	if stored.Status != handoff.StatusClosed || !stored.LastFromPerson.IsZero() {
		t.Errorf("stored %+v", stored)
	}
	if n, _ := s.rdb.HExists(t.Context(), s.keys.open(string(r.Team)), r.Ref).Result(); n {
		t.Error("the closed case is back among the open ones")
	}
	if n, _ := s.rdb.ZScore(t.Context(), s.keys.held(101), r.Ref).Result(); n != 0 {
		t.Error("the closed case is still held")
	}
	// And the read of the same update now sees it closed.
	if got, _ := s.Referral(ctx, r.Ref); got.Status != handoff.StatusClosed {
		t.Errorf("the update still sees %s", got.Status)
	}
}

// A change made on a referral read earlier writes only what changed, and a
// field it empties is gone from Redis, as a whole rewrite would leave it.
func TestUpdateReadEarlierRemovesEmptiedFields(t *testing.T) {
	s, _ := setup(t, Config{})
	r := heldReferral("R-77777")
	if _, _, err := s.CreateReferral(t.Context(), r, handoff.Event{At: start, Kind: handoff.EventCreated}); err != nil {
		t.Fatal(err)
	}
	ctx, _ := roundtrip.With(t.Context())
	if _, err := s.Referral(ctx, r.Ref); err != nil {
		t.Fatal(err)
	}
	got, err := s.UpdateReferral(ctx, r.Ref, func(r *handoff.Referral) (handoff.Change, error) {
		r.Holder, r.Status, r.Claimed = handoff.Worker{}, handoff.StatusNew, time.Time{}
		r.LastFromPerson = start.Add(time.Hour)
		return handoff.Change{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.rdb.HGetAll(t.Context(), s.keys.referral(r.Ref)).Result()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(encodeReferral(got), stored); diff != "" {
		t.Errorf("stored (-want +got):\n%s", diff)
	}
	if _, ok := stored[fHolderID]; ok {
		t.Errorf("the emptied holder is still stored: %v", stored)
	}
}
