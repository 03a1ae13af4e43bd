// Package redistest gives tests a real Redis server and an isolated corner of it.
//
// A package's TestMain calls Main. If REDIS_URL is set the tests use that
// server; otherwise Main starts a private redis-server on a free loopback port
// for the life of the test binary and stops it afterwards. Each test then calls
// Setup for a client and a key prefix of its own, so tests of different
// packages, and parallel tests of one package, can share one server without
// seeing each other's keys.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// serverURL is the address of the server the tests of this binary use. It is
// set once by Main, before any test runs, and only read afterwards.
var serverURL string

// Main runs the tests of a package against a Redis server and returns the exit
// code for os.Exit. Use it as:
//
//	func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }
//
// With REDIS_URL set it uses that server. Otherwise it starts redis-server
// (found on PATH) with persistence off in a temporary directory, and stops it
// when the tests are done, whether they passed or not. If it cannot have a
// server it prints one line saying why and returns a failing code.
func Main(m *testing.M) int {
	defer stopTopologies()
	if u := os.Getenv("REDIS_URL"); u != "" {
		serverURL = u
		return m.Run()
	}
	srv, err := startServer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "redistest:", err)
		return 1
	}
	// Deferred so that the server also stops if m.Run panics in this goroutine;
	// a crash anywhere else is covered by the parent-death signal (see proc_linux.go).
	defer srv.stop()
	serverURL = srv.url()
	return m.Run()
}

// URL returns the address of the server the tests use, as a redis:// URL, so
// that a test can hand it to a child process (for example as REDIS_URL).
// It is empty before Main has run.
func URL() string { return serverURL }

// Setup returns a client on the test server and a key prefix no other test
// shares. Every key the test writes must begin with the prefix: when the test
// ends, all keys under it are deleted and the client is closed.
func Setup(t testing.TB) (*redis.Client, string) {
	t.Helper()
	if serverURL == "" {
		t.Fatal("redistest: no server; call redistest.Main from TestMain")
	}
	opt, err := redis.ParseURL(serverURL)
	if err != nil {
		t.Fatalf("redistest: bad server URL: %v", err)
	}
	rdb := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		t.Fatalf("redistest: ping %s: %v", serverURL, err)
	}
	prefix := newPrefix(t)
	t.Cleanup(func() {
		// The test's own context is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := deletePrefix(ctx, rdb, prefix); err != nil {
			t.Errorf("redistest: clean up keys under %q: %v", prefix, err)
		}
		rdb.Close()
	})
	return rdb, prefix
}

// prefixBytes fixes the length of every prefix, so that no prefix is the start
// of another and a cleanup's pattern matches only its own test's keys.
const prefixBytes = 8

// newPrefix returns "t" and 16 random hex digits. Random, not a counter,
// because several test binaries may share one server through REDIS_URL.
func newPrefix(t testing.TB) string {
	t.Helper()
	b := make([]byte, prefixBytes)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("redistest: random prefix: %v", err)
	}
	return "t" + hex.EncodeToString(b)
}

// deletePrefix removes every key that begins with prefix. The prefix holds only
// letters and digits, so it needs no escaping in a SCAN pattern. Keys are
// unlinked one a command, pipelined, since a Cluster node refuses a command
// naming keys of different slots.
func deletePrefix(ctx context.Context, rdb *redis.Client, prefix string) error {
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	pipe := rdb.Pipeline()
	for iter.Next(ctx) {
		pipe.Unlink(ctx, iter.Val())
		if pipe.Len() == 500 {
			if _, err := pipe.Exec(ctx); err != nil {
				return err
			}
		}
	}
	if err := iter.Err(); err != nil {
		return err
	}
	if pipe.Len() > 0 {
		_, err := pipe.Exec(ctx)
		return err
	}
	return nil
}

// errNoServer is the one line a developer sees when no Redis can be had.
var errNoServer = errors.New("redis-server not found on PATH: install redis-server (e.g. apt-get install redis-server) or set REDIS_URL to a running Redis")
