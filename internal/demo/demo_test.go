package demo_test

import (
	"bytes"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"signpost/handoff"
	"signpost/handoff/report"
	"signpost/hours"
	"signpost/internal/demo"
	"signpost/internal/redistest"
	"signpost/internal/testclock"
	"signpost/store"
)

func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }

// A demo year's figures add up in every breakdown, follow the shape of the
// service it imitates, and say they are synthetic in every format.
func TestDemoYearAddsUp(t *testing.T) {
	rdb, prefix := redistest.Setup(t)
	st := store.New(rdb, store.Config{Prefix: prefix})
	london, _ := time.LoadLocation("Europe/London")
	cal, err := hours.Load("", "", "", london)
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, london)
	clk := testclock.New(end.AddDate(-1, 0, 0))
	var ids []int64
	for _, w := range demo.Workers {
		ids = append(ids, w.ID)
	}
	desk := handoff.New(st, handoff.NewAuthoriser(handoff.AuthConfig{LinkWorkers: ids, LeavingCare: ids, SeparateLeavingCare: true}),
		handoff.Config{Now: clk.Now, Location: london, Calendar: cal, Logger: slog.New(slog.DiscardHandler), Synthetic: st.Synthetic})
	stats, err := demo.Make(t.Context(), desk, clk, cal, demo.Options{People: 400, Seed: 7, End: end, Erase: st.Forget, Count: st.Tally})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.MarkSynthetic(t.Context()); err != nil {
		t.Fatal(err)
	}
	if stats.People != 400 || stats.Referrals < 400 || stats.FollowUps == 0 || stats.Closed == 0 {
		t.Fatalf("made %+v", stats)
	}
	p := handoff.Period{From: end.AddDate(-1, 0, 0), To: end}

	// The raw figures: every row of every table is counted once.
	in := report.Input{From: p.From, To: p.To, Calendar: cal}
	if err := st.EachCreated(t.Context(), p.From, p.To, func(r handoff.Referral) error {
		in.Records = append(in.Records, handoff.RecordOf(r))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	f := report.Build(in)
	// A person who comes back after asking to be erased cannot be known
	// again, and counts as someone new.
	if f.Referrals != stats.Referrals || f.People < stats.People || f.People > stats.People+stats.Erased {
		t.Errorf("figures count %d referrals of %d people; the demo made %d of %d", f.Referrals, f.People, stats.Referrals, stats.People)
	}
	rows := map[string]map[string]int{}
	for _, b := range f.Breakdowns {
		rows[b.ID] = map[string]int{}
		sum := 0
		for _, r := range b.Rows {
			sum += r.N
			rows[b.ID][r.Key] = r.N
		}
		switch {
		case b.Multi:
			if sum < b.Total {
				t.Errorf("%s: rows add up to %d, fewer than the %d referrals", b.ID, sum, b.Total)
			}
		case sum != b.Total:
			t.Errorf("%s: rows add up to %d, total %d", b.ID, sum, b.Total)
		}
		want := f.Referrals
		if b.Unit == "people" {
			want = f.People
		}
		if b.Parent == "" && b.Total != want {
			t.Errorf("%s: total %d, want %d", b.ID, b.Total, want)
		}
	}
	if rows["by_practice"] == nil || sumOf(rows["by_practice"]) != rows["by_source"]["gp"] {
		t.Errorf("GP referrals by practice %d, GP referrals %d", sumOf(rows["by_practice"]), rows["by_source"]["gp"])
	}
	if sumOf(rows["by_outcome"]) != rows["by_status"]["closed"] {
		t.Errorf("outcomes %d, closed %d", sumOf(rows["by_outcome"]), rows["by_status"]["closed"])
	}
	if rows["care_leavers"]["yes"] == 0 || rows["by_team"]["leaving_care"] != rows["care_leavers"]["yes"] {
		t.Errorf("care leavers %d, leaving-care team %d", rows["care_leavers"]["yes"], rows["by_team"]["leaving_care"])
	}
	// The shape of the service: over 80% from GPs; money, debt and
	// loneliness the commonest needs.
	if gp := rows["by_source"]["gp"]; gp*100 < 80*f.Referrals {
		t.Errorf("%d of %d referrals from GPs, want over 80%%", gp, f.Referrals)
	}
	for need, n := range rows["by_need"] {
		if need != "money" && need != "lonely" && n > rows["by_need"]["money"] {
			t.Errorf("%s (%d) commoner than money (%d)", need, n, rows["by_need"]["money"])
		}
	}
	if pub, _ := desk.Figures(t.Context(), p); pub.Checkins.Sent.N == nil || len(pub.Checkins.Flags.Rows) == 0 {
		t.Errorf("no check-ins in the demo's figures: %+v", pub.Checkins)
	}
	for _, c := range f.Changes {
		if c.N == 0 {
			t.Errorf("no paired answers for %s", c.ID)
		}
	}

	// Published, every format says the data is synthetic, and the
	// headline agrees with every table of the whole period.
	pub, err := desk.Figures(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range pub.Tables {
		head := pub.Referrals
		if tb.Unit == "people" {
			head = pub.People
		}
		if tb.ID != "by_practice" && tb.ID != "by_outcome" && tb.Total.Shown != head.Shown {
			t.Errorf("%s total %q, headline %q", tb.ID, tb.Total.Shown, head.Shown)
		}
	}
	for _, format := range report.Formats {
		var buf bytes.Buffer
		if err := report.Write(&buf, pub, format); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.ToLower(buf.String()), "synthetic") {
			t.Errorf("the %s report does not say the data is synthetic", format)
		}
	}
}

func sumOf(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
