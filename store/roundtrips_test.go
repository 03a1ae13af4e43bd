package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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
	want := []string{"SET", "GET", "pipeline: GET INCR DEL", "PING"}
	if got := rt.Recorded(); !slices.Equal(got, want) {
		t.Errorf("recorded %q, want %q", got, want)
	}
}

// A connection the pool opens for a piece of work sets itself up (HELLO,
// CLIENT SETINFO) with that work's context: the setup is counted as round
// trips made, but not as the work's, which would otherwise cost more
// whenever work elsewhere happened to hold the pool's connections.
func TestRoundTripsSetupNotTheWorks(t *testing.T) {
	shared, prefix := redistest.Setup(t)
	rdb := redis.NewClient(shared.Options())
	defer rdb.Close()
	rt := CountRoundTrips(rdb)
	ctx, step := roundtrip.With(context.Background())
	rt.Record()

	rdb.Get(ctx, prefix+":a")
	if _, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error { return p.Get(ctx, prefix+":a").Err() }); err != nil && err != redis.Nil {
		t.Fatal(err)
	}

	sent := rt.Recorded()
	if step.N() != 2 {
		t.Errorf("the step's context counted %d round trips, want 2 (what was sent: %q)", step.N(), sent)
	}
	var setups int
	for _, s := range sent {
		if s == "HELLO" || s == "pipeline: CLIENT CLIENT" {
			setups++
		}
	}
	if setups == 0 || rt.Trips() != int64(2+setups) {
		t.Errorf("counted %d round trips with %d of setup, want the setup and 2", rt.Trips(), setups)
	}
}

func TestRoundTripsByName(t *testing.T) {
	rdb, prefix := redistest.Setup(t)
	s := New(rdb, Config{Prefix: prefix})
	ctx := context.Background()
	if err := s.Preload(ctx); err != nil {
		t.Fatal(err)
	}
	rt := CountRoundTrips(rdb)
	rdb.Get(ctx, prefix+":a")
	if _, _, _, _, err := s.ReserveBoth(ctx, 7, 1, 3, 30, 30, 2); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.Claim(ctx, 7, "me", time.Second, 8); err != nil {
		t.Fatal(err)
	}
	// A connection made for the test's commands sets itself up first.
	got := rt.ByName()
	delete(got, "HELLO")
	delete(got, "CLIENT*2")
	want := map[string]int64{"GET": 1, "reserve": 1, "claim": 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trips by name (-want +got):\n%s", diff)
	}
}

func TestPipelineName(t *testing.T) {
	for _, tc := range []struct {
		name  string
		names []string
		want  string
	}{
		{"one", []string{"commit"}, "commit"},
		{"a run counted", []string{"index", "commit", "reserve", "reserve"}, "index+commit+reserve*2"},
		{"runs apart", []string{"RPUSH", "index", "RPUSH"}, "RPUSH+index+RPUSH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := pipelineName(tc.names); got != tc.want {
				t.Errorf("pipelineName(%q) = %q, want %q", tc.names, got, tc.want)
			}
		})
	}
}
