// Package scheduler sends the weekly check-ins against isolation and the one
// reminder of an unfinished self-referral, and turns worrying answers and long
// silences into flags for the link workers.
//
// Time lives in Redis, not in memory (docs/design.md, rule 4). Each person's next
// check-in is an absolute instant in a sorted set; cron only ticks, once a
// minute, and each tick claims the items that are due with one atomic script
// that moves them to a leased in-flight set. Any number of replicas may tick:
// an item is claimed by one of them only. After the sender has the item, the
// next instant is stored and the lease dropped in one more script; a lease
// that runs out (a replica died mid-send) puts the item back, and the item's
// ID lets the sender drop the repeat.
//
// # Time zone and the DST rule
//
// A person's day and window are wall-clock times in Config.Location
// (Europe/London unless set). They become instants by LocalInstant's rule:
// a wall time that does not exist, because the clocks go forward over it,
// moves forward by the gap (01:30 on 2026-03-29 in London fires at 02:30
// BST); a wall time that happens twice, because the clocks go back, fires
// once, at its first occurrence (01:30 BST on 2026-10-25, not again at 01:30
// GMT). Each week's window is used once whatever its length in real time.
//
// Inside the window the minute is jitter: a hash of the person and the ISO
// week, so sends spread over the window, and every replica computes the same.
//
// # Catching up and quiet hours
//
// After downtime a tick claims everything overdue. An item late by no more
// than Config.MaxLate (2 hours unless set) is sent; a later one is recorded as
// skipped and moved to its next instant, so nobody gets a check-in at the
// wrong hour. Nothing is sent in the quiet hours (21:00-09:00 unless set):
// windows may not reach into them, an overdue check-in that would land in
// them is skipped, and a reminder that would is moved to their end.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"
	_ "time/tzdata" // Europe/London must resolve on hosts without a zone database
)

// Defaults applied by New to a zero Config.
const (
	DefaultLocation         = "Europe/London"
	DefaultMaxLate          = 2 * time.Hour
	DefaultLease            = 5 * time.Minute
	DefaultBatch            = 1000
	DefaultWorkers          = 16
	DefaultHistoryKeep      = 20
	DefaultHistoryRetention = 400 * 24 * time.Hour
)

// Config tunes a Scheduler. Zero values mean the documented defaults.
type Config struct {
	// Location is the service's time zone. Default Europe/London.
	Location *time.Location
	// QuietHours is when nothing is sent. Nil means DefaultQuietHours
	// (21:00-09:00); an empty window (From == To) means none.
	QuietHours *Window
	// MaxLate is how late a check-in may still be sent. Default 2 hours.
	MaxLate time.Duration
	// Lease is how long a claimed item stays with the replica that claimed
	// it before another may take it back. Default 5 minutes; it must be
	// longer than a send takes.
	Lease time.Duration
	// Batch is how many items one claim takes. Default 1000; a tick claims
	// again while claims come back full.
	Batch int
	// Workers is how many items of a tick are handed to the sender at once.
	// Default 16.
	Workers int
	// HistoryKeep is how many check-ins of a person's history are kept.
	// Default 20, enough for every trigger and the monthly question.
	HistoryKeep int
	// HistoryRetention is how long a history is kept after its last change.
	// Default 400 days.
	HistoryRetention time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives ids and event names, never what people wrote.
	// Default slog.Default().
	Logger *slog.Logger
	// Count, when set, is told of each check-in sent ("sent"), answered
	// ("answered"), flagged ("flag:" and the trigger) and each person found
	// to have blocked the bot ("flag:blocked"), for the anonymous figures.
	// id names the event, the same for every repeat of it; at is the
	// check-in's instant. An error is logged: a count is not worth a retry.
	Count func(ctx context.Context, user int64, id string, at time.Time, measure string) error
	// Pseudonym names the person in the ids of events (Due.ID, Flag.Key and
	// the ids given to Count), which outlive their erasure in the marks
	// against repeats and in a referral's anonymous record: it must give the
	// same name for the same person every time, and a name that cannot be
	// read back as their id (a keyed hash). Nil uses the id in decimal,
	// which is fit for tests only.
	Pseudonym func(ctx context.Context, user int64) (string, error)
}

// Claim is an item taken from a queue by Storage.Claim.
type Claim struct {
	User     int64
	At       time.Time
	Reminder bool
}

