package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/internal/redistest"
)

// traces lists every key under the bench's prefix whose name or value holds
// id as a whole number (not as part of a longer one, such as a time in
// milliseconds): "KEY" for its name, "KEY = VALUE" for what it holds.
//
// The indexes of outboxes to deliver are left out: the message saying the
// person's data was erased goes through the outbox like any other, and its
// chat stays in the index until the sweep next finds it delivered and more
// than a grace period old (20 seconds, against a crash; see store's
// pendingGrace), which the bot's tests of the sweep cover.
func (b *bench) traces(id int64) []string {
	b.t.Helper()
	ctx := context.Background()
	whole := regexp.MustCompile(`(^|[^0-9])` + strconv.FormatInt(id, 10) + `($|[^0-9])`)
	keys, err := redistest.Keys(ctx, b.rdb, b.prefix+"*")
	if err != nil {
		b.t.Fatal(err)
	}
	var out []string
	for _, k := range keys {
		if k == b.prefix+":pending" || k == b.prefix+":pending:web" {
			continue
		}
		if whole.MatchString(k) {
			out = append(out, k)
			continue
		}
		for _, v := range values(ctx, b.rdb, k) {
			if whole.MatchString(v) {
				out = append(out, k+" = "+v)
				break
			}
		}
	}
	return out
}

// values is everything key holds, as strings: a hash's fields and values, a
// sorted set's members and scores, a stream's fields and values.
func values(ctx context.Context, rdb redis.UniversalClient, key string) []string {
	typ, err := rdb.Type(ctx, key).Result()
	if err != nil {
		return nil // gone meanwhile
	}
	switch typ {
	case "string":
		v, _ := rdb.Get(ctx, key).Result()
		return []string{v}
	case "hash":
		var out []string
		for f, v := range rdb.HGetAll(ctx, key).Val() {
			out = append(out, f, v)
		}
		return out
	case "list":
		return rdb.LRange(ctx, key, 0, -1).Val()
	case "set":
		return rdb.SMembers(ctx, key).Val()
	case "zset":
		var out []string
		for _, z := range rdb.ZRangeWithScores(ctx, key, 0, -1).Val() {
			out = append(out, fmt.Sprint(z.Member), strconv.FormatFloat(z.Score, 'f', -1, 64))
		}
		return out
	case "stream":
		var out []string
		for _, m := range rdb.XRange(ctx, key, "-", "+").Val() {
			for f, v := range m.Values {
				out = append(out, f, fmt.Sprint(v))
			}
		}
		return out
	}
	return []string{"unread type " + typ}
}

// noTraces waits for Redis to hold nothing of id (a rate limit kept for
// the last message sent may take a moment to go) and fails the test with
// what is left if it does not.
func (b *bench) noTraces(t *testing.T, id int64) {
	t.Helper()
	var left []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if left = b.traces(id); len(left) == 0 {
			return
		}
	}
	t.Errorf("keys naming or holding %d after /forget:\n%s", id, strings.Join(left, "\n"))
}
