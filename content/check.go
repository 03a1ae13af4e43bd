package content

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"signpost/content/risk"
)

// Telegram's limits that content must respect.
const (
	MaxMessageChars  = 4096
	MaxButtonsPerRow = 8
	MaxButtons       = 100
	MaxToastChars    = 200
	// MaxLabelChars keeps button labels readable on a phone; Telegram cuts longer ones.
	MaxLabelChars = 64
)

// EngineAnswers are the answers the engine records itself, which conditions
// may test: the referral source of a deep link, the kinds of risk a person
// disclosed in the run (risk.Kind codes, comma-separated), and whether their
// words went to the link workers with an urgent flag (FlaggedVar).
var EngineAnswers = map[string]bool{"source": true, "risk": true, FlaggedVar: true}

// EngineMessages are the keys the engine itself says, whatever the flow.
var EngineMessages = []string{
	"crisis", "crisis_flagged", "crisis_unflagged", "crisis_flagged_young",
	"q_safe", "safe_yes", "safe_no", "safe_unsaid", "safe_yes_reply", "safe_no_reply", "safe_unsaid_reply", "young_reply", "help", "privacy", "forget_done",
	"back_none", "restart", "resume", "already_started", "unknown_command", "stale_button",
	"finished", "invalid_choice", "invalid_scale", "invalid_multi", "invalid_text",
	"skip", "done", "skipped", "start_hint", "reminder", "groups_none", "groups_closed",
}

// WebMessages are the words of the web chat's page around the conversation.
// Content that has none of them gets the built-in ones; content that has
// any must have them all, in every language.
var WebMessages = []string{
	"web_title", "web_intro", "web_log", "web_you", "web_us", "web_answer", "web_message", "web_send",
	"web_choose", "web_menu", "web_back", "web_restart", "web_help", "web_privacy", "web_forget",
	"web_save", "web_saved_note", "web_unsaved_note", "web_code", "web_resume", "web_resume_intro",
	"web_resume_field", "web_resume_go", "web_resume_bad", "web_back_to_chat", "web_telegram_none", "web_too_fast", "web_too_long",
	"web_expired", "web_sorry", "web_telegram", "web_telegram_open", "web_telegram_done", "web_privacy_page",
	"web_skip", "web_new_messages", "web_forgotten", "web_linked", "web_link_unknown", "web_status", "web_talk",
}

// SuggestMessages are the engine's words around suggestions, needed by
// content that has a suggest node.
var SuggestMessages = []string{
	"suggest_more", "suggest_carry_on", "suggest_go", "suggest_refer", "suggest_no", "suggest_list",
	"suggest_chosen_go", "suggest_chosen_refer", "suggest_chosen_no", "suggest_detail_hint",
}

// OtherMessages explain why something sent cannot be used as an answer.
var OtherMessages = []string{"not_text", "media_unread", "edited", "forwarded", "shared_contact", "shared_location"}

// toasts are shown as a button's short notice and so have Telegram's 200-character limit.
var toasts = map[string]bool{"stale_button": true}

// Problem is one fault found by Check.
type Problem struct {
	Where string // "flow selfreferral, node age", "messages/en", ...
	What  string
}

func (p Problem) String() string { return p.Where + ": " + p.What }

