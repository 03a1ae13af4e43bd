package handoff_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/handoff"
	"signpost/scheduler"
)

func refsOf(ss []handoff.Summary) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Ref)
	}
	return out
}

func TestCasesOrderAndFilters(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	old := mustCreate(t, e, referralEffect(1, "run-1", resident()))
	e.clk.Advance(time.Minute)
	leaver := mustCreate(t, e, referralEffect(2, "run-2", careLeaver()))
	e.clk.Advance(time.Minute)
	newer := mustCreate(t, e, referralEffect(3, "run-3", resident()))
	e.clk.Advance(time.Minute)
	urgent, _, err := e.desk.Flag(ctx, urgentEffect(4, "run-4"))
	if err != nil {
		t.Fatal(err)
	}
	closed := mustCreate(t, e, referralEffect(5, "run-5", resident()))
	if _, _, err := e.desk.Close(ctx, closed.Ref, ana, handoff.OutcomeAdvice, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Claim(ctx, newer.Ref, ben); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		f    handoff.Filter
		want []string
	}{
		{"all open, urgent first then oldest", handoff.Filter{}, []string{urgent.Ref, old.Ref, leaver.Ref, newer.Ref}},
		{"one team", handoff.Filter{Team: handoff.TeamLeavingCare}, []string{leaver.Ref}},
		{"claimed", handoff.Filter{Status: handoff.StatusClaimed}, []string{newer.Ref}},
		{"a need", handoff.Filter{Need: "befriending"}, []string{leaver.Ref}},
		{"a source", handoff.Filter{Source: "gp"}, []string{old.Ref, newer.Ref}},
		{"nothing matches", handoff.Filter{Need: "gardening"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := e.desk.Cases(ctx, ana, tt.f, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, refsOf(got)); diff != "" || total != len(tt.want) {
				t.Errorf("Cases (-want +got):\n%s total %d", diff, total)
			}
			// A page at a time, in the same order.
			var paged []string
			for off := 0; off < len(tt.want); off++ {
				p, _, err := e.desk.Cases(ctx, ana, tt.f, off, 1)
				if err != nil || len(p) != 1 {
					t.Fatalf("page %d: %v %v", off, p, err)
				}
				paged = append(paged, p[0].Ref)
			}
			if diff := cmp.Diff(tt.want, paged); diff != "" {
				t.Errorf("Cases a page at a time (-want +got):\n%s", diff)
			}
		})
	}
	all, _, _ := e.desk.Cases(ctx, ana, handoff.Filter{}, 0, 50)
	if s := all[3]; s.Name != "Sam" || s.Holder != ben || s.Status != handoff.StatusClaimed || s.Priority != handoff.PriorityRoutine {
		t.Errorf("summary of a claimed case: %+v", s)
	}
}

func TestSearch(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	sam := mustCreate(t, e, referralEffect(1, "run-1", resident()))
	jo := mustCreate(t, e, referralEffect(2, "run-2", careLeaver()))
	other := resident()
	other["name"], other["postcode"] = "Samira", "e4"
	samira := mustCreate(t, e, referralEffect(3, "run-3", other))
	tests := []struct {
		q    string
		want []string
	}{
		{sam.Ref, []string{sam.Ref}},
		{strings.ToLower(jo.Ref), []string{jo.Ref}},
		{"sam", []string{samira.Ref, sam.Ref}},
		{"E17", []string{sam.Ref}},
		{"e4", []string{samira.Ref}},
		{"Jo", []string{jo.Ref}},
		{"R-ZZZZZ", nil},
		{"nobody", nil},
		{"  ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got, err := e.desk.Search(ctx, ana, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, refsOf(got)); diff != "" {
				t.Errorf("Search(%q) (-want +got):\n%s", tt.q, diff)
			}
		})
	}
	// An erased person is no longer found by name.
	if _, err := e.desk.Forget(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.desk.Search(ctx, ana, "Sam"); !cmp.Equal(refsOf(got), []string{samira.Ref}) {
		t.Errorf("after erasure, Search(Sam) = %v", refsOf(got))
	}
}

