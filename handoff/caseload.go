package handoff

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// updateOpen changes a referral that is still open and that acc may act on:
// one erased or closed is refused with ErrErased or ErrClosed, one of
// another team with an *OtherTeamError, before fn sees it. acc nil is the
// person's own doing.
func (d *Desk) updateOpen(ctx context.Context, acc *Access, ref string, fn func(r *Referral) (Change, error)) (Referral, error) {
	return d.updateKept(ctx, acc, ref, func(r *Referral) (Change, error) {
		if r.Status == StatusClosed {
			return Change{}, ErrClosed
		}
		return fn(r)
	})
}

// updateKept is updateOpen for a referral that may be closed but not erased.
func (d *Desk) updateKept(ctx context.Context, acc *Access, ref string, fn func(r *Referral) (Change, error)) (Referral, error) {
	return d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
		if acc != nil {
			if err := allowed(*acc, r); err != nil {
				return Change{}, err
			}
		}
		if r.IsErased() {
			return Change{}, ErrErased
		}
		return fn(r)
	})
}

// CaseFile is a referral with its history and its audit trail, for a worker
// who opened the case.
type CaseFile struct {
	Referral Referral
	History  []Event
	Audit    []AuditEntry
}

// Claim gives an unclaimed referral to w. Of workers claiming at once exactly
// one wins; the others get a *ClaimedError (errors.Is ErrAlreadyClaimed)
// naming the holder. Claiming a referral one already holds succeeds again.
func (d *Desk) Claim(ctx context.Context, ref string, w Worker) (Referral, Notices, error) {
	return d.ClaimCard(ctx, ref, w, Card{})
}

// ClaimCard is Claim by a press of the Claim button on the message pressed.
// A card is recorded just after it is posted, so a worker quick enough to
// press it in between claims a referral with no card on record: the claim
// then records the card pressed (the adapter's own record of it, when it
// comes, changes nothing), so that the card is redrawn in place rather than
// posted again, and does not lose its button as an older card would.
func (d *Desk) ClaimCard(ctx context.Context, ref string, w Worker, pressed Card) (Referral, Notices, error) {
	acc, err := d.access(ctx, w)
	if err != nil {
		return Referral{}, nil, err
	}
	now := d.now()
	r, err := d.updateOpen(ctx, &acc, ref, func(r *Referral) (Change, error) {
		switch {
		case r.Held() && r.Holder.ID == w.ID:
			return Change{}, nil
		case r.Held():
			return Change{}, &ClaimedError{Ref: r.Ref, Holder: r.Holder}
		}
		var events []Event
		if r.Card.Message == 0 && pressed.Message != 0 {
			r.Card = pressed
			if r.Posted.IsZero() {
				r.Posted = now
			}
			events = append(events, Event{At: now, Kind: EventPosted})
		}
		r.Status, r.Holder, r.Claimed = StatusClaimed, w, now
		r.NextReminder = time.Time{}
		r.EscalateAt = time.Time{} // whoever claims it has seen it
		return Change{Events: append(events, Event{At: now, Kind: EventClaimed, Actor: w})}, nil
	})
	if err != nil {
		return Referral{}, nil, fmt.Errorf("claim %s: %w", ref, err)
	}
	d.audit(ctx, ref, w, ActionClaimed)
	d.log.InfoContext(ctx, "referral claimed", slog.String("ref", ref), slog.Int64("worker", w.ID))
	return r, append(Notices{card(r)}, d.handOver(ctx, r, w)...), nil
}

// handOver gives the worker who now holds r what the card leaves out, in a
// private message, when they took it in Telegram: in the console the case
// page shows it. The view is audited like any other.
func (d *Desk) handOver(ctx context.Context, r Referral, to Worker) Notices {
	if viaOf(ctx) == "console" || r.IsErased() {
		return nil
	}
	if err := d.st.AddAudit(ctx, r.Ref, AuditEntry{At: d.now(), Worker: to, Action: ActionViewed, Via: "telegram"}); err != nil {
		d.log.ErrorContext(ctx, "audit", slog.String("ref", r.Ref), slog.Any("err", err))
		return nil
	}
	text := CardText(r) + "\n\n" + DetailText(r) + "\nReply to this message to write to the person."
	return Notices{{Kind: NoticeWorker, Ref: r.Ref, Team: r.Team, To: to, Text: fit(text)}}
}

