package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"

	"signpost/flows"
	"signpost/handoff"
	"signpost/internal/roundtrip"
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
	// inflight bounds the deliveries handed off by the intake: when it is
	// full the intake waits, so a bot that cannot send takes updates in no
	// faster than it delivers.
	inflight chan struct{}
	// tasks hands a delivery to a goroutine of an earlier one, idle since:
	// its stack has grown to what a delivery needs, where a new goroutine
	// would grow its own again, copying it each time. There are no more of
	// them than deliveries were ever in flight at once (inflight bounds
	// that); they end when the sender stops.
	tasks chan func()

	mu     sync.Mutex
	queued map[int64]bool
	// swept are the chats queued by the sweep, whose index entries are old
	// enough to be dropped once their outbox is seen empty.
	swept  map[int64]bool
	inline atomic.Int64 // names inline deliveries apart

	// groupAt are sending slots of chats booked when entries were put in
	// their outbox, earliest first, for their deliveries to wait for
	// (keepSlots).
	groupAt map[int64][]time.Time
	// cards are the referrals whose cards were put in a group's outbox,
	// to read with its claim (see cardhints.go).
	cards map[int64][]cardHint
	// groupNext is when each group's next sending slot is free, as far as
	// this replica booked them (see groupFree).
	groupNext map[int64]time.Time
	// pairAt are the kept slots of groups that are each for two calls, a
	// card's edit and the message after it (see keepPair).
	pairAt map[int64][]time.Time
	// groupCalls are when this replica last called each group, the latest
	// as many as the group's rate allows in a minute (see windowWait).
	groupCalls map[int64][]time.Time
	// groupWaiting counts the deliveries of each group waiting for a slot
	// kept for it (see waitGroupSlot).
	groupWaiting map[int64]int

	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	started atomic.Bool // deliveries may be handed off
}

func newSender(b *Bot, workers, inflight int) *sender {
	return &sender{b: b, workers: workers, queue: make(chan int64, 65536), inflight: make(chan struct{}, inflight), tasks: make(chan func()), queued: map[int64]bool{}, swept: map[int64]bool{}, groupAt: map[int64][]time.Time{}, cards: map[int64][]cardHint{}, groupNext: map[int64]time.Time{}, pairAt: map[int64][]time.Time{}, groupCalls: map[int64][]time.Time{}, groupWaiting: map[int64]int{}}
}

func (s *sender) start(parent context.Context) {
	// The sender outlives the intake's context: it stops in stop(), after
	// the intake, so replies to the last updates are still sent.
	s.ctx, s.cancel = context.WithCancel(context.WithoutCancel(parent))
	s.started.Store(true)
	for i := 0; i < s.workers; i++ {
		s.wg.Add(1)
		go s.work(fmt.Sprintf("%s.%d", s.b.owner, i))
	}
	s.wg.Add(1)
	go s.sweep()
}

// stop lets each delivery finish the batch in hand, then returns.
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

// inlineOwner names a delivery handed off by the intake, apart from every
// other.
func (s *sender) inlineOwner() string {
	return fmt.Sprintf("%s.i%d", s.b.owner, s.inline.Add(1))
}

// handOff delivers what the commit of an update leased to owner (the
// lease taken no earlier than since), on a goroutine of its own, so that
// the update is answered once committed and the chat's shard goes on to
// the next update; then it runs after, if not nil. It waits while the
// in-flight deliveries are at their bound.
func (s *sender) handOff(chat int64, owner string, since time.Time, claimed flows.Claimed, after func()) {
	s.handOffWork(chat, owner, since, claimed, after, nil)
}

// handOffWork is handOff whose first batch is delivered in work, which
// knows what the writer of the entries read (nil: a work of its own).
func (s *sender) handOffWork(chat int64, owner string, since time.Time, claimed flows.Claimed, after func(), work *roundtrip.Work) {
	if !claimed.OK {
		// Another sender holds the outbox: it delivers these too, or, if it
		// died, its lease lapses and a notification then takes over.
		s.later(chat, s.b.cfg.Lease)
	}
	if (!claimed.OK || len(claimed.Entries) == 0) && after == nil {
		return
	}
	s.acquire()
	s.spawn(func() {
		defer s.release()
		if claimed.OK && len(claimed.Entries) > 0 {
			s.deliverFromWork(chat, owner, since, &claimed, work)
		}
		if after != nil {
			after()
		}
	})
}

