package report

import (
	"strconv"
	"strings"
	"time"
)

// The words a reader sees for stored values. An unknown value is shown as
// it is stored, so nothing counted is ever hidden by a missing label.
var (
	needLabels = map[string]string{
		"money": "Money and debt", "benefits": "Benefits", "housing": "Housing", "lonely": "Feeling lonely",
		"eating": "Healthy eating", "confidence": "Confidence", "befriending": "Meeting people",
		"volunteering": "Volunteering", "arts": "Art groups", "gardening": "Gardening", "other": "Something else",
	}
	sourceLabels  = map[string]string{"gp": "GP practice", "pa": "Personal Adviser or leaving-care team", "qr": "QR code poster", "self": "Self-referral"}
	channelLabels = map[string]string{"telegram": "Telegram", "web": "Web chat"}
	teamLabels    = map[string]string{"link_workers": "Link workers", "leaving_care": "Leaving-care team"}
	ageLabels     = map[string]string{"17-25": "17 to 25", "26-49": "26 to 49", "50-64": "50 to 64", "65plus": "65 or over"}
	priorityLabel = labeller(map[string]string{"urgent": "Urgent", "high": "High", "routine": "Routine"})
	statusLabels  = map[string]string{"new": "Waiting to be claimed", "claimed": "Claimed", "in_contact": "In contact", "closed": "Closed"}
	outcomeLabels = map[string]string{
		"connected_group": "Connected to a group", "referred_service": "Referred to a service", "advice": "Advice given",
		"not_needed": "No longer needed", "no_contact": "Could not contact", "other": "Other",
		"erased": "Ended when the person asked to be erased",
	}
	outcomeOrder = []string{"connected_group", "referred_service", "advice", "not_needed", "no_contact", "other"}

	needLabel    = labeller(needLabels)
	sourceLabel  = labeller(sourceLabels)
	channelLabel = labeller(channelLabels)
	teamLabel    = labeller(teamLabels)
	ageLabel     = labeller(ageLabels)
	statusLabel  = labeller(statusLabels)
	outcomeLabel = labeller(outcomeLabels)
	yesNoLabel   = labeller(map[string]string{"yes": "Yes", "no": "No"})
)

func labeller(m map[string]string) func(string) string {
	return func(k string) string {
		if k == unknown {
			return "Not known"
		}
		if l, ok := m[k]; ok {
			return l
		}
		return k
	}
}

// weekLabel shows an ISO week by its Monday: "w/c 26 Jan 2026".
func weekLabel(w string) string {
	year, week, _ := strings.Cut(w, "-W")
	y, err1 := strconv.Atoi(year)
	n, err2 := strconv.Atoi(week)
	if err1 != nil || err2 != nil {
		return w
	}
	// The Monday of ISO week 1 is the Monday on or before 4 January.
	jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(n-1))
	return "w/c " + monday.Format("2 Jan 2006")
}

func monthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("January 2006")
}

// definitions explain the figures in every format.
var definitions = []Definition{
	{"Referral", "A person's request for a link worker, or an urgent flag raised for them, made in the period. One person may make more than one."},
	{"People", "Distinct people with a referral in the period."},
	{"Small numbers", "Counts from 1 to 4 are shown as \"<5\" so that nobody can be recognised, as official statistics do. Where a table holds such a count, its total is rounded to the nearest 5 and shown with \"~\", and shares that would reveal it are not shown."},
	{"Median and 90th percentile", "Half of the waits were shorter than the median, and nine in ten were no longer than the 90th percentile. Working time counts only the service's hours, without weekends and bank holidays."},
	{"Wellbeing change", "For people who answered a question both when they referred themselves and at the follow-up (12 weeks after first contact, or when their case closed): the follow-up answer minus the first. ONS4 questions are scored 0 to 10; for anxiety a fall is an improvement. The 95% interval is the mean change plus or minus the t-value for the number of people times the standard error."},
	{"Improved", "People whose answer got better by at least one point."},
	{"Loneliness", "The three-item loneliness scale as the ONS asks it (lack companionship, left out, isolated; each 1 to 3): a total from 3 to 9, where 6 or more is commonly read as lonely. A fall is an improvement."},
	{"Check-ins", "Weekly messages sent to people who chose them (care leavers by default), and how many were answered; flags are the times a check-in reached a link worker, by why."},
}
