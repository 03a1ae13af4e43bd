package flows

import (
	"fmt"
	"time"
)

// OpensWords is when the team opens, as a person reads it after "our team
// is closed until": "9am today", "9am tomorrow", "9am on Monday", or, a week
// or more ahead (the Christmas holidays), "9am on Monday 29 December". It is
// read in opens' own time zone, the service's; now is the moment of saying
// it. A zero opens (no opening on the calendar) is "further notice".
func OpensWords(opens, now time.Time) string {
	if opens.IsZero() {
		return "further notice"
	}
	now = now.In(opens.Location())
	clock := clockWords(opens)
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, opens.Location())
	oy, om, od := opens.Date()
	days := int(time.Date(oy, om, od, 12, 0, 0, 0, time.UTC).Sub(time.Date(y, m, d, 12, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	switch {
	case opens.Before(today) || days <= 0:
		return clock + " today"
	case days == 1:
		return clock + " tomorrow"
	case days < 7:
		return clock + " on " + opens.Weekday().String()
	}
	return fmt.Sprintf("%s on %s %d %s", clock, opens.Weekday(), od, om)
}

// clockWords is a time of day as people say it: "9am", "1:30pm", "noon".
func clockWords(t time.Time) string {
	h, m := t.Hour(), t.Minute()
	if h == 12 && m == 0 {
		return "noon"
	}
	if h == 0 && m == 0 {
		return "midnight"
	}
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	if m == 0 {
		return fmt.Sprintf("%d%s", h12, suffix)
	}
	return fmt.Sprintf("%d:%02d%s", h12, m, suffix)
}
