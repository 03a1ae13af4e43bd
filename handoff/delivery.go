package handoff

import (
	"context"
	"fmt"
	"log/slog"
)

// Delivered records what became of the message id to ref's person, as the
// channel reports it. A message the person never got because they blocked
// the bot is said so to the team, beside the card, and on the case. The same
// report twice changes nothing.
func (d *Desk) Delivered(ctx context.Context, ref, id string, how Delivery) (Notices, error) {
	h, err := d.st.History(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("delivery of %s/%s: %w", ref, id, err)
	}
	var author Worker
	found := false
	for _, e := range h {
		switch {
		case e.Kind == EventToPerson && e.ID == id:
			author, found = e.Actor, true
		case e.Kind == EventDelivery && e.ID == id && e.Delivery == how:
			return nil, nil
		}
	}
	if !found {
		return nil, nil // not a message of this case: nothing to record
	}
	now := d.now()
	r, err := d.st.UpdateReferral(ctx, ref, func(r *Referral) (Change, error) {
		return Change{Events: []Event{{At: now, Kind: EventDelivery, ID: id, Delivery: how, Actor: author}}}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("delivery of %s/%s: %w", ref, id, err)
	}
	d.log.InfoContext(ctx, "message to person delivery", slog.String("ref", ref), slog.String("id", id), slog.String("delivery", string(how)))
	switch how {
	case DeliveryBlocked:
		return Notices{team(r, ref+": the message from "+author.Name+" did not reach the person: they have blocked the bot. "+
			"Nothing more can reach them here until they unblock it.")}, nil
	case DeliveryFailed:
		return Notices{team(r, ref+": the message from "+author.Name+" could not be delivered to the person.")}, nil
	}
	return nil, nil
}
