package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
	// The service's time zone must load even on a host without a zone
	// database, such as a scratch container.
	_ "time/tzdata"

	"signpost/hours"
)

// Errors a Desk returns. ErrAlreadyClaimed comes wrapped in a *ClaimedError
// that names the holder.
var (
	ErrNotFound       = errors.New("handoff: no such referral")
	ErrNotAuthorised  = errors.New("handoff: not an authorised link worker")
	ErrAlreadyClaimed = errors.New("handoff: already claimed")
	ErrClosed         = errors.New("handoff: referral is closed")
	ErrErased         = errors.New("handoff: the person asked for their data to be erased")
	ErrNotClaimed     = errors.New("handoff: nobody has claimed the referral yet")
	ErrBadOutcome     = errors.New("handoff: unknown outcome")
	ErrBadEffect      = errors.New("handoff: effect lacks a key or a person")
	ErrEmpty          = errors.New("handoff: nothing to send")
	ErrNoConsent      = errors.New("handoff: the person has not agreed to keep their answers")
)

// ClaimedError says who already has a referral.
type ClaimedError struct {
	Ref    string
	Holder Worker
}

func (e *ClaimedError) Error() string {
	return fmt.Sprintf("handoff: %s already claimed by %d", e.Ref, e.Holder.ID)
}

// Unwrap makes errors.Is(err, ErrAlreadyClaimed) hold.
func (e *ClaimedError) Unwrap() error { return ErrAlreadyClaimed }

// Change is what an update does besides changing the referral itself.
type Change struct {
	// Events are appended to the history.
	Events []Event
	// Scrub removes the Text of every event already in the history.
	Scrub bool
}

// Store keeps referrals. Package store implements it on Redis. Lookups of a
// referral that does not exist return an error wrapping ErrNotFound.
type Store interface {
	// CreateReferral writes r and its first event unless r.Ref is taken; it
	// returns the referral now stored under r.Ref and whether it was r.
	CreateReferral(ctx context.Context, r Referral, first Event) (Referral, bool, error)
	// Referral loads one referral.
	Referral(ctx context.Context, ref string) (Referral, error)
	// Referrals loads several, in order, leaving out those that do not exist.
	Referrals(ctx context.Context, refs []string) ([]Referral, error)
	// History returns the referral's events, oldest first.
	History(ctx context.Context, ref string) ([]Event, error)
	// UpdateReferral applies fn to the stored referral as one compare-and-set,
	// calling it again if another writer got there first. If fn fails,
	// nothing is written and its error is returned.
	UpdateReferral(ctx context.Context, ref string, fn func(*Referral) (Change, error)) (Referral, error)

	// EffectRef returns the referral an effect was applied to, "" if none
	// is known. user is the effect's person, whose referrals a store may
	// read in the same round trip, as the caller goes on to them.
	EffectRef(ctx context.Context, key string, user int64) (string, error)
	// RememberEffect records that the effect with key was applied to ref.
	RememberEffect(ctx context.Context, key, ref string) error

	// PersonReferrals returns the references of a person's referrals, newest first.
	PersonReferrals(ctx context.Context, user int64) ([]string, error)
	// ReferralsOwnedBy finds a person's referrals without their index, by
	// checking every referral; Forget's fallback.
	ReferralsOwnedBy(ctx context.Context, user int64) ([]string, error)
	// QueueRefs returns the references that may be waiting for team.
	QueueRefs(ctx context.Context, team Team) ([]string, error)
	// HeldRefs returns the references that may be held by a worker.
	HeldRefs(ctx context.Context, worker int64) ([]string, error)
	// EachCreated calls fn with every referral created in [from, to),
	// oldest first, read a batch at a time and holding only the fields the
	// figures need (see Referral.anonymous): never a name, chat id or text.
	EachCreated(ctx context.Context, from, to time.Time, fn func(Referral) error) error
	// RemoveReferral deletes a referral closed before closedBefore with
	// everything kept about it; false when it is gone already or did not
	// close before then.
	RemoveReferral(ctx context.Context, ref string, closedBefore time.Time) (bool, error)
	// CheckinTallies returns every check-in count kept.
	CheckinTallies(ctx context.Context) ([]Tally, error)
	// DropTallies removes the check-in counts of the days before day.
	DropTallies(ctx context.Context, day string) (int, error)
	// RefsCreated returns the references of the referrals created in
	// [from, to), oldest first.
	RefsCreated(ctx context.Context, from, to time.Time) ([]string, error)
	// TakeFollowUps takes the references whose follow-up (FollowUpNext) is
	// due at now, for lease: of concurrent callers each reference goes to
	// one, and comes back after the lease if the referral was not changed.
	TakeFollowUps(ctx context.Context, now time.Time, lease time.Duration) ([]string, error)

	// TakeDue atomically takes the referrals whose reminder is due at now and
	// moves each to the time next returns for it, or off the schedule when
	// next says false. Of concurrent callers, each referral goes to one.
	TakeDue(ctx context.Context, now time.Time, next func(r Referral, due time.Time) (time.Time, bool)) ([]Referral, error)

	// PutCard records that the message (chat, message) shows ref.
	PutCard(ctx context.Context, chat, message int64, ref string) error
	// CardRef returns the reference a card message shows, "" if none.
	CardRef(ctx context.Context, chat, message int64) (string, error)
	// AddPost records a message shown about ref; Posts returns them, oldest first.
	AddPost(ctx context.Context, ref string, p Post) error
	Posts(ctx context.Context, ref string) ([]Post, error)

	// OpenMatching returns the summaries of team's open referrals that
	// match f's status, need and source (its team is not looked at), in no
	// particular order.
	OpenMatching(ctx context.Context, team Team, f Filter) ([]Summary, error)
	// OpenFirst returns the first n of team's open referrals by priority,
	// then oldest first, and how many are open in all.
	OpenFirst(ctx context.Context, team Team, n int) ([]Summary, int, error)
	// ReferralsMatching returns up to limit references, newest first, of
	// referrals whose name holds name (ignoring case) and whose postcode
	// district is district; an empty argument matches all.
	ReferralsMatching(ctx context.Context, name, district string, limit int) ([]string, error)

	// AddAudit appends to ref's audit trail; Audit returns it, oldest first.
	AddAudit(ctx context.Context, ref string, a AuditEntry) error
	Audit(ctx context.Context, ref string) ([]AuditEntry, error)

	// PutWorker records a worker as last seen; Workers lists them all;
	// WorkerByHandle finds one by @username, ok false if unknown.
	PutWorker(ctx context.Context, k KnownWorker) error
	Workers(ctx context.Context) ([]KnownWorker, error)
	WorkerByHandle(ctx context.Context, handle string) (KnownWorker, bool, error)
}

