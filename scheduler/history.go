package scheduler

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// RecordAnswer stores the person's answer to the check-in at a.At, raises a
// flag for each trigger it sets off, and returns the triggers. Calling it
// again with the same answer stores the same entry and raises the same flags
// under the same keys, so an effect delivered twice does no harm. Returns an
// error for an answer that does not fit its form.
func (s *Scheduler) RecordAnswer(ctx context.Context, user int64, a Answer) ([]Trigger, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return s.record(ctx, user, a)
}

// RecordUnanswered marks the check-in at at as unanswered, flags the person
// if that makes SilentAfter running, and returns the triggers. A check-in
// already answered is left as it is. The scheduler calls it itself when the
// next check-in comes round; the bot may call it earlier.
func (s *Scheduler) RecordUnanswered(ctx context.Context, user int64, at time.Time) ([]Trigger, error) {
	return s.record(ctx, user, Answer{At: at, Missed: true})
}

// History returns the person's check-ins, oldest first.
func (s *Scheduler) History(ctx context.Context, user int64) ([]Entry, error) {
	h, err := s.st.History(ctx, user)
	if err != nil {
		return nil, fmt.Errorf("history %d: %w", user, err)
	}
	return h, nil
}

func (s *Scheduler) record(ctx context.Context, user int64, a Answer) ([]Trigger, error) {
	hist, err := s.st.History(ctx, user)
	if err != nil {
		return nil, fmt.Errorf("record answer %d: %w", user, err)
	}
	old, found := entryAt(hist, a.At)
	if a.Missed && found && old.Status == StatusAnswered {
		return nil, nil
	}
	form := a.Form
	if a.Missed {
		form = old.Form
	}
	e := entryOf(a, form, s.cfg.Now())
	e.Nudge = old.Nudge
	if _, err := s.st.PutEntry(ctx, user, e, true, s.cfg.HistoryKeep, s.cfg.HistoryRetention); err != nil {
		return nil, fmt.Errorf("record answer %d: %w", user, err)
	}
	name, err := s.name(ctx, user)
	if err != nil {
		return nil, fmt.Errorf("record answer: %w", err)
	}
	if !a.Missed {
		s.count(ctx, user, "answered:"+dueID(false, name, a.At), a.At, "answered")
	}
	triggers := Evaluate(hist, a)
	for _, t := range triggers {
		f := Flag{Key: flagKey(name, a.At, t), Reason: t, At: a.At, Text: a.Text}
		if err := s.flag.Flag(ctx, user, f); err != nil {
			return triggers, fmt.Errorf("flag %d %s: %w", user, t, err)
		}
		s.count(ctx, user, f.Key, a.At, "flag:"+string(t))
		s.log.Info("check-in flagged", "user", user, "reason", string(t), "at", a.At)
	}
	s.log.Info("check-in recorded", "user", user, "at", a.At, "status", string(e.Status))
	return triggers, nil
}

// flagKey names a flag by person (their name in ids), check-in and reason.
func flagKey(name string, at time.Time, t Trigger) string {
	return "ci:" + name + ":" + strconv.FormatInt(at.UnixMilli(), 10) + ":" + string(t)
}

// entryAt finds the entry for the check-in at at.
func entryAt(hist []Entry, at time.Time) (Entry, bool) {
	for _, e := range hist {
		if e.At.Equal(at) {
			return e, true
		}
	}
	return Entry{}, false
}

// lastSent is the latest entry before at that was sent (in any state but
// skipped).
func lastSent(hist []Entry, at time.Time) (Entry, bool) {
	for i := len(hist) - 1; i >= 0; i-- {
		e := hist[i]
		if e.Status != StatusSkipped && e.At.Before(at) {
			return e, true
		}
	}
	return Entry{}, false
}

// silentRun counts the unanswered check-ins running just before at.
func silentRun(hist []Entry, at time.Time) int {
	n := 0
	for i := len(hist) - 1; i >= 0; i-- {
		e := hist[i]
		if e.Status == StatusSkipped || !e.At.Before(at) {
			continue
		}
		if e.Status != StatusUnanswered {
			break
		}
		n++
	}
	return n
}

// closePrevious marks the check-in before at unanswered if it still awaits an
// answer, and reports whether the check-in at at should carry the nudge: it
// does when exactly SilentAfter went unanswered before it. Judged from the
// history, not from whether this call raised the flag, so that a check-in
// sent again after a failure still carries it.
func (s *Scheduler) closePrevious(ctx context.Context, user int64, at time.Time) ([]Entry, bool, error) {
	hist, err := s.st.History(ctx, user)
	if err != nil {
		return nil, false, err
	}
	if prev, ok := lastSent(hist, at); ok && prev.Status == StatusSent {
		if _, err := s.RecordUnanswered(ctx, user, prev.At); err != nil {
			return nil, false, err
		}
		for i := range hist {
			if hist[i].At.Equal(prev.At) {
				hist[i].Status = StatusUnanswered
			}
		}
	}
	return hist, silentRun(hist, at) == SilentAfter, nil
}
