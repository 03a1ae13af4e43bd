package flows

import (
	"strings"

	"signpost/content"
)

// display is how an answer reads back to the person: labels, not values.
func (st *stepper) display(n *content.Node, value string) string {
	if value == "" {
		return st.words("skipped")
	}
	switch n.Kind {
	case content.KindMulti:
		var labels []string
		for _, v := range strings.Split(value, ",") {
			labels = append(labels, st.optionLabel(n, v))
		}
		return strings.Join(labels, ", ")
	case content.KindChoice, content.KindScale:
		return st.optionLabel(n, value)
	}
	return value
}

// optionLabel is the label of the option with value v. A value that is no
// option, such as a deep-link source "gp_F86001", reads as "My GP or surgery (F86001)".
func (st *stepper) optionLabel(n *content.Node, v string) string {
	if o, ok := n.Option(v); ok {
		return st.words(o.Label)
	}
	if prefix, rest, ok := strings.Cut(v, "_"); ok {
		if o, ok := n.Option(prefix); ok {
			return st.words(o.Label) + " (" + rest + ")"
		}
	}
	return v
}

// lookup gives the value of a message variable: an answer as it reads, the
// summary, or the run's reference.
func (st *stepper) lookup(name string) (string, bool) {
	switch name {
	case "summary":
		return st.summary(), true
	case "ref":
		return Ref(st.s.Run), true
	case "opens":
		return OpensWords(st.ev.Opens, st.now), true
	}
	if v, ok := st.b.Fact(name); ok {
		return v, true
	}
	if st.flow == nil {
		return "", false
	}
	for _, n := range st.flow.Nodes {
		if n.Var == name && n.Asks() {
			v, ok := st.s.Answers[name]
			if !ok {
				return "", true
			}
			return st.display(n, v), true
		}
	}
	return "", false
}

// summary lists the answers given, in the order the flow writes its questions.
func (st *stepper) summary() string {
	var lines []string
	seen := map[string]bool{}
	for _, n := range st.flow.Nodes {
		if n.Summary == "" || !n.Asks() || seen[n.Var] {
			continue
		}
		v, ok := st.s.Answers[n.Var]
		if !ok {
			continue
		}
		seen[n.Var] = true
		lines = append(lines, st.words(n.Summary)+": "+st.display(n, v))
	}
	return strings.Join(lines, "\n")
}
