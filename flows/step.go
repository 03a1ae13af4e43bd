package flows

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"signpost/content"
	"signpost/content/risk"
)

// maxAutoSteps bounds how many nodes that ask nothing one event may walk
// through; content check rejects loops, this keeps a bad deployment from spinning.
const maxAutoSteps = 200

// payloadPattern is what Telegram allows in a /start deep-link payload.
var payloadPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Step applies one event to a session and returns the new session, what to
// send, and the effects to run. It does no I/O and reads no clock: the same
// arguments always give the same result, and s is left unchanged.
func Step(b *content.Bundle, s Session, ev Event, now time.Time) Result {
	st := &stepper{b: b, s: s.clone(), ev: ev}
	st.s.Seq++
	st.s.Updated = now.Unix()
	if st.s.Lang == "" || !st.s.Active() {
		st.s.Lang = b.Lang(ev.Lang)
	}
	st.lang = st.s.Lang
	st.flow = b.Flows[st.s.Flow]
	if st.flow == nil || (st.s.Active() && st.flow.Node(st.s.Node) == nil) {
		// The run cannot go on (its flow or question is gone): treat it as no run.
		st.s.Node, st.flow = "", nil
	}
	st.now = now

	text := strings.TrimSpace(ev.Text)
	var found risk.Assessment
	switch ev.Kind {
	case EventText:
		found = b.Assess(st.lang, text)
	case EventOther:
		found = b.Assess(st.lang, ev.Said)
	}
	if found.Denied() {
		lang := found.Lang
		if lang == "" {
			lang = st.lang
		}
		st.emit(Out{Kind: OutMessage, Text: b.RiskDenied(lang)})
	}
	switch {
	case ev.Kind == EventStart:
		st.startFlow(ev.Text, ev.Note, ev.Checkin, nil)
	case ev.Kind == EventRemind:
		if st.s.Active() {
			st.say("reminder")
			st.reask()
		}
	case found.Risk():
		said := text
		if ev.Kind == EventOther {
			said = strings.TrimSpace(ev.Said)
		}
		st.disclosed(said, found.Lang, found.Kinds(), learnedOnly(found), ev.Kind == EventText)
	case ev.Kind == EventOther:
		st.other(ev.Text)
	case ev.Kind == EventLinked:
		st.linked(ev.Answers)
	case ev.Kind == EventText && strings.HasPrefix(text, "/"):
		st.command(text)
	case st.s.Safety && ev.Kind == EventText:
		st.safetyTyped(text)
	case st.s.Safety && ev.Kind == EventButton && st.safetyButton(ev.Text):
		st.button(ev.Text)
	case st.s.Young:
		st.young()
	case !st.s.Active():
		if st.s.Done && ev.Kind != EventResume {
			st.say("finished")
		} else if !st.s.Done {
			st.start("")
		}
	case ev.Kind == EventResume:
		st.say("resume")
		st.reask()
	case ev.Kind == EventButton:
		st.button(ev.Text)
	default:
		st.typed(text)
	}
	return Result{Session: st.s, Out: st.out, Erase: st.erase}
}

// stepper holds the work of one Step.
type stepper struct {
	b    *content.Bundle
	flow *content.Flow
	s    Session
	ev   Event
	now  time.Time
	// quiet leaves out the "sorry" before a question asked again: the
	// person was answering another question.
	quiet bool
	lang  string
	out   []Out
	erase bool
}

func (st *stepper) emit(o Out) {
	o.ID = fmt.Sprintf("%s.%d.%d", st.runID(), st.s.Seq, len(st.out))
	st.out = append(st.out, o)
}

func (st *stepper) runID() string {
	if st.s.Run != "" {
		return st.s.Run
	}
	return st.ev.Nonce
}

// say sends the message key as a new message.
func (st *stepper) say(key string) {
	st.emit(Out{Kind: OutMessage, Text: st.text(key)})
}

