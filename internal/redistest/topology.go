package redistest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// The deployments a Topology can be.
const (
	Single   = "single"
	Sentinel = "sentinel"
	Cluster  = "cluster"
)

// SentinelMaster is the name the test sentinels know their master by.
const SentinelMaster = "signpost"

// Topology is a Redis deployment the tests can run on: the one server of
// the test binary, a Sentinel set (a master, two replicas and three
// sentinels) or a Redis Cluster of three masters, all on loopback ports.
// Sentinel and Cluster are started on first use and stopped when Main
// ends, so every test of a binary shares them.
type Topology struct {
	Name string
	// Env holds the settings that point signpost at the deployment:
	// REDIS_URL, or REDIS_SENTINEL_ADDRS and REDIS_SENTINEL_MASTER, or
	// REDIS_CLUSTER_ADDRS.
	Env map[string]string

	opts *redis.UniversalOptions
	// For a Sentinel set: its master, replicas and sentinels.
	master    *server
	replicas  []*server
	sentinels []*server
	// For a Cluster: its masters.
	nodes []*server
}

// Client returns a new client on the deployment; the caller closes it.
func (tp *Topology) Client() redis.UniversalClient {
	return redis.NewUniversalClient(tp.opts)
}

// Topologies returns the three deployments, starting Sentinel and Cluster
// if they are not running yet. The test fails if one cannot be had.
func Topologies(t testing.TB) []*Topology {
	t.Helper()
	return []*Topology{SingleTopology(t), SentinelTopology(t), ClusterTopology(t)}
}

// SingleTopology is the test binary's own server.
func SingleTopology(t testing.TB) *Topology {
	t.Helper()
	if serverURL == "" {
		t.Fatal("redistest: no server; call redistest.Main from TestMain")
	}
	opt, err := redis.ParseURL(serverURL)
	if err != nil {
		t.Fatalf("redistest: bad server URL: %v", err)
	}
	return &Topology{
		Name: Single,
		Env:  map[string]string{"REDIS_URL": serverURL},
		opts: &redis.UniversalOptions{Addrs: []string{opt.Addr}, DB: opt.DB, Username: opt.Username, Password: opt.Password},
	}
}

var (
	topoMu    sync.Mutex
	started   = map[string]*Topology{}
	stoppers  []func()
	startErrs = map[string]error{}
)

// stopTopologies ends every Sentinel set and Cluster started; Main calls it.
func stopTopologies() {
	topoMu.Lock()
	defer topoMu.Unlock()
	for i := len(stoppers) - 1; i >= 0; i-- {
		stoppers[i]()
	}
	stoppers = nil
	started = map[string]*Topology{}
}

func shared(t testing.TB, name string, start func() (*Topology, func(), error)) *Topology {
	t.Helper()
	topoMu.Lock()
	defer topoMu.Unlock()
	if tp := started[name]; tp != nil {
		return tp
	}
	if err := startErrs[name]; err != nil {
		t.Fatalf("redistest: %s: %v", name, err)
	}
	tp, stop, err := start()
	if err != nil {
		startErrs[name] = err
		t.Fatalf("redistest: %s: %v", name, err)
	}
	started[name] = tp
	stoppers = append(stoppers, stop)
	return tp
}

// SentinelTopology is a Sentinel set: a master, two replicas (so that a
// master promoted after a failover still has one) and three sentinels with
// a quorum of two, which notice a dead master after one
// second. Its master may be killed (KillMaster) to test a failover; the
// set is then spent, and the next call starts a fresh one.
func SentinelTopology(t testing.TB) *Topology {
	t.Helper()
	return shared(t, Sentinel, startSentinel)
}

// ClusterTopology is a Redis Cluster of three masters, slots shared evenly.
func ClusterTopology(t testing.TB) *Topology {
	t.Helper()
	return shared(t, Cluster, startCluster)
}

