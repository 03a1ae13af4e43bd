package handoff

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"signpost/flows"
)

// Team is who a referral is routed to.
type Team string

// Teams.
const (
	// TeamLinkWorkers is the general social prescribing link workers.
	TeamLinkWorkers Team = "link_workers"
	// TeamLeavingCare is the council's leaving-care team, who hold a care
	// leaver's Personal Adviser (docs/domain.md).
	TeamLeavingCare Team = "leaving_care"
	// TeamChildren is the council's children's safeguarding team, where
	// the flags of people under 17 go when the service has its group
	// (CHILDREN_SAFEGUARDING_CHAT_ID); otherwise the link workers take them.
	TeamChildren Team = "children"
)

// Teams lists every team.
var Teams = []Team{TeamLinkWorkers, TeamLeavingCare, TeamChildren}

// Status is where a referral stands.
type Status string

// Statuses, in the order a referral passes through them.
const (
	StatusNew       Status = "new"
	StatusClaimed   Status = "claimed"
	StatusInContact Status = "in_contact"
	StatusClosed    Status = "closed"
)

// Outcome is why a referral was closed.
type Outcome string

// Outcomes a link worker may close a referral with.
const (
	OutcomeConnectedGroup  Outcome = "connected_group"
	OutcomeReferredService Outcome = "referred_service"
	OutcomeAdvice          Outcome = "advice"
	OutcomeNotNeeded       Outcome = "not_needed"
	OutcomeNoContact       Outcome = "no_contact"
	OutcomeOther           Outcome = "other"
)

// Outcomes lists the outcomes in the order they are offered to a link worker.
var Outcomes = []Outcome{
	OutcomeConnectedGroup, OutcomeReferredService, OutcomeAdvice,
	OutcomeNotNeeded, OutcomeNoContact, OutcomeOther,
}

// Valid reports whether o is one of Outcomes.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes, o) }

// Priority is how soon a referral needs a person: the queue shows urgent
// ones first, then high, then routine, each oldest first.
type Priority string

// Priorities, most pressing first.
const (
	PriorityUrgent  Priority = "urgent"
	PriorityHigh    Priority = "high"
	PriorityRoutine Priority = "routine"
)

// Rank orders priorities: 0 for urgent, 1 for high, 2 for routine and
// anything unknown.
func (p Priority) Rank() int {
	switch p {
	case PriorityUrgent:
		return 0
	case PriorityHigh:
		return 1
	}
	return 2
}

// Channel is where the person talks to signpost; a link worker's messages
// reach them the same way.
type Channel string

// Channels.
const (
	ChannelTelegram Channel = "telegram"
	ChannelWeb      Channel = "web"
)

// channelOf is where the person talks to signpost: web chat visitors have
// ids of their own (flows.IsWeb).
func channelOf(user int64) Channel {
	if flows.IsWeb(user) {
		return ChannelWeb
	}
	return ChannelTelegram
}

// Worker is a link worker: their Telegram user id, which is also who they are
// in the console, and their name as the team knows it. The person is only
// ever shown the first name.
type Worker struct {
	ID   int64
	Name string
}

// EventKind names an entry of a referral's history.
type EventKind string

// Event kinds.
const (
	EventCreated    EventKind = "created"
	EventPosted     EventKind = "posted"
	EventReminded   EventKind = "reminded"
	EventClaimed    EventKind = "claimed"
	EventToPerson   EventKind = "message_to_person"
	EventFromPerson EventKind = "message_from_person"
	EventNote       EventKind = "note"
	EventReassigned EventKind = "reassigned"
	EventClosed     EventKind = "closed"
	EventErased     EventKind = "erased"
	EventUrgent     EventKind = "urgent"
	// EventHousing records the referral to the housing options team
	// passed to its chat (Text "sent") or made by a worker ("done").
	EventHousing EventKind = "housing"
	// EventFlagged records a flag that raised the referral to high
	// priority, such as a check-in's; Reason says why.
	EventFlagged     EventKind = "flagged"
	EventServiceAdd  EventKind = "service"
	EventAnswersFill EventKind = "answers"
	// EventDelivery records what became of a message to the person: ID
	// names the EventToPerson, Delivery says how it went.
	EventDelivery EventKind = "delivery"
	// EventFollowUp records that the person was asked for their follow-up
	// wellbeing answers.
	EventFollowUp EventKind = "follow_up"
	// EventExpired records that the retention period of the personal data
	// ran out and it was erased.
	EventExpired EventKind = "expired"
	// EventOnCall records that the referral was sent to the on-call chat,
	// EventEscalated to the escalation chat, and EventAcked that someone
	// on call acknowledged it (Actor).
	EventOnCall    EventKind = "on_call"
	EventEscalated EventKind = "escalated"
	EventAcked     EventKind = "acknowledged"
)

