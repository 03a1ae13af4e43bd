package main

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"signpost/internal/telegramtest"
)

// modeWalk paces each person by the bot's answer: their next message or
// press goes once the bot's reply to the last one has reached the fake Bot
// API. It is the only load that can follow a real conversation, whose
// buttons are known only once shown, and it measures every bot the same way.
const modeWalk = "walk"

// botReal is signpost on the real content (content/data): each person
// walks the self-referral to its end, a link worker claims the case, and
// then the person writes to their link worker, message after message. A
// worker holds the cases of peoplePerWorker people, as a team would share
// them out.
const botReal = "real"

// peoplePerWorker is how many people's cases one link worker claims.
const peoplePerWorker = 25

// Kinds of step, reported apart.
const (
	stepEcho         = "message"      // the bench content's or echo bot's one reply
	stepConversation = "conversation" // a typed answer or a press in the self-referral
	stepClaim        = "claim"        // a link worker's Claim in the group
	stepStatus       = "/status"      // a person asking where their referral stands
	stepRelay        = "to the case"  // a message passed on to the worker holding the case
)

// walkStep is one action of a person and what shows it was answered.
type walkStep struct {
	kind  string
	text  string // typed, or
	press string // the label of a button under the bot's newest message that has it
	until func(w *walker, p *walkPerson) bool
	// idle, when set, is no step: the person waits until it holds.
	idle func(w *walker, p *walkPerson) bool
}

// realScript is the self-referral as a person answers it, after the
// welcome the warm-up brought. The figures depend on its path: every kind
// of question (choice, typed, multiple choice, scale skipped, summary,
// suggestions) is on it.
func realScript() []walkStep {
	ask := func(text, want string) walkStep {
		return walkStep{kind: stepConversation, text: text, until: newestSays(want)}
	}
	press := func(label, want string) walkStep {
		return walkStep{kind: stepConversation, press: label, until: newestSays(want)}
	}
	pressShows := func(label, button string) walkStep {
		return walkStep{kind: stepConversation, press: label, until: newestHasButton(button)}
	}
	return []walkStep{
		press("Yes, that's OK", "call you?"),
		ask("Pat", "How old are you?"),
		press("26 to 49", "What matters to you most"),
		ask("Getting out of the house more", "In the last two weeks"),
		press("No", "What would you like help with?"),
		pressShows("Feeling lonely", "✓ Feeling lonely"),
		press("Done", "How did you hear about us?"),
		press("A friend or family", "Would you like to answer them?"),
		press("Skip these", "postcode"),
		ask("E17", "Would you like a link worker to get in touch"),
		pressShows("Yes please", "Message me here"),
		press("Message me here", "When is a good time"),
		press("Evenings", "friendly message"),
		press("No thanks", "Here is what you told us"),
		pressShows("Yes, that's right", "Carry on"),
		press("Carry on", "Your reference is R-"),
	}
}

// newestSays: the bot's newest message in the person's chat contains want.
func newestSays(want string) func(*walker, *walkPerson) bool {
	return func(_ *walker, p *walkPerson) bool {
		e, ok := p.newest()
		return ok && strings.Contains(e.Text, want)
	}
}

// newestHasButton: the bot's newest message shows a button labelled label.
func newestHasButton(label string) func(*walker, *walkPerson) bool {
	return func(_ *walker, p *walkPerson) bool {
		e, ok := p.newest()
		return ok && buttonOf(e, label) != ""
	}
}

func buttonOf(e telegramtest.Entry, label string) string {
	for _, row := range e.Buttons {
		for _, b := range row {
			if b.Text == label {
				return b.Data
			}
		}
	}
	return ""
}

// walkPerson is what the walker knows of one person's chat.
type walkPerson struct {
	i       int
	wake    chan struct{}
	msgs    map[int]telegramtest.Entry // the bot's messages by id, as now shown
	top     int                        // the newest bot message's id
	at      time.Time                  // when the chat last changed
	ref     string                     // their referral, once told
	card    int                        // its card's message id in the group
	claimed bool                       // their worker's claim was answered
	asked   bool                       // they asked /status while waiting
	worker  *telegramtest.Person       // who claims their case
	relays  map[int]time.Time          // relayed messages seen at the worker's, by seq
}

func (p *walkPerson) newest() (telegramtest.Entry, bool) {
	e, ok := p.msgs[p.top]
	return e, ok
}

// walkWorker is a link worker and the people whose cases they claim.
type walkWorker struct {
	person *telegramtest.Person
	people []*walkPerson
	wake   chan struct{} // a card of theirs came
}

// addWorker makes lw the worker of people.
func (w *walker) addWorker(lw *telegramtest.Person, people []*telegramtest.Person) {
	ww := &walkWorker{person: lw, wake: make(chan struct{}, 1)}
	for _, p := range people {
		wp := w.byChat[p.ID()]
		wp.worker = lw
		ww.people = append(ww.people, wp)
	}
	w.workers[lw.ID()] = ww
	w.order = append(w.order, ww)
}

func (w *walker) workerList() []*walkWorker { return w.order }

