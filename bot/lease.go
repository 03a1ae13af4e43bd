package bot

import (
	"context"
	"errors"
	"sync"
	"time"

	"signpost/handoff"
)

// errLeaseShort is why a call was not made: the delivery's lease might
// have lapsed before it ended.
var errLeaseShort = errors.New("bot: the delivery lease might lapse during the call")

// lease is a delivery's hold on a chat's outbox. It is renewed in the
// background while the delivery works, and it tells each Bot API call
// whether it is sure to be held until the call is over: once a lease
// lapses another sender may claim the outbox and send what it finds, so a
// message in flight at that moment would reach the person twice.
type lease struct {
	s     *sender
	chat  int64
	owner string
	ttl   time.Duration

	mu     sync.Mutex
	until  time.Time         // surely held until then
	posted bool              // a message went out since the last acknowledgement
	posts  []handoff.RefPost // shown about referrals, to record with the next acknowledgement

	ctx    context.Context // ends when the lease is lost or lapses
	cancel context.CancelFunc
	stop   chan struct{}
	done   chan struct{}
}

type leaseKey struct{}

func leaseOf(ctx context.Context) *lease {
	l, _ := ctx.Value(leaseKey{}).(*lease)
	return l
}

// hold starts keeping the lease owner took on chat's outbox no earlier
// than since.
func (s *sender) hold(parent context.Context, chat int64, owner string, since time.Time) *lease {
	l := &lease{s: s, chat: chat, owner: owner, ttl: s.b.cfg.Lease, until: since.Add(s.b.cfg.Lease), stop: make(chan struct{}), done: make(chan struct{})}
	l.ctx, l.cancel = context.WithCancel(context.WithValue(parent, leaseKey{}, l))
	go l.keep()
	return l
}

// keep renews the lease every third of its length until let go. A renewal
// Redis cannot answer is tried again at the next tick; the lease then
// lapses on its own time unless one succeeds, and the delivery's context
// ends with it. A lease another sender holds is lost at once.
func (l *lease) keep() {
	defer close(l.done)
	t := time.NewTicker(l.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		at := time.Now()
		rctx, cancel := context.WithTimeout(context.Background(), l.ttl/3)
		held, err := l.s.b.outbox.Renew(rctx, l.chat, l.owner, l.ttl)
		cancel()
		switch {
		case err == nil && held:
			l.extend(at)
		case err == nil:
			l.s.b.log.Warn("delivery lease lost", "chat", l.chat)
			l.cancel()
			return
		default:
			l.s.b.log.Warn("renew delivery lease", "chat", l.chat, "err", err)
			if !l.sure(0) {
				l.cancel()
				return
			}
		}
	}
}

// extend records that the lease was set anew by a command sent at at.
func (l *lease) extend(at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if u := at.Add(l.ttl); u.After(l.until) {
		l.until = u
	}
}

// sure reports whether the lease is held for at least d more.
func (l *lease) sure(d time.Duration) bool {
	if l.ctx.Err() != nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Until(l.until) > d
}

// post records that a message went out under the lease.
func (l *lease) post() {
	l.mu.Lock()
	l.posted = true
	l.mu.Unlock()
}

// takePosted reports whether a message went out since it was last asked.
func (l *lease) takePosted() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.posted
	l.posted = false
	return p
}

// record keeps a post to be recorded with the next acknowledgement.
func (l *lease) record(p handoff.RefPost) {
	l.mu.Lock()
	l.posts = append(l.posts, p)
	l.mu.Unlock()
}

// takePosts returns the posts kept since it was last asked.
func (l *lease) takePosts() []handoff.RefPost {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.posts
	l.posts = nil
	return p
}

// let stops renewing; the last Finish has kept or dropped the lease.
func (l *lease) let() {
	close(l.stop)
	<-l.done
	l.cancel()
}