// Check validates the bundle: every node reachable and every reference
// resolved, every message present in every language, variables known, texts
// and buttons within Telegram's limits, and no loop that never asks anything.
// It returns every problem found, sorted; none means the content is sound.
func (b *Bundle) Check() []Problem {
	c := &checker{b: b, used: map[string]string{}}
	if len(b.Messages) == 0 {
		c.add("content", "no messages in any language")
	}
	if _, ok := b.Messages[b.DefaultLang]; !ok {
		c.add("signpost.yaml", fmt.Sprintf("default language %q has no messages", b.DefaultLang))
	}
	if b.Flows[b.MainFlow] == nil {
		c.add("signpost.yaml", fmt.Sprintf("main flow %q does not exist", b.MainFlow))
	}
	c.checkRisk()
	for _, key := range append(EngineMessages, OtherMessages...) {
		c.use(key, "signpost itself")
	}
	if c.hasWebMessages() {
		for _, key := range WebMessages {
			c.use(key, "the web chat")
		}
	}
	if b.Flows["checkin"] != nil {
		// Said before a check-in that follows weeks of silence.
		c.use("checkin_still_there", "the check-ins")
	}
	ids := make([]string, 0, len(b.Flows))
	for id := range b.Flows {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c.flow(b.Flows[id])
	}
	c.triage()
	c.messages()
	sort.Slice(c.problems, func(i, j int) bool {
		if c.problems[i].Where != c.problems[j].Where {
			return c.problems[i].Where < c.problems[j].Where
		}
		return c.problems[i].What < c.problems[j].What
	})
	return c.problems
}

type checker struct {
	b        *Bundle
	problems []Problem
	used     map[string]string // message key -> first place that uses it
	vars     map[string]bool   // answer variables of every flow
}

func (c *checker) add(where, what string) {
	c.problems = append(c.problems, Problem{Where: where, What: what})
}

func (c *checker) use(key, where string) {
	if key == "" {
		return
	}
	if _, ok := c.used[key]; !ok {
		c.used[key] = where
	}
}

func (c *checker) flow(f *Flow) {
	if c.vars == nil {
		c.vars = map[string]bool{}
	}
	fw := "flow " + f.ID
	if f.Node(f.Start) == nil {
		c.add(fw, fmt.Sprintf("start node %q does not exist", f.Start))
	}
	for _, n := range f.Nodes {
		if n.Asks() && n.Var != "" {
			c.vars[n.Var] = true
		}
	}
	for _, v := range f.Inputs {
		c.vars[v] = true
	}
	for _, n := range f.Nodes {
		c.node(f, n, fw+", node "+n.ID)
	}
	c.reach(f, fw)
	c.silentLoops(f, fw)
}

var idPattern = regexp.MustCompile(`^[a-z0-9_]+$`)

func (c *checker) node(f *Flow, n *Node, where string) {
	if !idPattern.MatchString(n.ID) {
		c.add(where, "node ids use only a-z, 0-9 and _")
	}
	ref := func(id, what string) {
		if id == "" {
			c.add(where, what+" is missing")
		} else if f.Node(id) == nil {
			c.add(where, fmt.Sprintf("%s %q does not exist", what, id))
		}
	}
	c.use(n.Text, where)
	c.use(n.Invalid, where)
	c.use(n.Summary, where)
	switch n.Kind {
	case KindSay:
		c.need(n.Text != "", where, "a say node needs text")
		ref(n.Next, "next node")
	case KindEnd:
		c.need(n.Text != "", where, "an end node needs text")
	case KindBranch:
		for i, br := range n.Branches {
			c.cond(br.If, fmt.Sprintf("%s, branch %d", where, i+1))
			ref(br.Next, fmt.Sprintf("branch %d next node", i+1))
		}
		ref(n.Next, "next node")
	case KindAction:
		switch n.Action {
		case ActionSuggest, ActionReferral, ActionCheckins, ActionCheckinAnswer, ActionCheckinSettings, ActionFollowUp, ActionTalk:
		default:
			c.add(where, fmt.Sprintf("unknown action %q", n.Action))
		}
		ref(n.Next, "next node")
	case KindChoice, KindMulti, KindText, KindScale:
		c.question(f, n, where, ref)
	case KindSuggest:
		c.need(n.Text != "", where, "a suggest node needs text")
		c.need(n.Var != "", where, "a suggest node needs a var to record choices in")
		ref(n.Next, "next node")
		c.buttons(n, where)
		for _, key := range SuggestMessages {
			c.use(key, where)
		}
	default:
		c.add(where, fmt.Sprintf("unknown kind %q", n.Kind))
	}
}

func (c *checker) need(ok bool, where, what string) {
	if !ok {
		c.add(where, what)
	}
}

