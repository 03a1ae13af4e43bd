package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"signpost/internal/redistest"
)

// The demo and the report, as a council would run them: a year of made-up
// referrals, then the figures in every format.
func TestDemoThenReport(t *testing.T) {
	_, prefix := redistest.Setup(t)
	t.Setenv("REDIS_URL", redistest.URL())
	t.Setenv("REDIS_PREFIX", prefix)
	ctx := context.Background()
	cmd := func(args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		code := run(ctx, args, strings.NewReader(""), &out, &errs)
		return code, out.String(), errs.String()
	}
	if code, out, errs := cmd("demo", "--people", "300", "--seed", "3"); code != 0 || !strings.Contains(out, "300 people") {
		t.Fatalf("demo: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs := cmd("report")
	if code != 0 || !strings.Contains(out, "SYNTHETIC") || !strings.Contains(out, "Referrals by source") {
		t.Fatalf("report: exit %d\n%s%s", code, out, errs)
	}
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")
	if code, _, errs := cmd("report", "--format", "html", "--out", html, "--team", "link_workers"); code != 0 {
		t.Fatalf("html: exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(html); !bytes.Contains(b, []byte("<svg")) || !bytes.Contains(b, []byte("Link workers")) {
		t.Errorf("the html report has no chart or no team:\n%.400s", b)
	}
	csvDir := filepath.Join(dir, "csv")
	if code, _, errs := cmd("report", "--format", "csv", "--out", csvDir); code != 0 {
		t.Fatalf("csv: exit %d: %s", code, errs)
	}
	for _, name := range []string{"summary.csv", "by_week.csv", "by_source.csv", "wellbeing.csv", "definitions.csv"} {
		if _, err := os.Stat(filepath.Join(csvDir, name)); err != nil {
			t.Errorf("csv folder lacks %s", name)
		}
	}
	// The practice export: a CSV of the practice's coded referrals, on a
	// file only its owner may read.
	export := filepath.Join(dir, "F86001.csv")
	if code, _, errs := cmd("export", "--practice", "F86001", "--out", export); code != 0 || !strings.Contains(errs, "for practice F86001") {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(export); !bytes.HasPrefix(b, []byte("practice,reference,date,snomed_ct,term")) || !bytes.Contains(b, []byte("871731000000106")) {
		t.Errorf("the export:\n%.300s", b)
	}
	if fi, err := os.Stat(export); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the export's permissions: %v, %v", fi.Mode(), err)
	}
	if code, _, errs := cmd("export"); code != 2 || !strings.Contains(errs, "--practice") {
		t.Errorf("export without a practice: exit %d: %s", code, errs)
	}
	// A second demo tops up the first; a demo never fills a Redis of real referrals.
	if code, _, errs := cmd("demo", "--people", "10", "--out-rdb", filepath.Join(dir, "x.rdb")); code != 2 || !strings.Contains(errs, "--out-rdb") {
		t.Errorf("demo with REDIS_URL and --out-rdb: exit %d: %s", code, errs)
	}

	for _, bad := range []struct {
		args []string
		says string
	}{
		{[]string{"report", "--from", "31/01/2026"}, "is not a date"},
		{[]string{"report", "--from", "2026-02-01", "--to", "2026-01-01"}, "on or before"},
		{[]string{"report", "--team", "nurses"}, "--team"},
		{[]string{"report", "--format", "pdf"}, "--format"},
	} {
		if code, _, errs := cmd(bad.args...); code != 2 || !strings.Contains(errs, bad.says) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", bad.args, code, errs, bad.says)
		}
	}
}

// A demo into a Redis that holds real referrals is refused.
func TestDemoRefusesARealRedis(t *testing.T) {
	rdb, prefix := redistest.Setup(t)
	t.Setenv("REDIS_URL", redistest.URL())
	t.Setenv("REDIS_PREFIX", prefix)
	rdb.ZAdd(context.Background(), prefix+":{handoff}:all", redisZ("R-7K3QX"))
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--people", "5"}, strings.NewReader(""), &out, &errs); code != 1 || !strings.Contains(errs.String(), "not synthetic") {
		t.Errorf("exit %d: %s", code, errs.String())
	}
}

func redisZ(member string) redis.Z { return redis.Z{Score: 1, Member: member} }
