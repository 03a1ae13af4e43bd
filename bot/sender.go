package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"

	"signpost/flows"
	"signpost/handoff"
)

// Delivery settings.
const (
	// batch is how many outbox entries one claim reads.
	batch = 8
	// maxAttempts bounds the retries of one call on 5xx answers and timeouts
	// before the chat is set aside and tried again later.
	maxAttempts = 6
	// retryLater is when a chat set aside is tried again.
	retryLater = 15 * time.Second
)

// sender delivers outboxes: one chat at a time per worker, entries in order.
type sender struct {
	b       *Bot
	workers int
	queue   chan int64

	mu     sync.Mutex
	queued map[int64]bool
	inline atomic.Int64 // names inline deliveries apart

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func newSender(b *Bot, workers int) *sender {
	return &sender{b: b, workers: workers, queue: make(chan int64, 65536), queued: map[int64]bool{}}
}

func (s *sender) start(parent context.Context) {
	// The sender outlives the intake's context: it stops in stop(), after
	// the intake, so replies to the last updates are still sent.
	s.ctx, s.cancel = context.WithCancel(context.WithoutCancel(parent))
	for i := 0; i < s.workers; i++ {
		s.wg.Add(1)
		go s.work(fmt.Sprintf("%s.%d", s.b.owner, i))
	}
	s.wg.Add(1)
	go s.sweep()
}

// stop lets each worker finish the chat in hand, then returns.
func (s *sender) stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.wg.Wait()
}

// notify asks for chat's outbox to be delivered. A chat already waiting is
// not queued twice.
func (s *sender) notify(chat int64) {
	s.mu.Lock()
	if s.queued[chat] {
		s.mu.Unlock()
		return
	}
	s.queued[chat] = true
	s.mu.Unlock()
	s.b.m.senderQueue.Inc()
	select {
	case s.queue <- chat:
	default:
		// Full: the sweep finds it in Redis.
		s.mu.Lock()
		delete(s.queued, chat)
		s.mu.Unlock()
		s.b.m.senderQueue.Dec()
	}
}

// inlineOwner names a delivery made from the caller's goroutine, apart from
// every other.
func (s *sender) inlineOwner() string {
	return fmt.Sprintf("%s.i%d", s.b.owner, s.inline.Add(1))
}

// work delivers one chat after another. Each worker leases outboxes under
// its own name, so two workers of one replica never deliver one chat at once.
func (s *sender) work(owner string) {
	defer s.wg.Done()
	take := func(chat int64) {
		s.mu.Lock()
		delete(s.queued, chat)
		s.mu.Unlock()
		s.b.m.senderQueue.Dec()
		s.deliver(chat, owner)
	}
	for {
		select {
		case <-s.ctx.Done():
			// Stopping: deliver what is queued already (the replies to the
			// last updates handled), then go.
			for {
				select {
				case chat := <-s.queue:
					take(chat)
				default:
					return
				}
			}
		case chat := <-s.queue:
			take(chat)
		}
	}
}

