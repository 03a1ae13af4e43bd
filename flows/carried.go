package flows

import (
	"context"
	"errors"
	"fmt"
)

// Carried is the outcome of HandleCarried.
type Carried struct {
	// Out is everything the step produced, in order.
	Out []Out
	// Committed is true when the outcome was committed to the store: the
	// person has a stored session (they had one, or consented just now) or
	// was erased; what to show is then in the outbox, as with HandleClaim.
	Committed bool
	// Claimed is what the lease took, when Committed and a lease was asked.
	Claimed Claimed
	// Carry is the session for the device to keep until the person
	// consents; nil once it is stored, or when there is nothing to keep.
	Carry []byte
}

// HandleCarried is HandleClaim for a person whose device keeps their session
// until they consent to it being stored (the web chat keeps nothing of a
// visitor who never consents). When the store holds a session for user,
// carried is ignored and the event is handled and committed as HandleClaim
// does. Otherwise carried (nil: a new person) is stepped instead: once the
// person has consented the outcome is committed as a new session with its
// outbox; before that nothing is written and the new session comes back in
// Carry, with what to show in Out. The effects of a step before consent (an
// urgent flag for crisis words) are still committed, alone, through an
// erasing write, so that they run at least once however the device fares;
// an erasure effect is dropped, there being nothing stored to erase.
//
// carried is trusted: the caller must have checked that it is the session
// it gave this person (the web chat signs it).
func (r *Runner) HandleCarried(ctx context.Context, user int64, carried []byte, ev Event, lease Lease) (Carried, error) {
	if ev.Nonce == "" {
		ev.Nonce = r.cfg.Nonce()
	}
	for attempt := 1; attempt <= r.cfg.MaxAttempts; attempt++ {
		res, err := r.tryCarried(ctx, user, carried, ev, lease)
		if errors.Is(err, ErrConflict) {
			continue
		}
		return res, err
	}
	return Carried{}, fmt.Errorf("handle event for %d: %w after %d attempts", user, ErrConflict, r.cfg.MaxAttempts)
}

func (r *Runner) tryCarried(ctx context.Context, user int64, carried []byte, ev Event, lease Lease) (Carried, error) {
	rec, err := r.store.Load(ctx, user)
	if err != nil {
		return Carried{}, fmt.Errorf("load session: %w", err)
	}
	if rec.Data != nil {
		var claimed Claimed
		out, err := r.try(ctx, user, ev, lease, &claimed)
		return Carried{Out: out, Committed: true, Claimed: claimed}, err
	}
	s := Session{User: user}
	if carried != nil {
		if s, err = DecodeSession(carried); err != nil {
			r.cfg.Logger.Warn("carried session unreadable, starting afresh", "user", user, "err", err)
			s = Session{}
		}
		s.User = user
	}
	if ev.Local == nil {
		ev.Local = r.cfg.Local
	}
	now := r.cfg.Now()
	res := Step(r.bundle(ctx, s), s, r.hours(ev, now), now)
	if res.Session.Consent && !res.Erase {
		c := Commit{User: user, Version: 0, UpdateID: ev.UpdateID, TTL: r.cfg.SessionTTL, Lease: lease}
		var claimed Claimed
		if lease.Owner != "" {
			c.Claimed = &claimed
		}
		if c.Session, err = res.Session.Encode(); err != nil {
			return Carried{}, err
		}
		if c.Outbox, err = encodeOuts(res.Out); err != nil {
			return Carried{}, err
		}
		if _, err := r.store.Commit(ctx, c); err != nil {
			return Carried{}, err
		}
		r.cfg.Logger.Debug("step", "user", user, "event", ev.Kind, "node", res.Session.Node, "out", len(res.Out), "consented", true)
		return Carried{Out: res.Out, Committed: true, Claimed: claimed}, nil
	}

	var effects []Out
	for _, o := range res.Out {
		if o.Kind == OutEffect && o.Effect != nil && o.Effect.Kind != EffectErased {
			effects = append(effects, o)
		}
	}
	out := Carried{Out: res.Out}
	if !res.Erase || res.Session.Young {
		if out.Carry, err = res.Session.Encode(); err != nil {
			return Carried{}, err
		}
	}
	if len(effects) > 0 {
		c := Commit{User: user, Version: 0, TTL: r.cfg.SessionTTL, Lease: lease}
		if lease.Owner != "" {
			c.Claimed = &out.Claimed
		}
		if c.Outbox, err = encodeOuts(effects); err != nil {
			return Carried{}, err
		}
		if _, err := r.store.Commit(ctx, c); err != nil {
			return Carried{}, err
		}
		out.Committed = true
	}
	r.cfg.Logger.Debug("step", "user", user, "event", ev.Kind, "node", res.Session.Node, "out", len(res.Out), "carried", true)
	return out, nil
}

// encodeOuts returns the stored forms of outs (EncodeOut's), written into
// one buffer.
func encodeOuts(outs []Out) ([][]byte, error) {
	if len(outs) == 0 {
		return nil, nil
	}
	n := 0
	for i := range outs {
		n += outSize(&outs[i])
	}
	enc := make([][]byte, 0, len(outs))
	buf := make([]byte, 0, n)
	for i := range outs {
		start := len(buf)
		var err error
		if buf, err = appendOut(buf, &outs[i]); err != nil {
			return nil, err
		}
		enc = append(enc, buf[start:len(buf):len(buf)])
	}
	return enc, nil
}
