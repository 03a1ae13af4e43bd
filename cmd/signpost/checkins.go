package main

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"signpost/bot"
	"signpost/content"
	"signpost/flows"
	"signpost/scheduler"
	"signpost/store"
)

// Check-in settings the content's choices stand for. Every window lies
// inside 09:00-21:00, outside the scheduler's default quiet hours.
var (
	checkinWindows = map[string]scheduler.Window{
		"morning":   {From: scheduler.Clock(10, 0), To: scheduler.Clock(12, 0)},
		"afternoon": {From: scheduler.Clock(14, 0), To: scheduler.Clock(16, 0)},
		"evening":   {From: scheduler.Clock(17, 0), To: scheduler.Clock(19, 0)},
	}
	checkinDays = map[string]time.Weekday{
		"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
		"fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
	}
)

const (
	// checkinBreak is how long "take a break" in /checkins lasts.
	checkinBreak = 14 * 24 * time.Hour
	// remindAfter is when an unfinished self-referral gets its one reminder.
	remindAfter = 24 * time.Hour
)

// Test hooks: the clock of the scheduler and of the check-in effects, and a
// look at the scheduler serve builds. Production leaves them alone.
var (
	checkinNow         = time.Now
	checkinsConfigured func(*scheduler.Scheduler)
)

// checkins is the check-in side of serve: the scheduler, what it sends
// through, and what the conversation asks of it.
type checkins struct {
	sched   *scheduler.Scheduler
	sender  *checkinSender
	flagger *checkinFlagger
	effects *checkinEffects
	log     *slog.Logger
	done    chan struct{}
}

// newCheckins builds the scheduler. The bot does not exist yet: attach
// completes the wiring once it does, before anything runs.
func newCheckins(cfg *serveConfig, st *store.Store, runner *flows.Runner, log *slog.Logger) (*checkins, error) {
	c := &checkins{
		sender:  &checkinSender{},
		flagger: &checkinFlagger{store: st, linkWorkers: cfg.LinkWorkerChat, leavingCare: cfg.LeavingCare, log: log},
		log:     log,
	}
	sched, err := scheduler.New(st.Schedules(), c.sender, c.flagger, scheduler.Config{
		Location: cfg.Location,
		Now:      func() time.Time { return checkinNow() },
		Logger:   log,
	})
	if err != nil {
		return nil, err
	}
	c.sched = sched
	c.effects = &checkinEffects{sched: sched, log: log}
	if checkinsConfigured != nil {
		checkinsConfigured(sched)
	}
	return c, nil
}

// attach gives the check-ins the bot to send through and the effects to
// raise flags with, and takes the check-in effects.
func (c *checkins) attach(b *bot.Bot, runner *flows.Runner, st *store.Store, eff *effects) {
	b2 := runner.Content()
	c.sender.start = b.CheckIns(runner, st, func(lang, key string) string { return b2.Text(b2.Lang(lang), key) })
	c.flagger.bot = b
	c.flagger.effects = eff
	eff.checkins = c.effects
}

// onBlocked pauses the check-ins of a person who blocked the bot and
// resumes them when they unblock it.
func (c *checkins) onBlocked(ctx context.Context, user int64, blocked bool) {
	var err error
	if blocked {
		err = c.sched.Block(ctx, user)
	} else {
		err = c.sched.Unblock(ctx, user)
	}
	if err != nil {
		c.log.Error("check-ins on block", "user", user, "blocked", blocked, "err", err)
	}
}

// start ticks the scheduler until ctx ends; wait returns once it stopped.
func (c *checkins) start(ctx context.Context) {
	c.done = make(chan struct{})
	go func() {
		defer close(c.done)
		if err := c.sched.Run(ctx); err != nil {
			c.log.Error("scheduler", "err", err)
		}
	}()
}

func (c *checkins) wait(ctx context.Context) {
	if c.done == nil {
		return
	}
	select {
	case <-c.done:
	case <-ctx.Done():
	}
}

// checkinSender hands the scheduler's due items to the bot.
type checkinSender struct {
	start *bot.CheckIns
}

