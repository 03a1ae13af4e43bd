package safetycase

import (
	"context"
	"log/slog"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"signpost/content"
	"signpost/content/risk"
	"signpost/flows"
	"signpost/handoff"
	"signpost/internal/redistest"
	"signpost/scheduler"
	"signpost/store"
)

// Promises: each test here reads a message that promises something beside
// the behaviour it describes, and fails when they disagree.

func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }

// crisisWords are words that must raise an urgent flag wherever they are typed.
const crisisWords = "I want to die"

var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func bundle(t testing.TB) *content.Bundle {
	t.Helper()
	b, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// said is the message key as the person reads it: its facts filled in, and
// any other {variable} standing for whatever the conversation fills in.
func said(b *content.Bundle, key string) *regexp.Regexp {
	text := content.Expand(b.Text(b.DefaultLang, key), b.Fact)
	var re strings.Builder
	last := 0
	for _, m := range placeholder.FindAllStringIndex(text, -1) {
		re.WriteString(regexp.QuoteMeta(text[last:m[0]]) + ".+?")
		last = m[1]
	}
	re.WriteString(regexp.QuoteMeta(text[last:]))
	return regexp.MustCompile("(?s)^" + re.String() + "$")
}

var placeholder = regexp.MustCompile(`\{[a-z_][a-z0-9_]*\}`)

// step is one Step of a conversation: what was sent and what it set in motion.
type step struct {
	node string // the question it answered
	out  []flows.Out
}

func (s step) says(text *regexp.Regexp) bool {
	for _, o := range s.out {
		if o.Kind == flows.OutMessage && text.MatchString(o.Text) {
			return true
		}
	}
	return false
}

func (s step) effect(kind string) *flows.Effect {
	for _, o := range s.out {
		if o.Kind == flows.OutEffect && o.Effect.Kind == kind {
			return o.Effect
		}
	}
	return nil
}

// converse walks the self-referral from a first "hi" to its end, answering
// each question with want[var] (an option's value) where given and a plain
// answer otherwise, and types the crisis words once at the question
// crisisAt. It returns every step.
func converse(t *testing.T, b *content.Bundle, want map[string]string, crisisAt string) []step {
	t.Helper()
	s := flows.Session{User: 7}
	var steps []step
	apply := func(node, text string) {
		ev := flows.Event{Kind: flows.EventText, Text: text, Nonce: "run" + strconv.Itoa(len(steps)) + "xxxxx"}
		res := flows.Step(b, s, ev, now)
		s = res.Session
		steps = append(steps, step{node: node, out: res.Out})
	}
	apply("", "hi")
	flow := b.Main()
	for i := 0; s.Active(); i++ {
		if i > 100 {
			t.Fatalf("the conversation did not end; stuck at %q", s.Node)
		}
		n := flow.Node(s.Node)
		if n.ID == crisisAt {
			apply(n.ID, crisisWords)
			crisisAt = ""
			continue
		}
		apply(n.ID, answer(t, b, n, s, want))
	}
	return steps
}

// answer is what the person types at question n.
func answer(t *testing.T, b *content.Bundle, n *content.Node, s flows.Session, want map[string]string) string {
	switch n.Kind {
	case content.KindChoice:
		for i, o := range n.Options {
			if o.Value == want[n.Var] {
				return strconv.Itoa(i + 1)
			}
		}
		return "1"
	case content.KindMulti:
		if len(s.Picked) > 0 {
			return b.Text(b.DefaultLang, "done")
		}
		return "1"
	case content.KindScale:
		return strconv.Itoa((n.Min + n.Max) / 2)
	case content.KindText:
		if n.Optional {
			return b.Text(b.DefaultLang, "skip")
		}
		return "Sam"
	case content.KindSuggest:
		return b.Text(b.DefaultLang, "suggest_carry_on")
	}
	t.Fatalf("no answer for question %s of kind %s", n.ID, n.Kind)
	return ""
}

// every returns the steps that said text.
func every(steps []step, text *regexp.Regexp) []step {
	var out []step
	for _, s := range steps {
		if s.says(text) {
			out = append(out, s)
		}
	}
	return out
}

// anyEffect reports whether a step set kind in motion.
func anyEffect(steps []step, kind string) *flows.Effect {
	for _, s := range steps {
		if e := s.effect(kind); e != nil {
			return e
		}
	}
	return nil
}

// TestTheEndSaysWhatWasPassedOn: "we have not passed these answers to a
// link worker" is said only when nothing was; someone whose crisis words
// already sent their answers is told so; "we have sent your answers" is said
// in the same step, and so the same commit, as the referral it speaks of.
func TestTheEndSaysWhatWasPassedOn(t *testing.T) {
	b := bundle(t)
	yes := map[string]string{"consent": "yes", "age": "26-49", "contact": "yes", "contact_how": "telegram", "checkins": "no", "thoughts": "no"}
	no := map[string]string{"consent": "yes", "age": "26-49", "contact": "no", "checkins": "no", "thoughts": "no"}

	t.Run("no link worker, nothing flagged", func(t *testing.T) {
		steps := converse(t, b, no, "")
		if len(every(steps, said(b, "end_self"))) != 1 {
			t.Fatalf("the end was not end_self: %+v", steps[len(steps)-1].out)
		}
		for _, kind := range []string{flows.EffectUrgent, content.ActionReferral} {
			if anyEffect(steps, kind) != nil {
				t.Errorf("end_self says nothing was passed on, but the conversation set %s in motion", kind)
			}
		}
	})
	t.Run("no link worker, but crisis words on the way", func(t *testing.T) {
		steps := converse(t, b, no, "postcode")
		if len(every(steps, said(b, "end_self"))) != 0 {
			t.Fatal("told that nothing was passed on after an urgent flag sent their answers")
		}
		if len(every(steps, said(b, "end_self_flagged"))) != 1 {
			t.Fatalf("the end was not end_self_flagged: %+v", steps[len(steps)-1].out)
		}
		flag := anyEffect(steps, flows.EffectUrgent)
		if flag == nil || flag.Text != crisisWords || flag.Answers["name"] != "Sam" {
			t.Fatalf("end_self_flagged says their words and answers were passed on; the flag was %+v", flag)
		}
	})
	t.Run("a link worker", func(t *testing.T) {
		steps := converse(t, b, yes, "")
		ends := every(steps, said(b, "end_referral"))
		if len(ends) != 1 {
			t.Fatalf("the end was not end_referral: %+v", steps[len(steps)-1].out)
		}
		if ends[0].effect(content.ActionReferral) == nil {
			t.Error("end_referral was said without the referral in the same commit")
		}
	})
}

// TestFlaggedOnlyWhenTheWordsWent: after crisis words the person is told
// "they will see what you wrote" (crisis_flagged) only when their words went
// with the flag, and "we have not kept what you wrote" (crisis_unflagged)
// only when they did not; either way the link workers really are told: the
// flag makes a referral whose card is queued for the team.
func TestFlaggedOnlyWhenTheWordsWent(t *testing.T) {
	b := bundle(t)
	rdb, prefix := redistest.Setup(t)
	st := store.New(rdb, store.Config{Prefix: prefix})
	desk := handoff.New(st, handoff.NewAuthoriser(handoff.AuthConfig{}), handoff.Config{Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }})
	ctx := context.Background()

	tests := []struct {
		name     string
		crisisAt string // the question; "" for the very first message
		want     map[string]string
		flagged  bool
	}{
		{name: "first message", want: map[string]string{}},
		{name: "before consent", crisisAt: "consent", want: map[string]string{}},
		{name: "after consent", crisisAt: "what_matters", want: map[string]string{"consent": "yes", "age": "26-49", "thoughts": "no"}, flagged: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st step
			if tt.crisisAt == "" {
				res := flows.Step(b, flows.Session{User: int64(100 + i)}, flows.Event{Kind: flows.EventText, Text: crisisWords, Nonce: "firstxxx"}, now)
				st = step{out: res.Out}
			} else {
				steps := converse(t, b, tt.want, tt.crisisAt)
				for _, s := range steps {
					if s.node == tt.crisisAt {
						st = s
						break
					}
				}
			}
			flag := st.effect(flows.EffectUrgent)
			if flag == nil {
				t.Fatal("crisis words raised no urgent flag")
			}
			saysFlagged, saysUnflagged := st.says(said(b, "crisis_flagged")), st.says(said(b, "crisis_unflagged"))
			if saysFlagged != tt.flagged || saysUnflagged == tt.flagged {
				t.Fatalf("flagged %v: said crisis_flagged %v, crisis_unflagged %v", tt.flagged, saysFlagged, saysUnflagged)
			}
			if (flag.Text != "") != tt.flagged || (flag.Text != "" && !flag.Consent) {
				t.Fatalf("the flag carries %q (consent %v); the person was told their words went: %v", flag.Text, flag.Consent, tt.flagged)
			}
			eff := *flag
			eff.User = int64(100 + i) // one person a case
			r, ns, err := desk.Flag(ctx, eff)
			if err != nil {
				t.Fatal(err)
			}
			queued := false
			for _, n := range ns {
				queued = queued || (n.Kind == handoff.NoticeCard && n.Ref == r.Ref)
			}
			if !queued || !r.Urgent {
				t.Errorf("the person was told the link workers were told, but no urgent card was queued: %+v, %+v", r, ns)
			}
			if tt.flagged != (r.UrgentText == crisisWords) {
				t.Errorf("the referral holds %q; the person was told their words went: %v", r.UrgentText, tt.flagged)
			}
			if !tt.flagged && (r.Name != "" || r.WhatMatters != "") {
				t.Errorf("crisis_unflagged says nothing was kept, but the referral holds %+v", r)
			}
		})
	}
}

