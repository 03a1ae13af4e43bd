package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/flows"
)

// Fields of a web visitor's render hash (keys.render) besides the
// transcript's own: pointers to the keys shared by everyone that hold
// something of the visitor, so that an erasure finds and removes them.
const (
	webFieldCode = "code" // the visitor's resume code
	webFieldBind = "bind" // the visitor's one-time Telegram link token
)

// webFinishScript is finishScript for a web visitor: it acknowledges the
// delivered entries and, in the same atomic write, appends what they showed
// to the visitor's transcript, so that a crash between the two can neither
// lose a message nor show it twice.
//
// KEYS[1] lease   KEYS[2] outbox   KEYS[3] render (HASH)   KEYS[4] transcript (LIST)
// ARGV[1] owner   ARGV[2] entries delivered   ARGV[3] lease in ms, or 0 to
// let it go   ARGV[4] TTL in ms (0: none)   ARGV[5] most transcript lines
// kept   ARGV[6] how many lines follow   ARGV[7…] the lines, then render
// field/value pairs
//
// Returns the number of entries still waiting, or -1 if the lease was lost.
var webFinishScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
local n = tonumber(ARGV[2])
if n > 0 then
  redis.call('LTRIM', KEYS[2], n, -1)
end
local ttl = tonumber(ARGV[4])
local lines = tonumber(ARGV[6])
if lines > 0 then
  redis.call('RPUSH', KEYS[4], unpack(ARGV, 7, 6 + lines))
  redis.call('LTRIM', KEYS[4], -tonumber(ARGV[5]), -1)
  if ttl > 0 then redis.call('PEXPIRE', KEYS[4], ttl) end
end
if #ARGV > 6 + lines then
  redis.call('HSET', KEYS[3], unpack(ARGV, 7 + lines))
  if ttl > 0 then redis.call('PEXPIRE', KEYS[3], ttl) end
