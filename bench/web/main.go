// Command web is the web chat's load benchmark. In one run, on one real
// Redis and over loopback only, it puts the same kind of step through the
// web chat and through the Telegram webhook, side by side, and measures
// what an open page costs:
//
//   - web: -people visitors, each with a consented conversation, each
//     sending their next message as soon as the last was answered (the
//     page's script posting, and the answer carrying the new lines), for
//     -duration;
//   - telegram: as many people posting updates to the bot's webhook, which
//     answers once the reply has been handed to the (fake) Bot API;
//   - sse: -streams open event streams, and the memory each costs the
//     process (Go heap and stacks, before and after; the clients' side,
//     kept small, is counted in).
//
// The step is "/help" in both: the help text and the open question asked
// again, two outbox entries, a load, a compare-and-set commit and a
// delivery. Usage:
//
//	go run ./bench/web [-people 500] [-duration 10s] [-streams 500]
//
// REDIS_URL names the Redis to use (a fresh key prefix each run); without it
// a private redis-server is started on a free loopback port.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/bot"
	"signpost/content"
	"signpost/flows"
	"signpost/internal/telegramtest"
	"signpost/store"
	"signpost/webchat"
)

func main() {
	people := flag.Int("people", 500, "visitors in the web chat, and people writing to the bot, at once")
	duration := flag.Duration("duration", 10*time.Second, "how long each load runs")
	streams := flag.Int("streams", 500, "event streams held open for the memory measurement")
	flag.Parse()
	ctx := context.Background()
	if err := run(ctx, *people, *duration, *streams, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "web:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, people int, d time.Duration, streams int, out io.Writer) error {
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		stop, u, err := startRedis(ctx)
		if err != nil {
			return err
		}
		defer stop()
		redisURL = u
	}
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return err
	}
	opt.PoolSize = 4 * runtime.GOMAXPROCS(0) * 10
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	prefix := "bw" + strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	st := store.New(rdb, store.Config{Prefix: prefix})
	b, err := content.Default()
	if err != nil {
		return err
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	runner := flows.NewRunner(st, b, flows.Config{Contents: st, Logger: quiet})

	// The Telegram side: the bot's webhook, replies to a fake Bot API.
	tg, err := telegramtest.New(telegramtest.Config{})
	if err != nil {
		return err
	}
	defer tg.Close()
	const secret = "bench-secret"
	bt, err := bot.New(bot.Config{
		Token: tg.Token(), APIURL: tg.URL(), WebhookSecret: secret,
		Limits: bot.Limits{Global: 1e6, PerChat: 1e6, PerGroupMinute: 1e6}, Logger: quiet,
	}, runner, st, nil)
	if err != nil {
		return err
	}
	bctx, stopBot := context.WithCancel(ctx)
	go bt.Serve(bctx)
	defer func() { stopBot(); bt.Shutdown(context.Background()) }()
	hook := httptest.NewServer(bt.WebhookHandler())
	defer hook.Close()

	// The web side.
	sec := []byte("0123456789abcdef0123456789abcdef")
	web, err := webchat.New(webchat.Config{Secret: sec, PerIP: 1 << 30, PerVisitor: 1 << 30, Logger: quiet}, runner, st, nil)
	if err != nil {
		return err
	}
	if err := web.Start(ctx); err != nil {
		return err
	}
	defer web.Shutdown()
	site := httptest.NewServer(web.Handler())
	defer site.Close()

	fmt.Fprintf(out, "# Web chat beside the Telegram webhook\n\n%d people at once, %v a load, Go %s, %d CPUs, one Redis on loopback.\n\n", people, d, runtime.Version(), runtime.NumCPU())
	fmt.Fprintln(out, "| path | steps | steps/s | p50 | p90 | p99 | max | errors |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---:|---:|---:|---:|")

	visitors, err := warmWeb(site.URL, people)
	if err != nil {
		return err
	}
	res := closedLoop(people, d, func(i, n int) error { return visitors[i].help() })
	fmt.Fprintln(out, res.row("web chat (script, JSON answer)"))

	// Telegram lets a bot write only to people who wrote to it: each
	// person says hello through the fake server, which passes it on to
	// the webhook, before the tool posts updates itself.
	if err := bt.SetWebhook(ctx, hook.URL, 100); err != nil {
		return err
	}
	chats := make([]int64, people)
	for i := range chats {
		p := tg.NewPerson("P" + strconv.Itoa(i))
		p.Send("hello")
		chats[i] = p.User().ID
	}
	var update atomic.Int64
	post := func(chat int64, text string) error {
		id := update.Add(1)
		body := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"},"from":{"id":%d,"is_bot":false,"first_name":"P","language_code":"en"},"text":%q}}`,
			id, id, time.Now().Unix(), chat, chat, text)
		req, _ := http.NewRequest("POST", hook.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("webhook answered %s", resp.Status)
		}
		return nil
	}
	http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost = people
	// Wait for the welcome of everyone (three messages each) before timing.
	for _, c := range chats {
		for limit := time.Now().Add(30 * time.Second); len(tg.SendTimes(c)) < 3 && time.Now().Before(limit); {
			time.Sleep(10 * time.Millisecond)
		}
	}
	// A step is answered once its reply reached the Bot API: the loop
	// waits for it, as a person waits for the reply (a page's answer
	// carries it), so no backlog builds up behind a quick 200.
	posted := make([][]time.Time, people)
	res = closedLoop(people, d, func(i, n int) error {
		t := time.Now()
		if err := post(chats[i], "/help"); err != nil {
			return err
		}
		posted[i] = append(posted[i], t)
		want := 3 + 2*len(posted[i]) - 1 // welcome (3), then help and question again per step
		for limit := time.Now().Add(10 * time.Second); len(tg.SendTimes(chats[i])) < want; {
			if time.Now().After(limit) {
				return fmt.Errorf("no reply within 10s")
			}
			time.Sleep(2 * time.Millisecond)
		}
		return nil
	})
	fmt.Fprintln(out, replies(tg, chats, posted, res.window).row("Telegram webhook, the reply handed to the Bot API"))

	per, err := streamCost(site.URL, visitors, streams, web)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nOpen event streams: %d; memory each, server and client side together: %.1f KB (Go heap and stacks, after a GC, before and after opening them).\n", streams, per/1024)
	return nil
}

