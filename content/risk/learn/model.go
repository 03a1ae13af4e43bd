package learn

import (
	"math"
	"sort"

	"signpost/content/risk"
)

// MaxKinds is the most kinds one model scores.
const MaxKinds = 10

// Model is a trained learned reader: for each kind a bias, the weights of
// every feature, and the threshold its score must reach. A Model is
// read-only once made, and safe for use by many goroutines.
type Model struct {
	// Kinds are the kinds scored, in the order of the weights.
	Kinds []risk.Kind
	// Bias, Scale and Threshold are per kind: a weight stored as q means
	// q*Scale; a score at or above Threshold finds the kind.
	Bias, Scale, Threshold []float64
	// Sets are the labelled sets the model was trained on.
	Sets []Set
	// Config is how it was trained.
	Config Config
	// Sum is the SHA-256 of the encoded weights, which the model file
	// records and loading checks.
	Sum string

	// index gives each bucket's row in rows; 0 means every weight is 0.
	// It and the rows are small enough to stay in a core's cache: 128 KB
	// and 20 bytes a bucket with weights.
	index []uint16
	rows  []row
	// packed are the rows as scoring adds them (addPacked), and cache the
	// commonest words' sums (words.go).
	packed []packedRow
	cache  wordCache
}

type row [MaxKinds]int16

// Set names one labelled set a model was trained on: its file name, how
// many messages it held and the SHA-256 of its bytes.
type Set struct {
	Name   string `json:"name"`
	Items  int    `json:"items"`
	SHA256 string `json:"sha256"`
}

// Scores are a message's score for each of a model's kinds, in its order:
// logits, where 0 is even odds.
type Scores [MaxKinds]float64

// Score reads text and returns each kind's score. It takes time in
// proportion to the length of text and allocates nothing.
func (m *Model) Score(text string) Scores {
	sc, _ := m.ScoreWords(text)
	return sc
}

// MinWords is the fewest words with letters a message needs before the model
// may find anything in it. Shorter messages are mostly answers to questions
// (a name, a phone number, "42", "any") where a few features weigh too much;
// the phrases read them.
const MinWords = 3

// ScoreWords is Score, and the number of words with letters in text.
//
// A message of several sentences scores, for each kind, the better of the
// whole message and its best sentence of MinWords words or more: risk told
// in one sentence of a long message is not diluted by the rest.
func (m *Model) ScoreWords(text string) (Scores, int) {
	sum, n, words, best, sentences := m.score(text)
	sc := m.scores(&sum, n)
	if sentences > 1 {
		for k := range m.Kinds {
			sc[k] = max(sc[k], best[k])
		}
	}
	return sc, words
}

func (m *Model) scores(sum *[MaxKinds]int64, n int) Scores {
	var sc Scores
	norm := 0.0
	if n > 0 {
		norm = 1 / math.Sqrt(float64(n))
	}
	for k := range m.Kinds {
		sc[k] = m.Bias[k] + m.Scale[k]*float64(sum[k])*norm
	}
	return sc
}

// Found reports, for each kind of the model, whether text's score reaches
// the kind's threshold; nothing for a message of fewer than MinWords words.
func (m *Model) Found(text string) (Scores, [MaxKinds]bool) {
	sc, words := m.ScoreWords(text)
	var f [MaxKinds]bool
	if words < MinWords {
		return sc, f
	}
	for k := range m.Kinds {
		f[k] = sc[k] >= m.Threshold[k]
	}
	return sc, f
}

// Contribution is one feature's share of a kind's score.
type Contribution struct {
	// Feature is "w:word", "b:word word" or "g:run" (a run of letters,
	// "<" and ">" marking a word's ends).
	Feature string
	Weight  float64
}

// KindScore is how one kind scored a message and why.
type KindScore struct {
	Kind             risk.Kind
	Score, Threshold float64
	// Top are the features that raised the score most, then those that
	// lowered it most.
	Top, Against []Contribution
}

// Explain scores text and lists, for each kind from the highest score down,
// the n features that raised its score most and the n that lowered it most.
// The features are the whole message's; for a message whose best sentence
// scores higher than the whole, the score is that sentence's.
func (m *Model) Explain(text string, n int) []KindScore {
	var hashes []uint32
	var names []string
	w := walker{s: sink{m: m, hashes: &hashes, names: &names}}
	w.walk(text)
	s := &w.s
	// The score is the one Found compares, the better of the whole and its
	// best sentence; the contributions are the whole message's.
	sc, _ := m.ScoreWords(text)
	norm := 0.0
	if s.n > 0 {
		norm = 1 / math.Sqrt(float64(s.n))
	}
	var out []KindScore
	for k, kind := range m.Kinds {
		by := map[string]float64{}
		for i, b := range hashes {
			if r := m.index[b]; r != 0 {
				by[names[i]] += m.Scale[k] * float64(m.rows[r][k]) * norm
			}
		}
		cs := make([]Contribution, 0, len(by))
		for f, w := range by {
			if w != 0 {
				cs = append(cs, Contribution{f, w})
			}
		}
		sort.Slice(cs, func(i, j int) bool {
			if cs[i].Weight != cs[j].Weight {
				return cs[i].Weight > cs[j].Weight
			}
			return cs[i].Feature < cs[j].Feature
		})
		ks := KindScore{Kind: kind, Score: sc[k], Threshold: m.Threshold[k]}
		for i := 0; i < len(cs) && i < n && cs[i].Weight > 0; i++ {
			ks.Top = append(ks.Top, cs[i])
		}
		for i := len(cs) - 1; i >= 0 && len(cs)-1-i < n && cs[i].Weight < 0; i-- {
			ks.Against = append(ks.Against, cs[i])
		}
		out = append(out, ks)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score-out[i].Threshold > out[j].Score-out[j].Threshold })
	return out
}

// Probability turns a score into the probability the model gives it.
func Probability(score float64) float64 { return 1 / (1 + math.Exp(-score)) }
