package service

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"signpost/content"
	"signpost/flows"
	"signpost/handoff"
	"signpost/hours"
	"signpost/internal/redistest"
	"signpost/internal/testclock"
	"signpost/store"
)

// jobsService is a service on a clock of the test's, with a worker, whose
// retention purge reports to retained.
func jobsService(t *testing.T, clk *testclock.Clock, retained *[]handoff.Retained) (*Service, *store.Store) {
	t.Helper()
	rdb, prefix := redistest.Setup(t)
	st := store.New(rdb, store.Config{Prefix: prefix})
	bundle, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	london, _ := time.LoadLocation("Europe/London")
	cal, err := hours.Load("", "none", "", london)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(Config{
		Now: clk.Now, Location: london, Calendar: cal, Logger: slog.New(slog.DiscardHandler), Teams: handoff.AuthConfig{LinkWorkers: []int64{101}},
		OnRetention: func(r handoff.Retained) { *retained = append(*retained, r) },
	}, st, flows.NewRunner(st, bundle, flows.Config{}))
	if err != nil {
		t.Fatal(err)
	}
	return svc, st
}

// The follow-up job asks the person in their own chat, with the loneliness
// scale when they answered it at the start; the retention job runs once a
// day, whichever replica asks first.
func TestScheduledJobs(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	clk := testclock.New(start)
	var retained []handoff.Retained
	svc, st := jobsService(t, clk, &retained)
	ctx := context.Background()
	ana := handoff.Worker{ID: 101, Name: "Ana"}
	answers := map[string]string{"name": "Sam", "age": "26-49", "needs": "lonely", "ons_life": "3", "contact": "yes",
		"lonely_companionship": "3", "lonely_left_out": "2", "lonely_isolated": "3"}
	r, _, err := svc.Desk().Create(ctx, flows.Effect{Kind: content.ActionReferral, Key: "run-1:ref", User: 42, Run: "run-1", Ref: flows.Ref("run-1"), Lang: "en", Consent: true, Answers: answers})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Desk().Claim(ctx, r.Ref, ana); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Desk().Message(ctx, r.Ref, ana, "Hello"); err != nil {
		t.Fatal(err)
	}
	var followUps, retention func(context.Context, time.Time) error
	for _, j := range svc.jobs() {
		switch j.Name {
		case "follow-ups":
			followUps = j.Run
		case "retention":
			retention = j.Run
		}
	}
	svc.SetWaker(handoff.ChannelTelegram, func(int64) {})

	clk.Set(start.Add(12 * 7 * 24 * time.Hour))
	if err := followUps(ctx, clk.Now()); err != nil {
		t.Fatal(err)
	}
	raw, err := st.Pending(ctx, 42)
	if err != nil || len(raw) == 0 {
		t.Fatalf("nothing in the person's outbox: %v", err)
	}
	var o flows.Out
	json.Unmarshal(raw[len(raw)-1], &o)
	if !strings.Contains(o.Text, "how things are for you now") {
		t.Errorf("the person was sent %q", o.Text)
	}
	sess, err := svc.runner.Session(ctx, 42)
	if err != nil || sess.Flow != FlowFollowUp || sess.Answers["followup_lonely"] != "yes" {
		t.Errorf("session %+v, %v: want the follow-up with the loneliness scale", sess, err)
	}

	// Closed, and two years on the purge erases it, once for the day.
	if _, _, err := svc.Desk().Close(ctx, r.Ref, ana, handoff.OutcomeAdvice, ""); err != nil {
		t.Fatal(err)
	}
	clk.Set(clk.Now().AddDate(2, 0, 1))
	for range 2 { // two replicas, or a restart the same day
		if err := retention(ctx, clk.Now()); err != nil && !errors.Is(err, errNoBot) { // no bot to redraw cards
			t.Fatal(err)
		}
	}
	if len(retained) != 1 || retained[0].Erased != 1 {
		t.Errorf("retention runs %+v, want one that erased one referral", retained)
	}
	if got, _ := st.Referral(ctx, r.Ref); got.User != 0 || got.Name != "" || got.ErasedWhy != handoff.WhyRetention {
		t.Errorf("after the purge: %+v", got)
	}
}
