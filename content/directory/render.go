package directory

import (
	"fmt"
	"strings"
)

// ButtonLabel is the text of a button that opens the service: its Label,
// or its Name cut to MaxLabel characters.
func (s Service) ButtonLabel() string {
	if s.Label != "" {
		return s.Label
	}
	return clip(s.Name, MaxLabel)
}

// Detail is the plain-text view of one service that the bot sends when a
// person opens it. Check makes sure it fits in one Telegram message.
func (s Service) Detail() string {
	var b strings.Builder
	b.WriteString(s.Name)
	if s.Organisation != "" && s.Organisation != s.Name {
		fmt.Fprintf(&b, " (%s)", s.Organisation)
	}
	b.WriteString("\n")
	if s.Example {
		b.WriteString("This is an example, not a real group.\n")
	}
	if s.Description != "" {
		b.WriteString("\n" + s.Description + "\n")
	}
	line := func(label, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", label, v)
		}
	}
	b.WriteString("\n")
	line("Who for", s.Eligibility.String())
	line("Where", s.Where.String())
	line("When", s.When.String())
	line("Cost", s.Cost.String())
	line("Phone", s.Join.Phone)
	line("Email", s.Join.Email)
	line("Web", s.Join.Web)
	if s.Join.DropIn {
		b.WriteString("You can just turn up.\n")
	}
	if s.Join.LinkWorkerReferral {
		b.WriteString("Your link worker can refer you.\n")
	}
	line("Also", s.Join.Text)
	line("Languages", strings.Join(s.Languages, ", "))
	line("Access", s.Accessibility)
	line("Details from", s.Source)
	return strings.TrimRight(b.String(), "\n")
}

// String says who a service is for, in words: "Care leavers aged 17 to 25
// in Waltham Forest". It is empty when anyone may come.
func (e Eligibility) String() string {
	var parts []string
	who := "People"
	if e.CareLeaversOnly {
		who = "Care leavers"
	}
	switch {
	case e.MinAge > 0 && e.MaxAge > 0:
		parts = append(parts, fmt.Sprintf("%s aged %d to %d", who, e.MinAge, e.MaxAge))
	case e.MinAge > 0:
		parts = append(parts, fmt.Sprintf("%s aged %d and over", who, e.MinAge))
	case e.MaxAge > 0:
		parts = append(parts, fmt.Sprintf("%s aged %d and under", who, e.MaxAge))
	case e.CareLeaversOnly:
		parts = append(parts, who)
	}
	if len(e.Areas) > 0 {
		in := "in " + joinAnd(e.Areas)
		if len(parts) == 0 {
			in = "People living " + in
		}
		parts = append(parts, in)
	}
	return strings.Join(parts, " ")
}

// String is the address on one line.
func (p Place) String() string {
	var parts []string
	for _, v := range []string{p.Address, p.AreaName, p.Postcode} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, ", ")
}

// String is the schedule as people read it: its Text, or the days and
// times.
func (w Schedule) String() string {
	if w.Text != "" {
		return w.Text
	}
	s := upperFirst(dayPhrase(w.Days))
	if w.Times != "" {
		s = strings.TrimSpace(s + " " + w.Times)
	}
	return s
}

// String is "Free", the cost text, or both.
func (c Cost) String() string {
	switch {
	case c.Free && c.Text != "":
		return "Free. " + c.Text
	case c.Free:
		return "Free"
	}
	return c.Text
}

// areaName is the friendliest name for where a local service meets.
func (q *query) areaName(s *Service) string {
	if s.Where.AreaName != "" {
		return s.Where.AreaName
	}
	if d := District(s.Where.Postcode); d != "" {
		if n := q.ix.areaName[d]; n != "" {
			return n
		}
		return d
	}
	return ""
}

// reason writes the one line under a suggestion, such as "Free, Tuesdays in
// Leytonstone, for money worries".
func (q *query) reason(s *Service, met needSet) string {
	var parts []string
	switch {
	case s.Cost.Free:
		parts = append(parts, "Free")
	case s.Cost.Text != "":
		parts = append(parts, clip(s.Cost.Text, 40))
	default:
		parts = append(parts, "May cost something")
	}
	if s.National {
		switch {
		case s.Join.Phone != "" && s.Join.Web != "":
			parts = append(parts, "by phone or online")
		case s.Join.Phone != "":
			parts = append(parts, "by phone")
		default:
			parts = append(parts, "online")
		}
	} else {
		when := dayPhrase(s.When.Days)
		if where := q.areaName(s); where != "" {
			when = strings.TrimSpace(when + " in " + where)
		}
		if when != "" {
			parts = append(parts, upperFirst(when))
		}
	}
	var phrases []string
	for _, n := range met.ids() {
		phrases = append(phrases, needPhrases[n])
	}
	line := strings.Join(parts, ", ") + ", for " + joinAnd(phrases)
	if s.Eligibility.CareLeaversOnly {
		line += " (for care leavers)"
	}
	return line
}

var dayNames = map[string]string{
	"mon": "Mondays", "tue": "Tuesdays", "wed": "Wednesdays", "thu": "Thursdays",
	"fri": "Fridays", "sat": "Saturdays", "sun": "Sundays",
}

// dayPhrase turns ["tue","thu"] into "Tuesdays and Thursdays".
func dayPhrase(days []string) string {
	switch strings.Join(days, ",") {
	case "mon,tue,wed,thu,fri":
		return "weekdays"
	case "mon,tue,wed,thu,fri,sat,sun":
		return "every day"
	}
	var names []string
	for _, d := range days {
		if n, ok := dayNames[d]; ok {
			names = append(names, n)
		}
	}
	return joinAnd(names)
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
