package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Texts the person reads. They are warm and plain, say who will see what, and
// never promise a time: a link worker's day is not the bot's to promise.

// Status is the person's /status: where their latest referral stands, in
// plain words, as a message for them.
func (d *Desk) Status(ctx context.Context, user int64, lang string, ch Channel) (Notices, error) {
	refs, err := d.st.PersonReferrals(ctx, user)
	if err != nil {
		return nil, fmt.Errorf("status of %d: %w", user, err)
	}
	rs, err := d.st.Referrals(ctx, refs)
	if err != nil {
		return nil, fmt.Errorf("status of %d: %w", user, err)
	}
	// The most recent open referral speaks for the person; failing that, the
	// most recent of any kind.
	var found *Referral
	for i, r := range rs {
		if r.User == user && (r.Open() || found == nil) {
			found = &rs[i]
			if r.Open() {
				break
			}
		}
	}
	n := Notice{Kind: NoticePerson, User: user, Lang: lang, Channel: ch, Text: StatusText(found)}
	if found != nil {
		n.Ref, n.Team = found.Ref, found.Team
	}
	return Notices{n}, nil
}

// teamQuiet is how long after the person last wrote their team is not told
// again that they wrote: the worker who holds the case has every message,
// and a team's group takes twenty messages a minute, which its cards need.
const teamQuiet = time.Hour

// errPassedOn: the update's words are in the case already.
var errPassedOn = errors.New("update already passed on")

// FromPerson takes what the person wrote once their conversation with the bot
// is over: if a worker holds their open case it is recorded there and goes to
// that worker alone (NoticeWorker), and the team is told, without the words,
// that the person wrote, unless they had written within teamQuiet. relayed is false when there is no such case or the
// person is in the middle of a conversation; the words then belong to it.
//
// update is the Telegram update that brought the words (0 when none did).
// It is written with them, so an update sent again after its words were
// kept is known by the case itself and passes nothing on twice (relayed,
// no notices); one whose first try failed before its words were kept is
// passed on, as nothing marked before the write can stop it.
func (d *Desk) FromPerson(ctx context.Context, user int64, update int64, text string) (relayed bool, ns Notices, err error) {
	r, ok, err := d.openCase(ctx, user)
	if err != nil || !ok || !r.Held() {
		return false, nil, err
	}
	if d.cfg.InConversation != nil {
		if busy, err := d.cfg.InConversation(ctx, user); err != nil || busy {
			return false, nil, err
		}
	}
	text = strings.TrimSpace(text)
	now := d.now()
	var before time.Time
	read := r
	r, err = d.updateOpen(ctx, nil, r.Ref, func(r *Referral) (Change, error) {
		if update != 0 && r.LastUpdate == update {
			return Change{}, errPassedOn
		}
		before = r.LastFromPerson
		r.LastFromPerson = now
		r.LastUpdate = update
		return Change{Events: []Event{{At: now, Kind: EventFromPerson, Text: text}}}, nil
	})
	once := ""
	if update != 0 {
		once = fmt.Sprintf("from.%s.%d", read.Ref, update)
	}
	if errors.Is(err, errPassedOn) {
		// Taken before: whatever became of its notice then (a failure or
		// a crash may have come between the write and it), it is asked for
		// again, and reaches the worker once. The team's word, at most
		// once an hour, is not asked for again.
		return true, Notices{{Kind: NoticeWorker, Ref: read.Ref, Team: read.Team, To: read.Holder, Text: FromPerson(read, text), Once: once}}, nil
	}
	if err != nil {
		return false, nil, fmt.Errorf("message from person %d: %w", user, err)
	}
	d.log.InfoContext(ctx, "message from person", slog.String("ref", r.Ref))
	ns = Notices{{Kind: NoticeWorker, Ref: r.Ref, Team: r.Team, To: r.Holder, Text: FromPerson(r, text), Once: once}}
	if before.IsZero() || now.Sub(before) >= teamQuiet {
		ns = append(ns, team(r, r.Ref+": the person has written to "+r.Holder.Name+", who can read it in the console or in a private chat with me."))
	}
	return true, ns, nil
}