end
local left = redis.call('LLEN', KEYS[2])
if left == 0 or ARGV[3] == '0' then
  redis.call('DEL', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return left
`)

// WebFinish is Finish for a web visitor's outbox: it acknowledges the first
// n claimed entries, appends lines to the visitor's transcript (keeping the
// last max), saves state in the render hash, and renews the lease while
// entries wait (a lease of 0 lets it go). It returns how many entries still
// wait, or ErrLeaseLost, having written nothing, if owner lost the lease.
func (s *Store) WebFinish(ctx context.Context, user int64, owner string, n int, lease time.Duration, state map[string]string, lines [][]byte, max int) (int, error) {
	keys := []string{s.keys.lease(user), s.keys.outbox(user), s.keys.render(user), s.keys.transcript(user)}
	args := make([]any, 0, 6+len(lines)+2*len(state))
	args = append(args, owner, n, millis(lease), millis(s.ttl), max, len(lines))
	for _, l := range lines {
		args = append(args, l)
	}
	for k, v := range state {
		args = append(args, k, v)
	}
	return leftOrLost(webFinishScript.Run(ctx, s.rdb, keys, args...), "finish web outbox")
}

// WebTranscript returns a web visitor's transcript lines, oldest first, and
// their render state, in one round trip.
func (s *Store) WebTranscript(ctx context.Context, user int64) ([][]byte, map[string]string, error) {
	pipe := s.rdb.Pipeline()
	lr := pipe.LRange(ctx, s.keys.transcript(user), 0, -1)
	hr := pipe.HGetAll(ctx, s.keys.render(user))
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, nil, fmt.Errorf("web transcript %d: %w", user, err)
	}
	vals := lr.Val()
	lines := make([][]byte, len(vals))
	for i, v := range vals {
		lines[i] = []byte(v)
	}
	return lines, hr.Val(), nil
}

// WebPendingUsers lists the web visitors whose outbox may hold entries
// nobody is delivering, as PendingUsers does for Telegram: marked more than
// a grace period ago and not since seen empty, at most a thousand a call.
func (s *Store) WebPendingUsers(ctx context.Context) ([]int64, error) {
	ids, err := pendingScript.Run(ctx, s.rdb, []string{s.keys.webPending()}, pendingGrace.Milliseconds(), pendingScan).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("read pending web outboxes: %w", err)
	}
	return parseIDs(ids), nil
}

// parseIDs reads decimal ids, skipping any that are not.
func parseIDs(ids []string) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if u, err := strconv.ParseInt(id, 10, 64); err == nil {
			out = append(out, u)
		}
	}
	return out
}

// WebUnindex drops a web visitor from the index of pending outboxes, as
// Unindex does; call it only after seeing their outbox empty.
func (s *Store) WebUnindex(ctx context.Context, user int64) error {
	if err := unindexScript.Run(ctx, s.rdb, []string{s.keys.webPending()}, user, pendingGrace.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("unindex web outbox: %w", err)
	}
	return nil
}

// WebWake tells every replica that a web visitor's page has news: their
// open pages, wherever they are connected, fetch it.
func (s *Store) WebWake(ctx context.Context, user int64) error {
	if err := s.rdb.Publish(ctx, s.keys.webWake(), strconv.FormatInt(user, 10)).Err(); err != nil {
		return fmt.Errorf("wake %d: %w", user, err)
	}
	return nil
}

// WebWakes subscribes to the wake-ups of WebWake until ctx ends; the
// channel closes then. A wake-up lost while the subscription reconnects is
// made good by the pages, which look again every minute.
func (s *Store) WebWakes(ctx context.Context) (<-chan int64, error) {
	sub := s.rdb.Subscribe(ctx, s.keys.webWake())
	if _, err := sub.Receive(ctx); err != nil {
		sub.Close()
		return nil, fmt.Errorf("subscribe to web wake-ups: %w", err)
	}
	out := make(chan int64, 256)
	go func() {
		defer close(out)
		defer sub.Close()
		ch := sub.Channel()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-ch:
				if !ok {
					return
				}
				id, err := strconv.ParseInt(m.Payload, 10, 64)
				if err != nil {
					continue
				}
				select {
				case out <- id:
				default: // a slow reader misses a wake-up, not the message
				}
			}
		}
	}()
	return out, nil
}

// WebCode returns the visitor's resume code, making one with make and
// keeping it for ttl if they have none. The code names the visitor's
// cookie token, so that another device that gives the code becomes the
// same visitor. It is erased with the visitor.
func (s *Store) WebCode(ctx context.Context, user int64, token string, ttl time.Duration, make func() string) (string, error) {
	code, err := s.rdb.HGet(ctx, s.keys.render(user), webFieldCode).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return "", fmt.Errorf("resume code of %d: %w", user, err)
	}
	if code != "" {
		n, err := s.rdb.Exists(ctx, s.keys.webCode(code)).Result()
		if err != nil {
			return "", fmt.Errorf("resume code of %d: %w", user, err)
		}
		if n == 1 {
			return code, nil
		}
	}
	for attempt := 0; attempt < 5; attempt++ {
		code = make()
		fresh, err := s.rdb.SetNX(ctx, s.keys.webCode(code), token, ttl).Result()
		if err != nil {
			return "", fmt.Errorf("resume code of %d: %w", user, err)
		}
		if !fresh {
			continue // taken by someone else: draw again
		}
		pipe := s.rdb.TxPipeline()
		pipe.HSet(ctx, s.keys.render(user), webFieldCode, code)
		if s.ttl > 0 {
			pipe.PExpire(ctx, s.keys.render(user), s.ttl)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return "", fmt.Errorf("resume code of %d: %w", user, err)
		}
		return code, nil
	}
	return "", fmt.Errorf("resume code of %d: no free code after 5 draws", user)
}

// WebCodeToken returns the cookie token a resume code names; an unknown or
// expired code returns "" and no error.
func (s *Store) WebCodeToken(ctx context.Context, code string) (string, error) {
	tok, err := s.rdb.Get(ctx, s.keys.webCode(code)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("resume code: %w", err)
	}
	return tok, nil
}

// WebBindToken returns the visitor's one-time token for carrying on in
// Telegram, making one with make and keeping it for ttl if they have none.
func (s *Store) WebBindToken(ctx context.Context, user int64, ttl time.Duration, make func() string) (string, error) {
	tok, err := s.rdb.HGet(ctx, s.keys.render(user), webFieldBind).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return "", fmt.Errorf("link token of %d: %w", user, err)
	}
	if tok != "" {
		if n, err := s.rdb.Exists(ctx, s.keys.webBind(tok)).Result(); err == nil && n == 1 {
			return tok, nil
		}
	}
	tok = make()
	pipe := s.rdb.TxPipeline()
	pipe.Set(ctx, s.keys.webBind(tok), strconv.FormatInt(user, 10), ttl)
	pipe.HSet(ctx, s.keys.render(user), webFieldBind, tok)
	if s.ttl > 0 {
		pipe.PExpire(ctx, s.keys.render(user), s.ttl)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return "", fmt.Errorf("link token of %d: %w", user, err)
	}
	return tok, nil
}

// PeekWebBind returns the visitor a one-time link token was made for,
// leaving it in place; an unknown or used token returns ErrNotFound.
func (s *Store) PeekWebBind(ctx context.Context, token string) (int64, error) {
	return webBindUser(s.rdb.Get(ctx, s.keys.webBind(token)).Result())
}

// webBindUser reads the visitor a link token's key holds.
func webBindUser(v string, err error) (int64, error) {
	if errors.Is(err, redis.Nil) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("link token: %w", err)
	}
	user, err := strconv.ParseInt(v, 10, 64)
	if err != nil || !flows.IsWeb(user) {
		return 0, ErrNotFound
	}
	return user, nil
}

// TakeWebBind uses a one-time link token: it returns the visitor it was
// made for and removes it, so a second use finds nothing (ErrNotFound).
func (s *Store) TakeWebBind(ctx context.Context, token string) (int64, error) {
	user, err := webBindUser(s.rdb.GetDel(ctx, s.keys.webBind(token)).Result())
	if err != nil {
		return 0, err
	}
	s.rdb.HDel(ctx, s.keys.render(user), webFieldBind)
	return user, nil
}

// webGlobalKeys are the keys outside the visitor's own tag that hold
// something of them, read before an erasure so that it removes them too.
func (s *Store) webGlobalKeys(ctx context.Context, user int64) []string {
	if !flows.IsWeb(user) {
		return nil
	}
	vals, err := s.rdb.HMGet(ctx, s.keys.render(user), webFieldCode, webFieldBind).Result()
	if err != nil {
		return nil
	}
	var keys []string
	if v, _ := vals[0].(string); v != "" {
		keys = append(keys, s.keys.webCode(v))
	}
	if v, _ := vals[1].(string); v != "" {
		keys = append(keys, s.keys.webBind(v))
	}
	return keys
}
