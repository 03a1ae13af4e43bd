package directory

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// converter turns one HSDS service into a directory Service, or says why
// it cannot.
type converter struct {
	mapping  *Mapping
	areaName map[string]string // district -> name
	boroughs map[string]string // upper-cased borough -> as written
}

func newConverter(m *Mapping, areas []Area) *converter {
	c := &converter{mapping: m, areaName: map[string]string{}, boroughs: map[string]string{}}
	for _, a := range areas {
		c.areaName[strings.ToUpper(a.District)] = a.Name
		c.boroughs[strings.ToUpper(a.Borough)] = a.Borough
	}
	return c
}

// skipError is a reason to leave a record out, for the import report.
type skipError struct{ reason string }

func (e *skipError) Error() string { return e.reason }

func skip(format string, args ...any) error {
	return &skipError{reason: fmt.Sprintf(format, args...)}
}

// convert maps the fields the bot uses. It never fails on a malformed
// optional field (it drops it); it refuses a record only when showing it
// could mislead: no id, no name, inactive, no need it meets, impossible
// ages, or no way to get in touch.
func (c *converter) convert(h *hsdsService) (Service, error) {
	sourceID := plainText(h.ID.String(), 200)
	if isPlaceholder(sourceID, "id") {
		return Service{}, skip("no id")
	}
	name := plainText(h.Name.String(), MaxName)
	if isPlaceholder(name, "name") {
		return Service{}, skip("no name")
	}
	switch st := strings.ToLower(h.Status.String()); st {
	case "", StatusActive:
	case StatusInactive, "defunct", "temporarily closed":
		return Service{}, skip("inactive (status %q)", st)
	default:
		return Service{}, skip("unknown status %q", clip(st, 30))
	}

	terms := h.terms()
	needs, flags := c.mapping.needsFor(terms, name)
	if needs == 0 {
		var names []string
		for i, t := range terms {
			if i == 3 {
				names = append(names, "...")
				break
			}
			names = append(names, t.name)
		}
		if len(names) == 0 {
			return Service{}, skip("no mappable need (no taxonomy terms)")
		}
		return Service{}, skip("no mappable need (terms: %s)", strings.Join(names, ", "))
	}

	el, err := c.eligibility(h)
	if err != nil {
		return Service{}, err
	}
	el.CareLeaversOnly = flags.careLeaver

	s := Service{
		SourceID:     sourceID,
		Name:         name,
		Description:  plainText(h.Description.String(), MaxDescription),
		Needs:        needs.ids(),
		Advice:       flags.advice,
		Eligibility:  el,
		Status:       StatusActive,
		LastReviewed: reviewDate(h.AssuredDate.String(), h.LastModified.String()),
	}
	if isPlaceholder(s.Description, "description") {
		s.Description = "No description given; ask the service or your link worker."
	}
	if h.Organization.Set {
		if org := plainText(h.Organization.V.Name.String(), MaxName); !isPlaceholder(org, "name") {
			s.Organisation = org
		}
	}
	c.place(h, &s)
	s.When = c.schedule(h)
	s.Cost = cost(h)
	s.Join = join(h)
	if s.Join.Phone == "" && s.Join.Email == "" && s.Join.Web == "" {
		return Service{}, skip("no usable phone, email or web address")
	}
	for _, l := range h.Languages {
		if n := plainText(l.Name.String(), 30); !isPlaceholder(n, "name") && len(s.Languages) < maxListItems {
			s.Languages = append(s.Languages, n)
		}
	}
	return s, nil
}

