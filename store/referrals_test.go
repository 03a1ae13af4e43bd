package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"signpost/handoff"
)

// fullReferral has every field set, so a round trip shows none is lost.
func fullReferral() handoff.Referral {
	at := func(m int) time.Time { return start.Add(time.Duration(m) * time.Minute) }
	return handoff.Referral{
		Ref: "R-7K3QX", Run: "run-1", Effects: []string{"run-1:referral", "run-1:urgent:4"}, User: 42, Lang: "en",
		Team: handoff.TeamLeavingCare, Status: handoff.StatusInContact, Urgent: true, Consent: true,
		Name: "Jo", Age: "17-25", CareLeaver: "yes", WhatMatters: "Somewhere to go, with friends",
		Needs: []string{"housing", "lonely"}, HousingUrgent: "yes", MoneyUrgent: "no", Source: "pa_WF12",
		ONS:      handoff.ONS4{Life: 0, Worth: 10, Happy: handoff.Unanswered, Anxious: 6},
		Postcode: "E17", Contact: handoff.Contact{Wanted: true, How: "sms", Phone: "07700 900123", When: "evening"},
		Checkins: "yes", Services: []string{"wf-walk,1", "wf-food"}, UrgentText: "I can't go on",
		Created: at(0), Posted: at(1), Holder: handoff.Worker{ID: 101, Name: "Ana"}, Claimed: at(2),
		FirstContact: at(3), LastFromPerson: at(4), Closed: at(5), Outcome: handoff.OutcomeOther,
		NextReminder: at(6), Reminders: 3, Card: handoff.Card{Chat: -100123, Message: 77}, Erased: at(7),
		Priority: handoff.PriorityUrgent, Reasons: []handoff.Reason{handoff.ReasonCrisisWords, handoff.ReasonCheckinTalk},
		Channel: handoff.ChannelWeb, FollowUp: handoff.ONS4{Life: 5, Worth: 0, Happy: handoff.Unanswered, Anxious: 2},
		FollowUpAt: at(8), FollowUpAsked: at(7), Person: "pAbC-12_xyz",
		Lonely:         handoff.Lonely{3, handoff.Unanswered, 2},
		FollowUpLonely: handoff.Lonely{1, 2, 1},
		FollowUpNext:   at(9), FollowUpStage: handoff.FollowUpAsked,
	}
}

func TestReferralRoundTrip(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	want := fullReferral()
	got, created, err := s.CreateReferral(ctx, want, handoff.Event{At: start, Kind: handoff.EventCreated})
	if err != nil || !created {
		t.Fatalf("CreateReferral = created %v, %v", created, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CreateReferral returned (-want +got):\n%s", diff)
	}
	loaded, err := s.Referral(ctx, want.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, loaded); diff != "" {
		t.Errorf("Referral (-want +got):\n%s", diff)
	}

	other := handoff.Referral{Ref: want.Ref, Run: "run-2", Created: start}
	again, created, err := s.CreateReferral(ctx, other, handoff.Event{At: start, Kind: handoff.EventCreated})
	if err != nil || created {
		t.Fatalf("CreateReferral over a taken reference = created %v, %v", created, err)
	}
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("taken reference returned (-want +got):\n%s", diff)
	}
	if n, _ := s.rdb.LLen(ctx, s.keys.referralHistory(want.Ref)).Result(); n != 1 {
		t.Errorf("history has %d events, want 1", n)
	}
}