// TestPeriodsAreTheCodes: the periods the messages quote by default are the
// defaults of the code that keeps and deletes, and no message spells a
// period of its own instead of quoting one.
func TestPeriodsAreTheCodes(t *testing.T) {
	facts := content.DefaultFacts()
	want := map[string]string{
		"keep_idle":         strconv.Itoa(int(store.DefaultSessionTTL/(24*time.Hour))) + " days",
		"keep_closed":       handoff.DefaultRetainClosed.String(),
		"keep_anonymous":    handoff.DefaultRetainAnonymous.String(),
		"keep_checkins":     strconv.Itoa(scheduler.DefaultHistoryKeep),
		"keep_checkins_for": strconv.Itoa(int(scheduler.DefaultHistoryRetention/(24*time.Hour))) + " days",
	}
	for k, v := range want {
		if facts[k] != v {
			t.Errorf("content's default %s is %q; the code keeps for %q", k, facts[k], v)
		}
	}
	b := bundle(t)
	period := regexp.MustCompile(`\b\d+ (hour|day|week|month|year)s?\b`)
	for lang, msgs := range b.Messages {
		for key, text := range msgs {
			if m := period.FindString(text); m != "" {
				t.Errorf("%s %s says %q: quote a fact ({keep_idle}, ...) so that it follows the settings", lang, key, m)
			}
		}
	}
	for _, key := range []string{"privacy", "privacy" + content.ChannelSep + "web"} {
		text := b.Text(b.DefaultLang, key)
		for _, f := range []string{"keep_idle", "keep_closed", "keep_anonymous"} {
			if !strings.Contains(text, "{"+f+"}") {
				t.Errorf("%s does not say how long it keeps things ({%s})", key, f)
			}
		}
	}
}

