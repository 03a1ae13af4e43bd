package redistest

import (
	"os/exec"
	"testing"
)

// Persistent is a redis-server of one test's own that keeps its data in a
// folder as a production server does (RDB snapshots, and the append-only
// file when asked), so that a test can stop it, change the files as a
// backup or restore would, and start it again on them.
type Persistent struct {
	Dir string
	// AOF turns the append-only file on at the next Start.
	AOF bool
	srv *server
}

// StartPersistent starts a server on dir, loading what dir holds
// (dump.rdb, or appendonlydir/ with aof). It is stopped when the test ends.
func StartPersistent(t testing.TB, dir string, aof bool) *Persistent {
	t.Helper()
	p := &Persistent{Dir: dir, AOF: aof}
	p.Start(t)
	t.Cleanup(func() {
		if p.srv != nil {
			p.srv.stop()
		}
	})
	return p
}

// URL is the server's address as a redis:// URL.
func (p *Persistent) URL() string { return p.srv.url() }

// Start starts the server again on its folder, after Stop.
func (p *Persistent) Start(t testing.TB) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal(errNoServer)
	}
	appendonly := "no"
	if p.AOF {
		appendonly = "yes"
	}
	srv, err := launch(bin, p.Dir, false, func(int) ([]string, error) {
		return []string{"--save", "3600 1", "--appendonly", appendonly, "--dbfilename", "dump.rdb"}, nil
	})
	if err != nil {
		t.Fatalf("redistest: %v", err)
	}
	p.srv = srv
}

// Stop stops the server the way an operator does, which makes it save its
// data first, and keeps its folder.
func (p *Persistent) Stop() {
	p.srv.stop()
	p.srv = nil
}
