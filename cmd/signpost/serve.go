package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"signpost/bot"
	"signpost/console"
	"signpost/content"
	"signpost/content/directory"
	"signpost/flows"
	"signpost/handoff"
	"signpost/service"
	"signpost/store"
	"signpost/webchat"
)

// webhookPath is where Telegram posts updates in webhook mode.
const webhookPath = "/telegram/webhook"

// serveGCPercent is the garbage collector's target for serve unless GOGC
// says otherwise: the heap may grow to three times what is live before a
// collection, where Go's default is twice. The content alone keeps about
// 46 MB and 410,000 objects live, each of which every collection marks
// again; updates allocate little that lives, so collecting half as often
// halves that work for about 46 MB more at the peak.
const serveGCPercent = 200

// runServe implements "signpost serve": the Telegram bot.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "signpost serve takes no arguments; it reads its settings from the environment (see .env.example)")
		return 2
	}
	cfg, err := loadServeConfig(os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "signpost:", err)
		return 2
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if err := serve(ctx, cfg, newLogger(stderr, cfg.LogLevel), serveOptions{}); err != nil {
		fmt.Fprintln(stderr, "signpost:", err)
		return 1
	}
	return 0
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// serveOptions are what a caller other than main changes about serve: a
// test's clock and the service it wants to look into.
type serveOptions struct {
	// listening receives the HTTP address once it accepts connections.
	listening chan<- string
	// started is told the service once it runs.
	started func(*service.Service)
	// now is the service's clock; nil is the real one.
	now func() time.Time
	// reminderEvery is how often unclaimed referrals are looked for.
	reminderEvery time.Duration
	// followUpSpec is when due follow-ups are looked for ("@every 1s").
	followUpSpec string
	// roundTrips, when set, is told the counter of the Redis round trips
	// serve makes.
	roundTrips func(*store.RoundTrips)
	// sweepEvery is how often the sender looks for outboxes left
	// undelivered; zero is the bot's default.
	sweepEvery time.Duration
	// content, when set, is the built-in content already loaded, for tests
	// that start serve many times in one process (loading it compiles the
	// risk phrases, about a second under the race detector). CONTENT_DIR
	// still wins.
	content *content.Bundle
}

// retentionMetrics counts what the retention purge does, for /metrics.
func retentionMetrics(reg *prometheus.Registry) func(handoff.Retained) {
	done := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "signpost_retention_referrals_total",
		Help: "Referrals whose personal data the retention purge erased (stage=personal) or that it removed altogether (stage=anonymous).",
	}, []string{"stage"})
	last := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "signpost_retention_last_run_timestamp_seconds",
		Help: "When this replica last ran the retention purge.",
	})
	reg.MustRegister(done, last)
	done.WithLabelValues("personal")
	done.WithLabelValues("anonymous")
	return func(r handoff.Retained) {
		done.WithLabelValues("personal").Add(float64(r.Erased))
		done.WithLabelValues("anonymous").Add(float64(r.Removed))
		last.SetToCurrentTime()
	}
}