// TestTelegramsCopyIsNamed: /forget erases what signpost holds, never the
// person's own Telegram chat, so the privacy message and the goodbye after
// /forget must not let anyone think the chat itself is gone.
func TestTelegramsCopyIsNamed(t *testing.T) {
	b := bundle(t)
	for _, key := range []string{"privacy", "forget_done"} {
		text := b.Text(b.DefaultLang, key)
		if !strings.Contains(text, "Telegram") || !strings.Contains(text, "delete") {
			t.Errorf("%s does not say that Telegram keeps the chat until the person deletes it:\n%s", key, text)
		}
	}
}

// TestAbuseResponseWarnsOfASharedPhone: someone telling of domestic abuse
// is warned that their phone or chats may be seen, and told how to remove
// this chat, before anything else could put them in more danger.
func TestAbuseResponseWarnsOfASharedPhone(t *testing.T) {
	b := bundle(t)
	for _, under17 := range []bool{false, true} {
		text := b.RiskResponse(b.DefaultLang, risk.DomesticAbuse, under17, nil)
		if !strings.Contains(text, "may be seen") || !strings.Contains(text, "delete this chat") {
			t.Errorf("the domestic abuse response (under 17: %v) does not warn that the phone may be seen:\n%s", under17, text)
		}
	}
}
