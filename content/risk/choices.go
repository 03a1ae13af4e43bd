package risk

import (
	"fmt"
	"strings"
)

// ptoken is one written token of a phrase: a word, a gap ("..."), the end
// of a clause ("$"), or a choice in brackets.
type ptoken struct {
	word   string
	gap    bool
	end    bool
	choice [][]string // each alternative's words; an empty one makes the choice optional
}

// parsePhrase reads a phrase. A choice is written in brackets with "|"
// between its alternatives; an alternative may be several words or none
// ("(want to|wanna) die", "(really|) want to die"). Choices do not nest.
func parsePhrase(text string) ([]ptoken, error) {
	var out []ptoken
	words := func(s string) {
		for _, w := range strings.Fields(s) {
			switch w {
			case "...":
				out = append(out, ptoken{gap: true})
			case "$":
				out = append(out, ptoken{end: true})
			default:
				out = append(out, ptoken{word: w})
			}
		}
	}
	rest := text
	for rest != "" {
		open := strings.IndexByte(rest, '(')
		if closeAt := strings.IndexByte(rest, ')'); closeAt >= 0 && (open < 0 || closeAt < open) {
			return nil, fmt.Errorf("a ) without its (")
		}
		if open < 0 {
			words(rest)
			break
		}
		words(rest[:open])
		end := strings.IndexByte(rest[open:], ')')
		if end < 0 {
			return nil, fmt.Errorf("a ( without its )")
		}
		inner := rest[open+1 : open+end]
		if strings.ContainsRune(inner, '(') {
			return nil, fmt.Errorf("choices do not nest")
		}
		var t ptoken
		for _, a := range strings.Split(inner, "|") {
			f := strings.Fields(a)
			for _, w := range f {
				if w == "..." || (w == "$" && len(f) > 1) {
					return nil, fmt.Errorf("%q inside a choice", w)
				}
			}
			t.choice = append(t.choice, f)
		}
		out = append(out, t)
		rest = rest[open+end+1:]
	}
	for i, t := range out {
		if t.end && i != len(out)-1 {
			return nil, fmt.Errorf(`"$" only ends a phrase`)
		}
		for _, a := range t.choice {
			if len(a) == 1 && a[0] == "$" && i != len(out)-1 {
				return nil, fmt.Errorf(`"$" only ends a phrase`)
			}
		}
	}
	return out, nil
}

// variants writes out a phrase whose last choice offers "$" as two: one
// ending in the choice's other words, one ending at the end of a clause.
func variants(toks []ptoken) [][]ptoken {
	if len(toks) == 0 || toks[len(toks)-1].choice == nil {
		return [][]ptoken{toks}
	}
	last := toks[len(toks)-1]
	var rest [][]string
	dollar := false
	for _, a := range last.choice {
		if len(a) == 1 && a[0] == "$" {
			dollar = true
			continue
		}
		rest = append(rest, a)
	}
	if !dollar {
		return [][]ptoken{toks}
	}
	head := toks[:len(toks)-1]
	out := [][]ptoken{append(append([]ptoken{}, head...), ptoken{end: true})}
	if len(rest) > 0 {
		out = append(out, append(append([]ptoken{}, head...), ptoken{choice: rest}))
	}
	return out
}
