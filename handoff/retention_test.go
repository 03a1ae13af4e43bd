package handoff_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/handoff"
)

func TestParseSpan(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want handoff.Span
	}{
		{"24 months", handoff.Span{Months: 24}}, {"7 years", handoff.Span{Months: 84}}, {"90d", handoff.Span{Days: 90}},
		{"12 weeks", handoff.Span{Days: 84}}, {"1y", handoff.Span{Months: 12}}, {" 6 MONTHS ", handoff.Span{Months: 6}},
	} {
		if got, err := handoff.ParseSpan(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseSpan(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "forever", "0 days", "24", "2 fortnights", "-3 years"} {
		if _, err := handoff.ParseSpan(bad); err == nil {
			t.Errorf("ParseSpan(%q) took it", bad)
		}
	}
}

// Retention erases exactly the personal data of referrals closed longer
// than RETENTION_CLOSED, keeps their figures, removes the anonymous record
// after RETENTION_ANONYMOUS, and leaves open referrals alone.
func TestRetention(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	ret := handoff.Retention{Closed: handoff.Span{Months: 24}, Anonymous: handoff.Span{Months: 84}}

	done := mustCreate(t, e, referralEffect(42, "run-1", resident()))
	if _, err := e.desk.SetCard(ctx, done.Ref, linkChat, 10); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Claim(ctx, done.Ref, ana); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Message(ctx, done.Ref, ana, "Hello Sam, it is Ana"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Note(ctx, done.Ref, ana, "Sam is worried about the rent"); err != nil {
		t.Fatal(err)
	}
	closedAt := e.clk.Now()
	if _, _, err := e.desk.Close(ctx, done.Ref, ana, handoff.OutcomeAdvice, "Sam will call back"); err != nil {
		t.Fatal(err)
	}
	open := mustCreate(t, e, referralEffect(43, "run-2", resident()))
	if err := e.st.Tally(ctx, "c1", "2026-03-01", "link_workers", "sent"); err != nil {
		t.Fatal(err)
	}
	period := func() []string {
		var out []string
		for _, r := range records(t, e, start.Add(-time.Hour), start.Add(time.Hour)) {
			out = append(out, r.Person+" "+r.Outcome+" "+r.AgeBand+" "+strings.Join(r.Needs, ","))
		}
		return out
	}
	before := period()

	retain := func(at time.Time) handoff.Retained {
		t.Helper()
		e.clk.Set(at)
		got, ns, err := e.desk.Retain(ctx, at, ret)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			if n.Kind != handoff.NoticeErased || n.Why != handoff.WhyRetention || n.Ref != done.Ref || len(n.Posts) != 1 {
				t.Errorf("retention asks %+v", n)
			}
		}
		return got
	}
	if got := retain(closedAt.AddDate(2, 0, 0).Add(-time.Minute)); got != (handoff.Retained{}) {
		t.Errorf("a minute before 24 months: %+v", got)
	}
	if got := retain(closedAt.AddDate(2, 0, 0).Add(time.Minute)); got != (handoff.Retained{Erased: 1}) {
		t.Errorf("after 24 months: %+v, want one erased", got)
	}
	if got := retain(closedAt.AddDate(2, 0, 1)); got != (handoff.Retained{}) {
		t.Errorf("the next day: %+v, want nothing more", got)
	}
	r := mustReferral(t, e, done.Ref)
	if r.User != 0 || r.Name != "" || r.WhatMatters != "" || r.Postcode != "" || r.Contact.Phone != "" || r.ErasedWhy != handoff.WhyRetention {
		t.Errorf("personal data kept after 24 months: %+v", r)
	}
	if got := handoff.CardText(r); !strings.Contains(got, handoff.ExpiredWords) || strings.Contains(got, handoff.ErasedWords) {
		t.Errorf("the card of an expired referral:\n%s", got)
	}
	h, err := e.st.History(ctx, done.Ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range h {
		if ev.Text != "" {
			t.Errorf("history keeps %q", ev.Text)
		}
	}
	if h[len(h)-1].Kind != handoff.EventExpired {
		t.Errorf("history ends with %s, want expired", h[len(h)-1].Kind)
	}
	if diff := cmp.Diff(before, period()); diff != "" {
		t.Errorf("the figures changed (-before +after):\n%s", diff)
	}
	if got := mustReferral(t, e, open.Ref); got.Name != "Sam" || got.User != 43 {
		t.Errorf("an open referral was touched: %+v", got)
	}
	if refs, _ := e.st.PersonReferrals(ctx, 42); len(refs) != 0 {
		t.Errorf("the person's index still leads to %v", refs)
	}

	if got := retain(closedAt.AddDate(7, 0, 0).Add(time.Minute)); got != (handoff.Retained{Removed: 1}) {
		t.Errorf("after 7 years: %+v, want one removed", got)
	}
	if _, err := e.st.Referral(ctx, done.Ref); err == nil {
		t.Error("the anonymous record outlived 7 years")
	}
	for _, k := range []string{":{r:" + done.Ref + "}:history", ":{r:" + done.Ref + "}:posts", ":{r:" + done.Ref + "}:audit", ":{handoff}:card:" + itoa(linkChat) + ":10"} {
		if n, _ := e.rdb.Exists(ctx, e.prefix+k).Result(); n != 0 {
			t.Errorf("%s outlived the record", k)
		}
	}
	if got := period(); len(got) != 1 {
		t.Errorf("records after 7 years: %v, want the open one only", got)
	}
	if ts, _ := e.st.CheckinTallies(ctx); len(ts) != 0 {
		t.Errorf("check-in counts older than 7 years kept: %+v", ts)
	}
	if got := mustReferral(t, e, open.Ref); got.Name != "Sam" {
		t.Errorf("the open referral went: %+v", got)
	}
}
