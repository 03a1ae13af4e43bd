package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/internal/redistest"
)

// The backup and restore of the README, on a real redis-server with AOF and
// RDB snapshots as docker-compose runs it: a snapshot taken and copied, the
// data lost, the snapshot put back, and the report is what it was.
func TestBackupAndRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts its own redis-server")
	}
	ctx := context.Background()
	srv := redistest.StartPersistent(t, t.TempDir(), true)
	t.Setenv("REDIS_URL", srv.URL())
	t.Setenv("REDIS_PREFIX", "")
	report := func() string {
		t.Helper()
		var out, errs bytes.Buffer
		if code := run(ctx, []string{"report", "--format", "json"}, strings.NewReader(""), &out, &errs); code != 0 {
			t.Fatalf("report: exit %d: %s", code, errs.String())
		}
		// The time the report was made is the one thing that may differ.
		return regexp.MustCompile(`"made": "[^"]*"`).ReplaceAllString(out.String(), `"made": ""`)
	}
	var out, errs bytes.Buffer
	if code := run(ctx, []string{"demo", "--people", "150"}, strings.NewReader(""), &out, &errs); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errs.String())
	}
	before := report()

	// Backup: a snapshot now, copied away.
	rdb := client(t, srv.URL())
	if err := rdb.BgSave(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	// The snapshot is taken when no save is running and none of the demo's
	// writes is left out of it (LASTSAVE counts whole seconds, so it may not
	// change when an earlier save ended in the same second).
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		info := rdb.Info(ctx, "persistence").Val()
		if strings.Contains(info, "rdb_bgsave_in_progress:0") && strings.Contains(info, "rdb_changes_since_last_save:0") {
			if !strings.Contains(info, "rdb_last_bgsave_status:ok") {
				t.Fatalf("the snapshot failed:\n%s", info)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no snapshot after a minute:\n%s", info)
		}
	}
	backup := filepath.Join(t.TempDir(), "signpost-backup.rdb")
	copyFile(t, filepath.Join(srv.Dir, "dump.rdb"), backup)

	// Disaster.
	if err := rdb.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if report() == before {
		t.Fatal("the report did not change when the data went")
	}

	// Restore: stop, set the append-only file aside, put the snapshot in
	// place, start without AOF, then turn AOF on so it is written afresh.
	srv.Stop()
	if err := os.RemoveAll(filepath.Join(srv.Dir, "appendonlydir")); err != nil {
		t.Fatal(err)
	}
	copyFile(t, backup, filepath.Join(srv.Dir, "dump.rdb"))
	srv.AOF = false
	srv.Start(t)
	t.Setenv("REDIS_URL", srv.URL())
	rdb = client(t, srv.URL())
	if err := rdb.ConfigSet(ctx, "appendonly", "yes").Err(); err != nil {
		t.Fatal(err)
	}
	if after := report(); after != before {
		t.Errorf("the report after the restore differs:\nbefore %.600s\nafter  %.600s", before, after)
	}
}

func client(t *testing.T, url string) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
