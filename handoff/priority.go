package handoff

import "signpost/scheduler"

// Reason is why a referral is above routine priority. Reasons are codes, so
// the words can change without touching stored data; none of them holds
// anything the person wrote.
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
	// ReasonCheckinNotGreat: "not great" at two weekly check-ins running.
	ReasonCheckinNotGreat Reason = "checkin_not_great"
	// ReasonCheckinLonely: 6 or more on the monthly loneliness questions.
	ReasonCheckinLonely Reason = "checkin_lonely"
	// ReasonCheckinSilent: three check-ins running unanswered.
	ReasonCheckinSilent Reason = "checkin_silent"
)

// Words is the reason as a link worker reads it on a card.
func (r Reason) Words() string {
	switch r {
	case ReasonCrisisWords:
		return "crisis words"
	case ReasonCheckinCrisis:
		return "crisis words at a check-in"
	case ReasonCheckinTalk:
		return "asked at a check-in to talk to someone"
	case ReasonCheckinNotGreat:
		return `"not great" at two check-ins running`
	case ReasonCheckinLonely:
		return "lonely on the monthly check-in questions"
	case ReasonCheckinSilent:
		return "three check-ins unanswered"
	case ReasonNotSafe:
		return "said they are NOT SAFE right now"
	}
	return string(r)
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

// raise makes r urgent for reason, once per reason.
func (r *Referral) raise(reason Reason) {
	r.Urgent = true
	r.Priority = PriorityUrgent
	for _, have := range r.Reasons {
		if have == reason {
			return
		}
	}
	r.Reasons = append(r.Reasons, reason)
}
