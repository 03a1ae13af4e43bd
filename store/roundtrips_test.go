package store

import (
	"context"
	"slices"
	"testing"

	"github.com/redis/go-redis/v9"

	"signpost/internal/redistest"
	"signpost/internal/roundtrip"
)

func TestRoundTripsCounted(t *testing.T) {
	shared, prefix := redistest.Setup(t)
	opt := shared.Options()
	opt.PoolSize = 1
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	// The connection's own setup (HELLO, CLIENT SETINFO) is made first:
	// it counts too, as it costs round trips, but it is not under test.
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := rdb.Pipelined(context.Background(), func(p redis.Pipeliner) error { return p.Ping(context.Background()).Err() }); err != nil {
		t.Fatal(err)
	}
	rt := CountRoundTrips(rdb)
	ctx, step := roundtrip.With(context.Background())
	rt.Record()

	rdb.Set(ctx, prefix+":a", "1", 0)
	rdb.Get(ctx, prefix+":a")
	pipe := rdb.Pipeline()
	pipe.Get(ctx, prefix+":a")
	pipe.Incr(ctx, prefix+":b")
	pipe.Del(ctx, prefix+":a", prefix+":b")
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	rdb.Ping(context.Background()) // not the step's

	if rt.Trips() != 4 || rt.Commands() != 6 {
		t.Errorf("counted %d round trips and %d commands, want 4 and 6", rt.Trips(), rt.Commands())
	}
	if step.N() != 3 {
		t.Errorf("the step's context counted %d round trips, want 3", step.N())
	}
	want := []string{"set", "get", "pipeline: get incr del", "ping"}
	if got := rt.Recorded(); !slices.Equal(got, want) {
		t.Errorf("recorded %q, want %q", got, want)
	}
}
