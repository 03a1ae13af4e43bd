package store

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// rawEventID finds the Telegram id in a check-in event's id as builds
// before version 3 wrote it: "ci:<id>:" at the start of the id, after
// "answered:", or after "checkin:" in a flag's effect key. The pseudonyms
// written since are letters, so a second run finds nothing.
var rawEventID = regexp.MustCompile(`(^|:)ci:(-?[0-9]+):`)

// pseudonymEventID returns id with the Telegram id it holds replaced by the
// person's Pseudonym; ok is false when it holds none.
func (s *Store) pseudonymEventID(ctx context.Context, id string) (string, bool, error) {
	m := rawEventID.FindStringSubmatchIndex(id)
	if m == nil {
		return id, false, nil
	}
	user, err := strconv.ParseInt(id[m[4]:m[5]], 10, 64)
	if err != nil {
		return id, false, nil
	}
	name, err := s.Pseudonym(ctx, user)
	if err != nil {
		return id, false, err
	}
	return id[:m[4]] + name + id[m[5]:], true, nil
}

// setIfScript sets a hash field to a new value only if it still holds the
// value read, so that a write made meanwhile is not lost.
//
// KEYS[1]  the hash
// ARGV[1]  the field   ARGV[2] the value read   ARGV[3] the new value
//
// Returns 1 if set, 0 if the field had changed.
var setIfScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
`)

// pseudonymiseEvents (2 to 3) replaces the Telegram ids that check-in event
// ids held with the person's Pseudonym wherever those ids outlive the
// person: the effect keys kept with each referral, the marks that an effect
// was applied, and the marks that an event was counted (renamed to the
// keyed hash Tally now uses). Renamed marks keep their expiry, so a repeat
// of an event from before the upgrade is still known. It reads every
// referral and scans the keyspace of every master once.
func pseudonymiseEvents(ctx context.Context, s *Store) error {
	refs, err := s.rdb.ZRange(ctx, s.keys.allReferrals(), 0, -1).Result()
	if err != nil {
		return err
	}
	for len(refs) > 0 {
		batch := refs[:min(len(refs), 500)]
		refs = refs[len(batch):]
		p := s.rdb.Pipeline()
		cmds := make([]*redis.StringCmd, len(batch))
		for i, ref := range batch {
			cmds[i] = p.HGet(ctx, s.keys.referral(ref), fEffects)
		}
		if _, err := p.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		for i, ref := range batch {
			raw := cmds[i].Val()
			var effects []string
			if raw == "" || !strings.Contains(raw, "ci:") || json.Unmarshal([]byte(raw), &effects) != nil {
				continue
			}
			changed := false
			for j, e := range effects {
				n, ok, err := s.pseudonymEventID(ctx, e)
				if err != nil {
					return err
				}
				if ok {
					effects[j], changed = n, true
				}
			}
			if !changed {
				continue
			}
			b, _ := json.Marshal(effects)
			if err := setIfScript.Run(ctx, s.rdb, []string{s.keys.referral(ref)}, fEffects, raw, string(b)).Err(); err != nil {
				return err
			}
		}
	}

	effects, err := scanMasters(ctx, s.rdb, globEscape(s.keys.effect("checkin:ci:"))+"*")
	if err != nil {
		return err
	}
	prefix := s.keys.effect("")
	for _, k := range effects {
		n, ok, err := s.pseudonymEventID(ctx, strings.TrimPrefix(k, prefix))
		if err != nil {
			return err
		}
		if ok {
			// Both names carry the tag {handoff}: one slot.
			if err := s.renameIfThere(ctx, k, s.keys.effect(n)); err != nil {
				return err
			}
		}
	}

	marks, err := scanMasters(ctx, s.rdb, globEscape(s.keys.counted(""))+"*ci:*")
	if err != nil {
		return err
	}
	prefix = s.keys.counted("")
	for _, k := range marks {
		n, ok, err := s.pseudonymEventID(ctx, strings.TrimPrefix(k, prefix))
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		name, err := s.markName(ctx, n)
		if err != nil {
			return err
		}
		if err := s.renameIfThere(ctx, k, s.keys.counted(name)); err != nil {
			return err
		}
	}
	return nil
}

// renameIfThere renames from to to, keeping its expiry; a key that expired
// since it was found is no error.
func (s *Store) renameIfThere(ctx context.Context, from, to string) error {
	err := s.rdb.Rename(ctx, from, to).Err()
	if err != nil && strings.Contains(err.Error(), "no such key") {
		return nil
	}
	return err
}
