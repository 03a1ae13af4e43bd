package risk

import (
	"fmt"
	"strings"
)

// expandChoices writes a phrase out into the word sequences it stands for.
// A choice is written in brackets with "|" between its alternatives; an
// alternative may be several words or none ("(want to|wanna) die",
// "(really|) want to die"). Choices do not nest.
//
// A choice of single words stays one element (any of them matches) unless
// one of its words stands for several (multi, as "gonna" does "going to").
func expandChoices(text string, multi func(string) bool) ([][]string, error) {
	seqs := [][]string{nil}
	rest := text
	for rest != "" {
		open := strings.IndexByte(rest, '(')
		if closeAt := strings.IndexByte(rest, ')'); closeAt >= 0 && (open < 0 || closeAt < open) {
			return nil, fmt.Errorf("a ) without its (")
		}
		if open < 0 {
			seqs = appendWords(seqs, strings.Fields(rest))
			break
		}
		seqs = appendWords(seqs, strings.Fields(rest[:open]))
		end := strings.IndexByte(rest[open:], ')')
		if end < 0 {
			return nil, fmt.Errorf("a ( without its )")
		}
		inner := rest[open+1 : open+end]
		if strings.ContainsRune(inner, '(') {
			return nil, fmt.Errorf("choices do not nest")
		}
		alts := strings.Split(inner, "|")
		if oneWordEach(alts, multi) {
			// One element that any of the words matches: no need to
			// write the phrase out once for each.
			seqs = appendWords(seqs, []string{strings.Join(strings.Fields(strings.Join(alts, " ")), "|")})
			rest = rest[open+end+1:]
			continue
		}
		var next [][]string
		for _, alt := range alts {
			for _, s := range seqs {
				next = append(next, append(append([]string{}, s...), strings.Fields(alt)...))
			}
		}
		if len(next) > 4096 {
			return nil, fmt.Errorf("too many choices: write it as several phrases")
		}
		seqs = next
		rest = rest[open+end+1:]
	}
	var out [][]string
	for _, s := range seqs {
		if len(s) > 0 {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("has no words")
	}
	return out, nil
}

func appendWords(seqs [][]string, words []string) [][]string {
	if len(words) == 0 {
		return seqs
	}
	for i := range seqs {
		seqs[i] = append(seqs[i], words...)
	}
	return seqs
}

func oneWordEach(alts []string, multi func(string) bool) bool {
	for _, a := range alts {
		if len(strings.Fields(a)) != 1 || strings.TrimSpace(a) == "..." || strings.TrimSpace(a) == "$" || multi(strings.TrimSpace(a)) {
			return false
		}
	}
	return len(alts) > 1
}
