package bot

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics of the bot, for /metrics. Names start with signpost_.
type Metrics struct {
	updates     *prometheus.CounterVec
	duplicates  prometheus.Counter
	panics      prometheus.Counter
	stepSeconds prometheus.Histogram
	stepTrips   prometheus.Histogram
	sends       *prometheus.CounterVec
	tooMany     prometheus.Counter
	retries     prometheus.Counter
	rateWaits   prometheus.Counter
	effects     *prometheus.CounterVec
	queueDepth  prometheus.Gauge
	senderQueue prometheus.Gauge
	inflight    prometheus.Gauge
	refused     *prometheus.CounterVec
}

// NewMetrics creates the bot's metrics and registers them with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		updates:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: "signpost_updates_total", Help: "Updates received, by kind."}, []string{"kind"}),
		duplicates:  prometheus.NewCounter(prometheus.CounterOpts{Name: "signpost_updates_duplicate_total", Help: "Updates dropped as repeats."}),
		panics:      prometheus.NewCounter(prometheus.CounterOpts{Name: "signpost_update_panics_total", Help: "Updates whose handling panicked."}),
		stepSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "signpost_step_seconds", Help: "Time to load, step and commit one event.", Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, 1}}),
		stepTrips:   prometheus.NewHistogram(prometheus.HistogramOpts{Name: "signpost_update_redis_round_trips", Help: "Redis round trips to handle one update, up to its commit (its delivery is apart, and so is a new pooled connection's setup).", Buckets: []float64{1, 2, 3, 4, 5, 6, 8, 10, 15, 20}}),
		sends:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "signpost_sends_total", Help: "Bot API calls by the sender, by method and result."}, []string{"method", "result"}),
		tooMany:     prometheus.NewCounter(prometheus.CounterOpts{Name: "signpost_telegram_429_total", Help: "Answers 429 Too Many Requests."}),
		retries:     prometheus.NewCounter(prometheus.CounterOpts{Name: "signpost_send_retries_total", Help: "Calls retried after a 5xx answer or a timeout."}),
		rateWaits:   prometheus.NewCounter(prometheus.CounterOpts{Name: "signpost_rate_waits_total", Help: "Sends held back to keep Telegram's limits."}),
		effects:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: "signpost_effects_total", Help: "Effects run, by kind."}, []string{"kind"}),
		queueDepth:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "signpost_update_queue_depth", Help: "Updates waiting to be handled."}),
		senderQueue: prometheus.NewGauge(prometheus.GaugeOpts{Name: "signpost_sender_queue_depth", Help: "Chats waiting for delivery."}),
		inflight:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "signpost_deliveries_in_flight", Help: "Deliveries of committed updates under way."}),
		refused:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: "signpost_cards_refused_total", Help: "Cards and alerts for link workers Telegram refused, kept to try again, by reason: forbidden (the bot removed), bad_request, migrated (the group became a supergroup; followed)."}, []string{"reason"}),
	}
	if reg != nil {
		reg.MustRegister(m.updates, m.duplicates, m.panics, m.stepSeconds, m.stepTrips, m.sends, m.tooMany, m.retries, m.rateWaits, m.effects, m.queueDepth, m.senderQueue, m.inflight, m.refused)
	}
	return m
}
