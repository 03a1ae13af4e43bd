package store

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Connection says which Redis deployment to use: one server (URL), a
// Sentinel set (SentinelAddrs and SentinelMaster) or a Cluster
// (ClusterAddrs). Exactly one of the three must be given.
type Connection struct {
	// URL is redis://[user:password@]host:port/db, or rediss:// for TLS.
	URL string
	// SentinelAddrs are the sentinels' host:port; SentinelMaster the name
	// they know the master by.
	SentinelAddrs  []string
	SentinelMaster string
	// SentinelUsername and SentinelPassword authenticate to the sentinels
	// themselves, when they ask for it.
	SentinelUsername, SentinelPassword string
	// ClusterAddrs are some of the cluster's nodes, host:port; the client
	// learns the rest from them.
	ClusterAddrs []string
	// Username and Password authenticate to the data nodes (ACL user, or
	// password alone for requirepass). With a URL they replace what the
	// URL holds, so that the password can come from a file.
	Username, Password string
	// TLS turns on TLS to the data nodes of a Sentinel set or a Cluster; a
	// URL says so by its scheme.
	TLS bool
	// DB is the database of a Sentinel set's master; a URL carries its own.
	DB int
	// MinIdleConns keeps connections open before the first burst.
	MinIdleConns int
}

// Topology names the kind of deployment a Connection points at.
func (c Connection) Topology() string {
	switch {
	case len(c.ClusterAddrs) > 0:
		return "cluster"
	case len(c.SentinelAddrs) > 0:
		return "sentinel"
	default:
		return "single"
	}
}

// String describes where the connection goes, without any password.
func (c Connection) String() string {
	switch c.Topology() {
	case "cluster":
		return "Redis Cluster at " + strings.Join(c.ClusterAddrs, ",")
	case "sentinel":
		return fmt.Sprintf("Redis master %q of the sentinels at %s", c.SentinelMaster, strings.Join(c.SentinelAddrs, ","))
	}
	u, err := url.Parse(c.URL)
	if err != nil {
		return "Redis at an unreadable URL"
	}
	u.User = nil
	return "Redis at " + u.String()
}

// Options turns c into go-redis's options, checking what it can without
// connecting.
func (c Connection) Options() (*redis.UniversalOptions, error) {
	given := 0
	for _, set := range []bool{c.URL != "", len(c.SentinelAddrs) > 0, len(c.ClusterAddrs) > 0} {
		if set {
			given++
		}
	}
	if given != 1 {
		return nil, errors.New("give exactly one of a Redis URL, a Sentinel set or a Cluster")
	}
	o := &redis.UniversalOptions{MinIdleConns: c.MinIdleConns}
	switch c.Topology() {
	case "cluster":
		if err := checkAddrs(c.ClusterAddrs); err != nil {
			return nil, err
		}
		o.Addrs = c.ClusterAddrs
		o.IsClusterMode = true
	case "sentinel":
		if err := checkAddrs(c.SentinelAddrs); err != nil {
			return nil, err
		}
		if c.SentinelMaster == "" {
			return nil, errors.New("a Sentinel set needs the master's name")
		}
		o.Addrs = c.SentinelAddrs
		o.MasterName = c.SentinelMaster
		o.SentinelUsername, o.SentinelPassword = c.SentinelUsername, c.SentinelPassword
		o.DB = c.DB
	default:
		one, err := redis.ParseURL(c.URL)
		if err != nil {
			return nil, err
		}
		o.Addrs = []string{one.Addr}
		o.DB = one.DB
		o.Username, o.Password = one.Username, one.Password
		o.TLSConfig = one.TLSConfig
		o.Protocol = one.Protocol
		o.ClientName = one.ClientName
	}
	if c.Topology() != "single" && c.TLS {
		o.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if c.Username != "" {
		o.Username = c.Username
	}
	if c.Password != "" {
		o.Password = c.Password
	}
	return o, nil
}

func checkAddrs(addrs []string) error {
	for _, a := range addrs {
		host, port, err := net.SplitHostPort(a)
		if err != nil || host == "" || port == "" {
			return fmt.Errorf("%q is not host:port", a)
		}
	}
	return nil
}

// Connect builds the one client every part of signpost shares, for
// whichever topology c names, and checks that Redis answers within
// timeout. The caller closes the client.
func Connect(ctx context.Context, c Connection, timeout time.Duration) (redis.UniversalClient, error) {
	o, err := c.Options()
	if err != nil {
		return nil, err
	}
	rdb := redis.NewUniversalClient(o)
	pingCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := Ping(pingCtx, rdb); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("cannot reach %s: %w", c, err)
	}
	return rdb, nil
}

// Ping checks that Redis answers; on a Cluster, that every master does,
// since any of them may hold a person's keys.
func Ping(ctx context.Context, rdb redis.UniversalClient) error {
	return eachMaster(ctx, rdb, func(ctx context.Context, m *redis.Client) error {
		return m.Ping(ctx).Err()
	})
}

// LogTo sends go-redis's own messages (a master changed by Sentinel, a
// node unreachable) to log, as structured lines like every other. go-redis
// keeps one logger per process in a plain variable, so it is set once and
// reads the latest log given here: a process that starts serve more than
// once (the tests) may call LogTo from several goroutines at once.
func LogTo(log *slog.Logger) {
	redisLog.Store(log)
	setRedisLogger.Do(func() { redis.SetLogger(redisLogger{}) })
}

var (
	redisLog       atomic.Pointer[slog.Logger]
	setRedisLogger sync.Once
)

type redisLogger struct{}

func (redisLogger) Printf(ctx context.Context, format string, v ...any) {
	if log := redisLog.Load(); log != nil {
		log.InfoContext(ctx, "redis client", "said", fmt.Sprintf(format, v...))
	}
}

// EvictionPolicies reads the maxmemory-policy of every master, by address.
// It uses INFO, which managed services allow where CONFIG GET is refused.
func EvictionPolicies(ctx context.Context, rdb redis.UniversalClient) (map[string]string, error) {
	var mu sync.Mutex
	out := map[string]string{}
	read := func(ctx context.Context, c *redis.Client) error {
		info, err := c.Info(ctx, "memory").Result()
		if err != nil {
			return err
		}
		for _, line := range strings.Split(info, "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "maxmemory_policy:"); ok {
				mu.Lock()
				out[c.Options().Addr] = v
				mu.Unlock()
			}
		}
		return nil
	}
	return out, eachMaster(ctx, rdb, read)
}