func TestMessageAndDelivery(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	r := mustCreate(t, e, referralEffect(7, "run-a", resident()))
	if _, _, err := e.desk.Message(ctx, r.Ref, ana, "hello"); !errors.Is(err, handoff.ErrNotClaimed) {
		t.Errorf("a message before a claim: %v", err)
	}
	if _, _, err := e.desk.Claim(ctx, r.Ref, ana); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Message(ctx, r.Ref, ana, "   "); !errors.Is(err, handoff.ErrEmpty) {
		t.Errorf("an empty message: %v", err)
	}
	_, ns, err := e.desk.Message(ctx, r.Ref, ana, " See you Tuesday ")
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 2 || ns[0].Kind != handoff.NoticePerson || ns[0].User != 7 || ns[0].ID == "" ||
		ns[0].Text != "Your link worker Ana says:\nSee you Tuesday" || ns[1].Kind != handoff.NoticeCard {
		t.Fatalf("Message notices: %+v", ns)
	}
	id := ns[0].ID

	got, err := e.desk.Delivered(ctx, r.Ref, id, handoff.DeliveryBlocked)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Kind != handoff.NoticeTeam || !strings.Contains(got[0].Text, "blocked the bot") || strings.Contains(got[0].Text, "Tuesday") {
		t.Errorf("a message to a person who blocked the bot: %+v", got)
	}
	if again, _ := e.desk.Delivered(ctx, r.Ref, id, handoff.DeliveryBlocked); len(again) != 0 {
		t.Errorf("the same receipt twice told the team again: %+v", again)
	}
	if none, _ := e.desk.Delivered(ctx, r.Ref, "m-unknown", handoff.DeliverySent); len(none) != 0 {
		t.Errorf("a receipt of no message of the case: %+v", none)
	}
	h, _ := e.st.History(ctx, r.Ref)
	last := h[len(h)-1]
	if last.Kind != handoff.EventDelivery || last.ID != id || last.Delivery != handoff.DeliveryBlocked || last.Actor != ana {
		t.Errorf("delivery event: %+v", last)
	}
}

func TestFromPersonAndEndContact(t *testing.T) {
	busy := false
	e := setup(t, handoff.Config{InConversation: func(context.Context, int64) (bool, error) { return busy, nil }})
	ctx := t.Context()
	r := mustCreate(t, e, referralEffect(7, "run-a", resident()))
	if ok, _, err := e.desk.FromPerson(ctx, 7, 0, "hello?"); ok || err != nil {
		t.Errorf("a message to an unclaimed case was relayed: %v %v", ok, err)
	}
	if _, _, err := e.desk.Claim(ctx, r.Ref, ana); err != nil {
		t.Fatal(err)
	}
	busy = true
	if ok, _, err := e.desk.FromPerson(ctx, 7, 0, "hello?"); ok || err != nil {
		t.Errorf("a message mid-conversation was relayed: %v %v", ok, err)
	}
	busy = false
	if ok, _, err := e.desk.FromPerson(ctx, 8, 0, "hello?"); ok || err != nil {
		t.Errorf("someone with no case was relayed: %v %v", ok, err)
	}

	ns, err := e.desk.EndContact(ctx, 7, "en", handoff.ChannelTelegram)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []handoff.NoticeKind
	for _, n := range ns {
		kinds = append(kinds, n.Kind)
	}
	if diff := cmp.Diff([]handoff.NoticeKind{handoff.NoticeCard, handoff.NoticeTeam, handoff.NoticePerson}, kinds); diff != "" {
		t.Errorf("EndContact notices (-want +got):\n%s", diff)
	}
	if ns[2].Key != handoff.KeyContactEnded || ns[2].User != 7 {
		t.Errorf("the person is told: %+v", ns[2])
	}
	if got := mustReferral(t, e, r.Ref); got.Status != handoff.StatusClosed || got.Outcome != handoff.OutcomeNotNeeded {
		t.Errorf("after EndContact: %+v", got)
	}
	ns, err = e.desk.EndContact(ctx, 7, "en", handoff.ChannelTelegram)
	if err != nil || len(ns) != 1 || ns[0].Key != handoff.KeyNoCase {
		t.Errorf("EndContact with nothing to end: %+v, %v", ns, err)
	}
}