// Filter narrows the open cases a worker lists. Zero fields match all.
type Filter struct {
	Team   Team
	Status Status
	Need   string
	Source string // a source kind: gp, pa, friend, social, other, unknown
}

// Cases lists a page of the open referrals of the teams w may see that
// match f, most pressing first: by priority, then oldest first; offset and
// limit choose the page, and total is how many match. Without a filter but
// the team it reads only what the page needs; with one it reads the compact
// summaries of every open referral of the teams, never the referrals.
func (d *Desk) Cases(ctx context.Context, w Worker, f Filter, offset, limit int) (page []Summary, total int, err error) {
	acc, err := d.access(ctx, w)
	if err != nil {
		return nil, 0, err
	}
	plain := f.Status == "" && f.Need == "" && f.Source == ""
	var all []Summary
	for _, t := range Teams {
		if !acc.Can(t) || (f.Team != "" && f.Team != t) {
			continue
		}
		if plain {
			ss, n, err := d.st.OpenFirst(ctx, t, offset+limit)
			if err != nil {
				return nil, 0, fmt.Errorf("cases of %s: %w", t, err)
			}
			all, total = append(all, ss...), total+n
			continue
		}
		ss, err := d.st.OpenMatching(ctx, t, f)
		if err != nil {
			return nil, 0, fmt.Errorf("cases of %s: %w", t, err)
		}
		all = append(all, ss...)
		total = len(all)
	}
	SortSummaries(all)
	return all[min(offset, len(all)):min(offset+limit, len(all))], total, nil
}

// SortSummaries orders open cases as the queue shows them: by priority, then
// oldest first, then by reference. It sorts keys, then moves each summary
// once: a summary is large to swap.
func SortSummaries(ss []Summary) {
	type key struct {
		rank    int
		created int64
		ref     string
		i       int
	}
	keys := make([]key, len(ss))
	for i, s := range ss {
		keys[i] = key{s.Priority.Rank(), s.Created.UnixNano(), s.Ref, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if a.created != b.created {
			return cmp.Compare(a.created, b.created)
		}
		return strings.Compare(a.ref, b.ref)
	})
	sorted := make([]Summary, len(ss))
	for j, k := range keys {
		sorted[j] = ss[k.i]
	}
	copy(ss, sorted)
}

// Queue lists team's unclaimed referrals, most pressing first: by priority,
// then oldest first.
func (d *Desk) Queue(ctx context.Context, team Team, by Worker) ([]Referral, error) {
	if _, err := d.accessTeam(ctx, by, team); err != nil {
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
		if ra, rb := PriorityOf(a).Rank(), PriorityOf(b).Rank(); ra != rb {
			return ra - rb
		}
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.Ref, b.Ref)
	})
	return rs, nil
}

