package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisServer is a private redis-server on a loopback port, without
// persistence, started when REDIS_URL is not set.
type redisServer struct {
	cmd *exec.Cmd
	dir string
	url string
}

// startRedis runs redis-server from PATH on a free loopback port and waits
// until it answers PING.
func startRedis(ctx context.Context) (*redisServer, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL is not set and redis-server is not on PATH")
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "signpost-bench-redis-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin,
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir,
		"--daemonize", "no", "--loglevel", "warning")
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start redis-server: %w", err)
	}
	r := &redisServer{cmd: cmd, dir: dir, url: fmt.Sprintf("redis://127.0.0.1:%d/0", port)}
	rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := rdb.Ping(ctx).Err(); err == nil {
			return r, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			r.stop()
			return nil, fmt.Errorf("redis-server on port %d did not answer PING within 10s", port)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *redisServer) stop() {
	r.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { r.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		r.cmd.Process.Kill()
		<-done
	}
	os.RemoveAll(r.dir)
}

// freePort asks the kernel for a free loopback port. Another process could
// take it before it is used; on this benchmark's quiet loopback that does
// not happen in practice, and a clash fails the run loudly.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// info reads one section of INFO as field/value pairs.
func info(ctx context.Context, rdb *redis.Client, section string) (map[string]string, error) {
	raw, err := rdb.Info(ctx, section).Result()
	if err != nil {
		return nil, fmt.Errorf("redis INFO %s: %w", section, err)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(raw))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			out[k] = v
		}
	}
	return out, nil
}

// redisSnapshot is what the benchmark reads from Redis before and after a
// run: CPU seconds used by the server and, per command, calls and
// microseconds spent inside Redis.
type redisSnapshot struct {
	cpu      time.Duration
	commands map[string]commandStat
}

type commandStat struct {
	calls int64
	usec  int64
}

func snapshotRedis(ctx context.Context, rdb *redis.Client) (redisSnapshot, error) {
	var s redisSnapshot
	cpu, err := info(ctx, rdb, "cpu")
	if err != nil {
		return s, err
	}
	for _, k := range []string{"used_cpu_user", "used_cpu_sys"} {
		f, _ := strconv.ParseFloat(cpu[k], 64)
		s.cpu += time.Duration(f * float64(time.Second))
	}
	stats, err := info(ctx, rdb, "commandstats")
	if err != nil {
		return s, err
	}
	s.commands = map[string]commandStat{}
	for k, v := range stats {
		name, ok := strings.CutPrefix(k, "cmdstat_")
		if !ok {
			continue
		}
		var c commandStat
		for _, f := range strings.Split(v, ",") {
			fk, fv, _ := strings.Cut(f, "=")
			n, _ := strconv.ParseInt(fv, 10, 64)
			switch fk {
			case "calls":
				c.calls = n
			case "usec":
				c.usec = n
			}
		}
		s.commands[name] = c
	}
	return s, nil
}

// sub is the activity between two snapshots.
func (s redisSnapshot) sub(before redisSnapshot) redisSnapshot {
	d := redisSnapshot{cpu: s.cpu - before.cpu, commands: map[string]commandStat{}}
	for name, c := range s.commands {
		b := before.commands[name]
		if c.calls > b.calls {
			d.commands[name] = commandStat{calls: c.calls - b.calls, usec: c.usec - b.usec}
		}
	}
	return d
}
