package handoff

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
)

// MaxText is Telegram's limit on a message, in UTF-16 code units.
const MaxText = 4096

// freeTextMax bounds each thing the person wrote on a card, so that one long
// answer cannot push the status line past Telegram's limit.
const freeTextMax = 1200

// ErasedWords is what a card of an erased referral says; ExpiredWords
// what it says once the retention period of the person's data ran out.
const (
	ErasedWords  = "This person has asked for their data to be erased"
	ExpiredWords = "The person's details were removed at the end of the retention period"
)

// erasedWords is what a card of the erased referral r says.
func erasedWords(r Referral) string {
	if r.ErasedWhy == WhyRetention {
		return ExpiredWords
	}
	return ErasedWords
}

// RemovedWords is what a message about the erased referral r says once
// its words are taken down.
func RemovedWords(r Referral) string {
	if r.ErasedWhy == WhyRetention {
		return "Removed at the end of the retention period."
	}
	return "Removed at the person's request."
}

// StatusLine is the last line of a card: where the referral stands.
func StatusLine(r Referral) string {
	switch {
	case r.IsErased():
		return erasedWords(r)
	case r.Status == StatusClosed:
		return "Closed: " + r.Outcome.Words()
	case r.Status == StatusInContact:
		return "In contact: " + r.Holder.Name
	case r.Status == StatusClaimed:
		return "Claimed by " + r.Holder.Name
	}
	return "Waiting for someone to claim it"
}

// CardText is the referral's card in the team's group, in plain text within
// MaxText: that a referral arrived, its reference, team, priority and why,
// needs, where it came from and where it stands. It holds nothing the person
// wrote, no name, no age and no score: everyone in the group reads it, and
// only the worker who takes the case sees the rest (CaseText, the console).
func CardText(r Referral) string {
	var b strings.Builder
	switch {
	case r.Emergency():
		b.WriteString("URGENT, 999 ADVISED ")
	case r.Urgent:
		b.WriteString("URGENT ")
	}
	fmt.Fprintf(&b, "%s · %s\n", r.Ref, r.Team.Words())
	b.WriteString(priorityLine(r) + "\n")
	if line := riskLine(r); line != "" {
		b.WriteString(line + "\n")
	}
	if r.Young() {
		b.WriteString("Under 17: a young person. Nothing else of theirs is kept.\n")
	}
	writeNeeds(&b, r)
	if r.IsErased() {
		b.WriteString("\n" + StatusLine(r))
		return b.String()
	}
	if w := r.Housing.Words(); w != "" {
		b.WriteString(w + "\n")
	}
	if !r.Consent {
		b.WriteString("The person has not agreed to share anything else.\n")
	}
	if r.Channel == ChannelWeb {
		b.WriteString("Came through the web chat\n")
	}
	b.WriteString("\n" + StatusLine(r))
	return fit(b.String())
}

// priorityLine says how pressing r is, and why.
func priorityLine(r Referral) string {
	p := PriorityOf(r)
	line := "Priority: " + string(p)
	if len(r.Reasons) > 0 {
		words := make([]string, len(r.Reasons))
		for i, why := range r.Reasons {
			words[i] = why.Words()
		}
		line += " (" + strings.Join(words, "; ") + ")"
	}
	return line
}

// AlertText tells the team that r was flagged for reason, without saying
// what the person wrote.
func AlertText(r Referral, reason Reason) string {
	if r.Emergency() {
		return "URGENT, 999 ADVISED " + r.Ref + ": the person may be in danger now. The card above shows why."
	}
	if reason.Priority() == PriorityUrgent {
		return "URGENT " + r.Ref + ": flagged as urgent. The card above shows why."
	}
	return r.Ref + ": now " + string(PriorityOf(r)) + " priority: " + reason.Words() + "."
}

