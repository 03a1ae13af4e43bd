package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/internal/telegramtest"
)

// The bots measured.
const (
	botSignpost = "signpost"
	botEcho     = "echo"
)

// The two kinds of load.
const (
	// modeClosed is maximum throughput: each person sends their next
	// message as soon as the webhook answered the previous one.
	modeClosed = "closed"
	// modeOpen posts updates at a fixed rate whatever the bot does, and
	// measures latency.
	modeOpen = "open"
)

// webhookPath is where both bots take updates.
const webhookPath = "/telegram/webhook"

// runConfig is one measurement: one bot under one kind of load.
type runConfig struct {
	Bot    string // botSignpost, botReal or botEcho
	Binary string // the bot's executable
	Mode   string // modeClosed, modeOpen or modeWalk
	// People is how many simulated people write to the bot.
	People int
	// Duration is how long updates are posted.
	Duration time.Duration
	// Rate is updates a second in the open loop.
	Rate float64
	// Conns bounds the concurrent webhook connections, as Telegram's
	// max_connections does.
	Conns int
	// Drain is how long, after the load, replies may still come.
	Drain time.Duration
	// RedisURL is the Redis signpost uses; each run gets a fresh prefix.
	RedisURL string
	// ContentDir is signpost's CONTENT_DIR.
	ContentDir string
	// SendRate and ChatRate are signpost's SEND_RATE and CHAT_RATE.
	SendRate, ChatRate float64
	// ProfileFile, when set and the binary serves pprof, receives a CPU
	// profile of the bot taken over the load.
	ProfileFile string
	// Logs receives the bot's standard error; nil keeps the last 64 KiB to
	// show if the run fails.
	Logs io.Writer
}

// botProcess is a bot running as a child process.
type botProcess struct {
	cmd  *exec.Cmd
	logs *tailBuffer
	done chan struct{}
	err  error
}

func startProcess(binary string, args []string, env map[string]string, logs io.Writer) (*botProcess, error) {
	cmd := exec.Command(binary, args...)
	// A small environment of our own, so settings of the shell running the
	// benchmark cannot change what is measured.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &botProcess{cmd: cmd, logs: &tailBuffer{max: 64 << 10}, done: make(chan struct{})}
	cmd.Stdout = io.Discard
	cmd.Stderr = p.logs
	if logs != nil {
		cmd.Stderr = io.MultiWriter(p.logs, logs)
	}
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", binary, err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	return p, nil
}

// stop asks the bot to shut down gracefully and kills it after 30s.
func (p *botProcess) stop() error {
	select {
	case <-p.done:
		return p.err
	default:
	}
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
		return p.err
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		return errors.New("did not stop within 30s of SIGINT; killed")
	}
}

