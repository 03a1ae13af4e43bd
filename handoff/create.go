package handoff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"signpost/flows"
)

// refAttempts bounds the search for a free reference. With 32^5 references
// and a few thousand referrals a year, a second attempt is already rare.
const refAttempts = 16

// refAlphabet matches flows.Ref: no 0, 1, I or O, which are easy to mishear.
const refAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// candidateRef is the attempt-th reference tried for the effect with key
// when the run's own reference belongs to another run. It depends only on
// its arguments, so repeats of one effect walk the same references.
func candidateRef(key string, attempt int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s#%d", key, attempt))
	b := []byte("R-")
	for i := range 5 {
		b = append(b, refAlphabet[sum[i]%32])
	}
	return string(b)
}

// Create makes the referral a create_referral effect asks for, or finds the
// one an earlier delivery of the same effect made, and asks for its card.
// The reference may differ from eff.Ref when that one already belongs to
// another conversation; the person is then told the new one. An effect of
// the same run as an open referral completes that referral instead (the
// urgent case opened mid-conversation becomes the full referral).
func (d *Desk) Create(ctx context.Context, eff flows.Effect) (Referral, Notices, error) {
	r, created, err := d.create(ctx, eff)
	if err != nil {
		return Referral{}, nil, err
	}
	var ns Notices
	if created && eff.Ref != "" && r.Ref != eff.Ref {
		ns = append(ns, personKey(r, KeyNewRef))
	}
	ns = append(ns, card(r))
	ns = append(ns, housingNotice(r)...)
	if created && PriorityOf(r) == PriorityUrgent {
		ns = append(ns, d.onCallNow(r)...)
	}
	return r, ns, nil
}

// create makes or finds the referral of eff; created reports a new one.
func (d *Desk) create(ctx context.Context, eff flows.Effect) (Referral, bool, error) {
	if eff.Key == "" || eff.User == 0 {
		return Referral{}, false, ErrBadEffect
	}
	if r, ok, err := d.applied(ctx, eff.Key, eff.User); err != nil || ok {
		return r, false, err
	}
	return d.insert(ctx, eff, d.fromEffect(eff), EventCreated, "", "")
}

// flagEvent is the history entry a flag for reason makes: urgent for an
// urgent reason, else a flag.
func flagEvent(reason Reason) EventKind {
	if reason.Priority() == PriorityUrgent {
		return EventUrgent
	}
	return EventFlagged
}

// Flag handles an urgent_flag effect: the person's open referral is marked
// urgent, or, if they have none, an urgent referral is made, holding only
// their chat id when they have not consented. A new referral's card is
// posted; one the team has seen already is redrawn and the team alerted.
func (d *Desk) Flag(ctx context.Context, eff flows.Effect) (Referral, Notices, error) {
	if eff.Unsafe {
		return d.flag(ctx, eff, ReasonNotSafe)
	}
	return d.flag(ctx, eff, ReasonCrisisWords)
}

// flag raises the person's open referral for reason, or makes one. A
// repeat of an urgent flag changes nothing but alerts the team again: the
// alert of a flag is sent at least once, like the flag. A flag of high
// priority alerts the team only when it adds its reason: its redrawn card
// says the rest, and a person asking twice is not two alarms.
func (d *Desk) flag(ctx context.Context, eff flows.Effect, reason Reason) (Referral, Notices, error) {
	r, created, fresh, err := d.flagged(ctx, eff, reason)
	if err != nil {
		return Referral{}, nil, err
	}
	ns := Notices{card(r)}
	if !(created || r.Card.Message == 0 || (!fresh && reason.Priority() != PriorityUrgent)) {
		ns = append(ns, Notice{Kind: NoticeAlert, Ref: r.Ref, Team: r.Team, Text: AlertText(r, reason)})
	}
	return r, append(ns, d.onCallNow(r)...), nil
}

