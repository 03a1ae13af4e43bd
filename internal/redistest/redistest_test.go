package redistest

import (
	"context"
	"errors"
	"os"
	"strings"
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