// words returns a message in the person's language, in the version for
// their channel where the content has one.
func (st *stepper) words(key string) string {
	return st.b.TextIn(ChannelOf(st.s.User), st.lang, key)
}

// text returns a message in the person's language with its variables filled in.
func (st *stepper) text(key string) string {
	return content.Expand(st.words(key), st.lookup)
}

// start begins a new run of the main flow. The referral source of a deep
// link is kept; a source from an earlier run survives /restart.
func (st *stepper) start(payload string) {
	link := st.s.Link
	if payloadPattern.MatchString(payload) {
		link = payload
	}
	st.s = Session{
		User:    st.s.User,
		Run:     st.ev.Nonce,
		Content: st.b.Version,
		Flow:    st.b.MainFlow,
		Lang:    st.s.Lang,
		Link:    link,
		Answers: map[string]string{},
		Seq:     st.s.Seq,
		Started: st.now.Unix(),
		Updated: st.now.Unix(),
	}
	if link != "" {
		st.s.Answers["source"] = link
	}
	st.flow = st.b.Main()
	if st.flow == nil {
		st.say("finished")
		return
	}
	st.enter(st.flow.Start)
}

// checkinSettingsFlow is the flow /checkins starts, if the content has it.
const checkinSettingsFlow = "checkin_settings"

// startFlow starts another flow for a person who finished, or never began,
// their main conversation: a check-in, or the check-in settings. It takes
// the place of another such flow left unanswered (last week's check-in),
// but a person in the middle of the main conversation is left undisturbed
// and nothing is said. A scheduled check-in (checkin not zero) starts once:
// starting it again, answered or not, does nothing. The new run keeps the
// answers that say who the person is and how to reach them, and those of
// carry.
func (st *stepper) startFlow(id, note string, checkin time.Time, carry map[string]string) {
	f := st.b.Flows[id]
	if f == nil || (st.s.Active() && st.s.Flow == st.b.MainFlow) {
		return
	}
	if !checkin.IsZero() && st.s.Checkin == checkin.UnixMilli() {
		return
	}
	consent := st.s.Consent
	answers := pick(st.s.Answers, "name", "age", "care_leaver", "contact", "contact_how", "phone", "contact_when", "source")
	for k, v := range carry {
		if _, ok := answers[k]; !ok {
			answers[k] = v
		}
	}
	st.s = Session{
		User: st.s.User, Run: st.ev.Nonce, Content: st.b.Version, Flow: id, Lang: st.s.Lang,
		Link: st.s.Link, Consent: consent, Answers: answers, Seq: st.s.Seq,
		Started: st.now.Unix(), Updated: st.now.Unix(),
	}
	if !checkin.IsZero() {
		st.s.Checkin = checkin.UnixMilli()
	}
	for _, v := range f.Inputs {
		if val, ok := st.ev.Vars[v]; ok {
			if st.s.Answers == nil {
				st.s.Answers = map[string]string{}
			}
			st.s.Answers[v] = val
		}
	}
	st.flow = f
	if note != "" {
		st.say(note)
	}
	st.enter(f.Start)
}

// command handles the global commands, which work at any point.
func (st *stepper) command(text string) {
	name, arg, _ := strings.Cut(text, " ")
	name, _, _ = strings.Cut(strings.ToLower(name), "@") // "/start@signpost_bot"
	arg = strings.TrimSpace(arg)
	switch name {
	case "/start":
		if strings.HasPrefix(arg, WebLinkPrefix) && payloadPattern.MatchString(arg) {
			st.emit(Out{Kind: OutEffect, Effect: &Effect{
				Kind: EffectLinkWeb, Key: st.runID() + ":link:" + strconv.FormatInt(st.s.Seq, 10),
				User: st.s.User, Lang: st.lang, Text: strings.TrimPrefix(arg, WebLinkPrefix),
			}})
			return
		}
		if !st.s.Active() {
			st.start(arg)
			return
		}
		if payloadPattern.MatchString(arg) && st.s.Link == "" {
			st.s.Link = arg
			if st.s.Answers["source"] == "" {
				st.s.Answers["source"] = arg
			}
		}
		st.say("already_started")
		st.reask()
	case "/help":
		st.say("help")
		st.reask()
	case "/privacy":
		st.say("privacy")
		st.reask()
	case "/back":
		st.back()
	case "/restart":
		st.say("restart")
		st.start("")
	case "/forget":
		st.forget()
	case "/groups":
		st.reopenGroups()
	case "/talk":
		st.talk()
	case "/checkins":
		if st.b.Flows[checkinSettingsFlow] == nil || !st.s.Consent {
			st.say("unknown_command")
			st.reask()
			return
		}
		if st.s.Active() && st.s.Flow == st.b.MainFlow {
			st.say("already_started")
			st.reask()
			return
		}
		st.startFlow(checkinSettingsFlow, "", time.Time{}, nil)
	default:
		st.say("unknown_command")
		st.reask()
	}
}

