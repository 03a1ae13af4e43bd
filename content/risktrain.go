package content

import (
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"

	"signpost/content/risk"
	"signpost/content/risk/learn"
)

// TrainingSets are the labelled sets the built-in learned model is trained
// on, in content/testdata/risk.
//
// The blind sets written after rules were tuned on earlier ones (heldout-3 to
// heldout-15) are trained on too, once they had been read to measure and
// then to tune the rules on; the train-* sets were written only to be
// trained on, never to tune the rules (train-s and train-t, written to teach
// risk told indirectly, were read for the twenty-second round). Every set
// follows one rule for a child: an adult's worry about someone under 18
// harmed, neglected, groomed or exploited is child_abuse, about another
// adult someone_else (train-u to train-w were written to it; see the
// README). Before the older sets were relabelled to it, adding heldout-14,
// heldout-15, train-s and train-t raised the threshold for someone else and
// lost disclosures of other sets at its edge.
var TrainingSets = []string{
	"eval.yaml", "heldout.yaml", "heldout-2.yaml",
	"heldout-3.yaml", "heldout-4.yaml", "heldout-5.yaml", "heldout-7.yaml", "heldout-8.yaml", "heldout-10-dev.yaml",
	"train-a.yaml", "train-b.yaml", "train-c.yaml", "train-d.yaml", "train-e.yaml", "train-f.yaml",
	"train-g.yaml", "train-h.yaml", "train-i.yaml", "train-j.yaml", "train-k.yaml", "train-l.yaml",
	"train-m.yaml", "train-n.yaml", "train-o.yaml", "train-p.yaml", "train-q.yaml", "train-r.yaml",
	"heldout-10-unseen.yaml", "heldout-11.yaml", "heldout-12.yaml",
	"heldout-14.yaml", "heldout-15.yaml", "train-s.yaml", "train-t.yaml",
	"train-u.yaml", "train-v.yaml", "train-w.yaml", "train-x.yaml", "train-y.yaml", "train-z.yaml",
	"train-aa.yaml", "train-ab.yaml", "train-ac.yaml", "train-ad.yaml", "train-ae.yaml",
}

// TrainingSetPaths returns the paths of TrainingSets in dir (the folder
// that holds content/testdata/risk's sets, as seen from the caller).
func TrainingSetPaths(dir string) []string {
	paths := make([]string, 0, len(TrainingSets))
	for _, name := range TrainingSets {
		paths = append(paths, filepath.Join(dir, name))
	}
	return paths
}

// LearnSet is one labelled set to train on.
type LearnSet struct {
	Name  string
	Items []EvalItem
	sum   string
}

// LoadLearnSets reads labelled sets (the format of LoadEval), naming each by
// its file name.
func LoadLearnSets(paths []string) ([]LearnSet, error) {
	var sets []LearnSet
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read training set: %w", err)
		}
		items, err := LoadEval(p)
		if err != nil {
			return nil, err
		}
		sets = append(sets, LearnSet{Name: filepath.Base(p), Items: items, sum: fileSum(data)})
	}
	return sets, nil
}

// Record is how a model file names the set.
func (s LearnSet) Record() learn.Set {
	return learn.Set{Name: s.Name, Items: len(s.Items), SHA256: s.sum}
}

// DefaultMaxAddedFalseAlarms is LearnOptions.MaxAddedFalseAlarms when none
// is given.
const DefaultMaxAddedFalseAlarms = 0.02

// LearnOptions say how TrainLearned trains and chooses thresholds. Zero
// values mean the defaults named on each field.
type LearnOptions struct {
	// Folds is the number of folds of cross-validation; default 5.
	Folds int
	// Repeats is how many times cross-validation is run, each time with
	// other folds and another seed, each message's score being the mean of
	// its scores; default 3.
	Repeats int
	// MaxAddedFalseAlarms is the share of ordinary messages the model may
	// raise an alarm on where the rules raise none, in cross-validation;
	// default DefaultMaxAddedFalseAlarms. It is a share of its own, not one the rules' alarms eat
	// into: on messages written after the rules were tuned, the rules alone
	// alarm on 4-6% of ordinary messages (see the README), and a shared
	// budget left the model nothing to add.
	MaxAddedFalseAlarms float64
	// MinThreshold is the lowest score a threshold may have; default -1
	// (a probability of about 0.27).
	MinThreshold *float64
	// Config is how each model is trained.
	Config learn.Config
}

