package directory

import "strings"

// The needs vocabulary of the conversation. These ids are stored in
// sessions and referrals, so they never change; only their wording does.
const (
	NeedMoney        = "money"        // money and debt
	NeedBenefits     = "benefits"     // benefits
	NeedHousing      = "housing"      // housing
	NeedLonely       = "lonely"       // feeling lonely or isolated
	NeedEating       = "eating"       // healthy eating and cooking
	NeedConfidence   = "confidence"   // building confidence
	NeedBefriending  = "befriending"  // meeting people, befriending
	NeedVolunteering = "volunteering" // volunteering
	NeedArts         = "arts"         // art groups
	NeedGardening    = "gardening"    // gardening
	NeedOther        = "other"        // something else
)

// Needs lists every need id in the order the conversation offers them.
var Needs = []string{
	NeedMoney, NeedBenefits, NeedHousing, NeedLonely, NeedEating, NeedConfidence,
	NeedBefriending, NeedVolunteering, NeedArts, NeedGardening, NeedOther,
}

// needPhrases finish the sentence "... for ___" in a reason line.
var needPhrases = map[string]string{
	NeedMoney:        "money worries",
	NeedBenefits:     "help with benefits",
	NeedHousing:      "housing problems",
	NeedLonely:       "feeling less alone",
	NeedEating:       "healthy eating and cooking",
	NeedConfidence:   "building confidence",
	NeedBefriending:  "meeting people",
	NeedVolunteering: "volunteering",
	NeedArts:         "art",
	NeedGardening:    "gardening",
	NeedOther:        "general advice",
}

// IsNeed reports whether id is in the needs vocabulary.
func IsNeed(id string) bool {
	_, ok := needBit[id]
	return ok
}

// needSet is a bitmask of needs; eleven needs fit easily, and testing a
// service against a person is then one AND.
type needSet uint16

var needBit = func() map[string]needSet {
	m := make(map[string]needSet, len(Needs))
	for i, n := range Needs {
		m[n] = 1 << i
	}
	return m
}()

func needsOf(ids []string) needSet {
	var s needSet
	for _, id := range ids {
		s |= needBit[id]
	}
	return s
}

func (s needSet) count() int {
	n := 0
	for ; s != 0; s &= s - 1 {
		n++
	}
	return n
}

// ids lists the needs in s in vocabulary order.
func (s needSet) ids() []string {
	var out []string
	for i, n := range Needs {
		if s&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Age bands the conversation records when a person gives a band rather than
// an age.
const (
	BandUnder17 = "under17"
	Band17to25  = "17-25"
	Band26to49  = "26-49"
	Band50to64  = "50-64"
	Band65plus  = "65plus"
)

// maxAge stands for "no upper limit" when comparing ranges.
const maxAge = 200

// bandRange returns the ages a band covers, inclusive. An unknown band
// reports ok false.
func bandRange(band string) (lo, hi int, ok bool) {
	switch strings.ToLower(strings.TrimSpace(band)) {
	case BandUnder17:
		return 0, 16, true
	case Band17to25:
		return 17, 25, true
	case Band26to49:
		return 26, 49, true
	case Band50to64:
		return 50, 64, true
	case Band65plus:
		return 65, maxAge, true
	}
	return 0, 0, false
}

// joinAnd joins words as people write them: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
