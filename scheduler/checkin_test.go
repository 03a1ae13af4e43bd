package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/scheduler"
)

// week is the n-th weekly check-in instant of the tests.
func week(n int) time.Time { return local(2026, 6, 2+7*n, 10, 0) }

func answered(n int, m scheduler.Mood) scheduler.Entry {
	return scheduler.Entry{At: week(n), Form: scheduler.FormWeekly, Status: scheduler.StatusAnswered, Mood: m}
}

func status(n int, s scheduler.Status) scheduler.Entry {
	return scheduler.Entry{At: week(n), Form: scheduler.FormWeekly, Status: s}
}

func mood(n int, m scheduler.Mood) scheduler.Answer {
	return scheduler.Answer{At: week(n), Form: scheduler.FormWeekly, Mood: m}
}

func TestEvaluate(t *testing.T) {
	lonely := scheduler.Entry{At: week(1), Form: scheduler.FormLoneliness, Status: scheduler.StatusAnswered, Loneliness: []int{1, 1, 1}}
	tests := []struct {
		name    string
		history []scheduler.Entry
		answer  scheduler.Answer
		want    []scheduler.Trigger
	}{
		{"good", nil, mood(0, scheduler.MoodGood), nil},
		{"not great once", []scheduler.Entry{answered(0, scheduler.MoodOkay)}, mood(1, scheduler.MoodNotGreat), nil},
		{"not great twice running", []scheduler.Entry{answered(0, scheduler.MoodNotGreat)}, mood(1, scheduler.MoodNotGreat),
			[]scheduler.Trigger{scheduler.TriggerNotGreatTwice}},
		{"not great twice across a loneliness check-in", []scheduler.Entry{answered(0, scheduler.MoodNotGreat), lonely}, mood(2, scheduler.MoodNotGreat),
			[]scheduler.Trigger{scheduler.TriggerNotGreatTwice}},
		{"not great twice with a silence between", []scheduler.Entry{answered(0, scheduler.MoodNotGreat), status(1, scheduler.StatusUnanswered)}, mood(2, scheduler.MoodNotGreat),
			[]scheduler.Trigger{scheduler.TriggerNotGreatTwice}},
		{"not great two of the last three", []scheduler.Entry{answered(0, scheduler.MoodNotGreat), answered(1, scheduler.MoodOkay)}, mood(2, scheduler.MoodNotGreat),
			[]scheduler.Trigger{scheduler.TriggerNotGreatTwice}},
		{"not great two of the last four", []scheduler.Entry{answered(0, scheduler.MoodNotGreat), answered(1, scheduler.MoodOkay), answered(2, scheduler.MoodGood)}, mood(3, scheduler.MoodNotGreat),
			nil},
		{"not great a third time: flagged already", []scheduler.Entry{answered(0, scheduler.MoodNotGreat), answered(1, scheduler.MoodNotGreat)}, mood(2, scheduler.MoodNotGreat),
			nil},
		{"not great once", []scheduler.Entry{answered(0, scheduler.MoodGood)}, mood(1, scheduler.MoodNotGreat), nil},
		{"not great twice across a skipped week", []scheduler.Entry{answered(0, scheduler.MoodNotGreat), status(1, scheduler.StatusSkipped)}, mood(2, scheduler.MoodNotGreat),
			[]scheduler.Trigger{scheduler.TriggerNotGreatTwice}},
		{"answering the same check-in again", []scheduler.Entry{answered(1, scheduler.MoodNotGreat)}, mood(1, scheduler.MoodNotGreat), nil},
		{"talk", nil, mood(0, scheduler.MoodTalk), []scheduler.Trigger{scheduler.TriggerTalk}},
		{"lonely: 6", nil, scheduler.Answer{At: week(0), Form: scheduler.FormLoneliness, Loneliness: []int{2, 2, 2}},
			[]scheduler.Trigger{scheduler.TriggerLonely}},
		{"not lonely: 5", nil, scheduler.Answer{At: week(0), Form: scheduler.FormLoneliness, Loneliness: []int{1, 2, 2}}, nil},
		{"crisis", nil, scheduler.Answer{At: week(0), Form: scheduler.FormWeekly, Mood: scheduler.MoodOkay, Crisis: true},
			[]scheduler.Trigger{scheduler.TriggerCrisis}},
		{"crisis and talk", nil, scheduler.Answer{At: week(0), Form: scheduler.FormWeekly, Mood: scheduler.MoodTalk, Crisis: true},
			[]scheduler.Trigger{scheduler.TriggerCrisis, scheduler.TriggerTalk}},
		{"second unanswered", []scheduler.Entry{answered(0, scheduler.MoodGood), status(1, scheduler.StatusUnanswered)},
			scheduler.Answer{At: week(2), Missed: true}, nil},
		{"third unanswered", []scheduler.Entry{status(0, scheduler.StatusUnanswered), status(1, scheduler.StatusUnanswered)},
			scheduler.Answer{At: week(2), Missed: true}, []scheduler.Trigger{scheduler.TriggerSilent}},
		{"fourth unanswered: once per silence", []scheduler.Entry{status(0, scheduler.StatusUnanswered), status(1, scheduler.StatusUnanswered), status(2, scheduler.StatusUnanswered)},
			scheduler.Answer{At: week(3), Missed: true}, nil},
		{"third unanswered across a skipped week", []scheduler.Entry{status(0, scheduler.StatusUnanswered), status(1, scheduler.StatusSkipped), status(2, scheduler.StatusUnanswered)},
			scheduler.Answer{At: week(3), Missed: true}, []scheduler.Trigger{scheduler.TriggerSilent}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scheduler.Evaluate(tt.history, tt.answer)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Evaluate (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEscalation: each trigger reaches the link workers as a flag, through
// the answers a person gives to check-ins the scheduler sent.
func TestEscalation(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		answers []scheduler.Answer // to the check-ins of weeks 0, 1, ... in turn
		want    []scheduler.Trigger
	}{
		{"not great twice running", []scheduler.Answer{
			{Form: scheduler.FormLoneliness, Loneliness: []int{1, 1, 1}},
			{Form: scheduler.FormWeekly, Mood: scheduler.MoodNotGreat},
			{Form: scheduler.FormWeekly, Mood: scheduler.MoodNotGreat},
		}, []scheduler.Trigger{scheduler.TriggerNotGreatTwice}},
		{"talk", []scheduler.Answer{
			{Form: scheduler.FormLoneliness, Loneliness: []int{1, 1, 1}},
			{Form: scheduler.FormWeekly, Mood: scheduler.MoodTalk, Text: "could someone ring me"},
		}, []scheduler.Trigger{scheduler.TriggerTalk}},
		{"lonely", []scheduler.Answer{
			{Form: scheduler.FormLoneliness, Loneliness: []int{3, 2, 1}},
		}, []scheduler.Trigger{scheduler.TriggerLonely}},
		{"crisis", []scheduler.Answer{
			{Form: scheduler.FormLoneliness, Loneliness: []int{1, 1, 1}, Crisis: true},
		}, []scheduler.Trigger{scheduler.TriggerCrisis}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, local(2026, 5, 31, 12, 0), scheduler.Config{})
			mustEnrol(t, e, 1, weekly(time.Tuesday, scheduler.Clock(10, 0), scheduler.Clock(10, 1)))
			for i, a := range tt.answers {
				e.hourly(t, week(i).Add(time.Hour))
				got := e.send.sent()
				due := got[len(got)-1].Due
				if due.Form != a.Form {
					t.Fatalf("week %d asked %q, test answers %q", i, due.Form, a.Form)
				}
				a.At = due.At
				for range 2 { // a repeated answer raises nothing new
					if _, err := e.s.RecordAnswer(ctx, 1, a); err != nil {
						t.Fatal(err)
					}
				}
			}
			if diff := cmp.Diff(tt.want, e.flag.reasons()); diff != "" {
				t.Errorf("flags (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSilence: three check-ins unanswered in a row bring one gentle nudge and
// one flag, not one every week; after an answer a new silence counts afresh.
func TestSilence(t *testing.T) {
	ctx := context.Background()
	e := setup(t, local(2026, 5, 31, 12, 0), scheduler.Config{})
	mustEnrol(t, e, 1, weekly(time.Tuesday, scheduler.Clock(10, 0), scheduler.Clock(10, 1)))
	e.hourly(t, week(7).Add(time.Hour)) // weeks 0-7 sent, none answered
	if _, err := e.s.RecordAnswer(ctx, 1, mood(7, scheduler.MoodOkay)); err != nil {
		t.Fatal(err)
	}
	e.hourly(t, week(12).Add(time.Hour)) // weeks 8-12 sent, none answered

	var nudged []int
	for i, x := range e.send.sent() {
		if x.Due.Nudge {
			nudged = append(nudged, i)
		}
	}
	if diff := cmp.Diff([]int{3, 11}, nudged); diff != "" {
		t.Errorf("weeks nudged (-want +got):\n%s", diff)
	}
	want := []scheduler.Trigger{scheduler.TriggerSilent, scheduler.TriggerSilent}
	if diff := cmp.Diff(want, e.flag.reasons()); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}
	var forms []scheduler.Form
	for _, x := range e.send.sent() {
		forms = append(forms, x.Due.Form)
	}
	// The first check-in of each month asks the loneliness questions.
	wantForms := []scheduler.Form{"loneliness", "weekly", "weekly", "weekly", "weekly", // June
		"loneliness", "weekly", "weekly", "weekly", // July
		"loneliness", "weekly", "weekly", "weekly"} // August
	if diff := cmp.Diff(wantForms, forms); diff != "" {
		t.Errorf("forms (-want +got):\n%s", diff)
	}
}