func (c *checker) question(f *Flow, n *Node, where string, ref func(id, what string)) {
	c.need(n.Text != "", where, "a question needs text")
	c.need(n.Var != "", where, "a question needs a var to record its answer in")
	switch n.Kind {
	case KindChoice, KindMulti:
		c.need(len(n.Options) > 0, where, "a choice needs options")
		c.need(n.Kind != KindMulti || n.Min <= len(n.Options), where, "min is more than the options")
	case KindScale:
		c.need(n.Min < n.Max, where, "a scale needs min below max")
	case KindText:
		if n.Pattern != "" {
			if _, err := regexp.Compile(n.Pattern); err != nil {
				c.add(where, "pattern does not compile: "+err.Error())
			}
		}
		c.need(n.MaxLen == 0 || n.MaxLen >= n.MinLen, where, "max_len is below min_len")
	}
	values := map[string]bool{}
	for _, o := range n.Options {
		ow := fmt.Sprintf("%s, option %q", where, o.Value)
		c.use(o.Label, ow)
		switch {
		case o.Value == "":
			c.add(ow, "an option needs a value")
		case strings.HasPrefix(o.Value, "~") || strings.Contains(o.Value, ":"):
			c.add(ow, `option values may not start with "~" or hold ":"`)
		case values[o.Value]:
			c.add(ow, "the same value twice")
		}
		values[o.Value] = true
		if o.Next != "" {
			ref(o.Next, fmt.Sprintf("option %q next node", o.Value))
		}
		for _, k := range o.Risk {
			c.need(slices.Contains(risk.Kinds, risk.Kind(k)), ow, fmt.Sprintf("risk names %q, which is no kind of risk", k))
		}
		for _, v := range o.Edit {
			c.need(c.vars[v], ow, fmt.Sprintf("edit names %q, which no question records", v))
		}
	}
	if n.Kind != KindChoice || hasOptionWithoutNext(n) {
		ref(n.Next, "next node")
	}
	c.buttons(n, where)
}

func hasOptionWithoutNext(n *Node) bool {
	for _, o := range n.Options {
		if o.Next == "" {
			return true
		}
	}
	return len(n.Options) == 0
}

// buttons checks the keyboard of n against Telegram's limits, with the
// longest run id the engine makes.
func (c *checker) buttons(n *Node, where string) {
	values := ButtonValues(n)
	if len(values) > MaxButtons {
		c.add(where, fmt.Sprintf("%d buttons; Telegram allows %d", len(values), MaxButtons))
	}
	if n.Columns > MaxButtonsPerRow {
		c.add(where, fmt.Sprintf("%d buttons a row; Telegram allows %d", n.Columns, MaxButtonsPerRow))
	}
	run := strings.Repeat("x", NonceLen)
	for _, v := range values {
		if d := ButtonData(run, n.ID, v); len(d) > MaxButtonData {
			c.add(where, fmt.Sprintf("button data %q is %d bytes; Telegram allows %d", d, len(d), MaxButtonData))
		}
	}
}

func (c *checker) cond(cd Cond, where string) {
	given := 0
	if len(cd.In) > 0 {
		given++
	}
	if cd.Has != "" {
		given++
	}
	if cd.Set != nil {
		given++
	}
	if cd.AtLeast != nil || cd.AtMost != nil {
		given++
	}
	c.need(given == 1, where, "a condition needs exactly one of in, has, set, or at_least and at_most")
	if len(cd.Sum) > 0 {
		c.need(cd.Var == "", where, "a condition has a var or a sum, not both")
		c.need(cd.AtLeast != nil || cd.AtMost != nil, where, "a sum needs at_least or at_most")
	}
	vars := cd.Sum
	if len(vars) == 0 {
		vars = []string{cd.Var}
	}
	for _, v := range vars {
		c.need(EngineAnswers[v] || c.vars[v], where, fmt.Sprintf("condition on %q, which no question records", v))
	}
}

