package flows_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/content"
	"signpost/content/risk"
	"signpost/flows"
	"signpost/internal/risktest"
)

// step applies one event to s.
func step(b *content.Bundle, s flows.Session, kind, text string) flows.Result {
	return flows.Step(b, s, flows.Event{Kind: kind, Text: text, Nonce: "stepxxxx"}, now)
}

// urgentFlags are the urgent flags among outs.
func urgentFlags(outs []flows.Out) []*flows.Effect {
	var fs []*flows.Effect
	for _, o := range outs {
		if o.Kind == flows.OutEffect && o.Effect.Kind == flows.EffectUrgent {
			fs = append(fs, o.Effect)
		}
	}
	return fs
}

// safetyButtons returns the data of the buttons of "are you safe right
// now?" among outs, by label, or nil when it was not asked.
func safetyButtons(t testing.TB, b *content.Bundle, outs []flows.Out) map[string]string {
	t.Helper()
	for _, o := range outs {
		if o.Kind == flows.OutMessage && o.Text == b.Text("en", "q_safe") {
			btns := map[string]string{}
			for _, row := range o.Buttons {
				for _, x := range row {
					btns[x.Label] = x.Data
				}
			}
			return btns
		}
	}
	return nil
}

// A disclosure anywhere gets the response, a flag with its kinds and "are
// you safe right now?"; the conversation then carries on from where it was,
// with what was written kept where it answered a question.
func TestDisclosureAnywhere(t *testing.T) {
	b := defaultBundle(t)
	crisis := b.RiskResponse("en", risk.Suicide, false, nil)
	tests := []struct {
		name     string
		before   []string
		text     string
		wantText bool      // the flag carries what was written
		wantNext string    // the question asked once "are you safe" is answered
		wantKept string    // the answer recorded from what was written
		wantSaid string    // said once "are you safe" is answered, instead of a question
		kind     risk.Kind // the kind whose response leads, when not suicide
	}{
		{name: "first message", text: "everything is awful and I am thinking about suicide", wantNext: "consent"},
		{name: "at the consent question", before: []string{"hi"}, text: "I want to die", wantNext: "consent"},
		{name: "as a name", before: []string{"hi", "1"}, text: "self-harm", wantText: true, wantNext: "name", kind: risk.SelfHarm},
		{name: "what matters", before: []string{"hi", "1", "Sam", "3"}, text: "My partner left and I want to die", wantText: true, wantNext: "needs", wantKept: "My partner left and I want to die"},
		{name: "in the needs question", before: []string{"hi", "1", "Sam", "3", "skip", "2"}, text: "I CAN'T GO ON", wantText: true, wantNext: "needs"},
		{name: "after the end", before: finished, text: "I want to kill myself", wantText: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := flows.Session{User: 7}
			if len(tt.before) > 0 {
				s = walk(t, b, tt.before...).Session
			}
			res := step(b, s, flows.EventText, tt.text)
			msgs := texts(res.Out, flows.OutMessage)
			crisis := crisis
			if tt.kind != "" {
				crisis = b.RiskResponse("en", tt.kind, false, nil)
			}
			if len(msgs) < 3 || msgs[0] != crisis {
				t.Fatalf("replies %q: want the risk response first", msgs)
			}
			for _, m := range msgs {
				if strings.Contains(m, "didn't catch") || strings.Contains(m, "finished") || m == b.Text("en", "welcome") {
					t.Errorf("a message that held risk was answered with %q", m)
				}
			}
			flags := urgentFlags(res.Out)
			if len(flags) != 1 {
				t.Fatalf("%d urgent flags, want 1", len(flags))
			}
			kind := risk.Suicide
			if tt.kind != "" {
				kind = tt.kind
			}
			if diff := cmp.Diff([]string{string(kind)}, flags[0].Risks); diff != "" {
				t.Errorf("flag's kinds (-want +got):\n%s", diff)
			}
			if (flags[0].Text != "") != tt.wantText {
				t.Errorf("flag text %q, want text kept: %v", flags[0].Text, tt.wantText)
			}
			btns := safetyButtons(t, b, res.Out)
			if len(btns) != 3 || msgs[len(msgs)-1] != b.Text("en", "q_safe") {
				t.Fatalf("replies %q: want \"are you safe right now?\" last, with three buttons", msgs)
			}
			if !res.Session.Safety {
				t.Error("session does not wait for the safety answer")
			}

			after := step(b, res.Session, flows.EventButton, btns["Yes"])
			got := texts(after.Out, flows.OutMessage)
			if len(got) == 0 || got[0] != b.Text("en", "safe_yes_reply") {
				t.Fatalf("after Yes: %q, want the reply to it first", got)
			}
			if after.Session.Node != tt.wantNext {
				t.Errorf("after Yes the open question is %q, want %q", after.Session.Node, tt.wantNext)
			}
			if tt.wantNext == "" && len(got) != 1 {
				t.Errorf("after Yes, at the end: %q, want nothing more", got)
			}
			kept := ""
			for k, v := range after.Session.Answers {
				if v == tt.text || strings.Contains(v, tt.text) {
					kept = k
				}
			}
			if want := map[bool]string{true: "what_matters", false: ""}[tt.wantKept != ""]; kept != want {
				t.Errorf("what was written is kept as answer %q, want %q (answers %v)", kept, want, after.Session.Answers)
			}
			if after.Session.Safety || after.Session.Hold {
				t.Errorf("session still waits: %+v", after.Session)
			}
		})
	}
}