// EndContact closes the person's open referral at their word: nothing more
// passes between them and a link worker. The team is told, and the person
// is told it is done, or that there was nothing to end.
func (d *Desk) EndContact(ctx context.Context, user int64, lang string, ch Channel) (Notices, error) {
	nothing := Notices{{Kind: NoticePerson, User: user, Lang: lang, Channel: ch, Key: KeyNoCase}}
	ref, ok, err := d.OpenCaseOf(ctx, user)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nothing, nil
	}
	r, err := d.close(ctx, nil, ref, Worker{Name: "the person"}, OutcomeNotNeeded, "the person ended contact")
	if errors.Is(err, ErrClosed) || errors.Is(err, ErrErased) {
		return nothing, nil
	}
	if err != nil {
		return nil, err
	}
	d.log.InfoContext(ctx, "person ended contact", slog.String("ref", ref))
	if r.Lang == "" {
		r.Lang = lang
	}
	return Notices{
		card(r),
		team(r, ref+": the person has ended contact, so it is closed. Nothing more will reach them."),
		personKey(r, KeyContactEnded),
	}, nil
}

// StatusText is the person-facing account of a referral; nil means they have none.
func StatusText(r *Referral) string {
	if r == nil || r.IsErased() {
		return "You do not have a referral with us at the moment. " +
			"If you would like a link worker to get in touch, send /start and we will go through it together."
	}
	who := "our link workers"
	if r.Team == TeamLeavingCare {
		who = "the leaving-care team"
	}
	ref := "Your reference is " + r.Ref + "."
	switch r.Status {
	case StatusNew:
		// Only a card that reached the team's group is said to have reached it.
		if r.Posted.IsZero() {
			if !r.Consent {
				return "We are letting " + who + " know that you may need help. " +
					"If you are in danger now, call 999."
			}
			return "We have your referral and are passing it to " + who + ". " + ref + " " +
				"If you feel unsafe while you wait, call Samaritans on 116 123 or text SHOUT to 85258."
		}
		if !r.Consent {
			return "We have let " + who + " know that you may need help. " +
				"If you are in danger now, call 999."
		}
		return "Your referral has reached " + who + ". " + ref + " " +
			"Someone will pick it up as soon as they can. They work on weekdays, so it may take a little longer at the weekend."
	case StatusClaimed:
		return firstName(r.Holder) + " from " + who + " is looking after your referral. " + ref + " " +
			"They will get in touch " + howWords(r.Contact) + "."
	case StatusInContact:
		return "You are in touch with " + firstName(r.Holder) + " from " + who + ". " + ref + " " +
			"You can write to them here at any time."
	}
	return "Your referral " + r.Ref + " is now closed. Thank you for talking with us. " +
		"If you would like help again, send /start."
}

// FromWorker is a link worker's message as the person sees it: only the
// worker's first name, nothing else of their account.
func FromWorker(w Worker, text string) string {
	return fit("Your link worker " + firstName(w) + " says:\n" + strings.TrimSpace(text))
}

// FromPerson is the person's message as the worker who holds the case reads
// it. It starts with the reference, so that a reply to it reaches the case.
func FromPerson(r Referral, text string) string {
	who := "the person"
	if r.Name != "" && !r.IsErased() {
		who = r.Name
	}
	return fit(r.Ref + " · message from " + who + ":\n" + strings.TrimSpace(text))
}

// ClosedText tells the person their referral was closed.
func ClosedText(r Referral) string {
	return "Your link worker has closed your referral " + r.Ref + ". " +
		"We hope things are going better. If you would like help again, send /start."
}

// firstName is what the person is told a worker is called.
func firstName(w Worker) string {
	name, _, _ := strings.Cut(strings.TrimSpace(w.Name), " ")
	if name == "" {
		return "A link worker"
	}
	return name
}
