package scheduler

import (
	"fmt"
	"time"
)

// Form is which questions a check-in asks.
type Form string

const (
	// FormWeekly asks "How are things this week?" with four answers (Mood)
	// and room for a few words.
	FormWeekly Form = "weekly"
	// FormLoneliness asks the three-item loneliness scale (docs/domain.md), each
	// answered 1 (hardly ever or never), 2 (some of the time) or 3 (often).
	// It replaces the weekly question at the first check-in of each month.
	FormLoneliness Form = "loneliness"
)

// Mood is an answer to the weekly question.
type Mood string

const (
	MoodGood     Mood = "good"
	MoodOkay     Mood = "okay"
	MoodNotGreat Mood = "not_great"
	// MoodTalk is "I'd like to talk to someone".
	MoodTalk Mood = "talk"
)

// LonelyThreshold is the loneliness total (3-9) from which a person is
// commonly read as lonely, and flagged.
const LonelyThreshold = 6

// Status is where a check-in in the history stands.
type Status string

const (
	// StatusSent: handed to the sender, no answer yet.
	StatusSent Status = "sent"
	// StatusAnswered: the person answered.
	StatusAnswered Status = "answered"
	// StatusUnanswered: the next check-in came round with no answer.
	StatusUnanswered Status = "unanswered"
	// StatusSkipped: not sent, because the scheduler was down too long or
	// the moment fell in quiet hours. Skipped check-ins count for nothing.
	StatusSkipped Status = "skipped"
)

// Entry is one check-in in a person's history.
type Entry struct {
	// At is the instant the check-in was scheduled for; it names the check-in.
	At     time.Time
	Form   Form
	Status Status
	Nudge  bool
	// The answer, when Status is StatusAnswered.
	Mood       Mood
	Loneliness []int
	Text       string
	Crisis     bool
	AnsweredAt time.Time
}

// Answer is what the check-in conversation reports back.
type Answer struct {
	// At is Due.At of the check-in answered.
	At   time.Time
	Form Form
	// Mood answers FormWeekly.
	Mood Mood
	// Loneliness answers FormLoneliness: three scores, 1 to 3 each.
	Loneliness []int
	// Text is what the person wrote besides, if anything.
	Text string
	// Crisis is set when the conversation found crisis words.
	Crisis bool
	// Missed marks a check-in that went unanswered; the other fields are empty.
	Missed bool
}

// Validate checks the answer fits its form.
func (a Answer) Validate() error {
	if a.Missed {
		return nil
	}
	switch a.Form {
	case FormWeekly:
		switch a.Mood {
		case MoodGood, MoodOkay, MoodNotGreat, MoodTalk:
			return nil
		}
		return fmt.Errorf("scheduler: weekly answer %q", a.Mood)
	case FormLoneliness:
		if len(a.Loneliness) != 3 {
			return fmt.Errorf("scheduler: %d loneliness scores, want 3", len(a.Loneliness))
		}
		for _, s := range a.Loneliness {
			if s < 1 || s > 3 {
				return fmt.Errorf("scheduler: loneliness score %d out of 1-3", s)
			}
		}
		return nil
	}
	return fmt.Errorf("scheduler: answer form %q", a.Form)
}

// Trigger is why a check-in is flagged to the link workers.
type Trigger string

const (
	// TriggerNotGreatTwice: "not great" at two of the last three answered
	// weekly check-ins. Raised when that becomes true, not again while it
	// stays true.
	TriggerNotGreatTwice Trigger = "not_great_twice"
	// TriggerTalk: the person asked to talk to someone.
	TriggerTalk Trigger = "talk"
	// TriggerLonely: a loneliness total of LonelyThreshold or more.
	TriggerLonely Trigger = "lonely"
	// TriggerCrisis: the conversation found crisis words.
	TriggerCrisis Trigger = "crisis"
	// TriggerSilent: three check-ins running went unanswered. Raised once a
	// silence, at the third; the fourth and later add nothing until the
	// person answers again.
	TriggerSilent Trigger = "silent"
	// TriggerBlocked: the person blocked the bot. Raised once, by Block,
	// until they unblock it.
	TriggerBlocked Trigger = "blocked"
)

// SilentAfter is how many check-ins running may go unanswered before the
// person is nudged and flagged.
const SilentAfter = 3

// Evaluate returns the flags that answer a raises, given the person's history
// before it, oldest first (entries for a.At itself are ignored). It is pure.
//
// For TriggerNotGreatTwice only answered weekly check-ins count (loneliness
// forms ask no mood; unanswered and skipped ones are passed over): it is
// raised when this answer makes "not great" two of the last three and the
// answer before had not. "Running", for TriggerSilent, means consecutive
// among the check-ins actually sent (skipped ones are passed over).
func Evaluate(history []Entry, a Answer) []Trigger {
	var prior []Entry
	for _, e := range history {
		if !e.At.Equal(a.At) && e.Status != StatusSkipped {
			prior = append(prior, e)
		}
	}
	var out []Trigger
	if a.Missed {
		run := 1
		for i := len(prior) - 1; i >= 0 && prior[i].Status == StatusUnanswered; i-- {
			run++
		}
		if run == SilentAfter {
			out = append(out, TriggerSilent)
		}
		return out
	}
	if a.Crisis {
		out = append(out, TriggerCrisis)
	}
	switch a.Form {
	case FormWeekly:
		switch a.Mood {
		case MoodTalk:
			out = append(out, TriggerTalk)
		case MoodNotGreat:
			moods := answeredMoods(prior)
			if notGreatTwice(append(moods, a.Mood)) && !notGreatTwice(moods) {
				out = append(out, TriggerNotGreatTwice)
			}
		}
	case FormLoneliness:
		total := 0
		for _, s := range a.Loneliness {
			total += s
		}
		if total >= LonelyThreshold {
			out = append(out, TriggerLonely)
		}
	}
	return out
}

// notGreatWindow and notGreatOf: "not great" in notGreatOf of the last
// notGreatWindow answered weekly check-ins is flagged.
const (
	notGreatWindow = 3
	notGreatOf     = 2
)

// answeredMoods lists the moods of the answered weekly check-ins of prior,
// oldest first.
func answeredMoods(prior []Entry) []Mood {
	var out []Mood
	for _, e := range prior {
		if e.Status == StatusAnswered && e.Form != FormLoneliness && e.Mood != "" {
			out = append(out, e.Mood)
		}
	}
	return out
}

// notGreatTwice reports whether "not great" is notGreatOf of the last
// notGreatWindow moods.
func notGreatTwice(moods []Mood) bool {
	n := 0
	for _, m := range moods[max(0, len(moods)-notGreatWindow):] {
		if m == MoodNotGreat {
			n++
		}
	}
	return n >= notGreatOf
}

// entryOf is the history entry that records a.
func entryOf(a Answer, form Form, now time.Time) Entry {
	if a.Missed {
		return Entry{At: a.At, Form: form, Status: StatusUnanswered}
	}
	return Entry{
		At: a.At, Form: a.Form, Status: StatusAnswered,
		Mood: a.Mood, Loneliness: a.Loneliness, Text: a.Text, Crisis: a.Crisis,
		AnsweredAt: now,
	}
}