// other explains kindly that what was sent cannot be used, and asks the
// open question again. With no conversation under way nothing is kept: the
// person has agreed to nothing yet.
func (st *stepper) other(key string) {
	if !contains(content.OtherMessages, key) {
		key = "not_text"
	}
	st.say(key)
	switch {
	case st.s.Active():
		st.reask()
	case st.s.Young:
	case st.s.Run == "":
		st.say("start_hint")
		st.erase = true
	}
}

// forget erases the person: the store deletes every key, then delivers the goodbye.
func (st *stepper) forget() {
	st.erase = true
	st.say("forget_done")
	st.erased()
	st.s = Session{User: st.s.User}
}

// erased tells the rest of signpost that the person was erased, so that a
// schedule or a referral kept under other keys goes too. The effect rides in
// the outbox written after the erasure.
func (st *stepper) erased() {
	st.emit(Out{Kind: OutEffect, Effect: &Effect{Kind: EffectErased, Key: st.runID() + ":erased:" + strconv.FormatInt(st.s.Seq, 10), User: st.s.User}})
}

// linked takes over in Telegram a conversation a person finished in the
// web chat, where they consented: their answers, finished, with weekly
// check-ins started here. It takes the place of whatever was under way.
func (st *stepper) linked(answers map[string]string) {
	if len(answers) == 0 {
		st.say("web_link_unknown")
		if st.s.Active() {
			st.reask()
		}
		return
	}
	st.s = Session{
		User: st.s.User, Run: st.ev.Nonce, Content: st.b.Version, Flow: st.b.MainFlow, Lang: st.s.Lang,
		Link: st.s.Link, Consent: true, Seq: st.s.Seq, Started: st.now.Unix(), Updated: st.now.Unix(),
		Answers: pick(answers, "name", "age", "care_leaver", "needs", "source", "postcode", "contact", "contact_how", "contact_when", "phone"),
	}
	st.s.Answers["checkins"] = "yes"
	st.flow = st.b.Main()
	st.say("web_linked")
	st.emit(Out{Kind: OutEffect, Effect: &Effect{Kind: content.ActionCheckins, Key: st.s.Run + ":checkins", User: st.s.User, Run: st.s.Run, Lang: st.lang, Consent: true}})
	st.finish(&content.Node{Kind: content.KindEnd})
}

// back goes to the previous question and clears its answer, so the person
// can answer it again.
func (st *stepper) back() {
	if !st.s.Active() || len(st.s.History) < 2 {
		st.say("back_none")
		st.reask()
		return
	}
	cur := st.flow.Node(st.s.Node)
	st.s.History = st.s.History[:len(st.s.History)-1]
	prev := st.flow.Node(st.s.History[len(st.s.History)-1])
	if cur != nil && cur.Var != "" {
		delete(st.s.Answers, cur.Var)
	}
	if prev.Var != "" {
		delete(st.s.Answers, prev.Var)
	}
	if prev.Consent {
		st.s.Consent = false
	}
	st.s.Picked = nil
	st.s.Node = prev.ID
	st.reask()
}

