package flows

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"signpost/content"
	"signpost/content/risk"
)

// safetyNode is the node id the buttons of "are you safe right now?" carry.
// It is no node of any flow: the engine asks it after every risk response.
const safetyNode = "_safe"

// Answers to "are you safe right now?".
const (
	safeYes    = "yes"
	safeNo     = "no"
	safeUnsaid = "unsaid"
)

// safetyQuestion is "are you safe right now?" as a choice, for its buttons
// and for reading a typed answer to it.
var safetyQuestion = &content.Node{
	ID: safetyNode, Kind: content.KindChoice, Text: "q_safe",
	Options: []content.Option{
		{Value: safeYes, Label: "safe_yes"},
		{Value: safeNo, Label: "safe_no"},
		{Value: safeUnsaid, Label: "safe_unsaid"},
	},
}

// answerRisk is the answer key that lists the kinds of risk a person who
// consented disclosed in this run (risk.Kind codes, comma-separated): the
// flow need not ask the direct question of someone who told us already.
const answerRisk = "risk"

// disclosed answers a message that held risk: the response for its kinds,
// an urgent flag with the kinds, then "are you safe right now?". text is
// what the person wrote (kept on the flag only with their consent); learned
// are those of kinds that the learned reader alone found, marked on the flag
// so that a link worker knows no phrase was matched; typed says it was
// typed as a message in the conversation, so that it may also be the answer
// to the open question.
func (st *stepper) disclosed(text, lang string, kinds, learned []risk.Kind, typed bool) {
	if typed && st.s.Active() && !st.s.Hold {
		if n := st.flow.Node(st.s.Node); n.Kind == content.KindText && n.Pattern == "" && n.Var != "" {
			// What they wrote answers the question too: the link worker
			// sees it where it belongs, and the flow moves on from here
			// once the safety question is answered.
			st.s.Answers[n.Var] = clipAnswer(n, text)
			st.s.Hold = true
			st.emit(Out{Kind: OutClose, Node: n.ID, Text: st.s.Answers[n.Var]})
		}
	}
	if st.s.Answers == nil {
		st.s.Answers = map[string]string{}
	}
	young := st.s.Young
	st.emit(Out{Kind: OutMessage, Text: st.riskResponse(lang, kinds, young)})
	eff := st.urgent("urgent", kinds)
	eff.Learned = codes(learned)
	switch {
	case young:
		st.say("crisis_flagged_young")
	case st.s.Consent:
		eff.Text = text
		st.s.Answers[content.FlaggedVar] = "yes"
		st.say("crisis_flagged")
	default:
		st.say("crisis_unflagged")
	}
	// When someone will read it, from the service's hours: never a promise
	// the office cannot keep.
	switch {
	case st.ev.Closed:
		st.say("urgent_team_closed")
	case !young:
		st.say("urgent_team_open")
	}
	if st.s.Consent {
		st.s.Answers[answerRisk] = joinKinds(st.s.Answers[answerRisk], kinds)
	}
	st.emit(Out{Kind: OutEffect, Effect: eff})
	st.s.Safety = true
	st.ask(safetyQuestion, OutMessage)
}

// urgent is an urgent flag for kinds, named by what raised it so that a
// repeat of the step raises it once. A young person's flag keeps nothing of
// theirs; anyone else's keeps their answers only with their consent.
func (st *stepper) urgent(what string, kinds []risk.Kind) *Effect {
	eff := &Effect{
		Kind: EffectUrgent, Key: fmt.Sprintf("%s:%s:%d", st.runID(), what, st.s.Seq),
		User: st.s.User, Run: st.s.Run, Lang: st.lang, Consent: st.s.Consent && !st.s.Young,
		Young: st.s.Young,
	}
	eff.Risks = codes(kinds)
	if eff.Consent {
		eff.Ref = Ref(st.s.Run)
		eff.Answers = copyMap(st.s.Answers)
	}
	return eff
}

