package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// allowScript takes one request under a rate limit with the generic cell
// rate algorithm, refusing it rather than booking a later slot (compare
// reserveScript, which books slots for the sender to wait for).
//
// KEYS[1] the limit's key (STRING, theoretical arrival time in Unix ms)
// ARGV[1] now, Unix ms   ARGV[2] emission interval, ms (may be fractional)
// ARGV[3] burst: how many requests may come at once
//
// Returns "0" when the request may go on, else the milliseconds until one
// may, as a decimal string. A refused request changes nothing.
var allowScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allowed_at = tat - (burst - 1) * interval
if now < allowed_at then
  return string.format('%.3f', allowed_at - now)
end
local new = tat + interval
redis.call('SET', KEYS[1], string.format('%.3f', new), 'PX', math.ceil(new - now + 1000))
return '0'
`)

// Allow takes one request under the limit named key: at most limit requests
// a per, in bursts of up to limit, shared by every replica. It reports
// whether the request may go on and, if not, how long until one may. The
// key should hold no personal data (websec.Pseudonym); it expires once the
// limit has nothing left to remember. A limit of zero or less allows all.
func (s *Store) Allow(ctx context.Context, key string, limit int, per time.Duration) (bool, time.Duration, error) {
	if limit <= 0 || per <= 0 {
		return true, 0, nil
	}
	now := s.now()
	res, err := allowScript.Run(ctx, s.rdb, []string{s.keys.limit(key)}, now.UnixMilli(), interval(float64(limit), per), limit).Text()
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", key, err)
	}
	wait, err := strconv.ParseFloat(res, 64)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", key, err)
	}
	if wait <= 0 {
		return true, 0, nil
	}
	return false, time.Duration(wait * float64(time.Millisecond)), nil
}

// secretLen is the length of a secret made by Secret.
const secretLen = 32

// Secret returns the service's secret named name, made of random bytes the
// first time any replica asks and the same for every replica after: a key
// for CSRF tokens and pseudonyms that needs no setting of its own. It never
// expires; deleting it invalidates what was made with it.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	key := s.keys.secret(name)
	fresh := make([]byte, secretLen)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if err := s.rdb.SetNX(ctx, key, fresh, 0).Err(); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	b, err := s.rdb.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) || (err == nil && len(b) < secretLen) {
		return nil, fmt.Errorf("secret %s: unreadable", name)
	}
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return b, nil
}
