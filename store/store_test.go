package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"signpost/flows"
)

// entries turns strings into outbox entries.
func entries(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func mustCommit(t testing.TB, s *Store, c flows.Commit) int64 {
	t.Helper()
	v, err := s.Commit(context.Background(), c)
	if err != nil {
		t.Fatalf("Commit(%+v): %v", c, err)
	}
	return v
}

// pending returns the person's outbox as strings, nil when empty.
func pending(t testing.TB, s *Store, user int64) []string {
	t.Helper()
	got, err := s.Pending(context.Background(), user)
	if err != nil {
		t.Fatalf("Pending(%d): %v", user, err)
	}
	var out []string
	for _, e := range got {
		out = append(out, string(e))
	}
	return out
}

func TestCommit(t *testing.T) {
	v1 := start.UnixMicro()
	first := flows.Commit{User: 1, Session: []byte("a"), Outbox: entries("hello"), UpdateID: 10}
	tests := []struct {
		name       string
		prior      []flows.Commit // applied first; each must succeed
		advance    time.Duration  // clock moves after prior
		commit     flows.Commit
		want       int64
		wantErr    error
		wantRecord flows.Record
		wantOutbox []string
	}{
		{
			name:       "first write takes its version from the clock",
			commit:     first,
			want:       v1,
			wantRecord: flows.Record{Data: []byte("a"), Version: v1},
			wantOutbox: []string{"hello"},
		},
		{
			name:       "next write increments the version and appends",
			prior:      []flows.Commit{first},
			commit:     flows.Commit{User: 1, Version: v1, Session: []byte("b"), Outbox: entries("two", "three")},
			want:       v1 + 1,
			wantRecord: flows.Record{Data: []byte("b"), Version: v1 + 1},
			wantOutbox: []string{"hello", "two", "three"},
		},
		{
			name: "stale version conflicts and writes nothing",
			prior: []flows.Commit{
				first,
				{User: 1, Version: v1, Session: []byte("b")},
			},
			commit:     flows.Commit{User: 1, Version: v1, Session: []byte("c"), Outbox: entries("lost"), UpdateID: 11},
			wantErr:    flows.ErrConflict,
			wantRecord: flows.Record{Data: []byte("b"), Version: v1 + 1},
			wantOutbox: []string{"hello"},
		},
		{
			name:       "creating over an existing session conflicts",
			prior:      []flows.Commit{first},
			commit:     flows.Commit{User: 1, Session: []byte("c")},
			wantErr:    flows.ErrConflict,
			wantRecord: flows.Record{Data: []byte("a"), Version: v1},
			wantOutbox: []string{"hello"},
		},
		{
			name:    "a version for a session that does not exist conflicts",
			commit:  flows.Commit{User: 1, Version: 7, Session: []byte("c"), Outbox: entries("lost")},
			wantErr: flows.ErrConflict,
		},
		{
			name:       "repeated update is refused",
			prior:      []flows.Commit{first},
			commit:     flows.Commit{User: 1, Version: v1, Session: []byte("b"), Outbox: entries("lost"), UpdateID: 10},
			wantErr:    flows.ErrDuplicate,
			wantRecord: flows.Record{Data: []byte("a"), Version: v1},
			wantOutbox: []string{"hello"},
		},
		{
			name:       "repeat is reported before a stale version",
			prior:      []flows.Commit{first},
			commit:     flows.Commit{User: 1, Session: []byte("b"), UpdateID: 10},
			wantErr:    flows.ErrDuplicate,
			wantRecord: flows.Record{Data: []byte("a"), Version: v1},
			wantOutbox: []string{"hello"},
		},
		{
			name:       "update is still remembered just inside the window",
			prior:      []flows.Commit{first},
			advance:    DefaultDedupeWindow - time.Millisecond,
			commit:     flows.Commit{User: 1, Version: v1, Session: []byte("b"), UpdateID: 10},
			wantErr:    flows.ErrDuplicate,
			wantRecord: flows.Record{Data: []byte("a"), Version: v1},
			wantOutbox: []string{"hello"},
		},
		{
			name:       "update is forgotten after the window",
			prior:      []flows.Commit{first},
			advance:    DefaultDedupeWindow,
			commit:     flows.Commit{User: 1, Version: v1, Session: []byte("b"), UpdateID: 10},
			want:       v1 + 1,
			wantRecord: flows.Record{Data: []byte("b"), Version: v1 + 1},
			wantOutbox: []string{"hello"},
		},
		{
			name:       "update id zero is never a repeat",
			prior:      []flows.Commit{{User: 1, Session: []byte("a")}},
			commit:     flows.Commit{User: 1, Version: v1, Session: []byte("b")},
			want:       v1 + 1,
			wantRecord: flows.Record{Data: []byte("b"), Version: v1 + 1},
		},
		{
			name:       "another person's update id is not a repeat",
			prior:      []flows.Commit{{User: 2, Session: []byte("x"), UpdateID: 10}},
			commit:     first,
			want:       v1,
			wantRecord: flows.Record{Data: []byte("a"), Version: v1},
			wantOutbox: []string{"hello"},
		},
		{
			name:       "empty session is stored, not erased",
			commit:     flows.Commit{User: 1, Session: []byte{}},
			want:       v1,
			wantRecord: flows.Record{Data: []byte{}, Version: v1},
		},
		{
			name:       "data with colons and binary survives the header",
			commit:     flows.Commit{User: 1, Session: []byte("12:34\x00\xff:")},
			want:       v1,
			wantRecord: flows.Record{Data: []byte("12:34\x00\xff:"), Version: v1},
		},
		{
			name:       "erasure drops the old outbox and keeps the goodbye",
			prior:      []flows.Commit{first},
			commit:     flows.Commit{User: 1, Version: v1, Outbox: entries("goodbye"), UpdateID: 11},
			want:       0,
			wantOutbox: []string{"goodbye"},
		},
		{
			name:       "a new session after erasure gets a fresh version",
			prior:      []flows.Commit{first, {User: 1, Version: v1}},
			advance:    time.Second,
			commit:     flows.Commit{User: 1, Session: []byte("again")},
			want:       v1 + 1e6,
			wantRecord: flows.Record{Data: []byte("again"), Version: v1 + 1e6},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, clk := setup(t, Config{})
			for _, c := range tt.prior {
				mustCommit(t, s, c)
			}
			clk.Advance(tt.advance)

			got, err := s.Commit(ctx, tt.commit)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Commit error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Commit version = %d, want %d", got, tt.want)
			}
			rec, err := s.Load(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantRecord, rec); diff != "" {
				t.Errorf("Load (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantOutbox, pending(t, s, 1)); diff != "" {
				t.Errorf("Pending (-want +got):\n%s", diff)
			}
		})
	}
}

