package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/handoff"
	"signpost/internal/roundtrip"
)

var _ handoff.Store = (*Store)(nil)

const (
	// effectTTL is how long the referral an effect went to is remembered.
	effectTTL = 30 * 24 * time.Hour
	// watchAttempts bounds the retries of a compare-and-set that keeps losing.
	watchAttempts = 100
	// dueBatch bounds the reminders taken at once; the next tick takes the rest.
	dueBatch = 200
	// ownerBatch is how many referrals Forget's fallback checks a round trip.
	ownerBatch = 500
)

// errContention means a compare-and-set lost watchAttempts times in a row.
var errContention = errors.New("store: too many concurrent writers")

// notFound is the handoff package's not-found, with the reference.
func notFound(ref string) error { return fmt.Errorf("referral %s: %w", ref, handoff.ErrNotFound) }

// CreateReferral writes r with its first event unless r.Ref is taken, in one
// script, and returns the referral stored under r.Ref and whether it is r.
// The caseload indexes of r go in the same round trip, after the script:
// every step of them is idempotent, so a repeat after a crash mends what
// the first attempt left out. When the reference was taken (a repeat of
// the effect, almost always the same referral), one more round trip brings
// the indexes in line with the referral stored.
func (s *Store) CreateReferral(ctx context.Context, r handoff.Referral, first handoff.Event) (handoff.Referral, bool, error) {
	if !validRef(r.Ref) {
		return handoff.Referral{}, false, fmt.Errorf("create referral: bad reference %q", r.Ref)
	}
	ev, err := encodeEvent(first)
	if err != nil {
		return handoff.Referral{}, false, err
	}
	fields := encodeReferral(r)
	args := make([]any, 0, 1+2*len(fields))
	args = append(args, ev)
	for _, f := range slices.Sorted(maps.Keys(fields)) {
		args = append(args, f, fields[f])
	}
	roundtrip.Of(ctx).Drop(memoReferral(r.Ref))
	keys := []string{s.keys.referral(r.Ref), s.keys.referralHistory(r.Ref)}
	p := s.rdb.Pipeline()
	after := s.withLater(ctx, p)
	held := p.Len()
	create := createReferralScript.EvalSha(ctx, p, keys, args...)
	s.reindexInto(ctx, p, nil, r)
	cmds, _ := p.Exec(ctx)
	after()
	cmds = cmds[held:] // the held writes answer for themselves (withLater)
	var perr error     // the indexes' (the script answers for itself)
	for _, c := range cmds {
		if c != create && c.Err() != nil {
			perr = c.Err()
			break
		}
	}
	if redis.HasErrorPrefix(create.Err(), "NOSCRIPT") {
		// Not loaded (a restart of Redis): the script alone, in full; the
		// indexes went all the same, and are mended below if need be.
		create = createReferralScript.Run(ctx, s.rdb, keys, args...)
	}
	res, err := create.StringSlice()
	stored, created := r, true
	switch {
	case errors.Is(err, redis.Nil):
	case err != nil:
		return handoff.Referral{}, false, fmt.Errorf("create referral %s: %w", r.Ref, err)
	default:
		m := make(map[string]string, len(res)/2)
		for i := 0; i+1 < len(res); i += 2 {
			m[res[i]] = res[i+1]
		}
		stored, created = decodeReferral(m), false
	}
	if created && perr != nil {
		return handoff.Referral{}, false, fmt.Errorf("create referral %s: index: %w", r.Ref, perr)
	}
	if !created {
		// The indexes were written for r: brought in line with what is
		// stored, the person's and the creation time's included.
		mend := s.rdb.Pipeline()
		s.reindexInto(ctx, mend, &r, stored)
		if r.User != 0 && r.User != stored.User {
			mend.ZRem(ctx, s.keys.personReferrals(r.User), r.Ref)
		}
		if stored.User != 0 {
			mend.ZAdd(ctx, s.keys.personReferrals(stored.User), redis.Z{Score: float64(stored.Created.UnixMilli()), Member: stored.Ref})
		}
		mend.ZAdd(ctx, s.keys.allReferrals(), redis.Z{Score: float64(stored.Created.UnixMilli()), Member: stored.Ref})
		if _, err := mend.Exec(ctx); err != nil {
			return handoff.Referral{}, false, fmt.Errorf("create referral %s: index: %w", r.Ref, err)
		}
	}
	if created {
		// As written: what the rest of the work reads of it, or changes
		// by compare-and-set, needs no round trip to read it back.
		keepReferral(roundtrip.Of(ctx), r.Ref, fields)
	}
	return stored, created, nil
}

// Referral loads one referral.
func (s *Store) Referral(ctx context.Context, ref string) (handoff.Referral, error) {
	if !validRef(ref) {
		return handoff.Referral{}, notFound(ref)
	}
	if k, ok := knownOf(ctx, ref); ok {
		if len(k.m) == 0 {
			return handoff.Referral{}, notFound(ref)
		}
		return k.referral(), nil
	}
	return s.readReferral(ctx, ref)
}

