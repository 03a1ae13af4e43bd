// Package service is what signpost runs: the casework desk, the check-in
// scheduler and the Telegram bot's casework side put together, the effects of
// conversations routed to the part that owns each, the notices casework
// returns delivered (to people through their own outbox, to link workers
// through the bot), and every background loop under one Start and one
// Shutdown. cmd/signpost builds the parts from settings and hands them here.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"signpost/bot"
	"signpost/content"
	"signpost/flows"
	"signpost/handoff"
	"signpost/hours"
	"signpost/internal/roundtrip"
	"signpost/scheduler"
	"signpost/store"
)

// Defaults applied by New to a zero Config.
const (
	DefaultReminderEvery = time.Minute
	DefaultMemberFor     = time.Minute
)

// Config tunes a Service. Zero values mean the documented defaults.
type Config struct {
	// Groups is each team's Telegram group (LINKWORKER_CHAT_ID,
	// LEAVING_CARE_CHAT_ID, CHILDREN_SAFEGUARDING_CHAT_ID); a team without
	// one shares the link workers'. With a children's group, the flags of
	// people under 17 go to the children's safeguarding team.
	Groups map[handoff.Team]int64
	// HousingChat is the council's housing options team's chat
	// (HOUSING_OPTIONS_CHAT_ID); zero: workers make those referrals.
	HousingChat int64
	// Teams says who belongs to which team (LINKWORKER_IDS and the rest);
	// membership of a team's group counts too.
	Teams handoff.AuthConfig
	// Outcomes a referral may be closed with. Default handoff.Outcomes.
	Outcomes []handoff.Outcome
	// Location is the service's time zone. Default Europe/London.
	Location *time.Location
	// Console is the console's address, for links on cards; empty: none.
	Console string
	// Now is the clock of the desk, the reminders, the scheduler and the
	// check-in effects. Default time.Now.
	Now func() time.Time
	// ReminderEvery is how often unclaimed referrals are looked for to post
	// again; the desk decides which are due. Default a minute.
	ReminderEvery time.Duration
	// MemberFor is how long Telegram's word that a user belongs to a team's
	// group is trusted before asking again. Only a yes is remembered, so a
	// worker just added is let in at once. Default a minute.
	MemberFor time.Duration
	Logger    *slog.Logger
	// Calendar is the service's working time (SERVICE_HOURS and bank
	// holidays): follow-ups are asked in it and waits are measured against
	// it. Default Monday to Friday 09:00-17:00 with England and Wales's
	// bank holidays.
	Calendar *hours.Calendar
	// FollowUpAfter and FollowUpReminder: see handoff.Config.
	FollowUpAfter, FollowUpReminder time.Duration
	// FollowUpSpec is when the follow-ups due are looked for, as a cron
	// schedule. Default every minute.
	FollowUpSpec string
	// Retention is how long data is kept (RETENTION_CLOSED,
	// RETENTION_ANONYMOUS). Default 24 months and 7 years.
	Retention handoff.Retention
	// RetentionSpec is when the retention purge runs, as a cron schedule in
	// the service's time zone (RETENTION_SCHEDULE). Default 03:30 daily.
	RetentionSpec string
	// OnRetention is told what each retention purge did, for the metrics.
	OnRetention func(handoff.Retained)
	// WorkersUnseen is how long a link worker's record (id, name,
	// @username, teams) is kept after they were last seen in a team's group,
	// at a button or signing in to the console; the retention purge removes
	// older ones. Default DefaultWorkersUnseen.
	WorkersUnseen time.Duration
	// OnCall is the on-call chat (ONCALL_CHAT_ID): urgent flags out of
	// hours go there at once, and urgent cards unclaimed for a quarter of
	// an hour in hours. Escalate (ONCALL_ESCALATE_CHAT_ID) gets what is not
	// acknowledged there within OnCallAck (ONCALL_ACK_MINUTES, default 30
	// minutes). Zero: none.
	OnCall, Escalate int64
	OnCallAck        time.Duration
}

// Defaults of the scheduled jobs: due follow-ups are looked for every
// minute; the retention purge runs at 03:30, clear of the hour the clocks
// change.
const (
	DefaultFollowUpSpec  = "* * * * *"
	DefaultRetentionSpec = "30 3 * * *"
)