// flagged applies a flag; created reports a new referral, fresh that the
// flag added its reason to an open one.
func (d *Desk) flagged(ctx context.Context, eff flows.Effect, reason Reason) (r Referral, created, fresh bool, err error) {
	if eff.Key == "" || eff.User == 0 {
		return Referral{}, false, false, ErrBadEffect
	}
	if r, ok, err := d.applied(ctx, eff.Key, eff.User); err != nil || ok {
		return r, false, false, err
	}
	text := ""
	if eff.Consent {
		text = eff.Text
	}
	if ref, ok, err := d.OpenCaseOf(ctx, eff.User); err != nil {
		return Referral{}, false, false, err
	} else if ok {
		now := d.now()
		r, err := d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
			if r.HasEffect(eff.Key) {
				return Change{}, nil
			}
			r.Effects = append(r.Effects, eff.Key)
			fresh = !slices.Contains(r.Reasons, reason)
			r.raise(reason, reason.Priority())
			r.addRisks(eff.Risks, eff.Learned)
			if eff.Consent {
				d.triage(r, eff.Answers)
				r.fillContact(eff)
			}
			if text != "" {
				r.UrgentText = joinText(r.UrgentText, text)
			}
			events := []Event{{At: now, Kind: flagEvent(reason), Text: text, Reason: reason}}
			if r.Urgent && d.urgentNow(r, now) {
				events = append(events, Event{At: now, Kind: EventOnCall})
			}
			return Change{Events: events}, nil
		})
		if err != nil {
			return Referral{}, false, false, fmt.Errorf("flag %s: %w", ref, err)
		}
		d.remember(ctx, eff.Key, ref)
		d.log.InfoContext(ctx, "referral flagged", slog.String("ref", ref), slog.String("effect", eff.Key),
			slog.String("priority", string(PriorityOf(r))))
		return r, false, fresh, nil
	}

	r = Referral{User: eff.User, Lang: eff.Lang, Team: TeamLinkWorkers, ONS: NoONS4, FollowUp: NoONS4, Lonely: NoLonely, FollowUpLonely: NoLonely, Channel: channelOf(eff.User)}
	if eff.Consent {
		r = d.fromEffect(eff)
	}
	if eff.Young {
		r.Age = AgeUnder17
		r.Team = d.childrenTeam()
	}
	r.raise(reason, reason.Priority())
	r.addRisks(eff.Risks, eff.Learned)
	r.UrgentText = text
	r, created, err = d.insert(ctx, eff, r, flagEvent(reason), text, reason)
	return r, created, false, err
}

// RequestTalk handles a request_talk effect: the person asked for a link
// worker to get in touch (/talk, or a check-in). Their open case is raised
// to high priority with how they would like to be reached; without one, a
// high-priority referral is made from what they told us. It is not a
// crisis: the card says they asked, and only the worker who takes the case
// reads what they wrote with it at a check-in.
func (d *Desk) RequestTalk(ctx context.Context, eff flows.Effect) (Referral, Notices, error) {
	if !eff.Consent {
		// The talk flow asks for agreement first; without it nothing is kept.
		d.log.WarnContext(ctx, "request to talk without consent; ignored", slog.String("effect", eff.Key))
		return Referral{}, nil, nil
	}
	reason := ReasonAskedToTalk
	// What they wrote at a check-in goes with the request: they were told
	// a link worker reads it when they ask to talk.
	eff.Text = strings.TrimSpace(eff.Answers["checkin_note"])
	if eff.Answers["mood"] == "talk" {
		// "I'd like to talk to someone" at a check-in: the check-in's own
		// flag made the request, with their words; this adds how to reach
		// them.
		reason, eff.Text = ReasonCheckinTalk, ""
	}
	a := make(map[string]string, len(eff.Answers)+1)
	for k, v := range eff.Answers {
		a[k] = v
	}
	a["contact"] = "yes"
	eff.Answers = a
	return d.flag(ctx, eff, reason)
}

