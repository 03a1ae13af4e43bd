// Package risk names the kinds of risk signpost recognises in what people
// write, and carries what reading one message found. The phrases, patterns
// and responses live in the content (content/data/risk); the matcher that
// reads a message against them lives beside this file.
package risk

// Kind is one kind of risk. Kinds are codes, stored on flags and referrals, so
// the words shown for them can change without touching stored data.
type Kind string

// Kinds of risk, roughly from the most to the least immediate.
const (
	// Overdose: an overdose or injury that has already happened (999 / A&E first).
	Overdose Kind = "overdose_injury"
	// DangerNow: in immediate danger now.
	DangerNow Kind = "danger_now"
	// Suicide: suicidal thoughts, passive wishes not to exist, being a
	// burden, plans and methods.
	Suicide Kind = "suicide"
	// SelfHarm: thoughts or acts of self-harm.
	SelfHarm Kind = "self_harm"
	// DomesticAbuse: abuse by a partner or family member, coercive control,
	// choking, fear of a partner.
	DomesticAbuse Kind = "domestic_abuse"
	// SexualViolence: rape, sexual assault, unwanted sexual contact.
	SexualViolence Kind = "sexual_violence"
	// ChildAbuse: abuse of a child or young person, including by family.
	ChildAbuse Kind = "child_abuse"
	// Exploitation: county lines, grooming, being made to carry or sell,
	// trafficking, modern slavery.
	Exploitation Kind = "exploitation"
	// NowhereTonight: nowhere safe to sleep tonight.
	NowhereTonight Kind = "nowhere_tonight"
	// SomeoneElse: worry about someone else at risk ("my friend wants to kill
	// herself").
	SomeoneElse Kind = "someone_else"
)

// Kinds lists every kind in order of precedence: when one message holds
// several, the response of the first listed here leads.
var Kinds = []Kind{Overdose, DangerNow, Suicide, SelfHarm, SexualViolence, ChildAbuse, DomesticAbuse, Exploitation, NowhereTonight, SomeoneElse}

// Emergency reports whether the kind needs 999 or A&E before anything else.
func (k Kind) Emergency() bool { return k == Overdose || k == DangerNow }

// Finding is one kind of risk found in a message.
type Finding struct {
	Kind Kind
	// Negated is true when the only mentions of the kind were denied ("I'm
	// not suicidal"): such a message gets a gentle response and no alarm.
	Negated bool
	// Learned is true when the learned reader found the kind and the
	// rules did not (package learn): a second line, answered as a finding
	// of the rules is.
	Learned bool
}

// Assessment is what reading one message found: the rules' findings in order
// of precedence, then any the learned reader added, in order of precedence.
type Assessment struct {
	Findings []Finding
	// Lang is the language whose phrases found the risk: answer in it
	// (Bundle.RiskResponse), since a person may write in a language other
	// than the one their app is set to.
	Lang string
}

// Risk reports whether the message holds any risk that was not denied: such a
// message gets its response and raises a flag.
func (a Assessment) Risk() bool {
	for _, f := range a.Findings {
		if !f.Negated {
			return true
		}
	}
	return false
}

// Denied reports whether the message spoke of risk only to deny it.
func (a Assessment) Denied() bool { return len(a.Findings) > 0 && !a.Risk() }

// Kinds lists the kinds found and not denied, in order of precedence.
func (a Assessment) Kinds() []Kind {
	var ks []Kind
	for _, f := range a.Findings {
		if !f.Negated {
			ks = append(ks, f.Kind)
		}
	}
	return ks
}

// Lead is the kind whose response leads, or "" when there is no risk.
func (a Assessment) Lead() Kind {
	if ks := a.Kinds(); len(ks) > 0 {
		return ks[0]
	}
	return ""
}

// Emergency reports whether any kind found needs 999 or A&E first.
func (a Assessment) Emergency() bool {
	for _, k := range a.Kinds() {
		if k.Emergency() {
			return true
		}
	}
	return false
}