// ttlSeconds reports each key's PTTL rounded up to whole seconds, so that the
// milliseconds spent by the test itself do not show; -1 is no expiry, -2 no key.
func ttlSeconds(t testing.TB, s *Store, keys map[string]string) map[string]int64 {
	t.Helper()
	out := make(map[string]int64, len(keys))
	for name, key := range keys {
		ms, err := s.rdb.PTTL(context.Background(), key).Result()
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case ms < 0:
			out[name] = int64(ms) // -1ns or -2ns: go-redis passes the code through
		default:
			out[name] = int64((ms + time.Second - 1) / time.Second)
		}
	}
	return out
}

func TestCommitSetsExpiry(t *testing.T) {
	day := int64(24 * 60 * 60)
	// The seen ids are kept for the window and its slack, so that they are
	// never kept for less than the window between refreshes.
	seen := func(window time.Duration) int64 {
		return int64((window + expirySlack(window) + time.Second - 1) / time.Second)
	}
	tests := []struct {
		name      string
		cfg       Config
		commitTTL time.Duration
		want      map[string]int64
	}{
		{
			name: "store default is 30 days, update ids a day",
			want: map[string]int64{"session": 30 * day, "outbox": 30 * day, "profile": 30 * day, "seen": seen(24 * time.Hour)},
		},
		{
			name: "configured idle expiry",
			cfg:  Config{SessionTTL: 2 * time.Hour, DedupeWindow: time.Hour},
			want: map[string]int64{"session": 7200, "outbox": 7200, "profile": 7200, "seen": seen(time.Hour)},
		},
		{
			name:      "the commit's own TTL wins",
			cfg:       Config{SessionTTL: 2 * time.Hour},
			commitTTL: 90 * time.Second,
			want:      map[string]int64{"session": 90, "outbox": 90, "profile": 90, "seen": seen(24 * time.Hour)},
		},
		{
			name: "negative store TTL keeps keys, update ids still expire",
			cfg:  Config{SessionTTL: -1},
			want: map[string]int64{"session": -1, "outbox": -1, "profile": -1, "seen": seen(24 * time.Hour)},
		},
		{
			name:      "negative commit TTL keeps keys",
			commitTTL: -1,
			want:      map[string]int64{"session": -1, "outbox": -1, "profile": -1, "seen": seen(24 * time.Hour)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := setup(t, tt.cfg)
			// A profile written with an expiry of its own must follow the session's.
			if err := s.SetProfile(ctx, 1, map[string]string{"lang": "en"}); err != nil {
				t.Fatal(err)
			}
			if err := s.rdb.PExpire(ctx, s.keys.profile(1), time.Minute).Err(); err != nil {
				t.Fatal(err)
			}
			mustCommit(t, s, flows.Commit{User: 1, Session: []byte("a"), Outbox: entries("hi"), UpdateID: 5, TTL: tt.commitTTL})
			got := ttlSeconds(t, s, map[string]string{
				"session": s.keys.session(1),
				"outbox":  s.keys.outbox(1),
				"profile": s.keys.profile(1),
				"seen":    s.keys.seen(1),
			})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("TTL in seconds (-want +got):\n%s", diff)
			}
		})
	}
}

