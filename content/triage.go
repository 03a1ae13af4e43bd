package content

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Priorities a triage rule may give a referral. Routine is what a referral
// is when no rule holds, so no rule gives it.
const (
	PriorityUrgent = "urgent"
	PriorityHigh   = "high"
)

// MaxReasonWords bounds the words of a reason: they sit on a card line
// beside the other reasons.
const MaxReasonWords = 120

// reasonPattern is what a reason code may be: it is stored on referrals and
// shown in the figures.
var reasonPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Triage is how pressing a referral is, read from the answers the person
// gave: each rule that holds adds its reason and raises the referral to its
// priority. It lives in triage.yaml, so that a council can change what
// counts as high or urgent without a new release.
type Triage struct {
	Rules []TriageRule `yaml:"rules" json:"rules"`
}

// TriageRule is one rule: it holds when every condition of All holds and,
// if Any is given, at least one of Any does.
type TriageRule struct {
	// Reason is the code stored on the referral, such as housing_56_days.
	Reason string `yaml:"reason" json:"reason"`
	// Priority is urgent or high.
	Priority string `yaml:"priority" json:"priority"`
	// Words are what link workers read on the card and the case.
	Words string `yaml:"words" json:"words"`
	All   []Cond `yaml:"all,omitempty" json:"all,omitempty"`
	Any   []Cond `yaml:"any,omitempty" json:"any,omitempty"`
}

// TriageMatch is a rule that held.
type TriageMatch struct {
	Reason, Priority, Words string
}

// Holds reports whether the rule holds for answers.
func (r TriageRule) Holds(answers map[string]string) bool {
	if len(r.All) == 0 && len(r.Any) == 0 {
		return false
	}
	for _, c := range r.All {
		if !c.Holds(answers) {
			return false
		}
	}
	return len(r.Any) == 0 || slices.ContainsFunc(r.Any, func(c Cond) bool { return c.Holds(answers) })
}

// Triage returns the rules of the bundle that hold for answers, in the
// order the rules are written.
func (b *Bundle) Triage(answers map[string]string) []TriageMatch {
	if b == nil || b.TriageRules == nil {
		return nil
	}
	var out []TriageMatch
	for _, r := range b.TriageRules.Rules {
		if r.Holds(answers) {
			out = append(out, TriageMatch{Reason: r.Reason, Priority: r.Priority, Words: r.Words})
		}
	}
	return out
}

// ReasonWords returns the words of every reason the triage rules name, by code.
func (b *Bundle) ReasonWords() map[string]string {
	out := map[string]string{}
	if b == nil || b.TriageRules == nil {
		return out
	}
	for _, r := range b.TriageRules.Rules {
		out[r.Reason] = r.Words
	}
	return out
}

// Holds reports whether the condition holds for answers.
func (c Cond) Holds(answers map[string]string) bool {
	switch {
	case c.Set != nil:
		v, ok := answers[c.Var]
		return (ok && v != "") == *c.Set
	case c.Has != "":
		return slices.Contains(strings.Split(answers[c.Var], ","), c.Has)
	case c.AtLeast != nil || c.AtMost != nil:
		n, ok := c.number(answers)
		return ok && (c.AtLeast == nil || n >= *c.AtLeast) && (c.AtMost == nil || n <= *c.AtMost)
	default:
		v, ok := answers[c.Var]
		return ok && slices.Contains(c.In, v)
	}
}

// number is the whole number the condition compares: the answer of Var, or
// the total of the answers Sum names. A skipped or non-numeric answer gives
// none, so a rule never holds on an answer that was not given.
func (c Cond) number(answers map[string]string) (int, bool) {
	vars := c.Sum
	if len(vars) == 0 {
		vars = []string{c.Var}
	}
	total := 0
	for _, v := range vars {
		n, err := strconv.Atoi(strings.TrimSpace(answers[v]))
		if err != nil {
			return 0, false
		}
		total += n
	}
	return total, true
}

// triage checks the triage rules: known priorities, distinct reason codes,
// words within limits, and conditions on answers some question records.
func (c *checker) triage() {
	if c.b.TriageRules == nil {
		return
	}
	seen := map[string]bool{}
	for i, r := range c.b.TriageRules.Rules {
		where := fmt.Sprintf("triage.yaml, rule %d", i+1)
		if r.Reason != "" {
			where += " (" + r.Reason + ")"
		}
		c.need(reasonPattern.MatchString(r.Reason), where, "a reason is a code of a-z, 0-9 and _, starting with a letter, at most 40 long")
		c.need(!seen[r.Reason], where, "the same reason twice")
		seen[r.Reason] = true
		c.need(r.Priority == PriorityUrgent || r.Priority == PriorityHigh, where, fmt.Sprintf("priority %q: use urgent or high", r.Priority))
		c.need(strings.TrimSpace(r.Words) != "", where, "a rule needs words for the link workers")
		c.need(utf8.RuneCountInString(r.Words) <= MaxReasonWords, where, fmt.Sprintf("words longer than %d characters", MaxReasonWords))
		c.need(len(r.All)+len(r.Any) > 0, where, "a rule needs at least one condition in all or any")
		for j, cd := range append(slices.Clone(r.All), r.Any...) {
			c.cond(cd, fmt.Sprintf("%s, condition %d", where, j+1))
		}
	}
}
