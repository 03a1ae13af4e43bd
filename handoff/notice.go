package handoff

import "time"

// NoticeKind says what a Notice asks for.
type NoticeKind string

// Notice kinds. Adapters render them in their own way: the bot as Telegram
// messages in the team's group and in workers' private chats, the person's
// messages through the person's own outbox (whatever their channel); the
// console reads the case as it stands and needs none of the group ones.
const (
	// NoticeCard: the card of Ref changed. Post it if the team has not seen
	// it yet, redraw it in place otherwise.
	NoticeCard NoticeKind = "card"
	// NoticeRepost: nobody has claimed Ref in time; post its card again.
	NoticeRepost NoticeKind = "repost"
	// NoticeAlert: Ref was flagged urgent; alert the team (an edit of a card
	// alerts nobody). Text says so without anything the person wrote.
	NoticeAlert NoticeKind = "alert"
	// NoticeTeam: Text for the team of Ref, beside its card. It never holds
	// anything the person wrote or any score.
	NoticeTeam NoticeKind = "team"
	// NoticeWorker: Text for the worker To alone, such as the person's own
	// words for the worker who holds the case.
	NoticeWorker NoticeKind = "worker"
	// NoticePerson: a message for the person User: Text, or the content
	// message Key in their language with {ref} filled in. ID, when set, asks
	// for a receipt (Desk.Delivered).
	NoticePerson NoticeKind = "person"
	// NoticeErased: the person of Ref asked for their data to be erased;
	// take down what was shown about them (Posts) and redraw the card.
	NoticeErased NoticeKind = "erased"
	// NoticeFollowUp: ask the person User for their follow-up wellbeing
	// answers about Ref.
	NoticeFollowUp NoticeKind = "follow_up"
	// NoticeHousing: post Ref's referral to the council's housing options
	// team in its chat (HousingText), then tell the desk (HousingPosted).
	NoticeHousing NoticeKind = "housing"
	// NoticeOnCall: Text, about the urgent referral Ref, for the on-call
	// chat (ONCALL_CHAT_ID), with a way to acknowledge it; NoticeEscalate
	// the same for the escalation chat (ONCALL_ESCALATE_CHAT_ID). Text holds
	// nothing the person wrote.
	NoticeOnCall   NoticeKind = "on_call"
	NoticeEscalate NoticeKind = "escalate"
)

// Notice is one thing a casework operation asks to be shown or sent.
type Notice struct {
	Kind NoticeKind
	Ref  string
	Team Team
	// The person, for NoticePerson and NoticeFollowUp.
	User    int64
	Lang    string
	Channel Channel
	// Key is a content message key for NoticePerson.
	Key  string
	Text string
	// To is the worker a NoticeWorker is for.
	To Worker
	// ID names a message to the person for its receipt.
	ID string
	// Once, when not "", names what the notice says uniquely, for a notice
	// that a repeat of the operation makes again (a person's words for the
	// worker, when Telegram sends the update again after a write that was
	// not followed by the notice): the adapter puts it in its chat once.
	Once string
	// Posts are where the team was shown the person (NoticeErased).
	Posts []Post
	// Lonely asks the loneliness scale with the follow-up's ONS4 questions
	// (NoticeFollowUp), because the person answered it at the start; Again
	// marks the follow-up's one reminder.
	Lonely, Again bool
	// Why says why a NoticeErased erased: "" for the person's own request,
	// WhyRetention when the retention period ran out.
	Why string
}

// Notices is what an operation asks for, in the order it should happen.
type Notices []Notice

// Post is one message an adapter showed about a referral: where and when.
// The bot records its posts so that erasure can find them.
type Post struct {
	Chat    int64
	Message int64
	At      time.Time
}

// RefPost is a Post about the referral Ref, for an adapter to have
// recorded together with its own writes (see Desk.PostOf).
type RefPost struct {
	Ref string
	Post
}

// card is the notice that r's card changed.
func card(r Referral) Notice { return Notice{Kind: NoticeCard, Ref: r.Ref, Team: r.Team} }

// toPerson is a message of text for r's person.
func toPerson(r Referral, text, id string) Notice {
	return Notice{Kind: NoticePerson, Ref: r.Ref, Team: r.Team, User: r.User, Lang: r.Lang, Channel: r.Channel, Text: text, ID: id}
}

// personKey is a content message for r's person.
func personKey(r Referral, key string) Notice {
	return Notice{Kind: NoticePerson, Ref: r.Ref, Team: r.Team, User: r.User, Lang: r.Lang, Channel: r.Channel, Key: key}
}

// team is a notice for r's team.
func team(r Referral, text string) Notice {
	return Notice{Kind: NoticeTeam, Ref: r.Ref, Team: r.Team, Text: text}
}

// Message keys of the content the person is told by.
const (
	// KeyContactEnded: the person ended contact; {ref} is closed.
	KeyContactEnded = "lw_contact_ended"
	// KeyNoCase: the person has no case to end.
	KeyNoCase = "lw_no_case"
	// KeyNewRef: the referral got another reference than the one the
	// conversation gave.
	KeyNewRef = "lw_new_ref"
)
