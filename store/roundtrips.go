package store

import (
	"context"
	"fmt"
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
// round trip also counts in the roundtrip.Work of the context it was sent
// with, if any, but for a new connection's own setup (see connSetup).
type RoundTrips struct {
	trips, commands atomic.Int64

	// named counts the round trips by what they sent (see tripName).
	named sync.Map // string -> *atomic.Int64

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
// round trip ("GET", "commit", "pipeline: index RPUSH"), and empties the
// record.
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
		if !connSetup(cmd) {
			roundtrip.Add(ctx, 1)
		}
		name := cmdName(cmd)
		rt.count(name)
		rt.note(func() string { return name })
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook counts one pipeline, and the commands in it.
func (rt *RoundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		rt.trips.Add(1)
		rt.commands.Add(int64(len(cmds)))
		if !connSetup(cmds...) {
			roundtrip.Add(ctx, 1)
		}
		names := make([]string, len(cmds))
		for i, c := range cmds {
			names[i] = cmdName(c)
		}
		rt.count(pipelineName(names))
		rt.note(func() string { return "pipeline: " + strings.Join(names, " ") })
		return next(ctx, cmds)
	}
}

// connSetup reports whether cmds are all of a new connection's own setup, as
// go-redis sends it before the connection's first command (HELLO, AUTH,
// SELECT, READONLY, CLIENT SETINFO, SETNAME, TRACKING,
// MAINT_NOTIFICATIONS). It sends them with the context of the command that
// needed the connection, so without this a piece of work would be charged
// two round trips more whenever the pool had no idle connection for it
// (other work holding them all, as on a busy machine): the pool growing is
// not what the work asked for. The store itself sends none of these.
func connSetup(cmds ...redis.Cmder) bool {
	if len(cmds) == 0 {
		return false
	}
	for _, c := range cmds {
		switch c.Name() {
		case "hello", "auth", "select", "readonly":
		case "client":
			args := c.Args()
			if len(args) < 2 {
				return false
			}
			sub, _ := args[1].(string)
			switch strings.ToLower(sub) {
			case "setinfo", "setname", "tracking", "maint_notifications":
			default:
				return false
			}
		default:
			return false
		}
	}
	return true
}

// count adds one round trip under name.
func (rt *RoundTrips) count(name string) {
	c, ok := rt.named.Load(name)
	if !ok {
		c, _ = rt.named.LoadOrStore(name, new(atomic.Int64))
	}
	c.(*atomic.Int64).Add(1)
}

// ByName is the round trips counted so far by what each sent: a command's
// name ("GET"), a script's ("commit"), or for a pipeline the names of what
// it held joined with "+" ("index+RPUSH"), a run of the same name once
// with a count ("reserve*2").
func (rt *RoundTrips) ByName() map[string]int64 {
	out := map[string]int64{}
	rt.named.Range(func(k, v any) bool {
		out[k.(string)] = v.(*atomic.Int64).Load()
		return true
	})
	return out
}

// scriptNames names the store's scripts by their SHA1, as EVALSHA sends them.
var scriptNames = map[string]string{
	commitScript.Hash(): "commit", claimScript.Hash(): "claim", finishScript.Hash(): "finish",
	reserveScript.Hash(): "reserve", indexScript.Hash(): "index", pendingScript.Hash(): "pending",
	unindexScript.Hash(): "unindex", renewScript.Hash(): "renew", stuckScript.Hash(): "stuck",
	createReferralScript.Hash(): "create_referral", takeFollowUpsScript.Hash(): "take_follow_ups",
	schedClaimScript.Hash(): "schedule_claim", schedCompleteScript.Hash(): "schedule_complete",
	checkinPutScript.Hash(): "checkin_put", glanceScript.Hash(): "glance", casReferralScript.Hash(): "cas_referral",
	webFinishScript.Hash(): "web_finish", allowScript.Hash(): "web_allow", giveBackScript.Hash(): "give_back",
	enqueueClaimScript.Hash(): "enqueue_claim", putOnceScript.Hash(): "put_once",
}

// cmdName is a command's name in capitals, as Redis's documentation
// writes it ("GET"), or for one of the store's scripts the script's name in
// small letters ("commit").
func cmdName(cmd redis.Cmder) string {
	name := cmd.Name()
	if name == "evalsha" || name == "evalsha_ro" {
		if args := cmd.Args(); len(args) > 1 {
			if sha, ok := args[1].(string); ok {
				if n, ok := scriptNames[sha]; ok {
					return n
				}
			}
		}
	}
	return strings.ToUpper(name)
}

// pipelineName joins the names of a pipeline's commands, a run of one name
// written once with its count.
func pipelineName(names []string) string {
	var b strings.Builder
	for i := 0; i < len(names); {
		j := i
		for j < len(names) && names[j] == names[i] {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte('+')
		}
		b.WriteString(names[i])
		if j-i > 1 {
			fmt.Fprintf(&b, "*%d", j-i)
		}
		i = j
	}
	return b.String()
}