// replies times each "/help" to its answer's arrival at the fake Bot API:
// a chat's messages arrive in order, three for the welcome, then two for
// each "/help" (the help, and the question again), the first of which
// answers it.
func replies(tg *telegramtest.Server, chats []int64, posted [][]time.Time, window time.Duration) result {
	var res result
	for i, c := range chats {
		got := tg.SendTimes(c)
		for k, t := range posted[i] {
			j := 3 + 2*k
			if j >= len(got) {
				res.errors++
				continue
			}
			res.lat = append(res.lat, got[j].Sub(t))
		}
	}
	res.steps, res.window = len(res.lat), window
	return res
}

// visitor is a web visitor with a consented conversation.
type visitor struct {
	base string
	hc   *http.Client
	csrf string
	seq  int64
	n    int
}

var (
	csrfField  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	consentBtn = regexp.MustCompile(`<button name="b" value="([^"]+)">Yes`)
	seqField   = regexp.MustCompile(`"seq":(\d+)`)
)

func warmWeb(base string, n int) ([]*visitor, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: n, MaxIdleConns: 2 * n}
	vs := make([]*visitor, n)
	for i := range vs {
		jar, _ := cookiejar.New(nil)
		v := &visitor{base: base, hc: &http.Client{Jar: jar, Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		resp, err := v.hc.Get(base + "/chat")
		if err != nil {
			return nil, err
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m, c := csrfField.FindSubmatch(page), consentBtn.FindSubmatch(page)
		if m == nil || c == nil {
			return nil, fmt.Errorf("the first page has no form to consent with")
		}
		v.csrf = string(m[1])
		if err := v.post(url.Values{"b": {string(c[1])}}); err != nil {
			return nil, err
		}
		vs[i] = v
	}
	return vs, nil
}

func (v *visitor) help() error { return v.post(url.Values{"cmd": {"help"}}) }

// post sends a form as the page's script does and reads the new lines.
func (v *visitor) post(form url.Values) error {
	v.n++
	form.Set("csrf", v.csrf)
	form.Set("f", "b"+strconv.Itoa(v.n)+"-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	form.Set("after", strconv.FormatInt(v.seq, 10))
	req, _ := http.NewRequest("POST", v.base+"/chat", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Signpost", "fetch")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := v.hc.Do(req)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("the chat answered %s", resp.Status)
	}
	if m := seqField.FindSubmatch(body); m != nil {
		v.seq, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	return nil
}

// result is one load's figures.
type result struct {
	steps, errors int
	window        time.Duration
	lat           []time.Duration
}

func (r result) row(name string) string {
	sort.Slice(r.lat, func(i, j int) bool { return r.lat[i] < r.lat[j] })
	p := func(q float64) string {
		if len(r.lat) == 0 {
			return "-"
		}
		i := int(q * float64(len(r.lat)-1))
		return fmt.Sprintf("%.1f ms", float64(r.lat[i])/float64(time.Millisecond))
	}
	return fmt.Sprintf("| %s | %d | %.0f | %s | %s | %s | %s | %d |", name, r.steps, float64(r.steps)/r.window.Seconds(), p(.5), p(.9), p(.99), p(1), r.errors)
}

// closedLoop runs n workers, each stepping as soon as its last step was
// answered, for d, and times every step.
func closedLoop(n int, d time.Duration, step func(i, k int) error) result {
	var mu sync.Mutex
	var res result
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var lat []time.Duration
			errs := 0
			for k := 0; time.Now().Before(deadline); k++ {
				t := time.Now()
				if err := step(i, k); err != nil {
					errs++
					continue
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.errors += errs
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	res.window = time.Since(start)
	res.steps = len(res.lat)
	return res
}

// streamCost opens streams event streams (as many visitors, in turn) and
// returns the memory each costs, with the clients kept to a bare socket.
func streamCost(base string, vs []*visitor, streams int, web *webchat.Server) (float64, error) {
	u, _ := url.Parse(base)
	before := memNow()
	var conns []net.Conn
	for i := 0; i < streams; i++ {
		v := vs[i%len(vs)]
		var cookie []string
		for _, c := range v.hc.Jar.Cookies(&url.URL{Scheme: "http", Host: u.Host, Path: "/chat"}) {
			cookie = append(cookie, c.Name+"="+c.Value)
		}
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			return 0, err
		}
		fmt.Fprintf(c, "GET /chat/events?after=%d HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\nCookie: %s\r\n\r\n", v.seq, u.Host, strings.Join(cookie, "; "))
		conns = append(conns, c)
	}
	deadline := time.Now().Add(30 * time.Second)
	for web.Open() < streams {
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("only %d of %d streams opened", web.Open(), streams)
		}
		time.Sleep(20 * time.Millisecond)
	}
	after := memNow()
	for _, c := range conns {
		c.Close()
	}
	return float64(after-before) / float64(streams), nil
}

func memNow() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

// startRedis runs a private redis-server on a free loopback port.
func startRedis(ctx context.Context) (func(), string, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, "", fmt.Errorf("REDIS_URL is not set and redis-server is not on PATH")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir, err := os.MkdirTemp("", "signpost-bench-web-")
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--loglevel", "warning")
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	stop := func() { cmd.Process.Kill(); cmd.Wait(); os.RemoveAll(dir) }
	u := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
	defer rdb.Close()
	for i := 0; ; i++ {
		if rdb.Ping(ctx).Err() == nil {
			return stop, u, nil
		}
		if i > 500 {
			stop()
			return nil, "", fmt.Errorf("redis-server did not answer")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
