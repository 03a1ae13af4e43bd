package handoff

import (
	"slices"
	"strings"

	"signpost/content/risk"
)

// ReasonNotSafe: the person said they are not safe right now, after a risk
// response. It is the most pressing of all the reasons.
const ReasonNotSafe Reason = "not_safe_now"

// RiskWords is a kind of risk (a risk.Kind code) as a link worker reads it.
func RiskWords(code string) string {
	switch risk.Kind(code) {
	case risk.Overdose:
		return "overdose or injury already happened (999 / A&E)"
	case risk.DangerNow:
		return "in danger now (999)"
	case risk.Suicide:
		return "suicidal thoughts"
	case risk.SelfHarm:
		return "self-harm"
	case risk.DomesticAbuse:
		return "domestic abuse"
	case risk.SexualViolence:
		return "sexual violence"
	case risk.ChildAbuse:
		return "abuse of a child or young person"
	case risk.Exploitation:
		return "exploitation"
	case risk.NowhereTonight:
		return "nowhere safe to sleep tonight"
	case risk.SomeoneElse:
		return "worried about someone else"
	}
	return code
}

// addRisks records kinds of risk on r, once each, in the order first
// flagged. learned are those of codes that the learned reader alone found:
// a kind new to r is marked as the model's, and a kind a phrase (or the
// person's own answer) finds, now or before, is not.
func (r *Referral) addRisks(codes, learned []string) {
	for _, c := range codes {
		if c == "" {
			continue
		}
		model := slices.Contains(learned, c)
		switch {
		case !slices.Contains(r.Risks, c):
			r.Risks = append(r.Risks, c)
			if model {
				r.LearnedRisks = append(r.LearnedRisks, c)
			}
		case !model:
			r.LearnedRisks = slices.DeleteFunc(r.LearnedRisks, func(l string) bool { return l == c })
		}
	}
	if len(r.LearnedRisks) == 0 {
		r.LearnedRisks = nil
	}
}

// possibleMark follows a kind of risk that only the learned reader found.
const possibleMark = " (possible)"

// RiskText names the kinds of risk on r as a link worker reads them, the
// emergencies first, each that only the learned reader found marked
// "(possible)"; "" when there are none.
func RiskText(r Referral) string {
	codes := slices.Clone(r.Risks)
	slices.SortStableFunc(codes, func(a, b string) int {
		ea, eb := risk.Kind(a).Emergency(), risk.Kind(b).Emergency()
		switch {
		case ea && !eb:
			return -1
		case eb && !ea:
			return 1
		}
		return 0
	})
	words := make([]string, len(codes))
	for i, c := range codes {
		words[i] = RiskWords(c)
		if slices.Contains(r.LearnedRisks, c) {
			words[i] += possibleMark
		}
	}
	return strings.Join(words, ", ")
}

// PossibleText says what "(possible)" means on r's card, "" when no kind is
// marked: the kind was found by the model and by no phrase, so the words
// themselves are what tell.
func PossibleText(r Referral) string {
	if !slices.ContainsFunc(r.LearnedRisks, func(c string) bool { return slices.Contains(r.Risks, c) }) {
		return ""
	}
	if r.UrgentText == "" {
		return "Possible: found by the model only, not by a phrase; nothing they wrote was kept."
	}
	return "Possible: found by the model only, not by a phrase; please read their words."
}

// riskLine names the kinds of risk on r's card, with what a mark of
// "(possible)" means on a line of its own; "" when there are none.
func riskLine(r Referral) string {
	if len(r.Risks) == 0 {
		return ""
	}
	line := "Risk: " + RiskText(r)
	if p := PossibleText(r); p != "" {
		line += "\n" + p
	}
	return line
}

// Emergency reports whether r is the most pressing of urgent referrals: the
// person said they are not safe right now, or told of an overdose or injury
// that has happened or of danger now, and was told to call 999 first.
func (r Referral) Emergency() bool {
	if !r.Urgent {
		return false
	}
	if slices.Contains(r.Reasons, ReasonNotSafe) {
		return true
	}
	for _, c := range r.Risks {
		if risk.Kind(c).Emergency() {
			return true
		}
	}
	return false
}

// Young reports whether r is a flag for a person under 17: nothing of
// theirs is kept, and it goes to the children's safeguarding team if the
// service has one.
func (r Referral) Young() bool { return r.Age == AgeUnder17 }

// childrenTeam is the team an under-17's flag goes to.
func (d *Desk) childrenTeam() Team {
	if d.cfg.Children {
		return TeamChildren
	}
	return TeamLinkWorkers
}

// AgeUnder17 is the age band of a person under 17.
const AgeUnder17 = "under17"
