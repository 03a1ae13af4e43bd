package scheduler

import (
	"errors"
	"fmt"
	"time"
)

// Errors the enrolment API returns. ErrNotEnrolled and ErrBadWindow come with
// something a person can be told ("you have no check-ins", "that time is too
// late in the evening"); the bot maps them to its own words.
var (
	// ErrNotEnrolled means the person has no check-ins.
	ErrNotEnrolled = errors.New("scheduler: not enrolled")
	// ErrBadWindow means a day or time window is out of range, empty, crosses
	// midnight, or reaches into the service's quiet hours.
	ErrBadWindow = errors.New("scheduler: day or time window not allowed")
	// ErrBlocked is what a Sender returns (wrapped) when the person has
	// blocked the bot; the scheduler then pauses them as Block does.
	ErrBlocked = errors.New("scheduler: person blocked the bot")
)

// Kind is how often check-ins come. Only weekly exists; the field is there
// so that a fortnightly rhythm can be added without changing stored data.
type Kind string

// KindWeekly is one check-in a week: the default for care leavers, and what
// anyone else gets when they opt in.
const KindWeekly Kind = "weekly"

// TimeOfDay is a local wall-clock time in minutes after midnight, 0 to 1440.
type TimeOfDay int

// Clock returns the time of day h:m.
func Clock(h, m int) TimeOfDay { return TimeOfDay(h*60 + m) }

// String formats t as "15:04".
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60) }

// Window is a span of local time within one day, From inclusive, To
// exclusive. A window whose From equals To is empty.
type Window struct {
	From, To TimeOfDay
}

// String formats w as "10:00-12:00".
func (w Window) String() string { return w.From.String() + "-" + w.To.String() }

// Empty reports whether w holds no time at all.
func (w Window) Empty() bool { return w.From == w.To }

// contains reports whether the time of day t lies in w. A window whose To is
// before its From wraps past midnight, as quiet hours do (21:00-09:00).
func (w Window) contains(t TimeOfDay) bool {
	switch {
	case w.Empty():
		return false
	case w.From < w.To:
		return t >= w.From && t < w.To
	default:
		return t >= w.From || t < w.To
	}
}

// overlaps reports whether the same-day window w shares a minute with q,
// which may wrap past midnight.
func (w Window) overlaps(q Window) bool {
	for t := w.From; t < w.To; t++ {
		if q.contains(t) {
			return true
		}
	}
	return false
}

// Defaults of a new enrolment and of the service.
var (
	// DefaultDay is the weekday of a new enrolment.
	DefaultDay = time.Tuesday
	// DefaultWindow is the local time window of a new enrolment.
	DefaultWindow = Window{From: Clock(10, 0), To: Clock(12, 0)}
	// DefaultQuietHours is when no check-in or reminder is ever sent.
	DefaultQuietHours = Window{From: Clock(21, 0), To: Clock(9, 0)}
)

// Enrolment is one person's check-in arrangement.
type Enrolment struct {
	Kind Kind
	// Day and Window say when, in the service's time zone; the exact minute
	// inside the window varies by person and week (see the package doc).
	Day    time.Weekday
	Window Window
	// PausedUntil, when after now, holds check-ins back until that instant;
	// the first one after it is the first whose window starts at or after it.
	PausedUntil time.Time
	// Stopped means the person asked for no more check-ins; Resume undoes it.
	Stopped bool
	// Blocked means the person has blocked the bot. It is set and cleared only
	// by Block and Unblock, never by the person's own choices.
	Blocked bool
}

// DefaultEnrolment is a weekly check-in on DefaultDay in DefaultWindow.
func DefaultEnrolment() Enrolment {
	return Enrolment{Kind: KindWeekly, Day: DefaultDay, Window: DefaultWindow}
}

// Active reports whether check-ins are queued for the person at all: enrolled
// and neither stopped nor blocked. A paused person is active; their next
// check-in simply lies after the pause.
func (e Enrolment) Active() bool { return !e.Stopped && !e.Blocked }

// validate checks what the person chose against the service's quiet hours.
func (e Enrolment) validate(quiet Window) error {
	if e.Kind != KindWeekly {
		return fmt.Errorf("%w: kind %q", ErrBadWindow, e.Kind)
	}
	if e.Day < time.Sunday || e.Day > time.Saturday {
		return fmt.Errorf("%w: day %d", ErrBadWindow, e.Day)
	}
	w := e.Window
	if w.From < 0 || w.To > 24*60 || w.From >= w.To {
		return fmt.Errorf("%w: window %s", ErrBadWindow, w)
	}
	if w.overlaps(quiet) {
		return fmt.Errorf("%w: window %s meets quiet hours %s", ErrBadWindow, w, quiet)
	}
	return nil
}

// Due is one claimed item handed to the Sender.
type Due struct {
	// ID is the same for every delivery of this item (the person's name in
	// ids and the scheduled instant), so the sender can drop a repeat after a crash or a lease that
	// ran out.
	ID   string
	User int64
	// At is the instant the item was scheduled for; the sender may be called
	// up to Config.MaxLate after it.
	At time.Time
	// Reminder marks the one reminder of an unfinished self-referral ("carry
	// on where you left off?"); otherwise this is a check-in.
	Reminder bool
	// Form says which questions the check-in asks.
	Form Form
	// Nudge asks the check-in to open gently ("still there?"): the last three
	// went unanswered. It is set once per silence.
	Nudge bool
}

// dueID is the idempotency id of an item: kind, the person's name in ids
// (Config.Pseudonym) and scheduled instant.
func dueID(reminder bool, name string, at time.Time) string {
	kind := "ci"
	if reminder {
		kind = "rm"
	}
	return fmt.Sprintf("%s:%s:%d", kind, name, at.UnixMilli())
}
