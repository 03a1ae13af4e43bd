package risk

import (
	"fmt"
	"strings"
)

// Word classes let a language name a set of words once and use it in many
// phrases: with
//
//	classes:
//	  partner: [partner, husband, wife, boyfriend, girlfriend, my ex]
//	  harm: [hit, punch, slap, kick, choke]
//
// the pattern "{partner} ... {harm} me" reads as "(partner|husband|...) ...
// (hit|punch|...) me". A phrase is a small grammar of roles (who, does
// what, to whom) and the classes are its vocabulary, so a council adds a
// word to a class once and every phrase using the class knows it.
//
// A class may stand as a word of its own in a phrase, or inside a choice
// ("(he|{partner})", "(my {body}|myself)").
// An entry of a class may be several words, or another class written
// "{name}" on its own. A language without a class of that name uses the
// default language's.

// maxClassDepth bounds how deeply classes may name one another.
const maxClassDepth = 8

// classLookup finds a class by name.
type classLookup func(name string) ([]string, bool)

// expandClasses writes every "{name}" of text out as the class's words.
// Outside a choice a class becomes a choice of its own; inside one, each
// alternative holding a class becomes one alternative for each of its words
// ("(my {body}|myself)" is "(my arm|my leg|...|myself)").
func expandClasses(text string, lookup classLookup) (string, error) {
	if !strings.ContainsAny(text, "{}") {
		return text, nil
	}
	var b strings.Builder
	rest := text
	for rest != "" {
		open := strings.IndexByte(rest, '(')
		if open < 0 {
			open = len(rest)
		}
		out, err := expandWords(rest[:open], lookup)
		if err != nil {
			return "", err
		}
		b.WriteString(out)
		if open == len(rest) {
			break
		}
		end := strings.IndexByte(rest[open:], ')')
		if end < 0 {
			return "", fmt.Errorf("a ( without its )")
		}
		var alts []string
		for _, a := range strings.Split(rest[open+1:open+end], "|") {
			more, err := expandAlt(a, lookup)
			if err != nil {
				return "", err
			}
			alts = append(alts, more...)
		}
		b.WriteString("(" + strings.Join(alts, "|") + ")")
		rest = rest[open+end+1:]
	}
	return b.String(), nil
}

// expandWords expands the classes of text outside any choice, each into a
// choice.
func expandWords(text string, lookup classLookup) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexAny(text, "{}")
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		if text[i] == '}' {
			return "", fmt.Errorf("a } without its {")
		}
		end := strings.IndexByte(text[i:], '}')
		if end < 0 {
			return "", fmt.Errorf("a { without its }")
		}
		words, err := flattenClass(text[i+1:i+end], lookup, 0)
		if err != nil {
			return "", err
		}
		b.WriteString(text[:i] + "(" + strings.Join(words, "|") + ")")
		text = text[i+end+1:]
	}
}

// expandAlt writes one alternative of a choice out as one alternative for
// each word of each class it holds.
func expandAlt(alt string, lookup classLookup) ([]string, error) {
	i := strings.IndexAny(alt, "{}")
	if i < 0 {
		return []string{alt}, nil
	}
	if alt[i] == '}' {
		return nil, fmt.Errorf("a } without its {")
	}
	end := strings.IndexByte(alt[i:], '}')
	if end < 0 {
		return nil, fmt.Errorf("a { without its }")
	}
	words, err := flattenClass(alt[i+1:i+end], lookup, 0)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, w := range words {
		more, err := expandAlt(alt[:i]+w+alt[i+end+1:], lookup)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
		if len(out) > maxClassAlts {
			return nil, fmt.Errorf("a choice with classes stands for more than %d alternatives", maxClassAlts)
		}
	}
	return out, nil
}

// maxClassAlts bounds the alternatives one choice may expand to.
const maxClassAlts = 400

// flattenClass lists the words of class name, the words of the classes it
// names included.
func flattenClass(name string, lookup classLookup, depth int) ([]string, error) {
	if depth > maxClassDepth {
		return nil, fmt.Errorf("class {%s}: classes name one another in a loop", name)
	}
	entries, ok := lookup(name)
	if !ok {
		return nil, fmt.Errorf("no class {%s}", name)
	}
	var out []string
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if strings.HasPrefix(e, "{") && strings.HasSuffix(e, "}") && !strings.ContainsAny(e[1:len(e)-1], "{}") {
			sub, err := flattenClass(e[1:len(e)-1], lookup, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
			continue
		}
		if e == "" || strings.ContainsAny(e, "(){}|$") || strings.Contains(e, "...") {
			return nil, fmt.Errorf("class {%s}: entry %q must be plain words or one {class}", name, e)
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("class {%s} has no words", name)
	}
	return out, nil
}

// CheckClasses reports the problems of a language's classes: an entry that
// is not plain words, a class naming one that does not exist, a loop, a
// class with no words. def is the default language's, which a language may
// use; it may be nil.
func CheckClasses(l, def *Language) []string {
	var out []string
	lookup := classesOf(l, def)
	for name := range l.Classes {
		if !classNameOK(name) {
			out = append(out, fmt.Sprintf("class name %q: use lower-case letters, digits and _", name))
			continue
		}
		if _, err := flattenClass(name, lookup, 0); err != nil {
			out = append(out, err.Error())
		}
	}
	return out
}

func classNameOK(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// classesOf looks a class up in l, then in def.
func classesOf(l, def *Language) classLookup {
	return func(name string) ([]string, bool) {
		if l != nil {
			if c, ok := l.Classes[name]; ok {
				return c, true
			}
		}
		if def != nil {
			if c, ok := def.Classes[name]; ok {
				return c, true
			}
		}
		return nil, false
	}
}