// Mine lists the open referrals w holds, most recently claimed first.
func (d *Desk) Mine(ctx context.Context, w Worker) ([]Referral, error) {
	if _, err := d.access(ctx, w); err != nil {
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

// Case opens a referral for w: it, its history and its audit trail. The view
// is recorded in the audit trail first, so that no case is read unrecorded.
func (d *Desk) Case(ctx context.Context, ref string, w Worker) (CaseFile, error) {
	acc, err := d.access(ctx, w)
	if err != nil {
		return CaseFile{}, err
	}
	r, err := d.st.Referral(ctx, ref)
	if err != nil {
		return CaseFile{}, fmt.Errorf("case %s: %w", ref, err)
	}
	if err := allowed(acc, &r); err != nil {
		return CaseFile{}, err
	}
	if err := d.st.AddAudit(ctx, ref, AuditEntry{At: d.now(), Worker: w, Action: ActionViewed, Via: viaOf(ctx)}); err != nil {
		return CaseFile{}, fmt.Errorf("case %s: record the view: %w", ref, err)
	}
	h, err := d.st.History(ctx, ref)
	if err != nil {
		return CaseFile{}, fmt.Errorf("case %s: %w", ref, err)
	}
	a, err := d.st.Audit(ctx, ref)
	if err != nil {
		return CaseFile{}, fmt.Errorf("case %s: %w", ref, err)
	}
	return CaseFile{Referral: r, History: h, Audit: a}, nil
}

// Referral reads a referral for an adapter to draw what the team already
// sees, such as its card; it is no worker's view and is not audited.
func (d *Desk) Referral(ctx context.Context, ref string) (Referral, error) {
	return d.st.Referral(ctx, ref)
}

// Note adds a worker's note to the history. Notes may be added to a closed
// referral, not to an erased one.
func (d *Desk) Note(ctx context.Context, ref string, w Worker, text string) (Referral, Notices, error) {
	acc, err := d.access(ctx, w)
	if err != nil {
		return Referral{}, nil, err
	}
	now := d.now()
	r, err := d.updateKept(ctx, &acc, ref, func(r *Referral) (Change, error) {
		return Change{Events: []Event{{At: now, Kind: EventNote, Actor: w, Text: strings.TrimSpace(text)}}}, nil
	})
	if err != nil {
		return Referral{}, nil, fmt.Errorf("note %s: %w", ref, err)
	}
	d.audit(ctx, ref, w, ActionNoted)
	d.log.InfoContext(ctx, "referral note", slog.String("ref", ref), slog.Int64("worker", w.ID))
	return r, nil, nil
}

// Message sends w's words to the person of a claimed referral, through the
// person's own channel: it records the message first, then asks for it to be
// sent (a NoticePerson with a receipt). The first one sets the time of first
// contact and the status in_contact, and the card is redrawn.
func (d *Desk) Message(ctx context.Context, ref string, w Worker, text string) (Referral, Notices, error) {
	acc, err := d.access(ctx, w)
	if err != nil {
		return Referral{}, nil, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return Referral{}, nil, ErrEmpty
	}
	now := d.now()
	id := messageID()
	var before Status
	r, err := d.updateOpen(ctx, &acc, ref, func(r *Referral) (Change, error) {
		if r.Status == StatusNew {
			return Change{}, ErrNotClaimed
		}
		if r.User == 0 {
			return Change{}, ErrErased
		}
		before = r.Status
		if r.FirstContact.IsZero() {
			r.FirstContact = now
			d.followUpOnContact(r, now)
		}
		r.Status = StatusInContact
		return Change{Events: []Event{{At: now, Kind: EventToPerson, Actor: w, Text: text, ID: id}}}, nil
	})
	if err != nil {
		return Referral{}, nil, fmt.Errorf("message to person %s: %w", ref, err)
	}
	d.audit(ctx, ref, w, ActionMessaged)
	d.log.InfoContext(ctx, "message to person", slog.String("ref", ref), slog.Int64("worker", w.ID))
	ns := Notices{toPerson(r, FromWorker(w, text), id)}
	if before != r.Status {
		ns = append(ns, card(r)) // the card now says they are in contact
	}
	return r, ns, nil
}

// messageID names a message to the person, for its receipt.
func messageID() string {
	var b [6]byte
	rand.Read(b[:])
	return "m" + hex.EncodeToString(b[:])
}

// Close ends a referral with an outcome and an optional note, and tells the
// person. Any worker of the team may close, whether or not they hold it: a
// colleague covers leave.
func (d *Desk) Close(ctx context.Context, ref string, w Worker, outcome Outcome, note string) (Referral, Notices, error) {
	acc, err := d.access(ctx, w)
	if err != nil {
		return Referral{}, nil, err
	}
	if !d.validOutcome(outcome) {
		return Referral{}, nil, ErrBadOutcome
	}
	r, err := d.close(ctx, &acc, ref, w, outcome, note)
	if err != nil {
		return Referral{}, nil, err
	}
	d.audit(ctx, ref, w, ActionClosed)
	ns := Notices{card(r)}
	if r.User != 0 {
		ns = append(ns, toPerson(r, ClosedText(r), ""))
	}
	return r, ns, nil
}

// close closes ref; acc nil is the person's own doing.
func (d *Desk) close(ctx context.Context, acc *Access, ref string, w Worker, outcome Outcome, note string) (Referral, error) {
	now := d.now()
	r, err := d.updateOpen(ctx, acc, ref, func(r *Referral) (Change, error) {
		if acc != nil && r.Housing.Open() {
			// The person agreed to be referred to the housing options
			// team; the case stays open until that is done.
			return Change{}, ErrHousingOpen
		}
		r.Status, r.Outcome, r.Closed = StatusClosed, outcome, now
		r.NextReminder = time.Time{}
		d.followUpOnClose(r, now)
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

// Reassign gives a referral to another worker of its team. from is who does
// it; they need not hold it. An unclaimed referral becomes claimed by to.
func (d *Desk) Reassign(ctx context.Context, ref string, from, to Worker) (Referral, Notices, error) {
	acc, err := d.access(ctx, from)
	if err != nil {
		return Referral{}, nil, err
	}
	toAcc, err := d.access(ctx, to)
	if err != nil {
		return Referral{}, nil, fmt.Errorf("reassign %s to %d: %w", ref, to.ID, err)
	}
	now := d.now()
	r, err := d.updateOpen(ctx, &acc, ref, func(r *Referral) (Change, error) {
		if err := allowed(toAcc, r); err != nil {
			return Change{}, err
		}
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
		return Referral{}, nil, fmt.Errorf("reassign %s: %w", ref, err)
	}
	d.audit(ctx, ref, from, ActionReassigned)
	d.log.InfoContext(ctx, "referral reassigned", slog.String("ref", ref), slog.Int64("from", from.ID), slog.Int64("to", to.ID))
	return r, append(Notices{card(r)}, d.handOver(ctx, r, to)...), nil
}

// OpenCaseOf returns the person's most recent open referral, so that what they
// write reaches it.
func (d *Desk) OpenCaseOf(ctx context.Context, user int64) (string, bool, error) {
	r, ok, err := d.openCase(ctx, user)
	return r.Ref, ok, err
}

func (d *Desk) openCase(ctx context.Context, user int64) (Referral, bool, error) {
	refs, err := d.st.PersonReferrals(ctx, user)
	if err != nil {
		return Referral{}, false, fmt.Errorf("open case of %d: %w", user, err)
	}
	rs, err := d.st.Referrals(ctx, refs)
	if err != nil {
		return Referral{}, false, fmt.Errorf("open case of %d: %w", user, err)
	}
	for _, r := range rs {
		if r.Open() && !r.IsErased() && r.User == user {
			return r, true, nil
		}
	}
	return Referral{}, false, nil
}

// SetCard records that an adapter posted ref's card as (chat, message), so
// that a worker's reply to that message reaches the case. Every post is a
// history entry; the first sets the time the referral reached the team.
func (d *Desk) SetCard(ctx context.Context, ref string, chat, message int64) (Referral, error) {
	if err := d.st.PutCard(ctx, chat, message, ref); err != nil {
		return Referral{}, fmt.Errorf("set card %s: %w", ref, err)
	}
	now := d.now()
	if err := d.st.AddPost(ctx, ref, Post{Chat: chat, Message: message, At: now}); err != nil {
		return Referral{}, fmt.Errorf("set card %s: %w", ref, err)
	}
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

// Posted records that an adapter showed something about ref as (chat,
// message), so that erasure can take it down.
func (d *Desk) Posted(ctx context.Context, ref string, chat, message int64) error {
	if err := d.st.AddPost(ctx, ref, Post{Chat: chat, Message: message, At: d.now()}); err != nil {
		return fmt.Errorf("posted %s: %w", ref, err)
	}
	return nil
}

// PostOf is the record of a message shown about ref as (chat, message)
// now, for an adapter that has it stored with its own writes rather than
// through Posted: a delivery's acknowledgement carries it, so that
// recording a post costs no round trip of its own.
func (d *Desk) PostOf(ref string, chat, message int64) RefPost {
	return RefPost{Ref: ref, Post: Post{Chat: chat, Message: message, At: d.now()}}
}

// RefByCard returns the referral a card message in a group shows.
func (d *Desk) RefByCard(ctx context.Context, chat, message int64) (string, bool, error) {
	ref, err := d.st.CardRef(ctx, chat, message)
	if err != nil {
		return "", false, fmt.Errorf("card %d/%d: %w", chat, message, err)
	}
	return ref, ref != "", nil
}

// CardFor reads a referral for w to see what its card shows, which the
// whole team sees anyway: it checks w may see the team's cases and is not
// audited as a view of the case.
func (d *Desk) CardFor(ctx context.Context, ref string, w Worker) (Referral, error) {
	acc, err := d.access(ctx, w)
	if err != nil {
		return Referral{}, err
	}
	r, err := d.st.Referral(ctx, ref)
	if err != nil {
		return Referral{}, fmt.Errorf("card %s: %w", ref, err)
	}
	if err := allowed(acc, &r); err != nil {
		return Referral{}, err
	}
	return r, nil
}
