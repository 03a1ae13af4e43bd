package main

import (
	"fmt"
	"strconv"
	"time"

	"signpost/content"
	"signpost/scheduler"
)

// facts are the settings the messages quote (content.DefaultFacts), from
// the configuration serve runs with, so that the privacy message tells
// people how long their answers are really kept.
func facts(cfg *serveConfig) map[string]string {
	f := content.DefaultFacts()
	f["keep_idle"] = durationWords(cfg.SessionTTL)
	f["keep_closed"] = cfg.Retention.Closed.String()
	f["keep_anonymous"] = cfg.Retention.Anonymous.String()
	f["keep_checkins"] = strconv.Itoa(scheduler.DefaultHistoryKeep)
	f["keep_checkins_for"] = durationWords(scheduler.DefaultHistoryRetention)
	if !separateLeavingCare(cfg) {
		f["leaving_care_team"] = "our link workers"
	}
	return f
}

// separateLeavingCare says the leaving-care team works on its own: its
// own group or its own people. Otherwise link workers take care leavers.
func separateLeavingCare(cfg *serveConfig) bool {
	return cfg.LeavingCare != 0 || len(cfg.LeavingCareIDs) > 0
}

// durationWords says d as a person would: "30 days", "1 day", "12 hours".
func durationWords(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d >= day && d%day == 0:
		return plural(int(d/day), "day")
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour")
	case d >= time.Minute && d%time.Minute == 0:
		return plural(int(d/time.Minute), "minute")
	}
	return d.String()
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