// sweep looks for outboxes with entries, at start and then now and again:
// the work of a replica that crashed, or a notification that was lost.
func (s *sender) sweep() {
	defer s.wg.Done()
	t := time.NewTicker(s.b.cfg.SweepEvery)
	defer t.Stop()
	for {
		users, err := s.b.outbox.PendingUsers(s.ctx)
		if err != nil && s.ctx.Err() == nil {
			s.b.log.Warn("sweep outboxes", "err", err)
		}
		for _, u := range users {
			s.notify(u)
		}
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// later notifies chat again after d, unless the sender stops first.
func (s *sender) later(chat int64, d time.Duration) {
	t := time.AfterFunc(d, func() { s.notify(chat) })
	go func() {
		<-s.ctx.Done()
		t.Stop()
	}()
}

// deliver sends chat's outbox until it is empty, another sender holds it,
// or a failure sets it aside. The context of a delivery is not cancelled by
// stop: a batch in hand is finished.
func (s *sender) deliver(chat int64, owner string) {
	s.deliverFrom(chat, owner, nil)
}

// deliverFrom is deliver starting from a claim already made (by the commit
// of the update that produced the entries), or from none.
func (s *sender) deliverFrom(chat int64, owner string, first *flows.Claimed) {
	if flows.IsWeb(chat) {
		return // a web visitor's outbox is the web chat's to show
	}
	ctx := context.WithoutCancel(s.ctx)
	for {
		lease := s.b.cfg.Lease
		n := batch
		if chat < 0 {
			// A group takes a message every three seconds (20 a minute):
			// a batch of one keeps the wait well inside the lease.
			n = 1
		}
		var entries [][]byte
		var state map[string]string
		var ok bool
		var err error
		if first != nil {
			entries, state, ok = first.Entries, first.State, first.OK
			first = nil
		} else {
			entries, state, ok, err = s.b.outbox.Claim(ctx, chat, owner, lease, n)
		}
		if err != nil {
			s.b.log.Warn("claim outbox", "chat", chat, "err", err)
			s.later(chat, retryLater)
			return
		}
		if !ok {
			// Another sender holds it: it finishes the outbox, or, if it
			// died, its lease lapses and this one takes over.
			s.later(chat, lease)
			return
		}
		if len(entries) == 0 {
			return
		}
		outs := make([]*flows.Out, len(entries))
		for i, raw := range entries {
			var o flows.Out
			if err := json.Unmarshal(raw, &o); err != nil {
				s.b.log.Error("unreadable outbox entry dropped", "chat", chat, "err", err)
				continue
			}
			outs[i] = &o
		}
		bctx, err := s.b.book(ctx, chat, outs)
		if err != nil {
			s.b.log.Warn("book rate limits", "chat", chat, "err", err)
			s.b.outbox.Finish(ctx, chat, owner, 0, 0, nil)
			s.later(chat, retryLater)
			return
		}
		done, outcome, retryIn := 0, sendOK, retryLater
		for _, o := range outs {
			if o == nil {
				done++
				continue
			}
			outcome, retryIn = s.b.render(bctx, chat, *o, state)
			if outcome == sendRetryLater {
				lease = 0 // set aside: let another sender have it
				break
			}
			done++
			if outcome == sendBlocked {
				// Nothing more can reach them; a link worker's message among
				// the rest is reported as not delivered.
				for _, rest := range outs[done:] {
					if rest != nil {
						s.b.receipt(ctx, *rest, handoff.DeliveryBlocked)
					}
				}
				done = len(entries)
				break
			}
		}
		left, err := s.b.outbox.Finish(ctx, chat, owner, done, lease, state)
		if err != nil {
			s.b.log.Warn("finish outbox", "chat", chat, "err", err)
			s.later(chat, retryLater)
			return
		}
		switch {
		case outcome == sendRetryLater:
			s.later(chat, retryIn)
			return
		case outcome == sendBlocked && left > 0:
			continue // drop the rest too
		case left == 0:
			return
		}
		if s.ctx.Err() != nil {
			return // stopping: the rest waits in Redis
		}
	}
}

// Outcomes of one outbox entry.
type sendOutcome int

const (
	sendOK         sendOutcome = iota // delivered, or dropped as undeliverable
	sendBlocked                       // the person blocked the bot
	sendRetryLater                    // set the chat aside and try again later
)

// call makes one Bot API call within the limits, retrying as Telegram asks:
// after retry_after on 429, with backoff on 5xx answers and timeouts. A wait
// longer than a third of the lease is not waited out here: the chat is set
// aside for that long instead, so the lease never lapses mid-wait.
func (b *Bot) call(ctx context.Context, chat int64, method string, limited bool, fn func() error) (sendOutcome, time.Duration, error) {
	if limited {
		if err := b.waitSlot(ctx, chat); err != nil {
			return sendRetryLater, retryLater, err
		}
	}
	backoff := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn()
		var tooMany *tgbot.TooManyRequestsError
		switch {
		case err == nil:
			b.m.sends.WithLabelValues(method, "ok").Inc()
			return sendOK, 0, nil
		case errors.As(err, &tooMany):
			b.m.sends.WithLabelValues(method, "429").Inc()
			b.m.tooMany.Inc()
			wait := time.Duration(tooMany.RetryAfter) * time.Second
			if wait <= 0 {
				wait = time.Second
			}
			if wait > b.cfg.Lease/3 {
				return sendRetryLater, wait, err
			}
			if !sleep(ctx, wait) {
				return sendRetryLater, retryLater, ctx.Err()
			}
			// The slot booked for the refused call is spent: book another,
			// or the retry would crowd the messages booked after it.
			if limited {
				chatOff, _, globOff, _, err := b.reserve(ctx, chat, 1)
				if err != nil {
					return sendRetryLater, retryLater, err
				}
				if d := max(chatOff, globOff); d > 0 && !sleep(ctx, d) {
					return sendRetryLater, retryLater, ctx.Err()
				}
			}
			continue
		case errors.Is(err, tgbot.ErrorForbidden):
			b.m.sends.WithLabelValues(method, "403").Inc()
			return sendBlocked, 0, err
		case errors.Is(err, tgbot.ErrorBadRequest), errors.Is(err, tgbot.ErrorNotFound), errors.Is(err, tgbot.ErrorUnauthorized):
			b.m.sends.WithLabelValues(method, "400").Inc()
			return sendOK, 0, err // sending it again would fail again
		}
		b.m.sends.WithLabelValues(method, "error").Inc()
		if attempt >= maxAttempts || ctx.Err() != nil {
			return sendRetryLater, retryLater, err
		}
		b.m.retries.Inc()
		if !sleep(ctx, backoff) {
			return sendRetryLater, retryLater, ctx.Err()
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

// rateMargin keeps the sender 2% under each configured rate: messages
// reach Telegram a few milliseconds apart from when they were booked, and a
// limit met exactly would now and then be passed by that jitter.
const rateMargin = 0.98

// slots are the sending slots booked for one batch of a chat's outbox, in
// two round trips (the chat's or group's limit, and the overall one), rather
// than two for every message.
type slots struct {
	start           time.Time
	chatOff, chatIv time.Duration
	globOff, globIv time.Duration
	next, n         int
}

type slotsKey struct{}

// sends counts the Bot API calls a batch of outbox entries will make, to
// book their slots at once. A question's edit is counted whether or not it
// turns out to be needed.
func sends(outs []*flows.Out) int {
	n := 0
	for _, o := range outs {
		if o == nil {
			continue
		}
		switch o.Kind {
		case flows.OutMessage:
			n += len(splitText(o.Text, MaxText))
		case flows.OutUpdate, flows.OutClose:
			n++
		}
	}
	return n
}

// book reserves the slots of a batch and returns a context carrying them.
func (b *Bot) book(ctx context.Context, chat int64, outs []*flows.Out) (context.Context, error) {
	n := sends(outs)
	if n == 0 {
		return ctx, nil
	}
	sl := &slots{n: n}
	var err error
	sl.chatOff, sl.chatIv, sl.globOff, sl.globIv, err = b.reserve(ctx, chat, n)
	if err != nil {
		return ctx, err
	}
	sl.start = time.Now()
	return context.WithValue(ctx, slotsKey{}, sl), nil
}

// reserve books n slots under the chat's limit (per minute for a group) and
// the overall one.
func (b *Bot) reserve(ctx context.Context, chat int64, n int) (chatOff, chatIv, globOff, globIv time.Duration, err error) {
	l := b.cfg.Limits
	rate, burst := l.PerChat, l.ChatBurst
	if chat < 0 {
		rate, burst = l.PerGroupMinute, 1
	}
	return b.outbox.ReserveBoth(ctx, chat, rate*rateMargin, burst, l.Global*rateMargin, max(1, int(l.Global)), n)
}

// waitSlot waits for the next slot booked for the batch, or books one on
// its own when the batch has none left (a retry after 429).
func (b *Bot) waitSlot(ctx context.Context, chat int64) error {
	var d time.Duration
	if sl, ok := ctx.Value(slotsKey{}).(*slots); ok && sl.next < sl.n {
		i := time.Duration(sl.next)
		sl.next++
		d = max(sl.chatOff+i*sl.chatIv, sl.globOff+i*sl.globIv) - time.Since(sl.start)
	} else {
		chatOff, _, globOff, _, err := b.reserve(ctx, chat, 1)
		if err != nil {
			return err
		}
		d = max(chatOff, globOff)
	}
	if d > 0 {
		b.m.rateWaits.Inc()
		if !sleep(ctx, d) {
			return ctx.Err()
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
