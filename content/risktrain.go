package content

import (
	"fmt"
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
var TrainingSets = []string{"eval.yaml", "heldout.yaml", "heldout-2.yaml"}

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

// LearnOptions say how TrainLearned trains and chooses thresholds. Zero
// values mean the defaults named on each field.
type LearnOptions struct {
	// Folds is the number of folds of cross-validation; default 5.
	Folds int
	// MaxFalseAlarms is the share of ordinary messages the rules and the
	// model together may raise an alarm on, in cross-validation; default
	// 0.02.
	MaxFalseAlarms float64
	// MinThreshold is the lowest score a threshold may have; default -1
	// (a probability of about 0.27).
	MinThreshold *float64
	// Config is how each model is trained.
	Config learn.Config
}

// CVReport is how the rules, the learned model and the two together did in
// k-fold cross-validation: each message scored by a model trained on the
// other folds. The rules are not trained, so theirs are their figures on the
// whole of the sets (which they were partly tuned on).
type CVReport struct {
	Folds    int
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
// model together keep false alarms within opt.MaxFalseAlarms, and trains
// the model on all of sets with those thresholds. The same sets and options
// always give the same model.
func (b *Bundle) TrainLearned(sets []LearnSet, opt LearnOptions) (*learn.Model, CVReport, error) {
	if opt.Folds == 0 {
		opt.Folds = 5
	}
	if opt.MaxFalseAlarms == 0 {
		opt.MaxFalseAlarms = 0.02
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

	// Stratified folds: the n-th message of each kind goes to fold n mod k.
	fold := make([]int, len(items))
	seen := map[int]int{}
	for i := range items {
		fold[i] = seen[label[i]] % opt.Folds
		seen[label[i]]++
	}
	oof := make([]learn.Scores, len(items))
	for f := 0; f < opt.Folds; f++ {
		var train []learn.Example
		for i := range items {
			if fold[i] != f {
				train = append(train, ex[i])
			}
		}
		m, err := learn.Train(train, kinds, opt.Config)
		if err != nil {
			return nil, CVReport{}, err
		}
		for i := range items {
			if fold[i] != f {
				continue
			}
			var words int
			oof[i], words = m.ScoreWords(items[i].Text)
			if words < learn.MinWords {
				// Found finds nothing in so short a message.
				for k := range oof[i] {
					oof[i][k] = math.Inf(-1)
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
	budget := int(math.Floor(opt.MaxFalseAlarms * float64(ordinary)))
	thr := chooseThresholds(kinds, label, rules, oof, budget, minThr)
	r := cvReport(kinds, label, rules, oof, thr)
	r.Folds, r.Items = opt.Folds, len(items)
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

	m, err := learn.Train(ex, kinds, opt.Config)
	if err != nil {
		return nil, CVReport{}, err
	}
	m.Threshold = thr
	for _, s := range sets {
		m.Sets = append(m.Sets, s.Record())
	}
	return m, r, nil
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

// chooseThresholds gives each kind its own share of the false-alarm budget.
// First a kind with a floor in RecallFloor gets the highest threshold at
// which the model alone finds that share of its disclosures. Then, in turns
// (kinds in their order, one at a time), each kind may alarm one more of
// the ordinary messages the rules left quiet: its threshold drops to just
// above the next of those messages' scores for it, if the rules and the
// model together still alarm at most budget ordinary messages; a kind that
// cannot take its turn is done. A kind's threshold is never above its floor.
// Every threshold is a quantile of one kind's own scores, ordinary or
// disclosing, so a retrain that changes a few messages moves it a little,
// and no kind can take another's share.
func chooseThresholds(kinds []risk.Kind, label []int, rules []risk.Assessment, oof []learn.Scores, budget int, minThr float64) []float64 {
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
	rulesFA := 0
	for i := range label {
		if label[i] < 0 && !quiet[i] {
			rulesFA++
		}
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
			floor[k] = math.Max(pos[n-1], minThr)
		}
	}
	// at is kind k's threshold when it may alarm n quiet ordinary messages.
	at := func(k, n int) float64 {
		t := minThr
		if n < len(ord[k]) {
			t = math.Max(minThr, math.Nextafter(ord[k][n], math.Inf(1)))
		}
		return math.Min(t, floor[k])
	}
	falseAlarms := func(thr []float64) int {
		fa := rulesFA
		for i := range label {
			if !quiet[i] {
				continue
			}
			for k := range kinds {
				if allowed[i][k] && oof[i][k] >= thr[k] {
					fa++
					break
				}
			}
		}
		return fa
	}
	share := make([]int, K)
	thr := make([]float64, K)
	for k := range kinds {
		thr[k] = at(k, 0)
	}
	live := make([]bool, K)
	for k := range live {
		live[k] = thr[k] > minThr
	}
	for more := true; more; {
		more = false
		for k := range kinds {
			if !live[k] {
				continue
			}
			old := thr[k]
			thr[k] = at(k, share[k]+1)
			if thr[k] == old {
				// Its floor is already lower than this share reaches.
				share[k]++
				more = true
				continue
			}
			if falseAlarms(thr) > budget {
				thr[k] = old
				live[k] = false
				continue
			}
			share[k]++
			live[k] = thr[k] > minThr
			more = true
		}
	}
	// A kind the model never helps gets a threshold out of reach, stored
	// as a large number the file can hold.
	for k := range thr {
		if math.IsInf(thr[k], 1) {
			thr[k] = 1e6
		}
	}
	return thr
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
	fmt.Fprintf(w, "%d-fold cross-validation over %d messages; recall per kind, then false alarms on ordinary messages\n\n", r.Folds, r.Items)
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