// Storage keeps schedules, reminders and histories. store.Schedules
// implements it on Redis.
type Storage interface {
	// Enrolment returns the person's enrolment and the instant of their
	// queued check-in (zero when none is queued), or ErrNotEnrolled.
	Enrolment(ctx context.Context, user int64) (Enrolment, time.Time, error)
	// Enrolments returns the enrolments of those of users who have one.
	Enrolments(ctx context.Context, users []int64) (map[int64]Enrolment, error)
	// PutEnrolment stores e and queues the person's check-in at next, or
	// takes it out of the queue when next is zero, atomically.
	PutEnrolment(ctx context.Context, user int64, e Enrolment, next time.Time) error
	// DeleteSchedule removes the enrolment, the queued check-in, the reminder
	// and the history.
	DeleteSchedule(ctx context.Context, user int64) error
	// Claim atomically takes up to limit check-ins and up to limit reminders
	// due at now, leasing each for lease; leases that ran out are put back
	// first.
	Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]Claim, error)
	// Complete drops c's lease and queues the person's next item at next
	// (zero: none). A check-in is queued again only while the person is
	// enrolled and active; neither is queued over a newer item.
	Complete(ctx context.Context, c Claim, next time.Time) error
	// Remind queues the person's reminder at at, replacing any earlier one.
	Remind(ctx context.Context, user int64, at time.Time) error
	// CancelReminder takes the person's reminder out of the queue.
	CancelReminder(ctx context.Context, user int64) error
	// History returns the person's check-ins, oldest first.
	History(ctx context.Context, user int64) ([]Entry, error)
	// PutEntry records e, replacing the entry for e.At if replace, else only
	// if there is none; it keeps the newest keep entries and restarts the
	// history's expiry at ttl. It reports whether it wrote.
	PutEntry(ctx context.Context, user int64, e Entry, replace bool, keep int, ttl time.Duration) (bool, error)
}

// Sender hands a due item to the person. The bot implements it by starting
// the check-in (or reminder) conversation through the runner and outbox.
// An error leaves the item leased; it is tried again when the lease runs
// out, if it is not too late by then. An error wrapping ErrBlocked blocks
// the person.
type Sender interface {
	CheckIn(ctx context.Context, user int64, due Due) error
}

// Flag is an escalation to the link workers.
type Flag struct {
	// Key is the same for every repeat of this flag, so raising it twice is a no-op.
	Key    string
	Reason Trigger
	// At names the check-in that raised it.
	At time.Time
	// Text is what the person wrote with the answer, if anything.
	Text string
}

// Flagger raises flags; handoff implements it onto the person's case, if any.
type Flagger interface {
	Flag(ctx context.Context, user int64, f Flag) error
}

// Scheduler is safe for concurrent use.
type Scheduler struct {
	st    Storage
	send  Sender
	flag  Flagger
	cfg   Config
	loc   *time.Location
	quiet Window
	log   *slog.Logger
}

// New returns a Scheduler. It fails only if the default time zone cannot be
// loaded.
func New(st Storage, send Sender, flag Flagger, cfg Config) (*Scheduler, error) {
	if cfg.Location == nil {
		loc, err := time.LoadLocation(DefaultLocation)
		if err != nil {
			return nil, fmt.Errorf("scheduler: load %s: %w", DefaultLocation, err)
		}
		cfg.Location = loc
	}
	quiet := DefaultQuietHours
	if cfg.QuietHours != nil {
		quiet = *cfg.QuietHours
	}
	if cfg.MaxLate <= 0 {
		cfg.MaxLate = DefaultMaxLate
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.HistoryKeep < SilentAfter {
		cfg.HistoryKeep = DefaultHistoryKeep
	}
	if cfg.HistoryRetention <= 0 {
		cfg.HistoryRetention = DefaultHistoryRetention
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Pseudonym == nil {
		cfg.Pseudonym = func(_ context.Context, user int64) (string, error) { return strconv.FormatInt(user, 10), nil }
	}
	return &Scheduler{st: st, send: send, flag: flag, cfg: cfg, loc: cfg.Location, quiet: quiet, log: cfg.Logger}, nil
}

// name is the person's name in the ids of events (Config.Pseudonym).
func (s *Scheduler) name(ctx context.Context, user int64) (string, error) {
	n, err := s.cfg.Pseudonym(ctx, user)
	if err != nil {
		return "", fmt.Errorf("name %d: %w", user, err)
	}
	return n, nil
}

// count passes one event to Config.Count.
func (s *Scheduler) count(ctx context.Context, user int64, id string, at time.Time, measure string) {
	if s.cfg.Count == nil {
		return
	}
	if err := s.cfg.Count(ctx, user, id, at, measure); err != nil {
		s.log.Warn("check-in count", "measure", measure, "err", err)
	}
}

// Next returns the person's next check-in after after under this
// scheduler's time zone.
func (s *Scheduler) Next(user int64, e Enrolment, after time.Time) time.Time {
	return Next(user, e, after, s.loc)
}
