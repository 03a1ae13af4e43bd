package handoff

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// KnownWorker is a worker as signpost last saw them: in a team's group, at a
// button, or signing in to the console. It is what a reassignment offers and
// how an @username is found.
type KnownWorker struct {
	Worker
	// Username is their Telegram @username without the @, if they have one.
	Username string
	// Teams they were in when last seen.
	Teams []Team
	Seen  time.Time
}

// SeeWorker records w, with their @username if they have one, as an
// authorised worker of their teams now; an unauthorised one is not kept.
// Seeing the same worker again with nothing changed writes nothing.
func (d *Desk) SeeWorker(ctx context.Context, w Worker, username string) error {
	acc, err := d.access(ctx, w)
	if err != nil {
		return nil
	}
	return d.rememberWorker(ctx, acc, username)
}

func (d *Desk) rememberWorker(ctx context.Context, acc Access, username string) error {
	k := KnownWorker{Worker: acc.Worker, Username: strings.TrimPrefix(username, "@"), Teams: acc.Teams}
	if prev, ok := d.seen.Load(k.ID); ok {
		p := prev.(KnownWorker)
		if p.Name == k.Name && p.Username == k.Username && slices.Equal(p.Teams, k.Teams) && d.now().Sub(p.Seen) < 24*time.Hour {
			return nil
		}
	}
	k.Seen = d.now()
	if err := d.st.PutWorker(ctx, k); err != nil {
		return fmt.Errorf("see worker %d: %w", k.ID, err)
	}
	d.seen.Store(k.ID, k)
	return nil
}

// WorkerByHandle finds a worker by their @username, as seen before.
func (d *Desk) WorkerByHandle(ctx context.Context, handle string) (Worker, bool, error) {
	k, ok, err := d.st.WorkerByHandle(ctx, strings.ToLower(strings.TrimPrefix(handle, "@")))
	if err != nil {
		return Worker{}, false, fmt.Errorf("worker @%s: %w", handle, err)
	}
	return k.Worker, ok, nil
}

// Colleagues lists the known workers of team, by name, for w to pass a case
// to. w must be allowed to see team's cases.
func (d *Desk) Colleagues(ctx context.Context, w Worker, team Team) ([]KnownWorker, error) {
	if _, err := d.accessTeam(ctx, w, team); err != nil {
		return nil, err
	}
	all, err := d.st.Workers(ctx)
	if err != nil {
		return nil, fmt.Errorf("colleagues: %w", err)
	}
	out := slices.DeleteFunc(all, func(k KnownWorker) bool { return !slices.Contains(k.Teams, team) })
	slices.SortFunc(out, func(a, b KnownWorker) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out, nil
}

// Worker returns a known worker by id, ok false if never seen.
func (d *Desk) Worker(ctx context.Context, id int64) (KnownWorker, bool, error) {
	all, err := d.st.Workers(ctx)
	if err != nil {
		return KnownWorker{}, false, err
	}
	for _, k := range all {
		if k.ID == id {
			return k, true, nil
		}
	}
	return KnownWorker{}, false, nil
}
