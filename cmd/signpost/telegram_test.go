package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/content"
	"signpost/flows"
	"signpost/internal/redistest"
	"signpost/internal/telegramtest"
	"signpost/service"
	"signpost/store"
)

// bench is a running "signpost serve" on the test Redis, talking to a fake
// Bot API server.
type bench struct {
	t      *testing.T
	tg     *telegramtest.Server
	rdb    redis.UniversalClient
	prefix string
	addr   string
	env    map[string]string
	opts   serveOptions
	logs   *syncBuffer
	stop   func()
	// svc is the service the running serve built.
	svc *service.Service
}

// syncBuffer collects the bot's log lines for a test to search.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startBot runs serve on the test binary's Redis with the given settings
// on top of the test's own.
func startBot(t *testing.T, tg *telegramtest.Server, settings map[string]string) *bench {
	t.Helper()
	return startBotOn(t, redistest.SingleTopology(t), tg, settings, serveOptions{})
}

// startBotWith is startBot with a clock or other options of serve's.
func startBotWith(t *testing.T, tg *telegramtest.Server, settings map[string]string, opts serveOptions) *bench {
	t.Helper()
	return startBotOn(t, redistest.SingleTopology(t), tg, settings, opts)
}

// startBotOn runs serve on a Redis deployment: one server, a Sentinel set
// or a Cluster.
func startBotOn(t *testing.T, tp *redistest.Topology, tg *telegramtest.Server, settings map[string]string, opts serveOptions) *bench {
	t.Helper()
	rdb, prefix := redistest.SetupOn(t, tp)
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": tg.Token(),
		"TELEGRAM_API_URL":   tg.URL(),
		"REDIS_PREFIX":       prefix,
		"HTTP_ADDR":          "127.0.0.1:0",
		"LOG_LEVEL":          "info",
		"SEND_RATE":          "1000",
		"CHAT_RATE":          "100",
		// A bench without a link workers' group is a demonstration.
		"DEMO": "1",
	}
	for k, v := range tp.Env {
		env[k] = v
	}
	for k, v := range settings {
		env[k] = v
	}
	b := &bench{t: t, tg: tg, rdb: rdb, prefix: prefix, env: env, opts: opts, logs: &syncBuffer{}}
	b.start()
	t.Cleanup(func() {
		b.stop()
		if t.Failed() {
			t.Logf("serve's log:\n%s", b.logs)
		}
	})
	return b
}

func (b *bench) start() {
	b.t.Helper()
	cfg, err := loadServeConfig(func(k string) string { return b.env[k] })
	if err != nil {
		b.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	listening := make(chan string, 1)
	done := make(chan error, 1)
	log := slog.New(slog.NewJSONHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	opts := b.opts
	if opts.content == nil {
		opts.content = builtinContent(b.t)
	}
	opts.listening = listening
	started := make(chan *service.Service, 1)
	opts.started = func(s *service.Service) { started <- s }
	go func() { done <- serve(ctx, cfg, log, opts) }()
	select {
	case b.addr = <-listening:
	case err := <-done:
		b.t.Fatalf("serve stopped at once: %v", err)
	}
	b.svc = <-started
	var once sync.Once
	b.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				b.t.Errorf("serve: %v", err)
			}
		})
	}
}

var (
	contentOnce sync.Once
	contentB    *content.Bundle
	contentErr  error
)

// sharedContent is the built-in content, loaded once for every serve,
// chat and command the tests start (commands run in the test process load
// it through defaultContent): loading compiles the risk phrases, which
// takes a few seconds under the race detector. Each caller gets a copy of
// its own, as a runner sets the directory and facts it runs with on the
// bundle; the flows, messages and risk model, which nothing changes once
// loaded, are shared (the race detector would tell otherwise, as the
// parallel tests share them).
func sharedContent() (*content.Bundle, error) {
	contentOnce.Do(func() { contentB, contentErr = content.Default() })
	if contentErr != nil {
		return nil, contentErr
	}
	b := *contentB
	return &b, nil
}

