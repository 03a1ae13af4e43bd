package safetycase

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// phoneNumber finds what reads as a phone number in a message: digits in
// groups, three digits or more in all.
var phoneNumber = regexp.MustCompile(`(?:^|[^\w-])(\d[\d ]*\d)(?:[^\w:%]|$)`)

// notNumbers are digits that are no phone number: a time, a length, a scale.
var notNumber = regexp.MustCompile(`^\d+ ?(am|pm|characters?|KB|to|or)\b`)

// TestEveryNumberIsListed: every phone number a message or a risk response
// gives is in the table of numbers in docs/domain.md, beside its source and
// when it was checked, and the risk services' numbers have the same source
// there, so that no number reaches a person in crisis unchecked.
func TestEveryNumberIsListed(t *testing.T) {
	sources := map[string]string{} // digits → source in docs/domain.md
	for _, line := range strings.Split(readDoc(t, "docs/domain.md"), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) > 6 && digits(cells[1]) != "" && strings.TrimSpace(cells[1]) == strings.TrimSpace(strings.Map(keepNumber, cells[1])) {
			sources[digits(cells[1])] = strings.TrimSpace(cells[4])
		}
	}
	var services []struct {
		ID      string   `yaml:"id"`
		Numbers []string `yaml:"numbers"`
		Source  string   `yaml:"source"`
	}
	if err := yaml.Unmarshal([]byte(readDoc(t, "content/data/risk/services.yaml")), &services); err != nil {
		t.Fatal(err)
	}
	for _, s := range services {
		for _, n := range s.Numbers {
			if len(digits(n)) < 3 {
				continue // "press 55"
			}
			if got, ok := sources[digits(n)]; !ok {
				t.Errorf("risk service %s gives %s, which docs/domain.md does not list", s.ID, n)
			} else if got != s.Source {
				t.Errorf("risk service %s cites %s for %s; docs/domain.md cites %s", s.ID, s.Source, n, got)
			}
		}
	}
	var files []string
	for _, pattern := range []string{"messages/*.yaml", "risk/*.yaml"} {
		f, err := filepath.Glob(filepath.Join(repoRoot, "content", "data", filepath.FromSlash(pattern)))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f...)
	}
	found := 0
	for _, f := range files {
		path := strings.TrimPrefix(filepath.ToSlash(f), repoRoot+"/")
		if path == "content/data/risk/services.yaml" {
			continue
		}
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(readDoc(t, path)), &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, text := range scalars(&doc) {
			for _, m := range phoneNumber.FindAllStringSubmatchIndex(text, -1) {
				n := text[m[2]:m[3]]
				if len(digits(n)) < 3 || notNumber.MatchString(text[m[2]:]) {
					continue
				}
				found++
				if _, ok := sources[digits(n)]; !ok {
					t.Errorf("%s gives the number %q, which docs/domain.md does not list with its source", path, n)
				}
			}
		}
	}
	if found < 5 {
		t.Errorf("found only %d numbers in the content; is the pattern right?", found)
	}
}

// keepNumber keeps the characters of a phone number as written.
func keepNumber(r rune) rune {
	if r == ' ' || (r >= '0' && r <= '9') {
		return r
	}
	return -1
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// scalars returns every string value of a YAML document but those of a
// risk language's lexicon and word classes: the words its phrases are read
// with (years, ages), matched in what people write and never shown to them.
func scalars(n *yaml.Node) []string {
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}
	}
	var out []string
	for i, c := range n.Content {
		if n.Kind == yaml.MappingNode && i%2 == 0 {
			continue // a key
		}
		if n.Kind == yaml.MappingNode && (n.Content[i-1].Value == "lexicon" || n.Content[i-1].Value == "classes") {
			continue
		}
		out = append(out, scalars(c)...)
	}
	return out
}
