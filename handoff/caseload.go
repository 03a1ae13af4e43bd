package handoff

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// updateOpen changes a referral that is still open: one erased or closed is
// refused with ErrErased or ErrClosed before fn sees it.
func (d *Desk) updateOpen(ctx context.Context, ref string, fn func(r *Referral) (Change, error)) (Referral, error) {
	return d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
		switch {
		case r.IsErased():
			return Change{}, ErrErased
		case r.Status == StatusClosed:
			return Change{}, ErrClosed
		}
		return fn(r)
	})
}

// CaseFile is a referral with its history, for /case.
type CaseFile struct {
	Referral Referral
	History  []Event
}

// Claim gives an unclaimed referral to w. Of workers claiming at once exactly
// one wins; the others get a *ClaimedError (errors.Is ErrAlreadyClaimed)
// naming the holder. Claiming a referral one already holds succeeds again.
func (d *Desk) Claim(ctx context.Context, ref string, w Worker) (Referral, error) {
	if err := d.check(ctx, w); err != nil {
		return Referral{}, err
	}
	now := d.now()
	r, err := d.updateOpen(ctx, ref, func(r *Referral) (Change, error) {
		switch {
		case r.Held() && r.Holder.ID == w.ID:
			return Change{}, nil
		case r.Held():
			return Change{}, &ClaimedError{Ref: r.Ref, Holder: r.Holder}
		}
		r.Status, r.Holder, r.Claimed = StatusClaimed, w, now
		r.NextReminder = time.Time{}
		return Change{Events: []Event{{At: now, Kind: EventClaimed, Actor: w}}}, nil
	})
	if err != nil {
		return Referral{}, fmt.Errorf("claim %s: %w", ref, err)
	}
	d.log.InfoContext(ctx, "referral claimed", slog.String("ref", ref), slog.Int64("worker", w.ID))
	return r, nil
}

// Queue lists team's unclaimed referrals, urgent ones first, then oldest first.
func (d *Desk) Queue(ctx context.Context, team Team, by Worker) ([]Referral, error) {
	if err := d.check(ctx, by); err != nil {
		return nil, err
	}
	refs, err := d.st.QueueRefs(ctx, team)
	if err != nil {
		return nil, fmt.Errorf("queue %s: %w", team, err)
	}
	rs, err := d.st.Referrals(ctx, refs)
	if err != nil {
		return nil, fmt.Errorf("queue %s: %w", team, err)
	}
	// The index is a hint; the referral itself says whether it still waits.
	rs = slices.DeleteFunc(rs, func(r Referral) bool {
		return r.Status != StatusNew || r.Team != team || r.IsErased()
	})
	slices.SortStableFunc(rs, func(a, b Referral) int {
		if a.Urgent != b.Urgent {
			if a.Urgent {
				return -1
			}
			return 1
		}
		return cmp.Or(a.Created.Compare(b.Created), strings.Compare(a.Ref, b.Ref))
	})
	return rs, nil
}

// Mine lists the open referrals w holds, most recently claimed first.
func (d *Desk) Mine(ctx context.Context, w Worker) ([]Referral, error) {
	if err := d.check(ctx, w); err != nil {
		return nil, err
	}
	refs, err := d.st.HeldRefs(ctx, w.ID)
	if err != nil {
		return nil, fmt.Errorf("mine %d: %w", w.ID, err)
	}
	rs, err := d.st.Referrals(ctx, refs)
	if err != nil {
		return nil, fmt.Errorf("mine %d: %w", w.ID, err)
	}
	rs = slices.DeleteFunc(rs, func(r Referral) bool { return !r.Held() || r.Holder.ID != w.ID })
	slices.SortStableFunc(rs, func(a, b Referral) int { return b.Claimed.Compare(a.Claimed) })
	return rs, nil
}

// Case returns a referral and its history.
func (d *Desk) Case(ctx context.Context, ref string, by Worker) (CaseFile, error) {
	if err := d.check(ctx, by); err != nil {
		return CaseFile{}, err
	}
	r, err := d.st.Referral(ctx, ref)
	if err != nil {
		return CaseFile{}, fmt.Errorf("case %s: %w", ref, err)
	}
	h, err := d.st.History(ctx, ref)
	if err != nil {
		return CaseFile{}, fmt.Errorf("case %s: %w", ref, err)
	}
	return CaseFile{Referral: r, History: h}, nil
}

// Note adds a worker's note to the history. Notes may be added to a closed
// referral, not to an erased one.
func (d *Desk) Note(ctx context.Context, ref string, w Worker, text string) (Referral, error) {
	if err := d.check(ctx, w); err != nil {
		return Referral{}, err
	}
	now := d.now()
	r, err := d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
		if r.IsErased() {
			return Change{}, ErrErased
		}
		return Change{Events: []Event{{At: now, Kind: EventNote, Actor: w, Text: strings.TrimSpace(text)}}}, nil
	})
	if err != nil {
		return Referral{}, fmt.Errorf("note %s: %w", ref, err)
	}
	d.log.InfoContext(ctx, "referral note", slog.String("ref", ref), slog.Int64("worker", w.ID))
	return r, nil
}

