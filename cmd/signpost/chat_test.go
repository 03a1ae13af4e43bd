package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"signpost/flows"
	"signpost/internal/browsertest"
	"signpost/internal/redistest"
	"signpost/store"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata")

func TestMain(m *testing.M) {
	// A page's waits (browsertest) allow as long as the bot's (waitLimit).
	browsertest.Timeout = waitLimit
	os.Exit(redistest.Main(m))
}

// testNow is the fixed clock of the transcript tests.
var testNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// newTestChat returns a terminal chat for user on a fresh corner of the test
// Redis, with a fixed clock and run ids run00001, run00002, ...
func newTestChat(t *testing.T, rdb *redis.Client, prefix string, user int64, w *bytes.Buffer) (*chat, *store.Store) {
	t.Helper()
	b := builtinContent(t)
	st := store.New(rdb, store.Config{Prefix: prefix, Now: func() time.Time { return testNow }})
	var n atomic.Int64
	runner := flows.NewRunner(st, b, flows.Config{
		Contents: st,
		Now:      func() time.Time { return testNow },
		Nonce:    func() string { return fmt.Sprintf("run%05d", n.Add(1)) },
	})
	return &chat{runner: runner, profiles: st, user: user, w: w, echo: true, log: discardLogger()}, st
}

// personKeys lists the person's keys, as a SCAN would find them.
func personKeys(t *testing.T, rdb *redis.Client, prefix string, user int64) []string {
	t.Helper()
	var keys []string
	iter := rdb.Scan(context.Background(), 0, fmt.Sprintf("%s:{u:%d}:*", prefix, user), 100).Iterator()
	for iter.Next(context.Background()) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}

// TestTranscripts runs each scripted conversation in testdata/chat through
// the terminal chat on real Redis and compares what it shows with the golden
// transcript beside it. Run with -update to accept a content change.
func TestTranscripts(t *testing.T) {
	t.Parallel()
	const user = 4242
	tests := []struct {
		name  string
		check func(t *testing.T, rdb *redis.Client, prefix string, st *store.Store)
	}{
		{name: "resident_money_isolation", check: func(t *testing.T, rdb *redis.Client, prefix string, st *store.Store) {
			s := loadSession(t, st, user)
			want := map[string]string{"needs": "money,lonely", "money_urgent": "yes", "source": "gp", "postcode": "E17", "ons_life": "7", "ons_anxious": "3", "contact": "yes"}
			if diff := cmp.Diff(want, pickAnswers(s.Answers, want)); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
			if !s.Done || s.Active() {
				t.Errorf("session done=%v active=%v, want finished", s.Done, s.Active())
			}
		}},
		{name: "care_leaver_deeplink", check: func(t *testing.T, rdb *redis.Client, prefix string, st *store.Store) {
			s := loadSession(t, st, user)
			want := map[string]string{"source": "gp_F86001", "age": "17-25", "care_leaver": "yes", "needs": "befriending,volunteering", "phone": "07700 900123", "checkins": "yes"}
			if diff := cmp.Diff(want, pickAnswers(s.Answers, want)); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
			p, err := st.Profile(context.Background(), user)
			if err != nil {
				t.Fatal(err)
			}
			if p["source"] != "gp_F86001" || p["care_leaver"] != "yes" {
				t.Errorf("profile = %v, want source gp_F86001 and care_leaver yes", p)
			}
		}},
		{name: "consent_refused", check: nothingLeft},
		{name: "under17", check: youngMarkOnly},
		{name: "forget", check: nothingLeft},
		{name: "crisis_mid_needs", check: func(t *testing.T, rdb *redis.Client, prefix string, st *store.Store) {
			s := loadSession(t, st, user)
			if s.Answers["needs"] != "money,housing" {
				t.Errorf("needs = %q, want the answer given after the crisis message", s.Answers["needs"])
			}
		}},
		{name: "invalid_input"},
		{name: "back_and_restart", check: nothingLeft},
		{name: "summary_change", check: func(t *testing.T, rdb *redis.Client, prefix string, st *store.Store) {
			s := loadSession(t, st, user)
			want := map[string]string{"needs": "benefits,housing,befriending", "housing_urgent": "yes", "source": "other"}
			if diff := cmp.Diff(want, pickAnswers(s.Answers, want)); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
			if _, ok := s.Answers["money_urgent"]; ok {
				t.Error("money_urgent kept after money was no longer a need")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rdb, prefix := redistest.Setup(t)
			script, err := os.ReadFile(filepath.Join("testdata", "chat", tt.name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			c, st := newTestChat(t, rdb, prefix, user, &out)
			if err := c.run(context.Background(), bytes.NewReader(script)); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "chat", tt.name+".golden"), out.Bytes())
			if tt.check != nil {
				tt.check(t, rdb, prefix, st)
			}
			if pending, err := st.Pending(context.Background(), user); err != nil || len(pending) != 0 {
				t.Errorf("outbox after the chat: %d entries (err %v), want all delivered", len(pending), err)
			}
		})
	}
}

// nothingLeft checks that no key of the person survives.
func nothingLeft(t *testing.T, rdb *redis.Client, prefix string, _ *store.Store) {
	t.Helper()
	if keys := personKeys(t, rdb, prefix, 4242); len(keys) != 0 {
		t.Errorf("keys of the person left in Redis: %v", keys)
	}
}

// youngMarkOnly checks that all that is left of a person who said they are
// under 17 is their session holding that mark and nothing else.
func youngMarkOnly(t *testing.T, rdb *redis.Client, prefix string, st *store.Store) {
	t.Helper()
	if keys := personKeys(t, rdb, prefix, 4242); len(keys) != 1 || !strings.HasSuffix(keys[0], ":session") {
		t.Errorf("keys of the person left in Redis: %v, want the session alone", keys)
	}
	s := loadSession(t, st, 4242)
	if !s.Young || s.Run != "" || len(s.Answers) != 0 || s.Consent {
		t.Errorf("session %+v, want only the under-17 mark", s)
	}
}

func loadSession(t *testing.T, st *store.Store, user int64) flows.Session {
	t.Helper()
	rec, err := st.Load(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Data == nil {
		t.Fatal("no session stored")
	}
	s, err := flows.DecodeSession(rec.Data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func pickAnswers(got, like map[string]string) map[string]string {
	out := map[string]string{}
	for k := range like {
		if v, ok := got[k]; ok {
			out[k] = v
		}
	}
	return out
}

// golden compares got with the file at path, or rewrites it under -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}