// finished walks a whole self-referral to its end.
var finished = []string{"hi", "1", "Sam", "3", "skip", "2", "1", "done", "no", "1", "2", "skip", "1", "1", "3", "1", "1", "2", "3", "1", "1", "Carry on"}

func TestFinishedWalk(t *testing.T) {
	if res := walk(t, defaultBundle(t), finished...); !res.Session.Done {
		t.Fatalf("the walk does not finish: %+v", res.Session)
	}
}

// "Not safe" brings 999 first and the most pressing flag; an answer in
// words counts as the button; anything else lets the question go without a
// "sorry" for a question not yet shown.
func TestAreYouSafe(t *testing.T) {
	b := defaultBundle(t)
	at := step(b, walk(t, b, "hi", "1", "Sam", "3").Session, flows.EventText, "I want to die")
	tests := []struct {
		name       string
		kind, text string
		wantReply  string
		wantUnsafe bool
		wantNode   string
	}{
		{name: "No button", kind: flows.EventButton, text: safetyButtons(t, b, at.Out)["No"], wantReply: "safe_no_reply", wantUnsafe: true, wantNode: "needs"},
		{name: "rather not say", kind: flows.EventButton, text: safetyButtons(t, b, at.Out)["I'd rather not say"], wantReply: "safe_unsaid_reply", wantNode: "needs"},
		{name: "typed no", kind: flows.EventText, text: "no not really", wantReply: "safe_no_reply", wantUnsafe: true, wantNode: "needs"},
		{name: "typed yes", kind: flows.EventText, text: "yeah I'm ok", wantReply: "safe_yes_reply", wantNode: "needs"},
		{name: "typed idk", kind: flows.EventText, text: "idk", wantReply: "safe_unsaid_reply", wantNode: "needs"},
		{name: "something else", kind: flows.EventText, text: "my mum kicked me out last week", wantNode: "needs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := step(b, at.Session, tt.kind, tt.text)
			msgs := texts(res.Out, flows.OutMessage)
			if tt.wantReply != "" && (len(msgs) == 0 || msgs[0] != b.Text("en", tt.wantReply)) {
				t.Errorf("replies %q, want %s first", msgs, tt.wantReply)
			}
			if tt.wantUnsafe && !strings.Contains(msgs[0], "999") {
				t.Errorf("not safe: %q, want 999 first", msgs[0])
			}
			flags := urgentFlags(res.Out)
			if tt.wantUnsafe != (len(flags) == 1 && flags[0].Unsafe) {
				t.Errorf("flags %+v, want an unsafe flag: %v", flags, tt.wantUnsafe)
			}
			if res.Session.Node != tt.wantNode || res.Session.Safety {
				t.Errorf("node %q (safety waiting %v), want %q", res.Session.Node, res.Session.Safety, tt.wantNode)
			}
			for _, m := range msgs {
				if strings.Contains(m, "didn't catch") {
					t.Errorf("said %q", m)
				}
			}
			if !strings.HasPrefix(res.Session.Answers["what_matters"], "I want to die") {
				t.Errorf("what matters = %q, want what was written", res.Session.Answers["what_matters"])
			}
		})
	}
	// A message saying more joins the answer.
	more := step(b, at.Session, flows.EventText, "my mum kicked me out last week")
	if want := "I want to die\nmy mum kicked me out last week"; more.Session.Answers["what_matters"] != want {
		t.Errorf("what matters = %q, want %q", more.Session.Answers["what_matters"], want)
	}
}