// AddServices records the directory services the person chose after their
// referral was made (from /groups) on their open referral, rather than on the
// reference of the run, which another referral may hold if the run's was
// taken; adding one twice changes nothing.
func (d *Desk) AddServices(ctx context.Context, eff flows.Effect) (Referral, Notices, error) {
	ref, ok, err := d.OpenCaseOf(ctx, eff.User)
	if err != nil || !ok {
		return Referral{}, nil, err
	}
	var r Referral
	for _, s := range eff.Services {
		if r, err = d.AddService(ctx, ref, s); err != nil {
			return Referral{}, nil, err
		}
	}
	if r.Ref == "" {
		return Referral{}, nil, nil
	}
	return r, Notices{card(r)}, nil
}

// applied returns the referral an effect was already applied to, if known.
func (d *Desk) applied(ctx context.Context, key string, user int64) (Referral, bool, error) {
	ref, err := d.st.EffectRef(ctx, key, user)
	if err != nil || ref == "" {
		return Referral{}, false, err
	}
	r, err := d.st.Referral(ctx, ref)
	if err != nil {
		return Referral{}, false, fmt.Errorf("effect %s: %w", key, err)
	}
	return r, true, nil
}

// insert stores r under the first free reference of the effect's sequence.
func (d *Desk) insert(ctx context.Context, eff flows.Effect, r Referral, kind EventKind, text string, reason Reason) (Referral, bool, error) {
	now := d.now()
	r.Run = eff.Run
	r.Effects = []string{eff.Key}
	r.Status = StatusNew
	r.Created = now
	if r.Priority == "" {
		r.Priority = PriorityRoutine
	}
	r.NextReminder = d.firstReminder(r, now)
	if PriorityOf(r) == PriorityUrgent && d.Closed(now) && d.cfg.OnCall {
		d.markOnCall(&r, now)
	}
	if r.Person == "" {
		person, err := d.personKey(ctx, r.User)
		if err != nil {
			return Referral{}, false, fmt.Errorf("create referral for %s: %w", eff.Key, err)
		}
		r.Person = person
	}
	first := Event{At: now, Kind: kind, Text: text, Reason: reason}

	for attempt := range refAttempts {
		ref := eff.Ref
		if attempt > 0 || ref == "" {
			ref = candidateRef(eff.Key, attempt)
		}
		r.Ref = ref
		stored, created, err := d.st.CreateReferral(ctx, r, first)
		if err != nil {
			return Referral{}, false, fmt.Errorf("create referral %s: %w", ref, err)
		}
		switch {
		case created:
			d.remember(ctx, eff.Key, ref)
			d.log.InfoContext(ctx, "referral created", slog.String("ref", ref), slog.String("team", string(r.Team)),
				slog.Bool("urgent", r.Urgent), slog.Int("attempt", attempt))
			return stored, true, nil
		case stored.HasEffect(eff.Key):
			return stored, false, nil
		case eff.Run != "" && stored.Run == eff.Run && stored.Open() && !stored.IsErased():
			merged, err := d.merge(ctx, ref, eff.Key, r, text, reason, now)
			if err != nil {
				return Referral{}, false, err
			}
			d.remember(ctx, eff.Key, ref)
			return merged, false, nil
		}
		d.log.InfoContext(ctx, "referral reference taken", slog.String("ref", ref), slog.String("effect", eff.Key))
	}
	return Referral{}, false, fmt.Errorf("create referral for %s: no free reference in %d attempts", eff.Key, refAttempts)
}

// merge applies a later effect of the same run to the referral it made.
func (d *Desk) merge(ctx context.Context, ref, key string, n Referral, text string, reason Reason, now time.Time) (Referral, error) {
	r, err := d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
		if r.HasEffect(key) {
			return Change{}, nil
		}
		r.Effects = append(r.Effects, key)
		r.fillFrom(n)
		r.raiseAll(n)
		ev := Event{At: now, Kind: EventAnswersFill}
		events := []Event{ev}
		if n.Urgent {
			r.UrgentText = joinText(r.UrgentText, n.UrgentText)
			events[0] = Event{At: now, Kind: EventUrgent, Text: text, Reason: reason}
			if d.urgentNow(r, now) {
				events = append(events, Event{At: now, Kind: EventOnCall})
			}
		}
		return Change{Events: events}, nil
	})
	if err != nil {
		return Referral{}, fmt.Errorf("complete referral %s: %w", ref, err)
	}
	d.log.InfoContext(ctx, "referral completed by a later effect", slog.String("ref", ref), slog.Bool("urgent", n.Urgent))
	return r, nil
}

