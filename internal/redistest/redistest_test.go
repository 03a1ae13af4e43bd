package redistest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func TestURL(t *testing.T) {
	if _, err := redis.ParseURL(URL()); err != nil {
		t.Fatalf("URL() = %q: %v", URL(), err)
	}
}

// TestSetupCleansUp writes keys in a subtest and checks, from outside it, that
// its prefix was unique and that nothing under it is left.
func TestSetupCleansUp(t *testing.T) {
	ctx := context.Background()
	outer, outerPrefix := Setup(t)
	if err := outer.Set(ctx, outerPrefix+":keep", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	var inner string
	t.Run("inner", func(t *testing.T) {
		rdb, prefix := Setup(t)
		inner = prefix
		for _, k := range []string{":a", ":{u:1}:b", ":c"} {
			if err := rdb.Set(ctx, prefix+k, "x", 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
	})
	if inner == outerPrefix || !strings.HasPrefix(inner, "t") {
		t.Fatalf("prefixes %q and %q: want distinct, starting with t", inner, outerPrefix)
	}
	left, err := outer.Keys(ctx, inner+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("keys left after cleanup: %q", left)
	}
	if n, err := outer.Exists(ctx, outerPrefix+":keep").Result(); err != nil || n != 1 {
		t.Errorf("another test's key was touched: exists=%d err=%v", n, err)
	}
}

func TestMissingServerSaysWhatToDo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := startServer()
	if !errors.Is(err, errNoServer) {
		t.Fatalf("startServer() error = %v, want errNoServer", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "install redis-server") || !strings.Contains(msg, "REDIS_URL") {
		t.Errorf("message %q should say to install redis-server or set REDIS_URL", msg)
	}
}

func TestStopLeavesNothing(t *testing.T) {
	s, err := startServer()
	if errors.Is(err, errNoServer) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	s.stop()
	select {
	case <-s.done:
	default:
		t.Errorf("redis-server %d still running after stop", s.cmd.Process.Pid)
	}
	if _, err := os.Stat(s.dir); !os.IsNotExist(err) {
		t.Errorf("directory %s left behind: %v", s.dir, err)
	}
}

// TestTopologies starts a Sentinel set and a Cluster and writes through
// each a key of every slot range, which lands on every master.
func TestTopologies(t *testing.T) {
	ctx := context.Background()
	for _, tp := range Topologies(t) {
		t.Run(tp.Name, func(t *testing.T) {
			rdb, prefix := SetupOn(t, tp)
			for i := range 30 {
				key := fmt.Sprintf("%s:{u:%d}:k", prefix, i)
				if err := rdb.Set(ctx, key, "x", 0).Err(); err != nil {
					t.Fatal(err)
				}
			}
			keys, err := Keys(ctx, rdb, prefix+"*")
			if err != nil || len(keys) != 30 {
				t.Fatalf("found %d keys (%v), want 30", len(keys), err)
			}
			if tp.Name == Cluster {
				perNode := map[string]int{}
				var mu sync.Mutex
				EachMaster(ctx, rdb, func(ctx context.Context, c *redis.Client) error {
					n, _ := c.Keys(ctx, prefix+"*").Result()
					mu.Lock()
					defer mu.Unlock()
					perNode[c.Options().Addr] = len(n)
					return nil
				})
				if len(perNode) != 3 {
					t.Errorf("keys per node %v, want three masters", perNode)
				}
				for n, c := range perNode {
					if c == 0 {
						t.Errorf("node %s holds no key: the slots are not shared", n)
					}
				}
			}
		})
	}
}
