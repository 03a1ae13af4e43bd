package handoff

import (
	"context"
	"fmt"
	"time"
)

// UndeliveredAfter is how long a new referral may wait for its card to
// reach the team's group before it counts as undelivered: the sender needs
// a moment, and a group takes a message every three seconds.
const UndeliveredAfter = 2 * time.Minute

// Waiting is what the metrics show of the queues at one moment.
type Waiting struct {
	// Count is the unclaimed referrals of each team, by priority.
	Count map[Team]map[Priority]int
	// OldestUrgent is when the oldest unclaimed urgent referral was made;
	// zero when none waits.
	OldestUrgent time.Time
	// Undelivered counts the unclaimed referrals whose card has not reached
	// the team's group UndeliveredAfter after they were made: the bot out of
	// the group, or Telegram refusing it.
	Undelivered int
}

// Waiting reads the teams' queues at now.
func (d *Desk) Waiting(ctx context.Context, now time.Time) (Waiting, error) {
	w := Waiting{Count: map[Team]map[Priority]int{}}
	for _, team := range Teams {
		w.Count[team] = map[Priority]int{PriorityUrgent: 0, PriorityHigh: 0, PriorityRoutine: 0}
		refs, err := d.st.QueueRefs(ctx, team)
		if err != nil {
			return w, fmt.Errorf("queue of %s: %w", team, err)
		}
		rs, err := d.st.Referrals(ctx, refs)
		if err != nil {
			return w, fmt.Errorf("queue of %s: %w", team, err)
		}
		for _, r := range rs {
			if r.Status != StatusNew || r.IsErased() || r.Team != team {
				continue
			}
			p := PriorityOf(r)
			w.Count[team][p]++
			if p == PriorityUrgent && (w.OldestUrgent.IsZero() || r.Created.Before(w.OldestUrgent)) {
				w.OldestUrgent = r.Created
			}
			if r.Card.Message == 0 && now.Sub(r.Created) >= UndeliveredAfter {
				w.Undelivered++
			}
		}
	}
	return w, nil
}
