package handoff

import (
	"context"
	"fmt"
	"log/slog"

	"signpost/flows"
)

// EventFollowUpAnswered records that the person gave their follow-up
// wellbeing answers.
const EventFollowUpAnswered EventKind = "follow_up_answered"

// AskFollowUp asks the person of ref, through their own chat, for their
// follow-up wellbeing answers (the same four ONS questions as at the start),
// so that the case shows whether things changed. It needs a person who
// agreed to keep their answers and has not asked to be erased; the case may
// be open or closed.
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
		r.FollowUpAsked = now
		return Change{Events: []Event{{At: now, Kind: EventFollowUp, Actor: w}}}, nil
	})
	if err != nil {
		return Referral{}, nil, fmt.Errorf("ask follow-up %s: %w", ref, err)
	}
	d.audit(ctx, ref, w, ActionFollowUp)
	d.log.InfoContext(ctx, "follow-up asked", slog.String("ref", ref), slog.Int64("worker", w.ID))
	return r, Notices{{Kind: NoticeFollowUp, Ref: r.Ref, Team: r.Team, User: r.User, Lang: r.Lang, Channel: r.Channel}}, nil
}

// RecordFollowUp keeps the follow-up answers of a record_follow_up effect on
// the person's referral that asked for them most recently. A repeat of the
// effect changes nothing; answers nobody asked for are not kept.
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
	now := d.now()
	r, err := d.st.UpdateReferral(ctx, asked.Ref, func(r *Referral) (Change, error) {
		if r.HasEffect(eff.Key) || r.IsErased() {
			return Change{}, nil
		}
		r.Effects = append(r.Effects, eff.Key)
		r.FollowUp, r.FollowUpAt = ons, now
		return Change{Events: []Event{{At: now, Kind: EventFollowUpAnswered}}}, nil
	})
	if err != nil {
		return Referral{}, nil, fmt.Errorf("follow-up of %s: %w", asked.Ref, err)
	}
	d.log.InfoContext(ctx, "follow-up answered", slog.String("ref", r.Ref))
	return r, nil, nil
}
