package directory

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCleaners(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{name: "html stripped, entities decoded", fn: func(s string) string { return plainText(s, 100) }, in: "<p>Tea &amp; <b>chat</b></p>", want: "Tea & chat"},
		{name: "less-than sign kept", fn: func(s string) string { return plainText(s, 100) }, in: "age < 18 only", want: "age < 18 only"},
		{name: "controls and spaces collapsed", fn: func(s string) string { return plainText(s, 100) }, in: "a\u0007\n\n  b\u200b", want: "a b"},
		{name: "clipped at a word", fn: func(s string) string { return plainText(s, 20) }, in: "alpha beta gamma delta epsilon", want: "alpha beta gamma…"},
		{name: "invalid utf-8 dropped", fn: func(s string) string { return plainText(s, 100) }, in: "caf\xe9", want: "caf"},
		{name: "quoted phone", fn: cleanPhone, in: `"+44 1234 234567"`, want: "+44 1234 234567"},
		{name: "phone with brackets", fn: cleanPhone, in: "(020) 7946-0001", want: "020 7946 0001"},
		{name: "not a phone", fn: cleanPhone, in: "ring us", want: ""},
		{name: "email", fn: cleanEmail, in: " help@council.test ", want: "help@council.test"},
		{name: "email with a display name", fn: cleanEmail, in: "Help <help@council.test>", want: ""},
		{name: "https url", fn: cleanURL, in: "https://council.test/a?b=c", want: "https://council.test/a?b=c"},
		{name: "javascript url", fn: cleanURL, in: "javascript:alert(1)", want: ""},
		{name: "url with credentials", fn: cleanURL, in: "https://u:p@council.test/", want: ""},
		{name: "district of a full postcode", fn: District, in: "e17 4jf", want: "E17"},
		{name: "district without a space", fn: District, in: "E113AA", want: "E11"},
		{name: "district alone", fn: District, in: "n17", want: "N17"},
		{name: "central district", fn: District, in: "EC1A 1BB", want: "EC1A"},
		{name: "not a postcode", fn: District, in: "ABC 1234", want: ""},
		{name: "slug", fn: slug, in: "  Svc/00012 (B) ", want: "svc-00012-b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.fn(tc.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDetailFits(t *testing.T) {
	for _, s := range Default().Services {
		if d := s.Detail(); len([]rune(d)) > MaxDetail || !strings.HasPrefix(d, s.Name) {
			t.Errorf("%s: detail view of %d characters", s.ID, len([]rune(d)))
		}
	}
	s, _ := Default().ByID("ex-care-leavers-cook-chat")
	if d := s.Detail(); !strings.Contains(d, "This is an example, not a real group.") ||
		!strings.Contains(d, "Who for: Care leavers aged 17 to 25 in Waltham Forest") {
		t.Errorf("detail view:\n%s", d)
	}
}
