package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"signpost/content"
	"signpost/flows"
	"signpost/internal/telegramtest"
)

// TestPrivacyQuotesTheSettings: the periods the privacy message promises
// are the ones serve runs with, by default and when a council sets its own.
func TestPrivacyQuotesTheSettings(t *testing.T) {
	t.Parallel()
	base := map[string]string{"TELEGRAM_BOT_TOKEN": telegramtest.DefaultToken, "LINKWORKER_CHAT_ID": "-1001"}
	tests := []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{name: "defaults, with a leaving-care team", env: map[string]string{"LEAVING_CARE_CHAT_ID": "-1002"}, want: content.DefaultFacts()},
		{name: "a council's own, without a leaving-care team", env: map[string]string{"SESSION_TTL": "336h", "RETENTION_CLOSED": "12 months", "RETENTION_ANONYMOUS": "6 years"},
			want: map[string]string{"keep_idle": "14 days", "keep_closed": "1 year", "keep_anonymous": "6 years", "keep_checkins": "20", "keep_checkins_for": "400 days", "leaving_care_team": "our link workers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := configFrom(base, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			got := facts(cfg)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("facts (-want +got):\n%s", diff)
			}
			b := builtinContent(t)
			b.Facts = got
			res := flows.Step(b, flows.Session{User: 7}, flows.Event{Kind: flows.EventText, Text: "/privacy", Nonce: "privacyx"}, time.Now())
			if len(res.Out) == 0 {
				t.Fatal("/privacy said nothing")
			}
			said := res.Out[0].Text
			for _, k := range []string{"keep_idle", "keep_closed", "keep_anonymous", "keep_checkins_for"} {
				if !strings.Contains(said, got[k]) {
					t.Errorf("/privacy does not say %s (%q):\n%s", k, got[k], said)
				}
			}
			if strings.Contains(said, "{") {
				t.Errorf("/privacy leaves a placeholder unfilled:\n%s", said)
			}
		})
	}
}

// configFrom loads serve's settings from base with over set on top.
func configFrom(base, over map[string]string) (*serveConfig, error) {
	env := map[string]string{}
	for k, v := range base {
		env[k] = v
	}
	for k, v := range over {
		env[k] = v
	}
	return loadServeConfig(func(k string) string { return env[k] })
}
