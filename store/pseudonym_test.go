package store

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"signpost/console"
	"signpost/handoff"
)

func TestPseudonym(t *testing.T) {
	s, _ := setup(t, Config{})
	other, _ := setup(t, Config{})
	ctx := t.Context()
	const user = 5550123987
	a, err := s.Pseudonym(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := New(s.rdb, Config{Prefix: s.keys.prefix}).Pseudonym(ctx, user)
	someoneElse, _ := s.Pseudonym(ctx, user+1)
	elsewhere, _ := other.Pseudonym(ctx, user)
	if !regexp.MustCompile(`^[a-p]{16}$`).MatchString(a) {
		t.Errorf("pseudonym %q: want 16 letters a to p", a)
	}
	if again != a {
		t.Errorf("another replica names the person %q, this one %q", again, a)
	}
	if someoneElse == a || elsewhere == a {
		t.Errorf("pseudonyms %q (another person) and %q (another deployment) are the person's %q", someoneElse, elsewhere, a)
	}
}

func TestTallyMarkHoldsNoID(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	const id = "ci:5550123987:1780000000000"
	for range 2 {
		if err := s.Tally(ctx, id, "2026-03-02", "link_workers", "sent"); err != nil {
			t.Fatal(err)
		}
	}
	keys, err := s.rdb.Keys(ctx, s.keys.prefix+":*").Result()
	if err != nil {
		t.Fatal(err)
	}
	marks := 0
	for _, k := range keys {
		if strings.Contains(k, "5550123987") {
			t.Errorf("key %s names the person", k)
		}
		if strings.Contains(k, ":counted:") {
			marks++
			if ttl := s.rdb.TTL(ctx, k).Val(); ttl <= 0 || ttl > countedTTL {
				t.Errorf("mark %s expires in %v, want within %v", k, ttl, countedTTL)
			}
		}
	}
	tallies, _ := s.CheckinTallies(ctx)
	if marks != 1 || len(tallies) != 1 || tallies[0].N != 1 {
		t.Errorf("%d marks and tallies %+v; want one mark and a count of 1", marks, tallies)
	}
}

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

func TestConsoleKeysExpire(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	w := handoff.Worker{ID: 21, Name: "Ana"}
	idle := time.Hour
	if err := s.PutSession(ctx, "old", console.Session{Worker: w}, idle); err != nil {
		t.Fatal(err)
	}
	set := s.keys.consoleSessions(21)
	if ttl := s.rdb.TTL(ctx, set).Val(); ttl <= 0 || ttl > idle {
		t.Errorf("list of sessions expires in %v, want within %v", ttl, idle)
	}
	// The first session ends; a sign-in later drops it from the list.
	s.rdb.Del(ctx, s.keys.consoleSession("old"))
	if err := s.PutSession(ctx, "new", console.Session{Worker: w}, idle); err != nil {
		t.Fatal(err)
	}
	if m := s.rdb.SMembers(ctx, set).Val(); len(m) != 1 || m[0] != hashed("new") {
		t.Errorf("list of sessions %v, want the live one only", m)
	}
	// Using a session renews the list with it.
	s.rdb.Expire(ctx, set, time.Minute)
	if _, ok, err := s.Session(ctx, "new", idle); err != nil || !ok {
		t.Fatalf("session: %v %v", ok, err)
	}
	if ttl := s.rdb.TTL(ctx, set).Val(); ttl <= time.Minute {
		t.Errorf("list of sessions expires in %v after a use, want %v", ttl, idle)
	}

	if err := s.PutOIDCWorker(ctx, "iss|sub", 21); err != nil {
		t.Fatal(err)
	}
	key := s.keys.consoleOIDC("iss|sub")
	s.rdb.Expire(ctx, key, time.Minute)
	if id, ok, err := s.OIDCWorker(ctx, "iss|sub"); err != nil || !ok || id != 21 {
		t.Fatalf("OIDCWorker = %d %v %v", id, ok, err)
	}
	if ttl := s.rdb.TTL(ctx, key).Val(); ttl <= time.Minute || ttl > oidcTTL {
		t.Errorf("council account link expires in %v after a sign-in, want %v", ttl, oidcTTL)
	}
}