// enter walks the flow from id: it says, branches and emits effects until it
// reaches a question to ask or an end.
func (st *stepper) enter(id string) {
	for i := 0; i < maxAutoSteps; i++ {
		n := st.flow.Node(id)
		if n == nil {
			st.finish(nil)
			return
		}
		switch n.Kind {
		case content.KindSay:
			if !st.s.Editing {
				st.say(n.Text)
			}
			id = n.Next
		case content.KindBranch:
			id = st.branch(n)
		case content.KindAction:
			if !st.s.Editing {
				st.action(n)
			}
			id = n.Next
		case content.KindEnd:
			st.finish(n)
			return
		case content.KindSuggest:
			if st.s.Editing || !st.openSuggestions(n) {
				id = n.Next
				continue
			}
			return
		default: // a question
			if n.Review {
				st.s.Editing = false
			}
			if v, answered := st.s.Answers[n.Var]; st.s.Editing && answered {
				id = nextAfter(n, v)
				continue
			}
			st.s.Node = n.ID
			st.push(n.ID)
			st.ask(n, OutMessage)
			return
		}
	}
	st.finish(nil)
}

// push records that question id was asked. Coming back to a question
// already asked (a loop, or the summary after a change) cuts the history
// back to it, so /back retraces the path actually taken and the history
// stays as short as the flow.
func (st *stepper) push(id string) {
	for i, h := range st.s.History {
		if h == id {
			st.s.History = st.s.History[:i+1]
			return
		}
	}
	st.s.History = append(st.s.History, id)
}

// finish ends the run at end node n (nil when the flow led nowhere).
func (st *stepper) finish(n *content.Node) {
	if n != nil && n.Text != "" {
		st.say(n.Text)
	}
	if n != nil && n.Erase {
		st.erase = true
		st.erased()
		st.s = Session{User: st.s.User, Young: n.Young, Lang: st.s.Lang, Seq: st.s.Seq, Updated: st.s.Updated}
		return
	}
	if n == nil {
		st.say("finished")
	}
	if st.s.Consent {
		st.emit(Out{Kind: OutEffect, Effect: &Effect{
			Kind: EffectProfile, Key: st.s.Run + ":profile", User: st.s.User, Run: st.s.Run, Lang: st.lang, Consent: true,
			Answers: pick(st.s.Answers, "source", "care_leaver", "age", "checkins", "postcode"),
		}})
		st.emit(Out{Kind: OutEffect, Effect: &Effect{Kind: EffectFinished, Key: st.s.Run + ":finished", User: st.s.User, Run: st.s.Run, Consent: true}})
	}
	st.s.Node, st.s.Done, st.s.Editing = "", true, false
	st.s.History, st.s.Picked = nil, nil
}

func (st *stepper) action(n *content.Node) {
	eff := &Effect{
		Kind: n.Action, Key: st.s.Run + ":" + n.ID, User: st.s.User, Run: st.s.Run, Ref: Ref(st.s.Run),
		Lang: st.lang, Consent: st.s.Consent, Answers: copyMap(st.s.Answers),
	}
	if st.s.Checkin != 0 {
		eff.Checkin = time.UnixMilli(st.s.Checkin).UTC()
	}
	for _, m := range st.flow.Nodes {
		if m.Kind == content.KindSuggest {
			eff.Services = append(eff.Services, st.referred(m)...)
		}
	}
	st.emit(Out{Kind: OutEffect, Effect: eff})
}

func (st *stepper) branch(n *content.Node) string {
	for _, br := range n.Branches {
		if br.If.Holds(st.s.Answers) {
			return br.Next
		}
	}
	return n.Next
}

// nextAfter is where the flow goes after n was answered with v.
func nextAfter(n *content.Node, v string) string {
	if n.Kind == content.KindChoice {
		if o, ok := n.Option(v); ok && o.Next != "" {
			return o.Next
		}
	}
	return n.Next
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func pick(m map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}
