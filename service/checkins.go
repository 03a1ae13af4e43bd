package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"signpost/bot"
	"signpost/content"
	"signpost/flows"
	"signpost/scheduler"
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

// checkinSender hands the scheduler's due items to the bot, once attached.
type checkinSender struct {
	mu    sync.Mutex
	start *bot.CheckIns
}

func (c *checkinSender) set(start *bot.CheckIns) {
	c.mu.Lock()
	c.start = start
	c.mu.Unlock()
}

// CheckIn is the scheduler's Sender.
func (c *checkinSender) CheckIn(ctx context.Context, user int64, due scheduler.Due) error {
	c.mu.Lock()
	start := c.start
	c.mu.Unlock()
	if start == nil {
		return errNoBot
	}
	flow := bot.FlowCheckin
	if due.Form == scheduler.FormLoneliness {
		flow = bot.FlowLoneliness
	}
	err := start.Start(ctx, user, bot.CheckIn{ID: due.ID, At: due.At, Reminder: due.Reminder, Flow: flow, Nudge: due.Nudge})
	if errors.Is(err, bot.ErrBlocked) {
		return fmt.Errorf("%w: %w", scheduler.ErrBlocked, err)
	}
	return err
}

// checkinEffect runs the effects of the conversation that concern check-ins:
// enrolment, answers, settings, the self-referral reminder and erasure. Each
// is safe to run twice.
func (s *Service) checkinEffect(ctx context.Context, eff flows.Effect) error {
	if flows.IsWeb(eff.User) && (eff.Kind == content.ActionCheckins || eff.Kind == flows.EffectRemindLater) {
		// A web page cannot send a check-in or a reminder: the web chat
		// offers a link to Telegram instead, and nobody is enrolled here.
		return nil
	}
	switch eff.Kind {
	case content.ActionCheckins:
		if !eff.Consent {
			s.log.Warn("check-ins offered without consent; ignored", "user", eff.User, "key", eff.Key)
			return nil
		}
		return s.enrol(ctx, eff.User, scheduler.DefaultEnrolment())
	case content.ActionCheckinAnswer:
		return s.recordCheckin(ctx, eff)
	case content.ActionCheckinSettings:
		return s.checkinSettings(ctx, eff)
	case flows.EffectRemindLater:
		return s.sched.RemindLater(ctx, eff.User, s.cfg.Now().Add(remindAfter))
	case flows.EffectFinished:
		return s.sched.Cancel(ctx, eff.User)
	case flows.EffectErased:
		// Consent refused or an under-17 ending erases the person as
		// /forget does: their schedule goes too.
		return s.sched.Forget(ctx, eff.User)
	}
	return nil
}

// enrol starts check-ins, or starts them again for someone enrolled before
// (keeping the day and time they chose).
func (s *Service) enrol(ctx context.Context, user int64, e scheduler.Enrolment) error {
	err := s.sched.Resume(ctx, user)
	if errors.Is(err, scheduler.ErrNotEnrolled) {
		err = s.sched.Enrol(ctx, user, e)
	}
	return err
}

// recordCheckin passes a check-in's answers to the scheduler, which keeps
// them and raises any flag they call for. The effect names the check-in it
// answers; what the person wrote is kept only with their consent.
func (s *Service) recordCheckin(ctx context.Context, eff flows.Effect) error {
	if eff.Checkin.IsZero() {
		s.log.Warn("check-in answer of no scheduled check-in; ignored", "user", eff.User, "key", eff.Key)
		return nil
	}
	a := scheduler.Answer{At: eff.Checkin, Form: scheduler.FormWeekly, Mood: scheduler.Mood(eff.Answers["mood"])}
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
		s.log.Error("check-in answer does not fit its form; ignored", "user", eff.User, "key", eff.Key, "err", err)
		return nil
	}
	triggers, err := s.sched.RecordAnswer(ctx, eff.User, a)
	if err != nil {
		return err
	}
	s.log.Info("check-in answered", "user", eff.User, "form", string(a.Form), "flags", len(triggers))
	return nil
}

// checkinSettings applies what the person chose in /checkins. Someone with
// no check-ins who picks a day or asks to start gets them.
func (s *Service) checkinSettings(ctx context.Context, eff flows.Effect) error {
	user := eff.User
	var err error
	switch choice := eff.Answers["checkins_change"]; choice {
	case "change":
		day, okDay := checkinDays[eff.Answers["checkins_day"]]
		w, okWin := checkinWindows[eff.Answers["checkins_window"]]
		if !okDay || !okWin {
			s.log.Error("check-in settings: unknown day or window; ignored", "user", user, "key", eff.Key)
			return nil
		}
		err = s.sched.Change(ctx, user, day, w)
		if errors.Is(err, scheduler.ErrNotEnrolled) {
			err = s.sched.Enrol(ctx, user, scheduler.Enrolment{Kind: scheduler.KindWeekly, Day: day, Window: w})
		}
	case "pause":
		err = s.sched.Pause(ctx, user, s.cfg.Now().Add(checkinBreak))
	case "stop":
		err = s.sched.Stop(ctx, user)
	case "start":
		err = s.enrol(ctx, user, scheduler.DefaultEnrolment())
	default:
		return nil
	}
	switch {
	case errors.Is(err, scheduler.ErrNotEnrolled):
		return nil // a break or a stop of nothing leaves nothing to do
	case errors.Is(err, scheduler.ErrBadWindow):
		s.log.Error("check-in settings: window refused; ignored", "user", user, "key", eff.Key, "err", err)
		return nil
	}
	return err
}
