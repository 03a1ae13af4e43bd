package handoff_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"signpost/handoff"
)

// sample is a referral as a resident's conversation makes it.
func sample() handoff.Referral {
	return handoff.Referral{
		Ref: "R-7K3QX", Team: handoff.TeamLinkWorkers, Status: handoff.StatusNew, Consent: true,
		Name: "Sam", Age: "26-49", WhatMatters: "Getting out of the flat more",
		Needs: []string{"money", "lonely"}, MoneyUrgent: "yes", Source: "gp_F86001",
		ONS:      handoff.ONS4{Life: 3, Worth: 5, Happy: handoff.Unanswered, Anxious: 7},
		Postcode: "E17", Contact: handoff.Contact{Wanted: true, How: "phone", Phone: "07700 900123", When: "morning"},
		Created: start,
	}
}

func TestCardText(t *testing.T) {
	head := "R-7K3QX · Link workers\n" +
		"Priority: routine\n" +
		"Needs: Money and debt (urgent), Feeling lonely\n\n"
	tests := []struct {
		name string
		edit func(*handoff.Referral)
		want string
	}{
		{"new", func(*handoff.Referral) {}, head + "Waiting for someone to claim it"},
		{"urgent and claimed", func(r *handoff.Referral) {
			r.Urgent, r.Priority, r.Reasons = true, handoff.PriorityUrgent, []handoff.Reason{handoff.ReasonCrisisWords, handoff.ReasonCheckinTalk}
			r.Status, r.Holder = handoff.StatusClaimed, ana
		}, "URGENT R-7K3QX · Link workers\nPriority: urgent (crisis words; asked at a check-in to talk to someone)\n" +
			"Needs: Money and debt (urgent), Feeling lonely\n\nClaimed by Ana"},
		{"closed", func(r *handoff.Referral) {
			r.Status, r.Outcome = handoff.StatusClosed, handoff.OutcomeAdvice
		}, head + "Closed: Advice given"},
		{"closed with an outcome a council added", func(r *handoff.Referral) {
			r.Status, r.Outcome = handoff.StatusClosed, "moved_away"
		}, head + "Closed: Moved away"},
		{"web chat", func(r *handoff.Referral) { r.Channel = handoff.ChannelWeb },
			"R-7K3QX · Link workers\nPriority: routine\nNeeds: Money and debt (urgent), Feeling lonely\nCame through the web chat\n\nWaiting for someone to claim it"},
		{"erased", func(r *handoff.Referral) {
			*r = handoff.Referral{Ref: r.Ref, Team: r.Team, Needs: r.Needs, Erased: start}
		},
			"R-7K3QX · Link workers\nPriority: routine\nNeeds: Money and debt, Feeling lonely\n\nThis person has asked for their data to be erased"},
		{"anonymous urgent flag", func(r *handoff.Referral) {
			*r = handoff.Referral{Ref: r.Ref, Team: r.Team, Status: handoff.StatusNew, Urgent: true, User: 5, ONS: handoff.NoONS4,
				Priority: handoff.PriorityUrgent, Reasons: []handoff.Reason{handoff.ReasonCrisisWords}}
		}, "URGENT R-7K3QX · Link workers\nPriority: urgent (crisis words)\nThe person has not agreed to share anything else.\n\nWaiting for someone to claim it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sample()
			tt.edit(&r)
			got := handoff.CardText(r)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CardText mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCardHoldsNothingPersonal: whatever the person told us, the card the
// whole group reads holds none of it: no name, age, words, contact, postcode
// or score.
func TestCardHoldsNothingPersonal(t *testing.T) {
	r := sample()
	r.CareLeaver, r.UrgentText, r.Urgent = "yes", "I cannot cope any more", true
	r.FollowUp = handoff.ONS4{Life: 9, Worth: 9, Happy: 9, Anxious: 1}
	r.Status, r.Holder = handoff.StatusInContact, ana
	card := handoff.CardText(r)
	for _, private := range []string{"Sam", "26 to 49", "Getting out", "cannot cope", "07700", "E17", "mornings",
		"Wellbeing", "life 3", "anxious", "Care leaver", "F86001", "GP"} {
		if strings.Contains(card, private) {
			t.Errorf("the card shows %q:\n%s", private, card)
		}
	}
	detail := handoff.DetailText(r)
	for _, want := range []string{"Sam, 26 to 49", "Care leaver", "What matters: Getting out of the flat more",
		"They wrote: I cannot cope any more", "Contact: By phone on 07700 900123, mornings", "Heard from: GP or surgery (F86001)",
		"Wellbeing (ONS4, 0-10): life 3 (low), worthwhile 5 (medium), anxious 7 (high)", "Follow-up wellbeing", "Area: E17"} {
		if !strings.Contains(detail, want) {
			t.Errorf("the case detail lacks %q:\n%s", want, detail)
		}
	}
}

func TestTextsFitTelegram(t *testing.T) {
	r := sample()
	r.WhatMatters = strings.Repeat("😀 long words ", 2000)
	r.UrgentText = strings.Repeat("x", 9000)
	r.Status, r.Holder = handoff.StatusInContact, ana
	card := handoff.CardText(r) + handoff.DetailText(r)
	if n := len(utf16.Encode([]rune(card))); n > handoff.MaxText {
		t.Errorf("card is %d UTF-16 units, over %d", n, handoff.MaxText)
	}
	e := setup(t, handoff.Config{})
	var h []handoff.Event
	for i := range 400 {
		h = append(h, handoff.Event{At: start.Add(time.Duration(i) * time.Minute), Kind: handoff.EventNote, Actor: ana, Text: "called, no answer"})
	}
	c := e.desk.CaseText(handoff.CaseFile{Referral: r, History: h})
	if n := len(utf16.Encode([]rune(c))); n > handoff.MaxText {
		t.Errorf("case is %d UTF-16 units, over %d", n, handoff.MaxText)
	}
	if !strings.Contains(c, "earlier entries") || !strings.HasSuffix(c, "Mon 2 Mar 16:09 note by Ana: called, no answer") {
		t.Errorf("case does not end with the newest entry:\n…%s", c[len(c)-200:])
	}
}

func TestListTexts(t *testing.T) {
	e := setup(t, handoff.Config{})
	a, b := sample(), sample()
	b.Ref, b.Urgent, b.Name, b.Needs = "R-22222", true, "", []string{"housing"}
	got := e.desk.QueueText(handoff.TeamLinkWorkers, []handoff.Referral{b, a})
	want := "Waiting for the link workers (2), most pressing first:\n" +
		"URGENT R-22222 · since Mon 2 Mar 09:30 · Housing\n" +
		"R-7K3QX · since Mon 2 Mar 09:30 · Money and debt, Feeling lonely"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("QueueText (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("Nothing waiting for the leaving-care team.", e.desk.QueueText(handoff.TeamLeavingCare, nil)); diff != "" {
		t.Errorf("empty QueueText (-want +got):\n%s", diff)
	}
	a.Status, a.Holder, a.Claimed = handoff.StatusClaimed, ana, start.Add(time.Hour)
	b.Status = handoff.StatusInContact
	got = e.desk.MineText([]handoff.Referral{a, b})
	want = "Your open referrals (2):\n" +
		"R-7K3QX · claimed Mon 2 Mar 10:30 · Money and debt, Feeling lonely\n" +
		"URGENT R-22222 · in contact · Housing"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MineText (-want +got):\n%s", diff)
	}
}

func TestStatusText(t *testing.T) {
	tests := []struct {
		name string
		edit func(*handoff.Referral)
		want string
	}{
		{"new, not yet in the team's group", func(*handoff.Referral) {},
			"We have your referral and are passing it to our link workers. Your reference is R-7K3QX. If you feel unsafe while you wait, call Samaritans on 116 123 or text SHOUT to 85258."},
		{"new", func(r *handoff.Referral) { r.Posted = start },
			"Your referral has reached our link workers. Your reference is R-7K3QX. Someone will pick it up as soon as they can. They work on weekdays, so it may take a little longer at the weekend."},
		{"claimed", func(r *handoff.Referral) { r.Status, r.Holder = handoff.StatusClaimed, ben },
			"Ben from our link workers is looking after your referral. Your reference is R-7K3QX. They will get in touch by phone."},
		{"in contact, leaving care", func(r *handoff.Referral) {
			r.Status, r.Holder, r.Team = handoff.StatusInContact, ana, handoff.TeamLeavingCare
		}, "You are in touch with Ana from the leaving-care team. Your reference is R-7K3QX. You can write to them here at any time."},
		{"closed", func(r *handoff.Referral) { r.Status = handoff.StatusClosed },
			"Your referral R-7K3QX is now closed. Thank you for talking with us. If you would like help again, send /start."},
		{"anonymous urgent flag, not yet in the group", func(r *handoff.Referral) { r.Consent = false },
			"We are letting our link workers know that you may need help. If you are in danger now, call 999."},
		{"anonymous urgent flag", func(r *handoff.Referral) { r.Consent, r.Posted = false, start },
			"We have let our link workers know that you may need help. If you are in danger now, call 999."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sample()
			tt.edit(&r)
			if diff := cmp.Diff(tt.want, handoff.StatusText(&r)); diff != "" {
				t.Errorf("StatusText (-want +got):\n%s", diff)
			}
		})
	}
	if got := handoff.StatusText(nil); !strings.Contains(got, "do not have a referral") {
		t.Errorf("StatusText(nil) = %q", got)
	}
	if diff := cmp.Diff("Your link worker Ben says:\nSee you Tuesday", handoff.FromWorker(ben, " See you Tuesday ")); diff != "" {
		t.Errorf("FromWorker (-want +got):\n%s", diff)
	}
}

func TestStatus(t *testing.T) {
	e := setup(t, handoff.Config{})
	status := func() string {
		t.Helper()
		ns, err := e.desk.Status(t.Context(), 7, "en", handoff.ChannelTelegram)
		if err != nil || len(ns) != 1 || ns[0].Kind != handoff.NoticePerson || ns[0].User != 7 {
			t.Fatalf("Status = %+v, %v; want one message for the person", ns, err)
		}
		return ns[0].Text
	}
	if got := status(); !strings.Contains(got, "do not have a referral") {
		t.Errorf("Status with none = %q", got)
	}
	r := mustCreate(t, e, referralEffect(7, "run-a", resident()))
	if _, _, err := e.desk.Claim(t.Context(), r.Ref, ana); err != nil {
		t.Fatal(err)
	}
	if got := status(); !strings.HasPrefix(got, "Ana from our link workers is looking after your referral") {
		t.Errorf("Status = %q", got)
	}
}
