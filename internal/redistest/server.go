package redistest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// startTimeout bounds how long a fresh redis-server may take to answer PING.
const startTimeout = 10 * time.Second

// server is a redis-server process private to one test binary.
type server struct {
	cmd  *exec.Cmd
	port int
	dir  string
	temp bool // dir is the server's own, removed when it stops
	out  *lockedBuffer
	done chan struct{} // closed when the process has exited
}

func (s *server) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", s.port) }

func (s *server) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// kill ends the server at once, as a crash would, and keeps its directory.
func (s *server) kill() {
	if s.cmd.Process != nil {
		s.cmd.Process.Kill()
		<-s.done
	}
}

// startServer starts redis-server on a free loopback port. A port found free can
// be taken by someone else before the server binds it, so a failed start is
// retried on another port a few times.
func startServer() (*server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, errNoServer
	}
	return startWith(bin, nil)
}

// startWith starts redis-server on a free loopback port, with more
// arguments made by extra from the server's directory and port (a
// configuration file, cluster mode, a master to replicate).
func startWith(bin string, extra func(dir string, port int) ([]string, error)) (*server, error) {
	var lastErr error
	for range 3 {
		s, err := tryStart(bin, extra)
		if err == nil {
			return s, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func tryStart(bin string, extra func(dir string, port int) ([]string, error)) (*server, error) {
	dir, err := os.MkdirTemp("", "redistest-")
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	return launch(bin, dir, true, func(port int) ([]string, error) {
		var args []string
		if extra != nil {
			if args, err = extra(dir, port); err != nil {
				return nil, err
			}
		}
		// A configuration file, if any, must come first.
		return append(args, "--save", "", "--appendonly", "no"), nil
	})
}

// launch starts redis-server in dir on a free loopback port with the
// arguments args gives for that port. temp says dir is the server's own,
// to be removed when it stops.
func launch(bin, dir string, temp bool, args func(port int) ([]string, error)) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("find a free port: %w", err)
	}
	s := &server{port: port, dir: dir, temp: temp, out: &lockedBuffer{}, done: make(chan struct{})}
	cleanup := func() {
		if temp {
			os.RemoveAll(dir)
		}
	}
	more, err := args(port)
	if err != nil {
		cleanup()
		return nil, err
	}
	more = append(more, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir)
	s.cmd = exec.Command(bin, more...)
	s.cmd.Dir = dir
	s.cmd.Stdout = s.out
	s.cmd.Stderr = s.out
	s.cmd.SysProcAttr = childAttr()
	if err := s.cmd.Start(); err != nil {
		cleanup()
		return nil, fmt.Errorf("start redis-server: %w", err)
	}
	go func() {
		s.cmd.Wait()
		close(s.done)
	}()
	if err := s.waitReady(); err != nil {
		s.stop()
		return nil, fmt.Errorf("redis-server on port %d: %w\n%s", port, err, s.out.String())
	}
	return s, nil
}

// waitReady polls PING until the server answers, exits, or startTimeout passes.
func (s *server) waitReady() error {
	rdb := redis.NewClient(&redis.Options{
		Addr:        s.addr(),
		DialTimeout: 200 * time.Millisecond,
		MaxRetries:  -1,
	})
	defer rdb.Close()
	deadline := time.Now().Add(startTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-s.done:
			return errors.New("exited before answering PING")
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer to PING within %s: %w", startTimeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop ends the server, politely first, and removes its directory.
func (s *server) stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
		}
	}
	if s.temp {
		os.RemoveAll(s.dir)
	}
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lockedBuffer collects the server's output, written by exec's copying
// goroutine and read by us when the start fails.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
