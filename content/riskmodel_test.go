package content_test

import (
	"strings"
	"testing"

	"signpost/content"
	"signpost/content/risk"
)

func TestRiskResponse(t *testing.T) {
	b := builtin(t)
	vars := map[string]string{"council_housing_ooh": "020 8496 0000", "children_front_door": "020 8496 0001"}
	tests := []struct {
		name    string
		lang    string
		kind    risk.Kind
		under17 bool
		vars    map[string]string
		want    []string
		wantNot []string
	}{
		{name: "suicide", lang: "en", kind: risk.Suicide, want: []string{"116 123", "85258", "0800 068 4141"}},
		{name: "overdose leads with 999", lang: "en", kind: risk.Overdose, want: []string{"999"}},
		{name: "domestic abuse", lang: "en", kind: risk.DomesticAbuse, want: []string{"0808 2000 247", "0808 801 0327", "55"}},
		{name: "housing with the council's number", lang: "en", kind: risk.NowhereTonight, vars: vars, want: []string{"020 8496 0000", "0808 800 4444"}},
		{name: "housing without it", lang: "en", kind: risk.NowhereTonight, want: []string{"0808 800 4444"}, wantNot: []string{"{council_housing_ooh}", "out-of-hours"}},
		{name: "under 17", lang: "en", kind: risk.ChildAbuse, under17: true, vars: vars, want: []string{"0800 1111", "020 8496 0001"}},
		{name: "under 17 without a front door", lang: "en", kind: risk.DomesticAbuse, under17: true, want: []string{"0800 1111"}, wantNot: []string{"{children_front_door}"}},
		{name: "a regional code", lang: "en-GB", kind: risk.SelfHarm, want: []string{"116 123"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := b.RiskResponse(tt.lang, tt.kind, tt.under17, tt.vars)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("RiskResponse = %q, want it to hold %q", got, w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("RiskResponse = %q, want it without %q", got, w)
				}
			}
		})
	}
	if got := b.RiskDenied("en"); !strings.Contains(got, "116 123") {
		t.Errorf("RiskDenied = %q, want Samaritans' number", got)
	}
	for _, k := range risk.Kinds {
		if b.RiskResponse("en", k, false, nil) == "" {
			t.Errorf("no response for %s", k)
		}
	}
}

func TestRiskSurvivesEncoding(t *testing.T) {
	b := builtin(t)
	blob, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	d, err := content.Decode(blob)
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != b.Version {
		t.Errorf("decoded version %s, want %s", d.Version, b.Version)
	}
	if got, want := d.RiskResponse("en", risk.Suicide, false, nil), b.RiskResponse("en", risk.Suicide, false, nil); got != want {
		t.Errorf("decoded response %q, want %q", got, want)
	}
}
