package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"signpost/flows"
)

// The follow-up asks the person the ONS4 questions again (and the loneliness
// scale, when they answered it at the start), so that the figures show
// whether people are better off. It is asked on its own:
//
//   - Config.FollowUpAfter (12 weeks) after a link worker first wrote to
//     the person, and
//   - when the case is closed, unless the person was asked, or answered, in
//     the last FollowUpGap (4 weeks),
//
// each time at a sensible hour (the next working hour of Config.Calendar),
// once, and with one reminder Config.FollowUpReminder (a week) later if
// there is still no answer. A link worker may also ask at any time
// (AskFollowUp). Only people who agreed to keep their answers, gave some at
// the start and have not asked to be erased are asked.
//
// The referral says what is due: FollowUpNext is when, FollowUpStage which.
// The store keeps the due follow-ups in a schedule that any number of
// replicas may take from (TakeFollowUps), and every step is one
// compare-and-set on the referral, so nobody is asked twice.

// FollowUpStage says what the due follow-up of a referral is.
type FollowUpStage string

// Follow-up stages.
const (
	// FollowUpToAsk: FollowUpNext is when the follow-up is to be asked.
	FollowUpToAsk FollowUpStage = ""
	// FollowUpAsked: the person was asked; FollowUpNext is when they are
	// reminded, if they have not answered by then.
	FollowUpAsked FollowUpStage = "asked"
	// FollowUpReminded: asked and reminded; nothing more is due.
	FollowUpReminded FollowUpStage = "reminded"
	// FollowUpDeclined: the person said they would rather not answer;
	// nothing more is asked of this referral.
	FollowUpDeclined FollowUpStage = "declined"
)

// Defaults of the follow-up.
const (
	DefaultFollowUpAfter    = 12 * 7 * 24 * time.Hour
	DefaultFollowUpReminder = 7 * 24 * time.Hour
	// FollowUpGap is how recently a person may have been asked for the
	// close of their case not to ask them again.
	FollowUpGap = 4 * 7 * 24 * time.Hour
	// followUpRetry is how long a follow-up waits for a person who is in
	// the middle of another conversation with the bot.
	followUpRetry = time.Hour
	// followUpLease is how long a replica that took a due follow-up has it
	// before another may take it again.
	followUpLease = 5 * time.Minute
)

// Event kinds of the follow-up.
const (
	// EventFollowUpAnswered records that the person gave their follow-up
	// wellbeing answers.
	EventFollowUpAnswered EventKind = "follow_up_answered"
	// EventFollowUpReminded records the one reminder of a follow-up.
	EventFollowUpReminded EventKind = "follow_up_reminded"
	// EventFollowUpDeclined records that the person would rather not answer.
	EventFollowUpDeclined EventKind = "follow_up_declined"
)

// followUpEligible reports whether r's person may be asked a follow-up.
func followUpEligible(r *Referral) bool {
	return r.User != 0 && r.Consent && !r.IsErased() && r.HasBaseline() && r.FollowUpStage != FollowUpDeclined
}

// sensible is the first instant from t at which the person may be asked:
// the next working hour of the service's calendar.
func (d *Desk) sensible(t time.Time) time.Time {
	if at, ok := d.cfg.Calendar.NextOpen(t); ok {
		return at
	}
	return t
}

// followUpOnContact plans the follow-up of r, whose person a link worker
// has just written to for the first time at now.
func (d *Desk) followUpOnContact(r *Referral, now time.Time) {
	if followUpEligible(r) && r.FollowUpAsked.IsZero() && r.FollowUpNext.IsZero() {
		r.FollowUpNext, r.FollowUpStage = d.sensible(now.Add(d.cfg.FollowUpAfter)), FollowUpToAsk
	}
}

