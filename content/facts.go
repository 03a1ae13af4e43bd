package content

import "maps"

// FlaggedVar is the answer signpost sets to "yes" when crisis words in a
// conversation the person consented to sent their words and answers to the
// link workers, so that the flow can tell them so rather than say that
// nothing was passed on.
const FlaggedVar = "flagged"

// Facts are settings of the running service that messages quote, so that a
// promise such as "we delete your answers after 30 days" says what the
// service really does: {keep_idle} is how long an idle conversation is kept
// (SESSION_TTL), {keep_closed} how long a closed referral's personal data is
// kept (RETENTION_CLOSED), {keep_anonymous} how long its anonymous record is
// kept (RETENTION_ANONYMOUS), {keep_checkins} how many check-in answers are
// kept and {keep_checkins_for} for how long after the last; {leaving_care_team}
// is who a care leaver's referral goes to: the leaving-care team when the
// service has one (LEAVING_CARE_CHAT_ID or LEAVING_CARE_IDS), otherwise the
// link workers.
//
// The values are words in the default language; signpost serve sets them
// from its settings (flows.Config.Facts). These defaults are the settings'
// defaults, which a test holds equal to the code's.
func DefaultFacts() map[string]string {
	return maps.Clone(defaultFacts)
}

var defaultFacts = map[string]string{
	"keep_idle":         "30 days",
	"keep_closed":       "2 years",
	"keep_anonymous":    "7 years",
	"keep_checkins":     "20",
	"keep_checkins_for": "400 days",
	"leaving_care_team": "the leaving-care team",
}

// FactNames lists the facts a message may use.
func FactNames() []string {
	names := make([]string, 0, len(defaultFacts))
	for n := range defaultFacts {
		names = append(names, n)
	}
	return names
}

// Fact returns the value of the fact name in b: the setting signpost runs
// with, or its default.
func (b *Bundle) Fact(name string) (string, bool) {
	if v, ok := b.Facts[name]; ok {
		return v, true
	}
	v, ok := defaultFacts[name]
	return v, ok
}
