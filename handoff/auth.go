package handoff

import (
	"context"
	"fmt"
)

// Authoriser decides who may act as a link worker. A Telegram user is
// allowed when their id is in IDs (LINKWORKER_IDS) or, if Member is set, when
// Member says they belong to a team's group. The zero Authoriser allows
// nobody, so a misconfigured deployment shows strangers nothing.
type Authoriser struct {
	IDs map[int64]bool
	// Member reports whether the user belongs to a team's group; the bot
	// asks Telegram (getChatMember). An error refuses the caller.
	Member func(ctx context.Context, user int64) (bool, error)
}

// NewAuthoriser allows the ids given and, if member is not nil, whoever it
// reports as a member.
func NewAuthoriser(ids []int64, member func(ctx context.Context, user int64) (bool, error)) Authoriser {
	a := Authoriser{IDs: make(map[int64]bool, len(ids)), Member: member}
	for _, id := range ids {
		if id != 0 {
			a.IDs[id] = true
		}
	}
	return a
}

// Check returns nil if user may act, or an error wrapping ErrNotAuthorised.
func (a Authoriser) Check(ctx context.Context, user int64) error {
	if user == 0 {
		return ErrNotAuthorised
	}
	if a.IDs[user] {
		return nil
	}
	if a.Member == nil {
		return ErrNotAuthorised
	}
	ok, err := a.Member(ctx, user)
	if err != nil {
		// Refuse rather than guess: the worker can try again.
		return fmt.Errorf("%w: membership check: %v", ErrNotAuthorised, err)
	}
	if !ok {
		return ErrNotAuthorised
	}
	return nil
}

// check refuses a worker who may not act, before anything is read.
func (d *Desk) check(ctx context.Context, w Worker) error {
	return d.auth.Check(ctx, w.ID)
}
