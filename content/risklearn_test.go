package content

import (
	"flag"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"signpost/content/risk"
	"signpost/content/risk/learn"
)

// TestLearnedModelIsTrained: the committed model is what "signpost risk
// train" makes from the committed sets, so nobody edits it by hand and it is
// retrained when they change. (Retrain: go run ./cmd/signpost risk train.)
func TestLearnedModelIsTrained(t *testing.T) {
	b := SharedDefault(t)
	m := b.Learned()
	if m == nil {
		t.Fatalf("no learned model in %s", LearnedFile)
	}
	var paths []string
	for _, s := range m.Sets {
		paths = append(paths, filepath.Join("testdata", "risk", s.Name))
	}
	sets, err := LoadLearnSets(paths)
	if err != nil {
		t.Fatal(err)
	}
	var want, got []learn.Set
	for i, s := range sets {
		want, got = append(want, s.Record()), append(got, m.Sets[i])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("the model was trained on other sets than the committed ones (-committed +recorded); retrain:\n%s", diff)
	}
	var names []string
	for _, s := range sets {
		names = append(names, s.Name)
	}
	if diff := cmp.Diff(TrainingSets, names); diff != "" {
		t.Errorf("the model was not trained on TrainingSets (-want +got):\n%s", diff)
	}
	if testing.Short() {
		return
	}
	if raceEnabled {
		// Under the race detector the cross-validation that chooses the
		// thresholds takes too long: check the weights alone.
		var ex []learn.Example
		for _, s := range sets {
			for _, it := range s.Items {
				ex = append(ex, learn.Example{Text: it.Text, Kind: exampleKind(it)})
			}
		}
		w, err := learn.Train(ex, risk.Kinds, m.Config)
		if err != nil {
			t.Fatal(err)
		}
		w.Threshold = m.Threshold
		if err := w.Equal(m, 1e-6); err != nil {
			t.Errorf("the committed model's weights are not what training gives; retrain: %v", err)
		}
		return
	}
	retrained, _, err := b.TrainLearned(sets, LearnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := retrained.Equal(m, 1e-6); err != nil {
		t.Errorf("the committed model is not what training gives; retrain: %v", err)
	}
}

func TestWithLearned(t *testing.T) {
	kinds := []risk.Kind{risk.Overdose, risk.Suicide, risk.SelfHarm, risk.DomesticAbuse, risk.SomeoneElse}
	fire := func(ks ...risk.Kind) (f [learn.MaxKinds]bool) {
		for _, k := range ks {
			f[kindIndex(kinds, k)] = true
		}
		return f
	}
	tests := []struct {
		name  string
		rules []risk.Finding
		model [learn.MaxKinds]bool
		want  []risk.Finding
	}{
		{"nothing found", nil, fire(), nil},
		{"the model alone", nil, fire(risk.Suicide, risk.Overdose),
			[]risk.Finding{{Kind: risk.Overdose, Learned: true}, {Kind: risk.Suicide, Learned: true}}},
		{"the rules lead, the model's follow",
			[]risk.Finding{{Kind: risk.DomesticAbuse}}, fire(risk.Overdose, risk.DomesticAbuse),
			[]risk.Finding{{Kind: risk.DomesticAbuse}, {Kind: risk.Overdose, Learned: true}}},
		{"a denial stops the model",
			[]risk.Finding{{Kind: risk.Suicide, Negated: true}}, fire(risk.Suicide, risk.SelfHarm),
			[]risk.Finding{{Kind: risk.Suicide, Negated: true}}},
		{"a denial of one kind stops the model for all",
			[]risk.Finding{{Kind: risk.DomesticAbuse}, {Kind: risk.Suicide, Negated: true}}, fire(risk.SelfHarm),
			[]risk.Finding{{Kind: risk.DomesticAbuse}, {Kind: risk.Suicide, Negated: true}}},
		{"someone else's thoughts are not the writer's",
			[]risk.Finding{{Kind: risk.SomeoneElse}}, fire(risk.Suicide, risk.SelfHarm, risk.Overdose),
			[]risk.Finding{{Kind: risk.SomeoneElse}, {Kind: risk.Overdose, Learned: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := risk.Assessment{Findings: tt.rules, Lang: "en"}
			got := withLearned(a, kinds, tt.model)
			if diff := cmp.Diff(tt.want, got.Findings); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if len(tt.rules) > 0 && &got.Findings[0] == &tt.rules[0] && len(got.Findings) != len(tt.rules) {
				t.Error("the rules' findings were written over")
			}
		})
	}
}

// TestLearnedInAssess: on the sets it was trained on, the model adds kinds
// the rules did not find, after the rules' findings and marked as its own,
// and never changes theirs; a denial stays a denial.
func TestLearnedInAssess(t *testing.T) {
	b := SharedDefault(t)
	if b.Learned() == nil {
		t.Skip("no learned model")
	}
	var items []EvalItem
	for _, name := range TrainingSets {
		set, err := LoadEval(filepath.Join("testdata", "risk", name))
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, set...)
	}
	added := 0
	for _, it := range items {
		rules := b.matcher.Assess(it.Text)
		a := b.Assess(it.Lang, it.Text)
		if len(a.Findings) < len(rules.Findings) {
			t.Fatalf("%q: the model removed findings: %+v, then %+v", it.Text, rules, a)
		}
		if diff := cmp.Diff(rules.Findings, a.Findings[:len(rules.Findings)], cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%q: the model changed the rules' findings (-rules +both):\n%s", it.Text, diff)
		}
		for _, f := range a.Findings[len(rules.Findings):] {
			if !f.Learned || f.Negated {
				t.Errorf("%q: an added finding %+v is not marked learned", it.Text, f)
			}
			added++
		}
	}
	if added == 0 {
		t.Error("the model added nothing to the sets it was trained on")
	}
	if a := b.Assess("en", "I'm not suicidal, I just want to find a walking group"); a.Risk() || !a.Denied() {
		t.Errorf("a denial read as %+v", a)
	}
}

// TestTrainingSetsExist: every set named is in testdata.
func TestTrainingSetsExist(t *testing.T) {
	for _, name := range TrainingSets {
		if _, err := os.Stat(filepath.Join("testdata", "risk", name)); err != nil {
			t.Error(err)
		}
	}
}

// thresholdCase builds scores for two kinds: ten ordinary messages, five
// scoring 3.0, 2.9 ... 2.6 for suicide alone and five the same for
// self-harm alone, and ten disclosures of each kind scoring from top down
// by 0.1.
func thresholdCase(top float64) (kinds []risk.Kind, label []int, rules []risk.Assessment, oof []learn.Scores) {
	kinds = []risk.Kind{risk.Suicide, risk.SelfHarm}
	add := func(l int, sui, sh float64) {
		var s learn.Scores
		s[0], s[1] = sui, sh
		label, rules, oof = append(label, l), append(rules, risk.Assessment{}), append(oof, s)
	}
	for j := 0; j < 5; j++ {
		add(-1, 3-float64(j)/10, -5)
		add(-1, -5, 3-float64(j)/10)
	}
	for j := 0; j < 10; j++ {
		add(0, top-float64(j)/10, -5)
		add(1, -5, top-float64(j)/10)
	}
	return kinds, label, rules, oof
}

func alarmedBy(label []int, oof []learn.Scores, k int, thr float64) int {
	n := 0
	for i, l := range label {
		if l < 0 && oof[i][k] >= thr {
			n++
		}
	}
	return n
}

func TestChooseThresholdsShares(t *testing.T) {
	// Disclosures score 3.5 down: suicide's floor (30%: three of ten) is
	// 3.3, above every ordinary message, so the budget of four is shared
	// in turns, two ordinary messages each.
	kinds, label, rules, oof := thresholdCase(3.5)
	thr := chooseThresholds(kinds, label, rules, oof, 4, -1)
	for k := range kinds {
		if got := alarmedBy(label, oof, k, thr[k]); got != 2 {
			t.Errorf("%s alarms %d ordinary messages at %.3f, want 2 (an equal share of 4)", kinds[k], got, thr[k])
		}
	}
	if thr[0] > 3.3 {
		t.Errorf("suicide threshold %.3f is above its floor 3.3", thr[0])
	}
	// A larger budget for self-harm's share does not move suicide's below
	// an equal share's: with a budget of six, three each.
	thr = chooseThresholds(kinds, label, rules, oof, 6, -1)
	if a, b := alarmedBy(label, oof, 0, thr[0]), alarmedBy(label, oof, 1, thr[1]); a != 3 || b != 3 {
		t.Errorf("budget 6: suicide alarms %d, self-harm %d; want 3 and 3", a, b)
	}
}

func TestChooseThresholdsFloor(t *testing.T) {
	// Disclosures score 2.95 down: suicide's floor, its third highest
	// disclosure (2.75), alarms three ordinary messages; the floor holds
	// even with no budget, and self-harm, without a floor, gets nothing.
	kinds, label, rules, oof := thresholdCase(2.95)
	thr := chooseThresholds(kinds, label, rules, oof, 0, -1)
	if thr[0] > 2.75+1e-9 {
		t.Errorf("suicide threshold %.3f, want at most its floor 2.75", thr[0])
	}
	if got := alarmedBy(label, oof, 1, thr[1]); got != 0 {
		t.Errorf("self-harm alarms %d ordinary messages with no budget, want 0", got)
	}
}

var writeSummedWords = flag.Bool("write-summed-words", false, "write risk/learn/words.txt from the training sets")

// TestWriteSummedWords writes the words every learned model sums ahead
// (risk/learn/words.txt) from the training sets, with -write-summed-words:
// go test ./content -run TestWriteSummedWords -write-summed-words. Only the
// speed of scoring depends on them.
func TestWriteSummedWords(t *testing.T) {
	if !*writeSummedWords {
		t.Skip("run with -write-summed-words")
	}
	paths := TrainingSetPaths(filepath.Join("testdata", "risk"))
	sets, err := LoadLearnSets(paths)
	if err != nil {
		t.Fatal(err)
	}
	var ex []learn.Example
	for _, s := range sets {
		for _, it := range s.Items {
			ex = append(ex, learn.Example{Text: it.Text, Kind: exampleKind(it)})
		}
	}
	var b strings.Builder
	line := 0
	for _, w := range learn.CommonWords(ex, 1024) {
		if line > 0 && line+1+len(w) > 100 {
			b.WriteString("\n")
			line = 0
		}
		if line > 0 {
			b.WriteString(" ")
			line++
		}
		b.WriteString(w)
		line += len(w)
	}
	b.WriteString("\n")
	if err := os.WriteFile(filepath.Join("risk", "learn", "words.txt"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRepetitionRaisesNoAlarm: a word said again adds nothing to the
// learned line's score, so ordinary words, or mildly sad ones, said over and
// over raise no alarm, while a disclosure said over and over is still found.
func TestRepetitionRaisesNoAlarm(t *testing.T) {
	b := SharedDefault(t)
	m := b.Learned()
	for _, w := range []string{"ok", "ok ok", "yes", "thanks", "hello", "lol", "no", "please", "sad", "tired",
		"so sad", "so tired", "sad and tired", "i am sad", "im so tired", "alone", "lonely", "crying", "hurt",
		"scared", "help", "stressed", "hungry", "cold", "the", "i", "me", "my"} {
		for _, sep := range []string{" ", ". ", "\n", ", ", "!!! "} {
			for _, times := range []int{3, 10, 100, 400} {
				text := strings.Repeat(w+sep, times)
				if _, found := m.Found(text); found != ([learn.MaxKinds]bool{}) {
					t.Errorf("%q %d times: the learned line finds %v", w+sep, times, found)
				}
				if a := b.Assess("en", text); a.Risk() {
					t.Errorf("%q %d times: %v", w+sep, times, a.Findings)
				}
			}
		}
	}
	for _, d := range []struct {
		text string
		kind risk.Kind
	}{
		{"i cut myself last night", risk.SelfHarm},
		{"i have nowhere to sleep tonight", risk.NowhereTonight},
		{"he raped me", risk.SexualViolence},
		{"he hit me again and im scared to go home", risk.DomesticAbuse},
	} {
		k := kindIndex(m.Kinds, d.kind)
		once, found := m.Found(d.text)
		if !found[k] {
			t.Fatalf("%q: the learned line does not find %s (%.2f, threshold %.2f); pick another", d.text, d.kind, once[k], m.Threshold[k])
		}
		for _, sep := range []string{" ", ". ", "\n"} {
			for _, times := range []int{2, 10, 100} {
				text := strings.Repeat(d.text+sep, times)
				if sc, found := m.Found(text); !found[k] {
					t.Errorf("%q %d times: %s scores %.2f, threshold %.2f (once %.2f)", d.text+sep, times, d.kind, sc[k], m.Threshold[k], once[k])
				}
			}
		}
	}
}

// TestTailThresholdIsSteady: a threshold drawn from the tail of many
// ordinary scores moves less between two samples of the same scores than
// the score at the edge of the share does.
func TestTailThresholdIsSteady(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	sample := func() []float64 {
		// 1,000 ordinary scores: normal, with an exponential tail above 1.
		var s []float64
		for range 1000 {
			x := r.NormFloat64()
			if x > 1 {
				x = 1 + r.ExpFloat64()
			}
			s = append(s, x)
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(s)))
		return s
	}
	for _, c := range []float64{1.5, 2.5, 4} {
		var tail, edge, above float64
		for range 50 {
			a, b := sample(), sample()
			ta := tailThreshold(a, c)
			tail += math.Abs(ta - tailThreshold(b, c))
			edge += math.Abs(a[int(c)] - b[int(c)])
			for _, x := range a {
				if x >= ta {
					above++
				}
			}
		}
		if tail > edge {
			t.Errorf("share %.1f: the fitted tail moves %.3f between samples, the edge %.3f", c, tail/50, edge/50)
		}
		if above /= 50; math.Abs(above-c) > 1 {
			t.Errorf("share %.1f: %.1f scores above the threshold on average", c, above)
		}
	}
	// Few scores: just above the one after the share.
	few := []float64{3, 2, 1, math.Inf(-1)}
	for c, want := range map[float64]float64{0.5: 3, 1: 2, 2.7: 1} {
		if got := tailThreshold(few, c); got <= want || got > want+1e-9 {
			t.Errorf("share %.1f of %v: %v, want just above %v", c, few, got, want)
		}
	}
	if got := tailThreshold(few, 3); !math.IsInf(got, -1) {
		t.Errorf("share 3 of three scores: %v, want every one", got)
	}
}

// TestFoldsFollowTheText: a message stays in its fold when others are
// added or removed, and the folds are about equal.
func TestFoldsFollowTheText(t *testing.T) {
	count := make([]int, 5)
	for i := range 5000 {
		text := strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strings.Repeat("y", i/26)
		f := foldOf(text, 0, 5)
		if f != foldOf(text, 0, 5) {
			t.Fatal("the fold of a text changed")
		}
		count[f]++
	}
	for f, n := range count {
		if n < 900 || n > 1100 {
			t.Errorf("fold %d holds %d of 5000", f, n)
		}
	}
}
