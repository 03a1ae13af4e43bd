package handoff

import (
	"context"
	"fmt"
	"slices"
)

// Access is what a signed-in worker may do: see and act on the cases of
// Teams; a Manager sees every team's cases and the figures.
type Access struct {
	Worker  Worker
	Teams   []Team
	Manager bool
}

// Can reports whether the worker may see and act on team's cases.
func (a Access) Can(t Team) bool { return a.Manager || slices.Contains(a.Teams, t) }

// AuthConfig says who belongs to which team.
type AuthConfig struct {
	// LinkWorkers are the link workers' Telegram user ids (LINKWORKER_IDS).
	LinkWorkers []int64
	// LeavingCare are the leaving-care team's ids (LEAVING_CARE_IDS).
	LeavingCare []int64
	// Managers see every team and the figures (MANAGER_IDS).
	Managers []int64
	// SeparateLeavingCare says the leaving-care team works on its own (it
	// has its own group or ids). Without it the link workers take care
	// leavers too, as their cards then come to the link workers' group.
	SeparateLeavingCare bool
	// Member reports the teams whose group the user belongs to now; the bot
	// asks Telegram. An error refuses the caller rather than guess.
	Member func(ctx context.Context, user int64) ([]Team, error)
}

// Authoriser decides who may act as a link worker, and for which teams. The
// zero Authoriser allows nobody, so a misconfigured deployment shows
// strangers nothing.
type Authoriser struct {
	ids      map[int64][]Team
	managers map[int64]bool
	separate bool
	member   func(ctx context.Context, user int64) ([]Team, error)
}

// NewAuthoriser returns the Authoriser of c.
func NewAuthoriser(c AuthConfig) Authoriser {
	a := Authoriser{ids: map[int64][]Team{}, managers: map[int64]bool{}, separate: c.SeparateLeavingCare, member: c.Member}
	add := func(ids []int64, t Team) {
		for _, id := range ids {
			if id != 0 && !slices.Contains(a.ids[id], t) {
				a.ids[id] = append(a.ids[id], t)
			}
		}
	}
	add(c.LinkWorkers, TeamLinkWorkers)
	add(c.LeavingCare, TeamLeavingCare)
	for _, id := range c.Managers {
		if id != 0 {
			a.managers[id] = true
		}
	}
	return a
}

// Access returns what user may do, or an error wrapping ErrNotAuthorised
// when they belong to no team.
func (a Authoriser) Access(ctx context.Context, w Worker) (Access, error) {
	if w.ID == 0 {
		return Access{}, ErrNotAuthorised
	}
	acc := Access{Worker: w, Manager: a.managers[w.ID]}
	acc.Teams = append(acc.Teams, a.ids[w.ID]...)
	if a.member != nil && !acc.Manager {
		teams, err := a.member(ctx, w.ID)
		switch {
		case err != nil && len(acc.Teams) == 0:
			return Access{}, fmt.Errorf("%w: membership check: %v", ErrNotAuthorised, err)
		case err == nil:
			for _, t := range teams {
				if !slices.Contains(acc.Teams, t) {
					acc.Teams = append(acc.Teams, t)
				}
			}
		}
	}
	if !a.separate && slices.Contains(acc.Teams, TeamLinkWorkers) && !slices.Contains(acc.Teams, TeamLeavingCare) {
		acc.Teams = append(acc.Teams, TeamLeavingCare)
	}
	if acc.Manager {
		acc.Teams = slices.Clone(Teams)
	}
	if len(acc.Teams) == 0 {
		return Access{}, ErrNotAuthorised
	}
	slices.Sort(acc.Teams)
	return acc, nil
}

// access refuses a worker who belongs to no team, before anything is read.
func (d *Desk) access(ctx context.Context, w Worker) (Access, error) {
	return d.auth.Access(ctx, w)
}

// accessTeam is access for a worker who must be allowed team's cases.
func (d *Desk) accessTeam(ctx context.Context, w Worker, team Team) (Access, error) {
	acc, err := d.access(ctx, w)
	if err != nil {
		return Access{}, err
	}
	if !acc.Can(team) {
		return Access{}, &OtherTeamError{Team: team}
	}
	return acc, nil
}

// Access returns what w may do, or an error wrapping ErrNotAuthorised. The
// console asks it at sign-in and on every request.
func (d *Desk) Access(ctx context.Context, w Worker) (Access, error) { return d.access(ctx, w) }

// allowed refuses acc for r's team with ErrOtherTeam.
func allowed(acc Access, r *Referral) error {
	if !acc.Can(r.Team) {
		return &OtherTeamError{Ref: r.Ref, Team: r.Team}
	}
	return nil
}

// OtherTeamError says a referral belongs to a team the worker is not in.
type OtherTeamError struct {
	Ref  string
	Team Team
}

func (e *OtherTeamError) Error() string {
	return fmt.Sprintf("handoff: %s belongs to the %s team", e.Ref, e.Team)
}

// Unwrap makes errors.Is(err, ErrNotAuthorised) hold.
func (e *OtherTeamError) Unwrap() error { return ErrNotAuthorised }
