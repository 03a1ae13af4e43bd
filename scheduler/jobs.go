package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is work that runs on a cron schedule beside the check-ins: the
// follow-ups due every minute, the retention purge once a day. Every
// replica runs every job (cron does not coordinate replicas), so Run must be
// safe on several at once: it claims its work atomically, as the check-ins
// do, and a repeat finds nothing left to do.
type Job struct {
	// Name is for the logs.
	Name string
	// Spec is when it runs, in the five fields of cron ("30 3 * * *"), read
	// in the service's time zone. A time the clocks skip is skipped and one
	// they repeat runs twice, so a daily job should avoid 01:00-02:00 in
	// Europe/London.
	Spec string
	// Run does the work due at now. An error is logged; the next run tries
	// again.
	Run func(ctx context.Context, now time.Time) error
	// AtStart also runs the job once when RunJobs starts, so that a restart
	// catches up with what came due while nothing was running.
	AtStart bool
}

// ParseSpec checks a cron schedule in the five standard fields, for
// settings to be refused at start rather than at the first tick.
func ParseSpec(spec string) error {
	if _, err := cron.ParseStandard(spec); err != nil {
		return fmt.Errorf("%q is not a cron schedule of five fields (minute hour day month weekday): %w", spec, err)
	}
	return nil
}

// RunJobs runs jobs on their schedules until ctx ends, then waits for the
// runs in progress, which finish on a context that ctx's end does not
// cancel. A job still running when its next time comes is not started
// twice. Returns an error, before anything runs, for a bad schedule.
func (s *Scheduler) RunJobs(ctx context.Context, jobs []Job) error {
	work := context.WithoutCancel(ctx)
	c := cron.New(
		cron.WithLocation(s.loc),
		cron.WithLogger(cronLogger{s}),
		cron.WithChain(cron.SkipIfStillRunning(cronLogger{s})),
	)
	var first []func()
	for _, j := range jobs {
		run := func() {
			if ctx.Err() != nil {
				return
			}
			if err := j.Run(work, s.cfg.Now()); err != nil {
				s.log.Error("scheduled job", "job", j.Name, "err", err)
			}
		}
		if _, err := c.AddFunc(j.Spec, run); err != nil {
			return fmt.Errorf("scheduler: job %s: %w", j.Name, err)
		}
		if j.AtStart {
			first = append(first, run)
		}
	}
	for _, run := range first {
		run()
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}