// Delivery is what became of a message to the person.
type Delivery string

// Deliveries.
const (
	// DeliverySent: the channel took the message.
	DeliverySent Delivery = "sent"
	// DeliveryBlocked: the person has blocked the bot; it did not reach them.
	DeliveryBlocked Delivery = "blocked"
	// DeliveryFailed: the channel refused it for another reason.
	DeliveryFailed Delivery = "failed"
)

// Event is one timed entry of a referral's history. Actor is the link worker
// who acted, zero for the person or the system. Text is a note, a closing
// note, a message between the worker and the person, the words of an urgent
// flag or, for a reassignment, the new holder's name; Forget removes every
// Text and keeps the rest.
type Event struct {
	At    time.Time
	Kind  EventKind
	Actor Worker
	Text  string
	// ID names a message to the person, so that its delivery can be told.
	ID string
	// Reason is why an urgent flag was raised.
	Reason Reason
	// Delivery is what became of message ID (EventDelivery).
	Delivery Delivery
}

// Score is one ONS4 answer, 0 to 10, or Unanswered.
type Score int8

// Unanswered marks an ONS4 question the person skipped or was not asked.
const Unanswered Score = -1

// ParseScore reads an answer as the conversation stores it; anything but a
// whole number from 0 to 10 is Unanswered.
func ParseScore(s string) Score {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 10 {
		return Unanswered
	}
	return Score(n)
}

// String is the score in digits, or "" when unanswered.
func (s Score) String() string {
	if s < 0 || s > 10 {
		return ""
	}
	return strconv.Itoa(int(s))
}

// ONS4 is the personal wellbeing baseline the person gave.
type ONS4 struct {
	Life, Worth, Happy, Anxious Score
}

// NoONS4 is a baseline with no question answered.
var NoONS4 = ONS4{Unanswered, Unanswered, Unanswered, Unanswered}

// Answered reports whether any of the four questions was answered.
func (o ONS4) Answered() bool { return o != NoONS4 && o != ONS4{} }

// Lonely is the three-item loneliness scale as the ONS asks it: how often
// the person feels they lack companionship, left out, isolated from others,
// each 1 (hardly ever or never), 2 (some of the time) or 3 (often), or
// Unanswered.
type Lonely [3]Score

// NoLonely is the scale with no item answered.
var NoLonely = Lonely{Unanswered, Unanswered, Unanswered}

// ParseLonely reads the three answers as the conversation stores them;
// anything but 1, 2 or 3 is Unanswered.
func ParseLonely(companionship, leftOut, isolated string) Lonely {
	l := NoLonely
	for i, s := range []string{companionship, leftOut, isolated} {
		if v := ParseScore(s); v >= 1 && v <= 3 {
			l[i] = v
		}
	}
	return l
}

// Total is the scale's score, 3 to 9, when all three items are answered.
func (l Lonely) Total() (int, bool) {
	sum := 0
	for _, v := range l {
		if v < 1 || v > 3 {
			return 0, false
		}
		sum += int(v)
	}
	return sum, true
}

// String is the three answers as "2,1,3", "" when none is; an unanswered
// item is empty between its commas.
func (l Lonely) String() string {
	if l == NoLonely || l == (Lonely{}) {
		return ""
	}
	return l[0].String() + "," + l[1].String() + "," + l[2].String()
}

// LonelyFrom reads Lonely.String back; anything else is NoLonely.
func LonelyFrom(s string) Lonely {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return NoLonely
	}
	return ParseLonely(parts[0], parts[1], parts[2])
}

// HasBaseline reports whether the person gave answers at the start that a
// follow-up can be compared with.
func (r Referral) HasBaseline() bool {
	_, lonely := r.Lonely.Total()
	return r.ONS.Answered() || lonely
}

// Contact is how the person would like to be reached.
type Contact struct {
	// Wanted is false when the person asked not to be contacted.
	Wanted bool
	// How is telegram, phone or sms.
	How   string
	Phone string
	// When is morning, afternoon, evening or any.
	When string
}

// Card is the message in a team's group that shows a referral.
type Card struct {
	Chat    int64
	Message int64
}

