package handoff

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"signpost/handoff/report"
)

// Sources a referral can name. A deep-link payload such as gp_F86001 counts
// under its prefix (gp); anything else unknown counts as other.
var sources = []string{"gp", "pa", "friend", "social", "other"}

// SourceOf splits a referral's source into its kind and, for a deep link,
// the rest of the payload: "gp_F86001" is ("gp", "F86001"). No source is
// ("unknown", "").
func SourceOf(source string) (kind, detail string) {
	if source == "" {
		return "unknown", ""
	}
	if slices.Contains(sources, source) {
		return source, ""
	}
	if prefix, rest, ok := strings.Cut(source, "_"); ok && slices.Contains(sources, prefix) {
		return prefix, rest
	}
	return "other", source
}

// Period is what the figures cover: the referrals created from From up to,
// not including, To, of one team or (Team empty) of all.
type Period struct {
	From, To time.Time
	Team     Team
}

// OutcomeErased is how the figures name the end of a referral that was open
// when its person asked to be erased.
const OutcomeErased = "erased"

// Figures are the commissioners' figures for p, published: every count has
// passed the small-number rule, so that whatever shows them (the report
// command, the managers' page of the console) shows the same numbers and
// none from 1 to 4. They are anonymous, so Figures asks for no worker:
// FiguresFor is the door for a person signed in.
func (d *Desk) Figures(ctx context.Context, p Period) (report.Published, error) {
	if !p.From.Before(p.To) {
		return report.Published{}, fmt.Errorf("figures: the period ends (%s) before it starts (%s)", p.To.Format(time.DateOnly), p.From.Format(time.DateOnly))
	}
	in := report.Input{From: p.From, To: p.To, Team: string(p.Team), Calendar: d.cfg.Calendar, Now: d.now()}
	err := d.st.EachCreated(ctx, p.From, p.To, func(r Referral) error {
		if p.Team == "" || r.Team == p.Team {
			in.Records = append(in.Records, RecordOf(r))
		}
		return nil
	})
	if err != nil {
		return report.Published{}, fmt.Errorf("figures: %w", err)
	}
	if in.Checkins, err = d.checkinFigures(ctx, p); err != nil {
		return report.Published{}, fmt.Errorf("figures: %w", err)
	}
	if d.cfg.Synthetic != nil {
		if in.Synthetic, err = d.cfg.Synthetic(ctx); err != nil {
			return report.Published{}, fmt.Errorf("figures: %w", err)
		}
	}
	return report.Publish(report.Build(in)), nil
}

// FiguresFor is Figures for w, who must be a manager: the figures cover
// every team, so a link worker is refused with ErrNotAuthorised.
func (d *Desk) FiguresFor(ctx context.Context, w Worker, p Period) (report.Published, error) {
	acc, err := d.access(ctx, w)
	if err != nil {
		return report.Published{}, err
	}
	if !acc.Manager {
		return report.Published{}, fmt.Errorf("figures: %w: only managers see the figures", ErrNotAuthorised)
	}
	return d.Figures(ctx, p)
}

// RecordOf is what the figures take of a referral: nothing that names or
// reaches the person.
func RecordOf(r Referral) report.Record {
	rec := report.Record{
		Person:       r.Person,
		Created:      r.Created,
		Source:       r.Source,
		Channel:      string(r.Channel),
		Needs:        r.Needs,
		Team:         string(r.Team),
		AgeBand:      r.Age,
		CareLeaver:   r.CareLeaver == "yes",
		Priority:     string(PriorityOf(r)),
		Status:       string(r.Status),
		Outcome:      string(r.Outcome),
		Claimed:      r.Claimed,
		FirstContact: r.FirstContact,
		Baseline:     wellbeing(r.ONS, r.Lonely),
	}
	if !r.FollowUpAt.IsZero() {
		rec.FollowUp = wellbeing(r.FollowUp, r.FollowUpLonely)
	}
	switch {
	case rec.Person != "":
	case r.User != 0:
		rec.Person = "u" + strconv.FormatInt(r.User, 10)
	default:
		rec.Person = "r" + r.Ref
	}
	if r.Status == StatusClosed && r.Outcome == "" && r.IsErased() {
		rec.Outcome = OutcomeErased
	}
	return rec
}

// wellbeing is the answers of a Referral as the figures read them; nil when
// none was given.
func wellbeing(o ONS4, l Lonely) *report.Wellbeing {
	score := func(s Score, lo, hi Score) *int {
		if s < lo || s > hi {
			return nil
		}
		n := int(s)
		return &n
	}
	w := &report.Wellbeing{Life: score(o.Life, 0, 10), Worth: score(o.Worth, 0, 10), Happy: score(o.Happy, 0, 10), Anxious: score(o.Anxious, 0, 10)}
	given := w.Life != nil || w.Worth != nil || w.Happy != nil || w.Anxious != nil
	for i, v := range l {
		if w.Lonely[i] = score(v, 1, 3); w.Lonely[i] != nil {
			given = true
		}
	}
	if !given {
		return nil
	}
	return w
}

// Tally is one count of check-ins kept for the figures: of a team on a day
// (2006-01-02 in the service's time zone), a Measure (MeasureSent,
// MeasureAnswered, or MeasureFlag and the flag's reason).
type Tally struct {
	Day     string
	Team    Team
	Measure string
	N       int
}

// Check-in measures counted.
const (
	MeasureSent     = "sent"
	MeasureAnswered = "answered"
	MeasureFlag     = "flag:"
)

// checkinFigures are the check-in counts of p.
func (d *Desk) checkinFigures(ctx context.Context, p Period) (report.Checkins, error) {
	ts, err := d.st.CheckinTallies(ctx)
	if err != nil {
		return report.Checkins{}, err
	}
	from, to := p.From.In(d.cfg.Location).Format(time.DateOnly), p.To.In(d.cfg.Location).Format(time.DateOnly)
	c := report.Checkins{Flags: map[string]int{}}
	for _, t := range ts {
		if t.Day < from || t.Day >= to || (p.Team != "" && t.Team != p.Team) {
			continue
		}
		switch {
		case t.Measure == MeasureSent:
			c.Sent += t.N
		case t.Measure == MeasureAnswered:
			c.Answered += t.N
		case strings.HasPrefix(t.Measure, MeasureFlag):
			c.Flags[strings.TrimPrefix(t.Measure, MeasureFlag)] += t.N
		}
	}
	return c, nil
}