func startSentinel() (*Topology, func(), error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, nil, errNoServer
	}
	tp := &Topology{Name: Sentinel}
	stop := func() {
		for _, s := range append(append(tp.sentinels, tp.replicas...), tp.master) {
			if s != nil {
				s.stop()
			}
		}
	}
	if tp.master, err = startWith(bin, nil); err != nil {
		return nil, nil, err
	}
	for range 2 {
		r, err := startWith(bin, func(string, int) ([]string, error) {
			return []string{"--replicaof", "127.0.0.1", strconv.Itoa(tp.master.port)}, nil
		})
		if err != nil {
			stop()
			return nil, nil, err
		}
		tp.replicas = append(tp.replicas, r)
	}
	var addrs []string
	for range 3 {
		s, err := startWith(bin, func(dir string, port int) ([]string, error) {
			conf := filepath.Join(dir, "sentinel.conf")
			body := fmt.Sprintf("sentinel monitor %[1]s 127.0.0.1 %[2]d 2\n"+
				"sentinel down-after-milliseconds %[1]s 1000\n"+
				"sentinel failover-timeout %[1]s 4000\n"+
				"sentinel parallel-syncs %[1]s 1\n", SentinelMaster, tp.master.port)
			if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
				return nil, err
			}
			return []string{conf, "--sentinel"}, nil
		})
		if err != nil {
			stop()
			return nil, nil, err
		}
		tp.sentinels = append(tp.sentinels, s)
		addrs = append(addrs, s.addr())
	}
	tp.Env = map[string]string{"REDIS_SENTINEL_ADDRS": strings.Join(addrs, ","), "REDIS_SENTINEL_MASTER": SentinelMaster}
	tp.opts = &redis.UniversalOptions{Addrs: addrs, MasterName: SentinelMaster}
	if err := tp.waitSentinels(); err != nil {
		stop()
		return nil, nil, err
	}
	return tp, stop, nil
}