// CVReport is how the rules, the learned model and the two together did in
// k-fold cross-validation: each message scored by models trained on the
// other folds (the mean of its scores over the repeats). The rules are not
// trained, so theirs are their figures on the whole of the sets (which they
// were partly tuned on).
type CVReport struct {
	Folds    int
	Repeats  int
	Items    int
	Total    map[risk.Kind]int
	Rules    map[risk.Kind]int // recalled
	Model    map[risk.Kind]int
	Combined map[risk.Kind]int
	Ordinary int
	// False alarms: ordinary messages raising any alarm.
	RulesFA, ModelFA, CombinedFA int
	Threshold                    map[risk.Kind]float64
	// Sets are the same figures for each set, every kind together.
	Sets []SetFigures
}

// SetFigures are one set's figures in cross-validation, every kind together.
type SetFigures struct {
	Name                                   string
	Disclosures, Rules, Model, Combined    int
	Ordinary, RulesFA, ModelFA, CombinedFA int
}

// TrainLearned cross-validates the learned model on sets, chooses each
// kind's threshold from the scores the folds give so that the rules and the
// model adds false alarms to at most opt.MaxAddedFalseAlarms of the ordinary
// messages, and trains
// the model on all of sets with those thresholds. The same sets and options
// always give the same model.
func (b *Bundle) TrainLearned(sets []LearnSet, opt LearnOptions) (*learn.Model, CVReport, error) {
	if opt.Folds == 0 {
		opt.Folds = 5
	}
	if opt.Repeats == 0 {
		opt.Repeats = 3
	}
	if opt.MaxAddedFalseAlarms == 0 {
		opt.MaxAddedFalseAlarms = DefaultMaxAddedFalseAlarms
	}
	minThr := -1.0
	if opt.MinThreshold != nil {
		minThr = *opt.MinThreshold
	}
	var items []EvalItem
	for _, s := range sets {
		items = append(items, s.Items...)
	}
	kinds := risk.Kinds
	ex := make([]learn.Example, len(items))
	label := make([]int, len(items))
	for i, it := range items {
		ex[i] = learn.Example{Text: it.Text, Kind: exampleKind(it)}
		label[i] = kindIndex(kinds, ex[i].Kind)
	}
	rules := make([]risk.Assessment, len(items))
	for i, it := range items {
		rules[i] = b.matcher.Assess(it.Text)
	}

	// Each message's fold follows from its text alone, so that adding or
	// removing other messages moves no message to another fold; each
	// repeat draws the folds again and trains with another seed.
	oof := make([]learn.Scores, len(items))
	fold := make([]int, len(items))
	for rep := 0; rep < opt.Repeats; rep++ {
		for i, it := range items {
			fold[i] = foldOf(it.Text, rep, opt.Folds)
		}
		cfg := opt.Config
		cfg.Seed = max(cfg.Seed, 1) + uint64(rep)
		for f := 0; f < opt.Folds; f++ {
			var train []learn.Example
			for i := range items {
				if fold[i] != f {
					train = append(train, ex[i])
				}
			}
			m, err := learn.Train(train, kinds, cfg)
			if err != nil {
				return nil, CVReport{}, err
			}
			for i := range items {
				if fold[i] != f {
					continue
				}
				sc, words := m.ScoreWords(items[i].Text)
				for k := range kinds {
					if words < learn.MinWords {
						// Found finds nothing in so short a message.
						oof[i][k] = math.Inf(-1)
					} else {
						oof[i][k] += sc[k] / float64(opt.Repeats)
					}
				}
			}
		}
	}

	ordinary := 0
	for _, l := range label {
		if l < 0 {
			ordinary++
		}
	}
	budget := opt.MaxAddedFalseAlarms * float64(ordinary)
	thr := chooseThresholds(kinds, label, rules, oof, budget, minThr)
	r := cvReport(kinds, label, rules, oof, thr)
	r.Folds, r.Repeats, r.Items = opt.Folds, opt.Repeats, len(items)
	at := 0
	for _, s := range sets {
		n := len(s.Items)
		sr := cvReport(kinds, label[at:at+n], rules[at:at+n], oof[at:at+n], thr)
		f := SetFigures{Name: s.Name, Ordinary: sr.Ordinary, RulesFA: sr.RulesFA, ModelFA: sr.ModelFA, CombinedFA: sr.CombinedFA}
		for _, k := range kinds {
			f.Disclosures += sr.Total[k]
			f.Rules += sr.Rules[k]
			f.Model += sr.Model[k]
			f.Combined += sr.Combined[k]
		}
		r.Sets = append(r.Sets, f)
		at += n
	}

	// The model kept is the mean of as many fits as the scores the
	// thresholds were chosen on.
	cfg := opt.Config
	if cfg.Average == 0 {
		cfg.Average = opt.Repeats
	}
	m, err := learn.Train(ex, kinds, cfg)
	if err != nil {
		return nil, CVReport{}, err
	}
	m.Threshold = thr
	for _, s := range sets {
		m.Sets = append(m.Sets, s.Record())
	}
	return m, r, nil
}

