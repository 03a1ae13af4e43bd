package handoff

import (
	"slices"
	"strings"
	"sync/atomic"

	"signpost/content/risk"
	"signpost/scheduler"
)

// Reason is why a referral is above routine priority. Reasons are codes, so
// the words can change without touching stored data; none of them holds
// anything the person wrote. Besides the ones below, the content's triage
// rules name their own (Finding).
type Reason string

// Reasons.
const (
	// ReasonCrisisWords: words of crisis in the conversation or in a message
	// to the link worker.
	ReasonCrisisWords Reason = "crisis_words"
	// ReasonCheckinCrisis: words of crisis in a check-in.
	ReasonCheckinCrisis Reason = "checkin_crisis"
	// ReasonCheckinTalk: asked at a check-in to talk to someone.
	ReasonCheckinTalk Reason = "checkin_talk"
	// ReasonCheckinNotGreat: "not great" at two of the last three answered
	// weekly check-ins.
	ReasonCheckinNotGreat Reason = "checkin_not_great"
	// ReasonCheckinLonely: 6 or more on the monthly loneliness questions.
	ReasonCheckinLonely Reason = "checkin_lonely"
	// ReasonCheckinSilent: three check-ins running unanswered.
	ReasonCheckinSilent Reason = "checkin_silent"
	// ReasonCheckinBlocked: a care leaver blocked the bot.
	ReasonCheckinBlocked Reason = "checkin_blocked"
	// ReasonAskedToTalk: asked for a link worker with /talk, or said yes
	// when a check-in answered "not great" offered one.
	ReasonAskedToTalk Reason = "asked_to_talk"
)

// builtinReasons are the words of the reasons the code raises itself, and
// how pressing each is. Crisis words are urgent: a person should see them
// now. What a check-in notices is high: a link worker should look the same
// working day, but nobody is woken for it.
var builtinReasons = map[Reason]struct {
	words    string
	priority Priority
}{
	ReasonCrisisWords:     {"crisis words", PriorityUrgent},
	ReasonCheckinCrisis:   {"crisis words at a check-in", PriorityUrgent},
	ReasonCheckinTalk:     {"asked at a check-in to talk to someone", PriorityHigh},
	ReasonCheckinNotGreat: {`"not great" at two of the last three check-ins`, PriorityHigh},
	ReasonCheckinLonely:   {"lonely on the monthly check-in questions", PriorityHigh},
	ReasonCheckinSilent:   {"three check-ins unanswered", PriorityHigh},
	ReasonCheckinBlocked:  {"a care leaver blocked the bot", PriorityHigh},
	ReasonAskedToTalk:     {"asked for a link worker to get in touch", PriorityHigh},
	ReasonNotSafe:         {"said they are NOT SAFE right now", PriorityUrgent},
}

// contentWords holds the words of the content's triage reasons
// (SetReasonWords).
var contentWords atomic.Pointer[map[Reason]string]

// SetReasonWords gives the words of the reasons the content's triage rules
// name, for cards and the console. The words of the code's own reasons
// cannot be changed.
func SetReasonWords(words map[string]string) {
	m := make(map[Reason]string, len(words))
	for k, v := range words {
		m[Reason(k)] = v
	}
	contentWords.Store(&m)
}

// Words is the reason as a link worker reads it on a card: the code's own
// words, the content's, or else the code itself in words
// ("debt_court_letter" reads "debt court letter").
func (r Reason) Words() string {
	if b, ok := builtinReasons[r]; ok {
		return b.words
	}
	if m := contentWords.Load(); m != nil {
		if w, ok := (*m)[r]; ok && w != "" {
			return w
		}
	}
	return strings.ReplaceAll(string(r), "_", " ")
}

// Priority is how pressing the reason is on its own: the code's own
// reasons know, a kind of risk is urgent, and any other is high.
func (r Reason) Priority() Priority {
	if b, ok := builtinReasons[r]; ok {
		return b.priority
	}
	if slices.Contains(risk.Kinds, risk.Kind(r)) {
		return PriorityUrgent
	}
	return PriorityHigh
}

// Finding is one triage rule that holds for a referral's answers.
type Finding struct {
	Reason   Reason
	Priority Priority
}

// checkinReason is the reason a check-in flag stands for.
func checkinReason(t scheduler.Trigger) Reason {
	switch t {
	case scheduler.TriggerNotGreatTwice:
		return ReasonCheckinNotGreat
	case scheduler.TriggerTalk:
		return ReasonCheckinTalk
	case scheduler.TriggerLonely:
		return ReasonCheckinLonely
	case scheduler.TriggerCrisis:
		return ReasonCheckinCrisis
	case scheduler.TriggerSilent:
		return ReasonCheckinSilent
	case scheduler.TriggerBlocked:
		return ReasonCheckinBlocked
	}
	return Reason("checkin_" + string(t))
}

// PriorityOf is a referral's priority, reading a record stored before
// priorities were kept: urgent if it was flagged, else routine.
func PriorityOf(r Referral) Priority {
	switch {
	case r.Priority != "":
		return r.Priority
	case r.Urgent:
		return PriorityUrgent
	}
	return PriorityRoutine
}

// raise adds reason to r and raises r to p if that is more pressing than it
// is: a referral is never lowered. Urgent marks an urgent one.
func (r *Referral) raise(reason Reason, p Priority) {
	if p.Rank() < PriorityOf(*r).Rank() {
		r.Priority = p
	} else if r.Priority == "" {
		r.Priority = PriorityOf(*r)
	}
	if r.Priority == PriorityUrgent {
		r.Urgent = true
	}
	if reason != "" && !slices.Contains(r.Reasons, reason) {
		r.Reasons = append(r.Reasons, reason)
	}
}

// raiseAll raises r by every reason of n, to n's priority: a later
// effect's triage added to an earlier one's.
func (r *Referral) raiseAll(n Referral) {
	p := PriorityOf(n)
	if len(n.Reasons) == 0 {
		if p != PriorityRoutine {
			r.raise("", p)
		}
		return
	}
	for _, why := range n.Reasons {
		r.raise(why, p)
	}
}

// triage raises r by the content's rules that hold for answers.
func (d *Desk) triage(r *Referral, answers map[string]string) {
	if d.cfg.Triage == nil || len(answers) == 0 {
		return
	}
	for _, f := range d.cfg.Triage(answers) {
		p := f.Priority
		if p != PriorityUrgent && p != PriorityHigh {
			continue
		}
		r.raise(f.Reason, p)
	}
}
