package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
)

// Forget erases the personal data of every referral of the person and keeps
// an anonymous record of each for the figures (see Referral.anonymous). The
// history keeps its times, kinds and workers and loses every text. An open
// referral is closed, since nobody can reach the person any more, and each
// referral is marked erased so that its card can say so. For each referral
// erased it asks for what was shown about the person to be taken down
// (NoticeErased, with the posts recorded).
//
// Call it before the person's own keys are erased: it finds the referrals
// through the person's index, which lives with those keys. If the index is
// already gone it checks the owner of every referral instead. Forgetting a
// person twice is harmless.
func (d *Desk) Forget(ctx context.Context, user int64) (Notices, error) {
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
	var erased []Referral
	for _, ref := range refs {
		r, err := d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
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
			return nil, fmt.Errorf("forget %d: %s: %w", user, ref, err)
		}
		erased = append(erased, r)
		d.log.InfoContext(ctx, "referral erased", slog.String("ref", ref))
	}
	slices.SortFunc(erased, func(a, b Referral) int { return strings.Compare(a.Ref, b.Ref) })
	var ns Notices
	for _, r := range erased {
		posts, err := d.st.Posts(ctx, r.Ref)
		if err != nil {
			return nil, fmt.Errorf("forget %d: posts of %s: %w", user, r.Ref, err)
		}
		ns = append(ns, Notice{Kind: NoticeErased, Ref: r.Ref, Team: r.Team, Posts: posts})
	}
	return ns, nil
}
