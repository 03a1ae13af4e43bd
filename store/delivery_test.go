package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"signpost/flows"
	"signpost/handoff"
	"signpost/internal/roundtrip"
)

func TestClaimAndFinish(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	mustCommit(t, s, flows.Commit{User: 3, Session: []byte("s"), Outbox: entries("a", "b", "c")})

	got, state, ok, err := s.Claim(ctx, 3, "one", time.Minute, 2)
	if err != nil || !ok {
		t.Fatalf("Claim = ok %v, err %v", ok, err)
	}
	if diff := cmp.Diff([]string{"a", "b"}, strs(got)); diff != "" {
		t.Errorf("claimed (-want +got):\n%s", diff)
	}
	if len(state) != 0 {
		t.Errorf("render state %v, want none yet", state)
	}
	if _, _, ok, _ := s.Claim(ctx, 3, "two", time.Minute, 10); ok {
		t.Fatal("a second sender claimed a leased outbox")
	}
	left, err := s.Finish(ctx, 3, "one", 2, time.Minute, map[string]string{"m": "41", "q": "age"})
	if err != nil || left != 1 {
		t.Fatalf("Finish = %d, %v; want 1 left", left, err)
	}
	got, state, ok, _ = s.Claim(ctx, 3, "one", time.Minute, 10)
	if !ok || len(got) != 1 || string(got[0]) != "c" || state["m"] != "41" || state["q"] != "age" {
		t.Errorf("second claim = %q, %v, %v", strs(got), state, ok)
	}
	if left, err := s.Finish(ctx, 3, "one", 1, time.Minute, nil); err != nil || left != 0 {
		t.Fatalf("Finish = %d, %v; want 0 left", left, err)
	}
	if n, _ := s.rdb.Exists(ctx, s.keys.lease(3), s.keys.outbox(3)).Result(); n != 0 {
		t.Errorf("%d of lease and outbox keys left after the last entry", n)
	}
	if _, _, ok, _ := s.Claim(ctx, 3, "two", time.Minute, 10); !ok {
		t.Error("the lease was not released when the outbox emptied")
	}
}

func TestFinishAfterLostLease(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	mustCommit(t, s, flows.Commit{User: 4, Session: []byte("s"), Outbox: entries("a")})
	if _, _, ok, _ := s.Claim(ctx, 4, "one", time.Minute, 10); !ok {
		t.Fatal("claim refused")
	}
	s.rdb.Set(ctx, s.keys.lease(4), "two", time.Minute) // the lease expired and another took it
	if _, err := s.Finish(ctx, 4, "one", 1, time.Minute, nil); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("Finish err = %v, want ErrLeaseLost", err)
	}
	if got := pending(t, s, 4); len(got) != 1 {
		t.Errorf("outbox = %q, want the entry kept", got)
	}
}

