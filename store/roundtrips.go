package store

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"

	"signpost/internal/roundtrip"
)

// RoundTrips counts what a client sends to Redis: every command sent on
// its own is one round trip, every pipeline (or MULTI/EXEC block) one round
// trip whatever it holds. On a Cluster it counts at each node, so a pipeline
// whose keys sit on two masters is two round trips, as it is on the wire.
// A command go-redis retries after a network error counts once. Each
// round trip also counts in the roundtrip.Counter of the context it was
// sent with, if any.
type RoundTrips struct {
	trips, commands atomic.Int64

	// Recording, when on, keeps what each round trip sent, for a test to
	// show what a step cost.
	recording atomic.Bool
	mu        sync.Mutex
	log       []string
}

// CountRoundTrips starts counting what rdb sends from now on, on every
// node of a Cluster, those it knows already and those it meets later.
func CountRoundTrips(rdb redis.UniversalClient) *RoundTrips {
	rt := &RoundTrips{}
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		var mu sync.Mutex
		hooked := map[*redis.Client]bool{}
		add := func(n *redis.Client) {
			mu.Lock()
			defer mu.Unlock()
			if !hooked[n] {
				hooked[n] = true
				n.AddHook(rt)
			}
		}
		c.OnNewNode(add)
		c.ForEachShard(context.Background(), func(_ context.Context, n *redis.Client) error {
			add(n)
			return nil
		})
	default:
		rdb.AddHook(rt)
	}
	return rt
}

// Trips is the round trips counted so far.
func (rt *RoundTrips) Trips() int64 { return rt.trips.Load() }

// Commands is the commands counted so far, those in pipelines one by one.
func (rt *RoundTrips) Commands() int64 { return rt.commands.Load() }

// Record starts keeping what each round trip sends, from an empty record.
func (rt *RoundTrips) Record() {
	rt.mu.Lock()
	rt.log = nil
	rt.mu.Unlock()
	rt.recording.Store(true)
}

// Recorded returns what each round trip sent since Record, one entry a
// round trip ("evalsha", "get", "pipeline: evalsha evalsha"), and empties
// the record.
func (rt *RoundTrips) Recorded() []string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	out := rt.log
	rt.log = nil
	return out
}

func (rt *RoundTrips) note(s func() string) {
	if !rt.recording.Load() {
		return
	}
	line := s()
	rt.mu.Lock()
	rt.log = append(rt.log, line)
	rt.mu.Unlock()
}

// DialHook is go-redis's: dialling is not counted.
func (rt *RoundTrips) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		return next(ctx, network, addr)
	}
}

// ProcessHook counts one command sent on its own.
func (rt *RoundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		rt.trips.Add(1)
		rt.commands.Add(1)
		roundtrip.Add(ctx, 1)
		rt.note(cmd.Name)
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook counts one pipeline, and the commands in it.
func (rt *RoundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		rt.trips.Add(1)
		rt.commands.Add(int64(len(cmds)))
		roundtrip.Add(ctx, 1)
		rt.note(func() string {
			names := make([]string, len(cmds))
			for i, c := range cmds {
				names[i] = c.Name()
			}
			return "pipeline: " + strings.Join(names, " ")
		})
		return next(ctx, cmds)
	}
}