func (p *botProcess) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.b))
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// run measures one bot under one load: a fresh fake Bot API server, fresh
// people, a fresh Redis prefix and a fresh bot process.
func run(ctx context.Context, cfg runConfig) (*result, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration+cfg.Drain+2*time.Minute)
	defer cancel()

	var w *walker
	tcfg := telegramtest.Config{}
	if cfg.Mode == modeWalk {
		w = newWalker(cfg.Bot)
		tcfg.OnBotMessage = w.observe
	}
	tg, err := telegramtest.New(tcfg)
	if err != nil {
		return nil, err
	}
	defer tg.Close()

	// Each person writes first, as on Telegram, where a bot may not start
	// a conversation. These updates wait in the fake server's queue until
	// the bot sets its webhook, and are its warm-up.
	people := make([]*telegramtest.Person, cfg.People)
	for i := range people {
		people[i] = tg.NewPerson(fmt.Sprintf("Person %d", i+1))
		if w != nil {
			w.add(i, people[i].ID())
		}
		people[i].Send("start")
	}

	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	secret := randomHex(16)
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": tg.Token(),
		"TELEGRAM_API_URL":   tg.URL(),
		"HTTP_ADDR":          addr,
		"WEBHOOK_URL":        "http://" + addr,
		"WEBHOOK_SECRET":     secret,
		"DEMO":               "1", // no link workers' group in a load test
	}
	if cfg.Bot == botReal {
		// The link workers' team as deployed: a group with the bot in it,
		// and workers who have each opened a private chat with the bot,
		// where the words of the people whose cases they hold reach them.
		var workers []*telegramtest.Person
		var ids []string
		for i := 0; i*peoplePerWorker < cfg.People; i++ {
			lw := tg.AddPerson(telegramtest.User{FirstName: fmt.Sprintf("Worker %d", i+1), Username: fmt.Sprintf("worker%d_lw", i+1)})
			workers = append(workers, lw)
			w.addWorker(lw, people[i*peoplePerWorker:min((i+1)*peoplePerWorker, cfg.People)])
			ids = append(ids, strconv.FormatInt(lw.ID(), 10))
		}
		group := tg.NewGroup("Link workers", workers...)
		group.AddBot(workers[0])
		w.group, w.tg = group.ID(), tg
		for _, lw := range workers {
			lw.Send("/mine")
		}
		env["LINKWORKER_CHAT_ID"] = strconv.FormatInt(group.ID(), 10)
		env["LINKWORKER_IDS"] = strings.Join(ids, ",")
		env["GROUP_RATE_PER_MINUTE"] = strconv.FormatFloat(cfg.ChatRate*60, 'f', -1, 64)
	}
	var args []string
	if cfg.Bot != botEcho {
		args = []string{"serve"}
		env["REDIS_URL"] = cfg.RedisURL
		env["REDIS_PREFIX"] = "bench" + randomHex(6)
		env["CONTENT_DIR"] = cfg.ContentDir
		env["SEND_RATE"] = strconv.FormatFloat(cfg.SendRate, 'f', -1, 64)
		env["CHAT_RATE"] = strconv.FormatFloat(cfg.ChatRate, 'f', -1, 64)
		env["WEBHOOK_MAX_CONNECTIONS"] = strconv.Itoa(min(max(cfg.Conns, 1), 100))
		env["LOG_LEVEL"] = "warn"
	}
	var pprofAddr string
	if cfg.ProfileFile != "" {
		pp, err := freePort()
		if err != nil {
			return nil, err
		}
		pprofAddr = fmt.Sprintf("127.0.0.1:%d", pp)
		env[pprofEnv] = pprofAddr
	}

	proc, err := startProcess(cfg.Binary, args, env, cfg.Logs)
	if err != nil {
		return nil, err
	}
	defer proc.stop()
	fail := func(err error) (*result, error) {
		if logs := proc.logs.String(); logs != "" {
			return nil, fmt.Errorf("%s: %w\n%s's log:\n%s", cfg.Bot, err, cfg.Bot, logs)
		}
		return nil, fmt.Errorf("%s: %w", cfg.Bot, err)
	}
	if err := waitReady(ctx, proc, "http://"+addr+"/healthz"); err != nil {
		return fail(err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 60*time.Second)
	defer wcancel()
	if err := tg.WaitCalls(wctx, "setWebhook", 1); err != nil {
		return fail(err)
	}
	for _, p := range people {
		if _, err := p.WaitBotMessages(wctx, 1); err != nil {
			return fail(fmt.Errorf("warm-up: no answer to a first message: %w", err))
		}
	}
	// The fake server forgets a delivered update when the webhook's answer
	// comes back, which may be after the bot replied.
	for len(tg.PendingUpdates()) > 0 {
		select {
		case <-wctx.Done():
			return fail(fmt.Errorf("warm-up: %d updates still queued", len(tg.PendingUpdates())))
		case <-time.After(10 * time.Millisecond):
		}
	}

	if w != nil {
		for i, p := range people {
			if !w.ready(wctx, i, p.ID()) {
				return fail(fmt.Errorf("warm-up: %s was not asked for consent", p.User().FirstName))
			}
		}
	}

	var rdb *redis.Client
	if cfg.Bot != botEcho {
		opt, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return nil, err
		}
		rdb = redis.NewClient(opt)
		defer rdb.Close()
	}
	var metricsBefore map[string]float64
	if cfg.Bot != botEcho {
		if metricsBefore, err = scrapeMetrics(ctx, "http://"+addr+"/metrics", signpostMetrics); err != nil {
			return fail(fmt.Errorf("read /metrics: %w", err))
		}
	}
	before, err := takeSnapshot(ctx, proc, rdb)
	if err != nil {
		return fail(err)
	}

	var profile chan error
	if pprofAddr != "" {
		profile = make(chan error, 2)
		go func() { profile <- fetchProfile(ctx, pprofAddr, "profile", cfg.Duration, cfg.ProfileFile) }()
		allocs := strings.TrimSuffix(cfg.ProfileFile, ".pprof") + "-allocs.pprof"
		go func() { profile <- fetchProfile(ctx, pprofAddr, "allocs", cfg.Duration, allocs) }()
	}

	sendsBefore := tg.Calls("sendMessage")
	callsBefore := apiCalls(tg)
	byBefore := tg.CallCounts()
	repliesBefore := tg.WebhookReplies()
	ld := newLoad(cfg, tg, people, "http://"+addr+webhookPath, secret)
	var recs []record
	var replies []map[int]time.Time
	var start, end time.Time
	var drained time.Duration
	if w != nil {
		// The walk waits for each reply itself, up to the drain.
		recs, replies, start, end = ld.walk(ctx, w)
		drained = max(time.Since(end), 0)
	} else {
		recs, start, end = ld.run(ctx)
		// Replies may still be on their way: wait for them, within Drain.
		match := replyMatcher(cfg.Bot)
		drainStart := time.Now()
		for {
			replies = collectReplies(tg, people, match)
			if missing(recs, replies) == 0 || time.Since(drainStart) >= cfg.Drain || proc.exited() {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		drained = time.Since(drainStart)
	}
	ld.close()

	var metricsAfter map[string]float64
	if cfg.Bot != botEcho {
		metricsAfter, _ = scrapeMetrics(ctx, "http://"+addr+"/metrics", signpostMetrics)
	}
	after, err := takeSnapshot(ctx, proc, rdb)
	if err != nil {
		return fail(err)
	}
	res := summarise(cfg, recs, replies, start, end)
	res.Drain = drained
	res.Sends = tg.Calls("sendMessage") - sendsBefore
	res.Calls = apiCalls(tg) - callsBefore
	res.CallsBy = map[string]int{}
	for m, n := range tg.CallCounts() {
		if d := n - byBefore[m]; d > 0 {
			res.CallsBy[m] = d
		}
	}
	if d := tg.WebhookReplies() - repliesBefore; d > 0 {
		// Counted under their method too: calls made from the webhook's
		// answer, with no request of their own.
		res.CallsBy[inReplies] = d
	}
	res.usage = after.sub(before)
	if metricsAfter != nil {
		res.Metrics = map[string]float64{}
		for k, v := range metricsAfter {
			res.Metrics[k] = v - metricsBefore[k]
		}
	}
	if profile != nil {
		for range 2 {
			if err := <-profile; err != nil {
				res.Notes = append(res.Notes, "profile: "+err.Error())
			}
		}
	}
	if proc.exited() {
		return fail(fmt.Errorf("exited during the run: %v", proc.err))
	}
	if err := proc.stop(); err != nil {
		res.Notes = append(res.Notes, fmt.Sprintf("%s did not stop cleanly: %v", cfg.Bot, err))
	}
	return res, nil
}

// waitReady polls the bot's health check until it answers 200.
func waitReady(ctx context.Context, proc *botProcess, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if proc.exited() {
			return fmt.Errorf("exited at start: %v", proc.err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no answer from %s within 30s", url)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// usage is the CPU time spent by each party, and Redis's command counts.
type usage struct {
	bot, harness time.Duration
	redis        redisSnapshot
	hasRedis     bool
}

func takeSnapshot(ctx context.Context, proc *botProcess, rdb *redis.Client) (usage, error) {
	var u usage
	var err error
	if u.bot, err = processCPU(proc.cmd.Process.Pid); err != nil {
		return u, err
	}
	u.harness = selfCPU()
	if rdb != nil {
		if u.redis, err = snapshotRedis(ctx, rdb); err != nil {
			return u, err
		}
		u.hasRedis = true
	}
	return u, nil
}

func (u usage) sub(b usage) usage {
	d := usage{bot: u.bot - b.bot, harness: u.harness - b.harness, hasRedis: u.hasRedis}
	if u.hasRedis {
		d.redis = u.redis.sub(b.redis)
	}
	return d
}

// inReplies names, among the calls by method, those the bot made in its
// webhook answers (already counted under their method).
const inReplies = "of these in webhook answers"

// apiCalls counts every Bot API call the bot made so far, those made in
// its webhook answers included.
func apiCalls(tg *telegramtest.Server) int {
	n := 0
	for _, c := range tg.CallCounts() {
		n += c
	}
	return n
}