// DetailText is everything the card leaves out, for the worker who opens the
// case: who the person is, what matters to them, what they wrote in a
// crisis, how to reach them and their wellbeing answers.
func DetailText(r Referral) string {
	var b strings.Builder
	if r.IsErased() {
		return erasedWords(r) + ".\n"
	}
	if !r.Consent {
		b.WriteString("Contact: " + contactWords(Contact{Wanted: true}, r.Channel) + ", through the bot\n")
		if r.UrgentText != "" {
			b.WriteString("They wrote: " + clip(r.UrgentText, freeTextMax) + "\n")
		}
		return b.String()
	}
	who := r.Name
	if who == "" {
		who = "(no name given)"
	}
	if a, ok := ageWords[r.Age]; ok {
		who += ", " + a
	}
	b.WriteString(who + "\n")
	if r.CareLeaver == "yes" {
		b.WriteString("Care leaver\n")
	} else if r.CareLeaver == "unsure" {
		b.WriteString("Not sure if a care leaver\n")
	}
	if r.WhatMatters != "" {
		b.WriteString("What matters: " + clip(r.WhatMatters, freeTextMax) + "\n")
	}
	if r.UrgentText != "" {
		b.WriteString("They wrote: " + clip(r.UrgentText, freeTextMax) + "\n")
	}
	b.WriteString("Contact: " + contactWords(r.Contact, r.Channel) + "\n")
	if r.Source != "" {
		b.WriteString("Heard from: " + SourceWords(r.Source) + "\n")
	}
	if r.HousingTonight != "" {
		b.WriteString("Somewhere safe to sleep tonight: " + answerWords(r.HousingTonight) + "\n")
	}
	if r.DebtLetter != "" {
		b.WriteString("A letter from a court or bailiffs about a debt: " + answerWords(r.DebtLetter) + "\n")
	}
	if w := wellbeingWords(r.ONS); w != "" {
		b.WriteString("Wellbeing (ONS4, 0-10): " + w + "\n")
	}
	if w := wellbeingWords(r.FollowUp); w != "" {
		b.WriteString("Follow-up wellbeing (ONS4, 0-10): " + w + "\n")
	}
	if w := lonelyWords(r.Lonely); w != "" {
		b.WriteString("Loneliness (3-9, 6 or more is lonely): " + w + "\n")
	}
	if w := lonelyWords(r.FollowUpLonely); w != "" {
		b.WriteString("Follow-up loneliness (3-9): " + w + "\n")
	}
	if r.Postcode != "" {
		b.WriteString("Area: " + r.Postcode + "\n")
	}
	if r.Checkins == "yes" {
		b.WriteString("Would like check-in messages\n")
	}
	if len(r.Services) > 0 {
		b.WriteString("Services chosen: " + strings.Join(r.Services, ", ") + "\n")
	}
	return b.String()
}

func writeNeeds(b *strings.Builder, r Referral) {
	if len(r.Needs) == 0 {
		return
	}
	words := make([]string, len(r.Needs))
	for i, n := range r.Needs {
		words[i] = NeedWords(n)
		if (n == "housing" && r.HousingUrgent == "yes") || (n == "money" && r.MoneyUrgent == "yes") {
			words[i] += " (urgent)"
		}
	}
	b.WriteString("Needs: " + strings.Join(words, ", ") + "\n")
}

// wellbeingWords is the ONS4 baseline with its bands, "" if none was given.
func wellbeingWords(o ONS4) string {
	var parts []string
	add := func(name string, s Score, band string) {
		if s != Unanswered {
			parts = append(parts, fmt.Sprintf("%s %d (%s)", name, s, band))
		}
	}
	add("life", o.Life, Band(o.Life))
	add("worthwhile", o.Worth, Band(o.Worth))
	add("happy", o.Happy, Band(o.Happy))
	add("anxious", o.Anxious, AnxietyBand(o.Anxious))
	return strings.Join(parts, ", ")
}

// lonelyWords is the loneliness scale's total, "" unless all three items
// were answered. The person was told link workers can read these answers.
func lonelyWords(l Lonely) string {
	if total, ok := l.Total(); ok {
		return fmt.Sprint(total)
	}
	return ""
}

// CaseText is the /case view: the card and the history, newest entries kept
// when the whole would be too long.
func (d *Desk) CaseText(c CaseFile) string {
	card := CardText(c.Referral) + "\n\n" + DetailText(c.Referral)
	lines := make([]string, 0, len(c.History))
	for _, e := range c.History {
		lines = append(lines, d.eventLine(e))
	}
	head := card + "\n\nHistory:\n"
	budget := MaxText - textLen(head)
	// Keep the most recent entries that fit; the oldest give way first.
	start := len(lines)
	for start > 0 {
		n := textLen(lines[start-1]) + 1
		if n > budget {
			break
		}
		budget -= n
		start--
	}
	if start > 0 {
		lines = append([]string{fmt.Sprintf("(%d earlier entries)", start)}, lines[start:]...)
	}
	return fit(head + strings.Join(lines, "\n"))
}

// eventLine is one history entry as a link worker reads it, with its time.
func (d *Desk) eventLine(e Event) string { return d.stamp(e.At) + " " + EventWords(e) }

