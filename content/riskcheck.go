package content

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"signpost/content/risk"
)

// checkRisk checks the risk model: every kind has a response and its
// phrases in every language, every number a response names is one of the
// approved services', and every placeholder is known.
func (c *checker) checkRisk() {
	m := c.b.Risk
	if m == nil || len(m.Languages) == 0 {
		c.add("risk", "no risk model: signpost could not recognise anyone at risk")
		return
	}
	approved := map[string]bool{}
	for i, s := range m.Services {
		where := fmt.Sprintf("risk/services.yaml, service %d", i+1)
		if s.ID != "" {
			where = "risk/services.yaml, service " + s.ID
		}
		if s.Name == "" || s.Source == "" {
			c.add(where, "a service needs a name and the source its number was read from")
		}
		for _, n := range s.Numbers {
			approved[digits(n)] = true
		}
	}
	if len(m.Services) == 0 {
		c.add("risk/services.yaml", "no approved services: responses cannot name any number")
	}
	def := m.Languages[c.b.DefaultLang]
	if def == nil {
		c.add("risk", fmt.Sprintf("no risk model for the default language %q", c.b.DefaultLang))
		return
	}
	langs := make([]string, 0, len(m.Languages))
	for l := range m.Languages {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	placeholders := map[string]bool{}
	for _, p := range risk.Placeholders {
		placeholders[p] = true
	}
	text := func(where, s string) {
		if n := utf8.RuneCountInString(s); n > MaxMessageChars {
			c.add(where, fmt.Sprintf("is %d characters; Telegram allows %d", n, MaxMessageChars))
		}
		for _, v := range Vars(s) {
			if !placeholders[v] {
				c.add(where, fmt.Sprintf("unknown placeholder {%s}; known: %s", v, strings.Join(risk.Placeholders, ", ")))
			}
		}
		for _, n := range phoneNumbers(s) {
			if !approved[digits(n)] {
				c.add(where, fmt.Sprintf("names the number %q, which is not in the approved services (risk/services.yaml)", n))
			}
		}
	}
	if def.Denied == "" {
		c.add("risk/"+c.b.DefaultLang+".yaml", "no denied response")
	}
	if def.Under17 == "" {
		c.add("risk/"+c.b.DefaultLang+".yaml", "no under17 response")
	}
	for _, lang := range langs {
		l := m.Languages[lang]
		file := "risk/" + lang + ".yaml"
		if lang != c.b.DefaultLang && l.FreeHelp == "" {
			c.add(file, "no free_help line saying, in the language, that help is free and interpreters are available")
		}
		text(file+", denied", l.Denied)
		text(file+", under17", l.Under17)
		text(file+", free_help", l.FreeHelp)
		for _, problem := range risk.CheckClasses(l, def) {
			c.add(file+", classes", problem)
		}
		for i, cx := range l.Contexts {
			where := fmt.Sprintf("%s, context %d", file, i+1)
			if cx.About == "" {
				c.add(where, "no about: say what the context is, for people editing it")
			}
			if len(cx.Before)+len(cx.After)+len(cx.Opens) == 0 {
				c.add(where, "no before, after or opens cues: it would lower nothing")
			}
			for _, k := range cx.Lowers {
				if !knownKind(k) {
					c.add(where, fmt.Sprintf("lowers %q, which is no kind of risk", k))
				}
			}
		}
		for k := range l.Kinds {
			if !knownKind(k) {
				c.add(file, fmt.Sprintf("unknown kind %q", k))
			}
		}
		for _, k := range risk.Kinds {
			km := l.Kinds[k]
			where := fmt.Sprintf("%s, kind %s", file, k)
			if km == nil || len(km.Phrases)+len(km.Patterns) == 0 {
				c.add(where, "no phrases: a message in this language about it would not be recognised")
			}
			if lang == c.b.DefaultLang && (km == nil || km.Response == "") {
				c.add(where, "no response")
			}
			if km == nil {
				continue
			}
			if km.Severity != "" && km.Severity != "emergency" && km.Severity != "urgent" {
				c.add(where, fmt.Sprintf("severity %q is neither emergency nor urgent", km.Severity))
			}
			text(where+", response", km.Response)
			text(where+", under17", km.Under17)
		}
	}
}

func knownKind(k risk.Kind) bool {
	for _, kk := range risk.Kinds {
		if kk == k {
			return true
		}
	}
	return false
}

// phonePattern finds what a reader would dial: runs of digits with single
// spaces between them, three digits or more in all ("0800 1111", "116 123",
// "999"). Shorter runs are options and ages ("press 55", "under 19").
var phonePattern = regexp.MustCompile(`\d+(?: \d+)*`)

func phoneNumbers(s string) []string {
	var out []string
	for _, loc := range phonePattern.FindAllStringIndex(s, -1) {
		m := s[loc[0]:loc[1]]
		if r, _ := utf8.DecodeLastRuneInString(s[:loc[0]]); loc[0] > 0 && unicode.IsLetter(r) {
			continue // part of a name, as in HOPELINE247
		}
		if len(digits(m)) >= 3 {
			out = append(out, m)
		}
	}
	return out
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// Warnings lists what the content may ship with but someone should see to:
// the languages whose risk phrases no native speaker has reviewed.
func (b *Bundle) Warnings() []Problem {
	var out []Problem
	if b.Risk == nil {
		return nil
	}
	langs := make([]string, 0, len(b.Risk.Languages))
	for l := range b.Risk.Languages {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		if strings.TrimSpace(b.Risk.Languages[lang].ReviewedBy) == "" {
			out = append(out, Problem{Where: "risk/" + lang + ".yaml", What: "the risk phrases have not been reviewed by a native speaker (reviewed_by is empty)"})
		}
	}
	return out
}
