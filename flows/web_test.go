package flows_test

import (
	"strings"
	"testing"

	"signpost/content"
	"signpost/flows"
)

func TestWebVisitorsReadTheWebsVersion(t *testing.T) {
	b := defaultBundle(t)
	tests := []struct {
		name string
		user int64
		want string
	}{
		{"a Telegram person", 7, "Type /privacy to read more"},
		{"a web visitor", flows.WebUserMin + 7, `Use "How we keep your answers" or "Delete everything"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := flows.Step(b, flows.Session{User: tt.user}, flows.Event{Kind: flows.EventText, Text: "hello", Nonce: "aaaaaaaa"}, now)
			if got := strings.Join(texts(res.Out, flows.OutMessage), "\n"); !strings.Contains(got, tt.want) {
				t.Errorf("the opening does not say %q:\n%s", tt.want, got)
			}
		})
	}
}

func TestStartFromAWebLink(t *testing.T) {
	b := defaultBundle(t)
	res := flows.Step(b, flows.Session{User: 42}, flows.Event{Kind: flows.EventText, Text: "/start web_abcdefgh", Nonce: "nnnnnnnn"}, now)
	if len(res.Out) != 1 || res.Out[0].Effect == nil || res.Out[0].Effect.Kind != flows.EffectLinkWeb || res.Out[0].Effect.Text != "abcdefgh" {
		t.Fatalf("a web link's /start gives %+v, want only the link effect", res.Out)
	}
	if res.Session.Link != "" || res.Session.Answers["source"] != "" {
		t.Errorf("the web link was taken for a referral source: %+v", res.Session)
	}
}

func TestLinked(t *testing.T) {
	b := defaultBundle(t)
	answers := map[string]string{"name": "Sam", "age": "17-25", "care_leaver": "yes", "what_matters": "private words", "source": "gp_F86001"}
	res := flows.Step(b, flows.Session{User: 42}, flows.Event{Kind: flows.EventLinked, Answers: answers, Nonce: "nnnnnnnn"}, now)
	if !res.Session.Consent || !res.Session.Done || res.Session.Answers["name"] != "Sam" || res.Session.Answers["checkins"] != "yes" {
		t.Errorf("linked session: %+v", res.Session)
	}
	if _, ok := res.Session.Answers["what_matters"]; ok {
		t.Error("the person's own words were carried over though check-ins do not need them")
	}
	if got := strings.Join(texts(res.Out, flows.OutMessage), "\n"); !strings.Contains(got, "Hello Sam") {
		t.Errorf("the welcome in Telegram: %q", got)
	}
	if got := effects(res.Out); !contains(got, content.ActionCheckins) {
		t.Errorf("no check-ins started: %v", got)
	}

	res = flows.Step(b, flows.Session{User: 42}, flows.Event{Kind: flows.EventLinked, Nonce: "nnnnnnnn"}, now)
	if got := strings.Join(texts(res.Out, flows.OutMessage), "\n"); !strings.Contains(got, "used already or is out of date") || res.Session.Consent {
		t.Errorf("an unknown link: %q, consent %v", got, res.Session.Consent)
	}
}