// walker follows every chat of a walk through the fake server's
// OnBotMessage, so that a person waiting for an answer reads only what
// changed in their own chat.
type walker struct {
	bot    string
	mu     sync.Mutex
	byChat map[int64]*walkPerson
	byRef  map[string]*walkPerson
	// workers are the link workers who claim the cases, by chat and in
	// order, and group their team's group: set for botReal only.
	workers map[int64]*walkWorker
	order   []*walkWorker
	group   int64
	tg      *telegramtest.Server
}

func newWalker(bot string) *walker {
	return &walker{bot: bot, byChat: map[int64]*walkPerson{}, byRef: map[string]*walkPerson{}, workers: map[int64]*walkWorker{}}
}

func (w *walker) add(i int, chat int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.byChat[chat] = &walkPerson{i: i, wake: make(chan struct{}, 1), msgs: map[int]telegramtest.Entry{}, relays: map[int]time.Time{}}
}

var (
	refIn       = regexp.MustCompile(`R-[0-9A-Z]{4,8}`)
	relayedText = regexp.MustCompile(`^(R-[0-9A-Z]{4,8}) · message from [^\n]*:\nw([0-9]+)$`)
)

// observe is the fake server's OnBotMessage. It runs under the server's
// lock, so it only records and wakes.
func (w *walker) observe(chat int64, e telegramtest.Entry) {
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	var p *walkPerson
	switch {
	case w.workers[chat] != nil:
		m := relayedText.FindStringSubmatch(e.Text)
		if m == nil {
			return
		}
		if p = w.byRef[m[1]]; p == nil {
			return
		}
		var seq int
		fmt.Sscan(m[2], &seq)
		if _, seen := p.relays[seq]; !seen {
			p.relays[seq] = now
		}
	case w.group != 0 && chat == w.group:
		for _, row := range e.Buttons {
			for _, b := range row {
				if ref, ok := strings.CutPrefix(b.Data, "claim:"); ok && w.byRef[ref] != nil {
					w.byRef[ref].card = e.MessageID
				}
			}
		}
		ref := refIn.FindString(e.Text)
		if p = w.byRef[ref]; p == nil {
			return
		}
		if ww := w.workers[p.worker.ID()]; p.worker != nil && ww != nil {
			select {
			case ww.wake <- struct{}{}:
			default:
			}
		}
	default:
		if p = w.byChat[chat]; p == nil {
			return
		}
		p.msgs[e.MessageID] = e
		p.top = max(p.top, e.MessageID)
		if p.ref == "" && strings.Contains(e.Text, "Your reference is") {
			if p.ref = refIn.FindString(e.Text); p.ref != "" {
				w.byRef[p.ref] = p
			}
		}
	}
	p.at = now
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// waitFor blocks until cond holds for p or ctx ends, and returns when the
// chat last changed before it held.
func (w *walker) waitFor(ctx context.Context, p *walkPerson, cond func(*walker, *walkPerson) bool) (time.Time, bool) {
	for {
		w.mu.Lock()
		ok, at := cond(w, p), p.at
		w.mu.Unlock()
		if ok {
			return at, true
		}
		select {
		case <-ctx.Done():
			return time.Time{}, false
		case <-p.wake:
		}
	}
}

// script is what person i does, step by step, for the bot measured; after
// the script, next gives the steps that repeat until the window ends.
// Once their referral is made, a person asks /status, waits until a worker
// has claimed it (the workers claim in goroutines of their own, as cards
// come), and then writes to their worker.
func (w *walker) script() ([]walkStep, func(seq int, p *walkPerson) walkStep) {
	switch w.bot {
	case botReal:
		return realScript(), func(seq int, p *walkPerson) walkStep {
			w.mu.Lock()
			claimed, asked, seen := p.claimed, p.asked, p.top
			p.asked = true
			w.mu.Unlock()
			switch {
			case !claimed && !asked:
				return walkStep{kind: stepStatus, text: "/status", until: func(_ *walker, p *walkPerson) bool { return p.top > seen }}
			case !claimed:
				return walkStep{idle: func(_ *walker, p *walkPerson) bool { return p.claimed }}
			}
			return walkStep{kind: stepRelay, text: fmt.Sprintf("w%d", seq), until: func(_ *walker, p *walkPerson) bool {
				_, ok := p.relays[seq]
				return ok
			}}
		}
	}
	want := func(seq int) string { return text(seq) }
	if w.bot == botSignpost {
		want = func(seq int) string { return "Got " + text(seq) + "." }
	}
	return nil, func(seq int, _ *walkPerson) walkStep {
		return walkStep{kind: stepEcho, text: text(seq), until: func(_ *walker, p *walkPerson) bool {
			e, ok := p.newest()
			return ok && e.Text == want(seq)
		}}
	}
}

// ready is what the warm-up must have shown before a person's walk starts.
func (w *walker) ready(ctx context.Context, i int, chat int64) bool {
	w.mu.Lock()
	p := w.byChat[chat]
	w.mu.Unlock()
	if w.bot != botReal {
		return true
	}
	_, ok := w.waitFor(ctx, p, newestHasButton("Yes, that's OK"))
	return ok
}

// walk runs one goroutine a person, each taking their next step once the
// last was answered, until the window ends; steps in flight then have until
// the drain to be answered. It returns the steps, their replies and the
// window.
func (l *load) walk(ctx context.Context, w *walker) ([]record, []map[int]time.Time, time.Time, time.Time) {
	first, next := w.script()
	start := time.Now()
	end := start.Add(l.cfg.Duration)
	dctx, cancel := context.WithDeadline(ctx, end.Add(l.cfg.Drain))
	defer cancel()
	// Waiting that is no step (for a worker's claim) ends with the window.
	wctx, wcancel := context.WithDeadline(ctx, end)
	defer wcancel()
	// The workers' records and replies follow the people's.
	workers := w.workerList()
	per := make([][]record, len(l.people)+len(workers))
	replies := make([]map[int]time.Time, len(l.people)+len(workers))
	var wg sync.WaitGroup
	for k, lw := range workers {
		i := len(l.people) + k
		replies[i] = map[int]time.Time{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			per[i] = l.claims(dctx, w, lw, i, end, replies[i])
		}()
	}
	for i := range l.people {
		replies[i] = map[int]time.Time{}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			chat := l.people[i].ID()
			w.mu.Lock()
			p := w.byChat[chat]
			w.mu.Unlock()
			for seq := 1; time.Now().Before(end); seq++ {
				st := next(seq, p)
				if seq <= len(first) {
					st = first[seq-1]
				}
				if st.idle != nil {
					if _, ok := w.waitFor(wctx, p, st.idle); !ok {
						return
					}
					continue
				}
				body, err := l.stepUpdate(dctx, w, i, p, st)
				if err != nil {
					return // the walk went off its script: counted as missing nowhere, seen as fewer steps
				}
				r := record{person: i, seq: seq, kind: st.kind, at: time.Now()}
				r.status = l.post(dctx, body)
				r.done = time.Now()
				per[i] = append(per[i], r)
				if r.status != 200 {
					return
				}
				at, ok := w.waitFor(dctx, p, st.until)
				if !ok {
					return
				}
				replies[i][seq] = at
			}
		}(i)
	}
	wg.Wait()
	var all []record
	for _, rs := range per {
		all = append(all, rs...)
	}
	return all, replies, start, end
}