// eligibility reads the age range and service areas. Ages that cannot be
// right are a reason to skip: guessing could offer a service to someone it
// turns away.
func (c *converter) eligibility(h *hsdsService) (Eligibility, error) {
	var el Eligibility
	lo, hi := h.MinimumAge, h.MaximumAge
	if lo.Bad || hi.Bad {
		return el, skip("malformed age limits")
	}
	if lo.Set {
		if lo.V < 0 || lo.V > 120 || lo.V != math.Trunc(lo.V) {
			return el, skip("minimum age %v out of range", lo.V)
		}
		el.MinAge = int(lo.V)
	}
	if hi.Set {
		if hi.V < 0 || hi.V > 150 || hi.V != math.Trunc(hi.V) {
			return el, skip("maximum age %v out of range", hi.V)
		}
		// Feeds write 99 or 100 to mean "no upper limit"; taking it
		// literally would turn away everyone known only as "65 plus".
		if hi.V < 99 {
			el.MaxAge = int(hi.V)
		}
	}
	if el.MaxAge > 0 && el.MinAge > el.MaxAge {
		return el, skip("minimum age %d above maximum age %d", el.MinAge, el.MaxAge)
	}
	// Only areas the directory can test are kept; prose like "residents of
	// the borough" cannot be matched against a postcode.
	for _, a := range h.ServiceAreas {
		n := strings.TrimSpace(a.Name.String())
		if d := District(n); d != "" && !strings.Contains(n, " ") {
			el.Areas = appendUnique(el.Areas, d)
		} else if b, ok := c.boroughs[strings.ToUpper(n)]; ok {
			el.Areas = appendUnique(el.Areas, b)
		}
		if len(el.Areas) == maxListItems {
			break
		}
	}
	return el, nil
}

func appendUnique(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// place takes the first physical address of the first location.
func (c *converter) place(h *hsdsService, s *Service) {
	for _, sal := range h.ServiceAtLocations {
		if !sal.Location.Set {
			continue
		}
		loc := sal.Location.V
		for _, a := range loc.Addresses {
			if t := strings.ToLower(a.AddressType.String()); t != "" && t != "physical" {
				continue
			}
			var lines []string
			for _, v := range []text{a.Address1, a.Address2} {
				if p := plainText(v.String(), 80); !isPlaceholder(p, "") {
					lines = append(lines, p)
				}
			}
			s.Where.Address = strings.Join(lines, ", ")
			if d := District(a.PostalCode.String()); d != "" {
				s.Where.Postcode = strings.ToUpper(plainText(a.PostalCode.String(), 10))
				s.Where.AreaName = c.areaName[d]
			}
			if s.Where.AreaName == "" {
				s.Where.AreaName = plainText(a.City.String(), 40)
			}
			break
		}
		for _, acc := range loc.Accessibility {
			if d := plainText(acc.Description.String(), MaxShortText); !isPlaceholder(d, "description") {
				s.Accessibility = d
				break
			}
		}
		if s.Where.Address != "" {
			return
		}
	}
}

var hsdsDays = map[string]string{
	"MO": "mon", "TU": "tue", "WE": "wed", "TH": "thu", "FR": "fri", "SA": "sat", "SU": "sun",
}

// schedule reads the first weekly schedule of the service or its
// location. Days come from the RFC 5545 byday list; times must be HH:MM.
func (c *converter) schedule(h *hsdsService) Schedule {
	all := append([]hsdsSchedule(nil), h.Schedules...)
	for _, sal := range h.ServiceAtLocations {
		all = append(all, sal.Schedules...)
		if sal.Location.Set {
			all = append(all, sal.Location.V.Schedules...)
		}
	}
	for _, sc := range all {
		var w Schedule
		if f := strings.ToUpper(sc.Freq.String()); f == "" || f == "WEEKLY" {
			seen := map[string]bool{}
			for _, d := range strings.Split(strings.ToUpper(sc.ByDay.String()), ",") {
				d = strings.TrimSpace(d)
				if len(d) > 2 {
					d = d[len(d)-2:] // "1MO" means the first Monday; keep the day
				}
				if day, ok := hsdsDays[d]; ok && !seen[day] {
					seen[day] = true
					w.Days = append(w.Days, day)
				}
			}
			w.Days = sortDays(w.Days)
		}
		if o, cl := hhmm(sc.OpensAt.String()), hhmm(sc.ClosesAt.String()); o != "" && cl != "" && o < cl {
			w.Times = o + "-" + cl
		}
		if d := plainText(sc.Description.String(), MaxShortText); !isPlaceholder(d, "description") {
			w.Text = d
		}
		if len(w.Days) > 0 || w.Times != "" || w.Text != "" {
			return w
		}
	}
	return Schedule{}
}

func sortDays(days []string) []string {
	var out []string
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		for _, x := range days {
			if x == d {
				out = append(out, d)
			}
		}
	}
	return out
}

