package handoff

import (
	"context"
	"log/slog"
	"time"
)

// Action names an entry of a case's audit trail.
type Action string

// Actions. Every view of a case and every action on it is recorded, by whom
// and how (Via), in a trail that holds nothing of the person, so it outlives
// their erasure.
const (
	ActionViewed     Action = "viewed"
	ActionClaimed    Action = "claimed"
	ActionNoted      Action = "noted"
	ActionMessaged   Action = "messaged"
	ActionClosed     Action = "closed"
	ActionReassigned Action = "reassigned"
	ActionFollowUp   Action = "asked_follow_up"
	ActionHousing    Action = "housing_referred"
)

// Words is the action as the audit trail shows it.
func (a Action) Words() string {
	switch a {
	case ActionViewed:
		return "opened the case"
	case ActionClaimed:
		return "claimed it"
	case ActionNoted:
		return "added a note"
	case ActionMessaged:
		return "wrote to the person"
	case ActionClosed:
		return "closed it"
	case ActionReassigned:
		return "reassigned it"
	case ActionFollowUp:
		return "asked for follow-up answers"
	case ActionHousing:
		return "referred the person to the housing options team"
	}
	return string(a)
}

// AuditEntry is one line of a case's audit trail: who did what, when, and
// through which door ("console" or "telegram").
type AuditEntry struct {
	At     time.Time
	Worker Worker
	Action Action
	Via    string
}

type viaKey struct{}

// WithVia marks ctx as coming through via ("console", "telegram"), for the
// audit trail.
func WithVia(ctx context.Context, via string) context.Context {
	return context.WithValue(ctx, viaKey{}, via)
}

func viaOf(ctx context.Context) string {
	v, _ := ctx.Value(viaKey{}).(string)
	return v
}

// audit records an action already done. Failing to is logged: the action
// itself is in the history, with its worker and time, whatever happens here.
func (d *Desk) audit(ctx context.Context, ref string, w Worker, a Action) {
	if err := d.st.AddAudit(ctx, ref, AuditEntry{At: d.now(), Worker: w, Action: a, Via: viaOf(ctx)}); err != nil {
		d.log.ErrorContext(ctx, "audit", slog.String("ref", ref), slog.String("action", string(a)), slog.Any("err", err))
	}
}
