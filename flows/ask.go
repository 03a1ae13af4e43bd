package flows

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"signpost/content"
)

const (
	skipValue = content.SkipValue
	doneValue = content.DoneValue
)

// tick marks a chosen option of a multiple choice.
const tick = "✓ "

// Defaults for text answers without limits of their own.
const (
	defaultMinLen = 1
	defaultMaxLen = 1000
)

// ask sends question n, with its buttons.
func (st *stepper) ask(n *content.Node, kind string) {
	st.emit(Out{Kind: kind, Node: n.ID, Text: st.text(n.Text), Buttons: st.buttons(n)})
}

// reask repeats the open question, if there is one.
func (st *stepper) reask() {
	if st.s.Safety {
		st.ask(safetyQuestion, OutMessage)
		return
	}
	if !st.s.Active() {
		return
	}
	if n := st.flow.Node(st.s.Node); n.Kind == content.KindSuggest {
		st.showList(n, OutMessage)
	} else {
		st.ask(n, OutMessage)
	}
}

func (st *stepper) buttons(n *content.Node) [][]Button {
	btn := func(label, value string) Button {
		return Button{Label: label, Data: content.ButtonData(st.s.Run, n.ID, value)}
	}
	var row []Button
	var rows [][]Button
	cols := n.Columns
	add := func(b Button) {
		row = append(row, b)
		if len(row) >= cols {
			rows, row = append(rows, row), nil
		}
	}
	switch n.Kind {
	case content.KindChoice, content.KindMulti:
		if cols <= 0 {
			cols = 1
		}
		for _, o := range n.Options {
			label := st.words(o.Label)
			if n.Kind == content.KindMulti && contains(st.s.Picked, o.Value) {
				label = tick + label
			}
			add(btn(label, o.Value))
		}
	case content.KindScale:
		if cols <= 0 {
			cols = 6
			if len(n.Options) > 0 {
				cols = 1
			}
		}
		for v := n.Min; v <= n.Max; v++ {
			val := strconv.Itoa(v)
			label := val
			if o, ok := n.Option(val); ok {
				label = st.words(o.Label)
			}
			add(btn(label, val))
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	if n.Kind == content.KindMulti {
		rows = append(rows, []Button{btn(st.words("done"), doneValue)})
	}
	if n.Optional {
		rows = append(rows, []Button{btn(st.words("skip"), skipValue)})
	}
	return rows
}

// button handles a pressed button.
func (st *stepper) button(data string) {
	run, rest, ok1 := strings.Cut(data, ":")
	node, value, ok2 := strings.Cut(rest, ":")
	if ok1 && ok2 && run == st.s.Run && node == safetyNode && st.s.Safety && hasOption(safetyQuestion, value) {
		st.safe(value)
		return
	}
	if !ok1 || !ok2 || run != st.s.Run || node != st.s.Node {
		if ok1 && ok2 && run == st.s.Run && st.justAnswered(node) {
			// A second tap on the question just answered: the answer is
			// in, and the next question is on screen already.
			st.emit(Out{Kind: OutToast, Text: st.text("stale_button")})
			return
		}
		st.stale()
		return
	}
	// A button of the open question answers it: the safety question is let go.
	st.s.Safety = false
	n := st.flow.Node(node)
	if n.Kind == content.KindSuggest {
		st.suggestPress(n, value)
		return
	}
	switch {
	case value == skipValue && n.Optional:
		st.answer(n, "")
	case n.Kind == content.KindChoice && hasOption(n, value):
		st.answer(n, value)
	case n.Kind == content.KindMulti && value == doneValue:
		st.doneMulti(n)
	case n.Kind == content.KindMulti && hasOption(n, value):
		st.toggle(n, value)
		st.ask(n, OutUpdate)
	case n.Kind == content.KindScale && inScale(n, value):
		st.answer(n, value)
	default:
		st.stale()
	}
}

// justAnswered reports whether node is the question answered last.
func (st *stepper) justAnswered(node string) bool {
	h := st.s.History
	return st.s.Active() && len(h) >= 2 && h[len(h)-2] == node
}

// stale answers a button from an earlier question, or a forged one.
func (st *stepper) stale() {
	st.emit(Out{Kind: OutToast, Text: st.text("stale_button")})
	if st.s.Done && !st.s.Active() {
		st.say("finished")
		return
	}
	st.reask()
}

// typed handles a typed answer to the open question. People often type what
// a button says, or its number, instead of pressing it; both are accepted.
func (st *stepper) typed(text string) {
	n := st.flow.Node(st.s.Node)
	if n.Kind == content.KindSuggest {
		st.suggestTyped(n, text)
		return
	}
	if n.Optional && st.is(text, "skip") {
		st.answer(n, "")
		return
	}
	switch n.Kind {
	case content.KindChoice:
		if o, ok := st.matchOption(n, text); ok {
			st.answer(n, o.Value)
			return
		}
		st.invalid(n, "invalid_choice")
	case content.KindMulti:
		if st.is(text, "done") {
			st.doneMulti(n)
			return
		}
		var picks []string
		for _, part := range splitList(text) {
			o, ok := st.matchOption(n, part)
			if !ok {
				st.invalid(n, "invalid_choice")
				return
			}
			picks = append(picks, o.Value)
		}
		if len(picks) == 0 {
			st.invalid(n, "invalid_choice")
			return
		}
		for _, p := range picks {
			st.toggle(n, p)
		}
		st.ask(n, OutUpdate)
	case content.KindScale:
		if inScale(n, text) {
			st.answer(n, strconv.Itoa(atoi(text)))
			return
		}
		if o, ok := st.matchOption(n, text); ok {
			st.answer(n, o.Value)
			return
		}
		st.invalid(n, "invalid_scale")
	default:
		if v, ok := validText(n, text); ok {
			st.answer(n, v)
			return
		}
		st.invalid(n, "invalid_text")
	}
}

// invalid explains kindly and asks again; nothing already given is lost.
func (st *stepper) invalid(n *content.Node, fallback string) {
	key := n.Invalid
	if key == "" {
		key = fallback
	}
	if !st.quiet {
		st.say(key)
	}
	st.ask(n, OutMessage)
}

// answer records value for question n and moves the flow on.
func (st *stepper) answer(n *content.Node, value string) {
	if n.Var != "" {
		st.s.Answers[n.Var] = value
	}
	st.s.Picked = nil
	st.emit(Out{Kind: OutClose, Node: n.ID, Text: st.display(n, value)})
	if n.Consent {
		st.s.Consent = value == "yes"
		if st.s.Consent {
			st.emit(Out{Kind: OutEffect, Effect: &Effect{Kind: EffectRemindLater, Key: st.s.Run + ":remind", User: st.s.User, Run: st.s.Run, Consent: true}})
		}
	}
	if o, ok := n.Option(value); ok && n.Kind == content.KindChoice && len(o.Edit) > 0 {
		st.s.Editing = true
		for _, v := range o.Edit {
			delete(st.s.Answers, v)
		}
	}
	if kinds := optionRisk(n, value); len(kinds) > 0 {
		// Told us of risk by choosing it: the response and "are you
		// safe?" first; the flow moves on once that is answered.
		st.disclosed(st.text(n.Text)+" "+st.display(n, value), "", kinds, nil, false)
		st.s.Hold = true
		return
	}
	st.advance(n, value)
}

func (st *stepper) toggle(n *content.Node, value string) {
	for i, p := range st.s.Picked {
		if p == value {
			st.s.Picked = append(st.s.Picked[:i], st.s.Picked[i+1:]...)
			return
		}
	}
	st.s.Picked = append(st.s.Picked, value)
}

func (st *stepper) doneMulti(n *content.Node) {
	if len(st.s.Picked) < n.Min {
		st.invalid(n, "invalid_multi")
		return
	}
	var vals []string
	for _, o := range n.Options { // the options' order, whatever the order of ticks
		if contains(st.s.Picked, o.Value) {
			vals = append(vals, o.Value)
		}
	}
	st.answer(n, strings.Join(vals, ","))
}

// is reports whether text is the word of message key (or the key itself), ignoring case.
func (st *stepper) is(text, key string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	return t == key || t == strings.ToLower(st.words(key))
}

// matchOption finds the option a typed text means: its number as listed, its
// label, or its value.
func (st *stepper) matchOption(n *content.Node, text string) (content.Option, bool) {
	t := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), tick)))
	if i := atoi(t); i >= 1 && i <= len(n.Options) && strconv.Itoa(i) == t {
		return n.Options[i-1], true
	}
	for _, o := range n.Options {
		if t == strings.ToLower(st.words(o.Label)) || t == strings.ToLower(o.Value) {
			return o, true
		}
	}
	return content.Option{}, false
}