// spawn runs f on a goroutine of an earlier delivery now idle, or on a new
// one if none is (on a goroutine of its own before the sender starts).
func (s *sender) spawn(f func()) {
	if !s.started.Load() {
		go f()
		return
	}
	select {
	case s.tasks <- f:
	default:
		s.wg.Add(1)
		go s.runTasks(f)
	}
}

// runTasks runs f, then whatever spawn hands it, until the sender stops.
func (s *sender) runTasks(f func()) {
	defer s.wg.Done()
	for {
		f()
		select {
		case f = <-s.tasks:
		case <-s.ctx.Done():
			return
		}
	}
}

// acquire takes an in-flight slot, waiting while none is free; release
// gives it back.
func (s *sender) acquire() {
	s.inflight <- struct{}{}
	s.wg.Add(1)
	s.b.m.inflight.Inc()
}

func (s *sender) release() {
	s.b.m.inflight.Dec()
	<-s.inflight
	s.wg.Done()
}

// work delivers one chat after another. Each worker leases outboxes under
// its own name, so two workers of one replica never deliver one chat at once.
func (s *sender) work(owner string) {
	defer s.wg.Done()
	take := func(chat int64) {
		s.mu.Lock()
		delete(s.queued, chat)
		swept := s.swept[chat]
		delete(s.swept, chat)
		s.mu.Unlock()
		s.b.m.senderQueue.Dec()
		s.deliver(chat, owner, swept)
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
// the work of a replica that crashed, or a notification that was lost. At
// start it takes every outbox the index holds; later only those nobody has
// touched for a while, since the rest are being delivered.
func (s *sender) sweep() {
	defer s.wg.Done()
	t := time.NewTicker(s.b.cfg.SweepEvery)
	defer t.Stop()
	for first := true; ; first = false {
		users, err := s.b.outbox.PendingUsers(s.ctx, first)
		if err != nil && s.ctx.Err() == nil {
			s.b.log.Warn("sweep outboxes", "err", err)
		}
		for _, u := range users {
			if !flows.IsWeb(u) {
				s.mu.Lock()
				s.swept[u] = true
				s.mu.Unlock()
				s.notify(u)
			}
		}
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// later notifies chat again after d and a little more, unless the sender
// stops first. The little more, up to a fifth of d, keeps replicas that set
// chats aside at the same moment from all coming back at once.
func (s *sender) later(chat int64, d time.Duration) {
	t := time.AfterFunc(spread(d), func() { s.notify(chat) })
	go func() {
		<-s.ctx.Done()
		t.Stop()
	}()
}

// spread is d plus a random part of up to a fifth of it.
func spread(d time.Duration) time.Duration {
	if d <= 0 {
		return d
	}
	return d + rand.N(d/5+1)
}

// deliver sends chat's outbox until it is empty, another sender holds it,
// or a failure sets it aside. The context of a delivery is not cancelled by
// stop: a batch in hand is finished.
//
// Only a delivery the sweep asked for (swept) drops the chat from the index
// of pending outboxes: the sweep lists only entries older than the index's
// grace, which the drop needs. Any other delivery follows entries added
// moments ago, whose index entry no drop would touch yet, so asking would
// be a round trip for nothing; the sweep drops it once it is old enough.
func (s *sender) deliver(chat int64, owner string, swept bool) {
	if !s.deliverFrom(chat, owner, time.Time{}, nil) || !swept {
		return
	}
	// Seen empty: drop the chat from the index of pending outboxes, unless
	// entries were added there lately.
	if err := s.b.outbox.Unindex(context.WithoutCancel(s.ctx), chat); err != nil {
		s.b.log.Warn("unindex outbox", "chat", chat, "err", err)
	}
}

// deliverFrom is deliver starting from a claim already made at since (by
// the commit of the update that produced the entries), or from none. It
// reports whether it left the outbox seen empty.
func (s *sender) deliverFrom(chat int64, owner string, since time.Time, first *flows.Claimed) (empty bool) {
	return s.deliverFromWork(chat, owner, since, first, nil)
}

// deliverFromWork is deliverFrom whose first batch, when work is not nil,
// is delivered in it.
func (s *sender) deliverFromWork(chat int64, owner string, since time.Time, first *flows.Claimed, work *roundtrip.Work) (empty bool) {
	if flows.IsWeb(chat) {
		return false // a web visitor's outbox is the web chat's to show
	}
	ctx := context.WithoutCancel(s.ctx)
	for {
		n := batch
		var booked *slots
		if chat < 0 && first == nil {
			// A group takes a message every three seconds (20 a minute), or
			// fewer as configured: its slot is waited for before its outbox
			// is leased, so that the wait never holds the lease. A slot
			// booked for an outbox that turns out empty is simply lost.
			var err error
			if booked, err = s.b.waitGroupSlot(ctx, chat); errors.Is(err, errLeftToOthers) {
				return false
			} else if err != nil {
				s.b.log.Warn("book rate limits", "chat", chat, "err", err)
				s.later(chat, retryLater)
				return false
			}
			n = booked.n // two for a pair's slot (see keepPair)
		}
		var entries [][]byte
		var outs []*flows.Out
		var state map[string]string
		var ok bool
		var err error
		// Each batch is delivered in a work of its own, which holds the
		// writes that need not go at once (acknowledgements, an effect's
		// bookkeeping) for its next round trip.
		hctx, bw := roundtrip.With(ctx)
		if first != nil {
			if work != nil {
				hctx, bw = roundtrip.WithWork(ctx, work), work
			}
			entries, state, ok = first.Entries, first.State, first.OK
			outs = first.Outs // those the commit wrote, not decoded again
			if b := first.Booked; b.N > 0 {
				// Booked with the commit: the rest of a batch that needs more
				// is booked one by one.
				booked = &slots{start: b.At, chatOff: b.ChatOffset, chatIv: b.ChatInterval, globOff: b.GlobalOffset, globIv: b.GlobalInterval, n: b.N}
			}
			first = nil
		} else {
			since = time.Now()
			// The cards' referrals, read with the claim, are kept in the
			// work of the delivery of what it took.
			ahead := s.cardsAhead(chat)
			entries, state, ok, err = s.b.outbox.ClaimAhead(hctx, chat, owner, s.b.cfg.Lease, n, 0, ahead)
			if ok {
				s.claimedCards(chat, entries)
			}
		}
		if err != nil {
			s.b.log.Warn("claim outbox", "chat", chat, "err", err)
			s.later(chat, retryLater)
			return false
		}
		if !ok {
			// Another sender holds it: it finishes the outbox, or, if it
			// died, its lease lapses and this one takes over.
			s.later(chat, s.b.cfg.Lease)
			return false
		}
		if len(entries) == 0 {
			return true
		}
		bw.DeferWrites()
		l := s.hold(hctx, chat, owner, since)
		left, err := s.deliverBatch(l, chat, owner, entries, outs, state, booked)
		l.let()
		switch {
		case err != nil:
			return false // set aside
		case left == 0:
			return true
		case s.ctx.Err() != nil:
			return false // stopping: the rest waits in Redis
		}
	}
}

// deliverBatch sends one claimed batch under the lease l and says how many
// entries still wait, or errSetAside when it set the chat aside for later. Each message is acknowledged as soon as
// Telegram took it, together with what was done before it, so that a
// lease lost later sends it no second time; edits and effects, which a
// repeat leaves as they are, are acknowledged with the next message or at
// the end. decoded[i], where the caller has it, is what entries[i] decodes
// to (Claimed.Outs).
func (s *sender) deliverBatch(l *lease, chat int64, owner string, entries [][]byte, decoded []*flows.Out, state map[string]string, booked *slots) (int, error) {
	outs := make([]*flows.Out, len(entries))
	for i, raw := range entries {
		if i < len(decoded) && decoded[i] != nil {
			outs[i] = decoded[i]
			continue
		}
		var o flows.Out
		if err := json.Unmarshal(raw, &o); err != nil {
			s.b.log.Error("unreadable outbox entry dropped", "chat", chat, "err", err)
			continue
		}
		outs[i] = &o
	}
	ctx := l.ctx
	bctx := ctx
	if booked != nil {
		bctx = context.WithValue(ctx, slotsKey{}, booked)
	} else {
		var err error
		if at := s.takeSlots(chat, sends(outs)); at != nil {
			// Booked when the entries were put in the outbox, by a writer
			// that found it leased to this delivery.
			bctx = context.WithValue(ctx, slotsKey{}, &slots{at: at, n: len(at)})
		} else if bctx, err = s.b.book(ctx, chat, outs); err != nil {
			s.b.log.Warn("book rate limits", "chat", chat, "err", err)
			s.finishBatch(l, chat, 0, 0, nil)
			s.later(chat, retryLater)
			return 0, errSetAside
		}
	}
	l.state, l.saved = state, maps.Clone(state)
	l.mu.Lock()
	l.batch = len(entries)
	l.mu.Unlock()
	done, outcome, retryIn := 0, sendOK, retryLater
	for _, o := range outs {
		if o == nil {
			done++
			continue
		}
		l.mu.Lock()
		l.cur = done
		l.mu.Unlock()
		outcome, retryIn = s.b.render(bctx, chat, *o, state)
		if err := l.failed(); err != nil {
			// An acknowledgement that went with what the entry did found
			// the lease lost, or Redis failing: nothing more goes from here.
			return 0, s.lost(l, chat, err)
		}
		if outcome == sendRetryLater {
			break
		}
		done++
		if outcome == sendBlocked && chat < 0 {
			// A group that removed the bot: what it refused was an edit or
			// a notice nobody misses; a card or alert is kept (refused)
			// and never comes here. The rest of its outbox waits its turn.
			outcome = sendOK
		}
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
		if l.takePosted() && done < len(entries) && l.owes(done) {
			// Acknowledged with the next round trip: that of what the next
			// entry does, or its own before the next call to Telegram.
			l.owe(done, s.b.cfg.Lease)
		}
	}
	keep := s.b.cfg.Lease
	if outcome == sendRetryLater || s.ctx.Err() != nil {
		keep = 0 // set aside, or stopping: let another sender have it at once
	}
	if chat < 0 {
		// A group's next entry waits for its slot before it is leased
		// (waitGroupSlot): kept over that wait, the lease would turn away
		// the delivery woken for the next slot kept for the group, whose
		// slot would then be lost, and the entries after it would each go
		// a slot later than booked.
		keep = 0
	}
	left, err := s.finishBatch(l, chat, done, keep, state)
	if err != nil {
		return 0, err
	}
	if outcome == sendRetryLater {
		s.later(chat, retryIn)
		return left, errSetAside
	}
	return left, nil // after a block, the next batch drops the rest too
}

// errSetAside is a delivery stopped for now, to be tried again later.
var errSetAside = errors.New("bot: delivery set aside")

// finishBatch acknowledges the batch's entries up to done under l and keeps
// the lease for keep (0 lets it go), with whatever the delivery's work
// still holds, and says how many entries still wait. When an
// acknowledgement that went with the batch's last round trip already did
// all that (and the state is as it saved it), it makes none. A failure is
// logged and the chat tried again later.
func (s *sender) finishBatch(l *lease, chat int64, done int, keep time.Duration, state map[string]string) (int, error) {
	l.mu.Lock()
	l.state = state
	// Settled when the last acknowledgement kept the lease, or let it go
	// as keep 0 asks (a group's last card, see oweCurrent).
	settled := !l.ackHeld && l.ackSent == done && l.leftKnown && (keep > 0 || l.ackKeep == 0) && len(l.posts) == 0 && maps.Equal(l.saved, state)
	left := l.left
	l.mu.Unlock()
	if settled && roundtrip.Of(l.ctx).Deferred() == 0 {
		return left, nil
	}
	l.owe(done, keep)
	if err := l.settle(); err != nil {
		return 0, s.lost(l, chat, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.left, nil
}

// lost logs an acknowledgement that failed and has the chat tried again
// later: a lease lost means another sender has the rest; a failure of Redis
// leaves it for later. Either way nothing more goes from here. What the
// delivery's work still holds is written all the same.
func (s *sender) lost(l *lease, chat int64, err error) error {
	s.b.log.Warn("finish outbox", "chat", chat, "err", err)
	if ferr := s.b.outbox.Flush(context.WithoutCancel(l.ctx)); ferr != nil {
		s.b.log.Warn("held writes", "work", "delivery", "err", ferr)
	}
	s.later(chat, retryLater)
	return err
}

// Outcomes of one outbox entry.
type sendOutcome int

const (
	sendOK         sendOutcome = iota // delivered, or dropped as undeliverable
	sendBlocked                       // the person blocked the bot
	sendRetryLater                    // set the chat aside and try again later
)

// call makes one Bot API call within the limits, retrying as Telegram asks:
// after retry_after on 429, with jittered backoff on 5xx answers and
// timeouts. A wait longer than a third of the lease, or any 429 in a group,
// is not waited out here: the chat is set aside for that long instead. A
// call is made only while the delivery's lease is sure to outlast it.
func (b *Bot) call(ctx context.Context, chat int64, method string, limited bool, fn func() error) (sendOutcome, time.Duration, error) {
	l := leaseOf(ctx)
	if l != nil {
		// What was sent before is acknowledged before anything more goes.
		if err := l.settle(); err != nil {
			return sendRetryLater, retryLater, err
		}
	}
	if limited {
		if err := b.waitSlot(ctx, chat); err != nil {
			return sendRetryLater, retryLater, err
		}
	}
	backoff := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		if limited && chat < 0 {
			// Waited for before the lease was taken (waitGroupSlot); here
			// only for a call the batch's slots did not count (a retry).
			if d := b.sender.windowWait(chat, 1); d > 0 && !sleep(ctx, d) {
				return sendRetryLater, retryLater, ctx.Err()
			}
		}
		if l != nil && !l.sure(b.cfg.SendTimeout) {
			// The lease could lapse while this call is in flight, and the
			// next holder send the same message again: leave it to them.
			b.m.sends.WithLabelValues(method, "lease").Inc()
			return sendRetryLater, retryLater, errLeaseShort
		}
		if limited && chat < 0 {
			b.sender.calledGroup(chat, time.Now())
		}
		err := fn()
		var tooMany *tgbot.TooManyRequestsError
		switch {
		case err == nil:
			b.m.sends.WithLabelValues(method, "ok").Inc()
			if l != nil && method == "sendMessage" {
				l.post()
			}
			return sendOK, 0, nil
		case errors.As(err, &tooMany):
			b.m.sends.WithLabelValues(method, "429").Inc()
			b.m.tooMany.Inc()
			wait := time.Duration(tooMany.RetryAfter) * time.Second
			if wait <= 0 {
				wait = time.Second
			}
			if chat < 0 || wait > b.cfg.Lease/3 {
				return sendRetryLater, wait, err
			}
			if !sleep(ctx, spread(wait)) {
				return sendRetryLater, retryLater, ctx.Err()
			}
			// The slot booked for the refused call is spent, and those of the
			// batch's later messages have slipped into the past: book them
			// again, or they would go in a burst the limit never allowed.
			if limited {
				if err := b.rebook(ctx, chat); err != nil {
					return sendRetryLater, retryLater, err
				}
			}
			continue
		case errors.As(err, new(*tgbot.MigrateError)):
			// The group became a supergroup: every call naming the old id
			// fails alike. The caller follows it, or drops what was for it.
			b.m.sends.WithLabelValues(method, "400").Inc()
			return sendOK, 0, err
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
		if !sleep(ctx, jitter(backoff)) {
			return sendRetryLater, retryLater, ctx.Err()
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

// jitter is a random wait between half of d and d, so that senders that
// failed together do not all retry together.
func jitter(d time.Duration) time.Duration {
	return d/2 + rand.N(d/2+1)
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
	// at, when set, are the slots' own times instead: slots kept from an
	// earlier booking (keepSlots).
	at []time.Time
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
		case outReply, outAlert, outEdit, outCard, outCardAgain, outCardRedraw, outCardRetire, outHousing, outTakeDown:
			// One post or edit each, for a worker's private chat; a
			// group's slots are booked one at a time (waitGroupSlot).
			n++
		}
	}
	return n
}

// booking asks the commit of a step to book the sending slots of what it
// adds, as book would, in the commit's own round trip.
func (b *Bot) booking() *flows.Booking {
	l := b.cfg.Limits
	return &flows.Booking{
		Sends: func(outs []flows.Out) int {
			ps := make([]*flows.Out, len(outs))
			for i := range outs {
				ps[i] = &outs[i]
			}
			return sends(ps)
		},
		ChatRate: l.PerChat * rateMargin, ChatBurst: l.ChatBurst,
		GlobalRate: l.Global * rateMargin, GlobalBurst: max(1, int(l.Global)),
	}
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
		if sl.at != nil {
			d = time.Until(sl.at[i])
		} else {
			d = max(sl.chatOff+i*sl.chatIv, sl.globOff+i*sl.globIv) - time.Since(sl.start)
		}
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

// rebook books again the slot of a call refused with 429 and those of the
// batch's messages after it, and waits for the first.
func (b *Bot) rebook(ctx context.Context, chat int64) error {
	n := 1
	sl, ok := ctx.Value(slotsKey{}).(*slots)
	if ok && sl.next < sl.n {
		n += sl.n - sl.next
	}
	chatOff, chatIv, globOff, globIv, err := b.reserve(ctx, chat, n)
	if err != nil {
		return err
	}
	if ok {
		*sl = slots{start: time.Now(), chatOff: chatOff, chatIv: chatIv, globOff: globOff, globIv: globIv, next: 1, n: n}
	}
	if d := max(chatOff, globOff); d > 0 {
		b.m.rateWaits.Inc()
		if !sleep(ctx, d) {
			return ctx.Err()
		}
	}
	return nil
}

// maxKeptSlots bounds the slots kept for one chat; staleSlot is how long
// past its time a kept slot may still be used. Older ones are dropped, so
// that slots kept while nothing was sent never make a burst.
const (
	maxKeptSlots = 64
	staleSlot    = time.Second
)

// keepSlots keeps the slots b booked for chat, for its deliveries to wait
// for rather than book their own: a group's, booked as its entries were
// put in its outbox, or those of entries put in an outbox another delivery
// held, which that delivery sends.
func (s *sender) keepSlots(chat int64, b flows.Booked) {
	if b.N <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range b.N {
		d := time.Duration(i)
		at := b.At.Add(max(b.ChatOffset+d*b.ChatInterval, b.GlobalOffset+d*b.GlobalInterval))
		if len(s.groupAt[chat]) < maxKeptSlots {
			s.groupAt[chat] = append(s.groupAt[chat], at)
		}
	}
}

// takeSlot returns the earliest slot kept for chat that is no more than
// late past its time; it drops those older.
func (s *sender) takeSlot(chat int64, late time.Duration) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.groupAt[chat]
	for len(kept) > 0 && time.Since(kept[0]) > late {
		kept = kept[1:]
	}
	if len(kept) == 0 {
		delete(s.groupAt, chat)
		return time.Time{}, false
	}
	at := kept[0]
	if len(kept) == 1 {
		delete(s.groupAt, chat)
	} else {
		s.groupAt[chat] = kept[1:]
	}
	return at, true
}

// takeSlots returns n slots kept for chat that are not stale, or nil, and
// keeps none, when fewer are kept.
func (s *sender) takeSlots(chat int64, n int) []time.Time {
	if n <= 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.groupAt[chat]
	for len(kept) > 0 && time.Since(kept[0]) > staleSlot {
		kept = kept[1:]
	}
	if len(kept) < n {
		if len(kept) == 0 {
			delete(s.groupAt, chat)
		} else {
			s.groupAt[chat] = kept
		}
		return nil
	}
	at := slices.Clone(kept[:n])
	if len(kept) == n {
		delete(s.groupAt, chat)
	} else {
		s.groupAt[chat] = kept[n:]
	}
	return at
}

// waitGroupSlot books a group's next sending slot (and one of the overall
// limit), or takes one booked when its entry was put in the outbox, and
// waits for it, holding no lease. It returns the slot, ready to
// use, for the one message about to be claimed, or the two of a pair.
func (b *Bot) waitGroupSlot(ctx context.Context, chat int64) (*slots, error) {
	var d time.Duration
	calls := 1
	if at, ok := b.sender.takeSlot(chat, b.groupLate()); ok {
		// Booked when the entry was put in the outbox: for two calls, when
		// it was a pair's. One already past is used at once, in its place
		// in the line, as far as the group's minute allows (windowWait).
		d = time.Until(at)
		calls = b.sender.callsAt(chat, at)
		b.sender.waitingGroup(chat, 1)
		defer b.sender.waitingGroup(chat, -1)
	} else if b.sender.groupWaited(chat) {
		return nil, errLeftToOthers
	} else {
		chatOff, chatIv, globOff, _, err := b.reserve(ctx, chat, 1)
		if err != nil {
			return nil, err
		}
		d = max(chatOff, globOff)
		b.sender.groupFreeAt(chat, time.Now().Add(chatOff+chatIv))
	}
	d = max(d, b.sender.windowWait(chat, calls))
	if d > 0 {
		b.m.rateWaits.Inc()
		if !sleep(b.sender.ctx, d) {
			return nil, b.sender.ctx.Err()
		}
	}
	return &slots{start: time.Now(), n: calls}, nil
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
