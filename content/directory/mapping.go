package directory

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// mappingYAML maps LGA esd and Open Eligibility terms to needs.
//
//go:embed mapping.yaml
var mappingYAML []byte

// Mapping turns a feed's taxonomy terms into the bot's needs. It is data
// (mapping.yaml), so a council can fit it to its own feed without Go.
type Mapping struct {
	Version int `yaml:"version"`
	// Needs lists, for each need, the terms that mean it: "Debt" matches a
	// term of that name in any vocabulary; "esdNeeds:Debt" only in that
	// vocabulary, by name or code.
	Needs map[string][]string `yaml:"needs"`
	// CareLeaverTerms mark a service as for care leavers only.
	CareLeaverTerms []string `yaml:"care_leaver_terms"`
	// AdviceTerms mark a service as giving advice, which urgent money and
	// housing worries lift in matching.
	AdviceTerms []string `yaml:"advice_terms"`
	// Keywords are whole words looked for in a service's name when none of
	// its terms map.
	Keywords map[string][]string `yaml:"keywords"`

	byName     map[string]needSet // bare term name -> needs
	byQual     map[string]needSet // "vocabulary:name-or-code" -> needs
	careLeaver map[string]bool    // both forms
	advice     map[string]bool    // both forms
	keywords   map[string]needSet
}

// term is one taxonomy term as found in a feed.
type term struct {
	vocab, name, code string
}

var defaultMapping = sync.OnceValues(func() (*Mapping, error) {
	return ParseMapping(mappingYAML)
})

// DefaultMapping returns the embedded mapping. It is shared: do not modify
// it. It panics if the embedded file does not parse, which tests rule out.
func DefaultMapping() *Mapping {
	m, err := defaultMapping()
	if err != nil {
		panic(fmt.Sprintf("directory: embedded mapping.yaml: %v", err))
	}
	return m
}

// LoadMapping reads a mapping file; an empty path gives DefaultMapping.
func LoadMapping(path string) (*Mapping, error) {
	if path == "" {
		return DefaultMapping(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load mapping: %w", err)
	}
	m, err := ParseMapping(data)
	if err != nil {
		return nil, fmt.Errorf("load mapping %s: %w", filepath.Base(path), err)
	}
	return m, nil
}

// ParseMapping decodes a mapping and rejects references to needs that do
// not exist, since such a line would silently map nothing.
func ParseMapping(data []byte) (*Mapping, error) {
	m := &Mapping{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(m); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("parse mapping: empty file")
		}
		return nil, fmt.Errorf("parse mapping: %w", err)
	}
	if ps := CheckMapping(m); HasErrors(ps) {
		return nil, fmt.Errorf("parse mapping: %s", ps[0].Message)
	}
	m.compile()
	return m, nil
}

// CheckMapping reports needs the mapping names that are not in the
// vocabulary, and needs it leaves without any term (a warning: such a need
// can then only come from the default directory).
func CheckMapping(m *Mapping) []Problem {
	var ps []Problem
	for _, src := range []map[string][]string{m.Needs, m.Keywords} {
		for n, terms := range src {
			if !IsNeed(n) {
				ps = append(ps, Problem{Severity: SeverityError, Message: fmt.Sprintf("mapping names unknown need %q", n)})
			}
			for _, t := range terms {
				if normTerm(t) == "" {
					ps = append(ps, Problem{Severity: SeverityError, Message: fmt.Sprintf("mapping for %q has an empty term", n)})
				}
			}
		}
	}
	for _, n := range Needs {
		if len(m.Needs[n]) == 0 {
			ps = append(ps, Problem{Severity: SeverityWarning, Message: fmt.Sprintf("mapping has no terms for need %q", n)})
		}
	}
	return ps
}

func (m *Mapping) compile() {
	m.byName = map[string]needSet{}
	m.byQual = map[string]needSet{}
	m.careLeaver = map[string]bool{}
	m.keywords = map[string]needSet{}
	for n, terms := range m.Needs {
		for _, t := range terms {
			if v, name, ok := strings.Cut(t, ":"); ok && !strings.Contains(name, ":") && !strings.Contains(v, " ") {
				m.byQual[normTerm(v)+":"+normTerm(name)] |= needBit[n]
			} else {
				m.byName[normTerm(t)] |= needBit[n]
			}
		}
	}
	m.advice = map[string]bool{}
	for _, t := range m.CareLeaverTerms {
		m.careLeaver[normTerm(t)] = true
	}
	for _, t := range m.AdviceTerms {
		m.advice[normTerm(t)] = true
	}
	for n, words := range m.Keywords {
		for _, w := range words {
			m.keywords[normTerm(w)] |= needBit[n]
		}
	}
}

// termFlags is what a service's terms say beyond its needs.
type termFlags struct {
	careLeaver, advice bool
}

// has reports whether any form of a term is in set: its bare name, or
// "vocabulary:name" or "vocabulary:code".
func has(set map[string]bool, v, n, c string) bool {
	return set[n] || (v != "" && (set[v+":"+n] || (c != "" && set[v+":"+c])))
}

// needsFor maps a service's terms to needs and flags. When no term maps,
// whole words of the name are tried against the keywords.
func (m *Mapping) needsFor(terms []term, name string) (needs needSet, flags termFlags) {
	for _, t := range terms {
		v, n, c := normTerm(t.vocab), normTerm(t.name), normTerm(t.code)
		needs |= m.byName[n]
		if v != "" {
			needs |= m.byQual[v+":"+n]
			if c != "" {
				needs |= m.byQual[v+":"+c]
			}
		}
		flags.careLeaver = flags.careLeaver || has(m.careLeaver, v, n, c)
		flags.advice = flags.advice || has(m.advice, v, n, c)
	}
	if needs == 0 && len(m.keywords) > 0 {
		for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
		}) {
			needs |= m.keywords[w]
		}
	}
	return needs, flags
}

// normTerm lowercases a term and collapses its spaces, so "Debt  Advice"
// and "debt advice" are one term.
func normTerm(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}