// Ids older than the window are dropped by the commit that makes a
// sixteenth version, not before; meanwhile an old id is not a repeat.
func TestSeenDropsOldIDs(t *testing.T) {
	ctx := context.Background()
	s, clk := setup(t, Config{})
	v := mustCommit(t, s, flows.Commit{User: 1, Session: []byte("a"), UpdateID: 1})
	clk.Advance(DefaultDedupeWindow + time.Second)
	v = mustCommit(t, s, flows.Commit{User: 1, Version: v, Session: []byte("b"), UpdateID: 1})
	want := []string{"1"}
	for id := int64(2); ; id++ {
		clk.Advance(time.Millisecond) // ids in the order written
		v = mustCommit(t, s, flows.Commit{User: 1, Version: v, Session: []byte("c"), UpdateID: id})
		got, err := s.rdb.ZRange(ctx, s.keys.seen(1), 0, -1).Result()
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, strconv.FormatInt(id, 10))
		if v%16 == 0 {
			// The first commit of id 1 was dropped when it was repeated
			// (its score moved on); nothing older is left to drop now but
			// for the id made old below.
			break
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("seen ids at version %d (-want +got):\n%s", v, diff)
		}
	}
	// Id 2, made older than the window by hand, stays until the next
	// sixteenth version and goes with it.
	old := float64(clk.Now().Add(-DefaultDedupeWindow - time.Minute).UnixMilli())
	if err := s.rdb.ZAdd(ctx, s.keys.seen(1), redis.Z{Score: old, Member: "2"}).Err(); err != nil {
		t.Fatal(err)
	}
	for id := int64(100); ; id++ {
		v = mustCommit(t, s, flows.Commit{User: 1, Version: v, Session: []byte("d"), UpdateID: id})
		score := s.rdb.ZScore(ctx, s.keys.seen(1), "2")
		if v%16 == 0 {
			if !errors.Is(score.Err(), redis.Nil) {
				t.Fatalf("at version %d id 2 is still there (%v, %v)", v, score.Val(), score.Err())
			}
			break
		}
		if score.Val() != old {
			t.Fatalf("at version %d id 2 scores %v (%v), want it kept until a sixteenth version", v, score.Val(), score.Err())
		}
	}
	// An old id is passed over while it waits: its update is not a repeat.
	if err := s.rdb.ZAdd(ctx, s.keys.seen(1), redis.Z{Score: old, Member: "3"}).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(ctx, flows.Commit{User: 1, Version: v, Session: []byte("e"), UpdateID: 3}); err != nil {
		t.Errorf("an id older than the window: %v, want it applied", err)
	}
}

