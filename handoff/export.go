package handoff

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SNOMED CT concepts a GP practice codes social prescribing with, as NHS
// England asks: the referral code for the first interaction of an episode
// (the person took up the referral and a link worker was in touch), the
// declined code when the person said no.
const (
	SnomedReferral = "871731000000106"
	SnomedDeclined = "871711000000103"
)

// Coded is one line of a practice's export: a referral of one of its
// patients, with the concept to code and the day to code it on.
type Coded struct {
	Practice string
	Ref      string
	Date     time.Time
	Code     string
	Term     string
	// Who the practice matches the line to in its own record.
	Name, AgeBand, Postcode, Phone string
	Outcome                        string
}

// PracticeExport lists the referrals made in p through practice's links
// (source gp_PRACTICE) that the practice can code: taken up (the first
// message from a link worker) or declined (closed as no longer needed
// before any contact). Referrals of people who asked to be erased, or who
// did not agree to keep their answers, are left out: there is nobody to
// code. The lines hold personal data, for the practice alone; nothing here
// sends them anywhere.
func (d *Desk) PracticeExport(ctx context.Context, practice string, p Period) ([]Coded, error) {
	practice = strings.ToUpper(strings.TrimSpace(practice))
	if practice == "" {
		return nil, fmt.Errorf("export: no practice code")
	}
	refs, err := d.st.RefsCreated(ctx, p.From, p.To)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	var out []Coded
	for batch := range slices.Chunk(refs, 500) {
		rs, err := d.st.Referrals(ctx, batch)
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		for _, r := range rs {
			kind, code := SourceOf(r.Source)
			if kind != "gp" || !strings.EqualFold(code, practice) || r.IsErased() || !r.Consent {
				continue
			}
			c := Coded{Practice: practice, Ref: r.Ref, Name: r.Name, AgeBand: r.Age, Postcode: r.Postcode, Phone: r.Contact.Phone, Outcome: string(r.Outcome)}
			switch {
			case !r.FirstContact.IsZero():
				c.Date, c.Code, c.Term = r.FirstContact, SnomedReferral, "Referral to social prescribing service (procedure)"
			case r.Status == StatusClosed && r.Outcome == OutcomeNotNeeded:
				c.Date, c.Code, c.Term = r.Closed, SnomedDeclined, "Social prescribing declined (situation)"
			default:
				continue
			}
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Coded) int { return a.Date.Compare(b.Date) })
	return out, nil
}