// hhmm accepts "10:00" or "10:00:00" and returns "10:00", or "".
func hhmm(s string) string {
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("15:04")
		}
	}
	return ""
}

// cost is free only when the feed says so: a zero amount, or fees text
// that mentions free and no positive amount.
func cost(h *hsdsService) Cost {
	var c Cost
	fees := plainText(h.FeesDescription.String(), MaxShortText)
	if isPlaceholder(fees, "fees_description") {
		fees = ""
	}
	paid, zero := "", false
	for _, o := range h.CostOptions {
		if !o.Amount.Set || o.Amount.Bad || o.Amount.V < 0 {
			continue
		}
		if o.Amount.V == 0 {
			zero = true
			continue
		}
		if paid == "" {
			cur := strings.ToUpper(o.Currency.String())
			amount := fmt.Sprintf("%.2f", o.Amount.V)
			amount = strings.TrimSuffix(amount, ".00")
			if cur == "" || cur == "GBP" {
				paid = "£" + amount
			} else {
				paid = amount + " " + plainText(cur, 3)
			}
			if d := plainText(o.AmountDescription.String(), 60); !isPlaceholder(d, "amount_description") {
				paid += " " + d
			}
		}
	}
	switch {
	case paid != "":
		c.Text = paid
	case zero || strings.Contains(strings.ToLower(" "+fees+" "), " free"):
		c.Free = true
	}
	if fees != "" && fees != c.Text {
		c.Text = clip(strings.TrimSpace(c.Text+" "+fees), MaxShortText)
	}
	return c
}

// join collects the first usable phone, email and web address. Addresses
// at the domains reserved for examples are placeholders and dropped.
func join(h *hsdsService) Join {
	var j Join
	phones := append([]hsdsPhone(nil), h.Phones...)
	for _, c := range h.Contacts {
		phones = append(phones, c.Phones...)
	}
	for _, sal := range h.ServiceAtLocations {
		phones = append(phones, sal.Phones...)
	}
	for _, p := range phones {
		if j.Phone = cleanPhone(p.Number.String()); j.Phone != "" {
			break
		}
	}
	emails := []text{h.Email}
	for _, c := range h.Contacts {
		emails = append(emails, c.Email)
	}
	web := []text{h.URL}
	if h.Organization.Set {
		emails = append(emails, h.Organization.V.Email)
		web = append(web, h.Organization.V.Website)
	}
	for _, e := range emails {
		if v := cleanEmail(e.String()); v != "" && !reservedDomain(v[strings.LastIndexByte(v, '@')+1:]) {
			j.Email = v
			break
		}
	}
	for _, w := range web {
		if v := cleanURL(w.String()); v != "" && !reservedDomain(hostOf(v)) {
			j.Web = v
			break
		}
	}
	return j
}

// reservedDomain reports the example domains of RFC 2606.
func reservedDomain(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, d := range []string{"example.com", "example.org", "example.net", "example"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

func hostOf(u string) string {
	rest := u[strings.Index(u, "://")+3:]
	if i := strings.IndexAny(rest, "/?#:"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// reviewDate picks the assured date, else the last-modified date, as
// YYYY-MM-DD; "" when neither is a date.
func reviewDate(vals ...string) string {
	for _, v := range vals {
		if len(v) >= 10 {
			if t, err := time.Parse(time.DateOnly, v[:10]); err == nil {
				return t.Format(time.DateOnly)
			}
		}
	}
	return ""
}
