package content

import (
	"io/fs"

	"signpost/content/risk"
)

// Assess reads text for risk with the content's risk model: the phrases of
// every language are tried, since people may write in a language other than
// the one their app is set to; then the learned reader may add kinds the
// phrases missed (risklearn.go). The result's Lang is the language whose
// phrases found the leading kind, or lang when nothing was found.
func (b *Bundle) Assess(lang, text string) risk.Assessment {
	return b.assessRead(lang, text, b.matcher.Assess(text))
}

// assessRead is Assess given the phrases' reading of text, rules: the
// learned line is added to it and the language settled.
func (b *Bundle) assessRead(lang, text string, rules risk.Assessment) risk.Assessment {
	a := b.addLearned(rules, text)
	if a.Lang == "" {
		a.Lang = b.riskLang(lang)
	}
	return a
}

// IsCrisis reports whether text holds risk that was not denied.
//
// Deprecated: use Assess, which says which kinds of risk were found.
func (b *Bundle) IsCrisis(lang, text string) bool {
	return b.Assess(lang, text).Risk()
}

// adoptBuiltinRisk gives a bundle stored without a risk model (a version
// stored before the risk model was content, which a conversation may still
// be pinned to) the built-in one, so that nobody's conversation is read
// without it. The version is left as it was stored.
func (b *Bundle) adoptBuiltinRisk() error {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return err
	}
	m, err := loadRisk(sub)
	if err != nil {
		return err
	}
	c, err := risk.Compile(m.Languages, b.DefaultLang)
	if err != nil {
		return err
	}
	b.Risk, b.matcher = m, c
	return nil
}

// ExplainRisk lists every risk phrase, idiom and cue found in text.
func (b *Bundle) ExplainRisk(text string) []risk.Match {
	return b.matcher.Explain(text)
}