// followUpOnClose asks the follow-up of r, closed at now, unless its person
// was asked or answered in the last FollowUpGap; a follow-up planned for
// later is asked now instead.
func (d *Desk) followUpOnClose(r *Referral, now time.Time) {
	if !followUpEligible(r) {
		r.FollowUpNext = time.Time{}
		return
	}
	recent := func(t time.Time) bool { return !t.IsZero() && now.Sub(t) < FollowUpGap }
	if recent(r.FollowUpAsked) || recent(r.FollowUpAt) {
		return
	}
	r.FollowUpNext, r.FollowUpStage = d.sensible(now), FollowUpToAsk
}

// followUpNotice asks r's person for their follow-up answers; again marks
// the reminder.
func followUpNotice(r Referral, again bool) Notice {
	_, lonely := r.Lonely.Total()
	return Notice{Kind: NoticeFollowUp, Ref: r.Ref, Team: r.Team, User: r.User, Lang: r.Lang, Channel: r.Channel, Lonely: lonely, Again: again}
}

// DueFollowUps asks, at now, every follow-up and reminder that is due and
// returns the notices that ask them. Any number of replicas may call it at
// once: each due follow-up is taken by one, and asking is recorded on the
// referral before it is asked, so a person is never asked twice. A person in
// the middle of another conversation with the bot is asked an hour later.
func (d *Desk) DueFollowUps(ctx context.Context, now time.Time) (Notices, error) {
	refs, err := d.st.TakeFollowUps(ctx, now, followUpLease)
	if err != nil {
		return nil, fmt.Errorf("due follow-ups: %w", err)
	}
	var ns Notices
	var errs []error
	for _, ref := range refs {
		n, ok, err := d.dueFollowUp(ctx, ref, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			ns = append(ns, n)
		}
	}
	return ns, errors.Join(errs...)
}

func (d *Desk) dueFollowUp(ctx context.Context, ref string, now time.Time) (Notice, bool, error) {
	r, err := d.st.Referral(ctx, ref)
	if errors.Is(err, ErrNotFound) {
		return Notice{}, false, nil
	}
	if err != nil {
		return Notice{}, false, fmt.Errorf("follow-up of %s: %w", ref, err)
	}
	busy := false
	if d.cfg.Busy != nil && r.User != 0 {
		if busy, err = d.cfg.Busy(ctx, r.User); err != nil {
			return Notice{}, false, fmt.Errorf("follow-up of %s: %w", ref, err)
		}
	}
	var ask, again bool
	r, err = d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
		ask, again = false, false
		if r.FollowUpNext.IsZero() || r.FollowUpNext.After(now) {
			return Change{}, nil // not due, or another replica saw to it
		}
		if !followUpEligible(r) {
			r.FollowUpNext = time.Time{}
			return Change{}, nil
		}
		if busy {
			r.FollowUpNext = now.Add(followUpRetry)
			return Change{}, nil
		}
		switch r.FollowUpStage {
		case FollowUpToAsk:
			ask = true
			r.FollowUpAsked, r.FollowUpStage = now, FollowUpAsked
			r.FollowUpNext = d.sensible(now.Add(d.cfg.FollowUpReminder))
			return Change{Events: []Event{{At: now, Kind: EventFollowUp}}}, nil
		case FollowUpAsked:
			r.FollowUpNext = time.Time{}
			if r.FollowUpAt.After(r.FollowUpAsked) {
				r.FollowUpStage = FollowUpToAsk // answered: nothing to remind
				return Change{}, nil
			}
			ask, again = true, true
			r.FollowUpStage = FollowUpReminded
			return Change{Events: []Event{{At: now, Kind: EventFollowUpReminded}}}, nil
		}
		r.FollowUpNext = time.Time{}
		return Change{}, nil
	})
	if err != nil {
		return Notice{}, false, fmt.Errorf("follow-up of %s: %w", ref, err)
	}
	if !ask {
		return Notice{}, false, nil
	}
	d.log.InfoContext(ctx, "follow-up due", slog.String("ref", ref), slog.Bool("reminder", again))
	return followUpNotice(r, again), true, nil
}

