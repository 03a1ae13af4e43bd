package content

import (
	"signpost/content/risk"

	"strings"
	"unicode"
)

// IsCrisis reports whether text holds any risk word or phrase of lang or of
// the default language. Matching ignores case, punctuation and apostrophes and
// respects word boundaries, so "can't go on" matches "I cant go on" but
// "therapist" does not match "rapist".
func (b *Bundle) IsCrisis(lang, text string) bool {
	t := " " + normalise(text) + " "
	if t == "  " {
		return false
	}
	for _, l := range []string{lang, b.DefaultLang} {
		for _, w := range b.crisis[l] {
			if strings.Contains(t, " "+w+" ") {
				return true
			}
		}
	}
	return false
}

// normalise lowers the text, drops apostrophes and turns every run of
// characters that are not letters or digits into one space.
func normalise(s string) string {
	var sb strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '`':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			sb.WriteRune(r)
			space = false
		default:
			if !space {
				sb.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(sb.String())
}

// Assess reads text for risk in lang and the default language. Until the
// risk model replaces the fixed phrases, every match counts as Suicide.
func (b *Bundle) Assess(lang, text string) risk.Assessment {
	if b.IsCrisis(lang, text) {
		return risk.Assessment{Findings: []risk.Finding{{Kind: risk.Suicide}}, Lang: b.riskLang(lang)}
	}
	return risk.Assessment{}
}