// Referral is one person's handoff to a team. Times are zero until the thing
// they record has happened.
type Referral struct {
	Ref string
	// Run is the conversation run the referral came from; empty for an
	// anonymous urgent flag.
	Run string
	// Effects are the keys of the effects applied to this referral, so that a
	// repeat of any of them changes nothing.
	Effects []string
	// User is the person's chat id; zero once erased.
	User    int64
	Lang    string
	Team    Team
	Status  Status
	Urgent  bool
	Consent bool
	// Priority orders the queue; Reasons say why it is above routine.
	Priority Priority
	Reasons  []Reason
	// Risks are the kinds of risk the person disclosed (risk.Kind codes),
	// in the order they were first flagged. They name no one, so they stay
	// for the figures after erasure.
	Risks []string
	// LearnedRisks are those of Risks that only the learned reader of risk
	// has found, at every flag that named them: no phrase matched, so the
	// card marks them as possible. Referrals from before it was kept have
	// none, and show every kind as a phrase's.
	LearnedRisks []string
	// Channel is where the person talks to signpost.
	Channel Channel

	Name          string
	Age           string // under17, 17-25, 26-49, 50-64, 65plus
	CareLeaver    string // yes, no, unsure
	WhatMatters   string
	Needs         []string
	HousingUrgent string
	// HousingTonight is whether they have somewhere safe to sleep tonight
	// (yes, no), asked of someone who could lose their home.
	HousingTonight string
	MoneyUrgent    string
	// DebtLetter is whether a worrying debt came with a court or bailiff
	// letter (yes, no, unsure).
	DebtLetter string
	// Housing is where their referral to the council's housing options
	// team stands, when they agreed to one.
	Housing Housing
	// Source is gp, pa, friend, social, other, or a deep-link payload such as gp_F86001.
	Source   string
	ONS      ONS4
	Postcode string // outward code only
	Contact  Contact
	Checkins string
	// Services are the directory ids of the services the person chose.
	Services []string
	// UrgentText is what the person wrote when crisis words were found, kept
	// only when they had consented.
	UrgentText string

	Created        time.Time
	Posted         time.Time // the card first reached the team
	Holder         Worker
	Claimed        time.Time
	FirstContact   time.Time // first message from a link worker to the person
	LastFromPerson time.Time
	// LastUpdate is the Telegram update whose message from the person was
	// last written to the case, in the same write as the message, so that
	// Telegram sending the update again passes nothing on twice (0 for a
	// message from the web chat).
	LastUpdate   int64
	Closed       time.Time
	Outcome      Outcome
	NextReminder time.Time
	Reminders    int
	Card         Card
	Erased       time.Time
	// ErasedWhy is why: "" at the person's request, WhyRetention when the
	// retention period ran out.
	ErasedWhy string
	// Person is an anonymous key shared by one person's referrals, so that
	// the figures count people, not only referrals, after the person is
	// erased. It is random, never derived from who they are.
	Person string
	// Lonely is the loneliness scale the person answered at the start
	// (care leavers on check-ins and anyone who opted in to them).
	Lonely Lonely
	// FollowUp is the wellbeing the person gave when asked again (the
	// latest answers), FollowUpLonely the loneliness scale with it, and
	// FollowUpAt when; FollowUpAsked is when they were last asked.
	FollowUp       ONS4
	FollowUpLonely Lonely
	FollowUpAt     time.Time
	FollowUpAsked  time.Time
	// FollowUpNext is when the follow-up, or its one reminder, is next
	// due (zero: nothing is); FollowUpStage says which (see followup.go).
	FollowUpNext  time.Time
	FollowUpStage FollowUpStage
	// OnCall is when the referral was first sent to the on-call chat
	// (ONCALL_CHAT_ID): urgent out of hours, or unclaimed in hours. Acked
	// and AckedBy: when and by whom that was acknowledged. EscalateAt is
	// when it goes to the escalation chat if nobody has acknowledged it by
	// then (zero: not pending); Escalated, when it did.
	OnCall     time.Time
	Acked      time.Time
	AckedBy    Worker
	EscalateAt time.Time
	Escalated  time.Time
}

// Due is when the desk next has something to do about an unclaimed
// referral (DueReminders): post it again, or escalate its on-call alert;
// zero when nothing is scheduled.
func (r Referral) Due() time.Time {
	due := r.NextReminder
	if !r.EscalateAt.IsZero() && (due.IsZero() || r.EscalateAt.Before(due)) {
		due = r.EscalateAt
	}
	return due
}

// Open reports whether the referral still needs or has a link worker.
func (r Referral) Open() bool { return r.Status != StatusClosed }

