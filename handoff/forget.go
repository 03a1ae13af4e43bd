package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
)

// Forget erases the personal data of every referral of the person and keeps
// an anonymous record of each for the figures (see Referral.anonymous). The
// history keeps its times, kinds and workers and loses every text. An open
// referral is closed, since nobody can reach the person any more, and each
// referral is marked erased so that its card can say so. It returns the
// references erased, so the bot can redraw their cards.
//
// Call it before the person's own keys are erased: it finds the referrals
// through the person's index, which lives with those keys. If the index is
// already gone it checks the owner of every referral instead. Forgetting a
// person twice is harmless.
func (d *Desk) Forget(ctx context.Context, user int64) ([]string, error) {
	if user == 0 {
		return nil, nil
	}
	refs, err := d.st.PersonReferrals(ctx, user)
	if err != nil {
		return nil, fmt.Errorf("forget %d: %w", user, err)
	}
	if len(refs) == 0 {
		if refs, err = d.st.ReferralsOwnedBy(ctx, user); err != nil {
			return nil, fmt.Errorf("forget %d: %w", user, err)
		}
	}
	now := d.now()
	var erased []string
	for _, ref := range refs {
		_, err := d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
			if r.User != user && !r.IsErased() {
				// An index entry left behind by a reference reused elsewhere.
				return Change{}, errSkip
			}
			first := !r.IsErased()
			*r = r.anonymous(now)
			ch := Change{Scrub: true}
			if first {
				ch.Events = []Event{{At: now, Kind: EventErased}}
			}
			return ch, nil
		})
		switch {
		case errors.Is(err, errSkip), errors.Is(err, ErrNotFound):
			continue
		case err != nil:
			return erased, fmt.Errorf("forget %d: %s: %w", user, ref, err)
		}
		erased = append(erased, ref)
		d.log.InfoContext(ctx, "referral erased", slog.String("ref", ref))
	}
	slices.Sort(erased)
	return erased, nil
}