// waitSentinels waits until the replicas are in sync and every sentinel
// knows the master, both replicas and the two other sentinels: only then
// can they agree on a failover.
func (tp *Topology) waitSentinels() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		ready := true
		for _, r := range tp.replicas {
			c := redis.NewClient(&redis.Options{Addr: r.addr()})
			info, err := c.Info(ctx, "replication").Result()
			c.Close()
			if err != nil || !strings.Contains(info, "master_link_status:up") {
				ready = false
			}
		}
		for _, s := range tp.sentinels {
			if !ready {
				break
			}
			sc := redis.NewSentinelClient(&redis.Options{Addr: s.addr()})
			others, err1 := sc.Sentinels(ctx, SentinelMaster).Result()
			replicas, err2 := sc.Replicas(ctx, SentinelMaster).Result()
			sc.Close()
			if err1 != nil || err2 != nil || len(others) < 2 || len(replicas) < len(tp.replicas) {
				ready = false
			}
		}
		if ready {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.New("the sentinels did not find each other within 30s")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// KillMaster kills a Sentinel set's master at once, as a crash would, and
// marks the set spent: the sentinels promote the replica, and the next
// SentinelTopology starts a fresh set. It returns when the process is gone.
func (tp *Topology) KillMaster(t testing.TB) {
	t.Helper()
	if tp.Name != Sentinel {
		t.Fatal("redistest: KillMaster on a " + tp.Name)
	}
	topoMu.Lock()
	if started[Sentinel] == tp {
		delete(started, Sentinel)
	}
	topoMu.Unlock()
	tp.master.kill()
}

// SetDownAfter tells every sentinel of the set to call the master down
// only after it has been silent for d (the set starts at one second), so
// that a test can make an outage last longer than a client's retries.
func (tp *Topology) SetDownAfter(t testing.TB, d time.Duration) {
	t.Helper()
	if tp.Name != Sentinel {
		t.Fatal("redistest: SetDownAfter on a " + tp.Name)
	}
	ctx := context.Background()
	for _, s := range tp.sentinels {
		sc := redis.NewSentinelClient(&redis.Options{Addr: s.addr()})
		err := sc.Set(ctx, SentinelMaster, "down-after-milliseconds", strconv.FormatInt(d.Milliseconds(), 10)).Err()
		sc.Close()
		if err != nil {
			t.Fatalf("redistest: sentinel %s: %v", s.addr(), err)
		}
	}
}

// Promoted waits until the sentinels name one of the replicas as the master.
func (tp *Topology) Promoted(ctx context.Context) error {
	sc := redis.NewSentinelClient(&redis.Options{Addr: tp.sentinels[0].addr()})
	defer sc.Close()
	for {
		addr, err := sc.GetMasterAddrByName(ctx, SentinelMaster).Result()
		if err == nil && len(addr) == 2 {
			for _, r := range tp.replicas {
				if addr[1] == strconv.Itoa(r.port) {
					return nil
				}
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no new master: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func startCluster() (*Topology, func(), error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, nil, errNoServer
	}
	tp := &Topology{Name: Cluster}
	stop := func() {
		for _, s := range tp.nodes {
			s.stop()
		}
	}
	for range 3 {
		s, err := startWith(bin, func(dir string, _ int) ([]string, error) {
			return []string{"--cluster-enabled", "yes",
				"--cluster-config-file", filepath.Join(dir, "nodes.conf"),
				"--cluster-node-timeout", "2000"}, nil
		})
		if err != nil {
			stop()
			return nil, nil, err
		}
		tp.nodes = append(tp.nodes, s)
	}
	if err := tp.formCluster(); err != nil {
		stop()
		return nil, nil, err
	}
	var addrs []string
	for _, s := range tp.nodes {
		addrs = append(addrs, s.addr())
	}
	tp.Env = map[string]string{"REDIS_CLUSTER_ADDRS": strings.Join(addrs, ",")}
	tp.opts = &redis.UniversalOptions{Addrs: addrs, IsClusterMode: true}
	return tp, stop, nil
}

// formCluster shares the 16384 slots among the nodes, introduces them to
// each other and waits until every node says the cluster is ok.
func (tp *Topology) formCluster() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const slots = 16384
	var clients []*redis.Client
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	n := len(tp.nodes)
	for i, s := range tp.nodes {
		c := redis.NewClient(&redis.Options{Addr: s.addr()})
		clients = append(clients, c)
		from, to := i*slots/n, (i+1)*slots/n-1
		if err := c.ClusterAddSlotsRange(ctx, from, to).Err(); err != nil {
			return fmt.Errorf("add slots: %w", err)
		}
	}
	for _, s := range tp.nodes[1:] {
		if err := clients[0].ClusterMeet(ctx, "127.0.0.1", strconv.Itoa(s.port)).Err(); err != nil {
			return fmt.Errorf("cluster meet: %w", err)
		}
	}
	for {
		ok := true
		for _, c := range clients {
			info, err := c.ClusterInfo(ctx).Result()
			if err != nil || !strings.Contains(info, "cluster_state:ok") || !strings.Contains(info, "cluster_known_nodes:"+strconv.Itoa(n)) {
				ok = false
				break
			}
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.New("the cluster did not form within 30s")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// SetupOn returns a client on the deployment and a key prefix no other
// test shares, as Setup does; when the test ends every key under the
// prefix is deleted from every node and the client is closed.
func SetupOn(t testing.TB, tp *Topology) (redis.UniversalClient, string) {
	t.Helper()
	rdb := tp.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := EachMaster(ctx, rdb, func(ctx context.Context, c *redis.Client) error { return c.Ping(ctx).Err() }); err != nil {
		rdb.Close()
		t.Fatalf("redistest: ping %s: %v", tp.Name, err)
	}
	prefix := newPrefix(t)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := EachMaster(ctx, rdb, func(ctx context.Context, c *redis.Client) error { return deletePrefix(ctx, c, prefix) })
		if err != nil {
			t.Errorf("redistest: clean up keys under %q: %v", prefix, err)
		}
		rdb.Close()
	})
	return rdb, prefix
}

// EachMaster calls fn with a client on every master of the deployment:
// every node of a Cluster, or the one server.
func EachMaster(ctx context.Context, rdb redis.UniversalClient, fn func(context.Context, *redis.Client) error) error {
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		return c.ForEachMaster(ctx, fn)
	case *redis.Client:
		return fn(ctx, c)
	}
	return fmt.Errorf("redistest: unknown client %T", rdb)
}

// Keys lists the keys matching pattern on every master.
func Keys(ctx context.Context, rdb redis.UniversalClient, pattern string) ([]string, error) {
	var mu sync.Mutex
	var keys []string
	err := EachMaster(ctx, rdb, func(ctx context.Context, c *redis.Client) error {
		found, err := c.Keys(ctx, pattern).Result()
		mu.Lock()
		keys = append(keys, found...)
		mu.Unlock()
		return err
	})
	return keys, err
}
