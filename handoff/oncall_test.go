package handoff_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/handoff"
)

// kindsOf lists the kinds of notices.
func kindsOf(ns handoff.Notices) []handoff.NoticeKind {
	var out []handoff.NoticeKind
	for _, n := range ns {
		out = append(out, n.Kind)
	}
	return out
}

// TestUrgentOutOfHours: flagged at 22:00 on a Saturday, the referral goes
// to on-call at once, to escalation when nobody acknowledges it within the
// half hour, and to the team at 09:00 on Monday, once; a bank holiday
// Monday waits for Tuesday; an acknowledgement calls off the escalation.
func TestUrgentOutOfHours(t *testing.T) {
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, london) }
	type tick struct {
		at   time.Time
		ack  bool // acknowledged on call just before
		want []handoff.NoticeKind
	}
	tests := []struct {
		name    string
		cfg     handoff.Config
		flagged time.Time
		atFlag  []handoff.NoticeKind
		ticks   []tick
	}{
		{
			name:    "Saturday night, nobody acknowledges",
			cfg:     handoff.Config{OnCall: true, Escalate: true},
			flagged: at(2026, 11, 28, 22, 0),
			atFlag:  []handoff.NoticeKind{handoff.NoticeCard, handoff.NoticeOnCall},
			ticks: []tick{
				{at: at(2026, 11, 28, 22, 15)},
				{at: at(2026, 11, 28, 22, 29)},
				{at: at(2026, 11, 28, 22, 30), want: []handoff.NoticeKind{handoff.NoticeEscalate}},
				{at: at(2026, 11, 29, 3, 0)},
				{at: at(2026, 11, 30, 8, 59)},
				{at: at(2026, 11, 30, 9, 0), want: []handoff.NoticeKind{handoff.NoticeRepost}},
				{at: at(2026, 11, 30, 9, 15)},
				{at: at(2026, 11, 30, 16, 0)},
			},
		},
		{
			name:    "Saturday night, acknowledged on call",
			cfg:     handoff.Config{OnCall: true, Escalate: true},
			flagged: at(2026, 11, 28, 22, 0),
			atFlag:  []handoff.NoticeKind{handoff.NoticeCard, handoff.NoticeOnCall},
			ticks: []tick{
				{at: at(2026, 11, 28, 22, 10), ack: true},
				{at: at(2026, 11, 28, 22, 30)},
				{at: at(2026, 11, 30, 9, 0), want: []handoff.NoticeKind{handoff.NoticeRepost}},
			},
		},
		{
			name:    "before a bank holiday Monday",
			cfg:     handoff.Config{OnCall: true, Escalate: true, OnCallAck: 10 * time.Minute},
			flagged: at(2027, 5, 29, 22, 0),
			atFlag:  []handoff.NoticeKind{handoff.NoticeCard, handoff.NoticeOnCall},
			ticks: []tick{
				{at: at(2027, 5, 29, 22, 10), want: []handoff.NoticeKind{handoff.NoticeEscalate}},
				{at: at(2027, 5, 31, 9, 0)},
				{at: at(2027, 5, 31, 12, 0)},
				{at: at(2027, 6, 1, 9, 0), want: []handoff.NoticeKind{handoff.NoticeRepost}},
			},
		},
		{
			name:    "no on-call chat: the team at the opening",
			flagged: at(2026, 11, 28, 22, 0),
			atFlag:  []handoff.NoticeKind{handoff.NoticeCard},
			ticks: []tick{
				{at: at(2026, 11, 28, 22, 30)},
				{at: at(2026, 11, 30, 9, 0), want: []handoff.NoticeKind{handoff.NoticeRepost}},
			},
		},
		{
			name:    "in hours: posted again and sent to on-call after 15 minutes",
			cfg:     handoff.Config{OnCall: true, Escalate: true},
			flagged: at(2026, 11, 30, 10, 0),
			atFlag:  []handoff.NoticeKind{handoff.NoticeCard},
			ticks: []tick{
				{at: at(2026, 11, 30, 10, 14)},
				{at: at(2026, 11, 30, 10, 15), want: []handoff.NoticeKind{handoff.NoticeRepost, handoff.NoticeOnCall}},
				{at: at(2026, 11, 30, 10, 30)},
				{at: at(2026, 11, 30, 10, 45), want: []handoff.NoticeKind{handoff.NoticeEscalate}},
				{at: at(2026, 11, 30, 16, 0)},
				{at: at(2026, 12, 1, 9, 0), want: []handoff.NoticeKind{handoff.NoticeRepost}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, tt.cfg)
			e.clk.Set(tt.flagged)
			r, ns, err := e.desk.Flag(t.Context(), urgentEffect(4, "run-u"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.atFlag, kindsOf(ns)); diff != "" {
				t.Errorf("notices of the flag (-want +got):\n%s", diff)
			}
			for _, tk := range tt.ticks {
				e.clk.Set(tk.at)
				if tk.ack {
					_, ns, err := e.desk.Acknowledge(t.Context(), r.Ref, ana)
					if err != nil || len(ns) != 1 || ns[0].Kind != handoff.NoticeTeam {
						t.Fatalf("acknowledge: %v %v", kindsOf(ns), err)
					}
					if _, again, _ := e.desk.Acknowledge(t.Context(), r.Ref, ben); len(again) != 0 {
						t.Errorf("a second acknowledgement said %v", kindsOf(again))
					}
				}
				got, err := e.desk.DueReminders(t.Context(), tk.at)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tk.want, kindsOf(got)); diff != "" {
					t.Errorf("at %s (-want +got):\n%s", tk.at.Format("Mon 2 Jan 15:04"), diff)
				}
			}
		})
	}
}

