package flows_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"signpost/content"
	"signpost/flows"
)

// fuzzSessions are sessions at each question of the self-referral flow,
// reached by a fixed walk, so fuzzed input meets every kind of question.
func fuzzSessions(t testing.TB, b *content.Bundle) []flows.Session {
	walkTo := []string{"hi", "1", "Sam", "2", "1", "skip", "2", "1, 3", "done", "yes", "no", "1", "1", "5", "5", "5", "5", "E17", "1", "2", "07700 900123", "1", "1"}
	var out []flows.Session
	s := flows.Session{User: 1}
	for i, text := range walkTo {
		s = flows.Step(b, s, flows.Event{Kind: flows.EventText, Text: text, Nonce: "fuzz" + string(rune('a'+i)) + "xxx"}, now).Session
		out = append(out, s)
	}
	return out
}

// checkResult holds for every step, whatever the input.
func checkResult(t *testing.T, b *content.Bundle, before flows.Session, res flows.Result) {
	if res.Session.Active() && b.Flows[res.Session.Flow].Node(res.Session.Node) == nil {
		t.Fatalf("session waits at a node that does not exist: %q", res.Session.Node)
	}
	if len(res.Out) == 0 {
		t.Fatalf("no reply to an event at %q", before.Node)
	}
	for _, o := range res.Out {
		if !utf8.ValidString(o.Text) && o.Kind != flows.OutClose {
			t.Fatalf("reply is not valid UTF-8: %q", o.Text)
		}
		for _, row := range o.Buttons {
			for _, btn := range row {
				if len(btn.Data) > content.MaxButtonData {
					t.Fatalf("button data of %d bytes", len(btn.Data))
				}
			}
		}
	}
}

func FuzzStepText(f *testing.F) {
	b := defaultBundle(f)
	sessions := fuzzSessions(f, b)
	for _, seed := range []string{"", "1", "done", "skip", "/start gp_F86001", "/back", "/forget", "I can't go on", "1, 2, 3", "SW1A 1AA", "07700 900123", "\x00", "✓ Money and debt", strings.Repeat("a", 5000)} {
		f.Add(seed, uint8(0))
	}
	f.Fuzz(func(t *testing.T, text string, at uint8) {
		s := sessions[int(at)%len(sessions)]
		res := flows.Step(b, s, flows.Event{Kind: flows.EventText, Text: text, Nonce: "fuzzrunx"}, now)
		checkResult(t, b, s, res)
	})
}

func FuzzButtonData(f *testing.F) {
	b := defaultBundle(f)
	sessions := fuzzSessions(f, b)
	for _, s := range sessions[:4] {
		f.Add(content.ButtonData(s.Run, s.Node, "yes"), uint8(1))
	}
	f.Add("::", uint8(2))
	f.Add("a:b:c:d", uint8(3))
	f.Add("\xff\xfe", uint8(4))
	f.Fuzz(func(t *testing.T, data string, at uint8) {
		s := sessions[int(at)%len(sessions)]
		res := flows.Step(b, s, flows.Event{Kind: flows.EventButton, Text: data, Nonce: "fuzzrunx"}, now)
		checkResult(t, b, s, res)
		if res.Session.Run != s.Run && !strings.HasPrefix(data, "/") {
			t.Fatalf("a button started a new run")
		}
	})
}
