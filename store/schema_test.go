package store

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMigrateFromTheFirstRelease writes data as the releases before the
// index of pending outboxes left it (outboxes alone, no stored version),
// migrates, and checks the sweep finds every waiting outbox; a second run
// does nothing, and data of a newer build is refused.
func TestMigrateFromTheFirstRelease(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t, Config{})
	// What version 1 wrote: a session, and outboxes by RPUSH, unindexed.
	s.rdb.Set(ctx, s.keys.session(31), "1:x", 0)
	s.rdb.RPush(ctx, s.keys.outbox(31), `{"id":"a","k":"message","t":"hello"}`)
	s.rdb.RPush(ctx, s.keys.outbox(-1001), `{"id":"c","k":"card","n":"R-AAAAA"}`)
	s.rdb.Set(ctx, s.keys.session(32), "1:y", 0) // nothing waiting

	if got, _ := s.PendingUsers(ctx, true); len(got) != 0 {
		t.Fatalf("before migrating the index holds %v", got)
	}
	from, err := s.Migrate(ctx)
	if err != nil || from != 1 {
		t.Fatalf("Migrate = %d, %v; want from 1", from, err)
	}
	got, err := s.PendingUsers(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{-1001, 31}, sorted(got)); diff != "" {
		t.Errorf("waiting outboxes after migrating (-want +got):\n%s", diff)
	}
	if v, _ := s.schemaVersion(ctx); v != SchemaVersion {
		t.Errorf("stored version %d, want %d", v, SchemaVersion)
	}
	if from, err := s.Migrate(ctx); err != nil || from != SchemaVersion {
		t.Errorf("second Migrate = %d, %v; want nothing to do", from, err)
	}
	if n, _ := s.rdb.Exists(ctx, s.keys.schemaLock()).Result(); n != 0 {
		t.Error("the migration lock was left behind")
	}
	s.rdb.Set(ctx, s.keys.schema(), SchemaVersion+1, 0)
	if _, err := s.Migrate(ctx); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("data of a newer build: %v, want ErrNewerSchema", err)
	}
}