// edges lists where the flow may go from n.
func edges(n *Node) []string {
	var out []string
	if n.Next != "" {
		out = append(out, n.Next)
	}
	for _, o := range n.Options {
		if o.Next != "" {
			out = append(out, o.Next)
		}
	}
	for _, br := range n.Branches {
		out = append(out, br.Next)
	}
	return out
}

func (c *checker) reach(f *Flow, where string) {
	seen := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		n := f.Node(id)
		if n == nil || seen[id] {
			return
		}
		seen[id] = true
		for _, e := range edges(n) {
			walk(e)
		}
	}
	walk(f.Start)
	for _, n := range f.Nodes {
		if !seen[n.ID] {
			c.add(where+", node "+n.ID, "no path from the start reaches it")
		}
	}
}

// silentLoops finds cycles made only of nodes that ask nothing: a flow that
// entered one would spin without ever waiting for the person.
func (c *checker) silentLoops(f *Flow, where string) {
	const (
		unseen = iota
		onPath
		finished
	)
	state := map[string]int{}
	var visit func(n *Node) bool
	visit = func(n *Node) bool {
		state[n.ID] = onPath
		for _, e := range edges(n) {
			m := f.Node(e)
			if m == nil || m.Asks() || m.Kind == KindEnd {
				continue
			}
			if state[m.ID] == onPath {
				c.add(where+", node "+m.ID, "a loop through "+m.ID+" never asks anything")
				return true
			}
			if state[m.ID] == unseen && visit(m) {
				return true
			}
		}
		state[n.ID] = finished
		return false
	}
	for _, n := range f.Nodes {
		if state[n.ID] == unseen && !n.Asks() && n.Kind != KindEnd {
			if visit(n) {
				return
			}
		}
	}
}

// messages checks every used key in every language, their variables and lengths.
func (c *checker) messages() {
	known := map[string]bool{}
	for v := range c.vars {
		known[v] = true
	}
	for _, v := range Builtin {
		known[v] = true
	}
	for _, v := range FactNames() {
		known[v] = true
	}
	langs := make([]string, 0, len(c.b.Messages))
	for l := range c.b.Messages {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		msgs := c.b.Messages[lang]
		where := "messages/" + lang
		for key, by := range c.used {
			if _, ok := msgs[key]; !ok {
				c.add(where, fmt.Sprintf("message %q is missing (used by %s)", key, by))
			}
		}
		for key, text := range msgs {
			kw := fmt.Sprintf("%s, message %q", where, key)
			if base, _, ok := strings.Cut(key, ChannelSep); ok {
				if _, found := msgs[base]; !found {
					c.add(kw, fmt.Sprintf("is a channel's version of %q, which this language does not have", base))
				}
			}
			if strings.TrimSpace(text) == "" {
				c.add(kw, "is empty")
			}
			limit := MaxMessageChars
			if toasts[key] {
				limit = MaxToastChars
			}
			if n := utf8.RuneCountInString(text); n > limit {
				c.add(kw, fmt.Sprintf("is %d characters; Telegram allows %d", n, limit))
			}
			for _, v := range Vars(text) {
				if !known[v] {
					c.add(kw, fmt.Sprintf("unknown variable {%s}", v))
				}
			}
		}
		c.labels(lang, msgs, where)
	}
}

// labels checks that button labels are short enough to read on a phone.
func (c *checker) labels(lang string, msgs map[string]string, where string) {
	for _, f := range c.b.Flows {
		for _, n := range f.Nodes {
			for _, o := range n.Options {
				for _, key := range []string{o.Label, o.Label + ChannelSep + "web"} {
					if l := utf8.RuneCountInString(msgs[key]); l > MaxLabelChars {
						c.add(where, fmt.Sprintf("label %q is %d characters; keep buttons under %d", key, l, MaxLabelChars))
					}
				}
			}
		}
	}
}

// hasWebMessages reports whether the content words the web chat's page itself.
func (c *checker) hasWebMessages() bool {
	for _, msgs := range c.b.Messages {
		for _, key := range WebMessages {
			if _, ok := msgs[key]; ok {
				return true
			}
		}
	}
	return false
}
