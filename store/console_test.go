package store

import (
	"testing"
	"time"

	"signpost/console"
	"signpost/handoff"
)

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
