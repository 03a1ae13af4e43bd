package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Retention keeps data only as long as the service says it does:
//
//   - Closed is how long after a referral closes its personal data is kept:
//     then the person's details and the text of every note and message go,
//     as at the person's own request (Referral.anonymous), and the
//     anonymous record stays for the figures. Default 24 months.
//   - Anonymous is how long after closing the anonymous record is kept:
//     then the referral, its history, audit trail, posts and indexes go
//     altogether. Default 7 years.
//
// Both count from the close; a referral still open is kept.
type Retention struct {
	Closed, Anonymous Span
}

// Span is a length of calendar time: months and days, so that "24 months"
// ends on the same day of the month whatever the months hold.
type Span struct {
	Months, Days int
}

// Default retention periods.
var (
	DefaultRetainClosed    = Span{Months: 24}
	DefaultRetainAnonymous = Span{Months: 7 * 12}
)

// Before is the instant t minus the period.
func (p Span) Before(t time.Time) time.Time { return t.AddDate(0, -p.Months, -p.Days) }

// IsZero reports whether the period is empty.
func (p Span) IsZero() bool { return p.Months == 0 && p.Days == 0 }

// String says the period as a person would: "2 years", "18 months",
// "1 month and 10 days".
func (p Span) String() string {
	switch {
	case p.Days == 0 && p.Months%12 == 0 && p.Months > 0:
		return spanCount(p.Months/12, "year")
	case p.Days == 0:
		return spanCount(p.Months, "month")
	case p.Months == 0:
		return spanCount(p.Days, "day")
	}
	return spanCount(p.Months, "month") + " and " + spanCount(p.Days, "day")
}

// spanCount is "1 day", "2 days".
func spanCount(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// ParseSpan reads a retention period as people write it: "24 months",
// "7 years", "90 days", "12 weeks", or the short forms 24mo, 7y, 90d, 12w.
func ParseSpan(s string) (Span, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i <= 0 {
		return Span{}, fmt.Errorf("%q is not a period such as 24 months, 7 years or 90 days", s)
	}
	var n int
	fmt.Sscan(s[:i], &n)
	unit := strings.TrimSpace(s[i:])
	var p Span
	switch unit {
	case "d", "day", "days":
		p = Span{Days: n}
	case "w", "week", "weeks":
		p = Span{Days: 7 * n}
	case "mo", "month", "months":
		p = Span{Months: n}
	case "y", "year", "years":
		p = Span{Months: 12 * n}
	default:
		return Span{}, fmt.Errorf("%q is not a period such as 24 months, 7 years or 90 days", s)
	}
	if p.IsZero() {
		return Span{}, fmt.Errorf("%q: a retention period must be longer than nothing", s)
	}
	return p, nil
}

// Retained counts what one run of the retention purge did.
type Retained struct {
	// Erased referrals lost their personal data; Removed ones went
	// altogether.
	Erased, Removed int
}

// WhyRetention is Referral.ErasedWhy when the retention period ran out.
const WhyRetention = "retention"

// Retain applies the retention periods at now: it erases the personal data
// of referrals closed longer than ret.Closed and removes those closed longer
// than ret.Anonymous. It is idempotent, and safe to run on several replicas
// at once (each change is a compare-and-set; a referral already erased or
// gone is passed over). It returns what it did and the notices that take
// down what was shown about the people erased.
func (d *Desk) Retain(ctx context.Context, now time.Time, ret Retention) (Retained, Notices, error) {
	var done Retained
	if ret.Closed.IsZero() || ret.Anonymous.IsZero() {
		return done, nil, errors.New("retain: both retention periods must be set")
	}
	eraseBefore, removeBefore := ret.Closed.Before(now), ret.Anonymous.Before(now)
	var erase, remove []string
	// A referral closed before a cut was created before it.
	err := d.st.EachCreated(ctx, time.Time{}, eraseBefore, func(r Referral) error {
		switch {
		case r.Status != StatusClosed || r.Closed.IsZero():
		case r.Closed.Before(removeBefore):
			remove = append(remove, r.Ref)
		case r.Closed.Before(eraseBefore) && !r.IsErased():
			erase = append(erase, r.Ref)
		}
		return nil
	})
	if err != nil {
		return done, nil, fmt.Errorf("retain: %w", err)
	}
	var ns Notices
	for _, ref := range erase {
		r, err := d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
			if r.IsErased() || r.Status != StatusClosed || !r.Closed.Before(eraseBefore) {
				return Change{}, errSkip
			}
			*r = r.anonymous(now)
			r.ErasedWhy = WhyRetention
			return Change{Scrub: true, Events: []Event{{At: now, Kind: EventExpired}}}, nil
		})
		switch {
		case errors.Is(err, errSkip), errors.Is(err, ErrNotFound):
			continue
		case err != nil:
			return done, ns, fmt.Errorf("retain %s: %w", ref, err)
		}
		done.Erased++
		posts, err := d.st.Posts(ctx, ref)
		if err != nil {
			return done, ns, fmt.Errorf("retain %s: posts: %w", ref, err)
		}
		ns = append(ns, Notice{Kind: NoticeErased, Ref: r.Ref, Team: r.Team, Posts: posts, Why: WhyRetention})
	}
	for _, ref := range remove {
		removed, err := d.st.RemoveReferral(ctx, ref, removeBefore)
		if err != nil {
			return done, ns, fmt.Errorf("retain: remove %s: %w", ref, err)
		}
		if removed {
			done.Removed++
		}
	}
	if _, err := d.st.DropTallies(ctx, removeBefore.In(d.cfg.Location).Format(time.DateOnly)); err != nil {
		return done, ns, fmt.Errorf("retain: %w", err)
	}
	slices.SortFunc(ns, func(a, b Notice) int { return strings.Compare(a.Ref, b.Ref) })
	d.log.InfoContext(ctx, "retention", slog.Int("erased", done.Erased), slog.Int("removed", done.Removed),
		slog.String("closed_before", eraseBefore.Format(time.DateOnly)), slog.String("anonymous_before", removeBefore.Format(time.DateOnly)))
	return done, ns, nil
}