// TestOnCallTextSaysWhenTheTeamIsBack: the alert names the next opening.
func TestOnCallTextSaysWhenTheTeamIsBack(t *testing.T) {
	e := setup(t, handoff.Config{OnCall: true, Escalate: true})
	e.clk.Set(time.Date(2026, 11, 28, 22, 0, 0, 0, london))
	_, ns, err := e.desk.Flag(t.Context(), urgentEffect(4, "run-u"))
	if err != nil {
		t.Fatal(err)
	}
	text := ns[len(ns)-1].Text
	for _, want := range []string{"out of hours", "back Mon 30 Nov 09:00", "within 30 minutes"} {
		if !strings.Contains(text, want) {
			t.Errorf("on-call alert %q lacks %q", text, want)
		}
	}
}

// TestHeldCaseFlaggedAtNight: a case a worker holds, flagged out of hours,
// goes to on-call too and escalates unacknowledged, but is never posted
// again to the team; claiming an unclaimed card calls off its escalation.
func TestHeldCaseFlaggedAtNight(t *testing.T) {
	e := setup(t, handoff.Config{OnCall: true, Escalate: true})
	e.clk.Set(time.Date(2026, 11, 27, 15, 0, 0, 0, london))
	held := mustCreate(t, e, referralEffect(4, "run-h", resident()))
	if _, _, err := e.desk.Claim(t.Context(), held.Ref, ana); err != nil {
		t.Fatal(err)
	}
	night := time.Date(2026, 11, 28, 22, 0, 0, 0, london)
	e.clk.Set(night)
	eff := urgentEffect(4, "run-h2")
	if _, ns, err := e.desk.Flag(t.Context(), eff); err != nil || !slices.Contains(kindsOf(ns), handoff.NoticeOnCall) {
		t.Fatalf("flag of a held case at night: %v %v", kindsOf(ns), err)
	}
	for _, tk := range []struct {
		at   time.Duration
		want []handoff.NoticeKind
	}{{29 * time.Minute, nil}, {30 * time.Minute, []handoff.NoticeKind{handoff.NoticeEscalate}}, {35 * time.Hour, nil}} {
		got, err := e.desk.DueReminders(t.Context(), night.Add(tk.at))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tk.want, kindsOf(got)); diff != "" {
			t.Errorf("after %v (-want +got):\n%s", tk.at, diff)
		}
	}

	// Claimed in the night before anyone on call acknowledged it: no escalation.
	e.clk.Set(night)
	_, _, err := e.desk.Flag(t.Context(), urgentEffect(5, "run-n"))
	if err != nil {
		t.Fatal(err)
	}
	ref, _, _ := e.desk.OpenCaseOf(t.Context(), 5)
	e.clk.Set(night.Add(10 * time.Minute))
	if _, _, err := e.desk.Claim(t.Context(), ref, ana); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.desk.DueReminders(t.Context(), night.Add(31*time.Minute)); len(got) != 0 {
		t.Errorf("a claimed card still escalated: %v", kindsOf(got))
	}
}