// IsErased reports whether the person asked for their data to be erased.
func (r Referral) IsErased() bool { return !r.Erased.IsZero() }

// HasEffect reports whether the effect with key was already applied.
func (r Referral) HasEffect(key string) bool { return slices.Contains(r.Effects, key) }

// Held reports whether a link worker has the referral.
func (r Referral) Held() bool {
	return r.Status == StatusClaimed || r.Status == StatusInContact
}

// anonymous returns the record of r that survives erasure: what the figures
// need and nothing that names or reaches the person. It keeps the age band,
// care-leaver status, needs, source, times, outcome and the wellbeing
// scores at the start and at the follow-up, so that the figures, wellbeing
// change included, are the same after erasure; it drops the chat id, name,
// what they wrote, postcode, contact details and every text of the history.
// Nothing further is asked of an erased person, so no follow-up is due.
func (r Referral) anonymous(at time.Time) Referral {
	a := Referral{
		Ref:            r.Ref,
		Run:            r.Run,
		Effects:        r.Effects,
		Team:           r.Team,
		Status:         r.Status,
		Urgent:         r.Urgent,
		Consent:        r.Consent,
		Priority:       r.Priority,
		Reasons:        r.Reasons,
		Risks:          r.Risks,
		LearnedRisks:   r.LearnedRisks,
		Housing:        r.Housing,
		Channel:        r.Channel,
		Age:            r.Age,
		CareLeaver:     r.CareLeaver,
		Needs:          r.Needs,
		Source:         r.Source,
		ONS:            r.ONS,
		Lonely:         r.Lonely,
		Person:         r.Person,
		Services:       r.Services,
		Created:        r.Created,
		Posted:         r.Posted,
		Holder:         r.Holder,
		Claimed:        r.Claimed,
		FirstContact:   r.FirstContact,
		LastFromPerson: r.LastFromPerson,
		Closed:         r.Closed,
		Outcome:        r.Outcome,
		Reminders:      r.Reminders,
		Card:           r.Card,
		Erased:         r.Erased,
		ErasedWhy:      r.ErasedWhy,
		FollowUp:       r.FollowUp,
		FollowUpLonely: r.FollowUpLonely,
		FollowUpAt:     r.FollowUpAt,
		FollowUpAsked:  r.FollowUpAsked,
	}
	if a.Erased.IsZero() {
		a.Erased = at
	}
	// Nobody can reach the person any more, so an open case ends here.
	if a.Status != StatusClosed {
		a.Status = StatusClosed
		a.Closed = at
	}
	return a
}

// fillContact takes from a later effect's answers how the person would
// like to be reached now, when they said (asking for a link worker with
// /talk or at a check-in), and their name if the referral has none.
func (r *Referral) fillContact(eff flows.Effect) {
	a := eff.Answers
	if r.Name == "" {
		r.Name = strings.TrimSpace(a["name"])
	}
	if a["contact_how"] == "" || a["contact"] == "no" {
		return
	}
	r.Contact = Contact{Wanted: true, How: a["contact_how"], Phone: strings.TrimSpace(a["phone"]), When: a["contact_when"]}
}

// fillFrom copies into r the answers of n that r lacks. It completes an
// urgent case, made mid-conversation, with the answers of the finished one.
func (r *Referral) fillFrom(n Referral) {
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	set(&r.Name, n.Name)
	set(&r.Age, n.Age)
	set(&r.CareLeaver, n.CareLeaver)
	set(&r.WhatMatters, n.WhatMatters)
	set(&r.HousingUrgent, n.HousingUrgent)
	set(&r.HousingTonight, n.HousingTonight)
	set(&r.DebtLetter, n.DebtLetter)
	if r.Housing == "" {
		r.Housing = n.Housing
	}
	set(&r.MoneyUrgent, n.MoneyUrgent)
	set(&r.Source, n.Source)
	set(&r.Postcode, n.Postcode)
	set(&r.Checkins, n.Checkins)
	set(&r.Lang, n.Lang)
	if len(r.Needs) == 0 {
		r.Needs = n.Needs
	}
	if !r.ONS.Answered() {
		r.ONS = n.ONS
	}
	if _, ok := r.Lonely.Total(); !ok {
		r.Lonely = n.Lonely
	}
	if !r.Contact.Wanted && n.Contact.Wanted {
		r.Contact = n.Contact
	}
	r.Consent = r.Consent || n.Consent
	// A care leaver's referral belongs with the leaving-care team even when
	// the urgent case was opened before the person said so.
	if r.Status == StatusNew {
		r.Team = n.Team
	}
}
