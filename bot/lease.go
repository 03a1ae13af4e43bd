package bot

import (
	"context"
	"errors"
	"maps"
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

	// The batch's acknowledgements (see owe): the entries of the batch
	// rendered so far (cur is the one being rendered), those owed an
	// acknowledgement and those whose acknowledgement went; whether one is
	// held for the work's next round trip, how long it keeps the lease,
	// what the last that went answered, and the state it saved.
	cur, ackTo, ackSent int
	ackHeld             bool
	ackKeep             time.Duration
	ackErr              error
	left                int
	leftKnown           bool
	saved               map[string]string
	state               map[string]string
	// sent says a message went out in the batch at all.
	sent bool
	// batch is how many entries the batch holds.
	batch int

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
	l.sent = true
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

// let stops renewing; the last Finish has kept or dropped the lease.
func (l *lease) let() {
	close(l.stop)
	<-l.done
	l.cancel()
}

// owe records that the batch's entries up to through are to be
// acknowledged, keeping the lease for keep (0 lets it go): with the next
// round trip the delivery's work makes, whatever it is for (an effect's
// write, a card's record), or with one of its own before the next call to
// Telegram (settle), so that a message is acknowledged before anything
// more is sent, as it was when each had a round trip of its own.
func (l *lease) owe(through int, keep time.Duration) {
	l.mu.Lock()
	l.ackTo = max(l.ackTo, through)
	l.ackKeep = keep
	if l.ackHeld {
		l.mu.Unlock()
		return
	}
	l.ackHeld = true
	l.mu.Unlock()
	args := func() (int, time.Duration, map[string]string, []handoff.RefPost) {
		l.mu.Lock()
		n := max(0, l.ackTo-l.ackSent)
		l.ackSent += n
		l.ackHeld = false
		keep := l.ackKeep
		l.saved = maps.Clone(l.state)
		posts := l.posts
		l.posts = nil
		l.leftKnown = false
		l.mu.Unlock()
		return n, keep, l.state, posts
	}
	at := time.Now()
	done := func(left int, err error) {
		l.mu.Lock()
		if err != nil {
			l.ackErr = err
		} else {
			l.left, l.leftKnown = left, true
		}
		l.mu.Unlock()
		if err == nil {
			l.extend(at)
		}
	}
	if !l.s.b.outbox.FinishLater(l.ctx, l.chat, l.owner, args, done) {
		// No work to hold it: made at once.
		n, keep, state, posts := args()
		left, err := l.s.b.outbox.Finish(context.WithoutCancel(l.ctx), l.chat, l.owner, n, keep, state, posts...)
		done(left, err)
	}
}

// settle makes, in a round trip of its own, an acknowledgement still
// held (with whatever else the work holds), and returns the error of the
// last acknowledgement made, if any.
func (l *lease) settle() error {
	l.mu.Lock()
	held := l.ackHeld
	l.mu.Unlock()
	if held {
		if err := l.s.b.outbox.Flush(context.WithoutCancel(l.ctx)); err != nil {
			l.mu.Lock()
			if l.ackErr == nil {
				l.ackErr = err
			}
			l.mu.Unlock()
		}
	}
	return l.failed()
}

// failed is the error of an acknowledgement made, nil while all went well.
func (l *lease) failed() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ackErr
}

// oweCurrent records that the entry being rendered is done with as far as
// Telegram goes (a card posted, to be recorded): its acknowledgement rides
// with the round trip that records it.
func (l *lease) oweCurrent() {
	l.mu.Lock()
	through := l.cur + 1
	keep := l.ttl
	if l.chat < 0 && through >= l.batch {
		// A group's last entry of the batch: the lease goes with it, as
		// the batch's end would let it go (see deliverBatch).
		keep = 0
	}
	l.mu.Unlock()
	l.owe(through, keep)
}

// owes reports whether entries up to through are not yet owed an
// acknowledgement (a card's went with its record).
func (l *lease) owes(through int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return through > l.ackTo
}
