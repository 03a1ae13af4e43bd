package handoff

import (
	"context"
	"fmt"

	"signpost/flows"
	"signpost/scheduler"
)

// CheckinFlagger raises the scheduler's check-in flags with the link workers:
// onto the person's open case, marked urgent with the flag's reason, or as a
// new urgent referral made from what the person told us before. It is the
// scheduler's Flagger.
type CheckinFlagger struct {
	Desk *Desk
	// Profile returns the lasting facts kept of the person (language,
	// source, care-leaver status, age band, check-ins, postcode).
	Profile func(ctx context.Context, user int64) (map[string]string, error)
	// Deliver shows or sends what the flag calls for.
	Deliver func(ctx context.Context, ns Notices) error
}

var _ scheduler.Flagger = (*CheckinFlagger)(nil)

// Flag raises f for user. Raising the same flag again (its Key) changes
// nothing and posts nothing.
func (c *CheckinFlagger) Flag(ctx context.Context, user int64, f scheduler.Flag) error {
	_, ns, err := c.Desk.FlagCheckin(ctx, user, f, c.Profile)
	if err != nil {
		return err
	}
	if c.Deliver == nil {
		return nil
	}
	return c.Deliver(ctx, ns)
}

// FlagCheckin raises one check-in flag for user; profile supplies what the
// person told us before, for a new referral.
func (d *Desk) FlagCheckin(ctx context.Context, user int64, f scheduler.Flag, profile func(context.Context, int64) (map[string]string, error)) (Referral, Notices, error) {
	p := map[string]string{}
	if profile != nil {
		var err error
		if p, err = profile(ctx, user); err != nil {
			return Referral{}, nil, fmt.Errorf("flag %s: %w", f.Key, err)
		}
	}
	if f.Reason == scheduler.TriggerBlocked && p["care_leaver"] != "yes" {
		// Only a care leaver's silence is their team's concern: the
		// leaving-care team keeps in touch by duty. Anyone else may leave.
		return Referral{}, nil, nil
	}
	// The profile holds only what the person agreed to keep (source,
	// care-leaver status, age band, check-ins, postcode); the flag's text is
	// their own words with the answer.
	eff := flows.Effect{
		Kind: flows.EffectUrgent, Key: "checkin:" + f.Key, User: user, Lang: p["lang"],
		Consent: true, Text: f.Text, Checkin: f.At, Answers: p,
	}
	return d.flag(ctx, eff, checkinReason(f.Reason))
}
