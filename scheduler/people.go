package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Enrol starts weekly check-ins for the person on e's day and window
// (DefaultEnrolment for the usual Tuesday 10:00-12:00), replacing any
// enrolment they had; a blocked mark is kept, since only Unblock clears it.
// It returns ErrBadWindow for a window out of range or in quiet hours.
func (s *Scheduler) Enrol(ctx context.Context, user int64, e Enrolment) error {
	if e.Kind == "" {
		e.Kind = KindWeekly
	}
	if err := e.validate(s.quiet); err != nil {
		return err
	}
	old, _, err := s.st.Enrolment(ctx, user)
	if err != nil && !errors.Is(err, ErrNotEnrolled) {
		return fmt.Errorf("enrol %d: %w", user, err)
	}
	e.Blocked = old.Blocked
	return s.put(ctx, "enrol", user, e)
}

// Change moves the person's check-ins to another day and window. Returns
// ErrNotEnrolled or ErrBadWindow.
func (s *Scheduler) Change(ctx context.Context, user int64, day time.Weekday, w Window) error {
	return s.update(ctx, "change", user, func(e *Enrolment) error {
		e.Day, e.Window = day, w
		return e.validate(s.quiet)
	})
}

// Pause holds the person's check-ins back until until; the next is the first
// whose window starts at or after it. Returns ErrNotEnrolled.
func (s *Scheduler) Pause(ctx context.Context, user int64, until time.Time) error {
	return s.update(ctx, "pause", user, func(e *Enrolment) error {
		e.PausedUntil = until
		return nil
	})
}

// Resume ends a pause or a stop: the next check-in is the next window after
// now. A blocked person stays held until Unblock. Returns ErrNotEnrolled.
func (s *Scheduler) Resume(ctx context.Context, user int64) error {
	return s.update(ctx, "resume", user, func(e *Enrolment) error {
		e.PausedUntil, e.Stopped = time.Time{}, false
		return nil
	})
}

// Stop ends the person's check-ins but keeps the arrangement, so that
// Resume can bring them back. Returns ErrNotEnrolled.
func (s *Scheduler) Stop(ctx context.Context, user int64) error {
	return s.update(ctx, "stop", user, func(e *Enrolment) error {
		e.Stopped = true
		return nil
	})
}

// Block holds the person's check-ins and drops their reminder: they blocked
// the bot. Someone not enrolled only loses the reminder. The first Block of
// someone enrolled raises TriggerBlocked, once: blocking again while
// blocked raises nothing, and only an Unblock starts a new episode. The
// flag is named by the check-in that was queued, so that two replicas that
// both see the block raise the same flag.
func (s *Scheduler) Block(ctx context.Context, user int64) error {
	if err := s.st.CancelReminder(ctx, user); err != nil {
		return fmt.Errorf("block %d: %w", user, err)
	}
	e, queued, err := s.st.Enrolment(ctx, user)
	switch {
	case errors.Is(err, ErrNotEnrolled):
		return nil
	case err != nil:
		return fmt.Errorf("block %d: %w", user, err)
	case e.Blocked:
		return nil
	}
	if queued.IsZero() {
		// Being sent right now: the day names the episode.
		queued = s.cfg.Now().UTC().Truncate(24 * time.Hour)
	}
	// The flag goes first: if it fails, the person is not yet marked
	// blocked, and the next Block raises it again under the same key.
	name, err := s.name(ctx, user)
	if err != nil {
		return fmt.Errorf("block %d: %w", user, err)
	}
	f := Flag{Key: flagKey(name, queued, TriggerBlocked), Reason: TriggerBlocked, At: queued}
	if err := s.flag.Flag(ctx, user, f); err != nil {
		return fmt.Errorf("block %d: flag: %w", user, err)
	}
	s.count(ctx, user, f.Key, queued, "flag:"+string(TriggerBlocked))
	s.log.Info("check-in flagged", "user", user, "reason", string(TriggerBlocked), "at", queued)
	e.Blocked = true
	return s.put(ctx, "block", user, e)
}

// Unblock lets check-ins come again, from the next window after now; what was
// due while blocked is not made up. Someone not enrolled is left alone.
func (s *Scheduler) Unblock(ctx context.Context, user int64) error {
	err := s.update(ctx, "unblock", user, func(e *Enrolment) error {
		e.Blocked = false
		return nil
	})
	if errors.Is(err, ErrNotEnrolled) {
		return nil
	}
	return err
}

// Get returns the person's enrolment and their next check-in (zero when none
// is queued: stopped, blocked, or being sent right now). Returns ErrNotEnrolled.
func (s *Scheduler) Get(ctx context.Context, user int64) (Enrolment, time.Time, error) {
	return s.st.Enrolment(ctx, user)
}

// Forget removes the person's enrolment, queued check-in, reminder and
// check-in history. Forgetting someone unknown is not an error.
func (s *Scheduler) Forget(ctx context.Context, user int64) error {
	if err := s.st.DeleteSchedule(ctx, user); err != nil {
		return fmt.Errorf("forget schedule %d: %w", user, err)
	}
	s.log.Info("schedule forgotten", "user", user)
	return nil
}

// RemindLater queues the one reminder of an unfinished self-referral at at,
// moved out of quiet hours; a later call replaces an earlier one, so there is
// never more than one.
func (s *Scheduler) RemindLater(ctx context.Context, user int64, at time.Time) error {
	at = quietEnd(at, s.quiet, s.loc)
	if err := s.st.Remind(ctx, user, at); err != nil {
		return fmt.Errorf("remind %d: %w", user, err)
	}
	return nil
}

// Cancel drops the person's reminder: they carried on or finished.
func (s *Scheduler) Cancel(ctx context.Context, user int64) error {
	if err := s.st.CancelReminder(ctx, user); err != nil {
		return fmt.Errorf("cancel reminder %d: %w", user, err)
	}
	return nil
}

// update reads, changes and stores the person's enrolment with its new next
// instant. The read and the write are two steps: enrolment changes come from
// the person's own conversation, one at a time; the ticks' writes check the
// stored enrolment atomically and so cannot undo a change.
func (s *Scheduler) update(ctx context.Context, op string, user int64, change func(*Enrolment) error) error {
	e, _, err := s.st.Enrolment(ctx, user)
	if err != nil {
		if errors.Is(err, ErrNotEnrolled) {
			return err
		}
		return fmt.Errorf("%s %d: %w", op, user, err)
	}
	if err := change(&e); err != nil {
		return err
	}
	return s.put(ctx, op, user, e)
}

func (s *Scheduler) put(ctx context.Context, op string, user int64, e Enrolment) error {
	next := s.nextFor(user, e, s.cfg.Now())
	if err := s.st.PutEnrolment(ctx, user, e, next); err != nil {
		return fmt.Errorf("%s %d: %w", op, user, err)
	}
	s.log.Info("schedule "+op, "user", user, "active", e.Active(), "next", next)
	return nil
}

// nextFor is the next check-in after now, or zero when none is to be queued.
func (s *Scheduler) nextFor(user int64, e Enrolment, now time.Time) time.Time {
	if !e.Active() {
		return time.Time{}
	}
	return Next(user, e, now, s.loc)
}