// An idle expiry is set again only when it has run down by more than its
// slack, or when the key has none or more than it should: between the
// TTL less the slack and the TTL after a commit, never more. The seen ids
// always have the whole window left.
func TestCommitRefreshesExpiryPastSlack(t *testing.T) {
	ctx := context.Background()
	ttl, window := 2*time.Hour, time.Hour
	slack, seenSlack := expirySlack(ttl), expirySlack(window)
	if slack != ttl/64 || expirySlack(30*24*time.Hour) != time.Hour {
		t.Fatalf("slack %v for %v, %v for 30 days", slack, ttl, expirySlack(30*24*time.Hour))
	}
	tests := []struct {
		name           string
		set            time.Duration // the expiry given before the commit; 0 for none
		want           time.Duration // the expiry after it
		seen, seenWant time.Duration
	}{
		{"within the slack: left alone", ttl - slack + time.Minute, ttl - slack + time.Minute, window + time.Minute, window + time.Minute},
		{"run down past it: set again", ttl - slack - time.Minute, ttl, window - time.Minute, window + seenSlack},
		{"no expiry: set", 0, ttl, 0, window + seenSlack},
		{"more than the TTL: brought down", ttl + time.Minute, ttl, 2 * window, 2 * window},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := setup(t, Config{SessionTTL: ttl, DedupeWindow: window})
			v := mustCommit(t, s, flows.Commit{User: 1, Session: []byte("a"), Outbox: entries("hi"), UpdateID: 1})
			if err := s.SetProfile(ctx, 1, map[string]string{"lang": "en"}); err != nil {
				t.Fatal(err)
			}
			expire := func(key string, d time.Duration) {
				t.Helper()
				var err error
				if d == 0 {
					err = s.rdb.Persist(ctx, key).Err()
				} else {
					err = s.rdb.PExpire(ctx, key, d).Err()
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			expire(s.keys.profile(1), tt.set)
			expire(s.keys.outbox(1), tt.set)
			expire(s.keys.seen(1), tt.seen)
			mustCommit(t, s, flows.Commit{User: 1, Version: v, Session: []byte("b"), Outbox: entries("more"), UpdateID: 2})
			near := func(name, key string, want time.Duration) {
				t.Helper()
				got := s.rdb.PTTL(ctx, key).Val()
				if got > want || got < want-5*time.Second {
					t.Errorf("%s expires in %v, want %v", name, got, want)
				}
			}
			near("session", s.keys.session(1), ttl)
			near("profile", s.keys.profile(1), tt.want)
			near("outbox", s.keys.outbox(1), tt.want)
			near("seen ids", s.keys.seen(1), tt.seenWant)
		})
	}
	// An outbox the commit creates gets the whole TTL at once.
	s, _ := setup(t, Config{SessionTTL: ttl, DedupeWindow: window})
	v := mustCommit(t, s, flows.Commit{User: 1, Session: []byte("a")})
	if err := s.Ack(ctx, 1, 1<<20); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, s, flows.Commit{User: 1, Version: v, Session: []byte("b"), Outbox: entries("new")})
	if got := s.rdb.PTTL(ctx, s.keys.outbox(1)).Val(); got > ttl || got < ttl-5*time.Second {
		t.Errorf("new outbox expires in %v, want %v", got, ttl)
	}
}