// foldOf is the fold of a message of text in the given repeat of
// cross-validation.
func foldOf(text string, repeat, folds int) int {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d\x00%s", repeat, text)
	return int(h.Sum64() % uint64(folds))
}

// exampleKind is the kind an item holds, "" for an ordinary one.
func exampleKind(it EvalItem) risk.Kind {
	if it.Kind == "none" {
		return ""
	}
	return risk.Kind(it.Kind)
}

// kindIndex is k's place in kinds, -1 when it is not there.
func kindIndex(kinds []risk.Kind, k risk.Kind) int {
	for i, x := range kinds {
		if x == k {
			return i
		}
	}
	return -1
}

// combined is what Assess would find for message i at thresholds thr.
func combined(kinds []risk.Kind, a risk.Assessment, sc learn.Scores, thr []float64) risk.Assessment {
	var found [learn.MaxKinds]bool
	for k := range kinds {
		found[k] = sc[k] >= thr[k]
	}
	return withLearned(a, kinds, found)
}

// RecallFloor is the share of a kind's disclosures the model alone must
// find in cross-validation, for the kinds where a miss is gravest. A floor
// is a quantile of the kind's own disclosures' scores, so it moves little
// when the sets change.
var RecallFloor = map[risk.Kind]float64{
	risk.Suicide:     0.30,
	risk.SomeoneElse: 0.35,
	risk.DangerNow:   0.25,
	risk.Overdose:    0.25,
}

// tailSize is how many of a kind's highest scoring ordinary messages its
// threshold is drawn from (tailFit).
const tailSize = 100

