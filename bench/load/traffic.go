package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"signpost/internal/telegramtest"
)

// firstUpdateID is above any update_id the fake server gives the warm-up
// messages, so the bot never takes one of ours for a repeat.
const firstUpdateID = 1 << 32

// record is one update posted to the webhook.
type record struct {
	person int
	seq    int
	kind   string // what the step was, in a walk
	// at is when the update was posted (closed loop) or due (open loop):
	// latency counts from here.
	at time.Time
	// done is when the webhook answered; zero if it did not.
	done   time.Time
	status int // the webhook's status; 0 when the request failed
}

// load plays Telegram: it posts updates straight to the bot's webhook, with
// the secret header, over up to Conns concurrent connections.
type load struct {
	cfg    runConfig
	people []*telegramtest.Person
	url    string
	secret string
	client *http.Client
	// tg makes the Bot API call a webhook answer may carry, as Telegram
	// would (telegramtest.Server.WebhookReply).
	tg     *telegramtest.Server
	nextID atomic.Int64
	msgID  []int // next message_id per person; each person is used by one goroutine at a time
}

func newLoad(cfg runConfig, tg *telegramtest.Server, people []*telegramtest.Person, url, secret string) *load {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxConnsPerHost:     cfg.Conns,
		MaxIdleConnsPerHost: cfg.Conns,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	l := &load{cfg: cfg, tg: tg, people: people, url: url, secret: secret,
		client: &http.Client{Transport: tr, Timeout: 30 * time.Second},
		msgID:  make([]int, len(people))}
	l.nextID.Store(firstUpdateID)
	for i := range l.msgID {
		l.msgID[i] = 1 << 20
	}
	return l
}

func (l *load) close() { l.client.CloseIdleConnections() }

// text is what person writes as their seq-th message; the bots' replies
// carry it, which is how a reply is matched to its update.
func text(seq int) string { return "m" + strconv.Itoa(seq) }

// update builds the JSON Telegram would post for person's seq-th message.
func (l *load) update(person, seq int, msgID int) []byte {
	return l.message(person, text(seq), msgID)
}

// message builds the JSON Telegram would post for a text message.
func (l *load) message(person int, text string, msgID int) []byte {
	u := l.people[person].User()
	m := telegramtest.Message{
		MessageID: msgID,
		From:      &u,
		Date:      time.Now().Unix(),
		Chat:      telegramtest.Chat{ID: u.ID, Type: "private", FirstName: u.FirstName},
		Text:      text,
	}
	if strings.HasPrefix(text, "/") {
		m.Entities = []telegramtest.MessageEntity{{Type: "bot_command", Offset: 0, Length: len(strings.Fields(text)[0])}}
	}
	body, _ := json.Marshal(telegramtest.Update{UpdateID: l.nextID.Add(1), Message: &m})
	return body
}

// post sends one update and returns the webhook's status, 0 if it failed.
func (l *load) post(ctx context.Context, body []byte) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.url, bytes.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", l.secret)
	resp, err := l.client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 && resp.ContentLength != 0 && l.tg != nil {
		// A method call in the answer is made, as Telegram makes it; it is
		// counted among the bot's calls.
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		_ = l.tg.WebhookReply(resp.Header.Get("Content-Type"), body)
	}
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// run posts for Duration and returns every update posted, with the window
// it was posted in. Posts in flight at the end are awaited.
func (l *load) run(ctx context.Context) ([]record, time.Time, time.Time) {
	if l.cfg.Mode == modeOpen {
		return l.open(ctx)
	}
	return l.closed(ctx)
}

// closed runs one goroutine a person, each posting its next update as soon
// as the previous one was answered, until the window ends.
func (l *load) closed(ctx context.Context) ([]record, time.Time, time.Time) {
	start := time.Now()
	end := start.Add(l.cfg.Duration)
	per := make([][]record, len(l.people))
	var wg sync.WaitGroup
	for i := range l.people {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for seq := 1; ctx.Err() == nil; seq++ {
				now := time.Now()
				if !now.Before(end) {
					return
				}
				l.msgID[i]++
				body := l.update(i, seq, l.msgID[i])
				r := record{person: i, seq: seq, at: time.Now()}
				r.status = l.post(ctx, body)
				r.done = time.Now()
				per[i] = append(per[i], r)
			}
		}(i)
	}
	wg.Wait()
	var all []record
	for _, rs := range per {
		all = append(all, rs...)
	}
	return all, start, end
}

// open posts Rate updates a second for Duration, to the people in turn,
// whether or not earlier updates were answered. Latency counts from when
// an update was due, so a late post shows as latency rather than vanishing
// (no coordinated omission).
func (l *load) open(ctx context.Context) ([]record, time.Time, time.Time) {
	total := int(l.cfg.Rate * l.cfg.Duration.Seconds())
	recs := make([]record, total)
	seqs := make([]int, len(l.people))
	interval := time.Duration(float64(time.Second) / l.cfg.Rate)
	var wg sync.WaitGroup
	start := time.Now()
	for n := 0; n < total && ctx.Err() == nil; n++ {
		due := start.Add(time.Duration(n) * interval)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		i := n % len(l.people)
		seqs[i]++
		l.msgID[i]++
		recs[n] = record{person: i, seq: seqs[i], at: due}
		body := l.update(i, seqs[i], l.msgID[i])
		wg.Add(1)
		go func(r *record) {
			defer wg.Done()
			r.status = l.post(ctx, body)
			r.done = time.Now()
		}(&recs[n])
	}
	end := start.Add(l.cfg.Duration)
	wg.Wait()
	// Any not posted because ctx ended are left out.
	n := 0
	for _, r := range recs {
		if !r.at.IsZero() {
			recs[n] = r
			n++
		}
	}
	return recs[:n], start, end
}