// readReferral loads one referral from Redis, whatever the update read
// before, and keeps what it read.
func (s *Store) readReferral(ctx context.Context, ref string) (handoff.Referral, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.referral(ref)).Result()
	if err != nil {
		return handoff.Referral{}, fmt.Errorf("referral %s: %w", ref, err)
	}
	keepReferral(roundtrip.Of(ctx), ref, m)
	if len(m) == 0 {
		return handoff.Referral{}, notFound(ref)
	}
	return decodeReferral(m), nil
}

// Referrals loads several referrals in one pipeline, in the order asked,
// leaving out those that do not exist.
func (s *Store) Referrals(ctx context.Context, refs []string) ([]handoff.Referral, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	w := roundtrip.Of(ctx)
	read := make([]*known, len(refs))
	var p redis.Pipeliner
	cmds := map[int]*redis.MapStringStringCmd{}
	for i, ref := range refs {
		if !validRef(ref) {
			continue
		}
		if k, ok := knownOf(ctx, ref); ok {
			read[i] = k
			continue
		}
		if p == nil {
			p = s.rdb.Pipeline()
		}
		cmds[i] = p.HGetAll(ctx, s.keys.referral(ref))
	}
	if len(cmds) > 0 {
		if _, err := p.Exec(ctx); err != nil {
			return nil, fmt.Errorf("referrals: %w", err)
		}
		for i, c := range cmds {
			read[i] = &known{m: c.Val()}
			w.Keep(memoReferral(refs[i]), read[i])
		}
	}
	out := make([]handoff.Referral, 0, len(refs))
	for _, k := range read {
		if k != nil && len(k.m) > 0 {
			out = append(out, k.referral())
		}
	}
	return out, nil
}

// History returns a referral's events, oldest first.
func (s *Store) History(ctx context.Context, ref string) ([]handoff.Event, error) {
	if !validRef(ref) {
		return nil, notFound(ref)
	}
	raw, err := s.rdb.LRange(ctx, s.keys.referralHistory(ref), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", ref, err)
	}
	out := make([]handoff.Event, 0, len(raw))
	for _, v := range raw {
		e, err := decodeEvent(v)
		if err != nil {
			return nil, fmt.Errorf("history %s: %w", ref, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// UpdateReferral applies fn to the stored referral with WATCH on its keys and
// writes the result, its new events and, when asked, its scrubbed history in
// one MULTI/EXEC; if another writer changed the referral meanwhile, it loads
// it again and calls fn again. An error from fn is returned as it is, with
// nothing written. The referral is rewritten whole (DEL then HSET), so a
// field fn empties is gone from Redis, not merely blank.
func (s *Store) UpdateReferral(ctx context.Context, ref string, fn func(*handoff.Referral) (handoff.Change, error)) (handoff.Referral, error) {
	if !validRef(ref) {
		return handoff.Referral{}, notFound(ref)
	}
	k, ok := knownOf(ctx, ref)
	if !ok {
		// Read, then compare-and-set on what was read: two round trips
		// where WATCH, read and MULTI/EXEC with the indexes take four.
		m, err := s.rdb.HGetAll(ctx, s.keys.referral(ref)).Result()
		if err != nil {
			return handoff.Referral{}, fmt.Errorf("referral %s: %w", ref, err)
		}
		if len(m) == 0 {
			return handoff.Referral{}, notFound(ref)
		}
		k = &known{m: m}
	}
	if len(k.m) > 0 {
		r, err := s.updateKnown(ctx, ref, k, fn)
		if !errors.Is(err, errStale) {
			return r, err
		}
	}
	hk, lk := s.keys.referral(ref), s.keys.referralHistory(ref)
	w := roundtrip.Of(ctx)
	w.Drop(memoReferral(ref))
	// What the work holds was meant to go before the change.
	if err := s.Flush(ctx); err != nil {
		return handoff.Referral{}, fmt.Errorf("update referral %s: %w", ref, err)
	}
	for range watchAttempts {
		var fields map[string]string
		var old, cur handoff.Referral
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			m, err := tx.HGetAll(ctx, hk).Result()
			if err != nil {
				return err
			}
			if len(m) == 0 {
				return notFound(ref)
			}
			old = decodeReferral(m)
			cur = cloneReferral(old)
			ch, err := fn(&cur)
			if err != nil {
				return err
			}
			fields = encodeReferral(cur)
			if maps.Equal(m, fields) && len(ch.Events) == 0 && !ch.Scrub {
				return nil
			}
			var history []any
			if ch.Scrub {
				if history, err = scrubbedHistory(ctx, tx, lk); err != nil {
					return err
				}
			}
			for _, e := range ch.Events {
				v, err := encodeEvent(e)
				if err != nil {
					return err
				}
				history = append(history, v)
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Del(ctx, hk)
				p.HSet(ctx, hk, fields)
				if ch.Scrub {
					p.Del(ctx, lk)
				}
				if len(history) > 0 {
					p.RPush(ctx, lk, history...)
				}
				return nil
			})
			return err
		}, hk, lk)
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		if err != nil {
			return handoff.Referral{}, err
		}
		if err := s.reindex(ctx, &old, cur); err != nil {
			return handoff.Referral{}, fmt.Errorf("update referral %s: %w", ref, err)
		}
		keepReferral(w, ref, fields)
		return cur, nil
	}
	return handoff.Referral{}, fmt.Errorf("update referral %s: %w", ref, errContention)
}

// scrubbedHistory is the history with every event's text removed.
func scrubbedHistory(ctx context.Context, tx *redis.Tx, key string) ([]any, error) {
	raw, err := tx.LRange(ctx, key, 0, -1).Result()
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(raw))
	for _, v := range raw {
		e, err := decodeEvent(v)
		if err != nil {
			return nil, err
		}
		e.Text = ""
		enc, err := encodeEvent(e)
		if err != nil {
			return nil, err
		}
		out = append(out, enc)
	}
	return out, nil
}

