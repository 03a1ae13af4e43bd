package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/handoff"
)

// countedTTL is how long a count remembers the id it was made under, so
// that a repeat within it adds nothing: longer than any retry.
const countedTTL = 60 * 24 * time.Hour

// tallyScript adds one to a count unless the id was counted already.
//
// KEYS[1]  the counts (HASH)
// KEYS[2]  the id's mark (STRING)
//
// ARGV[1]  the field to add to
// ARGV[2]  how long the mark is kept, seconds
//
// Returns 1 if it counted, 0 for a repeat.
var tallyScript = redis.NewScript(`
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', tonumber(ARGV[2])) then
  redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
  return 1
end
return 0
`)

// Tally counts one check-in event of a team on a day (as 2006-01-02):
// measure is sent, answered, or flag:REASON. id names the event, so that
// counting it again adds nothing. The count holds no person, and the mark
// that the event was counted is named by a keyed hash of id (markName), so
// it holds nothing of them either, whatever id is made of.
func (s *Store) Tally(ctx context.Context, id, day, team, measure string) error {
	mark, err := s.markName(ctx, id)
	if err != nil {
		return fmt.Errorf("count %s: %w", measure, err)
	}
	field := day + "|" + team + "|" + measure
	keys := []string{s.keys.checkinCounts(), s.keys.counted(mark)}
	if err = tallyScript.Run(ctx, s.rdb, keys, field, int(countedTTL/time.Second)).Err(); err != nil {
		return fmt.Errorf("count %s: %w", measure, err)
	}
	return nil
}

// CheckinTallies returns every check-in count kept.
func (s *Store) CheckinTallies(ctx context.Context) ([]handoff.Tally, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.checkinCounts()).Result()
	if err != nil {
		return nil, fmt.Errorf("check-in counts: %w", err)
	}
	out := make([]handoff.Tally, 0, len(m))
	for f, v := range m {
		parts := strings.SplitN(f, "|", 3)
		n, err := strconv.Atoi(v)
		if len(parts) != 3 || err != nil {
			continue
		}
		out = append(out, handoff.Tally{Day: parts[0], Team: handoff.Team(parts[1]), Measure: parts[2], N: n})
	}
	return out, nil
}

// DropTallies removes the check-in counts of days before day (2006-01-02).
func (s *Store) DropTallies(ctx context.Context, day string) (int, error) {
	fields, err := s.rdb.HKeys(ctx, s.keys.checkinCounts()).Result()
	if err != nil {
		return 0, fmt.Errorf("drop check-in counts: %w", err)
	}
	var old []string
	for _, f := range fields {
		if d, _, _ := strings.Cut(f, "|"); d < day {
			old = append(old, f)
		}
	}
	if len(old) == 0 {
		return 0, nil
	}
	if err := s.rdb.HDel(ctx, s.keys.checkinCounts(), old...).Err(); err != nil {
		return 0, fmt.Errorf("drop check-in counts: %w", err)
	}
	return len(old), nil
}

// ClaimRun claims the run of job for day (2006-01-02) for this replica:
// true for the first to ask, false for every other.
func (s *Store) ClaimRun(ctx context.Context, job, day string) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.keys.ran(job, day), "1", 3*24*time.Hour).Result()
	if err != nil {
		return false, fmt.Errorf("claim %s of %s: %w", job, day, err)
	}
	return ok, nil
}