func (s *checkinSender) CheckIn(ctx context.Context, user int64, due scheduler.Due) error {
	flow := bot.FlowCheckin
	if due.Form == scheduler.FormLoneliness {
		flow = bot.FlowLoneliness
	}
	err := s.start.Start(ctx, user, bot.CheckIn{ID: due.ID, At: due.At, Reminder: due.Reminder, Flow: flow, Nudge: due.Nudge})
	if errors.Is(err, bot.ErrBlocked) {
		return fmt.Errorf("%w: %w", scheduler.ErrBlocked, err)
	}
	return err
}

// checkinEffects runs the effects of the conversation that concern
// check-ins: enrolment, answers, settings and the self-referral reminder.
// Each is safe to run twice.
type checkinEffects struct {
	sched *scheduler.Scheduler
	log   *slog.Logger
}

func (c *checkinEffects) Run(ctx context.Context, eff flows.Effect) error {
	switch eff.Kind {
	case content.ActionCheckins:
		if !eff.Consent {
			c.log.Warn("check-ins offered without consent; ignored", "user", eff.User, "key", eff.Key)
			return nil
		}
		return c.enrol(ctx, eff.User, scheduler.DefaultEnrolment())
	case content.ActionCheckinAnswer:
		return c.record(ctx, eff)
	case content.ActionCheckinSettings:
		return c.settings(ctx, eff)
	case flows.EffectRemindLater:
		return c.sched.RemindLater(ctx, eff.User, checkinNow().Add(remindAfter))
	case flows.EffectFinished:
		return c.sched.Cancel(ctx, eff.User)
	case flows.EffectErased:
		// Consent refused or an under-17 ending erases the person as
		// /forget does: their schedule goes too.
		return c.sched.Forget(ctx, eff.User)
	}
	return nil
}

// enrol starts check-ins, or starts them again for someone enrolled before
// (keeping the day and time they chose).
func (c *checkinEffects) enrol(ctx context.Context, user int64, e scheduler.Enrolment) error {
	err := c.sched.Resume(ctx, user)
	if errors.Is(err, scheduler.ErrNotEnrolled) {
		err = c.sched.Enrol(ctx, user, e)
	}
	return err
}

// record passes a check-in's answers to the scheduler, which keeps them and
// raises any flag they call for. What the person wrote is kept only with
// their consent.
func (c *checkinEffects) record(ctx context.Context, eff flows.Effect) error {
	at, ok := bot.CheckinAt(eff.User, eff.Run)
	if !ok {
		c.log.Warn("check-in answer of no scheduled check-in; ignored", "user", eff.User, "key", eff.Key)
		return nil
	}
	a := scheduler.Answer{At: at, Form: scheduler.FormWeekly, Mood: scheduler.Mood(eff.Answers["mood"])}
	if a.Mood == "" {
		a.Form, a.Mood = scheduler.FormLoneliness, ""
		for _, v := range []string{"lonely_companionship", "lonely_left_out", "lonely_isolated"} {
			n, _ := strconv.Atoi(eff.Answers[v])
			a.Loneliness = append(a.Loneliness, n)
		}
	}
	if eff.Consent {
		a.Text = strings.TrimSpace(eff.Answers["checkin_note"])
	}
	if err := a.Validate(); err != nil {
		// Content and code disagree; a retry would fail the same way.
		c.log.Error("check-in answer does not fit its form; ignored", "user", eff.User, "key", eff.Key, "err", err)
		return nil
	}
	triggers, err := c.sched.RecordAnswer(ctx, eff.User, a)
	if err != nil {
		return err
	}
	c.log.Info("check-in answered", "user", eff.User, "form", string(a.Form), "flags", len(triggers))
	return nil
}