// AskFollowUp asks the person of ref, through their own chat, for their
// follow-up wellbeing answers now, for a link worker who wants them, with
// the one reminder a week later if they do not answer. It needs a person
// who agreed to keep their answers and has not asked to be erased; the case
// may be open or closed.
func (d *Desk) AskFollowUp(ctx context.Context, ref string, w Worker) (Referral, Notices, error) {
	acc, err := d.access(ctx, w)
	if err != nil {
		return Referral{}, nil, err
	}
	now := d.now()
	r, err := d.updateKept(ctx, &acc, ref, func(r *Referral) (Change, error) {
		if r.User == 0 {
			return Change{}, ErrErased
		}
		if !r.Consent {
			return Change{}, ErrNoConsent
		}
		r.FollowUpAsked, r.FollowUpStage = now, FollowUpAsked
		r.FollowUpNext = d.sensible(now.Add(d.cfg.FollowUpReminder))
		return Change{Events: []Event{{At: now, Kind: EventFollowUp, Actor: w}}}, nil
	})
	if err != nil {
		return Referral{}, nil, fmt.Errorf("ask follow-up %s: %w", ref, err)
	}
	d.audit(ctx, ref, w, ActionFollowUp)
	d.log.InfoContext(ctx, "follow-up asked", slog.String("ref", ref), slog.Int64("worker", w.ID))
	return r, Notices{followUpNotice(r, false)}, nil
}

// RecordFollowUp keeps the follow-up answers of a record_follow_up effect on
// the person's referral that asked for them most recently, and cancels its
// reminder. A person who said they would rather not answer (followup "no")
// is asked nothing more about that referral. A repeat of the effect changes
// nothing; answers nobody asked for are not kept.
func (d *Desk) RecordFollowUp(ctx context.Context, eff flows.Effect) (Referral, Notices, error) {
	if eff.Key == "" || eff.User == 0 {
		return Referral{}, nil, ErrBadEffect
	}
	refs, err := d.st.PersonReferrals(ctx, eff.User)
	if err != nil {
		return Referral{}, nil, fmt.Errorf("follow-up of %d: %w", eff.User, err)
	}
	rs, err := d.st.Referrals(ctx, refs)
	if err != nil {
		return Referral{}, nil, fmt.Errorf("follow-up of %d: %w", eff.User, err)
	}
	var asked *Referral
	for i, r := range rs {
		if r.User == eff.User && !r.FollowUpAsked.IsZero() && (asked == nil || r.FollowUpAsked.After(asked.FollowUpAsked)) {
			asked = &rs[i]
		}
	}
	if asked == nil {
		d.log.InfoContext(ctx, "follow-up answers nobody asked for; not kept", slog.String("effect", eff.Key))
		return Referral{}, nil, nil
	}
	a := eff.Answers
	ons := ONS4{Life: ParseScore(a["ons_life"]), Worth: ParseScore(a["ons_worth"]), Happy: ParseScore(a["ons_happy"]), Anxious: ParseScore(a["ons_anxious"])}
	lonely := ParseLonely(a["lonely_companionship"], a["lonely_left_out"], a["lonely_isolated"])
	now := d.now()
	r, err := d.st.UpdateReferral(ctx, asked.Ref, func(r *Referral) (Change, error) {
		if r.HasEffect(eff.Key) || r.IsErased() {
			return Change{}, nil
		}
		r.Effects = append(r.Effects, eff.Key)
		if a["followup"] == "no" {
			r.FollowUpNext, r.FollowUpStage = time.Time{}, FollowUpDeclined
			return Change{Events: []Event{{At: now, Kind: EventFollowUpDeclined}}}, nil
		}
		r.FollowUp, r.FollowUpLonely, r.FollowUpAt = ons, lonely, now
		if r.FollowUpStage == FollowUpAsked {
			r.FollowUpNext, r.FollowUpStage = time.Time{}, FollowUpToAsk
		}
		return Change{Events: []Event{{At: now, Kind: EventFollowUpAnswered}}}, nil
	})
	if err != nil {
		return Referral{}, nil, fmt.Errorf("follow-up of %s: %w", asked.Ref, err)
	}
	d.log.InfoContext(ctx, "follow-up answered", slog.String("ref", r.Ref))
	return r, nil, nil
}