// reindex brings the caseload indexes in line with r, which was old (nil when
// r was just created or found at creation). Every step is idempotent, so it
// is safe to repeat and mends an index a crash left behind. The indexes are
// hints that readers check against the referral; this keeps them short.
func (s *Store) reindex(ctx context.Context, old *handoff.Referral, r handoff.Referral) error {
	p := s.rdb.Pipeline()
	after := s.withLater(ctx, p)
	held := p.Len()
	s.reindexInto(ctx, p, old, r)
	cmds, _ := p.Exec(ctx)
	after()
	if err := firstErr(cmds[held:]); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

// reindexInto adds to p what reindex sends.
func (s *Store) reindexInto(ctx context.Context, p redis.Pipeliner, old *handoff.Referral, r handoff.Referral) {
	if old == nil && r.User != 0 {
		roundtrip.Of(ctx).Drop(memoRefs(r.User))
		s.hints.add(r.User, r.Ref)
	}
	created := float64(r.Created.UnixMilli())
	if old == nil {
		p.ZAddNX(ctx, s.keys.allReferrals(), redis.Z{Score: created, Member: r.Ref})
		if r.User != 0 {
			p.ZAddNX(ctx, s.keys.personReferrals(r.User), redis.Z{Score: created, Member: r.Ref})
		}
	}
	waiting := r.Status == handoff.StatusNew && !r.IsErased()
	if waiting {
		p.ZAddNX(ctx, s.keys.queue(string(r.Team)), redis.Z{Score: created, Member: r.Ref})
	} else {
		p.ZRem(ctx, s.keys.queue(string(r.Team)), r.Ref)
	}
	if old != nil && old.Team != r.Team {
		p.ZRem(ctx, s.keys.queue(string(old.Team)), r.Ref)
	}
	next := redis.Z{Score: float64(r.Due().UnixMilli()), Member: r.Ref}
	// Waiting referrals are reminded; any open one flagged out of hours may
	// still have its on-call alert to escalate.
	scheduled := waiting || (r.Open() && !r.IsErased() && !r.EscalateAt.IsZero())
	switch {
	case !scheduled || r.Due().IsZero():
		p.ZRem(ctx, s.keys.reminders(), r.Ref)
	case old == nil:
		p.ZAddNX(ctx, s.keys.reminders(), next)
	case !old.Due().Equal(r.Due()):
		// Only a change moves the schedule: an unrelated update must not put
		// back a time that TakeDue has just moved on.
		p.ZAdd(ctx, s.keys.reminders(), next)
	}
	if old != nil && old.User != 0 && r.User == 0 {
		// Erased: the person's index no longer leads here.
		p.ZRem(ctx, s.keys.personReferrals(old.User), r.Ref)
	}
	if r.FollowUpNext.IsZero() || r.IsErased() {
		p.ZRem(ctx, s.keys.followUps(), r.Ref)
	} else {
		// Always written, so that a follow-up taken and left alone (not due
		// yet, or by a replica that stopped) gets its own time back.
		p.ZAdd(ctx, s.keys.followUps(), redis.Z{Score: float64(r.FollowUpNext.UnixMilli()), Member: r.Ref})
	}
	if old != nil && old.Held() && (!r.Held() || old.Holder.ID != r.Holder.ID) {
		p.ZRem(ctx, s.keys.held(old.Holder.ID), r.Ref)
	}
	if r.Held() {
		p.ZAddNX(ctx, s.keys.held(r.Holder.ID), redis.Z{Score: float64(r.Claimed.UnixMilli()), Member: r.Ref})
	}
	if old != nil && old.Team != r.Team {
		p.HDel(ctx, s.keys.open(string(old.Team)), r.Ref)
		p.ZRem(ctx, s.keys.openOrder(string(old.Team)), r.Ref)
	}
	if r.Listed() {
		sum := r.Summary()
		p.HSet(ctx, s.keys.open(string(r.Team)), r.Ref, encodeSummary(sum))
		p.ZAdd(ctx, s.keys.openOrder(string(r.Team)), redis.Z{Score: summaryScore(sum), Member: r.Ref})
	} else {
		p.HDel(ctx, s.keys.open(string(r.Team)), r.Ref)
		p.ZRem(ctx, s.keys.openOrder(string(r.Team)), r.Ref)
	}
	if old != nil && old.User != 0 && r.User == 0 {
		roundtrip.Of(ctx).Drop(memoRefs(old.User))
	}
}

// PersonReferrals returns the person's references, newest first.
func (s *Store) PersonReferrals(ctx context.Context, user int64) ([]string, error) {
	if w := roundtrip.Of(ctx); w != nil {
		if v, ok := w.Recall(memoRefs(user)); ok {
			return slices.Clone(v.([]string)), nil
		}
		return s.glance(ctx, w, user)
	}
	refs, err := s.rdb.ZRevRange(ctx, s.keys.personReferrals(user), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("referrals of %d: %w", user, err)
	}
	return refs, nil
}

// ReferralsOwnedBy finds the person's referrals by reading the owner of every
// referral, a batch a round trip. Forget uses it only when the person's index
// is already gone.
func (s *Store) ReferralsOwnedBy(ctx context.Context, user int64) ([]string, error) {
	all, err := s.rdb.ZRange(ctx, s.keys.allReferrals(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("owner scan: %w", err)
	}
	want := strconv.FormatInt(user, 10)
	var out []string
	for batch := range slices.Chunk(all, ownerBatch) {
		p := s.rdb.Pipeline()
		cmds := make([]*redis.StringCmd, len(batch))
		for i, ref := range batch {
			cmds[i] = p.HGet(ctx, s.keys.referral(ref), fUser)
		}
		if _, err := p.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("owner scan: %w", err)
		}
		for i, c := range cmds {
			if c.Val() == want {
				out = append(out, batch[i])
			}
		}
	}
	return out, nil
}

// QueueRefs returns the references queued for team, oldest first.
func (s *Store) QueueRefs(ctx context.Context, team handoff.Team) ([]string, error) {
	return s.rdb.ZRange(ctx, s.keys.queue(string(team)), 0, -1).Result()
}

// HeldRefs returns the references a worker holds, most recently claimed first.
func (s *Store) HeldRefs(ctx context.Context, worker int64) ([]string, error) {
	return s.rdb.ZRevRange(ctx, s.keys.held(worker), 0, -1).Result()
}

// figureFields are the fields of a referral the figures read: what
// Referral.anonymous keeps, and the chat id only to tell one person's
// referrals apart when they have no anonymous key.
var figureFields = []string{
	fRef, fUser, fPerson, fTeam, fStatus, fUrgent, fPriority, fReasons, fChannel, fAge, fCareLeaver,
	fNeeds, fSource, fOnsLife, fOnsWorth, fOnsHappy, fOnsAnxious, fLonely, fCreated, fClaimed,
	fFirstContact, fClosed, fOutcome, fErased, fFollowLife, fFollowWorth, fFollowHappy, fFollowAnxious,
	fFollowLonely, fFollowAt, fErasedWhy, fRisks,
}

// RefsCreated returns the references of the referrals created in [from,
// to), oldest first.
func (s *Store) RefsCreated(ctx context.Context, from, to time.Time) ([]string, error) {
	refs, err := s.rdb.ZRangeByScore(ctx, s.keys.allReferrals(), &redis.ZRangeBy{
		Min: strconv.FormatInt(from.UnixMilli(), 10),
		Max: "(" + strconv.FormatInt(to.UnixMilli(), 10),
	}).Result()
	if err != nil {
		return nil, fmt.Errorf("referrals created: %w", err)
	}
	return refs, nil
}

// figureBatch is how many referrals EachCreated reads a round trip.
const figureBatch = 1000

// hmgetFigures is the start of the HMGET of figureFields, with the fields
// as interface values made once rather than for each of a year's
// referrals.
var hmgetFigures = func() []any {
	args := make([]any, 0, 2+len(figureFields))
	args = append(args, "hmget", "")
	for _, f := range figureFields {
		args = append(args, f)
	}
	return args
}()

// EachCreated calls fn with each referral created in [from, to), oldest
// first, reading figureBatch a round trip and only figureFields of each, so
// that a year of a large service is read in seconds, in little memory, and
// without a name or a word anybody wrote. The next batch is read while fn
// sees the one before.
func (s *Store) EachCreated(ctx context.Context, from, to time.Time, fn func(handoff.Referral) error) error {
	refs, err := s.RefsCreated(ctx, from, to)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type batch struct {
		cmds []*redis.Cmd
		err  error
	}
	batches := make(chan batch, 1)
	go func() {
		defer close(batches)
		for chunk := range slices.Chunk(refs, figureBatch) {
			p := s.rdb.Pipeline()
			cmds := make([]*redis.Cmd, 0, len(chunk))
			for _, ref := range chunk {
				if validRef(ref) {
					args := slices.Clone(hmgetFigures)
					args[1] = s.keys.referral(ref)
					cmds = append(cmds, p.Do(ctx, args...))
				}
			}
			_, err := p.Exec(ctx)
			select {
			case batches <- batch{cmds, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	m := make(map[string]string, len(figureFields))
	for b := range batches {
		if b.err != nil {
			return fmt.Errorf("referrals created: %w", b.err)
		}
		for _, c := range b.cmds {
			vals, _ := c.Val().([]any)
			clear(m)
			for i, v := range vals {
				if v, ok := v.(string); ok && i < len(figureFields) {
					m[figureFields[i]] = v
				}
			}
			if m[fRef] == "" {
				continue // gone since the index was read
			}
			if err := fn(decodeReferral(m)); err != nil {
				return err
			}
		}
	}
	return nil
}

// TakeFollowUps takes up to dueBatch references whose follow-up is due at
// now, leased for lease, in one script: of concurrent callers each goes to
// one. Writing the referral puts its own time back (reindex).
func (s *Store) TakeFollowUps(ctx context.Context, now time.Time, lease time.Duration) ([]string, error) {
	refs, err := takeFollowUpsScript.Run(ctx, s.rdb, []string{s.keys.followUps()},
		now.UnixMilli(), now.Add(lease).UnixMilli(), dueBatch).StringSlice()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("take follow-ups: %w", err)
	}
	return refs, nil
}

// TakeDue takes the referrals whose reminder is due at now, with WATCH on the
// schedule: it reads what is due, asks next for each one's next time, and
// moves them all in one MULTI/EXEC. If any other client touched the schedule
// meanwhile, the EXEC fails and it starts again, so of concurrent callers
// each referral goes to one. The referrals are returned as stored, with
// the schedule already moved on. At most dueBatch are taken at once.
func (s *Store) TakeDue(ctx context.Context, now time.Time, next func(handoff.Referral, time.Time) (time.Time, bool)) ([]handoff.Referral, error) {
	key := s.keys.reminders()
	for range watchAttempts {
		var taken []handoff.Referral
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			due, err := tx.ZRangeByScoreWithScores(ctx, key, &redis.ZRangeBy{
				Min: "-inf", Max: strconv.FormatInt(now.UnixMilli(), 10), Count: dueBatch,
			}).Result()
			if err != nil || len(due) == 0 {
				return err
			}
			refs := make([]string, len(due))
			for i, z := range due {
				refs[i], _ = z.Member.(string)
			}
			// Read through the plain client: on Cluster the referrals live
			// on other nodes than the watched schedule.
			rs, err := s.Referrals(ctx, refs)
			if err != nil {
				return err
			}
			byRef := make(map[string]handoff.Referral, len(rs))
			for _, r := range rs {
				byRef[r.Ref] = r
			}
			var moves []redis.Z
			var drops []any
			for i, z := range due {
				r, ok := byRef[refs[i]]
				if !ok {
					drops = append(drops, refs[i])
					continue
				}
				at := time.UnixMilli(int64(z.Score)).UTC()
				n, keep := next(r, at)
				if !keep {
					drops = append(drops, refs[i])
					continue
				}
				moves = append(moves, redis.Z{Score: float64(n.UnixMilli()), Member: refs[i]})
				taken = append(taken, r)
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				if len(moves) > 0 {
					p.ZAddXX(ctx, key, moves...)
				}
				if len(drops) > 0 {
					p.ZRem(ctx, key, drops...)
				}
				return nil
			})
			return err
		}, key)
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("take due reminders: %w", err)
		}
		return taken, nil
	}
	return nil, fmt.Errorf("take due reminders: %w", errContention)
}