// The flag names the kinds only the learned reader found, so that the card
// can say so; a kind a phrase found is not named so.
func TestFlagNamesWhatOnlyTheModelFound(t *testing.T) {
	b := defaultBundle(t)
	modelText, modelKinds := risktest.ModelOnly(t, b)
	tests := []struct {
		name        string
		text        string
		wantLearned []string
	}{
		{name: "model only", text: modelText, wantLearned: kindCodes(modelKinds)},
		{name: "a phrase", text: "I want to die"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := walk(t, b, "hi", "1").Session
			flags := urgentFlags(step(b, s, flows.EventText, tt.text).Out)
			if len(flags) != 1 {
				t.Fatalf("%d urgent flags, want 1", len(flags))
			}
			if diff := cmp.Diff(tt.wantLearned, flags[0].Learned); diff != "" {
				t.Errorf("kinds the model alone found (-want +got):\n%s", diff)
			}
		})
	}
}

func kindCodes(kinds []risk.Kind) []string {
	var out []string
	for _, k := range kinds {
		out = append(out, string(k))
	}
	return out
}

// A person who only presses buttons is asked about risk directly; yes is a
// disclosure, and no lets the conversation go on.
func TestDirectQuestion(t *testing.T) {
	b := defaultBundle(t)
	s := walk(t, b, "hi", "1", "Sam", "3", "skip").Session
	if s.Node != "thoughts" {
		t.Fatalf("after what matters the question is %q, want thoughts", s.Node)
	}
	q := b.Flows["selfreferral"].Node("thoughts")
	press := func(s flows.Session, v string) flows.Result {
		return step(b, s, flows.EventButton, content.ButtonData(s.Run, "thoughts", v))
	}
	no := press(s, "no")
	if no.Session.Node != "needs" || len(urgentFlags(no.Out)) != 0 {
		t.Errorf("no: node %q, flags %d; want needs and no flag", no.Session.Node, len(urgentFlags(no.Out)))
	}
	yes := press(s, "yes")
	flags := urgentFlags(yes.Out)
	if len(flags) != 1 || !cmp.Equal(flags[0].Risks, []string{"suicide", "self_harm"}) || !strings.Contains(flags[0].Text, b.Text("en", q.Text)) {
		t.Fatalf("yes: flags %+v, want one for suicide and self-harm with the question", flags)
	}
	btns := safetyButtons(t, b, yes.Out)
	if btns == nil || yes.Session.Node != "thoughts" {
		t.Fatalf("yes: no safety question (node %q)", yes.Session.Node)
	}
	on := step(b, yes.Session, flows.EventButton, btns["Yes"])
	if on.Session.Node != "needs" || on.Session.Answers["thoughts"] != "yes" {
		t.Errorf("after the safety answer: node %q, answers %v; want needs, thoughts=yes", on.Session.Node, on.Session.Answers)
	}
	// Someone who told us already is not asked.
	told := step(b, walk(t, b, "hi", "1", "Sam", "3").Session, flows.EventText, "I want to die")
	after := step(b, told.Session, flows.EventButton, safetyButtons(t, b, told.Out)["Yes"])
	if after.Session.Node != "needs" {
		t.Errorf("after a disclosure the direct question is still asked: node %q", after.Session.Node)
	}
}

