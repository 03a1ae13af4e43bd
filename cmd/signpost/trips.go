package main

import (
	"github.com/prometheus/client_golang/prometheus"

	"signpost/store"
)

// tripsByName exports the Redis round trips by what each sent, so that an
// operator (or the load benchmark) can see where a step's round trips go.
type tripsByName struct {
	trips *store.RoundTrips
	desc  *prometheus.Desc
}

func newTripsByName(trips *store.RoundTrips) *tripsByName {
	return &tripsByName{trips: trips, desc: prometheus.NewDesc(
		"signpost_redis_round_trips_by_name_total",
		"Round trips to Redis by what they sent: a command, a script of the store (commit, finish, ...), or a pipeline's contents joined with +.",
		[]string{"sent"}, nil)}
}

func (c *tripsByName) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *tripsByName) Collect(ch chan<- prometheus.Metric) {
	for name, n := range c.trips.ByName() {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, float64(n), name)
	}
}