func init() { defaultContent = sharedContent }

// builtinContent is sharedContent for a test.
func builtinContent(t *testing.T) *content.Bundle {
	t.Helper()
	b, err := sharedContent()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitLimit bounds each wait of a test for something the bot does (a
// message, a flag in Redis, a page's text). It is only how long a test
// waits before it fails: a wait that is met returns at once. Under the
// race detector on a loaded machine a few steps can take seconds, and a
// send set aside after a failed call to Telegram (the handoff benches'
// SEND_TIMEOUT is 3 s) comes back only after 15 s (bot's retryLater): the
// 20 s these waits allowed left too little over for the rest.
const waitLimit = time.Minute

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	t.Cleanup(cancel)
	return ctx
}

// expect waits until the bot's last message in p's chat contains want.
func expect(t *testing.T, p *telegramtest.Person, want string) telegramtest.Entry {
	t.Helper()
	tr, err := p.WaitFor(testCtx(t), func(tr []telegramtest.Entry) bool {
		for i := len(tr) - 1; i >= 0; i-- {
			if tr[i].FromBot {
				return strings.Contains(tr[i].Text, want)
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("waiting for %q: %v", want, err)
	}
	for i := len(tr) - 1; i >= 0; i-- {
		if tr[i].FromBot {
			return tr[i]
		}
	}
	return telegramtest.Entry{}
}

// expectSaid waits until any of the bot's messages in p's chat contains
// want: for what is followed at once by more messages, such as the crisis lines.
func expectSaid(t *testing.T, p *telegramtest.Person, want string) {
	t.Helper()
	if _, err := p.WaitFor(testCtx(t), func(tr []telegramtest.Entry) bool {
		for _, e := range tr {
			if e.FromBot && strings.Contains(e.Text, want) {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("waiting for %q: %v", want, err)
	}
}

// press presses a button of the bot's last message with that label and
// waits for the press to be answered.
func press(t *testing.T, tg *telegramtest.Server, p *telegramtest.Person, label string) telegramtest.CallbackAnswer {
	t.Helper()
	if _, err := p.WaitFor(testCtx(t), func(tr []telegramtest.Entry) bool {
		for i := len(tr) - 1; i >= 0; i-- {
			if tr[i].FromBot {
				return buttonData(tr[i], label) != ""
			}
		}
		return false
	}); err != nil {
		t.Fatalf("no button %q to press: %v", label, err)
	}
	id, err := p.PressButton(label)
	if err != nil {
		t.Fatalf("press %q: %v\n%s", label, err, telegramtest.FormatTranscript(p.Transcript()))
	}
	ans, err := tg.WaitCallbackAnswer(testCtx(t), id)
	if err != nil {
		t.Fatalf("press %q was not answered: %v", label, err)
	}
	return ans
}

// session reads the person's session from Redis.
func (b *bench) session(user int64) flows.Session {
	b.t.Helper()
	st := store.New(b.rdb, store.Config{Prefix: b.prefix})
	rec, err := st.Load(context.Background(), user)
	if err != nil {
		b.t.Fatal(err)
	}
	if rec.Data == nil {
		return flows.Session{}
	}
	s, err := flows.DecodeSession(rec.Data)
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

func (b *bench) keysOf(user int64) []string {
	keys, err := redistest.Keys(context.Background(), b.rdb, fmt.Sprintf("%s:{u:%d}:*", b.prefix, user))
	if err != nil {
		b.t.Fatal(err)
	}
	return keys
}

func TestTelegramSelfReferral(t *testing.T) {
	t.Parallel()
	tg := telegramtest.NewServer(t)
	startBot(t, tg, nil)
	sam := tg.NewPerson("Sam")

	sam.Send("/start gp_F86001")
	consent := expect(t, sam, "Is it OK for us to keep your answers")
	press(t, tg, sam, "Yes, that's OK")
	expect(t, sam, "What would you like us to call you?")
	// The consent question now shows the answer and has lost its buttons.
	for _, e := range sam.BotMessages() {
		if e.MessageID == consent.MessageID && (len(e.Buttons) != 0 || !strings.Contains(e.Text, "✓ Yes, that's OK")) {
			t.Errorf("answered question shows %q with %d button rows", e.Text, len(e.Buttons))
		}
	}
	sam.Send("Sam")
	expect(t, sam, "How old are you?")
	press(t, tg, sam, "26 to 49")
	expect(t, sam, "What matters to you most")
	sam.Send("Getting out of the house")
	expect(t, sam, "In the last two weeks")
	press(t, tg, sam, "No")
	needs := expect(t, sam, "What would you like help with?")
	press(t, tg, sam, "Money and debt")
	tr, err := sam.WaitFor(testCtx(t), func(tr []telegramtest.Entry) bool {
		for _, e := range tr {
			if e.MessageID == needs.MessageID && len(e.Buttons) > 0 && e.Buttons[0][0].Text == "✓ Money and debt" {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("tick not shown: %v", err)
	}
	_ = tr
	press(t, tg, sam, "Feeling lonely")
	press(t, tg, sam, "Done")
	expect(t, sam, "Is there a bill or a debt")
	press(t, tg, sam, "No")
	expect(t, sam, "Would you like to answer them?") // no source question: the link said GP
	press(t, tg, sam, "OK")
	for _, step := range []struct{ question, answer string }{{"how satisfied", "7"}, {"worthwhile", "5"}, {"how happy", "6"}, {"how anxious", "3"}} {
		expect(t, sam, step.question)
		press(t, tg, sam, step.answer)
	}
	expect(t, sam, "What is the first part of your postcode?")
	sam.Send("E17")
	expect(t, sam, "Would you like a link worker to get in touch")
	press(t, tg, sam, "Yes please")
	press(t, tg, sam, "Message me here")
	expect(t, sam, "When is a good time")
	press(t, tg, sam, "Evenings")
	expect(t, sam, "Would you like a short, friendly message")
	press(t, tg, sam, "No thanks")
	summary := expect(t, sam, "Here is what you told us, Sam:")
	for _, want := range []string{"Help with: Money and debt, Feeling lonely", "Heard about us from: My GP or surgery (F86001)", "Postcode area: E17"} {
		if !strings.Contains(summary.Text, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary.Text)
		}
	}
	press(t, tg, sam, "Yes, that's right")
	expect(t, sam, "groups and services that could help")
	press(t, tg, sam, "2. Example: money drop-in")
	expect(t, sam, "This is an example, not a real group.")
	press(t, tg, sam, "Ask my link worker to refer me")
	list := expect(t, sam, "(your link worker will refer you)")
	if buttonData(list, "More") == "" {
		t.Errorf("no More button under the suggestions")
	}
	press(t, tg, sam, "Carry on")
	expect(t, sam, "Your reference is R-")
	if got := tg.Commands(""); len(got) < 6 {
		t.Errorf("commands menu = %v, want the six commands", got)
	}
}

func TestSameButtonPressedTenTimes(t *testing.T) {
	t.Parallel()
	tg := telegramtest.NewServer(t)
	b := startBot(t, tg, nil)
	p := tg.NewPerson("Ana")
	p.Send("hello")
	expect(t, p, "Is it OK")
	press(t, tg, p, "Yes, that's OK")
	expect(t, p, "call you?")
	p.Send("Ana")
	age := expect(t, p, "How old are you?")
	data := buttonData(age, "26 to 49")
	var wg sync.WaitGroup
	ids := make([]string, 10)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id, err := p.Press(age.MessageID, data)
			if err != nil {
				t.Error(err)
			}
			ids[i] = id
		}(i)
	}
	wg.Wait()
	for _, id := range ids {
		if _, err := tg.WaitCallbackAnswer(testCtx(t), id); err != nil {
			t.Errorf("press %s not answered: %v", id, err)
		}
	}
	expect(t, p, "What matters to you most")
	s := b.session(p.User().ID)
	if s.Answers["age"] != "26-49" {
		t.Errorf("age = %q", s.Answers["age"])
	}
	asked := 0
	for _, e := range p.BotMessages() {
		if strings.Contains(e.Text, "What matters to you most") {
			asked++
		}
	}
	if asked != 1 {
		t.Errorf("the next question was sent %d times, want once", asked)
	}
}

func TestTwentyMessagesAtOnceKeepTheirOrder(t *testing.T) {
	t.Parallel()
	tg := telegramtest.NewServer(t)
	startBot(t, tg, map[string]string{"CONTENT_DIR": "testdata/echo"})
	p := tg.NewPerson("Kim")
	p.Send("start")
	expect(t, p, "Say something.")
	for i := 0; i < 20; i++ {
		p.Send(fmt.Sprintf("m%02d", i))
	}
	tr, err := p.WaitFor(testCtx(t), func(tr []telegramtest.Entry) bool {
		return strings.Contains(lastBot(tr), "Say something.") && countPrefix(tr, "Got m") == 20
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range tr {
		if e.FromBot && strings.HasPrefix(e.Text, "Got m") {
			got = append(got, e.Text)
		}
	}
	for i, g := range got {
		if want := fmt.Sprintf("Got m%02d.", i); g != want {
			t.Fatalf("reply %d is %q, want %q (order lost): %q", i, g, want, got)
		}
	}
}

// buttonData is the data of the button labelled label under e, or "".
func buttonData(e telegramtest.Entry, label string) string {
	for _, row := range e.Buttons {
		for _, b := range row {
			if b.Text == label {
				return b.Data
			}
		}
	}
	return ""
}

func lastBot(tr []telegramtest.Entry) string {
	for i := len(tr) - 1; i >= 0; i-- {
		if tr[i].FromBot {
			return tr[i].Text
		}
	}
	return ""
}

func countPrefix(tr []telegramtest.Entry, prefix string) int {
	n := 0
	for _, e := range tr {
		if e.FromBot && strings.HasPrefix(e.Text, prefix) {
			n++
		}
	}
	return n
}

// webhookUpdate is a private text message as Telegram posts it to a webhook.
func webhookUpdate(id, user int64, text string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1764064800,"chat":{"id":%d,"type":"private","first_name":"Lee"},"from":{"id":%d,"is_bot":false,"first_name":"Lee"},"text":%q}}`, id, id, user, user, text)
}

func postUpdate(t *testing.T, addr, secret, body string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+webhookPath, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestWebhook(t *testing.T) {
	t.Parallel()
	tg := telegramtest.NewServer(t)
	addr := freeAddr(t)
	b := startBot(t, tg, map[string]string{"HTTP_ADDR": addr, "WEBHOOK_URL": "http://" + addr, "WEBHOOK_SECRET": "s3cret_token"})
	lee := tg.NewPerson("Lee")
	user := lee.User().ID

	t.Run("wrong secret", func(t *testing.T) {
		for _, secret := range []string{"", "wrong"} {
			if code := postUpdate(t, b.addr, secret, webhookUpdate(900001, user, "hello")); code != http.StatusUnauthorized {
				t.Errorf("secret %q: status %d, want 401", secret, code)
			}
		}
		if keys := b.keysOf(user); len(keys) != 0 {
			t.Errorf("a refused update stored %v", keys)
		}
	})
	t.Run("not an update", func(t *testing.T) {
		if code := postUpdate(t, b.addr, "s3cret_token", "{not json"); code != http.StatusBadRequest {
			t.Errorf("status %d, want 400", code)
		}
	})
	t.Run("delivered twice", func(t *testing.T) {
		lee.Send("hello") // Telegram posts it to the webhook
		expect(t, lee, "Is it OK for us to keep your answers")
		attempts, err := tg.WaitWebhookAttempts(testCtx(t), 1)
		if err != nil {
			t.Fatal(err)
		}
		if attempts[0].Status != http.StatusOK {
			t.Fatalf("webhook answered %d, want 200", attempts[0].Status)
		}
		sent := len(lee.BotMessages())
		// Telegram did not see the 200 and sends the same update again.
		if code := postUpdate(t, b.addr, "s3cret_token", webhookUpdate(attempts[0].UpdateID, user, "hello")); code != http.StatusOK {
			t.Fatalf("repeat: status %d, want 200", code)
		}
		lee.Send("/help") // something after it, to know the repeat was handled
		if _, err := lee.WaitBotMessages(testCtx(t), sent+2); err != nil {
			t.Fatal(err)
		}
		if s := b.session(user); s.Seq != 2 {
			t.Errorf("session applied %d events, want 2 (the repeat dropped)", s.Seq)
		}
		if got := len(lee.BotMessages()); got != sent+2 {
			t.Errorf("%d bot messages after the repeat and /help, want %d", got, sent+2)
		}
	})
	t.Run("a press answered in the webhook's answer", func(t *testing.T) {
		calls, replies := tg.Calls("answerCallbackQuery"), tg.WebhookReplies()
		id, err := lee.PressButton("Yes, that's OK")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tg.WaitCallbackAnswer(testCtx(t), id); err != nil {
			t.Fatalf("the press was not answered: %v", err)
		}
		expect(t, lee, "call you?")
		if n, r := tg.Calls("answerCallbackQuery")-calls, tg.WebhookReplies()-replies; n != 1 || r != 1 {
			t.Errorf("%d answers to the press, %d of them in the webhook's answer; want 1 and 1", n, r)
		}
	})
}

// freeAddr finds a free loopback port for a server that must know its own
// address before it starts (a webhook URL).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestOtherKindsOfMessage(t *testing.T) {
	t.Parallel()
	tg := telegramtest.NewServer(t)
	b := startBot(t, tg, nil)
	p := tg.NewPerson("Jo")
	p.SendSticker("🙂")
	expect(t, p, "Type /start")
	// Once delivered, nothing of the person is left.
	waitUntil(t, func() bool { return len(b.keysOf(p.User().ID)) == 0 }, "no keys after a sticker before any conversation")
	p.Send("/start")
	expect(t, p, "Is it OK")
	press(t, tg, p, "Yes, that's OK")
	expect(t, p, "call you?")
	tests := []struct {
		name string
		send func()
		want string
	}{
		{"photo", func() { p.SendPhoto("me") }, "I can only read typed messages"},
		{"voice", func() { p.SendVoice(3 * time.Second) }, "If you need help now"},
		{"video", func() { p.SendVideo(time.Second, "") }, "cannot listen to voice notes"},
		{"document", func() { p.SendDocument("a.pdf", "application/pdf", "") }, "cannot listen to voice notes"},
		{"poll", func() { p.SendPoll("Tea?", "Yes", "No") }, "I can only read typed messages"},
		{"location", func() { p.SendLocation(51.58, -0.02) }, "I have not kept that location"},
		{"contact", func() { p.SendContact(telegramtest.Contact{PhoneNumber: "07700900123", FirstName: "Jo"}) }, "I have not kept that contact"},
		{"forward", func() { p.Forward("hi", nil, "Someone") }, "not kept that forwarded message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.send()
			tr, err := p.WaitFor(testCtx(t), func(tr []telegramtest.Entry) bool {
				n := len(tr)
				return n >= 2 && tr[n-1].FromBot && strings.Contains(tr[n-1].Text, "call you?") && strings.Contains(tr[n-2].Text, tt.want)
			})
			if err != nil {
				t.Fatal(err, tr)
			}
		})
	}
	msg := p.Send("Jo")
	expect(t, p, "How old are you?")
	if _, err := p.Edit(msg.MessageID, "Joanna"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.WaitFor(testCtx(t), func(tr []telegramtest.Entry) bool {
		n := len(tr)
		return n >= 2 && strings.Contains(tr[n-2].Text, "I can't see changes") && strings.Contains(tr[n-1].Text, "How old are you?")
	}); err != nil {
		t.Fatal(err)
	}
	if got := b.session(p.User().ID).Answers["name"]; got != "Jo" {
		t.Errorf("name = %q after an edit, want the original kept", got)
	}
	var found bool
	for _, e := range p.BotMessages() {
		found = found || strings.Contains(e.Text, "I can't see changes")
	}
	if !found {
		t.Error("an edited message got no answer")
	}
}

func TestAddedToAGroupByAStranger(t *testing.T) {
	t.Parallel()
	tg := telegramtest.NewServer(t)
	startBot(t, tg, nil)
	stranger := tg.NewPerson("Max")
	g := tg.NewGroup("Book club", stranger)
	g.AddBot(stranger)
	if _, err := g.WaitFor(testCtx(t), func(tr []telegramtest.Entry) bool { return strings.Contains(lastBot(tr), "private chats") }); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for g.BotIsMember() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if g.BotIsMember() {
		t.Error("the bot stayed in a group nobody set up")
	}
}

func TestBlockAndUnblock(t *testing.T) {
	t.Parallel()
	tg := telegramtest.NewServer(t)
	b := startBot(t, tg, nil)
	p := tg.NewPerson("Ola")
	p.Send("hello")
	expect(t, p, "Is it OK")
	st := store.New(b.rdb, store.Config{Prefix: b.prefix})
	p.Block()
	waitUntil(t, func() bool { blocked, _ := st.Blocked(context.Background(), p.User().ID); return blocked }, "blocked after my_chat_member kicked")
	p.Unblock()
	waitUntil(t, func() bool { blocked, _ := st.Blocked(context.Background(), p.User().ID); return !blocked }, "unblocked after my_chat_member member")

	// Blocked without Telegram telling us first: the 403 on sending marks it.
	st.SetBlocked(context.Background(), p.User().ID, false)
	p.Send("/help")
	expect(t, p, "I help you find support")
	tg.AddFault(telegramtest.Fault{Method: "sendMessage", ChatID: p.User().ID, Times: 5, Status: 403, Description: "Forbidden: bot was blocked by the user"})
	p.Send("/privacy")
	waitUntil(t, func() bool { blocked, _ := st.Blocked(context.Background(), p.User().ID); return blocked }, "blocked after a 403")
	if n, _ := st.BlockedCount(context.Background()); n != 1 {
		t.Errorf("blocked count %d, want 1", n)
	}
	tg.ClearFaults()
	// The flag is set by the first refusal, while the bot may still be
	// sending the rest of what it owes the person (more refusals, or the
	// reply sent again once the faults are gone). A send refused after
	// this point, by the faults or by the block below, would mark them on
	// the sender's own goroutine, perhaps after the bot read the unblock,
	// and the flag would stay: so first let the outbox empty.
	waitUntil(t, func() bool {
		pending, err := st.Pending(context.Background(), p.User().ID)
		return err == nil && len(pending) == 0
	}, "nothing left to send to the person")
	p.Block() // Telegram's own view catches up: blocked, then unblocked
	p.Unblock()
	waitUntil(t, func() bool { blocked, _ := st.Blocked(context.Background(), p.User().ID); return !blocked }, "restored")
}

// waitUntil polls cond for something the bot does in Redis, where there is
// no change notification to wait on. It allows as long as testCtx does
// (waitLimit).
func waitUntil(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
