package content

import (
	"io/fs"
	"path"
	"strings"

	"signpost/content/risk"
)

// RiskModel is the risk model of the content (content/data/risk): each
// language's phrases and responses, and the services responses may name.
type RiskModel struct {
	Languages map[string]*risk.Language `json:"languages"`
	Services  []risk.Service            `json:"services"`
}

const riskDir = "risk"

// loadRisk reads risk/services.yaml and risk/LANG.yaml.
func loadRisk(fsys fs.FS) (*RiskModel, error) {
	m := &RiskModel{Languages: map[string]*risk.Language{}}
	if _, err := fs.Stat(fsys, path.Join(riskDir, "services.yaml")); err == nil {
		if err := readYAML(fsys, path.Join(riskDir, "services.yaml"), &m.Services); err != nil {
			return nil, err
		}
	}
	files, err := fs.Glob(fsys, riskDir+"/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, name := range files {
		lang := strings.TrimSuffix(path.Base(name), ".yaml")
		if lang == "services" {
			continue
		}
		var l risk.Language
		if err := readYAML(fsys, name, &l); err != nil {
			return nil, err
		}
		m.Languages[lang] = &l
	}
	return m, nil
}

// riskLang returns the risk language for lang: lang itself, its base
// ("pt" for "pt-BR"), or the default language.
func (b *Bundle) riskLang(lang string) string {
	lang = strings.ToLower(lang)
	if b.Risk == nil {
		return b.DefaultLang
	}
	if _, ok := b.Risk.Languages[lang]; ok {
		return lang
	}
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		if _, ok := b.Risk.Languages[lang[:i]]; ok {
			return lang[:i]
		}
	}
	return b.DefaultLang
}

// riskText picks a text from lang's model with pick, falling back to the
// default language's followed by lang's line saying help is free and
// interpreters are available.
func (b *Bundle) riskText(lang string, pick func(*risk.Language) string) string {
	if b.Risk == nil {
		return ""
	}
	lang = b.riskLang(lang)
	l := b.Risk.Languages[lang]
	if l != nil {
		if s := pick(l); s != "" {
			return s
		}
	}
	def := b.Risk.Languages[b.DefaultLang]
	if def == nil {
		return ""
	}
	s := pick(def)
	if l != nil && lang != b.DefaultLang && l.FreeHelp != "" && s != "" {
		s += "\n\n" + l.FreeHelp
	}
	return s
}

// RiskResponse is what signpost answers a message holding risk of kind k,
// written in lang. A person under 17 gets the answer for children: Childline
// and the council's children's services front door. vars fill the
// placeholders ({council_housing_ooh}, {children_front_door}); a line whose
// placeholder is unset or empty is left out. A language without its own
// response gets the default language's and a line in its own saying help is
// free and interpreters are available.
func (b *Bundle) RiskResponse(lang string, k risk.Kind, under17 bool, vars map[string]string) string {
	s := b.riskText(lang, func(l *risk.Language) string {
		km := l.Kinds[k]
		if under17 {
			if km != nil && km.Under17 != "" {
				return km.Under17
			}
			return l.Under17
		}
		if km == nil {
			return ""
		}
		return km.Response
	})
	return fillRisk(s, vars)
}

// RiskDenied is the gentle answer to a message that spoke of risk only to
// deny it ("I'm not suicidal"): no alarm, and where help is if that changes.
func (b *Bundle) RiskDenied(lang string) string {
	return b.riskText(lang, func(l *risk.Language) string { return l.Denied })
}

// RiskSeverity is the severity the content gives kind k: "emergency" or
// "urgent".
func (b *Bundle) RiskSeverity(k risk.Kind) string {
	if b.Risk != nil {
		if l := b.Risk.Languages[b.DefaultLang]; l != nil && l.Kinds[k] != nil && l.Kinds[k].Severity != "" {
			return l.Kinds[k].Severity
		}
	}
	if k.Emergency() {
		return "emergency"
	}
	return "urgent"
}

// fillRisk fills the placeholders of a response from vars, leaving out each
// line with a placeholder that has no value.
func fillRisk(s string, vars map[string]string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, line := range lines {
		keep := true
		for _, v := range Vars(line) {
			val := strings.TrimSpace(vars[v])
			if val == "" {
				keep = false
				break
			}
			line = strings.ReplaceAll(line, "{"+v+"}", val)
		}
		if keep {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