// serve runs the bot until ctx ends, then shuts down gracefully: no new
// updates, those in hand finished, the sender's batches done.
func serve(ctx context.Context, cfg *serveConfig, log *slog.Logger, opts serveOptions) error {
	conn := cfg.Redis
	if conn.MinIdleConns == 0 {
		conn.MinIdleConns = 16 // ready before the first burst of updates
	}
	store.LogTo(log)
	if cfg.LinkWorkerChat == 0 {
		log.Error(demoWarning)
	}
	rdb, err := store.Connect(ctx, conn, 5*time.Second)
	if err != nil {
		return err
	}
	defer rdb.Close()
	trips := store.CountRoundTrips(rdb)
	if opts.roundTrips != nil {
		opts.roundTrips(trips)
	}
	warnIfEvicting(ctx, rdb, log)
	bundle := opts.content
	if bundle == nil || cfg.ContentDir != "" {
		if bundle, err = loadContent(cfg.ContentDir); err != nil {
			return fmt.Errorf("CONTENT_DIR: %w", err)
		}
	}
	if problems := bundle.Check(); len(problems) > 0 {
		return fmt.Errorf("CONTENT_DIR: the content has %d problem(s), the first: %s (run signpost content check)", len(problems), problems[0])
	}

	st := store.New(rdb, store.Config{Prefix: cfg.RedisPrefix, SessionTTL: cfg.SessionTTL, WaitReplicas: cfg.WaitReplicas})
	if err := st.Preload(ctx); err != nil {
		return err
	}
	if from, err := st.Migrate(ctx); err != nil {
		return err
	} else if from != store.SchemaVersion {
		log.Info("data in Redis migrated", "from", from, "to", store.SchemaVersion)
	}
	// From here on, people's ids in the logs are pseudonyms.
	key, err := logIDKey(ctx, cfg.LogIDKey, st)
	if err != nil {
		return err
	}
	log = withPseudonyms(log, key)
	dir, err := directory.Load(cfg.DirectoryFile)
	if err != nil {
		return fmt.Errorf("DIRECTORY_FILE: %w", err)
	}
	if problems := directory.Check(dir); directory.HasErrors(problems) {
		return fmt.Errorf("DIRECTORY_FILE: the directory has problems (run signpost content check --directory %s)", cfg.DirectoryFile)
	}
	runner := flows.NewRunner(st, bundle, flows.Config{Contents: st, SessionTTL: cfg.SessionTTL, Logger: log, Directory: dir, Facts: facts(cfg), Local: cfg.Local, Hours: cfg.Calendar.Promise})
	if err := runner.Publish(ctx); err != nil {
		return fmt.Errorf("publish content: %w", err)
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), buildInfoMetric())
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "signpost_redis_round_trips_total", Help: "Round trips to Redis: a command sent alone or a pipeline, counted at each node."}, func() float64 {
		return float64(trips.Trips())
	}))
	reg.MustRegister(newTripsByName(trips))
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "signpost_redis_commands_total", Help: "Commands sent to Redis, those in pipelines one by one."}, func() float64 {
		return float64(trips.Commands())
	}))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "signpost_blocked_people", Help: "People who have blocked the bot."}, func() float64 {
		c, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, _ := st.BlockedCount(c)
		return float64(n)
	}))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "signpost_outbox_stuck", Help: "Chats with messages committed over five minutes ago and not yet delivered."}, func() float64 {
		c, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, _ := st.StuckOutboxes(c, 5*time.Minute)
		return float64(n)
	}))
	svc, err := service.New(service.Config{
		Groups:      map[handoff.Team]int64{handoff.TeamLinkWorkers: cfg.LinkWorkerChat, handoff.TeamLeavingCare: cfg.LeavingCare, handoff.TeamChildren: cfg.Children},
		HousingChat: cfg.HousingChat,
		Teams: handoff.AuthConfig{
			LinkWorkers: cfg.LinkWorkerIDs, LeavingCare: cfg.LeavingCareIDs, Managers: cfg.ManagerIDs,
			SeparateLeavingCare: separateLeavingCare(cfg),
		},
		Outcomes:         cfg.Outcomes,
		Location:         cfg.Location,
		Console:          consoleAddress(cfg.Console.PublicURL),
		Now:              opts.now,
		ReminderEvery:    opts.reminderEvery,
		Logger:           log,
		Calendar:         cfg.Calendar,
		FollowUpAfter:    cfg.FollowUpAfter,
		FollowUpReminder: cfg.FollowUpReminder,
		FollowUpSpec:     opts.followUpSpec,
		Retention:        cfg.Retention,
		RetentionSpec:    cfg.RetentionSpec,
		OnRetention:      retentionMetrics(reg),
		OnCall:           cfg.OnCall,
		Escalate:         cfg.Escalate,
		OnCallAck:        cfg.OnCallAck,
	}, st, runner)
	if err != nil {
		return err
	}
	reg.MustRegister(svc.Collector())
	var groups []int64
	for _, g := range []int64{cfg.LinkWorkerChat, cfg.LeavingCare, cfg.Children, cfg.HousingChat, cfg.OnCall, cfg.Escalate} {
		if g < 0 { // groups only: an on-call chat may be a duty worker's own
			groups = append(groups, g)
		}
	}
	b, err := bot.New(bot.Config{
		Token:         cfg.Token,
		APIURL:        cfg.APIURL,
		WebhookSecret: cfg.WebhookSecret,
		Groups:        groups,
		Limits:        bot.Limits{Global: cfg.SendRate, PerChat: cfg.ChatRate, PerGroupMinute: cfg.GroupPerMinute},
		Lease:         cfg.DeliveryLease,
		SendTimeout:   cfg.SendTimeout,
		TypingAfter:   cfg.TypingAfter,
		SweepEvery:    opts.sweepEvery,
		Logger:        log,
		Metrics:       bot.NewMetrics(reg),
		OnBlocked:     svc.OnBlocked,
	}, runner, st, svc.Effects())
	if err != nil {
		return err
	}
	lwc := bot.LinkWorkersConfig{Conversation: svc.ForConversation}
	var cons *console.Console
	if cfg.Console.PublicURL != "" {
		cons, err = console.New(ctx, console.Config{
			PublicURL: cfg.Console.PublicURL, Desk: svc.Desk(), Store: st, Deliver: svc.Deliver,
			OIDC: cfg.Console.OIDC, Service: cfg.Console.Service, TrustedProxies: cfg.Web.TrustedProxies, Now: opts.now, Logger: log,
		})
		if err != nil {
			return err
		}
		lwc.ConsoleLink = cons.Link
	}
	lw := svc.Attach(b, lwc)
	if err := b.SetCommands(ctx, menu(bundle)); err != nil {
		log.Warn("could not set the commands menu", "err", err)
	}
	setDescriptions(ctx, b, bundle, log)
	if err := lw.SetMenus(ctx); err != nil {
		log.Warn("could not set the link workers' commands menu", "err", err)
	}

	var webhook *webhookState
	if cfg.WebhookURL != "" {
		webhook = &webhookState{}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.Handle("/readyz", readiness(rdb, b, webhook, cfg.LinkWorkerChat == 0))
	metrics := metricsHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}), cfg.MetricsToken)
	if cfg.WebhookURL != "" {
		mux.Handle(webhookPath, b.WebhookHandler())
	}
	if cons != nil {
		mux.Handle(console.Prefix, cons.Handler())
		mux.Handle(console.Prefix+"/", cons.Handler())
	}
	var web *webchat.Server
	if cfg.Web.On {
		if web, err = newWebChat(ctx, cfg, st, runner, svc, b, log); err != nil {
			return err
		}
		if err := web.Start(ctx); err != nil {
			return err
		}
		defer web.Shutdown()
		svc.SetWaker(handoff.ChannelWeb, func(user int64) {
			if err := web.Notify(context.WithoutCancel(ctx), user); err != nil {
				log.Warn("web chat: deliver", "user", user, "err", err)
			}
		})
		h := web.Handler()
		mux.Handle("/chat", h)
		mux.Handle("/chat/", h)
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR: %w", err)
	}
	srv := newHTTPServer(mux, cfg.HTTPReadTimout)
	servers := []*http.Server{srv}
	if cfg.MetricsAddr == "" {
		mux.Handle("/metrics", metrics)
	} else {
		// Metrics on a port of their own, kept off the one the reverse
		// proxy publishes.
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("METRICS_ADDR: %w", err)
		}
		mmux := http.NewServeMux()
		mmux.Handle("/metrics", metrics)
		msrv := newHTTPServer(mmux, cfg.HTTPReadTimout)
		servers = append(servers, msrv)
		go msrv.Serve(mln)
	}
	go srv.Serve(ln)
	v, c, d := buildInfo()
	log.Info("signpost serving", "version", v, "commit", c, "built", d, "http", ln.Addr().String(), "metrics", cfg.MetricsAddr, "webhook", cfg.WebhookURL != "", "redis", cfg.Redis.Topology(), "content", bundle.Version)
	if opts.listening != nil {
		opts.listening <- ln.Addr().String()
	}

	svc.Start(ctx)
	if opts.started != nil {
		opts.started(svc)
	}
	if cfg.WebhookURL != "" {
		go webhook.register(ctx, b, strings.TrimRight(cfg.WebhookURL, "/")+webhookPath, cfg.WebhookMaxConn, log)
		b.Serve(ctx)
	} else if err := b.Poll(ctx); err != nil {
		log.Error("polling", "err", err)
	}

	// Stopping: first no new webhook calls (those in flight finish), then the
	// updates in hand and the sender.
	log.Info("signpost stopping")
	stopCtx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	if web != nil {
		web.Shutdown() // open event streams end, or the server would wait on them
	}
	for _, srv := range servers {
		srv.Shutdown(stopCtx)
	}
	if err := svc.Shutdown(stopCtx); err != nil {
		log.Warn("service shutdown", "err", err)
	}
	if err := b.Shutdown(stopCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// consoleAddress is where the console is, for links on cards; "" when
// there is no console.
func consoleAddress(public string) string {
	if public == "" {
		return ""
	}
	return public + console.Prefix
}

// setDescriptions sets the bot's description and about text from the
// content: for every language, and the default language's for everyone else.
func setDescriptions(ctx context.Context, b *bot.Bot, c *content.Bundle, log *slog.Logger) {
	langs := []string{""}
	for lang := range c.Messages {
		langs = append(langs, lang)
	}
	for _, lang := range langs {
		from := lang
		if lang == "" {
			from = c.DefaultLang
		} else if lang == c.DefaultLang {
			continue
		}
		if err := b.SetDescriptions(ctx, lang, c.Text(from, "bot_description"), c.Text(from, "bot_about")); err != nil {
			log.Warn("could not set the bot's description", "lang", lang, "err", err)
		}
	}
}

// menu is the commands menu, described in the default language.
func menu(b *content.Bundle) []bot.Command {
	var cmds []bot.Command
	for _, c := range []string{"start", "talk", "help", "back", "restart", "groups", "checkins", "status", "endcontact", "privacy", "forget"} {
		cmds = append(cmds, bot.Command{Name: c, Description: b.Text(b.DefaultLang, "menu_"+c)})
	}
	return cmds
}

var errNoBotName = errors.New("the bot's username is unknown: pass --bot NAME or set BOT_USERNAME")
