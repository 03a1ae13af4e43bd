package content

import "fmt"

// Node kinds. A node either talks (say, end), asks (choice, multi, text, scale),
// or moves on without asking (branch, action).
const (
	KindSay    = "say"
	KindChoice = "choice"
	KindMulti  = "multi"
	KindText   = "text"
	KindScale  = "scale"
	KindBranch = "branch"
	KindAction = "action"
	KindEnd    = "end"
	// KindSuggest shows local groups and services from the directory that
	// fit the answers, and records what the person makes of each.
	KindSuggest = "suggest"
)

// Actions a node of kind action may emit as an effect.
const (
	ActionSuggest  = "suggest_services"
	ActionReferral = "create_referral"
	ActionCheckins = "offer_checkins"
	// ActionCheckinAnswer records a check-in's answers.
	ActionCheckinAnswer = "record_checkin"
	// ActionCheckinSettings changes when check-ins come, pauses or stops them.
	ActionCheckinSettings = "checkin_settings"
	// ActionFollowUp keeps the follow-up wellbeing answers a link worker
	// asked for on the person's referral.
	ActionFollowUp = "record_follow_up"
	// ActionTalk asks for a link worker to get in touch, with the person's
	// name and how they would like to be reached: /talk, or a check-in.
	ActionTalk = "request_talk"
)

// Flow is one conversation: its nodes in the order they are written, which is
// also the order of the summary.
type Flow struct {
	ID    string `yaml:"id" json:"id"`
	Start string `yaml:"start" json:"start"`
	// Inputs are the variables the code that starts the flow may give it
	// (flows.Event.Vars), such as whether a follow-up also asks the
	// loneliness scale; conditions may test them as they test answers.
	Inputs []string `yaml:"inputs,omitempty" json:"inputs,omitempty"`
	Nodes  []*Node  `yaml:"nodes" json:"nodes"`

	index map[string]*Node
}

// Node is one step of a flow. Text, Invalid, Summary and option labels are
// message keys, looked up in the person's language.
type Node struct {
	ID   string `yaml:"id" json:"id"`
	Kind string `yaml:"kind" json:"kind"`
	Text string `yaml:"text,omitempty" json:"text,omitempty"`
	Next string `yaml:"next,omitempty" json:"next,omitempty"`

	// Var names the answer an asking node records.
	Var string `yaml:"var,omitempty" json:"var,omitempty"`
	// Summary is the message key of the label this answer has in the summary;
	// empty leaves it out.
	Summary string `yaml:"summary,omitempty" json:"summary,omitempty"`
	// Optional adds a Skip button; a skipped answer is recorded as empty.
	Optional bool `yaml:"optional,omitempty" json:"optional,omitempty"`
	// Invalid is the message key said before asking again after bad input.
	Invalid string `yaml:"invalid,omitempty" json:"invalid,omitempty"`

	// Options of choice and multi nodes, and optional labels of scale values.
	Options []Option `yaml:"options,omitempty" json:"options,omitempty"`
	// Columns is how many buttons share a row (default 1 for choices, 6 for scales).
	Columns int `yaml:"columns,omitempty" json:"columns,omitempty"`

	// Text validation: a regular expression the whole answer must match (if it
	// has a group, the first group is what is kept), and length limits in characters.
	Pattern string `yaml:"pattern,omitempty" json:"pattern,omitempty"`
	MinLen  int    `yaml:"min_len,omitempty" json:"min_len,omitempty"`
	MaxLen  int    `yaml:"max_len,omitempty" json:"max_len,omitempty"`
	Upper   bool   `yaml:"upper,omitempty" json:"upper,omitempty"`

	// Scale bounds (inclusive) and, for multi, the least number of picks.
	Min int `yaml:"min,omitempty" json:"min,omitempty"`
	Max int `yaml:"max,omitempty" json:"max,omitempty"`

	// Consent marks the consent question: the option with value "yes" gives consent.
	Consent bool `yaml:"consent,omitempty" json:"consent,omitempty"`
	// Review marks the summary question: it is always asked, and it ends editing.
	Review bool `yaml:"review,omitempty" json:"review,omitempty"`

	// Branches are tried in order; the first whose condition holds wins, else Next.
	Branches []Branch `yaml:"branches,omitempty" json:"branches,omitempty"`

	// Action is the effect an action node emits.
	Action string `yaml:"action,omitempty" json:"action,omitempty"`

	// Erase, on an end node, erases everything of the person once the goodbye is sent.
	Erase bool `yaml:"erase,omitempty" json:"erase,omitempty"`
	// Young, on an end node that erases, keeps one mark: the person said
	// they are under 17. What they write next is still read for risk and
	// answered kindly, and the adult conversation does not start again.
	Young bool `yaml:"young,omitempty" json:"young,omitempty"`
}