// personKeys lists the keys of user by SCAN, sorted.
func listKeys(t testing.TB, s *Store, user int64) []string {
	t.Helper()
	keys, err := s.personKeys(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

func TestErase(t *testing.T) {
	tests := []struct {
		name        string
		erase       func(ctx context.Context, s *Store, version int64) error
		wantPending []string
	}{
		{
			name: "commit without a session",
			erase: func(ctx context.Context, s *Store, version int64) error {
				_, err := s.Commit(ctx, flows.Commit{User: 1, Version: version, Outbox: entries("goodbye")})
				return err
			},
			wantPending: []string{"goodbye"},
		},
		{
			name: "Forget",
			erase: func(ctx context.Context, s *Store, _ int64) error {
				return s.Forget(ctx, 1)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := setup(t, Config{})
			// Person 1 has every kind of key, plus one another package added;
			// person 12 shares a digit, to catch a pattern that matches too much.
			var v int64
			for _, user := range []int64{1, 12} {
				v = mustCommit(t, s, flows.Commit{User: user, Session: []byte("s"), Outbox: entries("hi"), UpdateID: 3})
				if err := s.SetProfile(ctx, user, map[string]string{"name": "Sam"}); err != nil {
					t.Fatal(err)
				}
				if err := s.rdb.Set(ctx, s.keys.person(user)+"referral", "r", 0).Err(); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.PutContent(ctx, "v1", []byte("c")); err != nil {
				t.Fatal(err)
			}
			before12 := listKeys(t, s, 12)

			if err := tt.erase(ctx, s, v); err != nil {
				t.Fatal(err)
			}

			var wantKeys []string
			if tt.wantPending != nil {
				wantKeys = []string{s.keys.outbox(1)}
			}
			if diff := cmp.Diff(wantKeys, listKeys(t, s, 1)); diff != "" {
				t.Errorf("keys of person 1 after erasure (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantPending, pending(t, s, 1)); diff != "" {
				t.Errorf("Pending (-want +got):\n%s", diff)
			}
			if err := s.Ack(ctx, 1, len(tt.wantPending)); err != nil {
				t.Fatal(err)
			}
			if got := listKeys(t, s, 1); len(got) != 0 {
				t.Errorf("keys of person 1 after the goodbye was acknowledged: %q", got)
			}
			if diff := cmp.Diff(before12, listKeys(t, s, 12)); diff != "" {
				t.Errorf("keys of person 12 changed (-want +got):\n%s", diff)
			}
			if _, err := s.GetContent(ctx, "v1"); err != nil {
				t.Errorf("content lost: %v", err)
			}
		})
	}
}

func TestEraseRefusesStaleVersion(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	v := mustCommit(t, s, flows.Commit{User: 1, Session: []byte("s"), Outbox: entries("hi")})
	if err := s.SetProfile(ctx, 1, map[string]string{"name": "Sam"}); err != nil {
		t.Fatal(err)
	}
	before := listKeys(t, s, 1)
	_, err := s.Commit(ctx, flows.Commit{User: 1, Version: v - 1, Outbox: entries("goodbye")})
	if !errors.Is(err, flows.ErrConflict) {
		t.Fatalf("Commit error = %v, want ErrConflict", err)
	}
	if diff := cmp.Diff(before, listKeys(t, s, 1)); diff != "" {
		t.Errorf("keys changed by a refused erasure (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"hi"}, pending(t, s, 1)); diff != "" {
		t.Errorf("Pending (-want +got):\n%s", diff)
	}
}

func TestOutbox(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	var v int64
	for i := range 3 {
		v = mustCommit(t, s, flows.Commit{
			User: 1, Version: v, Session: []byte("s"),
			Outbox: entries(fmt.Sprintf("%d.a", i), fmt.Sprintf("%d.b", i)),
		})
	}
	// A commit with many entries crosses the script's unpack slices.
	var many []string
	for i := range 450 {
		many = append(many, fmt.Sprintf("m%03d", i))
	}
	mustCommit(t, s, flows.Commit{User: 1, Version: v, Session: []byte("s"), Outbox: entries(many...)})

	want := append([]string{"0.a", "0.b", "1.a", "1.b", "2.a", "2.b"}, many...)
	steps := []struct {
		name string
		ack  int
		want []string
	}{
		{name: "in commit order", ack: 0, want: want},
		{name: "ack of none keeps all", ack: 0, want: want},
		{name: "ack drops the oldest", ack: 2, want: want[2:]},
		{name: "ack past the end empties", ack: len(want) + 5, want: nil},
	}
	for _, st := range steps {
		if err := s.Ack(ctx, 1, st.ack); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if diff := cmp.Diff(st.want, pending(t, s, 1)); diff != "" {
			t.Errorf("%s: Pending (-want +got):\n%s", st.name, diff)
		}
	}
	if n, err := s.rdb.Exists(ctx, s.keys.outbox(1)).Result(); err != nil || n != 0 {
		t.Errorf("outbox key after acknowledging everything: exists=%d err=%v", n, err)
	}
}

// TestConcurrentIncrements has many writers race on one person, as replicas
// handling updates of one chat would: every increment lands exactly once.
func TestConcurrentIncrements(t *testing.T) {
	const writers = 50
	ctx := context.Background()
	s, _ := setup(t, Config{})
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				rec, err := s.Load(ctx, 1)
				if err != nil {
					errs <- err
					return
				}
				n := 0
				if rec.Data != nil {
					fmt.Sscan(string(rec.Data), &n)
				}
				_, err = s.Commit(ctx, flows.Commit{
					User:     1,
					Version:  rec.Version,
					Session:  fmt.Appendf(nil, "%d", n+1),
					Outbox:   entries(fmt.Sprintf("writer %d", i)),
					UpdateID: int64(1000 + i),
				})
				if errors.Is(err, flows.ErrConflict) {
					continue
				}
				if err != nil {
					errs <- err
				}
				return
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	rec, err := s.Load(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(rec.Data); got != fmt.Sprint(writers) {
		t.Errorf("counter = %s, want %d", got, writers)
	}
	out := pending(t, s, 1)
	if len(out) != writers {
		t.Errorf("outbox has %d entries, want %d", len(out), writers)
	}
	slices.Sort(out)
	if d := slices.Compact(slices.Clone(out)); len(d) != len(out) {
		t.Errorf("outbox has repeated entries: %q", out)
	}
}

func TestMemoryUsage(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	if _, err := s.MemoryUsage(ctx, 1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("MemoryUsage of no session: error = %v, want ErrNotFound", err)
	}
	data := make([]byte, 600)
	for i := range data {
		data[i] = byte('a' + i%26)
	}
	mustCommit(t, s, flows.Commit{User: 1234567890, Session: data, UpdateID: 1})
	n, err := s.MemoryUsage(ctx, 1234567890)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a 600-byte session costs %d bytes", n)
	if n > 1024 {
		t.Errorf("MemoryUsage = %d bytes, want at most 1024", n)
	}
}
