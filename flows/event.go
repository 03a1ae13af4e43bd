package flows

import "time"

// Event kinds.
const (
	// EventText is a message the person typed; commands start with "/".
	EventText = "text"
	// EventButton is a pressed button; Text holds its data.
	EventButton = "button"
	// EventResume is the person coming back after an interruption, such as
	// a new terminal session: the current question is asked again.
	EventResume = "resume"
	// EventOther is anything the conversation cannot take as an answer: a
	// sticker, photo, voice note, edit, forward, shared contact or location.
	// Text holds the message key that explains (content.OtherMessages).
	EventOther = "other"
	// EventStart starts the flow named by Text (a check-in), unless a
	// conversation is under way; Note, if set, is a message key said first.
	EventStart = "start"
	// EventRemind nudges a person who stopped halfway: the open question
	// again, after a kind word. Without an open question it does nothing.
	EventRemind = "remind"
	// EventLinked carries on in Telegram a conversation finished in the web
	// chat: Answers are the web visitor's (they consented there), and the
	// person's weekly check-ins start here. No Answers means the link was
	// unknown, used already or out of date, and the person is told so.
	EventLinked = "linked"
)

// WebLinkPrefix starts the /start payload of a link from the web chat to
// Telegram ("web_" and a one-time token): it is never a referral source.
const WebLinkPrefix = "web_"

// Event is one thing the person did.
type Event struct {
	Kind string
	Text string
	// UpdateID identifies a delivery of the event so that a repeat is applied
	// once; zero when the source has no such id.
	UpdateID int64
	// Lang is the person's language as their app reports it, if known.
	Lang string
	// Nonce is fresh randomness from the runner. Step uses it as the id of a
	// run it starts, which keeps Step itself free of randomness.
	Nonce string
	// Note is a message key said before a flow that EventStart starts.
	Note string
	// Checkin is the instant a scheduled check-in was due, for the
	// EventStart that begins it: it names the check-in, so the run's answers
	// say which check-in they answer and a second start of it does nothing.
	Checkin time.Time
	// Answers are a web visitor's answers, for EventLinked.
	Answers map[string]string
	// Vars are answers the flow that EventStart starts begins with; only
	// those the flow names among its inputs are taken.
	Vars map[string]string
	// Said is what the person wrote in something that cannot be an answer
	// (an edited message, a forwarded text, a caption), for an EventOther:
	// it is read for risk, and otherwise not kept.
	Said string
	// Local holds the council's own numbers that risk responses name
	// (council_housing_ooh, children_front_door); the Runner fills it from its Config.
	Local map[string]string
	// Closed says the service's team is not at work at the moment of the
	// event, and Opens when it next is (zero when its calendar shows no
	// opening ahead). The runner sets both before every step from
	// Config.Hours, so that what the person is told about who will read
	// their words, and when, is true: "a link worker will see this today"
	// only while Closed is false, else "our team is closed until" OpensWords.
	Closed bool
	Opens  time.Time
}

// Output kinds.
const (
	// OutMessage is a new message, with buttons when it asks a question.
	OutMessage = "message"
	// OutUpdate redraws the open question Node in place (ticks of a multiple choice).
	OutUpdate = "update"
	// OutClose marks the question Node answered; Text is the answer to show
	// in place of its buttons.
	OutClose = "close"
	// OutToast is a short notice for a pressed button (at most 200 characters).
	OutToast = "toast"
	// OutEffect asks for work beyond the conversation: a referral, check-ins, an urgent flag.
	OutEffect = "effect"
)

// Out is one entry of the outbox: something to show the person, or an effect.
type Out struct {
	// ID is unique and stable for the entry, so a delivery can be repeated safely.
	ID      string     `json:"id"`
	Kind    string     `json:"k"`
	Node    string     `json:"n,omitempty"`
	Text    string     `json:"t,omitempty"`
	Buttons [][]Button `json:"b,omitempty"`
	Effect  *Effect    `json:"e,omitempty"`
	// Ref names the referral a casework entry is about, so that whoever
	// shows it can record where, and take it down if the person is erased.
	Ref string `json:"r,omitempty"`
	// Receipt, when set, asks the deliverer to report the entry's fate
	// (delivered, or refused because the person blocked the bot) under this
	// id: a link worker's message is shown on the case with its delivery.
	Receipt string `json:"rc,omitempty"`
}

// Button is one inline button. Data is at most 64 bytes: the run, the node and
// the value. A button with a URL opens that address instead.
type Button struct {
	Label string `json:"l"`
	Data  string `json:"d,omitempty"`
	URL   string `json:"u,omitempty"`
}

// Effect kinds besides the content actions (content.Action*).
const (
	// EffectUrgent flags a disclosure of risk to the link workers.
	EffectUrgent = "urgent_flag"
	// EffectProfile records lasting facts of the person: language, source, care-leaver status.
	EffectProfile = "profile"
)

// Effect is work that happens outside the conversation. Key is the same for
// every repeat of the same effect, so running it twice is a no-op.
type Effect struct {
	Kind    string            `json:"kind"`
	Key     string            `json:"key"`
	User    int64             `json:"user"`
	Run     string            `json:"run,omitempty"`
	Ref     string            `json:"ref,omitempty"`
	Lang    string            `json:"lang,omitempty"`
	Consent bool              `json:"consent,omitempty"`
	Answers map[string]string `json:"answers,omitempty"`
	// Text is what the person wrote, kept only for an urgent flag and only
	// when the person has consented to their words being kept.
	Text string `json:"text,omitempty"`
	// Risks are the kinds of risk an urgent flag was raised for (risk.Kind
	// codes), most pressing first.
	Risks []string `json:"risks,omitempty"`
	// Learned are those of Risks that the learned reader of risk found and
	// no phrase did: a link worker is told to read the person's words.
	// Absent on flags from before it was kept, which read as found by a
	// phrase.
	Learned []string `json:"learned,omitempty"`
	// Unsafe marks an urgent flag raised because the person said they are
	// not safe right now: the most pressing of all.
	Unsafe bool `json:"unsafe,omitempty"`
	// Young marks an urgent flag for a person under 17: nothing of theirs is
	// kept, and the flag goes to the children's safeguarding team if there is one.
	Young bool `json:"young,omitempty"`
	// Services are the directory ids the person asked their link worker to
	// refer them to.
	Services []string `json:"services,omitempty"`
	// Checkin is the instant the check-in this run answers was due; zero
	// outside a scheduled check-in.
	Checkin time.Time `json:"checkin,omitzero"`
}

// Effects around the self-referral reminder and the end of a run.
const (
	// EffectAddServices adds services chosen after a referral was made (from
	// /groups) to that referral.
	EffectAddServices = "add_services"
	// EffectRemindLater asks for one reminder if the person stops halfway:
	// emitted when they consent.
	EffectRemindLater = "remind_later"
	// EffectFinished says a run reached its end: any reminder is cancelled.
	EffectFinished = "finished"
	// EffectErased says every key of the person was erased (/forget, consent
	// refused, under 17): what is kept elsewhere about them goes too.
	EffectErased = "erased"
	// EffectLinkWeb asks for the one-time token in Text, from a link the web
	// chat gave, to be used: the web visitor's answers come to this person
	// as an EventLinked.
	EffectLinkWeb = "link_web"
)

// Result is what a step produced.
type Result struct {
	Session Session
	Out     []Out
	// Erase asks the store to delete every key of the person before the
	// outbox entries are written (consent refused, /forget, under 17).
	Erase bool
}
