package main

import (
	"context"
	"crypto/subtle"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"signpost/bot"
	"signpost/store"
)

// Build information, stamped at build time with
//
//	-ldflags "-X main.version=1.4.0 -X main.commit=abc1234 -X main.buildDate=2026-11-29T12:00:00Z"
//
// as the Dockerfile does. A binary built without them reports what the Go
// toolchain recorded, if anything.
var (
	version   = "dev"
	commit    = ""
	buildDate = ""
)

// buildInfo is the version, commit and build date of this binary.
func buildInfo() (v, c, d string) {
	v, c, d = version, commit, buildDate
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && c == "":
				c = s.Value
			case s.Key == "vcs.time" && d == "":
				d = s.Value
			}
		}
	}
	if len(c) > 12 {
		c = c[:12]
	}
	if c == "" {
		c = "unknown"
	}
	if d == "" {
		d = "unknown"
	}
	return v, c, d
}

// runVersion implements "signpost version".
func runVersion(stdout io.Writer) int {
	v, c, d := buildInfo()
	fmt.Fprintf(stdout, "signpost %s (commit %s, built %s, %s)\n", v, c, d, runtime.Version())
	return 0
}

// buildInfoMetric is signpost_build_info, always 1, labelled with the build.
func buildInfoMetric() prometheus.Collector {
	v, c, d := buildInfo()
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "signpost_build_info",
		Help:        "The running build: version, commit, build date and Go version.",
		ConstLabels: prometheus.Labels{"version": v, "commit": c, "built": d, "goversion": runtime.Version()},
	})
	g.Set(1)
	return g
}

// runHealthcheck implements "signpost healthcheck": it asks the running
// serve's /healthz on HTTP_ADDR and exits 0 if it answers 200, for a
// container's health check in an image that has no shell or wget.
func runHealthcheck(ctx context.Context, getenv func(string) string, stderr io.Writer) int {
	addr := newSettings(getenv).get("HTTP_ADDR", ":8080")
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck: HTTP_ADDR is not host:port:", err)
		return 1
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "healthcheck: /healthz answered", resp.Status)
		return 1
	}
	return 0
}

// newHTTPServer is the server of the webhook, health and metrics (and the
// web pages): every request has its headers within 5 seconds and its whole
// body within readTimeout, so a client that knows the secret still cannot
// hold a connection by trickling. Answers have no write deadline: the web
// chat's event streams stay open for as long as the page does.
func newHTTPServer(h http.Handler, readTimeout time.Duration) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       readTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// metricsHandler guards /metrics with a bearer token when one is set.
func metricsHandler(h http.Handler, token string) http.Handler {
	if token == "" {
		return h
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// webhookState says whether Telegram has been told where to post updates.
type webhookState struct{ set atomic.Bool }

// register tells Telegram the webhook, and keeps trying with a growing,
// jittered pause (1 s to a minute) until it succeeds or ctx ends: a bot
// whose webhook is not set hears nothing, so a failure at start must not be
// the end of it. Readiness reports the webhook unset meanwhile.
func (ws *webhookState) register(ctx context.Context, b *bot.Bot, url string, maxConn int, log *slog.Logger) {
	pause := time.Second
	for attempt := 1; ; attempt++ {
		err := b.SetWebhook(ctx, url, maxConn)
		if err == nil {
			ws.set.Store(true)
			if attempt > 1 {
				log.Info("webhook set", "attempts", attempt)
			}
			return
		}
		log.Error("could not set the webhook; trying again", "err", err, "attempt", attempt, "in", pause)
		t := time.NewTimer(pause/2 + rand.N(pause/2+1))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		pause = min(2*pause, time.Minute)
	}
}

// readiness answers 200 when Redis (every master of a Cluster) and the Bot
// API answer and, in webhook mode, the webhook is set; the Bot API is asked
// at most every few seconds. Otherwise 503 with the first reason.
func readiness(rdb redis.UniversalClient, b *bot.Bot, webhook *webhookState, demo bool) http.Handler {
	var mu sync.Mutex
	var checked time.Time
	var apiErr error
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		if err := store.Ping(ctx, rdb); err != nil {
			http.Error(w, "redis: unreachable", http.StatusServiceUnavailable)
			return
		}
		mu.Lock()
		if time.Since(checked) > 5*time.Second {
			apiErr, checked = b.Ready(ctx), time.Now()
		}
		err := apiErr
		mu.Unlock()
		if err != nil {
			http.Error(w, "telegram: unreachable", http.StatusServiceUnavailable)
			return
		}
		if webhook != nil && !webhook.set.Load() {
			http.Error(w, "telegram: webhook not set yet", http.StatusServiceUnavailable)
			return
		}
		if demo {
			io.WriteString(w, "ready\n"+demoWarning+"\n")
			return
		}
		io.WriteString(w, "ready\n")
	})
}

// demoWarning is said at start and on /readyz by a service started with
// DEMO=1 and no link workers' group.
const demoWarning = "DEMO: no LINKWORKER_CHAT_ID, so referrals and urgent flags reach nobody"

// warnIfEvicting logs a warning for every master whose maxmemory-policy
// would let Redis drop keys when full: sessions, outboxes and schedules
// would vanish without a trace. signpost needs noeviction.
func warnIfEvicting(ctx context.Context, rdb redis.UniversalClient, log *slog.Logger) {
	policies, err := store.EvictionPolicies(ctx, rdb)
	if err != nil {
		log.Warn("could not read Redis's maxmemory-policy", "err", err)
		return
	}
	for node, p := range policies {
		if p != "noeviction" {
			log.Warn("Redis may evict keys when full, losing conversations and messages: set maxmemory-policy noeviction", "node", node, "maxmemory_policy", p)
		}
	}
}
