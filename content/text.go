package content

import "regexp"

// varPattern finds {name} placeholders in messages.
var varPattern = regexp.MustCompile(`\{([a-z_][a-z0-9_]*)\}`)

// Builtin variables every message may use besides the flow's answers.
// The web chat fills {code} (a resume code) and {seconds} (a wait) in its
// own messages; {opens} is when the service's team is next at work, as
// "9am on Monday" (flows.OpensWords).
var Builtin = []string{"summary", "ref", "code", "seconds", "opens"}

// Expand replaces each {name} in s with lookup(name); unknown names are left as they are.
func Expand(s string, lookup func(name string) (string, bool)) string {
	return varPattern.ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := lookup(m[1 : len(m)-1]); ok {
			return v
		}
		return m
	})
}

// Vars lists the variable names s refers to.
func Vars(s string) []string {
	var out []string
	for _, m := range varPattern.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}