// chooseThresholds gives each kind an equal share of the false-alarm
// budget. A kind's threshold for a share of c ordinary messages is where
// an exponential tail fitted to its tailSize highest scoring ordinary
// messages that the rules leave quiet expects c of them (tailThreshold):
// drawn from a hundred scores rather than from the one at the edge, it
// moves little when a few messages or their scores change. The share c is the
// largest, the same for every kind, at which the model is expected to alarm
// at most budget ordinary messages that the rules leave quiet. A kind with a floor in
// RecallFloor never has a threshold above the score at which the model
// alone finds that share of its disclosures, whatever the budget; no
// threshold is below minThr.
func chooseThresholds(kinds []risk.Kind, label []int, rules []risk.Assessment, oof []learn.Scores, budget float64, minThr float64) []float64 {
	K := len(kinds)
	// allowed[i][k]: the model may add kind k to message i.
	allowed := make([][learn.MaxKinds]bool, len(label))
	quiet := make([]bool, len(label)) // ordinary, and the rules raise no alarm
	for i, a := range rules {
		var all [learn.MaxKinds]bool
		for k := range kinds {
			all[k] = true
		}
		got := withLearned(a, kinds, all)
		for _, f := range got.Findings {
			if f.Learned {
				allowed[i][kindIndex(kinds, f.Kind)] = true
			}
		}
		quiet[i] = label[i] < 0 && !a.Risk()
	}
	// ord[k]: the scores for kind k of the quiet ordinary messages it may
	// alarm, highest first; pos[k]: those of kind k's disclosures.
	ord := make([][]float64, K)
	floor := make([]float64, K)
	for k, kind := range kinds {
		var pos []float64
		for i := range label {
			switch {
			case quiet[i] && allowed[i][k]:
				ord[k] = append(ord[k], oof[i][k])
			case label[i] == k:
				pos = append(pos, oof[i][k])
			}
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(ord[k])))
		sort.Sort(sort.Reverse(sort.Float64Slice(pos)))
		floor[k] = math.Inf(1)
		if n := int(math.Ceil(RecallFloor[kind] * float64(len(pos)))); n > 0 && n <= len(pos) {
			floor[k] = math.Max(smoothQuantile(pos, n-1), minThr)
		}
	}
	at := func(c float64) []float64 {
		thr := make([]float64, K)
		for k := range kinds {
			thr[k] = math.Min(math.Max(tailThreshold(ord[k], c), minThr), floor[k])
		}
		return thr
	}
	// blur[k] is how far kind k's scores are blurred when counting false
	// alarms: a quarter of the scale of its fitted tail, or nothing when
	// there are too few scores to fit one.
	blur := make([]float64, K)
	for k := range kinds {
		if _, beta, ok := tailFit(ord[k]); ok {
			blur[k] = beta / 4
		}
	}
	// falseAlarms is how many ordinary messages the rules leave quiet the
	// model is expected to alarm at thresholds thr, each score blurred
	// by a normal distribution of deviation blur: a smooth count, so that
	// the share found for it moves little when a message changes.
	falseAlarms := func(thr []float64) float64 {
		fa := 0.0
		for i := range label {
			if !quiet[i] {
				continue
			}
			none := 1.0 // the chance no kind alarms it
			for k := range kinds {
				switch {
				case !allowed[i][k] || math.IsInf(oof[i][k], -1):
				case blur[k] == 0:
					if oof[i][k] >= thr[k] {
						none = 0
					}
				default:
					if z := (oof[i][k] - thr[k]) / blur[k]; z > -8 {
						none *= 1 - 0.5*math.Erfc(-z/math.Sqrt2)
					}
				}
			}
			fa += 1 - none
		}
		return fa
	}
	// The largest share within the budget, by bisection on its logarithm:
	// false alarms only grow with the share.
	lo, hi := math.Log(1.0/16), math.Log(float64(len(label)+1))
	if falseAlarms(at(math.Exp(hi))) <= budget {
		lo = hi
	}
	for range 50 {
		mid := (lo + hi) / 2
		if falseAlarms(at(math.Exp(mid))) <= budget {
			lo = mid
		} else {
			hi = mid
		}
	}
	thr := at(math.Exp(lo))
	// A kind the model never helps gets a threshold out of reach, stored
	// as a large number the file can hold.
	for k := range thr {
		if math.IsInf(thr[k], 1) {
			thr[k] = 1e6
		}
	}
	return thr
}

// tailThreshold is the score above which c of the scores (highest first)
// are expected to lie. From the tailSize highest it fits an exponential
// tail (tailFit) and reads off where it expects c. For a c of tailSize or
// more, or fewer scores than tailSize, it is just above the score after
// the int(c) highest.
func tailThreshold(scores []float64, c float64) float64 {
	if a, beta, ok := tailFit(scores); ok && c < tailSize {
		return a + beta*math.Log(tailSize/c)
	}
	n := int(c)
	if n >= len(scores) || math.IsInf(scores[n], -1) {
		return math.Inf(-1)
	}
	return math.Nextafter(scores[n], math.Inf(1))
}

// tailTop is how many of the highest scores tailFit leaves out: the few
// at the very top move most from one retrain to the next.
const tailTop = 5

// tailFit fits an exponential tail to the tailSize highest of scores
// (highest first): that a + beta*ln(tailSize/n) is exceeded by n of them. It
// is a straight line by least squares through the i-th highest score
// against ln(tailSize/(i+0.5)), leaving out the tailTop highest, so that a
// score more or less at the top moves it little. ok is false when there
// are not enough finite scores.
func tailFit(scores []float64) (a, beta float64, ok bool) {
	if len(scores) <= tailSize || math.IsInf(scores[tailSize-1], -1) {
		return 0, 0, false
	}
	var sx, sy, sxx, sxy float64
	n := float64(tailSize - tailTop)
	for i := tailTop; i < tailSize; i++ {
		x := math.Log(tailSize / (float64(i) + 0.5))
		sx, sy, sxx, sxy = sx+x, sy+scores[i], sxx+x*x, sxy+x*scores[i]
	}
	beta = (n*sxy - sx*sy) / (n*sxx - sx*sx)
	a = (sy - beta*sx) / n
	return a, beta, beta > 0
}