func TestReferralKeys(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	r := handoff.Referral{Ref: "R-22222", User: 42, Team: handoff.TeamLinkWorkers, Status: handoff.StatusNew, Created: start, NextReminder: start.Add(time.Hour)}
	if _, _, err := s.CreateReferral(ctx, r, handoff.Event{At: start, Kind: handoff.EventCreated}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{s.keys.referral(r.Ref), s.keys.referralHistory(r.Ref)} {
		if strings.Contains(k, "{u:") || !strings.Contains(k, "{r:R-22222}") {
			t.Errorf("key %q must carry the referral's tag, not the person's", k)
		}
	}
	// The person's erasure takes their index, not the referral.
	if err := s.Forget(ctx, 42); err != nil {
		t.Fatal(err)
	}
	if refs, _ := s.PersonReferrals(ctx, 42); len(refs) != 0 {
		t.Errorf("person's index survived erasure: %v", refs)
	}
	if _, err := s.Referral(ctx, r.Ref); err != nil {
		t.Errorf("referral gone with the person: %v", err)
	}
	if refs, err := s.ReferralsOwnedBy(ctx, 42); err != nil || len(refs) != 1 {
		t.Errorf("ReferralsOwnedBy = %v, %v", refs, err)
	}

	for _, bad := range []string{"R-{u:1}", "R-2222*", "", "sp:x", "R-22222}:x"} {
		if _, err := s.Referral(ctx, bad); !errors.Is(err, handoff.ErrNotFound) {
			t.Errorf("Referral(%q) = %v, want ErrNotFound", bad, err)
		}
		_, err := s.UpdateReferral(ctx, bad, func(*handoff.Referral) (handoff.Change, error) { return handoff.Change{}, nil })
		if !errors.Is(err, handoff.ErrNotFound) {
			t.Errorf("UpdateReferral(%q) = %v, want ErrNotFound", bad, err)
		}
	}
}

func TestUpdateReferralConcurrent(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	r := handoff.Referral{Ref: "R-33333", Team: handoff.TeamLinkWorkers, Status: handoff.StatusNew, Created: start}
	if _, _, err := s.CreateReferral(ctx, r, handoff.Event{At: start, Kind: handoff.EventCreated}); err != nil {
		t.Fatal(err)
	}
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := s.UpdateReferral(ctx, r.Ref, func(r *handoff.Referral) (handoff.Change, error) {
				r.Reminders++
				return handoff.Change{Events: []handoff.Event{{At: start, Kind: handoff.EventNote, Text: "n" + string(rune('a'+i%26))}}}, nil
			})
			if err != nil {
				t.Errorf("UpdateReferral: %v", err)
			}
		})
	}
	wg.Wait()
	got, err := s.Referral(ctx, r.Ref)
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.History(ctx, r.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if got.Reminders != n || len(h) != n+1 {
		t.Errorf("after %d concurrent updates: count %d, history %d; want %d, %d", n, got.Reminders, len(h), n, n+1)
	}
}