// stepUpdate builds the update for a step: the person's text, or their
// press of a button under the newest bot message that shows it.
func (l *load) stepUpdate(ctx context.Context, w *walker, i int, p *walkPerson, st walkStep) ([]byte, error) {
	switch {
	case st.text != "":
		l.msgID[i]++
		return l.message(i, st.text, l.msgID[i]), nil
	}
	w.mu.Lock()
	var msg int
	for id := p.top; id > 0 && msg == 0; id-- {
		if e, ok := p.msgs[id]; ok && buttonOf(e, st.press) != "" {
			msg = id
		}
	}
	data := buttonOf(p.msgs[msg], st.press)
	w.mu.Unlock()
	if msg == 0 {
		return nil, fmt.Errorf("no button %q", st.press)
	}
	q, err := l.people[i].PressOf(l.people[i].ID(), msg, data)
	if err != nil {
		return nil, err
	}
	return json.Marshal(telegramtest.Update{UpdateID: l.nextID.Add(1), CallbackQuery: &q})
}

// claims is a worker's part of the walk: they press Claim on each card of
// their people's as it comes, one at a time, each step done when the bot
// answers the press, until the window ends. i is where their records go.
func (l *load) claims(ctx context.Context, w *walker, ww *walkWorker, i int, end time.Time, replies map[int]time.Time) []record {
	var recs []record
	done := map[*walkPerson]bool{}
	stop := time.NewTimer(time.Until(end))
	defer stop.Stop()
	for seq := 1; time.Now().Before(end); {
		var p *walkPerson
		var ref string
		var card int
		w.mu.Lock()
		for _, q := range ww.people {
			if q.card != 0 && !done[q] {
				p, ref, card = q, q.ref, q.card
				break
			}
		}
		w.mu.Unlock()
		if p == nil {
			select {
			case <-ctx.Done():
				return recs
			case <-stop.C:
				return recs
			case <-ww.wake:
			}
			continue
		}
		done[p] = true
		q, err := ww.person.PressOf(w.group, card, "claim:"+ref)
		if err != nil {
			continue
		}
		body, err := json.Marshal(telegramtest.Update{UpdateID: l.nextID.Add(1), CallbackQuery: &q})
		if err != nil {
			continue
		}
		r := record{person: i, seq: seq, kind: stepClaim, at: time.Now()}
		r.status = l.post(ctx, body)
		r.done = time.Now()
		recs = append(recs, r)
		if r.status == 200 {
			// The claim is done when the bot answers the press ("R-... is
			// yours"); the card is redrawn later, through the group's outbox.
			if _, err := w.tg.WaitCallbackAnswer(ctx, q.ID); err != nil {
				return recs
			}
			replies[seq] = time.Now()
			w.mu.Lock()
			p.claimed = true
			w.mu.Unlock()
			select {
			case p.wake <- struct{}{}:
			default:
			}
		}
		seq++
	}
	return recs
}