// EventWords is one history entry as a link worker reads it.
func EventWords(e Event) string {
	who := e.Actor.Name
	switch e.Kind {
	case EventCreated:
		return "referral made"
	case EventPosted:
		return "card posted"
	case EventReminded:
		return "reminder: still unclaimed"
	case EventClaimed:
		return "claimed by " + who
	case EventToPerson:
		if e.Text != "" {
			return who + " wrote to the person: " + clip(e.Text, freeTextMax)
		}
		return who + " wrote to the person"
	case EventFromPerson:
		if e.Text != "" {
			return "the person wrote: " + clip(e.Text, freeTextMax)
		}
		return "the person wrote"
	case EventNote:
		return "note by " + who + ": " + clip(e.Text, freeTextMax)
	case EventReassigned:
		return who + " passed it to " + e.Text
	case EventClosed:
		outcome, note, _ := strings.Cut(e.Text, ": ")
		line := "closed by " + who + ": " + Outcome(outcome).Words()
		if note != "" {
			line += " — " + clip(note, freeTextMax)
		}
		return line
	case EventErased:
		return "the person's data was erased at their request"
	case EventUrgent, EventFlagged:
		why := ReasonCrisisWords.Words()
		if e.Reason != "" {
			why = e.Reason.Words()
		}
		mark := "URGENT: "
		if e.Kind == EventFlagged {
			mark = "flagged: "
		}
		if e.Text != "" {
			return mark + why + ": " + clip(e.Text, freeTextMax)
		}
		return mark + why
	case EventDelivery:
		switch e.Delivery {
		case DeliveryBlocked:
			return "the message from " + who + " did not reach the person: they have blocked the bot"
		case DeliveryFailed:
			return "the message from " + who + " could not be delivered"
		}
		return "the message from " + who + " was delivered"
	case EventFollowUp:
		return who + " asked the person for their follow-up wellbeing answers"
	case EventFollowUpAnswered:
		return "the person gave their follow-up wellbeing answers"
	case EventServiceAdd:
		return "service chosen: " + e.Text
	case EventAnswersFill:
		return "answers added from the finished conversation"
	case EventHousing:
		if e.Text == string(HousingDone) {
			return who + " referred the person to the housing options team"
		}
		return "passed to the housing options team's chat"
	case EventOnCall:
		return "sent to the on-call chat"
	case EventEscalated:
		return "not acknowledged on call in time: sent to the escalation chat"
	case EventAcked:
		return "acknowledged on call by " + who
	}
	return string(e.Kind)
}

// QueueText is the /queue list of a team's unclaimed referrals.
func (d *Desk) QueueText(team Team, rs []Referral) string {
	if len(rs) == 0 {
		return "Nothing waiting for the " + strings.ToLower(team.Words()) + "."
	}
	lines := []string{fmt.Sprintf("Waiting for the %s (%d), most pressing first:", strings.ToLower(team.Words()), len(rs))}
	for _, r := range rs {
		lines = append(lines, d.listLine(r, "since "+d.stamp(r.Created)))
	}
	return fitLines(lines)
}

// MineText is the /mine list of the referrals a worker holds.
func (d *Desk) MineText(rs []Referral) string {
	if len(rs) == 0 {
		return "You have no open referrals."
	}
	lines := []string{fmt.Sprintf("Your open referrals (%d):", len(rs))}
	for _, r := range rs {
		state := "claimed " + d.stamp(r.Claimed)
		if r.Status == StatusInContact {
			state = "in contact"
		}
		lines = append(lines, d.listLine(r, state))
	}
	return fitLines(lines)
}

// listLine is one referral in /queue or /mine, which the whole group reads:
// its reference, state and needs, nothing of who the person is.
func (d *Desk) listLine(r Referral, state string) string {
	var b strings.Builder
	if r.Urgent {
		b.WriteString("URGENT ")
	}
	b.WriteString(r.Ref + " · " + state)
	if len(r.Needs) > 0 {
		words := make([]string, len(r.Needs))
		for i, n := range r.Needs {
			words[i] = NeedWords(n)
		}
		b.WriteString(" · " + strings.Join(words, ", "))
	}
	return clip(b.String(), 300)
}

// stamp is a time as a link worker reads it, in the service's zone.
func (d *Desk) stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(d.cfg.Location).Format("Mon 2 Jan 15:04")
}

// fitLines joins lines, leaving off the tail that would pass MaxText.
func fitLines(lines []string) string {
	out, n := lines[:0:0], 0
	for i, l := range lines {
		if n+textLen(l)+40 > MaxText {
			out = append(out, fmt.Sprintf("… and %d more", len(lines)-i))
			break
		}
		out = append(out, l)
		n += textLen(l) + 1
	}
	return strings.Join(out, "\n")
}

// textLen is a text's length as Telegram counts it: UTF-16 code units.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += max(utf16.RuneLen(r), 1)
	}
	return n
}

// clip shortens s to at most max UTF-16 units, marking the cut.
func clip(s string, limit int) string {
	if textLen(s) <= limit {
		return s
	}
	n := 0
	for i, r := range s {
		n += max(utf16.RuneLen(r), 1)
		if n > limit-1 {
			return s[:i] + "…"
		}
	}
	return s
}

// fit makes sure a text is within MaxText, cutting its end if it must.
func fit(s string) string { return clip(s, MaxText) }