// Option is one button of a choice, multi or scale node.
type Option struct {
	Value string `yaml:"value" json:"value"`
	Label string `yaml:"label" json:"label"`
	// Next overrides the node's Next when this option is chosen (choice only).
	Next string `yaml:"next,omitempty" json:"next,omitempty"`
	// Edit, on a choice, clears these answers and walks the flow again from
	// Next, asking only what is unanswered, up to the review node.
	Edit []string `yaml:"edit,omitempty" json:"edit,omitempty"`
	// Risk, on a choice, makes choosing this option a disclosure of these
	// kinds of risk (risk.Kind codes): their response, an urgent flag and
	// "are you safe right now?" come before the flow goes on.
	Risk []string `yaml:"risk,omitempty" json:"risk,omitempty"`
}

// Branch sends the flow to Next when If holds.
type Branch struct {
	If   Cond   `yaml:"if" json:"if"`
	Next string `yaml:"next" json:"next"`
}

// Cond tests one recorded answer. Exactly one of In, Has, Set or a bound
// (AtLeast, AtMost, or both) is given.
type Cond struct {
	Var string `yaml:"var,omitempty" json:"var,omitempty"`
	// In holds when the answer is one of these values.
	In []string `yaml:"in,omitempty" json:"in,omitempty"`
	// Has holds when a multi answer includes this value.
	Has string `yaml:"has,omitempty" json:"has,omitempty"`
	// Set holds when the answer's presence (a non-empty value) equals *Set.
	Set *bool `yaml:"set,omitempty" json:"set,omitempty"`
	// AtLeast and AtMost hold when the answer is a whole number within
	// them; a skipped answer holds neither.
	AtLeast *int `yaml:"at_least,omitempty" json:"at_least,omitempty"`
	AtMost  *int `yaml:"at_most,omitempty" json:"at_most,omitempty"`
	// Sum, in place of Var, bounds the total of these answers (all must be
	// whole numbers), such as the three loneliness questions.
	Sum []string `yaml:"sum,omitempty" json:"sum,omitempty"`
}

// Asks reports whether the node waits for the person's answer.
func (n *Node) Asks() bool {
	switch n.Kind {
	case KindChoice, KindMulti, KindText, KindScale, KindSuggest:
		return true
	}
	return false
}

// Option returns the option with the given value.
func (n *Node) Option(value string) (Option, bool) {
	for _, o := range n.Options {
		if o.Value == value {
			return o, true
		}
	}
	return Option{}, false
}

// Node returns the node with the given id, or nil.
func (f *Flow) Node(id string) *Node {
	return f.index[id]
}

func (f *Flow) buildIndex() error {
	f.index = make(map[string]*Node, len(f.Nodes))
	for _, n := range f.Nodes {
		if n == nil || n.ID == "" {
			return fmt.Errorf("flow %s: a node has no id", f.ID)
		}
		if _, dup := f.index[n.ID]; dup {
			return fmt.Errorf("flow %s: node %s is defined twice", f.ID, n.ID)
		}
		f.index[n.ID] = n
	}
	return nil
}