func TestPendingUsers(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	for _, u := range []int64{5, 6} {
		mustCommit(t, s, flows.Commit{User: u, Session: []byte("s"), Outbox: entries("x")})
	}
	mustCommit(t, s, flows.Commit{User: 7, Session: []byte("s")})
	mustCommit(t, s, flows.Commit{User: flows.WebUserMin + 1, Session: []byte("s"), Outbox: entries("x")})
	if err := s.Enqueue(ctx, -100, entries("card")); err != nil {
		t.Fatal(err)
	}
	list := func() []int64 {
		t.Helper()
		got, err := s.PendingUsers(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		return sorted(got)
	}
	// Just written: their own deliveries have them in hand, but a sender
	// starting up takes them all.
	if got := list(); len(got) != 0 {
		t.Errorf("PendingUsers right after the writes = %v, want none within the grace period", got)
	}
	if got, err := s.PendingUsers(ctx, true); err != nil || len(got) != 3 {
		t.Errorf("PendingUsers at start = %v, %v; want the three written", got, err)
	}
	// Age the index as the clock would.
	members, err := s.rdb.ZRangeWithScores(ctx, s.keys.pending(), 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		s.rdb.ZAdd(ctx, s.keys.pending(), redis.Z{Score: m.Score - float64(pendingGrace.Milliseconds()) - 1000, Member: m.Member})
	}
	if diff := cmp.Diff([]int64{-100, 5, 6}, list()); diff != "" {
		t.Errorf("PendingUsers (-want +got):\n%s", diff)
	}
	// 5 delivered and seen empty: dropped. 6 written again since: kept.
	s.Claim(ctx, 5, "o", time.Minute, 10)
	s.Finish(ctx, 5, "o", 1, time.Minute, nil)
	mustCommit(t, s, flows.Commit{User: 6, Version: mustLoad(t, s, 6), Session: []byte("s2"), Outbox: entries("y")})
	for _, u := range []int64{5, 6} {
		if err := s.Unindex(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]int64{-100}, list()); diff != "" {
		t.Errorf("PendingUsers after 5 was delivered and 6 written again (-want +got):\n%s", diff)
	}
	if n, _ := s.rdb.ZScore(ctx, s.keys.pending(), "6").Result(); n == 0 {
		t.Error("6, written within the grace period, was dropped from the index")
	}
}

func TestRenew(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	mustCommit(t, s, flows.Commit{User: 8, Session: []byte("s"), Outbox: entries("a")})
	s.Claim(ctx, 8, "one", 200*time.Millisecond, 10)
	if held, err := s.Renew(ctx, 8, "one", time.Minute); err != nil || !held {
		t.Fatalf("Renew by the holder = %v, %v", held, err)
	}
	if ttl, _ := s.rdb.PTTL(ctx, s.keys.lease(8)).Result(); ttl < 50*time.Second {
		t.Errorf("lease TTL after renewal %v, want about a minute", ttl)
	}
	if held, err := s.Renew(ctx, 8, "two", time.Minute); err != nil || held {
		t.Errorf("Renew by another = %v, %v; want not held", held, err)
	}
}

func TestReserve(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	waits := func(offset, interval time.Duration, n int) []time.Duration {
		var out []time.Duration
		for i := 0; i < n; i++ {
			out = append(out, max(0, offset+time.Duration(i)*interval))
		}
		return out
	}
	booked := time.Now()
	off, iv, err := s.ReserveChat(ctx, 8, 1, time.Second, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second}
	if diff := cmp.Diff(want, waits(off, iv, 5)); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	// The next booking queues behind the first.
	off, _, _ = s.ReserveChat(ctx, 8, 1, time.Second, 3, 1)
	queuedBehind(t, off, 3*time.Second, booked)
	s.rdb.Del(ctx, s.keys.chatRate(8)) // a quiet spell lets the key expire, which refills the burst
	off, iv, _ = s.ReserveChat(ctx, 8, 1, time.Second, 3, 1)
	if w := waits(off, iv, 1)[0]; w != 0 {
		t.Errorf("wait after a quiet spell = %v, want 0", w)
	}
	off, iv, _ = s.Reserve(ctx, "global", 0, 0, 0, 3)
	if w := waits(off, iv, 3)[2]; w != 0 {
		t.Errorf("no limit gave a wait of %v", w)
	}
	booked = time.Now()
	s.Reserve(ctx, "g-100", 20, time.Minute, 1, 1)
	off, _, _ = s.Reserve(ctx, "g-100", 20, time.Minute, 1, 1)
	queuedBehind(t, off, 3*time.Second, booked) // 20 a minute
}

func TestSeenUpdateAndBlocked(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	if seen, err := s.SeenUpdate(ctx, 77); err != nil || seen {
		t.Fatalf("first SeenUpdate = %v, %v", seen, err)
	}
	if seen, _ := s.SeenUpdate(ctx, 77); !seen {
		t.Error("repeat not seen")
	}
	if err := s.SetBlocked(ctx, 9, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Blocked(ctx, 9); !b {
		t.Error("not blocked")
	}
	if n, _ := s.BlockedCount(ctx); n != 1 {
		t.Errorf("blocked count %d, want 1", n)
	}
	s.SetBlocked(ctx, 9, false)
	if b, _ := s.Blocked(ctx, 9); b {
		t.Error("still blocked after unblocking")
	}
	if n, _ := s.BlockedCount(ctx); n != 0 {
		t.Errorf("blocked count %d, want 0", n)
	}
}

func strs(bs [][]byte) []string {
	var out []string
	for _, b := range bs {
		out = append(out, string(b))
	}
	return out
}

func sorted(xs []int64) []int64 {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

// queuedBehind checks a slot booked behind earlier ones: its offset is
// want from the earlier booking's time, and the clock has moved on since by
// however long the test took between the two (a loaded machine under the
// race detector can take several milliseconds), so the offset is at most
// want and short of it by no more than that.
func queuedBehind(t *testing.T, off, want time.Duration, booked time.Time) {
	t.Helper()
	const grain = 5 * time.Millisecond
	if slack := time.Since(booked) + grain; off > want+grain || off < want-slack {
		t.Errorf("slot queued behind those booked: offset %v, want %v less at most %v", off, want, slack)
	}
}

func TestReserveBoth(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	// The first call after a restart of Redis finds no script loaded.
	if err := s.rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	booked := time.Now()
	chatOff, chatIv, globOff, globIv, err := s.ReserveBoth(ctx, 9, 1, 3, 30, 30, 4)
	if err != nil {
		t.Fatal(err)
	}
	if chatOff.Round(10*time.Millisecond) != -2*time.Second || chatIv != time.Second {
		t.Errorf("chat booking offset %v interval %v, want -2s and 1s (a burst of 3)", chatOff, chatIv)
	}
	if globIv.Round(time.Millisecond) != 33*time.Millisecond || globOff >= 0 {
		t.Errorf("overall booking offset %v interval %v", globOff, globIv)
	}
	// The same keys as the one-limit bookings: they queue behind each other.
	off, _, _ := s.ReserveChat(ctx, 9, 1, time.Second, 3, 1)
	queuedBehind(t, off, 2*time.Second, booked)
	groupOff, groupIv, _, _, err := s.ReserveBoth(ctx, -100, 20, 1, 0, 0, 2)
	if err != nil || groupOff.Round(10*time.Millisecond) != 0 || groupIv != 3*time.Second {
		t.Errorf("group booking: %v %v %v, want 0 and 3s", groupOff, groupIv, err)
	}
	if _, _, globOff, globIv, _ := s.ReserveBoth(ctx, 9, 0, 0, 0, 0, 3); globOff != 0 || globIv != 0 {
		t.Errorf("no limits booked %v %v", globOff, globIv)
	}
}

func TestCommitLeasesTheOutbox(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	lease := flows.Lease{Owner: "shard", TTL: time.Minute, Max: 2}
	var claimed flows.Claimed
	v := mustCommit(t, s, flows.Commit{User: 21, Session: []byte("s"), Outbox: entries("a", "b", "c"), Lease: lease, Claimed: &claimed})
	if !claimed.OK || claimed.State == nil {
		t.Fatalf("claimed = %+v, want the lease", claimed)
	}
	if diff := cmp.Diff([]string{"a", "b"}, strs(claimed.Entries)); diff != "" {
		t.Errorf("claimed entries (-want +got):\n%s", diff)
	}
	if _, _, ok, _ := s.Claim(ctx, 21, "other", time.Minute, 8); ok {
		t.Error("another sender claimed an outbox the commit leased")
	}
	// A second commit by someone else while the lease is held: written, not leased.
	var second flows.Claimed
	lease.Owner = "other-shard"
	mustCommit(t, s, flows.Commit{User: 21, Version: v, Session: []byte("t"), Outbox: entries("d"), Lease: lease, Claimed: &second})
	if second.OK || len(second.Entries) != 0 {
		t.Errorf("second claim = %+v, want refused", second)
	}
	if left, err := s.Finish(ctx, 21, "shard", 2, time.Minute, nil); err != nil || left != 2 {
		t.Errorf("Finish = %d, %v; want c and d left", left, err)
	}
}

// mustLoad returns the version of the person's session.
func mustLoad(t testing.TB, s *Store, user int64) int64 {
	t.Helper()
	rec, err := s.Load(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Version
}

// An acknowledgement held for the work's next round trip goes with it, and
// tells what it found; a claim acknowledges what the owner's last took
// only while the owner still holds the lease.
func TestFinishLaterAndClaimWithAck(t *testing.T) {
	s, _ := setup(t, Config{})
	mustCommit(t, s, flows.Commit{User: 9, Session: []byte("s"), Outbox: entries("a", "b", "c", "d")})
	ctx, w := roundtrip.With(context.Background())
	w.DeferWrites()
	if _, _, ok, _ := s.Claim(ctx, 9, "one", time.Minute, 1); !ok {
		t.Fatal("claim refused")
	}
	left, lost := -1, error(nil)
	held := s.FinishLater(ctx, 9, "one", func() (int, time.Duration, map[string]string, []handoff.RefPost) {
		return 1, time.Minute, map[string]string{"q": "x"}, nil
	}, func(l int, err error) { left, lost = l, err })
	if !held || left != -1 {
		t.Fatalf("FinishLater held %v, answered %d before any round trip", held, left)
	}
	if err := s.SetProfile(ctx, 9, map[string]string{"lang": "en"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if left != 3 || lost != nil {
		t.Fatalf("held finish answered %d, %v; want 3 left", left, lost)
	}
	if p, _ := s.Profile(context.Background(), 9); p["lang"] != "en" {
		t.Errorf("profile %v, want the held write made", p)
	}
	// The next claim acknowledges b, which the last took, and reads c.
	got, _, ok, err := s.ClaimAhead(context.Background(), 9, "one", time.Minute, 1, 0, nil)
	if err != nil || !ok || strs(got)[0] != "b" {
		t.Fatalf("claim = %q, %v, %v", strs(got), ok, err)
	}
	got, _, ok, _ = s.ClaimAhead(context.Background(), 9, "one", time.Minute, 1, 1, nil)
	if !ok || strs(got)[0] != "c" {
		t.Fatalf("claim with b acknowledged = %q, %v; want c", strs(got), ok)
	}
	// The lease lapsed: c is not acknowledged but claimed again.
	s.rdb.Del(context.Background(), s.keys.lease(9))
	got, _, ok, _ = s.ClaimAhead(context.Background(), 9, "one", time.Minute, 1, 1, nil)
	if !ok || strs(got)[0] != "c" {
		t.Fatalf("claim after the lease lapsed = %q, %v; want c again", strs(got), ok)
	}
}

// On one server the commit books its outbox's sending slots itself, in
// its own script run, under the same keys as the bookings apart; and only
// when it leases the outbox: a commit refused, or one whose outbox another
// sender holds, books nothing.
func TestCommitBooksItsSlots(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	// The first commit after a restart of Redis finds no script loaded.
	if err := s.rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	rt := CountRoundTrips(s.rdb)
	lease := flows.Lease{Owner: "shard", TTL: time.Minute, Max: 8, Book: &flows.Booking{
		ChatRate: 1, ChatBurst: 3, GlobalRate: 30, GlobalBurst: 30,
	}}
	commit := func(c flows.Commit) (int64, flows.Claimed, error) {
		t.Helper()
		var claimed flows.Claimed
		c.User, c.Lease, c.Slots, c.Claimed = 9, lease, 4, &claimed
		v, err := s.Commit(ctx, c)
		return v, claimed, err
	}
	rt.Record()
	booked := time.Now()
	v, claimed, err := commit(flows.Commit{Session: []byte("a"), Outbox: entries("a", "b"), UpdateID: 1})
	if err != nil {
		t.Fatal(err)
	}
	b := claimed.Booked
	if !claimed.OK || b.N != 4 || len(b.Undo) != 6 {
		t.Fatalf("claimed %+v, want the lease and four slots under two limits", claimed)
	}
	if b.ChatOffset.Round(10*time.Millisecond) != -2*time.Second || b.ChatInterval != time.Second {
		t.Errorf("chat slots at %v every %v, want -2s and 1s (a burst of 3)", b.ChatOffset, b.ChatInterval)
	}
	if b.GlobalInterval.Round(time.Millisecond) != 33*time.Millisecond || b.GlobalOffset >= 0 {
		t.Errorf("overall slots at %v every %v", b.GlobalOffset, b.GlobalInterval)
	}
	for _, trip := range rt.Recorded() {
		if strings.Contains(trip, "reserve") {
			t.Errorf("round trip %q: the slots were booked apart", trip)
		}
	}
	// The same key as a booking apart: the next slot queues behind them,
	// two seconds after the commit's own time; the clock has moved on since
	// by however long this took (a loaded machine under the race detector
	// can take several milliseconds), so the offset is at most 2s and short
	// of it by no more than that.
	off, _, _ := s.ReserveChat(ctx, 9, 1, time.Second, 3, 1)
	queuedBehind(t, off, 2*time.Second, booked)
	chatKey := s.keys.chatRate(9)
	tat := s.rdb.Get(ctx, chatKey).Val()
	unchanged := func(what string) {
		t.Helper()
		if got := s.rdb.Get(ctx, chatKey).Val(); got != tat {
			t.Errorf("%s: the chat's limit moved from %s to %s", what, tat, got)
		}
	}
	if _, c, err := commit(flows.Commit{Version: v - 1, Session: []byte("b"), Outbox: entries("c")}); !errors.Is(err, flows.ErrConflict) || c.Booked.N != 0 {
		t.Errorf("stale commit: %v, booked %+v", err, c.Booked)
	}
	unchanged("a commit refused for its version")
	if _, c, err := commit(flows.Commit{Version: v, Session: []byte("b"), Outbox: entries("c"), UpdateID: 1}); !errors.Is(err, flows.ErrDuplicate) || c.Booked.N != 0 {
		t.Errorf("repeated update: %v, booked %+v", err, c.Booked)
	}
	unchanged("a commit refused as a repeat")
	lease.Owner = "other-shard"
	v, c, err := commit(flows.Commit{Version: v, Session: []byte("b"), Outbox: entries("c"), UpdateID: 2})
	if err != nil || c.OK || c.Booked.N != 0 {
		t.Errorf("commit to an outbox another holds: %v, %+v", err, c)
	}
	unchanged("a commit to an outbox another sender holds")

	// Slots booked by a commit are given back as those booked apart.
	s.rdb.Del(ctx, chatKey)
	lease.Owner = "shard"
	_, c, err = commit(flows.Commit{Version: v, Session: []byte("c"), Outbox: entries("d"), UpdateID: 3})
	if err != nil || !c.OK || c.Booked.N != 4 {
		t.Fatalf("commit after the outbox was sent: %v, %+v", err, c)
	}
	// Even when Redis has lost its scripts (a restart) since they were booked.
	if err := s.rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if err := s.GiveBack(ctx, c.Booked); err != nil {
		t.Fatal(err)
	}
	if off, _, _ := s.ReserveChat(ctx, 9, 1, time.Second, 3, 1); off.Round(10*time.Millisecond) != -2*time.Second {
		t.Errorf("first chat slot after four given back: offset %v, want -2s", off)
	}
}