// Defaults applied by New to a zero Config.
const (
	DefaultReminder       = 8 * time.Hour // one working day of working time
	DefaultUrgentReminder = 15 * time.Minute
	DefaultLocation       = "Europe/London"
)

// Config tunes a Desk. Its zero value is ready.
type Config struct {
	// Outcomes a worker may close a referral with, in the order offered.
	// Default Outcomes.
	Outcomes []Outcome
	// InConversation reports whether the person is in the middle of a
	// conversation with the bot; what they write then belongs to it, not to
	// their case. Nil: never.
	InConversation func(ctx context.Context, user int64) (bool, error)
	// Children says the children's safeguarding team has a group of its
	// own: the flags of people under 17 go to it (TeamChildren), not to
	// the link workers.
	Children bool
	// Reminder is the working time, counted Monday to Friday 09:00-17:00,
	// after which an unclaimed referral is posted again, and again after
	// each further such period. Default 8 hours: the same clock time on the
	// next working day.
	Reminder time.Duration
	// UrgentReminder is the wall-clock time after which an urgent referral
	// flagged in hours and still unclaimed is posted again, once, and sent
	// to on-call; after that it is posted again at each opening of the
	// team's hours until claimed. Default 15 minutes.
	UrgentReminder time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Location is the service's time zone for working days and for the
	// times shown to link workers. Default Europe/London.
	Location *time.Location
	// Logger gets ids and event names, never what anybody wrote. Default slog.Default().
	Logger *slog.Logger
	// Calendar is the service's working time: follow-ups are asked in it,
	// and the figures measure waits against it. Default Monday to Friday,
	// 09:00-17:00 in Location, with the bank holidays of England and Wales.
	Calendar *hours.Calendar
	// FollowUpAfter is how long after a link worker first writes to the
	// person their follow-up is asked. Default 12 weeks.
	FollowUpAfter time.Duration
	// FollowUpReminder is how long after a follow-up is asked the person is
	// reminded, once, if they have not answered. Default a week.
	FollowUpReminder time.Duration
	// Busy reports whether the person is in the middle of a conversation
	// other than the follow-up, which a follow-up must not interrupt. Nil:
	// never.
	Busy func(ctx context.Context, user int64) (bool, error)
	// Synthetic reports whether the referrals are made-up demonstration
	// data, so that the figures say so. Nil: they are not.
	Synthetic func(ctx context.Context) (bool, error)
	// Triage returns the content's triage rules that hold for a
	// referral's answers (content/data/triage.yaml). Nil: none; a referral
	// is then above routine only when flagged.
	Triage func(answers map[string]string) []Finding
	// HousingChat reports that the council's housing options team has a
	// chat the bot posts referrals in (HOUSING_OPTIONS_CHAT_ID). Without
	// one, a person's agreed referral to that team is a task on the card
	// that a worker must mark done before the case can close.
	HousingChat bool
	// OnCall says there is an on-call chat (ONCALL_CHAT_ID): an urgent flag
	// out of hours goes there at once (NoticeOnCall), and an urgent card
	// unclaimed UrgentReminder in hours goes there too.
	OnCall bool
	// Escalate says there is an escalation chat (ONCALL_ESCALATE_CHAT_ID):
	// an on-call alert not acknowledged within OnCallAck goes there
	// (NoticeEscalate).
	Escalate bool
	// OnCallAck is how long an on-call alert may wait for its
	// acknowledgement. Default 30 minutes (DefaultOnCallAck).
	OnCallAck time.Duration
	// HighReminder is the working time after which an unclaimed
	// high-priority referral is posted again, kept within the same working
	// day. Default 2 hours.
	HighReminder time.Duration
}