// A young person who ends the conversation is never welcomed again: what
// they write is answered kindly, and a disclosure gets the young people's
// response and a flag marked young that keeps nothing of theirs.
func TestUnder17(t *testing.T) {
	b := defaultBundle(t)
	end := walk(t, b, "hi", "1", "Robin", "1")
	if !end.Erase || !end.Session.Young || end.Session.Answers != nil || end.Session.Run != "" {
		t.Fatalf("under-17 end: erase %v, session %+v; want erased with only the mark", end.Erase, end.Session)
	}
	hello := step(b, end.Session, flows.EventText, "hello?")
	if msgs := texts(hello.Out, flows.OutMessage); len(msgs) != 1 || msgs[0] != b.Text("en", "young_reply") {
		t.Errorf("hello: %q, want the young reply", msgs)
	}
	old := step(b, end.Session, flows.EventButton, "nonceaxx:age:17-25")
	if msgs := texts(old.Out, flows.OutMessage); len(msgs) != 1 || msgs[0] != b.Text("en", "young_reply") {
		t.Errorf("an old button: %q, want the young reply", msgs)
	}
	res := step(b, end.Session, flows.EventText, "my dad beats me and I want to die")
	msgs := texts(res.Out, flows.OutMessage)
	if len(msgs) < 3 || !strings.HasPrefix(msgs[0], b.RiskResponse("en", risk.Suicide, true, nil)) || msgs[1] != b.Text("en", "crisis_flagged_young") {
		t.Fatalf("replies %q: want Childline and the young flag's words", msgs)
	}
	flags := urgentFlags(res.Out)
	if len(flags) != 1 || !flags[0].Young || flags[0].Consent || flags[0].Text != "" || flags[0].Answers != nil {
		t.Fatalf("flags %+v: want one marked young, keeping nothing", flags)
	}
	btns := safetyButtons(t, b, res.Out)
	after := step(b, res.Session, flows.EventButton, btns["Yes"])
	if after.Session.Active() || !after.Session.Young || after.Session.Run != "" {
		t.Errorf("after the safety answer: %+v, want the young mark and no conversation", after.Session)
	}
	if restart := step(b, after.Session, flows.EventText, "/start"); !restart.Session.Active() || restart.Session.Young {
		t.Errorf("/start: %+v, want a new conversation", restart.Session)
	}
}

// Words sent where no answer can be (an edit, a forward, a caption) are read
// for risk; a disclosure there is answered as if typed, and no answer is taken from it.
func TestRiskInWhatIsNoAnswer(t *testing.T) {
	b := defaultBundle(t)
	s := walk(t, b, "hi", "1", "Sam", "3").Session
	res := flows.Step(b, s, flows.Event{Kind: flows.EventOther, Text: "edited", Said: "I want to kill myself", Nonce: "otherxxx"}, now)
	if len(urgentFlags(res.Out)) != 1 || safetyButtons(t, b, res.Out) == nil {
		t.Fatalf("an edit with risk: %q, want a flag and the safety question", texts(res.Out, flows.OutMessage))
	}
	if res.Session.Hold || res.Session.Answers["what_matters"] != "" {
		t.Errorf("an edit was taken as an answer: %+v", res.Session)
	}
	plain := flows.Step(b, s, flows.Event{Kind: flows.EventOther, Text: "edited", Said: "Sam", Nonce: "otherxxx"}, now)
	if msgs := texts(plain.Out, flows.OutMessage); len(msgs) == 0 || msgs[0] != b.Text("en", "edited") {
		t.Errorf("an edit without risk: %q, want the usual explanation", msgs)
	}
}

// When one disclosure holds several kinds, the most pressing kind's
// response leads and the others add the services it does not name; the
// council's own numbers are filled in where set.
func TestResponseNamesEveryKindsServices(t *testing.T) {
	b := defaultBundle(t)
	q := b.Flows["selfreferral"].Node("thoughts")
	q.Options[0].Risk = []string{string(risk.NowhereTonight), string(risk.DomesticAbuse)}
	s := walk(t, b, "hi", "1", "Sam", "3", "skip").Session
	ev := flows.Event{Kind: flows.EventButton, Text: content.ButtonData(s.Run, "thoughts", "yes"), Nonce: "multixxx",
		Local: map[string]string{risk.PlaceCouncilHousing: "020 8496 0000"}}
	res := flows.Step(b, s, ev, now)
	msgs := texts(res.Out, flows.OutMessage)
	if len(msgs) == 0 {
		t.Fatal("no response")
	}
	lead := b.RiskResponse("en", risk.DomesticAbuse, false, nil)
	if !strings.HasPrefix(msgs[0], lead) {
		t.Errorf("the response does not lead with domestic abuse's:\n%s", msgs[0])
	}
	for _, want := range []string{"0808 800 4444", "020 8496 0000"} {
		if !strings.Contains(msgs[0], want) {
			t.Errorf("the response lacks %s, named by nowhere to sleep tonight:\n%s", want, msgs[0])
		}
	}
	if n := strings.Count(msgs[0], "999"); n != strings.Count(lead, "999") {
		t.Errorf("999 is named again after the lead's response (%d times):\n%s", n, msgs[0])
	}
	flags := urgentFlags(res.Out)
	if len(flags) != 1 || !cmp.Equal(flags[0].Risks, []string{"domestic_abuse", "nowhere_tonight"}) {
		t.Errorf("flags %+v, want one naming both kinds", flags)
	}
}
