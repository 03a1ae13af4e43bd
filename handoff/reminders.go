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

// workAdd is the instant d of the calendar's working time after t, moved to
// the next opening when it falls exactly at a close, when nobody is there
// to see it. With no working time ahead at all, it is d of wall time.
func (d *Desk) workAdd(t time.Time, dur time.Duration) time.Time {
	cal := d.cfg.Calendar
	at, ok := cal.Add(t, dur)
	if !ok {
		return t.Add(dur)
	}
	return d.openAt(at)
}

// openAt is t when the team is at work then, else the next opening (t
// itself when the calendar has none ahead).
func (d *Desk) openAt(t time.Time) time.Time {
	if at, ok := d.cfg.Calendar.NextOpen(t); ok {
		return at
	}
	return t
}

// nextStretch is the opening after the working stretch under way at t: the
// next morning, or the afternoon after a break in the hours.
func (d *Desk) nextStretch(t time.Time) time.Time {
	return d.openAt(d.cfg.Calendar.Closes(t).Add(time.Millisecond))
}

// highReminder is when a high-priority referral waiting since t is posted
// again: HighReminder of working time later, but within the same working
// day while there is a quarter of an hour of it left, so that a referral
// made at 16:30 is seen again before the team goes home, not the next day.
func (d *Desk) highReminder(t time.Time) time.Time {
	at := d.workAdd(t, d.cfg.HighReminder)
	end, ok := d.cfg.Calendar.EndOfDay(t)
	if ok && at.After(end) {
		if last := end.Add(-15 * time.Minute); last.After(t) && d.cfg.Calendar.Open(last) {
			return last
		}
	}
	return at
}

// firstReminder is when a referral made (or made urgent) at t is next
// looked at: see schedule.
func (d *Desk) firstReminder(r Referral, t time.Time) time.Time {
	switch PriorityOf(r) {
	case PriorityUrgent:
		if d.cfg.Calendar.Open(t) {
			return t.Add(d.cfg.UrgentReminder)
		}
		return d.openAt(t)
	case PriorityHigh:
		return d.highReminder(t)
	}
	return d.workAdd(t, d.cfg.Reminder)
}

// nextReminder is when an unclaimed referral whose reminder was due is
// looked at again, from now: urgent, at the opening of the next working
// stretch (the one repost of the day is done); high and routine one period
// after due, skipping periods wholly past, so that a desk that was down for a
// day reminds once and not once for every missed period.
func (d *Desk) nextReminder(r Referral, due, now time.Time) time.Time {
	switch PriorityOf(r) {
	case PriorityUrgent:
		if d.cfg.Calendar.Open(now) {
			return d.nextStretch(now)
		}
		return d.openAt(now)
	case PriorityHigh:
		next := due
		for !next.After(now) {
			next = d.highReminder(next)
		}
		return next
	}
	next := due
	for !next.After(now) {
		next = d.workAdd(next, d.cfg.Reminder)
	}
	return next
}

// dueWork is what DueReminders does about one referral at now: r as it
// becomes, and the notices and history that go with it.
type dueWork struct {
	r       Referral
	notices Notices
	events  []Event
}

// due works out what is due about r at now. Nothing is posted again to the
// team outside its hours: what falls due then waits for the next opening,
// and an urgent referral goes to on-call instead. An urgent card unclaimed
// in hours is posted again once (UrgentReminder after it was flagged) and
// sent to on-call, then again at each opening. An on-call alert nobody
// acknowledged by EscalateAt goes to the escalation chat.
func (d *Desk) due(r Referral, now time.Time) dueWork {
	w := dueWork{r: r}
	if r.Status == StatusNew && !r.NextReminder.IsZero() && !r.NextReminder.After(now) {
		open := d.cfg.Calendar.Open(now)
		if open {
			w.r.Reminders++
			w.notices = append(w.notices, Notice{Kind: NoticeRepost, Ref: r.Ref, Team: r.Team})
			w.events = append(w.events, Event{At: now, Kind: EventReminded})
		}
		if PriorityOf(r) == PriorityUrgent && r.OnCall.IsZero() {
			d.toOnCall(&w, now)
		}
		if open {
			w.r.NextReminder = d.nextReminder(r, r.NextReminder, now)
		} else {
			w.r.NextReminder = d.openAt(now)
		}
	}
	if !r.EscalateAt.IsZero() && !r.EscalateAt.After(now) {
		w.r.EscalateAt = time.Time{}
		if r.Acked.IsZero() && d.cfg.Escalate {
			w.r.Escalated = now
			w.notices = append(w.notices, Notice{Kind: NoticeEscalate, Ref: r.Ref, Team: r.Team, Text: EscalateText(w.r, d.cfg.OnCallAck)})
			w.events = append(w.events, Event{At: now, Kind: EventEscalated})
		}
	}
	return w
}

// DueReminders takes the unclaimed referrals with something due by now (a
// reminder, an escalation), schedules what comes next for each, and returns
// what to post: NoticeRepost to the team, NoticeOnCall, NoticeEscalate.
// Any number of replicas may call it at once: each due referral goes to
// exactly one of them. A referral claimed or closed meanwhile is dropped
// from the schedule instead.
func (d *Desk) DueReminders(ctx context.Context, now time.Time) (Notices, error) {
	now = now.Truncate(time.Millisecond)
	taken, err := d.st.TakeDue(ctx, now, func(r Referral, _ time.Time) (time.Time, bool) {
		if !scheduled(r) {
			return time.Time{}, false
		}
		w := d.due(r, now)
		next := w.r.Due()
		if next.IsZero() && len(w.events) == 0 {
			return time.Time{}, false // nothing due, nothing to come
		}
		if !next.After(now) {
			// Taken for what is due now; the update below sets the real
			// next time, or takes it off the schedule. Should that fail,
			// it comes back in a minute.
			next = now.Add(time.Minute)
		}
		return next, true
	})
	if err != nil {
		return nil, fmt.Errorf("due reminders: %w", err)
	}
	var out Notices
	for _, t := range taken {
		var w dueWork
		r, err := d.st.UpdateReferral(ctx, t.Ref, func(r *Referral) (Change, error) {
			if !scheduled(*r) {
				return Change{}, errSkip
			}
			w = d.due(*r, now)
			if len(w.events) == 0 && w.r.Due().Equal(r.Due()) {
				return Change{}, errSkip
			}
			*r = w.r
			return Change{Events: w.events}, nil
		})
		if errors.Is(err, errSkip) {
			continue
		}
		if err != nil {
			// The schedule has already moved on; the next period reminds again.
			d.log.WarnContext(ctx, "record reminder", slog.String("ref", t.Ref), slog.Any("err", err))
			continue
		}
		d.log.InfoContext(ctx, "referral reminder due", slog.String("ref", r.Ref), slog.String("priority", string(PriorityOf(r))),
			slog.Int("reminders", r.Reminders), slog.Int("notices", len(w.notices)))
		out = append(out, w.notices...)
	}
	return out, nil
}

// scheduled reports whether r may have something due: it waits to be
// claimed, or it is open with an on-call alert to escalate.
func scheduled(r Referral) bool {
	if !r.Open() || r.IsErased() {
		return false
	}
	return r.Status == StatusNew || !r.EscalateAt.IsZero()
}

// errSkip leaves a referral unchanged inside an update.
var errSkip = errors.New("handoff: skip")
