package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// Housing is where a referral to the council's housing options team stands.
// The Homelessness Reduction Act 2017 asks named public bodies, a council's
// leaving-care team among them, to refer someone threatened with
// homelessness within 56 days to the council's housing team, with their
// consent; the conversation asks for it.
type Housing string

// Housing states.
const (
	// HousingToDo: the person agreed, and the service has no chat of the
	// housing options team: a worker must refer them, and marks it done,
	// before the case can close.
	HousingToDo Housing = "to_do"
	// HousingSending: the person agreed; the bot is posting the referral in
	// the housing options team's chat.
	HousingSending Housing = "sending"
	// HousingSent: the housing options team's chat has the referral.
	HousingSent Housing = "sent"
	// HousingDone: a worker marked the referral made.
	HousingDone Housing = "done"
)

// ErrHousingOpen is Close refused: the person asked to be referred to the
// housing options team, and that is not done yet.
var ErrHousingOpen = errors.New("handoff: the referral to the housing options team is not done yet")

// Open reports whether the referral to the housing options team still has
// to be made.
func (h Housing) Open() bool { return h == HousingToDo || h == HousingSending }

// Words is the housing referral as the card says it, "" when there is none.
func (h Housing) Words() string {
	switch h {
	case HousingToDo:
		return "To do before closing: refer the person to the council's housing options team (they agreed)"
	case HousingSending:
		return "Being passed to the council's housing options team"
	case HousingSent:
		return "Passed to the council's housing options team"
	case HousingDone:
		return "Referred to the council's housing options team"
	}
	return ""
}

// housingOf is the housing referral a new referral with answers a starts with.
func (d *Desk) housingOf(a map[string]string) Housing {
	if a["housing_refer"] != "yes" {
		return ""
	}
	if d.cfg.HousingChat {
		return HousingSending
	}
	return HousingToDo
}

// housingNotice asks for r's referral to the housing options team to be
// posted, while it waits to be.
func housingNotice(r Referral) Notices {
	if r.Housing != HousingSending || r.IsErased() {
		return nil
	}
	return Notices{{Kind: NoticeHousing, Ref: r.Ref, Team: r.Team}}
}

// HousingText is the referral as the housing options team's chat shows it:
// what the duty to refer needs (who, how to reach them, where, how soon),
// and nothing else the person told us.
func HousingText(r Referral) string {
	if r.IsErased() {
		return r.Ref + ": " + RemovedWords(r)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Referral to the housing options team: %s\n", r.Ref)
	b.WriteString("From the social prescribing service, with the person's agreement (Homelessness Reduction Act 2017, duty to refer).\n\n")
	name := r.Name
	if name == "" {
		name = "(no name given)"
	}
	b.WriteString("Name: " + name + "\n")
	if a, ok := ageWords[r.Age]; ok {
		b.WriteString("Age: " + a + "\n")
	}
	if r.CareLeaver == "yes" {
		b.WriteString("Care leaver: yes\n")
	}
	b.WriteString("Could lose their home within 56 days: " + answerWords(r.HousingUrgent) + "\n")
	if r.HousingTonight != "" {
		b.WriteString("Somewhere safe to sleep tonight: " + answerWords(r.HousingTonight) + "\n")
	}
	if r.Postcode != "" {
		b.WriteString("Area: " + r.Postcode + "\n")
	}
	b.WriteString("Contact: " + contactWords(r.Contact, r.Channel) + "\n")
	b.WriteString("\nThe social prescribing team holds the case as " + r.Ref + ".")
	return fit(b.String())
}

// answerWords is a yes, no or unsure answer in words.
func answerWords(a string) string {
	switch a {
	case "yes":
		return "yes"
	case "no":
		return "no"
	case "unsure":
		return "not sure"
	}
	return "not asked"
}

// HousingPosted records that the housing options team's chat was shown ref
// in message (chat, message), so that erasure can take it down too.
func (d *Desk) HousingPosted(ctx context.Context, ref string, chat, message int64) (Referral, Notices, error) {
	now := d.now()
	r, err := d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
		if r.Housing != HousingSending {
			return Change{}, nil
		}
		r.Housing = HousingSent
		return Change{Events: []Event{{At: now, Kind: EventHousing, Text: string(HousingSent)}}}, nil
	})
	if err != nil {
		return Referral{}, nil, fmt.Errorf("housing referral %s posted: %w", ref, err)
	}
	if err := d.st.AddPost(ctx, ref, Post{Chat: chat, Message: message, At: now}); err != nil {
		d.log.WarnContext(ctx, "record the housing referral's post; it cannot be taken down on erasure", slog.String("ref", ref), slog.Any("err", err))
	}
	d.log.InfoContext(ctx, "referral passed to the housing options team", slog.String("ref", ref))
	return r, Notices{card(r)}, nil
}

// HousingDone records that worker w referred the person of ref to the
// housing options team themselves, so that the case may close.
func (d *Desk) HousingDone(ctx context.Context, ref string, w Worker) (Referral, Notices, error) {
	acc, err := d.access(ctx, w)
	if err != nil {
		return Referral{}, nil, err
	}
	now := d.now()
	r, err := d.updateOpen(ctx, &acc, ref, func(r *Referral) (Change, error) {
		if !r.Housing.Open() {
			return Change{}, nil
		}
		r.Housing = HousingDone
		return Change{Events: []Event{{At: now, Kind: EventHousing, Actor: w, Text: string(HousingDone)}}}, nil
	})
	if err != nil {
		return Referral{}, nil, fmt.Errorf("housing referral %s done: %w", ref, err)
	}
	d.audit(ctx, ref, w, ActionHousing)
	return r, Notices{card(r)}, nil
}
