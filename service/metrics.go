package service

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics of the queues, read from Redis at each scrape.
var (
	waitingDesc = prometheus.NewDesc("signpost_referrals_waiting",
		"Unclaimed referrals, by team and priority.", []string{"team", "priority"}, nil)
	oldestUrgentDesc = prometheus.NewDesc("signpost_oldest_unclaimed_urgent_seconds",
		"Age of the oldest unclaimed urgent referral, since it was made; 0 when none waits.", nil, nil)
	undeliveredDesc = prometheus.NewDesc("signpost_cards_undelivered",
		"Unclaimed referrals whose card has not reached the team's group two minutes after they were made.", nil, nil)
)

// queueCollector reads the desk's queues for /metrics.
type queueCollector struct{ s *Service }

// Collector is the queues' metrics, for /metrics: referrals waiting by team
// and priority, the age of the oldest unclaimed urgent one, and the cards
// that have not reached their group.
func (s *Service) Collector() prometheus.Collector { return queueCollector{s} }

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- waitingDesc
	ch <- oldestUrgentDesc
	ch <- undeliveredDesc
}

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	now := c.s.cfg.Now()
	w, err := c.s.desk.Waiting(ctx, now)
	if err != nil {
		c.s.log.Warn("read the queues for the metrics", "err", err)
		ch <- prometheus.NewInvalidMetric(waitingDesc, err)
		return
	}
	for team, byPriority := range w.Count {
		for p, n := range byPriority {
			ch <- prometheus.MustNewConstMetric(waitingDesc, prometheus.GaugeValue, float64(n), string(team), string(p))
		}
	}
	age := 0.0
	if !w.OldestUrgent.IsZero() {
		age = max(0, now.Sub(w.OldestUrgent).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(oldestUrgentDesc, prometheus.GaugeValue, age)
	ch <- prometheus.MustNewConstMetric(undeliveredDesc, prometheus.GaugeValue, float64(w.Undelivered))
}