// Close ends a referral with an outcome and an optional note. Any authorised
// worker may close, whether or not they hold it: a colleague covers leave.
func (d *Desk) Close(ctx context.Context, ref string, w Worker, outcome Outcome, note string) (Referral, error) {
	if err := d.check(ctx, w); err != nil {
		return Referral{}, err
	}
	if !outcome.Valid() {
		return Referral{}, ErrBadOutcome
	}
	now := d.now()
	r, err := d.updateOpen(ctx, ref, func(r *Referral) (Change, error) {
		r.Status, r.Outcome, r.Closed = StatusClosed, outcome, now
		r.NextReminder = time.Time{}
		text := string(outcome)
		if note = strings.TrimSpace(note); note != "" {
			text += ": " + note
		}
		return Change{Events: []Event{{At: now, Kind: EventClosed, Actor: w, Text: text}}}, nil
	})
	if err != nil {
		return Referral{}, fmt.Errorf("close %s: %w", ref, err)
	}
	d.log.InfoContext(ctx, "referral closed", slog.String("ref", ref), slog.Int64("worker", w.ID), slog.String("outcome", string(outcome)))
	return r, nil
}

// Reassign gives a referral to another authorised worker. from is who does
// it; they need not hold it. An unclaimed referral becomes claimed by to.
func (d *Desk) Reassign(ctx context.Context, ref string, from, to Worker) (Referral, error) {
	if err := d.check(ctx, from); err != nil {
		return Referral{}, err
	}
	if err := d.check(ctx, to); err != nil {
		return Referral{}, fmt.Errorf("reassign %s to %d: %w", ref, to.ID, err)
	}
	now := d.now()
	r, err := d.updateOpen(ctx, ref, func(r *Referral) (Change, error) {
		if r.Held() && r.Holder.ID == to.ID {
			return Change{}, nil
		}
		if r.Status == StatusNew {
			r.Status, r.Claimed = StatusClaimed, now
			r.NextReminder = time.Time{}
		}
		r.Holder = to
		return Change{Events: []Event{{At: now, Kind: EventReassigned, Actor: from, Text: to.Name}}}, nil
	})
	if err != nil {
		return Referral{}, fmt.Errorf("reassign %s: %w", ref, err)
	}
	d.log.InfoContext(ctx, "referral reassigned", slog.String("ref", ref), slog.Int64("from", from.ID), slog.Int64("to", to.ID))
	return r, nil
}

// RecordToPerson records that w sent the person a message through the bot;
// the bot sends it after this succeeds. The first one sets the time of first
// contact and the status in_contact. It needs a claimed referral.
func (d *Desk) RecordToPerson(ctx context.Context, ref string, w Worker) (Referral, error) {
	if err := d.check(ctx, w); err != nil {
		return Referral{}, err
	}
	now := d.now()
	r, err := d.updateOpen(ctx, ref, func(r *Referral) (Change, error) {
		if r.Status == StatusNew {
			return Change{}, ErrNotClaimed
		}
		if r.FirstContact.IsZero() {
			r.FirstContact = now
		}
		r.Status = StatusInContact
		return Change{Events: []Event{{At: now, Kind: EventToPerson, Actor: w}}}, nil
	})
	if err != nil {
		return Referral{}, fmt.Errorf("message to person %s: %w", ref, err)
	}
	d.log.InfoContext(ctx, "message to person", slog.String("ref", ref), slog.Int64("worker", w.ID))
	return r, nil
}

// RecordFromPerson records that the person wrote to their open referral; the
// bot then shows it in the team's group, to the holder if there is one.
func (d *Desk) RecordFromPerson(ctx context.Context, ref string) (Referral, error) {
	now := d.now()
	r, err := d.updateOpen(ctx, ref, func(r *Referral) (Change, error) {
		r.LastFromPerson = now
		return Change{Events: []Event{{At: now, Kind: EventFromPerson}}}, nil
	})
	if err != nil {
		return Referral{}, fmt.Errorf("message from person %s: %w", ref, err)
	}
	d.log.InfoContext(ctx, "message from person", slog.String("ref", ref))
	return r, nil
}

// OpenCaseOf returns the person's most recent open referral, so that what they
// write reaches it.
func (d *Desk) OpenCaseOf(ctx context.Context, user int64) (string, bool, error) {
	refs, err := d.st.PersonReferrals(ctx, user)
	if err != nil {
		return "", false, fmt.Errorf("open case of %d: %w", user, err)
	}
	rs, err := d.st.Referrals(ctx, refs)
	if err != nil {
		return "", false, fmt.Errorf("open case of %d: %w", user, err)
	}
	for _, r := range rs {
		if r.Open() && !r.IsErased() && r.User == user {
			return r.Ref, true, nil
		}
	}
	return "", false, nil
}

// SetCard records that the bot posted ref's card as (chat, message), so that a
// worker's reply to that message reaches the case. Every post is a history
// entry; the first sets the time the referral reached the team.
func (d *Desk) SetCard(ctx context.Context, ref string, chat, message int64) (Referral, error) {
	if err := d.st.PutCard(ctx, chat, message, ref); err != nil {
		return Referral{}, fmt.Errorf("set card %s: %w", ref, err)
	}
	now := d.now()
	r, err := d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
		if r.Card == (Card{Chat: chat, Message: message}) {
			return Change{}, nil
		}
		r.Card = Card{Chat: chat, Message: message}
		if r.Posted.IsZero() {
			r.Posted = now
		}
		return Change{Events: []Event{{At: now, Kind: EventPosted}}}, nil
	})
	if err != nil {
		return Referral{}, fmt.Errorf("set card %s: %w", ref, err)
	}
	return r, nil
}

// RefByCard returns the referral a card message in a group shows.
func (d *Desk) RefByCard(ctx context.Context, chat, message int64) (string, bool, error) {
	ref, err := d.st.CardRef(ctx, chat, message)
	if err != nil {
		return "", false, fmt.Errorf("card %d/%d: %w", chat, message, err)
	}
	return ref, ref != "", nil
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