// PutCard records which referral a card message shows. Cards are kept as
// long as the record they show, so a late reply to an old card still finds it.
func (s *Store) PutCard(ctx context.Context, chat, message int64, ref string) error {
	key := s.keys.card(chat, message)
	if later(ctx, func(ctx context.Context, p redis.Pipeliner) { p.Set(ctx, key, ref, 0) }) {
		return nil // with the work's next round trip (see later.go)
	}
	if err := s.rdb.Set(ctx, s.keys.card(chat, message), ref, 0).Err(); err != nil {
		return fmt.Errorf("put card %d/%d: %w", chat, message, err)
	}
	return nil
}

// CardRef returns the reference a card message shows, "" if none.
func (s *Store) CardRef(ctx context.Context, chat, message int64) (string, error) {
	ref, err := s.rdb.Get(ctx, s.keys.card(chat, message)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return ref, err
}

// EffectRef returns the referral an effect was applied to, "" if none is
// known. The effect's person (user, 0 for none) is read in the same round
// trip, as PersonReferrals reads them, and kept for the rest of the work:
// an effect not applied yet goes on to their referrals.
func (s *Store) EffectRef(ctx context.Context, key string, user int64) (string, error) {
	if v, ok := roundtrip.Of(ctx).Recall(memoEffect(key)); ok {
		// Read ahead by the commit that wrote the effect (readAhead).
		return v.(string), nil
	}
	var get *redis.StringCmd
	if w := roundtrip.Of(ctx); w != nil && user != 0 {
		if _, ok := w.Recall(memoRefs(user)); !ok {
			k := s.keys.effect(key)
			_, gerr := s.glance(ctx, w, user, func(p redis.Pipeliner) { get = p.Get(ctx, k) })
			if gerr != nil && get.Err() == nil {
				// The effect is known; the person's referrals will be read
				// again if they are needed.
				gerr = nil
			}
			if gerr != nil {
				return "", gerr
			}
		}
	}
	if get == nil {
		get = s.rdb.Get(ctx, s.keys.effect(key))
	}
	ref, err := get.Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return ref, err
}

// RememberEffect records that an effect was applied to ref, for effectTTL:
// with the next round trip of a work that defers writes.
func (s *Store) RememberEffect(ctx context.Context, key, ref string) error {
	roundtrip.Of(ctx).Keep(memoEffect(key), ref)
	k := s.keys.effect(key)
	if later(ctx, func(ctx context.Context, p redis.Pipeliner) { p.Set(ctx, k, ref, effectTTL) }) {
		return nil // with the work's next round trip (see later.go)
	}
	return s.rdb.Set(ctx, k, ref, effectTTL).Err()
}

// Fields of a referral's HASH. Empty values are not stored, so an erased
// field is absent, not blank.
const (
	fRef, fRun, fEffects, fUser, fLang       = "ref", "run", "effects", "user", "lang"
	fTeam, fStatus, fUrgent, fConsent        = "team", "status", "urgent", "consent"
	fName, fAge, fCareLeaver, fWhatMatters   = "name", "age", "care_leaver", "what_matters"
	fNeeds, fHousingUrgent, fMoneyUrgent     = "needs", "housing_urgent", "money_urgent"
	fSource, fPostcode, fCheckins, fServices = "source", "postcode", "checkins", "services"
	fOnsLife, fOnsWorth                      = "ons_life", "ons_worth"
	fOnsHappy, fOnsAnxious                   = "ons_happy", "ons_anxious"
	fContact, fContactHow                    = "contact", "contact_how"
	fPhone, fContactWhen, fUrgentText        = "phone", "contact_when", "urgent_text"
	fCreated, fPosted, fClaimed              = "created", "posted", "claimed"
	fHolderID, fHolderName                   = "holder_id", "holder_name"
	fFirstContact, fLastFromPerson, fClosed  = "first_contact", "last_from_person", "closed"
	fLastUpdate                              = "last_update"
	fOutcome, fNextReminder, fReminders      = "outcome", "next_reminder", "reminders"
	fCardChat, fCardMessage, fErased         = "card_chat", "card_message", "erased"
	fPriority, fReasons, fChannel            = "priority", "reasons", "channel"
	fFollowLife, fFollowWorth                = "follow_life", "follow_worth"
	fFollowHappy, fFollowAnxious             = "follow_happy", "follow_anxious"
	fFollowAt, fFollowAsked                  = "follow_at", "follow_asked"
	fPerson, fLonely, fFollowLonely          = "person", "lonely", "follow_lonely"
	fFollowNext, fFollowStage                = "follow_next", "follow_stage"
	fErasedWhy                               = "erased_why"
	fRisks, fLearnedRisks                    = "risks", "risks_learned"
	fHousingTonight, fDebtLetter, fHousing   = "housing_tonight", "debt_letter", "housing"
	fOnCall, fAcked, fAckedID, fAckedName    = "oncall", "acked", "acked_id", "acked_name"
	fEscalateAt, fEscalated                  = "escalate_at", "escalated"
)

// encodeReferral flattens r into HASH fields, leaving out empty ones.
func encodeReferral(r handoff.Referral) map[string]string {
	m := map[string]string{}
	str := func(f, v string) {
		if v != "" {
			m[f] = v
		}
	}
	num := func(f string, v int64) {
		if v != 0 {
			m[f] = strconv.FormatInt(v, 10)
		}
	}
	flag := func(f string, v bool) {
		if v {
			m[f] = "1"
		}
	}
	at := func(f string, t time.Time) {
		if !t.IsZero() {
			m[f] = strconv.FormatInt(t.UnixMilli(), 10)
		}
	}
	list := func(f string, vs []string) {
		if len(vs) > 0 {
			b, _ := json.Marshal(vs) // a []string always marshals
			m[f] = string(b)
		}
	}
	str(fRef, r.Ref)
	str(fRun, r.Run)
	list(fEffects, r.Effects)
	num(fUser, r.User)
	str(fLang, r.Lang)
	str(fTeam, string(r.Team))
	str(fStatus, string(r.Status))
	flag(fUrgent, r.Urgent)
	flag(fConsent, r.Consent)
	str(fName, r.Name)
	str(fAge, r.Age)
	str(fCareLeaver, r.CareLeaver)
	str(fWhatMatters, r.WhatMatters)
	str(fNeeds, strings.Join(r.Needs, ","))
	str(fHousingUrgent, r.HousingUrgent)
	str(fHousingTonight, r.HousingTonight)
	str(fDebtLetter, r.DebtLetter)
	str(fHousing, string(r.Housing))
	str(fMoneyUrgent, r.MoneyUrgent)
	str(fSource, r.Source)
	str(fOnsLife, r.ONS.Life.String())
	str(fOnsWorth, r.ONS.Worth.String())
	str(fOnsHappy, r.ONS.Happy.String())
	str(fOnsAnxious, r.ONS.Anxious.String())
	str(fPostcode, r.Postcode)
	flag(fContact, r.Contact.Wanted)
	str(fContactHow, r.Contact.How)
	str(fPhone, r.Contact.Phone)
	str(fContactWhen, r.Contact.When)
	str(fCheckins, r.Checkins)
	list(fServices, r.Services)
	str(fUrgentText, r.UrgentText)
	at(fCreated, r.Created)
	at(fPosted, r.Posted)
	num(fHolderID, r.Holder.ID)
	str(fHolderName, r.Holder.Name)
	at(fClaimed, r.Claimed)
	at(fFirstContact, r.FirstContact)
	at(fLastFromPerson, r.LastFromPerson)
	num(fLastUpdate, r.LastUpdate)
	at(fClosed, r.Closed)
	str(fOutcome, string(r.Outcome))
	at(fNextReminder, r.NextReminder)
	num(fReminders, int64(r.Reminders))
	num(fCardChat, r.Card.Chat)
	num(fCardMessage, r.Card.Message)
	at(fErased, r.Erased)
	str(fPriority, string(r.Priority))
	reasons := make([]string, len(r.Reasons))
	for i, why := range r.Reasons {
		reasons[i] = string(why)
	}
	str(fReasons, strings.Join(reasons, ","))
	str(fRisks, strings.Join(r.Risks, ","))
	str(fLearnedRisks, strings.Join(r.LearnedRisks, ","))
	str(fChannel, string(r.Channel))
	if !r.FollowUpAt.IsZero() {
		// Scores only once given: a zero ONS4 would read as four zeros.
		str(fFollowLife, r.FollowUp.Life.String())
		str(fFollowWorth, r.FollowUp.Worth.String())
		str(fFollowHappy, r.FollowUp.Happy.String())
		str(fFollowAnxious, r.FollowUp.Anxious.String())
	}
	at(fFollowAt, r.FollowUpAt)
	at(fFollowAsked, r.FollowUpAsked)
	str(fPerson, r.Person)
	str(fLonely, r.Lonely.String())
	if !r.FollowUpAt.IsZero() {
		str(fFollowLonely, r.FollowUpLonely.String())
	}
	at(fFollowNext, r.FollowUpNext)
	at(fOnCall, r.OnCall)
	at(fAcked, r.Acked)
	num(fAckedID, r.AckedBy.ID)
	str(fAckedName, r.AckedBy.Name)
	at(fEscalateAt, r.EscalateAt)
	at(fEscalated, r.Escalated)
	str(fErasedWhy, r.ErasedWhy)
	str(fFollowStage, string(r.FollowUpStage))
	return m
}

// decodeReferral reads the HASH fields written by encodeReferral. A value
// that does not parse reads as absent rather than failing the whole referral.
func decodeReferral(m map[string]string) handoff.Referral {
	num := func(f string) int64 { n, _ := strconv.ParseInt(m[f], 10, 64); return n }
	at := func(f string) time.Time {
		if n := num(f); n != 0 {
			return time.UnixMilli(n).UTC()
		}
		return time.Time{}
	}
	list := func(f string) []string {
		var vs []string
		if m[f] != "" {
			_ = json.Unmarshal([]byte(m[f]), &vs)
		}
		return vs
	}
	var needs []string
	if m[fNeeds] != "" {
		needs = strings.Split(m[fNeeds], ",")
	}
	var reasons []handoff.Reason
	if m[fReasons] != "" {
		for _, why := range strings.Split(m[fReasons], ",") {
			reasons = append(reasons, handoff.Reason(why))
		}
	}
	var risks, learned []string
	if m[fRisks] != "" {
		risks = strings.Split(m[fRisks], ",")
	}
	if m[fLearnedRisks] != "" {
		learned = strings.Split(m[fLearnedRisks], ",")
	}
	channel := handoff.Channel(m[fChannel])
	if channel == "" {
		channel = handoff.ChannelTelegram
	}
	r := handoff.Referral{
		Ref:            m[fRef],
		Run:            m[fRun],
		Effects:        list(fEffects),
		User:           num(fUser),
		Lang:           m[fLang],
		Team:           handoff.Team(m[fTeam]),
		Status:         handoff.Status(m[fStatus]),
		Urgent:         m[fUrgent] == "1",
		Consent:        m[fConsent] == "1",
		Name:           m[fName],
		Age:            m[fAge],
		CareLeaver:     m[fCareLeaver],
		WhatMatters:    m[fWhatMatters],
		Needs:          needs,
		HousingUrgent:  m[fHousingUrgent],
		HousingTonight: m[fHousingTonight],
		DebtLetter:     m[fDebtLetter],
		Housing:        handoff.Housing(m[fHousing]),
		MoneyUrgent:    m[fMoneyUrgent],
		Source:         m[fSource],
		ONS: handoff.ONS4{
			Life:    handoff.ParseScore(m[fOnsLife]),
			Worth:   handoff.ParseScore(m[fOnsWorth]),
			Happy:   handoff.ParseScore(m[fOnsHappy]),
			Anxious: handoff.ParseScore(m[fOnsAnxious]),
		},
		Postcode: m[fPostcode],
		Contact: handoff.Contact{
			Wanted: m[fContact] == "1",
			How:    m[fContactHow],
			Phone:  m[fPhone],
			When:   m[fContactWhen],
		},
		Checkins:       m[fCheckins],
		Services:       list(fServices),
		UrgentText:     m[fUrgentText],
		Created:        at(fCreated),
		Posted:         at(fPosted),
		Holder:         handoff.Worker{ID: num(fHolderID), Name: m[fHolderName]},
		Claimed:        at(fClaimed),
		FirstContact:   at(fFirstContact),
		LastFromPerson: at(fLastFromPerson),
		LastUpdate:     num(fLastUpdate),
		Closed:         at(fClosed),
		Outcome:        handoff.Outcome(m[fOutcome]),
		NextReminder:   at(fNextReminder),
		Reminders:      int(num(fReminders)),
		Card:           handoff.Card{Chat: num(fCardChat), Message: num(fCardMessage)},
		Erased:         at(fErased),
		Priority:       handoff.Priority(m[fPriority]),
		Reasons:        reasons,
		Risks:          risks,
		LearnedRisks:   learned,
		Channel:        channel,
		FollowUp: handoff.ONS4{
			Life:    handoff.ParseScore(m[fFollowLife]),
			Worth:   handoff.ParseScore(m[fFollowWorth]),
			Happy:   handoff.ParseScore(m[fFollowHappy]),
			Anxious: handoff.ParseScore(m[fFollowAnxious]),
		},
		FollowUpAt:     at(fFollowAt),
		FollowUpAsked:  at(fFollowAsked),
		Person:         m[fPerson],
		Lonely:         handoff.LonelyFrom(m[fLonely]),
		FollowUpLonely: handoff.LonelyFrom(m[fFollowLonely]),
		FollowUpNext:   at(fFollowNext),
		FollowUpStage:  handoff.FollowUpStage(m[fFollowStage]),
		ErasedWhy:      m[fErasedWhy],
		OnCall:         at(fOnCall),
		Acked:          at(fAcked),
		AckedBy:        handoff.Worker{ID: num(fAckedID), Name: m[fAckedName]},
		EscalateAt:     at(fEscalateAt),
		Escalated:      at(fEscalated),
	}
	r.Priority = handoff.PriorityOf(r)
	return r
}

// cloneReferral copies r so that fn's changes cannot reach the loaded original.
func cloneReferral(r handoff.Referral) handoff.Referral {
	r.Effects = slices.Clone(r.Effects)
	r.Needs = slices.Clone(r.Needs)
	r.Services = slices.Clone(r.Services)
	r.Reasons = slices.Clone(r.Reasons)
	r.Risks = slices.Clone(r.Risks)
	r.LearnedRisks = slices.Clone(r.LearnedRisks)
	return r
}

// event is a history entry as stored: short names, Unix milliseconds.
type event struct {
	At       int64  `json:"t"`
	Kind     string `json:"k"`
	Actor    int64  `json:"a,omitempty"`
	Name     string `json:"n,omitempty"`
	Text     string `json:"x,omitempty"`
	ID       string `json:"i,omitempty"`
	Reason   string `json:"r,omitempty"`
	Delivery string `json:"d,omitempty"`
}

func encodeEvent(e handoff.Event) (string, error) {
	b, err := json.Marshal(event{At: e.At.UnixMilli(), Kind: string(e.Kind), Actor: e.Actor.ID, Name: e.Actor.Name, Text: e.Text,
		ID: e.ID, Reason: string(e.Reason), Delivery: string(e.Delivery)})
	if err != nil {
		return "", fmt.Errorf("encode event: %w", err)
	}
	return string(b), nil
}

func decodeEvent(s string) (handoff.Event, error) {
	var e event
	if err := json.Unmarshal([]byte(s), &e); err != nil {
		return handoff.Event{}, fmt.Errorf("decode event: %w", err)
	}
	return handoff.Event{
		At:       time.UnixMilli(e.At).UTC(),
		Kind:     handoff.EventKind(e.Kind),
		Actor:    handoff.Worker{ID: e.Actor, Name: e.Name},
		Text:     e.Text,
		ID:       e.ID,
		Reason:   handoff.Reason(e.Reason),
		Delivery: handoff.Delivery(e.Delivery),
	}, nil
}