var patterns sync.Map // pattern -> *regexp.Regexp, compiled once

func compiled(p string) (*regexp.Regexp, error) {
	if re, ok := patterns.Load(p); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, err
	}
	patterns.Store(p, re)
	return re, nil
}

// validText checks a free-text answer against n's limits and returns what to keep.
func validText(n *content.Node, text string) (string, bool) {
	min, max := n.MinLen, n.MaxLen
	if min <= 0 {
		min = defaultMinLen
	}
	if max <= 0 {
		max = defaultMaxLen
	}
	if l := utf8.RuneCountInString(text); l < min || l > max {
		return "", false
	}
	if n.Pattern != "" {
		re, err := compiled(n.Pattern)
		if err != nil {
			return "", false
		}
		m := re.FindStringSubmatch(text)
		if m == nil {
			return "", false
		}
		if len(m) > 1 && m[1] != "" {
			text = m[1]
		}
	}
	if n.Upper {
		text = strings.ToUpper(text)
	}
	return strings.Join(strings.Fields(text), " "), true
}

// splitList reads "1, 4 and 6" or "money; housing" as a list.
func splitList(text string) []string {
	text = strings.ReplaceAll(strings.ToLower(text), " and ", ",")
	parts := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' })
	if len(parts) == 1 && strings.Count(text, " ") > 0 && allNumbers(strings.Fields(text)) {
		parts = strings.Fields(text)
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func allNumbers(ss []string) bool {
	for _, s := range ss {
		if _, err := strconv.Atoi(s); err != nil {
			return false
		}
	}
	return true
}

func inScale(n *content.Node, s string) bool {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	return err == nil && v >= n.Min && v <= n.Max
}

func atoi(s string) int {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return v
}

func hasOption(n *content.Node, v string) bool {
	_, ok := n.Option(v)
	return ok
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
