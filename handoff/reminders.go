package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Working hours, in the service's time zone, Monday to Friday. Both hours
// exist on every day of the year in Europe/London, whose clocks change at
// 01:00 and 02:00, so a working day is always eight real hours long.
const (
	workStart = 9
	workEnd   = 17
)

// AddWorkingTime returns the instant d of working time after t, counting only
// Monday to Friday 09:00-17:00 in loc. Time outside working hours does not
// count, so eight hours from Friday 14:00 is Monday 14:00. An instant that
// would fall exactly at a day's close is moved to the next day's opening, when
// someone is there to see it: eight hours from Saturday noon, or from Monday
// 08:00, is Tuesday 09:00.
func AddWorkingTime(t time.Time, d time.Duration, loc *time.Location) time.Time {
	t = t.In(loc)
	t = openAt(t)
	for {
		end := dayAt(t, workEnd)
		left := end.Sub(t)
		if d < left {
			return t.Add(d)
		}
		d -= left
		t = nextOpening(t)
	}
}

// openAt returns t if it is inside working hours, else the next opening.
func openAt(t time.Time) time.Time {
	if !workday(t) || !t.Before(dayAt(t, workEnd)) {
		return nextOpening(t)
	}
	if start := dayAt(t, workStart); t.Before(start) {
		return start
	}
	return t
}

// nextOpening is 09:00 on the first working day after t's day.
func nextOpening(t time.Time) time.Time {
	y, m, dd := t.Date()
	for i := 1; ; i++ {
		n := time.Date(y, m, dd+i, workStart, 0, 0, 0, t.Location())
		if workday(n) {
			return n
		}
	}
}

func dayAt(t time.Time, hour int) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, hour, 0, 0, 0, t.Location())
}

func workday(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// nextReminder is when an unclaimed referral whose reminder was due is posted
// again: one period after due, skipping periods wholly past, so that a desk
// that was down for a day reminds once and not once for every missed period.
func (d *Desk) nextReminder(r Referral, due, now time.Time) time.Time {
	next := due
	for !next.After(now) {
		if r.Urgent {
			next = next.Add(d.cfg.UrgentReminder)
		} else {
			next = AddWorkingTime(next, d.cfg.Reminder, d.cfg.Location)
		}
	}
	return next
}

// DueReminders takes the unclaimed referrals whose reminder time has passed,
// schedules each one's next reminder, and asks for each card to be posted
// again (NoticeRepost). Any number of replicas may call it at once: each due referral goes
// to exactly one of them. A referral claimed or closed meanwhile is dropped
// from the schedule instead.
func (d *Desk) DueReminders(ctx context.Context, now time.Time) (Notices, error) {
	now = now.Truncate(time.Millisecond)
	taken, err := d.st.TakeDue(ctx, now, func(r Referral, due time.Time) (time.Time, bool) {
		if r.Status != StatusNew || r.IsErased() {
			return time.Time{}, false
		}
		return d.nextReminder(r, due, now), true
	})
	if err != nil {
		return nil, fmt.Errorf("due reminders: %w", err)
	}
	var out Notices
	for _, t := range taken {
		next := d.nextReminder(t, t.NextReminder, now)
		r, err := d.st.UpdateReferral(ctx, t.Ref, func(r *Referral) (Change, error) {
			if r.Status != StatusNew || r.IsErased() {
				return Change{}, errSkip
			}
			r.Reminders++
			r.NextReminder = next
			return Change{Events: []Event{{At: now, Kind: EventReminded}}}, nil
		})
		if errors.Is(err, errSkip) {
			continue
		}
		if err != nil {
			// The schedule has already moved on; the next period reminds again.
			d.log.WarnContext(ctx, "record reminder", slog.String("ref", t.Ref), slog.Any("err", err))
			continue
		}
		d.log.InfoContext(ctx, "referral reminder due", slog.String("ref", r.Ref), slog.Bool("urgent", r.Urgent), slog.Int("reminders", r.Reminders))
		out = append(out, Notice{Kind: NoticeRepost, Ref: r.Ref, Team: r.Team})
	}
	return out, nil
}

// errSkip leaves a referral unchanged inside an update.
var errSkip = errors.New("handoff: skip")