// codes are kinds as the codes an Effect carries; nil for none.
func codes(kinds []risk.Kind) []string {
	var out []string
	for _, k := range kinds {
		out = append(out, string(k))
	}
	return out
}

// learnedOnly lists the kinds of a that the learned reader found and the
// phrases did not, in order of precedence.
func learnedOnly(a risk.Assessment) []risk.Kind {
	var out []risk.Kind
	for _, f := range a.Findings {
		if f.Learned && !f.Negated {
			out = append(out, f.Kind)
		}
	}
	return out
}

// riskResponse is what signpost says to a disclosure of kinds, in lang
// (the language whose words showed the risk, or the person's): the response
// of the most pressing kind, which for an emergency puts 999 and A&E
// first, then the lines of the other kinds' responses that name a service
// it does not name already.
func (st *stepper) riskResponse(lang string, kinds []risk.Kind, young bool) string {
	if lang == "" {
		lang = st.lang
	}
	text := st.b.RiskResponse(lang, kinds[0], young, st.ev.Local)
	named := digitsOf(text)
	var more []string
	for _, k := range kinds[1:] {
		for _, line := range strings.Split(st.b.RiskResponse(lang, k, young, st.ev.Local), "\n") {
			line = strings.TrimSpace(line)
			d := digitsOf(line)
			if !strings.HasPrefix(line, "•") || d == "" || newNumbers(named, line) == 0 {
				continue
			}
			more = append(more, line)
			named += " " + d
		}
	}
	if len(more) > 0 {
		text += "\n\n" + strings.Join(more, "\n")
	}
	return text
}

// phoneNumber finds a number in a response: 999, 116 123, 0808 2000 247.
var phoneNumber = regexp.MustCompile(`[0-9][0-9 ]*[0-9]|[0-9]`)

// digitsOf lists the numbers s names, each without its spaces.
func digitsOf(s string) string {
	var out []string
	for _, m := range phoneNumber.FindAllString(s, -1) {
		out = append(out, strings.ReplaceAll(m, " ", ""))
	}
	return strings.Join(out, " ")
}

// newNumbers counts the numbers of line that named does not hold.
func newNumbers(named, line string) int {
	have := strings.Fields(named)
	n := 0
	for _, d := range strings.Fields(digitsOf(line)) {
		if !contains(have, d) {
			n++
		}
	}
	return n
}

// safe takes the answer to "are you safe right now?". Not safe brings 999
// first and raises the most pressing flag; then the conversation carries on.
func (st *stepper) safe(value string) {
	st.s.Safety = false
	st.emit(Out{Kind: OutClose, Node: safetyNode, Text: st.display(safetyQuestion, value)})
	switch value {
	case safeNo:
		st.say("safe_no_reply")
		eff := st.urgent("unsafe", nil)
		eff.Unsafe = true
		st.emit(Out{Kind: OutEffect, Effect: eff})
	case safeYes:
		st.say("safe_yes_reply")
	default:
		st.say("safe_unsaid_reply")
	}
	st.carryOn()
}

// carryOn goes on with the conversation after a risk response: from the
// question their words answered, at the open question, or, for someone who
// had not begun, at the start. A finished conversation and a young person's
// stay as they are: nobody is welcomed again.
func (st *stepper) carryOn() {
	switch {
	case st.s.Young:
	case st.s.Active() && st.s.Hold:
		n := st.flow.Node(st.s.Node)
		st.s.Hold = false
		st.advance(n, st.s.Answers[n.Var])
	case st.s.Active():
		st.reask()
	case !st.s.Done && st.s.Run == "":
		st.start("")
	}
}

