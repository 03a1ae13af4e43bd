package service

import (
	"context"
	"slices"
	"sync"
	"time"

	"signpost/handoff"
)

// memberCache asks Telegram which teams' groups a user belongs to and
// remembers a yes for a while, so a busy group does not ask on every press.
type memberCache struct {
	ttl time.Duration
	now func() time.Time

	mu    sync.Mutex
	ask   func(ctx context.Context, user int64) ([]handoff.Team, error)
	until map[int64]memberEntry
}

type memberEntry struct {
	teams []handoff.Team
	until time.Time
}

func (m *memberCache) setAsk(ask func(ctx context.Context, user int64) ([]handoff.Team, error)) {
	m.mu.Lock()
	m.ask = ask
	m.mu.Unlock()
}

// teams is the desk's membership check.
func (m *memberCache) teams(ctx context.Context, user int64) ([]handoff.Team, error) {
	m.mu.Lock()
	e, ok := m.until[user]
	ask := m.ask
	m.mu.Unlock()
	if ok && m.now().Before(e.until) {
		return slices.Clone(e.teams), nil
	}
	if ask == nil {
		return nil, nil
	}
	teams, err := ask(ctx, user)
	if err != nil || len(teams) == 0 {
		return nil, err
	}
	m.mu.Lock()
	m.until[user] = memberEntry{teams: teams, until: m.now().Add(m.ttl)}
	m.mu.Unlock()
	return slices.Clone(teams), nil
}
