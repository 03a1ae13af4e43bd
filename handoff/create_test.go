package handoff_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"signpost/flows"
	"signpost/handoff"
)

func TestCreate(t *testing.T) {
	tests := []struct {
		name string
		eff  flows.Effect
		want handoff.Referral
	}{
		{
			name: "resident goes to the link workers",
			eff:  referralEffect(7, "run-a", resident()),
			want: handoff.Referral{
				Ref: flows.Ref("run-a"), Run: "run-a", Effects: []string{"run-a:referral"}, User: 7, Lang: "en",
				Team: handoff.TeamLinkWorkers, Status: handoff.StatusNew, Consent: true,
				Name: "Sam", Age: "26-49", WhatMatters: "Getting out of the flat more",
				Needs: []string{"money", "lonely"}, MoneyUrgent: "yes", Source: "gp_F86001",
				ONS:      handoff.ONS4{Life: 3, Worth: 5, Happy: handoff.Unanswered, Anxious: 7},
				Postcode: "E17", Contact: handoff.Contact{Wanted: true, How: "phone", Phone: "07700 900123", When: "morning"},
				Checkins: "no", Created: start, Priority: handoff.PriorityRoutine, Channel: handoff.ChannelTelegram, FollowUp: handoff.NoONS4,
				Lonely: handoff.NoLonely, FollowUpLonely: handoff.NoLonely,
				NextReminder: time.Date(2026, 3, 3, 9, 30, 0, 0, london),
			},
		},
		{
			name: "care leaver goes to the leaving-care team",
			eff:  referralEffect(8, "run-b", careLeaver()),
			want: handoff.Referral{
				Ref: flows.Ref("run-b"), Run: "run-b", Effects: []string{"run-b:referral"}, User: 8, Lang: "en",
				Team: handoff.TeamLeavingCare, Status: handoff.StatusNew, Consent: true,
				Name: "Jo", Age: "17-25", CareLeaver: "yes", Needs: []string{"befriending", "volunteering"},
				Source: "pa", ONS: handoff.NoONS4, Contact: handoff.Contact{Wanted: true, How: "telegram", When: "any"},
				Checkins: "yes", Created: start, Priority: handoff.PriorityRoutine, Channel: handoff.ChannelTelegram, FollowUp: handoff.NoONS4,
				Lonely: handoff.NoLonely, FollowUpLonely: handoff.NoLonely,
				NextReminder: time.Date(2026, 3, 3, 9, 30, 0, 0, london),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, handoff.Config{})
			got, created, err := e.desk.CreateReporting(t.Context(), tt.eff)
			if err != nil || !created {
				t.Fatalf("Create = created %v, %v; want created", created, err)
			}
			if got.Person == "" {
				t.Error("no anonymous person key")
			}
			tt.want.Person = got.Person
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Create mismatch (-want +got):\n%s", diff)
			}
			stored, err := e.st.Referral(t.Context(), got.Ref)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, stored, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("stored referral mismatch (-want +got):\n%s", diff)
			}
			_, ns, err := e.desk.Create(t.Context(), tt.eff)
			want := handoff.Notices{{Kind: handoff.NoticeCard, Ref: got.Ref, Team: tt.want.Team}}
			if diff := cmp.Diff(want, ns); err != nil || diff != "" {
				t.Errorf("repeated Create notices (-want +got):\n%s%v", diff, err)
			}
		})
	}
}

func TestCreateIsIdempotent(t *testing.T) {
	e := setup(t, handoff.Config{})
	eff := referralEffect(7, "run-a", resident())
	first := mustCreate(t, e, eff)

	// Repeats: at once, later, and with the remembered effect gone, so the
	// reference sequence alone must find the referral.
	e.clk.Advance(time.Minute)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, created, err := e.desk.CreateReporting(t.Context(), eff)
			if err != nil || created {
				t.Errorf("repeat Create = created %v, %v; want existing", created, err)
			}
			if diff := cmp.Diff(first, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("repeat mismatch (-want +got):\n%s", diff)
			}
		})
	}
	wg.Wait()
	e.rdb.Del(t.Context(), e.prefix+":{handoff}:effect:"+eff.Key)
	got, created, err := e.desk.CreateReporting(t.Context(), eff)
	if err != nil || created || got.Ref != first.Ref {
		t.Errorf("Create without the effect record = %s, created %v, %v; want %s existing", got.Ref, created, err, first.Ref)
	}
	if diff := cmp.Diff([]handoff.EventKind{handoff.EventCreated}, kinds(t, e, first.Ref)); diff != "" {
		t.Errorf("history mismatch (-want +got):\n%s", diff)
	}
	all, _ := e.rdb.ZCard(t.Context(), e.prefix+":{handoff}:all").Result()
	if all != 1 {
		t.Errorf("referrals stored = %d, want 1", all)
	}
}

