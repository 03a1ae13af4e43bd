package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Stats counts what one Tick did.
type Stats struct {
	// Sent check-ins and reminders handed to the sender.
	Sent, Reminded int
	// Skipped check-ins, too late or in quiet hours, moved to their next instant.
	Skipped int
	// Deferred reminders, moved to the end of quiet hours.
	Deferred int
	// Dropped items of people no longer enrolled, stopped or blocked.
	Dropped int
	// Failed sends, left leased to be tried again.
	Failed int
}

func (a *Stats) add(b Stats) {
	a.Sent += b.Sent
	a.Reminded += b.Reminded
	a.Skipped += b.Skipped
	a.Deferred += b.Deferred
	a.Dropped += b.Dropped
	a.Failed += b.Failed
}

// Run ticks at the start of every minute (UTC; the schedule's own time zone
// lives in the instants, not in cron) and once straight away, so that a
// restart catches up at once. It returns nil when ctx ends, after the tick in
// progress has finished; that tick runs to its end on a context that ctx's
// end does not cancel, so no claimed item is left half done.
func (s *Scheduler) Run(ctx context.Context) error {
	work := context.WithoutCancel(ctx)
	tick := func() {
		if ctx.Err() != nil {
			return
		}
		if _, err := s.Tick(work, s.cfg.Now()); err != nil {
			s.log.Error("scheduler tick", "err", err)
		}
	}
	c := cron.New(
		cron.WithLocation(time.UTC),
		cron.WithLogger(cronLogger{s}),
		cron.WithChain(cron.SkipIfStillRunning(cronLogger{s})),
	)
	if _, err := c.AddFunc("* * * * *", tick); err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	tick()
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// cronLogger passes cron's own messages to slog; they carry no personal data.
type cronLogger struct{ s *Scheduler }

func (l cronLogger) Info(msg string, kv ...any) { l.s.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.s.log.Error("cron: "+msg, append(kv, "err", err)...)
}

// Tick claims and handles everything due at now: check-ins and reminders,
// several at a time (Config.Workers), claiming again while claims come back
// full. Errors of single items are logged and counted in Stats.Failed; their
// lease runs out and a later tick tries again. Tick returns an error only when
// claiming fails.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) (Stats, error) {
	var total Stats
	for {
		claims, err := s.st.Claim(ctx, now, s.cfg.Batch, s.cfg.Lease)
		if err != nil {
			return total, fmt.Errorf("claim: %w", err)
		}
		if len(claims) == 0 {
			return total, nil
		}
		var users []int64
		checkins := 0
		for _, c := range claims {
			if !c.Reminder {
				users = append(users, c.User)
				checkins++
			}
		}
		enrolled, err := s.st.Enrolments(ctx, users)
		if err != nil {
			// Leases run out and the items come back; nothing is lost.
			return total, fmt.Errorf("read enrolments: %w", err)
		}
		total.add(s.handleAll(ctx, now, claims, enrolled))
		if checkins < s.cfg.Batch && len(claims)-checkins < s.cfg.Batch {
			return total, nil
		}
	}
}

// handleAll runs handle for each claim on up to Config.Workers goroutines.
func (s *Scheduler) handleAll(ctx context.Context, now time.Time, claims []Claim, enrolled map[int64]Enrolment) Stats {
	var (
		mu    sync.Mutex
		total Stats
		wg    sync.WaitGroup
		sem   = make(chan struct{}, s.cfg.Workers)
	)
	for _, c := range claims {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			e, ok := enrolled[c.User]
			var st Stats
			var err error
			if c.Reminder {
				st, err = s.remind(ctx, now, c)
			} else {
				st, err = s.checkIn(ctx, now, c, e, ok)
			}
			if err != nil {
				st.Failed++
				s.log.Error("scheduled item failed", "user", c.User, "at", c.At, "reminder", c.Reminder, "err", err)
			}
			mu.Lock()
			total.add(st)
			mu.Unlock()
		})
	}
	wg.Wait()
	return total
}

