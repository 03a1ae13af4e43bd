package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"signpost/handoff/report"
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
	if code, out, errs := cmd("demo", "--people", "1500", "--seed", "3"); code != 0 || !strings.Contains(out, "1500 people") {
		t.Fatalf("demo: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs := cmd("report")
	if code != 0 || !strings.Contains(out, "SYNTHETIC") || !strings.Contains(out, "Referrals by source") {
		t.Fatalf("report: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = cmd("report", "--format", "json")
	if code != 0 {
		t.Fatalf("json: exit %d: %s", code, errs)
	}
	checkTotalsAgree(t, []byte(out))
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

// checkTotalsAgree checks a published report, as commissioners read it, for
// totals that agree: each table's rows add up to its total, every table of
// the whole period has the period's referrals (or people) as its total, and
// a table detailing one row of another totals that row. Where counts of 1-4
// are withheld ("<5") each stands for 1 to 4, and a total rounded to the
// nearest 5 for the numbers within 2 of it.
func checkTotalsAgree(t *testing.T, js []byte) {
	t.Helper()
	var pub report.Published
	if err := json.Unmarshal(js, &pub); err != nil {
		t.Fatal(err)
	}
	type span struct{ lo, hi float64 }
	of := func(v report.Value) span {
		switch {
		case v.Suppressed:
			return span{1, report.SmallMax}
		case v.N == nil:
			return span{0, 0}
		case v.Rounded:
			return span{*v.N - 2, *v.N + 2}
		}
		return span{*v.N, *v.N}
	}
	meet := func(a, b span) bool { return a.lo <= b.hi && b.lo <= a.hi }
	tables := map[string]report.Table{}
	row := func(table, key string) span {
		for _, r := range tables[table].Rows {
			if r.Key == key {
				return of(r.Count)
			}
		}
		return span{0, 0}
	}
	for _, tb := range pub.Tables {
		tables[tb.ID] = tb
		total := of(tb.Total)
		var sum span
		for _, r := range tb.Rows {
			c := of(r.Count)
			if tb.Multi && c.lo > total.hi {
				t.Errorf("%s: row %s (%s) is more than the total %s", tb.ID, r.Key, r.Count.Shown, tb.Total.Shown)
			}
			sum.lo, sum.hi = sum.lo+c.lo, sum.hi+c.hi
		}
		if !tb.Multi && !meet(sum, total) {
			t.Errorf("%s: rows add up to %v-%v, total %s", tb.ID, sum.lo, sum.hi, tb.Total.Shown)
		}
	}
	if len(tables) < 10 {
		t.Fatalf("only %d tables", len(tables))
	}
	for id, whole := range map[string]report.Value{
		"by_week": pub.Referrals, "by_month": pub.Referrals, "by_source": pub.Referrals, "by_channel": pub.Referrals,
		"by_need": pub.Referrals, "by_team": pub.Referrals, "by_age": pub.Referrals, "care_leavers": pub.Referrals,
		"by_priority": pub.Referrals, "by_status": pub.Referrals,
		"people_by_week": pub.People, "people_by_month": pub.People,
	} {
		tb, ok := tables[id]
		if !ok {
			t.Errorf("no table %s", id)
			continue
		}
		if !meet(of(tb.Total), of(whole)) {
			t.Errorf("%s totals %s, the period %s", id, tb.Total.Shown, whole.Shown)
		}
	}
	for id, parent := range map[string][2]string{"by_practice": {"by_source", "gp"}, "by_outcome": {"by_status", "closed"}} {
		if !meet(of(tables[id].Total), row(parent[0], parent[1])) {
			t.Errorf("%s totals %s, but %s %s is %v", id, tables[id].Total.Shown, parent[0], parent[1], row(parent[0], parent[1]))
		}
	}
}
