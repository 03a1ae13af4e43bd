package handoff

import (
	"context"

	"signpost/flows"
)

// CreateReporting is Create that also reports whether the referral is new.
func (d *Desk) CreateReporting(ctx context.Context, eff flows.Effect) (Referral, bool, error) {
	return d.create(ctx, eff)
}

// FlagReporting is Flag that also reports whether the referral is new.
func (d *Desk) FlagReporting(ctx context.Context, eff flows.Effect) (Referral, bool, error) {
	r, created, _, err := d.flagged(ctx, eff, ReasonCrisisWords)
	return r, created, err
}
