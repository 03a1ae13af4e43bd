package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/content"
	"signpost/flows"
)

var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func defaultBundle(t testing.TB) *content.Bundle {
	t.Helper()
	b, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loopBundle(t testing.TB) *content.Bundle {
	t.Helper()
	b, err := content.LoadDir("testdata/loop")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// walk applies texts one after another from a fresh session and returns the
// last result.
func walk(t testing.TB, b *content.Bundle, texts ...string) flows.Result {
	t.Helper()
	s := flows.Session{User: 7}
	var res flows.Result
	for i, text := range texts {
		ev := flows.Event{Kind: flows.EventText, Text: text, Nonce: "nonce" + string(rune('a'+i%26)) + "xx"}
		res = flows.Step(b, s, ev, now)
		s = res.Session
	}
	return res
}

func texts(outs []flows.Out, kind string) []string {
	var out []string
	for _, o := range outs {
		if o.Kind == kind {
			out = append(out, o.Text)
		}
	}
	return out
}

func effects(outs []flows.Out) []string {
	var out []string
	for _, o := range outs {
		if o.Kind == flows.OutEffect {
			out = append(out, o.Effect.Kind)
		}
	}
	return out
}

func TestStepIsPure(t *testing.T) {
	b := defaultBundle(t)
	s := walk(t, b, "hi", "1", "Sam").Session
	before := s.Answers["name"]
	ev := flows.Event{Kind: flows.EventText, Text: "3", Nonce: "zzzzzzzz"}
	r1 := flows.Step(b, s, ev, now)
	r2 := flows.Step(b, s, ev, now)
	if diff := cmp.Diff(r1, r2); diff != "" {
		t.Errorf("two steps of the same input differ (-first +second):\n%s", diff)
	}
	if s.Answers["age"] != "" || s.Answers["name"] != before || s.Node != "age" {
		t.Errorf("Step changed its input session: %+v", s)
	}
	if r1.Session.Answers["age"] != "26-49" {
		t.Errorf("age = %q, want 26-49", r1.Session.Answers["age"])
	}
}

func TestNotCrisis(t *testing.T) {
	b := defaultBundle(t)
	for _, text := range []string{"I see a therapist", "Diego", "I can go on the bus", "dangerous dogs"} {
		if b.IsCrisis("en", text) {
			t.Errorf("IsCrisis(%q) = true, want false", text)
		}
	}
}

func TestButtons(t *testing.T) {
	b := defaultBundle(t)
	s := walk(t, b, "hi").Session // at consent
	data := func(run, node, value string) flows.Event {
		return flows.Event{Kind: flows.EventButton, Text: content.ButtonData(run, node, value)}
	}
	tests := []struct {
		name      string
		ev        flows.Event
		wantNode  string
		wantToast bool
	}{
		{name: "current", ev: data(s.Run, "consent", "yes"), wantNode: "name"},
		{name: "earlier run", ev: data("oldrun00", "consent", "yes"), wantNode: "consent", wantToast: true},
		{name: "another question", ev: data(s.Run, "age", "17-25"), wantNode: "consent", wantToast: true},
		{name: "forged value", ev: data(s.Run, "consent", "maybe"), wantNode: "consent", wantToast: true},
		{name: "garbage", ev: flows.Event{Kind: flows.EventButton, Text: "\x00\xff"}, wantNode: "consent", wantToast: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := flows.Step(b, s, tt.ev, now)
			if res.Session.Node != tt.wantNode {
				t.Errorf("node = %q, want %q", res.Session.Node, tt.wantNode)
			}
			if got := len(texts(res.Out, flows.OutToast)) > 0; got != tt.wantToast {
				t.Errorf("toast = %v, want %v", got, tt.wantToast)
			}
			if tt.wantToast && res.Session.Consent {
				t.Error("a refused button gave consent")
			}
		})
	}
}

func TestDoubleTapRecordsOnce(t *testing.T) {
	b := defaultBundle(t)
	s := walk(t, b, "hi", "1", "Sam").Session
	press := flows.Event{Kind: flows.EventButton, Text: content.ButtonData(s.Run, "age", "65plus")}
	first := flows.Step(b, s, press, now)
	second := flows.Step(b, first.Session, press, now)
	if second.Session.Node != first.Session.Node || len(texts(second.Out, flows.OutToast)) != 1 {
		t.Errorf("second press moved the conversation or was not refused: node %q, out %+v", second.Session.Node, second.Out)
	}
	if msgs := texts(second.Out, flows.OutMessage); len(msgs) != 0 {
		t.Errorf("a double tap sent the question again: %q", msgs)
	}
}

func TestBackClearsTheAnswer(t *testing.T) {
	b := defaultBundle(t)
	res := walk(t, b, "hi", "1", "Sam", "2", "/back")
	if res.Session.Node != "age" {
		t.Fatalf("node = %q, want age", res.Session.Node)
	}
	if _, ok := res.Session.Answers["age"]; ok {
		t.Error("age kept after /back")
	}
	if res.Session.Answers["name"] != "Sam" {
		t.Errorf("name = %q, want Sam kept", res.Session.Answers["name"])
	}
}

func TestScaleOneToThree(t *testing.T) {
	b := loopBundle(t)
	tests := []struct {
		name, text, want string
	}{
		{name: "number", text: "2", want: "2"},
		{name: "label", text: "often", want: "3"},
		{name: "spaces", text: " 1 ", want: "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := walk(t, b, "start", "hello", tt.text)
			if got := res.Session.Answers["lonely"]; got != tt.want {
				t.Errorf("lonely = %q, want %q", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"0", "4", "never"} {
		res := walk(t, b, "start", "hello", bad)
		if res.Session.Node != "lonely" || res.Session.Answers["lonely"] != "" {
			t.Errorf("%q accepted for a 1-3 scale", bad)
		}
		if msgs := texts(res.Out, flows.OutMessage); len(msgs) != 2 || msgs[0] != "Choose a number." {
			t.Errorf("%q: replies %q, want a re-ask", bad, msgs)
		}
	}
}

func TestEffectsOnceAtTheEnd(t *testing.T) {
	b := defaultBundle(t)
	res := walk(t, b, "hi", "1", "Sam", "3", "skip", "2", "1", "done", "no", "1", "2", "skip", "1", "1", "3", "1", "1", "2", "3", "1")
	if res.Session.Node != "summary" {
		t.Fatalf("node = %q, want summary", res.Session.Node)
	}
	groups := flows.Step(b, res.Session, flows.Event{Kind: flows.EventText, Text: "1"}, now)
	if groups.Session.Node != "groups" || len(effects(groups.Out)) != 0 {
		t.Fatalf("after the summary: node %q, effects %v; want the suggestions first", groups.Session.Node, effects(groups.Out))
	}
	end := flows.Step(b, groups.Session, flows.Event{Kind: flows.EventText, Text: "Carry on"}, now)
	got := effects(end.Out)
	want := []string{content.ActionReferral, content.ActionCheckins, flows.EffectProfile, flows.EffectFinished}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("effects (-want +got):\n%s", diff)
	}
	again := flows.Step(b, end.Session, flows.Event{Kind: flows.EventText, Text: "1"}, now)
	if len(effects(again.Out)) != 0 || !strings.Contains(again.Out[0].Text, "finished") {
		t.Errorf("a message after the end gave %+v", again.Out)
	}
}

func TestLanguageFromTheApp(t *testing.T) {
	b := loopBundle(t)
	tests := []struct {
		lang, want string
	}{
		{"cy", "Dywedwch rywbeth."},
		{"CY-gb", "Dywedwch rywbeth."},
		{"fr", "Say something."},
		{"", "Say something."},
	}
	for _, tt := range tests {
		res := flows.Step(b, flows.Session{User: 1}, flows.Event{Kind: flows.EventText, Text: "hi", Lang: tt.lang, Nonce: "langxxxx"}, now)
		if got := texts(res.Out, flows.OutMessage); len(got) == 0 || got[len(got)-1] != tt.want {
			t.Errorf("language %q: %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestErasureIsAnnounced(t *testing.T) {
	b := defaultBundle(t)
	tests := []struct {
		name  string
		texts []string
	}{
		{"consent refused", []string{"hi", "2"}},
		{"under 17", []string{"hi", "1", "Robin", "1"}},
		{"forget", []string{"hi", "1", "Robin", "/forget"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := walk(t, b, tt.texts...)
			if !res.Erase {
				t.Fatal("not erased")
			}
			if got := effects(res.Out); len(got) != 1 || got[0] != flows.EffectErased {
				t.Errorf("effects %v, want the erasure announced", got)
			}
		})
	}
	if res := walk(t, b, "hi", "1", "Sam"); contains(effects(res.Out), flows.EffectErased) {
		t.Error("erasure announced without one")
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// A flow started by the code takes the values it declares among its inputs,
// and nothing else.
func TestStartFlowInputs(t *testing.T) {
	b := defaultBundle(t)
	ev := flows.Event{Kind: flows.EventStart, Text: "followup", Nonce: "n1", Vars: map[string]string{"followup_lonely": "yes", "name": "Mallory"}}
	res := flows.Step(b, flows.Session{User: 1}, ev, now)
	if res.Session.Flow != "followup" || res.Session.Answers["followup_lonely"] != "yes" {
		t.Fatalf("session %+v: want the follow-up with its input", res.Session)
	}
	if _, ok := res.Session.Answers["name"]; ok {
		t.Error("a value the flow does not declare was taken as an answer")
	}
}
