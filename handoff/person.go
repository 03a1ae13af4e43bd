package handoff

import (
	"context"
	"fmt"
	"strings"
)

// Texts the person reads. They are warm and plain, say who will see what, and
// never promise a time: a link worker's day is not the bot's to promise.

// Status is the person's /status: where their latest referral stands, in
// plain words.
func (d *Desk) Status(ctx context.Context, user int64) (string, error) {
	refs, err := d.st.PersonReferrals(ctx, user)
	if err != nil {
		return "", fmt.Errorf("status of %d: %w", user, err)
	}
	rs, err := d.st.Referrals(ctx, refs)
	if err != nil {
		return "", fmt.Errorf("status of %d: %w", user, err)
	}
	// The most recent open referral speaks for the person; failing that, the
	// most recent of any kind.
	for _, r := range rs {
		if r.User == user && r.Open() {
			return StatusText(&r), nil
		}
	}
	for _, r := range rs {
		if r.User == user {
			return StatusText(&r), nil
		}
	}
	return StatusText(nil), nil
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

// FromPerson is the person's message as the team sees it in the group.
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