func TestUpdateReferralErasesFields(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	r := fullReferral()
	r.Ref, r.Status, r.Erased = "R-44444", handoff.StatusNew, time.Time{}
	if _, _, err := s.CreateReferral(ctx, r, handoff.Event{At: start, Kind: handoff.EventUrgent, Text: "I can't go on"}); err != nil {
		t.Fatal(err)
	}
	refuse := errors.New("no")
	if _, err := s.UpdateReferral(ctx, r.Ref, func(r *handoff.Referral) (handoff.Change, error) {
		r.Name = "changed"
		return handoff.Change{}, refuse
	}); !errors.Is(err, refuse) {
		t.Fatalf("a refused update returned %v", err)
	}
	if _, err := s.UpdateReferral(ctx, r.Ref, func(r *handoff.Referral) (handoff.Change, error) {
		*r = handoff.Referral{Ref: r.Ref, Team: r.Team, Status: handoff.StatusClosed, ONS: handoff.NoONS4, Created: r.Created, Closed: start, Erased: start}
		return handoff.Change{Scrub: true, Events: []handoff.Event{{At: start, Kind: handoff.EventErased}}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	fields, _ := s.rdb.HGetAll(ctx, s.keys.referral(r.Ref)).Result()
	want := map[string]string{"ref": r.Ref, "team": "leaving_care", "status": "closed", "created": ms(start), "closed": ms(start), "erased": ms(start)}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("stored fields (-want +got):\n%s", diff)
	}
	hist, _ := s.rdb.LRange(ctx, s.keys.referralHistory(r.Ref), 0, -1).Result()
	wantHist := []string{`{"t":` + ms(start) + `,"k":"urgent"}`, `{"t":` + ms(start) + `,"k":"erased"}`}
	if diff := cmp.Diff(wantHist, hist); diff != "" {
		t.Errorf("stored history (-want +got):\n%s", diff)
	}
	for _, k := range []string{s.keys.queue("leaving_care"), s.keys.reminders()} {
		if n, _ := s.rdb.ZCard(ctx, k).Result(); n != 0 {
			t.Errorf("%s still lists the closed referral", k)
		}
	}
}

func TestTakeDue(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := context.Background()
	mk := func(ref string, due time.Duration) {
		r := handoff.Referral{Ref: ref, Team: handoff.TeamLinkWorkers, Status: handoff.StatusNew, Created: start, NextReminder: start.Add(due)}
		if _, _, err := s.CreateReferral(ctx, r, handoff.Event{At: start, Kind: handoff.EventCreated}); err != nil {
			t.Fatal(err)
		}
	}
	mk("R-AAAAA", time.Minute)
	mk("R-BBBBB", 2*time.Minute)
	mk("R-CCCCC", time.Hour)
	next := func(r handoff.Referral, due time.Time) (time.Time, bool) {
		return due.Add(10 * time.Minute), r.Ref != "R-BBBBB"
	}
	got, err := s.TakeDue(ctx, start.Add(5*time.Minute), next)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, r := range got {
		refs = append(refs, r.Ref+" "+r.NextReminder.Sub(start).String())
	}
	if diff := cmp.Diff([]string{"R-AAAAA 1m0s"}, refs); diff != "" {
		t.Errorf("taken (-want +got):\n%s", diff)
	}
	sched, _ := s.rdb.ZRangeWithScores(ctx, s.keys.reminders(), 0, -1).Result()
	wantSched := []string{"R-AAAAA " + ms(start.Add(11*time.Minute)), "R-CCCCC " + ms(start.Add(time.Hour))}
	var gotSched []string
	for _, z := range sched {
		gotSched = append(gotSched, z.Member.(string)+" "+ms(time.UnixMilli(int64(z.Score))))
	}
	if diff := cmp.Diff(wantSched, gotSched, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("schedule (-want +got):\n%s", diff)
	}
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// A referral's indexes go with its creation in one round trip; over a
// taken reference, they are brought back in line with the referral stored:
// the second person's index does not lead to it, and its creation time is
// the stored one's.
func TestCreateReferralOverATakenReferenceMendsTheIndexes(t *testing.T) {
	s, _ := setup(t, Config{})
	ctx := t.Context()
	first := handoff.Referral{Ref: "R-55555", User: 1, Team: handoff.TeamLinkWorkers, Status: handoff.StatusNew, Created: start}
	if _, created, err := s.CreateReferral(ctx, first, handoff.Event{At: start, Kind: handoff.EventCreated}); err != nil || !created {
		t.Fatalf("CreateReferral = created %v, %v", created, err)
	}
	later := start.Add(time.Hour)
	other := handoff.Referral{Ref: "R-55555", User: 2, Team: handoff.TeamLeavingCare, Status: handoff.StatusNew, Created: later}
	if _, created, err := s.CreateReferral(ctx, other, handoff.Event{At: later, Kind: handoff.EventCreated}); err != nil || created {
		t.Fatalf("CreateReferral over a taken reference = created %v, %v", created, err)
	}
	if refs, _ := s.PersonReferrals(ctx, 2); len(refs) != 0 {
		t.Errorf("the second person's referrals: %v, want none", refs)
	}
	if refs, _ := s.PersonReferrals(ctx, 1); len(refs) != 1 || refs[0] != "R-55555" {
		t.Errorf("the first person's referrals: %v", refs)
	}
	if score, err := s.rdb.ZScore(ctx, s.keys.allReferrals(), "R-55555").Result(); err != nil || int64(score) != start.UnixMilli() {
		t.Errorf("created at %v (%v) in the index of all referrals, want %v", score, err, start.UnixMilli())
	}
	if refs, _ := s.QueueRefs(ctx, handoff.TeamLeavingCare); len(refs) != 0 {
		t.Errorf("the other team's queue: %v, want none", refs)
	}
	if refs, _ := s.QueueRefs(ctx, handoff.TeamLinkWorkers); len(refs) != 1 {
		t.Errorf("the stored referral's queue: %v", refs)
	}
}