// checkIn handles one claimed check-in.
func (s *Scheduler) checkIn(ctx context.Context, now time.Time, c Claim, e Enrolment, enrolled bool) (Stats, error) {
	if !enrolled || !e.Active() {
		return Stats{Dropped: 1}, s.st.Complete(ctx, c, time.Time{})
	}
	// The next window after the later of the two: a check-in sent late
	// still counts for its own week.
	next := Next(c.User, e, later(now, c.At), s.loc)
	if now.Sub(c.At) > s.cfg.MaxLate || inQuiet(now, s.quiet, s.loc) {
		skipped := Entry{At: c.At, Form: FormWeekly, Status: StatusSkipped}
		if _, err := s.st.PutEntry(ctx, c.User, skipped, false, s.cfg.HistoryKeep, s.cfg.HistoryRetention); err != nil {
			return Stats{}, err
		}
		s.log.Info("check-in skipped", "user", c.User, "at", c.At, "late", now.Sub(c.At), "next", next)
		return Stats{Skipped: 1}, s.st.Complete(ctx, c, next)
	}

	hist, nudge, err := s.closePrevious(ctx, c.User, c.At)
	if err != nil {
		return Stats{}, err
	}
	name, err := s.name(ctx, c.User)
	if err != nil {
		return Stats{}, err
	}
	due := Due{
		ID: dueID(false, name, c.At), User: c.User, At: c.At,
		Form: formFor(c.At, hist, s.loc), Nudge: nudge,
	}
	if st, done, err := s.deliver(ctx, c, due); done {
		return st, err
	}
	sent := Entry{At: c.At, Form: due.Form, Status: StatusSent, Nudge: nudge}
	if _, err := s.st.PutEntry(ctx, c.User, sent, false, s.cfg.HistoryKeep, s.cfg.HistoryRetention); err != nil {
		return Stats{}, err
	}
	s.count(ctx, c.User, due.ID, c.At, "sent")
	s.log.Info("check-in sent", "user", c.User, "id", due.ID, "form", string(due.Form), "nudge", nudge, "next", next)
	return Stats{Sent: 1}, s.st.Complete(ctx, c, next)
}

// remind handles one claimed reminder: sent unless it is quiet hours, then
// moved to their end. A reminder delayed by downtime is still worth sending.
func (s *Scheduler) remind(ctx context.Context, now time.Time, c Claim) (Stats, error) {
	if inQuiet(now, s.quiet, s.loc) {
		return Stats{Deferred: 1}, s.st.Complete(ctx, c, quietEnd(now, s.quiet, s.loc))
	}
	name, err := s.name(ctx, c.User)
	if err != nil {
		return Stats{}, err
	}
	due := Due{ID: dueID(true, name, c.At), User: c.User, At: c.At, Reminder: true}
	if st, done, err := s.deliver(ctx, c, due); done {
		return st, err
	}
	s.log.Info("reminder sent", "user", c.User, "id", due.ID)
	return Stats{Reminded: 1}, s.st.Complete(ctx, c, time.Time{})
}

// deliver hands due to the sender. done reports that the item is finished
// with (the person blocked the bot) or failed; otherwise it was sent.
func (s *Scheduler) deliver(ctx context.Context, c Claim, due Due) (Stats, bool, error) {
	err := s.send.CheckIn(ctx, c.User, due)
	switch {
	case err == nil:
		return Stats{}, false, nil
	case errors.Is(err, ErrBlocked):
		s.log.Info("person blocked the bot", "user", c.User, "id", due.ID)
		if err := s.Block(ctx, c.User); err != nil {
			return Stats{}, true, err
		}
		return Stats{Dropped: 1}, true, s.st.Complete(ctx, c, time.Time{})
	default:
		return Stats{}, true, fmt.Errorf("send %s: %w", due.ID, err)
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