func TestCheckinFlagger(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	var delivered handoff.Notices
	f := &handoff.CheckinFlagger{
		Desk: e.desk,
		Profile: func(context.Context, int64) (map[string]string, error) {
			return map[string]string{"lang": "en", "care_leaver": "yes", "age": "17-25", "source": "pa"}, nil
		},
		Deliver: func(_ context.Context, ns handoff.Notices) error { delivered = append(delivered, ns...); return nil },
	}
	at := start.Add(-time.Hour)
	talk := scheduler.Flag{Key: "ci:9:1:talk", Reason: scheduler.TriggerTalk, At: at, Text: "rough week"}
	if err := f.Flag(ctx, 9, talk); err != nil {
		t.Fatal(err)
	}
	ref, ok, err := e.desk.OpenCaseOf(ctx, 9)
	if err != nil || !ok {
		t.Fatalf("no case after a check-in flag: %v", err)
	}
	r := mustReferral(t, e, ref)
	if r.Team != handoff.TeamLeavingCare || handoff.PriorityOf(r) != handoff.PriorityHigh || r.Urgent ||
		!cmp.Equal(r.Reasons, []handoff.Reason{handoff.ReasonCheckinTalk}) || r.UrgentText != "rough week" {
		t.Errorf("referral from a check-in flag: %+v", r)
	}
	if len(delivered) != 1 || delivered[0].Kind != handoff.NoticeCard {
		t.Errorf("first flag delivered %+v, want the card", delivered)
	}
	if _, err := e.desk.SetCard(ctx, ref, linkChat, 5); err != nil {
		t.Fatal(err)
	}
	// The same flag again changes nothing on the case and, being high rather
	// than urgent, does not alert again: its card says it. Another flag is
	// added and alerts.
	delivered = nil
	if err := f.Flag(ctx, 9, talk); err != nil {
		t.Fatal(err)
	}
	lonely := scheduler.Flag{Key: "ci:9:2:lonely", Reason: scheduler.TriggerLonely, At: at.Add(time.Hour)}
	if err := f.Flag(ctx, 9, lonely); err != nil {
		t.Fatal(err)
	}
	r = mustReferral(t, e, ref)
	if !cmp.Equal(r.Reasons, []handoff.Reason{handoff.ReasonCheckinTalk, handoff.ReasonCheckinLonely}) {
		t.Errorf("reasons after two flags: %v", r.Reasons)
	}
	var alerts int
	for _, n := range delivered {
		if n.Kind == handoff.NoticeAlert {
			alerts++
		}
	}
	if alerts != 1 {
		t.Errorf("%d alerts after a repeated and a new flag, want 1: %+v", alerts, delivered)
	}
	if got := kinds(t, e, ref); len(got) != 3 || got[2] != handoff.EventFlagged {
		t.Errorf("history: %v", got)
	}
}

func TestWorkersKnown(t *testing.T) {
	e := setupAuth(t, handoff.Config{}, handoff.AuthConfig{LinkWorkers: []int64{ana.ID, ben.ID}, LeavingCare: []int64{cat.ID}, SeparateLeavingCare: true})
	ctx := t.Context()
	for _, w := range []struct {
		w handoff.Worker
		u string
	}{{ana, "Ana_LW"}, {ben, ""}, {cat, "cat_lc"}, {eve, "eve"}} {
		if err := e.desk.SeeWorker(ctx, w.w, w.u); err != nil {
			t.Fatal(err)
		}
	}
	if w, ok, err := e.desk.WorkerByHandle(ctx, "@ana_lw"); err != nil || !ok || w != ana {
		t.Errorf("WorkerByHandle(@ana_lw) = %v %v %v", w, ok, err)
	}
	if _, ok, _ := e.desk.WorkerByHandle(ctx, "@eve"); ok {
		t.Error("a stranger was kept as a worker")
	}
	ks, err := e.desk.Colleagues(ctx, ana, handoff.TeamLinkWorkers)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, k := range ks {
		names = append(names, k.Name)
	}
	if diff := cmp.Diff([]string{"Ana", "Ben Jones"}, names); diff != "" {
		t.Errorf("colleagues (-want +got):\n%s", diff)
	}
	if _, err := e.desk.Colleagues(ctx, ana, handoff.TeamLeavingCare); !errors.Is(err, handoff.ErrNotAuthorised) {
		t.Errorf("a link worker listed the leaving-care team: %v", err)
	}
	// Seen again with no @username, the one known is kept.
	if err := e.desk.SeeWorker(ctx, handoff.Worker{ID: ana.ID, Name: "Ana Price"}, ""); err != nil {
		t.Fatal(err)
	}
	if w, ok, _ := e.desk.WorkerByHandle(ctx, "ana_lw"); !ok || w.Name != "Ana Price" {
		t.Errorf("after a change of name: %v %v", w, ok)
	}
}

