package handoff_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/flows"
	"signpost/handoff"
)

func TestForget(t *testing.T) {
	e := setup(t, handoff.Config{})
	ctx := t.Context()
	const person, other = 42, 43

	// One referral worked and closed, one still open, and someone else's.
	done := mustCreate(t, e, referralEffect(person, "run-1", resident()))
	if _, err := e.desk.SetCard(ctx, done.Ref, linkChat, 10); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(20 * time.Minute)
	if _, _, err := e.desk.Claim(ctx, done.Ref, ana); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(time.Hour)
	if _, _, err := e.desk.Message(ctx, done.Ref, ana, "Hello, it is your link worker"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Note(ctx, done.Ref, ana, "Sam said the bailiffs came on Monday"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.desk.Close(ctx, done.Ref, ana, handoff.OutcomeAdvice, "Sam will call Citizens Advice"); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(24 * time.Hour)
	open, _, err := e.desk.Flag(ctx, urgentConsented(person, "run-2", "I want to die"))
	if err != nil {
		t.Fatal(err)
	}
	kept := mustCreate(t, e, referralEffect(other, "run-3", resident()))

	e.clk.Advance(time.Hour)
	erasedAt := e.clk.Now()
	ns, err := e.desk.Forget(ctx, person)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sorted(done.Ref, open.Ref), erasedRefs(ns)); diff != "" {
		t.Errorf("Forget erased (-want +got):\n%s", diff)
	}
	for _, n := range ns {
		// The card posted is what there is to take down.
		if want := (n.Ref == done.Ref); want != (len(n.Posts) == 1 && n.Posts[0].Chat == linkChat && n.Posts[0].Message == 10) {
			t.Errorf("erasure of %s asks to take down %+v", n.Ref, n.Posts)
		}
	}
	// The person's own erasure runs after, and takes their index with it.
	if err := e.st.Forget(ctx, person); err != nil {
		t.Fatal(err)
	}

	hash := func(ref string) map[string]string {
		t.Helper()
		m, err := e.rdb.HGetAll(ctx, e.prefix+":{r:"+ref+"}:referral").Result()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	wantDone := map[string]string{
		"ref": done.Ref, "run": "run-1", "effects": `["run-1:referral"]`, "team": "link_workers",
		"status": "closed", "consent": "1", "needs": "money,lonely", "source": "gp_F86001",
		"created": ms(start), "posted": ms(start), "claimed": ms(start.Add(20 * time.Minute)),
		"holder_id": "101", "holder_name": "Ana", "first_contact": ms(start.Add(80 * time.Minute)),
		"closed": ms(start.Add(80 * time.Minute)), "outcome": "advice",
		"card_chat": itoa(linkChat), "card_message": "10", "erased": ms(erasedAt),
		"priority": "routine", "channel": "telegram",
		// What the figures need survives: the age band, the wellbeing
		// answers, and the anonymous key that counts the person once.
		"age": "26-49", "ons_life": "3", "ons_worth": "5", "ons_anxious": "7", "person": done.Person,
	}
	if done.Person == "" {
		t.Error("a referral has no anonymous person key")
	}
	if diff := cmp.Diff(wantDone, hash(done.Ref)); diff != "" {
		t.Errorf("erased referral in Redis (-want +got):\n%s", diff)
	}
	wantOpen := map[string]string{
		"ref": open.Ref, "run": "run-2", "effects": `["run-2:urgent:1"]`, "team": "link_workers",
		"status": "closed", "urgent": "1", "consent": "1", "created": ms(erasedAt.Add(-time.Hour)),
		"closed": ms(erasedAt), "erased": ms(erasedAt),
		"priority": "urgent", "reasons": "crisis_words", "channel": "telegram",
		"person": done.Person,
	}
	if diff := cmp.Diff(wantOpen, hash(open.Ref)); diff != "" {
		t.Errorf("erased open referral in Redis (-want +got):\n%s", diff)
	}
	for _, ref := range []string{done.Ref, open.Ref} {
		raw, err := e.rdb.LRange(ctx, e.prefix+":{r:"+ref+"}:history", 0, -1).Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range raw {
			if strings.Contains(v, `"x"`) {
				t.Errorf("%s history keeps a text: %s", ref, v)
			}
		}
		if last := raw[len(raw)-1]; !strings.Contains(last, `"k":"erased"`) {
			t.Errorf("%s history ends %s, want erased", ref, last)
		}
	}
	if n, _ := e.rdb.Exists(ctx, e.prefix+":{u:42}:referrals").Result(); n != 0 {
		t.Error("the person's index of referrals survived their erasure")
	}
	if got := hash(kept.Ref); got["name"] != "Sam" || got["user"] != itoa(other) {
		t.Errorf("another person's referral changed: %v", got)
	}
	if got := handoff.CardText(mustReferral(t, e, done.Ref)); !strings.Contains(got, handoff.ErasedWords) || strings.Contains(got, "Sam") {
		t.Errorf("erased card:\n%s", got)
	}
	if rs, _ := e.desk.Queue(ctx, handoff.TeamLinkWorkers, ana); len(rs) != 1 || rs[0].Ref != kept.Ref {
		t.Errorf("queue after erasure = %v, want only %s", rs, kept.Ref)
	}
	if _, _, err := e.desk.Note(ctx, done.Ref, ana, "x"); err == nil {
		t.Error("a note was added to an erased referral")
	}

	// The figures count every referral, and the erased person once.
	recs := records(t, e, start, start.Add(7*24*time.Hour))
	if len(recs) != 3 {
		t.Fatalf("%d records after erasure, want 3", len(recs))
	}
	people := map[string]bool{}
	outcomes := map[string]int{}
	for _, r := range recs {
		people[r.Person] = true
		outcomes[r.Outcome]++
	}
	if len(people) != 2 || outcomes["advice"] != 1 || outcomes[handoff.OutcomeErased] != 1 {
		t.Errorf("records after erasure: %d people, outcomes %v", len(people), outcomes)
	}
}

func TestForgetAfterTheIndexIsGone(t *testing.T) {
	e := setup(t, handoff.Config{})
	r := mustCreate(t, e, referralEffect(42, "run-1", resident()))
	mustCreate(t, e, referralEffect(43, "run-2", resident()))
	if err := e.st.Forget(t.Context(), 42); err != nil {
		t.Fatal(err)
	}
	ns, err := e.desk.Forget(t.Context(), 42)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{r.Ref}, erasedRefs(ns)); diff != "" {
		t.Errorf("Forget by owner (-want +got):\n%s", diff)
	}
	if got := mustReferral(t, e, r.Ref); got.Name != "" || got.User != 0 || !got.IsErased() {
		t.Errorf("referral not erased: %+v", got)
	}
}

func urgentConsented(user int64, run, text string) flows.Effect {
	eff := urgentEffect(user, run)
	eff.Consent, eff.Text, eff.Answers = true, text, map[string]string{"name": "Sam"}
	return eff
}

func mustReferral(t testing.TB, e env, ref string) handoff.Referral {
	t.Helper()
	r, err := e.st.Referral(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sorted(refs ...string) []string {
	out := append([]string(nil), refs...)
	slices.Sort(out)
	return out
}

// erasedRefs lists the references Forget asks to take down.
func erasedRefs(ns handoff.Notices) []string {
	var out []string
	for _, n := range ns {
		if n.Kind == handoff.NoticeErased {
			out = append(out, n.Ref)
		}
	}
	return out
}
