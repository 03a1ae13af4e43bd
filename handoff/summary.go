package handoff

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Summary is what a list of cases shows of an open referral. The store keeps
// one per open referral beside it, so that a queue of thousands is read in
// one round trip; it goes when the referral closes or is erased.
type Summary struct {
	Ref      string
	Team     Team
	Status   Status
	Priority Priority
	Urgent   bool
	Channel  Channel
	Created  time.Time
	Holder   Worker
	Needs    []string
	Source   string
	Name     string
	Postcode string
	// LastFromPerson is when the person last wrote.
	LastFromPerson time.Time
}

// Summary is r's summary.
func (r Referral) Summary() Summary {
	return Summary{
		Ref: r.Ref, Team: r.Team, Status: r.Status, Priority: PriorityOf(r), Urgent: r.Urgent,
		Channel: r.Channel, Created: r.Created, Holder: r.Holder, Needs: r.Needs, Source: r.Source,
		Name: r.Name, Postcode: r.Postcode, LastFromPerson: r.LastFromPerson,
	}
}

// Listed reports whether r belongs among the open cases.
func (r Referral) Listed() bool { return r.Open() && !r.IsErased() }

// searchLimit bounds what one search returns.
const searchLimit = 50

// Search finds the referrals w may see by reference, by name (any part,
// ignoring case) or by postcode district (E17), newest first, open or
// closed; erased ones have neither name nor postcode and are found only by
// reference.
func (d *Desk) Search(ctx context.Context, w Worker, q string) ([]Summary, error) {
	acc, err := d.access(ctx, w)
	if err != nil {
		return nil, err
	}
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	var refs []string
	up := strings.ToUpper(q)
	switch {
	case refLike(up):
		refs = []string{up}
	case districtLike(up):
		if refs, err = d.st.ReferralsMatching(ctx, "", up, searchLimit*4); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if len(refs) > 0 {
			break
		}
		fallthrough // "Ed" is a name as well as a district
	default:
		if refs, err = d.st.ReferralsMatching(ctx, q, "", searchLimit*4); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	rs, err := d.st.Referrals(ctx, refs)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	var out []Summary
	for _, r := range rs {
		if acc.Can(r.Team) && len(out) < searchLimit {
			out = append(out, r.Summary())
		}
	}
	return out, nil
}

// refLike reports whether s looks like a reference, R-7K3QX.
func refLike(s string) bool {
	if len(s) != 7 || !strings.HasPrefix(s, "R-") {
		return false
	}
	return strings.Trim(s[2:], "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
}

// districtLike reports whether s looks like a UK postcode district: one or
// two letters, a digit, and an optional letter or digit (E1, E17, SW1A).
func districtLike(s string) bool {
	letters := 0
	for letters < len(s) && s[letters] >= 'A' && s[letters] <= 'Z' {
		letters++
	}
	if letters < 1 || letters > 2 || len(s) < letters+1 || len(s) > letters+2 {
		return false
	}
	if s[letters] < '0' || s[letters] > '9' {
		return false
	}
	if rest := s[letters+1:]; rest != "" {
		c := rest[0]
		return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
	}
	return true
}