func TestAuditTrail(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	r := mustCreate(t, e, referralEffect(7, "run-a", resident()))
	console := handoff.WithVia(ctx, "console")
	if _, _, err := e.desk.Claim(console, r.Ref, ana); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.Case(console, r.Ref, ben); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Note(handoff.WithVia(ctx, "telegram"), r.Ref, ana, "called"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.desk.Case(ctx, r.Ref, eve); err == nil {
		t.Fatal("a stranger opened the case")
	}
	if _, err := e.desk.Forget(ctx, 7); err != nil {
		t.Fatal(err)
	}
	c, err := e.desk.Case(console, r.Ref, cat)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range c.Audit {
		got = append(got, a.Worker.Name+" "+string(a.Action)+" "+a.Via)
	}
	want := []string{"Ana claimed console", "Ben Jones viewed console", "Ana noted telegram", "Cat viewed console"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit trail, after the person's erasure too (-want +got):\n%s", diff)
	}
}

func TestFollowUp(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	r := mustCreate(t, e, referralEffect(7, "run-a", resident()))
	answers := func(key string) handoff.Notices {
		t.Helper()
		eff := referralEffect(7, "run-f", map[string]string{"ons_life": "6", "ons_worth": "7", "ons_happy": "", "ons_anxious": "3"})
		eff.Kind, eff.Key = "record_follow_up", key
		_, ns, err := e.desk.RecordFollowUp(ctx, eff)
		if err != nil {
			t.Fatal(err)
		}
		return ns
	}
	answers("run-0:record")
	if got := mustReferral(t, e, r.Ref); !got.FollowUpAt.IsZero() {
		t.Error("answers nobody asked for were kept")
	}
	_, ns, err := e.desk.AskFollowUp(ctx, r.Ref, ana)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || ns[0].Kind != handoff.NoticeFollowUp || ns[0].User != 7 {
		t.Fatalf("AskFollowUp notices: %+v", ns)
	}
	e.clk.Advance(time.Hour)
	answers("run-f:record")
	answers("run-f:record")
	got := mustReferral(t, e, r.Ref)
	want := handoff.ONS4{Life: 6, Worth: 7, Happy: handoff.Unanswered, Anxious: 3}
	if got.FollowUp != want || !got.FollowUpAt.Equal(e.clk.Now()) {
		t.Errorf("follow-up kept: %+v at %v", got.FollowUp, got.FollowUpAt)
	}
	if n := strings.Count(strings.Join(eventKinds(t, e, r.Ref), " "), string(handoff.EventFollowUpAnswered)); n != 1 {
		t.Errorf("%d follow-up answers recorded, want 1", n)
	}
	noConsent, _, err := e.desk.Flag(ctx, urgentEffect(8, "run-u"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.AskFollowUp(ctx, noConsent.Ref, ana); !errors.Is(err, handoff.ErrNoConsent) {
		t.Errorf("follow-up of someone who kept nothing: %v", err)
	}
}

func eventKinds(t testing.TB, e env, ref string) []string {
	var out []string
	for _, k := range kinds(t, e, ref) {
		out = append(out, string(k))
	}
	return out
}