// personKey is the anonymous key of the person's referrals: the one their
// earlier referrals have, or a new random one.
func (d *Desk) personKey(ctx context.Context, user int64) (string, error) {
	refs, err := d.st.PersonReferrals(ctx, user)
	if err != nil {
		return "", err
	}
	rs, err := d.st.Referrals(ctx, refs)
	if err != nil {
		return "", err
	}
	for _, r := range rs {
		if r.User == user && r.Person != "" {
			return r.Person, nil
		}
	}
	var b [9]byte
	rand.Read(b[:])
	return "p" + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// remember records where an effect went. Failing to is logged, not returned:
// the reference sequence finds the referral again on a repeat.
func (d *Desk) remember(ctx context.Context, key, ref string) {
	if err := d.st.RememberEffect(ctx, key, ref); err != nil {
		d.log.WarnContext(ctx, "remember effect", slog.String("ref", ref), slog.String("effect", key), slog.Any("err", err))
	}
}

// fromEffect reads the conversation's answers into a new referral.
func (d *Desk) fromEffect(eff flows.Effect) Referral {
	a := eff.Answers
	r := Referral{
		User:           eff.User,
		Lang:           eff.Lang,
		Consent:        eff.Consent,
		Name:           strings.TrimSpace(a["name"]),
		Age:            a["age"],
		CareLeaver:     a["care_leaver"],
		WhatMatters:    strings.TrimSpace(a["what_matters"]),
		Needs:          splitList(a["needs"]),
		HousingUrgent:  a["housing_urgent"],
		HousingTonight: a["housing_tonight"],
		MoneyUrgent:    a["money_urgent"],
		DebtLetter:     a["debt_letter"],
		Housing:        d.housingOf(a),
		Source:         a["source"],
		ONS: ONS4{
			Life:    ParseScore(a["ons_life"]),
			Worth:   ParseScore(a["ons_worth"]),
			Happy:   ParseScore(a["ons_happy"]),
			Anxious: ParseScore(a["ons_anxious"]),
		},
		Postcode: strings.ToUpper(strings.TrimSpace(a["postcode"])),
		Contact: Contact{
			Wanted: a["contact"] == "yes",
			How:    a["contact_how"],
			Phone:  strings.TrimSpace(a["phone"]),
			When:   a["contact_when"],
		},
		Checkins:       a["checkins"],
		Services:       splitList(a["services"]),
		Channel:        channelOf(eff.User),
		Lonely:         ParseLonely(a["lonely_companionship"], a["lonely_left_out"], a["lonely_isolated"]),
		FollowUp:       NoONS4,
		FollowUpLonely: NoLonely,
	}
	r.Team = Route(r.CareLeaver)
	d.triage(&r, a)
	return r
}

// splitList splits a comma list, dropping blanks and repeats.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n" + b
}

// AddService records a directory service the person chose; adding one twice
// changes nothing.
func (d *Desk) AddService(ctx context.Context, ref, service string) (Referral, error) {
	service = strings.TrimSpace(service)
	now := d.now()
	r, err := d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
		if r.IsErased() {
			return Change{}, ErrErased
		}
		if service == "" || slices.Contains(r.Services, service) {
			return Change{}, nil
		}
		r.Services = append(r.Services, service)
		return Change{Events: []Event{{At: now, Kind: EventServiceAdd, Text: service}}}, nil
	})
	if err != nil {
		return Referral{}, fmt.Errorf("add service to %s: %w", ref, err)
	}
	return r, nil
}