// DefaultWorkersUnseen is six months: longer than any leave, so that a
// worker who is still in the team is not forgotten, and short enough that
// one who left does not stay on the list of colleagues to pass a case to.
const DefaultWorkersUnseen = 183 * 24 * time.Hour

// Service is signpost at work. Build it with New, give it the bot with
// Attach, then Start; Shutdown stops every loop it started.
type Service struct {
	cfg     Config
	log     *slog.Logger
	st      *store.Store
	runner  *flows.Runner
	desk    *handoff.Desk
	sched   *scheduler.Scheduler
	members *memberCache
	effects *effects
	checkin *checkinSender

	mu    sync.Mutex
	wake  map[handoff.Channel]func(user int64)
	lw    *bot.LinkWorkers
	bot   *bot.Bot
	stop  context.CancelFunc
	loops sync.WaitGroup
}

// New builds the desk and the scheduler on st. The bot comes later (Attach):
// it needs the service's effects to be made.
func New(cfg Config, st *store.Store, runner *flows.Runner) (*Service, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ReminderEvery <= 0 {
		cfg.ReminderEvery = DefaultReminderEvery
	}
	if cfg.MemberFor <= 0 {
		cfg.MemberFor = DefaultMemberFor
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.FollowUpSpec == "" {
		cfg.FollowUpSpec = DefaultFollowUpSpec
	}
	if err := scheduler.ParseSpec(cfg.FollowUpSpec); err != nil {
		return nil, fmt.Errorf("service: follow-ups: %w", err)
	}
	if cfg.RetentionSpec == "" {
		cfg.RetentionSpec = DefaultRetentionSpec
	}
	if err := scheduler.ParseSpec(cfg.RetentionSpec); err != nil {
		return nil, fmt.Errorf("service: retention: %w", err)
	}
	if cfg.Retention.Closed.IsZero() {
		cfg.Retention.Closed = handoff.DefaultRetainClosed
	}
	if cfg.Retention.Anonymous.IsZero() {
		cfg.Retention.Anonymous = handoff.DefaultRetainAnonymous
	}
	if cfg.WorkersUnseen <= 0 {
		cfg.WorkersUnseen = DefaultWorkersUnseen
	}
	s := &Service{cfg: cfg, log: cfg.Logger, st: st, runner: runner, wake: map[handoff.Channel]func(int64){}}
	s.members = &memberCache{ttl: cfg.MemberFor, now: time.Now, until: map[int64]memberEntry{}}
	teams := cfg.Teams
	teams.Member = s.members.teams
	bundle := runner.Content()
	handoff.SetReasonWords(bundle.ReasonWords())
	s.desk = handoff.New(st, handoff.NewAuthoriser(teams), handoff.Config{
		Triage:           triage(bundle),
		HousingChat:      cfg.HousingChat != 0,
		Outcomes:         cfg.Outcomes,
		Children:         cfg.Groups[handoff.TeamChildren] != 0,
		InConversation:   s.inConversation,
		Now:              cfg.Now,
		Location:         cfg.Location,
		Logger:           cfg.Logger,
		Calendar:         cfg.Calendar,
		FollowUpAfter:    cfg.FollowUpAfter,
		FollowUpReminder: cfg.FollowUpReminder,
		Busy:             s.busy,
		Synthetic:        st.Synthetic,
		OnCall:           cfg.OnCall != 0,
		Escalate:         cfg.OnCall != 0 && cfg.Escalate != 0,
		OnCallAck:        cfg.OnCallAck,
	})
	s.checkin = &checkinSender{}
	flagger := &handoff.CheckinFlagger{Desk: s.desk, Profile: st.Profile, Deliver: s.Deliver}
	sched, err := scheduler.New(st.Schedules(), s.checkin, flagger, scheduler.Config{
		Location: cfg.Location,
		Now:      cfg.Now,
		Logger:   cfg.Logger,
		Count:    s.count,
		// Flag keys and count marks outlive the person's erasure: they
		// name them by a keyed hash, never by their Telegram id.
		Pseudonym: st.Pseudonym,
	})
	if err != nil {
		return nil, err
	}
	s.sched = sched
	s.effects = &effects{s: s}
	return s, nil
}

// triage reads a referral's answers by the content's triage rules.
func triage(b *content.Bundle) func(map[string]string) []handoff.Finding {
	return func(answers map[string]string) []handoff.Finding {
		var out []handoff.Finding
		for _, m := range b.Triage(answers) {
			out = append(out, handoff.Finding{Reason: handoff.Reason(m.Reason), Priority: handoff.Priority(m.Priority)})
		}
		return out
	}
}

// Desk is the casework desk, for the console.
func (s *Service) Desk() *handoff.Desk { return s.desk }

// Scheduler is the check-in scheduler.
func (s *Service) Scheduler() *scheduler.Scheduler { return s.sched }

// Effects runs what conversations set in motion; the bot delivers them.
func (s *Service) Effects() bot.Effects { return s.effects }

// Attach gives the service the Telegram bot: the casework side of it, the
// check-ins it starts, and people who block it. lwc's Groups, Deliver and
// Logger are the service's own.
func (s *Service) Attach(b *bot.Bot, lwc bot.LinkWorkersConfig) *bot.LinkWorkers {
	lwc.Groups = s.cfg.Groups
	lwc.HousingChat = s.cfg.HousingChat
	lwc.Deliver = s.Deliver
	lwc.Logger = s.log
	lwc.OnMoved = s.st.MoveChat
	lwc.OnCall, lwc.Escalate = s.cfg.OnCall, s.cfg.Escalate
	if lwc.Console == "" {
		lwc.Console = s.cfg.Console
	}
	lw := b.LinkWorkers(s.desk, lwc)
	bundle := s.runner.Content()
	s.mu.Lock()
	s.lw, s.bot = lw, b
	s.wake[handoff.ChannelTelegram] = b.Notify
	s.mu.Unlock()
	s.members.setAsk(lw.Member)
	s.checkin.set(b.CheckIns(s.runner, s.st, func(lang, key string) string { return bundle.Text(bundle.Lang(lang), key) }))
	return lw
}

// SetWaker names the function that wakes the deliverer of a channel's people
// when their outbox has something new, such as a link worker's message.
func (s *Service) SetWaker(ch handoff.Channel, wake func(user int64)) {
	s.mu.Lock()
	s.wake[ch] = wake
	s.mu.Unlock()
}

// OnBlocked pauses the check-ins of a person who blocked the bot and resumes
// them when they unblock it.
func (s *Service) OnBlocked(ctx context.Context, user int64, blocked bool) {
	var err error
	if blocked {
		err = s.sched.Block(ctx, user)
	} else {
		err = s.sched.Unblock(ctx, user)
	}
	if err != nil {
		s.log.Error("check-ins on block", "user", user, "blocked", blocked, "err", err)
	}
}

// Start runs the background loops until Shutdown: the check-in scheduler and
// the reminders of unclaimed referrals. Each catches up at once.
func (s *Service) Start(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.stop = cancel
	lw := s.lw
	s.mu.Unlock()
	if lw != nil {
		// Groups that became supergroups are followed after a restart too.
		moved, err := s.st.MovedChats(ctx)
		if err != nil {
			s.log.Error("read the groups that became supergroups", "err", err)
		}
		for old, to := range moved {
			lw.Follow(old, to)
		}
	}
	s.loops.Go(func() {
		if err := s.sched.Run(ctx); err != nil {
			s.log.Error("scheduler", "err", err)
		}
	})
	s.loops.Go(func() { s.remind(ctx) })
	s.loops.Go(func() {
		if err := s.sched.RunJobs(ctx, s.jobs()); err != nil {
			s.log.Error("scheduled jobs", "err", err)
		}
	})
}

// jobs are the scheduler's jobs besides the check-ins.
func (s *Service) jobs() []scheduler.Job {
	return []scheduler.Job{{
		Name: "follow-ups", Spec: s.cfg.FollowUpSpec, AtStart: true,
		Run: func(ctx context.Context, now time.Time) error {
			ns, err := s.desk.DueFollowUps(ctx, now)
			// What was taken is asked even when some failed to be read.
			return errors.Join(err, s.Deliver(ctx, ns))
		},
	}, {
		Name: "retention", Spec: s.cfg.RetentionSpec, AtStart: true,
		Run: s.retain,
	}}
}

// retain runs the retention purge once a day, on one replica: the first to
// claim the day. A restart later the same day finds it done.
func (s *Service) retain(ctx context.Context, now time.Time) error {
	day := now.In(s.desk.Location()).Format(time.DateOnly)
	mine, err := s.st.ClaimRun(ctx, "retention", day)
	if err != nil || !mine {
		return err
	}
	done, ns, err := s.desk.Retain(ctx, now, s.cfg.Retention)
	if s.cfg.OnRetention != nil {
		s.cfg.OnRetention(done)
	}
	workers, werr := s.st.DropWorkers(ctx, now.Add(-s.cfg.WorkersUnseen))
	blocked, berr := s.st.DropStaleBlocked(ctx)
	err = errors.Join(err, werr, berr)
	s.log.Info("retention purge", "day", day, "erased", done.Erased, "removed", done.Removed, "workers", workers, "blocked", blocked,
		"closed", s.cfg.Retention.Closed.String(), "anonymous", s.cfg.Retention.Anonymous.String())
	// What was erased is taken down even when the purge stopped part way;
	// the next day's run carries on from there.
	return errors.Join(err, s.Deliver(ctx, ns))
}

// count keeps a check-in count for the figures, under the team the person
// belongs with: the leaving-care team for care leavers.
func (s *Service) count(ctx context.Context, user int64, id string, at time.Time, measure string) error {
	p, err := s.st.Profile(ctx, user)
	if err != nil {
		return err
	}
	day := at.In(s.desk.Location()).Format(time.DateOnly)
	return s.st.Tally(ctx, id, day, string(handoff.Route(p["care_leaver"])), measure)
}

// Shutdown stops the loops and waits for the work in hand, or for ctx.
func (s *Service) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	stop := s.stop
	s.mu.Unlock()
	if stop == nil {
		return nil
	}
	stop()
	done := make(chan struct{})
	go func() { s.loops.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("service: %w", ctx.Err())
	}
}