// settings applies what the person chose in /checkins. Someone with no
// check-ins who picks a day or asks to start gets them.
func (c *checkinEffects) settings(ctx context.Context, eff flows.Effect) error {
	user := eff.User
	var err error
	switch choice := eff.Answers["checkins_change"]; choice {
	case "change":
		day, okDay := checkinDays[eff.Answers["checkins_day"]]
		w, okWin := checkinWindows[eff.Answers["checkins_window"]]
		if !okDay || !okWin {
			c.log.Error("check-in settings: unknown day or window; ignored", "user", user, "key", eff.Key)
			return nil
		}
		err = c.sched.Change(ctx, user, day, w)
		if errors.Is(err, scheduler.ErrNotEnrolled) {
			err = c.sched.Enrol(ctx, user, scheduler.Enrolment{Kind: scheduler.KindWeekly, Day: day, Window: w})
		}
	case "pause":
		err = c.sched.Pause(ctx, user, checkinNow().Add(checkinBreak))
	case "stop":
		err = c.sched.Stop(ctx, user)
	case "start":
		err = c.enrol(ctx, user, scheduler.DefaultEnrolment())
	default:
		return nil
	}
	switch {
	case errors.Is(err, scheduler.ErrNotEnrolled):
		return nil // a break or a stop of nothing leaves nothing to do
	case errors.Is(err, scheduler.ErrBadWindow):
		c.log.Error("check-in settings: window refused; ignored", "user", user, "key", eff.Key, "err", err)
		return nil
	}
	return err
}

// poster queues a plain message to a chat; bot.Bot is one.
type poster interface {
	Post(ctx context.Context, chat int64, id, text string) error
}

// checkinFlagger tells the link workers about a worrying check-in. When the
// referrals side is wired, the flag goes there as an urgent flag, onto the
// person's case if they have one; until then it is posted as plain text to
// the link workers' group (the leaving-care team's for a care leaver).
type checkinFlagger struct {
	store       *store.Store
	bot         poster
	effects     *effects
	linkWorkers int64
	leavingCare int64
	log         *slog.Logger
}

func (f *checkinFlagger) Flag(ctx context.Context, user int64, fl scheduler.Flag) error {
	profile, err := f.store.Profile(ctx, user)
	if err != nil {
		return fmt.Errorf("flag %s: %w", fl.Key, err)
	}
	reason := flagReason(fl.Reason)
	if f.effects != nil && f.effects.referrals != nil {
		text := reason
		if fl.Text != "" {
			text += "\n" + fl.Text
		}
		return f.effects.referrals.Run(ctx, flows.Effect{
			Kind: flows.EffectUrgent, Key: "checkin:" + fl.Key, User: user, Lang: profile["lang"],
			Consent: true, Text: text,
			Answers: pickFields(profile, "source", "care_leaver", "age", "checkins", "postcode"),
		})
	}
	group := f.linkWorkers
	if profile["care_leaver"] == "yes" && f.leavingCare != 0 {
		group = f.leavingCare
	}
	if group == 0 || f.bot == nil {
		f.log.Warn("check-in flag: no link workers' group to tell", "user", user, "reason", string(fl.Reason))
		return nil
	}
	// A flag raised again (an answer recorded twice) is posted once.
	if seen, err := f.store.SeenUpdate(ctx, flagUpdateID(fl.Key)); err != nil || seen {
		return err
	}
	msg := fmt.Sprintf("Check-in flag: person %d", user)
	if profile["care_leaver"] == "yes" {
		msg += " (care leaver)"
	}
	msg += ": " + reason
	if fl.Text != "" {
		msg += "\nThey wrote: " + fl.Text
	}
	return f.bot.Post(ctx, group, "flag."+fl.Key, msg)
}

// flagReason is how link workers read a flag's trigger.
func flagReason(t scheduler.Trigger) string {
	switch t {
	case scheduler.TriggerNotGreatTwice:
		return `answered "not great" at two weekly check-ins running.`
	case scheduler.TriggerTalk:
		return "asked at their check-in to talk to someone."
	case scheduler.TriggerLonely:
		return "scored 6 or more on the monthly loneliness questions."
	case scheduler.TriggerCrisis:
		return "wrote words of crisis during a check-in."
	case scheduler.TriggerSilent:
		return "has not answered three check-ins running; we have asked if they are still there."
	}
	return "check-in flag: " + string(t)
}

// flagUpdateID turns a flag's key into an id for the store's dedupe of
// updates. It is negative, so it never meets a Telegram update_id.
func flagUpdateID(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte("checkin-flag:" + key))
	return -int64(h.Sum64()>>1) - 1
}

func pickFields(m map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}
