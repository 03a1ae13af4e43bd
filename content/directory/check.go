package directory

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Severities of a Problem. Errors make a directory unfit to load; warnings
// are for a person to look at.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Problem is one thing Check found wrong.
type Problem struct {
	Severity string
	// Service is the id of the service concerned, or "" for the directory
	// as a whole.
	Service string
	Message string
}

func (p Problem) String() string {
	if p.Service == "" {
		return p.Severity + ": " + p.Message
	}
	return fmt.Sprintf("%s: %s: %s", p.Severity, p.Service, p.Message)
}

// HasErrors reports whether any problem is an error rather than a warning.
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Check finds what would make the directory unsafe or unhelpful in the bot:
// a need with no active service (or none open to everyone, which would
// leave some people without an answer), dead or duplicate ids, texts too
// long for Telegram, missing fields, and example entries that could be
// mistaken for real ones. It returns nil for a good directory.
func Check(d *Directory) []Problem {
	var ps []Problem
	add := func(sev, id, format string, args ...any) {
		ps = append(ps, Problem{Severity: sev, Service: id, Message: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(d.Version) == "" {
		add(SeverityError, "", "version is missing")
	}
	boroughs := map[string]bool{}
	for _, a := range d.Areas {
		if District(a.District) != strings.ToUpper(strings.TrimSpace(a.District)) || a.District == "" {
			add(SeverityError, "", "area %q is not a postcode district", a.District)
		}
		if a.Borough == "" {
			add(SeverityError, "", "area %q has no borough", a.District)
		}
		boroughs[strings.ToUpper(a.Borough)] = true
	}

	seen := map[string]bool{}
	var anyActive, openActive needSet
	for i := range d.Services {
		s := &d.Services[i]
		id := s.ID
		if !validID(id) {
			add(SeverityError, id, "id must be 1-%d bytes of a-z, 0-9 and -", MaxIDBytes)
		}
		if seen[id] {
			add(SeverityError, id, "duplicate id")
		}
		seen[id] = true
		checkService(s, boroughs, add)
		if s.Status == StatusActive {
			n := needsOf(s.Needs)
			anyActive |= n
			if openToAll(s) {
				openActive |= n
			}
		}
	}
	for b, n := range Needs {
		switch {
		case anyActive&(1<<b) == 0:
			add(SeverityError, "", "need %q has no active service", n)
		case openActive&(1<<b) == 0:
			add(SeverityError, "", "need %q has no active service open to everyone", n)
		}
	}
	for need, id := range d.Fallback {
		if !IsNeed(need) {
			add(SeverityError, "", "fallback names unknown need %q", need)
			continue
		}
		s, ok := d.ByID(id)
		switch {
		case !ok:
			add(SeverityError, "", "fallback for %q names unknown service %q", need, id)
		case s.Status != StatusActive:
			add(SeverityError, id, "fallback for %q is not active", need)
		case !s.National:
			add(SeverityError, id, "fallback for %q is not a national service", need)
		case needsOf(s.Needs)&needBit[need] == 0:
			add(SeverityError, id, "fallback for %q does not list that need", need)
		case !openToAll(&s):
			add(SeverityWarning, id, "fallback for %q is not open to everyone", need)
		}
	}
	return ps
}

// openToAll reports whether anyone at all may use the service.
func openToAll(s *Service) bool {
	e := s.Eligibility
	return e.MinAge == 0 && e.MaxAge == 0 && !e.CareLeaversOnly && len(e.Areas) == 0
}

func checkService(s *Service, boroughs map[string]bool, add func(sev, id, format string, args ...any)) {
	id := s.ID
	need := func(v, field string) {
		if strings.TrimSpace(v) == "" {
			add(SeverityError, id, "%s is missing", field)
		}
	}
	need(s.Name, "name")
	need(s.Description, "description")
	need(s.Source, "source")
	long := func(v, field string, n int) {
		if utf8.RuneCountInString(v) > n {
			add(SeverityError, id, "%s is longer than %d characters", field, n)
		}
	}
	long(s.Name, "name", MaxName)
	long(s.ButtonLabel(), "label", MaxLabel)
	long(s.Description, "description", MaxDescription)
	long(s.Detail(), "detail view", MaxDetail)
	if len(s.Needs) == 0 {
		add(SeverityError, id, "no needs")
	}
	for _, n := range s.Needs {
		if !IsNeed(n) {
			add(SeverityError, id, "unknown need %q", n)
		}
	}
	if s.Status != StatusActive && s.Status != StatusInactive {
		add(SeverityError, id, "status %q is neither active nor inactive", s.Status)
	}
	e := s.Eligibility
	if e.MinAge < 0 || e.MaxAge < 0 || (e.MaxAge > 0 && e.MinAge > e.MaxAge) {
		add(SeverityError, id, "age range %d-%d is impossible", e.MinAge, e.MaxAge)
	}
	for _, a := range e.Areas {
		if District(a) == "" && !boroughs[strings.ToUpper(a)] {
			add(SeverityError, id, "area %q is neither a postcode district nor a known borough", a)
		}
	}
	for _, day := range s.When.Days {
		if _, ok := dayNames[day]; !ok {
			add(SeverityError, id, "day %q is not one of mon..sun", day)
		}
	}
	j := s.Join
	if j.Phone == "" && j.Email == "" && j.Web == "" && !j.DropIn && !j.LinkWorkerReferral {
		add(SeverityError, id, "no way to join")
	}
	if j.Web != "" && cleanURL(j.Web) != j.Web {
		add(SeverityError, id, "web %q is not an http(s) address", j.Web)
	}
	if j.Email != "" && cleanEmail(j.Email) != j.Email {
		add(SeverityError, id, "email %q is not an address", j.Email)
	}
	if s.LastReviewed == "" {
		if !s.Example {
			add(SeverityWarning, id, "never reviewed against its source")
		}
	} else if _, err := time.Parse(time.DateOnly, s.LastReviewed); err != nil {
		add(SeverityError, id, "last_reviewed %q is not a YYYY-MM-DD date", s.LastReviewed)
	}
	if s.Example {
		checkExample(s, add)
	}
}

// checkExample keeps placeholders unmistakable: a made-up group must say it
// is an example and must not carry contacts that reach real people.
func checkExample(s *Service, add func(sev, id, format string, args ...any)) {
	id := s.ID
	if !strings.HasPrefix(s.Name, "Example") {
		add(SeverityError, id, "example's name must start with \"Example\"")
	}
	if p := strings.ReplaceAll(s.Join.Phone, " ", ""); p != "" && !strings.HasPrefix(p, "02079460") {
		add(SeverityError, id, "example phone %q is outside the drama range 020 7946 0xxx", s.Join.Phone)
	}
	if e := s.Join.Email; e != "" && !strings.HasSuffix(e, "@example.org") && !strings.HasSuffix(e, "@example.com") {
		add(SeverityError, id, "example email %q is not at example.org", e)
	}
	if w := s.Join.Web; w != "" && !strings.Contains(w, "example.") {
		add(SeverityError, id, "example web %q is not an example address", w)
	}
}
