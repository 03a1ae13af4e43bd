package main

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// signpostMetrics are the counters of signpost's /metrics the report shows:
// what its sender waited for and retried, and how long steps took.
var signpostMetrics = []string{
	"signpost_step_seconds_sum",
	"signpost_step_seconds_count",
	"signpost_rate_waits_total",
	"signpost_send_retries_total",
	"signpost_telegram_429_total",
	"signpost_updates_duplicate_total",
	"signpost_redis_round_trips_total",
	"signpost_redis_commands_total",
	"signpost_update_redis_round_trips_sum",
	"signpost_update_redis_round_trips_count",
	"go_gc_duration_seconds_count",
	"go_gc_duration_seconds_sum",
	tripsByName,
}

// tripsByName is signpost's count of Redis round trips by what they sent;
// its series are kept apart, under "name{labels}".
const tripsByName = "signpost_redis_round_trips_by_name_total"

// labelled are the series scrapeMetrics keeps one by one rather than summed.
var labelled = map[string]bool{tripsByName: true}

// scrapeMetrics reads the named series from a Prometheus text endpoint;
// series with labels are summed under their name.
func scrapeMetrics(ctx context.Context, url string, names []string) (map[string]float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		key := name
		if i := strings.IndexByte(name, '{'); i >= 0 {
			// A labelled series: the value follows the closing brace.
			j := strings.LastIndexByte(line, '}')
			key, name, rest = line[:j+1], name[:i], strings.TrimSpace(line[j+1:])
		}
		if !want[name] {
			continue
		}
		if !labelled[name] {
			key = name
		}
		if v, err := strconv.ParseFloat(strings.Fields(rest)[0], 64); err == nil {
			out[key] += v
		}
	}
	return out, sc.Err()
}
