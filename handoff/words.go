package handoff

import (
	"fmt"
	"slices"
	"strings"
)

// The words link workers and people read for the codes the conversation
// stores. English only for now; the codes are what is stored, so other
// languages can be added without touching stored data.

var needWords = map[string]string{
	"money":        "Money and debt",
	"benefits":     "Benefits",
	"housing":      "Housing",
	"lonely":       "Feeling lonely",
	"eating":       "Healthy eating",
	"confidence":   "Confidence",
	"befriending":  "Meeting people",
	"volunteering": "Volunteering",
	"arts":         "Art groups",
	"gardening":    "Gardening",
	"other":        "Something else",
}

// needOrder is the order the conversation offers needs in.
var needOrder = []string{"money", "benefits", "housing", "lonely", "eating", "confidence", "befriending", "volunteering", "arts", "gardening", "other"}

// Needs lists the need codes, in the order the conversation offers them.
func Needs() []string { return slices.Clone(needOrder) }

// NeedWords is a need code in words; an unknown code is shown as it is.
func NeedWords(need string) string {
	if w, ok := needWords[need]; ok {
		return w
	}
	return need
}

var sourceWords = map[string]string{
	"gp":      "GP or surgery",
	"pa":      "Personal Adviser or leaving-care team",
	"friend":  "A friend or family",
	"social":  "Social media",
	"other":   "Somewhere else",
	"unknown": "Not known",
}

func sourceKindWords(kind string) string {
	if w, ok := sourceWords[kind]; ok {
		return w
	}
	return kind
}

// SourceWords is a referral's source in words: "gp_F86001" reads
// "GP or surgery (F86001)".
func SourceWords(source string) string {
	kind, detail := SourceOf(source)
	if detail == "" {
		return sourceKindWords(kind)
	}
	if kind == "other" {
		return "Link " + detail
	}
	return sourceKindWords(kind) + " (" + detail + ")"
}

// Words is the team's name as link workers say it.
func (t Team) Words() string {
	switch t {
	case TeamLeavingCare:
		return "Leaving-care team"
	case TeamLinkWorkers:
		return "Link workers"
	case TeamChildren:
		return "Children's safeguarding"
	}
	return string(t)
}

// Words is the outcome as a link worker picks it.
func (o Outcome) Words() string {
	switch o {
	case OutcomeConnectedGroup:
		return "Connected to a group"
	case OutcomeReferredService:
		return "Referred to a service"
	case OutcomeAdvice:
		return "Advice given"
	case OutcomeNotNeeded:
		return "No longer needed"
	case OutcomeNoContact:
		return "Could not contact"
	case OutcomeOther:
		return "Other"
	}
	// An outcome a council added reads as its code: moved_away is "Moved away".
	w := strings.ReplaceAll(strings.TrimSpace(string(o)), "_", " ")
	if w == "" {
		return ""
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

// ParseOutcomes reads a list of outcome codes, as OUTCOMES holds them
// ("connected_group, advice, moved_away"): lower case letters, digits and
// underscores, at most 40 bytes each, so that a button's data stays within
// Telegram's 64 bytes.
func ParseOutcomes(s string) ([]Outcome, error) {
	var out []Outcome
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if len(f) > 40 || strings.Trim(f, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
			return nil, fmt.Errorf("outcome %q: use lower case letters, digits and _ (at most 40)", f)
		}
		if !slices.Contains(out, Outcome(f)) {
			out = append(out, Outcome(f))
		}
	}
	return out, nil
}

var ageWords = map[string]string{
	"under17": "under 17",
	"17-25":   "17 to 25",
	"26-49":   "26 to 49",
	"50-64":   "50 to 64",
	"65plus":  "65 or over",
}

var whenWords = map[string]string{
	"morning":   "mornings",
	"afternoon": "afternoons",
	"evening":   "evenings",
	"any":       "any time",
}

// Band is the ONS band of an answer to one of the first three questions
// (life, worthwhile, happy): low 0-4, medium 5-6, high 7-8, very high 9-10.
func Band(s Score) string {
	switch {
	case s < 0:
		return ""
	case s <= 4:
		return "low"
	case s <= 6:
		return "medium"
	case s <= 8:
		return "high"
	}
	return "very high"
}

// AnxietyBand is the ONS band of the anxiety answer, where higher is worse:
// very low 0-1, low 2-3, medium 4-5, high 6-10.
func AnxietyBand(s Score) string {
	switch {
	case s < 0:
		return ""
	case s <= 1:
		return "very low"
	case s <= 3:
		return "low"
	case s <= 5:
		return "medium"
	}
	return "high"
}

// contactWords is how the person asked to be reached, for the card.
func contactWords(c Contact, ch Channel) string {
	if !c.Wanted {
		return "Does not want to be contacted"
	}
	var b strings.Builder
	switch c.How {
	case "phone":
		b.WriteString("By phone")
	case "sms":
		b.WriteString("By text message")
	default:
		if ch == ChannelWeb {
			b.WriteString("Here in the web chat")
		} else {
			b.WriteString("Here in Telegram")
		}
	}
	if c.Phone != "" && c.How != "telegram" {
		b.WriteString(" on " + c.Phone)
	}
	if w, ok := whenWords[c.When]; ok {
		b.WriteString(", " + w)
	}
	return b.String()
}

// howWords is the contact preference as the person reads it back.
func howWords(c Contact) string {
	switch c.How {
	case "phone":
		return "by phone"
	case "sms":
		return "by text message"
	}
	return "here in this chat"
}