// smoothQuantile is the mean of the scores (highest first) within 5% of
// their number either side of the i-th.
func smoothQuantile(scores []float64, i int) float64 {
	w := len(scores) / 20
	from, to := max(0, i-w), min(len(scores)-1, i+w)
	sum, n := 0.0, 0
	for _, x := range scores[from : to+1] {
		if !math.IsInf(x, 0) {
			sum += x
			n++
		}
	}
	if n == 0 {
		return scores[i]
	}
	return sum / float64(n)
}

func cvReport(kinds []risk.Kind, label []int, rules []risk.Assessment, oof []learn.Scores, thr []float64) CVReport {
	r := CVReport{
		Total: map[risk.Kind]int{}, Rules: map[risk.Kind]int{}, Model: map[risk.Kind]int{}, Combined: map[risk.Kind]int{},
		Threshold: map[risk.Kind]float64{},
	}
	for k, kind := range kinds {
		r.Threshold[kind] = thr[k]
	}
	for i, l := range label {
		both := combined(kinds, rules[i], oof[i], thr)
		modelAny := false
		for k := range kinds {
			modelAny = modelAny || oof[i][k] >= thr[k]
		}
		if l < 0 {
			r.Ordinary++
			r.RulesFA += b2i(rules[i].Risk())
			r.ModelFA += b2i(modelAny)
			r.CombinedFA += b2i(both.Risk())
			continue
		}
		kind := kinds[l]
		r.Total[kind]++
		r.Rules[kind] += b2i(hasRisk(rules[i], kind))
		r.Model[kind] += b2i(oof[i][l] >= thr[l])
		r.Combined[kind] += b2i(hasRisk(both, kind))
	}
	return r
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func hasRisk(a risk.Assessment, k risk.Kind) bool {
	for _, f := range a.Findings {
		if f.Kind == k && !f.Negated {
			return true
		}
	}
	return false
}

// Print writes the report as "signpost risk cv" shows it.
func (r CVReport) Print(w io.Writer) {
	fmt.Fprintf(w, "%d-fold cross-validation over %d messages, %d times (a message's score the mean of its %d); recall per kind, then false alarms on ordinary messages\n\n", r.Folds, r.Items, r.Repeats, r.Repeats)
	fmt.Fprintf(w, "%-18s %5s %8s %8s %9s %10s\n", "kind", "items", "rules", "model", "combined", "threshold")
	pct := func(n, d int) string {
		if d == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
	}
	var tot, rs, ms, cs int
	for _, k := range risk.Kinds {
		n := r.Total[k]
		tot, rs, ms, cs = tot+n, rs+r.Rules[k], ms+r.Model[k], cs+r.Combined[k]
		thr := "never"
		if r.Threshold[k] < 1e5 {
			thr = fmt.Sprintf("%.2f", r.Threshold[k])
		}
		fmt.Fprintf(w, "%-18s %5d %8s %8s %9s %10s\n", k, n, pct(r.Rules[k], n), pct(r.Model[k], n), pct(r.Combined[k], n), thr)
	}
	fmt.Fprintf(w, "%-18s %5d %8s %8s %9s\n", "all kinds", tot, pct(rs, tot), pct(ms, tot), pct(cs, tot))
	fmt.Fprintf(w, "%-18s %5d %8s %8s %9s\n", "false alarms", r.Ordinary, pct(r.RulesFA, r.Ordinary), pct(r.ModelFA, r.Ordinary), pct(r.CombinedFA, r.Ordinary))
	if len(r.Sets) < 2 {
		return
	}
	fmt.Fprintf(w, "\nby set, every kind together (recall; false alarms):\n")
	for _, f := range r.Sets {
		fmt.Fprintf(w, "%-18s %5d %8s %8s %9s\n", f.Name, f.Disclosures, pct(f.Rules, f.Disclosures), pct(f.Model, f.Disclosures), pct(f.Combined, f.Disclosures))
		fmt.Fprintf(w, "%-18s %5d %8s %8s %9s\n", "", f.Ordinary, pct(f.RulesFA, f.Ordinary), pct(f.ModelFA, f.Ordinary), pct(f.CombinedFA, f.Ordinary))
	}
}