// Desk is the link workers' side of the service: every operation on
// referrals goes through it, and returns what must be shown or sent.
type Desk struct {
	st   Store
	auth Authoriser
	cfg  Config
	log  *slog.Logger

	seen sync.Map // worker id → the KnownWorker last recorded
}

// New returns a Desk on st that lets act only the workers auth allows.
func New(st Store, auth Authoriser, cfg Config) *Desk {
	if cfg.Reminder <= 0 {
		cfg.Reminder = DefaultReminder
	}
	if cfg.UrgentReminder <= 0 {
		cfg.UrgentReminder = DefaultUrgentReminder
	}
	if cfg.OnCallAck <= 0 {
		cfg.OnCallAck = DefaultOnCallAck
	}
	if cfg.HighReminder <= 0 {
		cfg.HighReminder = DefaultHighReminder
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation(DefaultLocation)
		if err != nil {
			// Unreachable: the zone database is embedded above.
			panic(fmt.Sprintf("handoff: load %s: %v", DefaultLocation, err))
		}
		cfg.Location = loc
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if len(cfg.Outcomes) == 0 {
		cfg.Outcomes = Outcomes
	}
	if cfg.Calendar == nil {
		cal, err := hours.Load("", "", "", cfg.Location)
		if err != nil {
			// Unreachable: the default week and holidays are built in.
			panic(fmt.Sprintf("handoff: default calendar: %v", err))
		}
		cfg.Calendar = cal
	}
	if cfg.FollowUpAfter <= 0 {
		cfg.FollowUpAfter = DefaultFollowUpAfter
	}
	if cfg.FollowUpReminder <= 0 {
		cfg.FollowUpReminder = DefaultFollowUpReminder
	}
	return &Desk{st: st, auth: auth, cfg: cfg, log: cfg.Logger}
}

// Outcomes lists the outcomes a worker may close a referral with, in the
// order they are offered.
func (d *Desk) Outcomes() []Outcome { return d.cfg.Outcomes }

func (d *Desk) validOutcome(o Outcome) bool { return slices.Contains(d.cfg.Outcomes, o) }

// Location is the service's time zone, for showing times.
func (d *Desk) Location() *time.Location { return d.cfg.Location }

// Route returns the team a person belongs with: care leavers with the
// leaving-care team, everyone else with the link workers. "unsure" stays with
// the link workers, who can pass the person on once they know.
func Route(careLeaver string) Team {
	if careLeaver == "yes" {
		return TeamLeavingCare
	}
	return TeamLinkWorkers
}

// now is the clock, truncated to what the store keeps.
func (d *Desk) now() time.Time { return d.cfg.Now().Truncate(time.Millisecond) }