// remind posts again the cards nobody has claimed in time, at start (a
// restart catches up) and then every tick. Any number of replicas may do
// this: the desk gives each due referral to one of them.
func (s *Service) remind(ctx context.Context) {
	t := time.NewTicker(s.cfg.ReminderEvery)
	defer t.Stop()
	for {
		ns, err := s.desk.DueReminders(ctx, s.cfg.Now())
		if err != nil && ctx.Err() == nil {
			s.log.Warn("due reminders", "err", err)
		}
		if err := s.Deliver(ctx, ns); err != nil && ctx.Err() == nil {
			s.log.Warn("post reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// decoded is a session decoded once in the work of one update.
type decoded struct {
	version int64
	data    *byte // the first byte of what was decoded, to know it again
	sess    flows.Session
}

// session is the person's session as the update in hand reads it (the
// store reads it once an update), decoded once however often it is asked
// for: a message to a case asks whether it holds the answer to "are you
// safe right now?" and whether the person is in a conversation.
func (s *Service) session(ctx context.Context, user int64) (flows.Session, error) {
	w := roundtrip.Of(ctx)
	if w == nil {
		return s.runner.Session(ctx, user)
	}
	rec, err := s.st.Load(ctx, user)
	if err != nil || len(rec.Data) == 0 {
		return flows.Session{User: user}, err
	}
	key := "service.session:" + strconv.FormatInt(user, 10)
	if v, ok := w.Recall(key); ok {
		if d := v.(decoded); d.version == rec.Version && d.data == &rec.Data[0] {
			return d.sess, nil
		}
	}
	sess, err := s.runner.Decode(user, rec.Data)
	if err != nil {
		return flows.Session{}, err
	}
	w.Keep(key, decoded{version: rec.Version, data: &rec.Data[0], sess: sess})
	return sess, nil
}

// busy reports whether the person is in the middle of a conversation that
// a follow-up must not interrupt: any but the follow-up itself.
func (s *Service) busy(ctx context.Context, user int64) (bool, error) {
	sess, err := s.session(ctx, user)
	if err != nil {
		return false, fmt.Errorf("session of %d: %w", user, err)
	}
	return sess.Active() && sess.Flow != FlowFollowUp, nil
}

// inConversation reports whether the person is in the middle of a
// conversation with the bot.
func (s *Service) inConversation(ctx context.Context, user int64) (bool, error) {
	sess, err := s.session(ctx, user)
	if err != nil {
		return false, fmt.Errorf("session of %d: %w", user, err)
	}
	return sess.Active(), nil
}

// errNoBot is returned by what needs the bot before Attach.
var errNoBot = errors.New("service: no bot attached")
