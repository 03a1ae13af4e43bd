package handoff

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Callback data of the on-call alerts' button: "ack:R-7K3QX".
const AckData = "ack:"

// DefaultOnCallAck is how long an on-call alert may wait to be acknowledged
// before it goes to the escalation chat (ONCALL_ACK_MINUTES).
const DefaultOnCallAck = 30 * time.Minute

// DefaultHighReminder is the working time after which an unclaimed
// high-priority referral is posted again (but see highReminder).
const DefaultHighReminder = 2 * time.Hour

// Closed reports whether the team is away at t: outside the service's
// hours, or on a bank holiday.
func (d *Desk) Closed(t time.Time) bool { return !d.cfg.Calendar.Open(t) }

// Opens is when the team is next at work after t (t itself when it is at
// work then), and false when the calendar shows no working time ahead.
func (d *Desk) Opens(t time.Time) (time.Time, bool) { return d.cfg.Calendar.NextOpen(t) }

// urgentNow schedules what a referral made urgent at now waits for: in
// hours, its card posted again UrgentReminder later if unclaimed; out of
// hours, the team at its next opening (no sooner) and, when there is an
// on-call chat, that chat now, with the escalation timer running unless
// someone on call has already acknowledged it. It reports whether the
// referral goes to on-call now.
func (d *Desk) urgentNow(r *Referral, now time.Time) bool {
	due := d.firstReminder(*r, now)
	if r.Status == StatusNew && (r.NextReminder.IsZero() || due.Before(r.NextReminder)) {
		r.NextReminder = due
	}
	if !d.Closed(now) || !d.cfg.OnCall {
		return false
	}
	d.markOnCall(r, now)
	return true
}

// markOnCall records r as sent to on-call at now and starts its escalation
// timer, once.
func (d *Desk) markOnCall(r *Referral, now time.Time) {
	if r.OnCall.IsZero() {
		r.OnCall = now
	}
	if d.cfg.Escalate && r.Acked.IsZero() && r.Escalated.IsZero() && r.EscalateAt.IsZero() {
		r.EscalateAt = now.Add(d.cfg.OnCallAck)
	}
}

// onCallNow is the on-call alert about the urgent referral r when the team
// is away now and there is an on-call chat. It goes with every flag out of
// hours, a repeat of the effect included: an alert is sent at least once.
func (d *Desk) onCallNow(r Referral) Notices {
	now := d.now()
	if !d.cfg.OnCall || !d.Closed(now) || !r.Open() || r.IsErased() || PriorityOf(r) != PriorityUrgent {
		return nil
	}
	return Notices{d.onCallNotice(r, now)}
}

// toOnCall sends the urgent referral of w to the on-call chat, when there is
// one.
func (d *Desk) toOnCall(w *dueWork, now time.Time) {
	if !d.cfg.OnCall {
		return
	}
	d.markOnCall(&w.r, now)
	w.notices = append(w.notices, d.onCallNotice(w.r, now))
	w.events = append(w.events, Event{At: now, Kind: EventOnCall})
}

// onCallNotice is the alert for the on-call chat about r at now.
func (d *Desk) onCallNotice(r Referral, now time.Time) Notice {
	return Notice{Kind: NoticeOnCall, Ref: r.Ref, Team: r.Team, Text: d.OnCallText(r, now)}
}

// OnCallText is the on-call chat's alert about r at now: the card, why it
// comes to on-call, and when the team is next in. Like the card, it holds
// nothing the person wrote.
func (d *Desk) OnCallText(r Referral, now time.Time) string {
	var b strings.Builder
	if d.Closed(now) {
		b.WriteString("On call: urgent, out of hours.")
		if opens, ok := d.Opens(now); ok {
			b.WriteString(" The team is back " + d.stamp(opens) + ".")
		}
	} else {
		b.WriteString("On call: urgent and unclaimed for " + minutes(d.cfg.UrgentReminder) + " in hours.")
	}
	b.WriteString(" The person was given the 24/7 crisis lines.")
	if d.cfg.Escalate {
		b.WriteString(" Please acknowledge within " + minutes(d.cfg.OnCallAck) + ", or it goes to escalation.")
	} else {
		b.WriteString(" Please acknowledge.")
	}
	b.WriteString("\n\n" + CardText(r))
	return fit(b.String())
}

// EscalateText is the escalation chat's alert about r: nobody on call
// acknowledged it within ack.
func EscalateText(r Referral, ack time.Duration) string {
	return fit("Escalation: urgent, and not acknowledged on call within " + minutes(ack) + ". The person was given the 24/7 crisis lines. Please acknowledge.\n\n" + CardText(r))
}

// AckedText is what an on-call alert says once acknowledged.
func (d *Desk) AckedText(r Referral) string {
	return fmt.Sprintf("%s acknowledged on call by %s at %s.", r.Ref, r.AckedBy.Name, d.stamp(r.Acked))
}

func minutes(d time.Duration) string {
	if m := int(d / time.Minute); m != 1 {
		return fmt.Sprintf("%d minutes", m)
	}
	return "1 minute"
}

// Acknowledge records that w, on call, has seen the urgent referral ref:
// its escalation is called off. The card stays in the team's queue until
// someone claims it. A second acknowledgement changes nothing and reports
// the first. The caller checks that w pressed the button in an on-call or
// escalation chat.
func (d *Desk) Acknowledge(ctx context.Context, ref string, w Worker) (Referral, Notices, error) {
	now := d.now()
	first := false
	r, err := d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
		if !r.Acked.IsZero() {
			return Change{}, errSkip
		}
		first = true
		r.Acked, r.AckedBy, r.EscalateAt = now, w, time.Time{}
		return Change{Events: []Event{{At: now, Kind: EventAcked, Actor: w}}}, nil
	})
	if err == errSkip {
		r, err = d.st.Referral(ctx, ref)
	}
	if err != nil {
		return Referral{}, nil, fmt.Errorf("acknowledge %s: %w", ref, err)
	}
	if !first {
		return r, nil, nil
	}
	d.log.InfoContext(ctx, "urgent referral acknowledged on call", slog.String("ref", ref), slog.Int64("worker", w.ID))
	return r, Notices{team(r, d.AckedText(r))}, nil
}