// safetyTyped takes a typed message while "are you safe right now?" waits.
// An answer to it is taken as if its button were pressed. Anything else
// lets the question go (the flag is up already) and goes on to the
// conversation, without a "sorry" for a question the person has not seen.
func (st *stepper) safetyTyped(text string) {
	if v, ok := safetyAnswer(text); ok {
		st.safe(v)
		return
	}
	if o, ok := st.matchOption(safetyQuestion, text); ok {
		st.safe(o.Value)
		return
	}
	st.s.Safety = false
	switch {
	case st.s.Active() && st.s.Hold:
		// More of what they were telling us: it joins their answer.
		n := st.flow.Node(st.s.Node)
		st.s.Hold = false
		st.s.Answers[n.Var] = clipAnswer(n, st.s.Answers[n.Var]+"\n"+text)
		st.advance(n, st.s.Answers[n.Var])
	case st.s.Active():
		st.quiet = true
		st.typed(text)
	default:
		st.say("safe_unsaid_reply")
		st.carryOn()
	}
}

// safetyAnswer reads the usual ways of answering "are you safe right now?"
// in words: "yeah I'm ok", "no", "not really", "I don't know".
func safetyAnswer(text string) (string, bool) {
	words := strings.FieldsFunc(strings.ToLower(strings.ReplaceAll(text, "'", "")), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 || len(words) > 6 {
		return "", false
	}
	line := " " + strings.Join(words, " ") + " "
	for _, p := range []string{" not safe ", " unsafe ", " not really ", " not ok ", " not okay ", " not fine ", " im not "} {
		if strings.Contains(line, p) {
			return safeNo, true
		}
	}
	for _, p := range []string{" rather not ", " dont know ", " idk ", " dunno ", " not sure ", " unsure ", " skip ", " maybe "} {
		if strings.Contains(line, p) {
			return safeUnsaid, true
		}
	}
	switch words[0] {
	case "no", "nope", "nah", "na":
		return safeNo, true
	case "yes", "yeah", "yep", "yea", "yh", "ya", "ok", "okay", "safe", "fine", "im", "i":
		if words[0] != "im" && words[0] != "i" {
			return safeYes, true
		}
		for _, w := range words[1:] {
			if w == "safe" || w == "ok" || w == "okay" || w == "fine" || w == "alright" {
				return safeYes, true
			}
		}
	}
	return "", false
}

// young answers a person under 17 whose conversation ended: kind words and
// where young people find help, never the adult welcome.
func (st *stepper) young() {
	st.say("young_reply")
}

// advance moves the flow on from question n answered with value.
func (st *stepper) advance(n *content.Node, value string) {
	st.s.Node = ""
	st.enter(nextAfter(n, value))
}

// clipAnswer keeps what fits question n as a free-text answer.
func clipAnswer(n *content.Node, text string) string {
	max := n.MaxLen
	if max <= 0 {
		max = defaultMaxLen
	}
	text = strings.TrimSpace(text)
	if r := []rune(text); len(r) > max {
		text = string(r[:max])
	}
	return text
}

// joinKinds adds kinds to a comma-separated list of kind codes, once each.
func joinKinds(list string, kinds []risk.Kind) string {
	have := strings.Split(list, ",")
	if list == "" {
		have = nil
	}
	for _, k := range kinds {
		if !contains(have, string(k)) {
			have = append(have, string(k))
		}
	}
	return strings.Join(have, ",")
}

// optionRisk is the kinds of risk choosing value at n discloses, if any.
func optionRisk(n *content.Node, value string) []risk.Kind {
	o, ok := n.Option(value)
	if !ok || n.Kind != content.KindChoice {
		return nil
	}
	// In the order of precedence, whatever the content's order: the most
	// pressing kind's response leads.
	var kinds []risk.Kind
	for _, k := range risk.Kinds {
		if slices.Contains(o.Risk, string(k)) {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// safetyButton reports whether data is a button of the safety question.
func (st *stepper) safetyButton(data string) bool {
	_, rest, _ := strings.Cut(data, ":")
	node, _, _ := strings.Cut(rest, ":")
	return node == safetyNode
}