func TestCreateReferenceCollision(t *testing.T) {
	e := setup(t, handoff.Config{})
	taken := mustCreate(t, e, referralEffect(7, "run-a", resident()))

	// Another run whose reference happens to be the same.
	other := referralEffect(9, "run-z", careLeaver())
	other.Ref = taken.Ref
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		refs = map[string]int{}
		made int
	)
	for range 4 {
		wg.Go(func() {
			r, created, err := e.desk.CreateReporting(t.Context(), other)
			if err != nil {
				t.Errorf("Create: %v", err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			refs[r.Ref]++
			if created {
				made++
			}
		})
	}
	wg.Wait()
	if len(refs) != 1 || made != 1 {
		t.Fatalf("concurrent deliveries made %d referrals under %v; want one under one reference", made, refs)
	}
	var got string
	for ref := range refs {
		got = ref
	}
	if got == taken.Ref {
		t.Fatalf("collision kept the taken reference %s", got)
	}
	r, err := e.st.Referral(t.Context(), got)
	if err != nil {
		t.Fatal(err)
	}
	if r.User != 9 || r.Name != "Jo" || r.Team != handoff.TeamLeavingCare {
		t.Errorf("new referral = user %d %q %s, want user 9 Jo leaving_care", r.User, r.Name, r.Team)
	}
	first, err := e.st.Referral(t.Context(), taken.Ref)
	if err != nil || first.User != 7 || first.Name != "Sam" {
		t.Errorf("taken referral changed: %+v, %v", first, err)
	}
}

func TestCreateRefusesBadEffect(t *testing.T) {
	e := setup(t, handoff.Config{})
	for _, eff := range []flows.Effect{{Key: "k"}, {User: 1}} {
		if _, _, err := e.desk.CreateReporting(t.Context(), eff); !errors.Is(err, handoff.ErrBadEffect) {
			t.Errorf("Create(%+v) error = %v, want ErrBadEffect", eff, err)
		}
	}
}

func TestFlag(t *testing.T) {
	urgent := func(user int64, run string, consent bool, text string) flows.Effect {
		eff := flows.Effect{Kind: flows.EffectUrgent, Key: run + ":urgent:3", User: user, Run: run, Consent: consent}
		if consent {
			eff.Ref, eff.Text, eff.Answers = flows.Ref(run), text, map[string]string{"name": "Sam", "age": "26-49"}
		}
		return eff
	}
	t.Run("no consent makes an anonymous urgent case", func(t *testing.T) {
		e := setup(t, handoff.Config{})
		r, created, err := e.desk.FlagReporting(t.Context(), urgent(5, "run-u", false, ""))
		if err != nil || !created {
			t.Fatalf("Flag = created %v, %v", created, err)
		}
		fields, err := e.rdb.HGetAll(t.Context(), e.prefix+":{r:"+r.Ref+"}:referral").Result()
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"ref": r.Ref, "run": "run-u", "effects": `["run-u:urgent:3"]`, "user": "5", "team": "link_workers",
			"status": "new", "urgent": "1", "created": ms(start), "next_reminder": ms(start.Add(15 * time.Minute)),
			"priority": "urgent", "reasons": "crisis_words", "channel": "telegram", "person": r.Person,
		}
		if diff := cmp.Diff(want, fields); diff != "" {
			t.Errorf("stored fields mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("consent and an open case marks that case urgent", func(t *testing.T) {
		e := setup(t, handoff.Config{})
		open := mustCreate(t, e, referralEffect(5, "run-a", resident()))
		e.clk.Advance(time.Hour)
		eff := urgent(5, "run-b", true, "I can't go on")
		for range 2 {
			r, created, err := e.desk.FlagReporting(t.Context(), eff)
			if err != nil || created || r.Ref != open.Ref {
				t.Fatalf("Flag = %s created %v, %v; want %s existing", r.Ref, created, err, open.Ref)
			}
			if !r.Urgent || r.UrgentText != "I can't go on" {
				t.Errorf("Flag: urgent %v text %q", r.Urgent, r.UrgentText)
			}
			if want := start.Add(time.Hour + 15*time.Minute); !r.NextReminder.Equal(want) {
				t.Errorf("next reminder %v, want %v", r.NextReminder, want)
			}
		}
		want := []handoff.EventKind{handoff.EventCreated, handoff.EventUrgent}
		if diff := cmp.Diff(want, kinds(t, e, open.Ref)); diff != "" {
			t.Errorf("history mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("urgent case mid-conversation is completed by the referral", func(t *testing.T) {
		e := setup(t, handoff.Config{})
		u, created, err := e.desk.FlagReporting(t.Context(), urgent(5, "run-a", true, "help"))
		if err != nil || !created || u.Ref != flows.Ref("run-a") {
			t.Fatalf("Flag = %s created %v, %v", u.Ref, created, err)
		}
		r, created, err := e.desk.CreateReporting(t.Context(), referralEffect(5, "run-a", resident()))
		if err != nil || created || r.Ref != u.Ref {
			t.Fatalf("Create = %s created %v, %v; want %s completed", r.Ref, created, err, u.Ref)
		}
		if !r.Urgent || r.WhatMatters == "" || r.Contact.Phone != "07700 900123" || len(r.Effects) != 2 {
			t.Errorf("completed referral = %+v", r)
		}
	})
}

// ms is a time as the store writes it.
func ms(t time.Time) string { return itoa(t.UnixMilli()) }
