package content

import (
	"flag"
	"fmt"
	"math"
	"math/rand"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"signpost/content/risk"
	"signpost/content/risk/learn"
)

var thresholdStability = flag.Bool("threshold-stability", false, "retrain several times and report how far each kind's threshold moves")

// TestThresholdStability retrains the learned line with five seeds, and five
// times on the sets less a different 5% of their messages, and reports each
// kind's thresholds and their spread (highest less lowest), with
// -threshold-stability:
// go test ./content -run TestThresholdStability -threshold-stability -v
func TestThresholdStability(t *testing.T) {
	if !*thresholdStability {
		t.Skip("run with -threshold-stability")
	}
	b := SharedDefault(t)
	paths := TrainingSetPaths(filepath.Join("testdata", "risk"))
	sets, err := LoadLearnSets(paths)
	if err != nil {
		t.Fatal(err)
	}
	// What the model alone finds in a set it is not trained on, by kind,
	// and the ordinary messages it alarms.
	blind, err := LoadEval(filepath.Join("testdata", "risk", "heldout-3.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	findsBlind := func(m *learn.Model) map[risk.Kind]int {
		got := map[risk.Kind]int{}
		for _, it := range blind {
			_, f := m.Found(it.Text)
			k := exampleKind(it)
			if k == "" {
				if f != ([learn.MaxKinds]bool{}) {
					got[""]++
				}
				continue
			}
			if i := kindIndex(m.Kinds, k); f[i] {
				got[k]++
			}
		}
		return got
	}
	run := func(name string, variants int, make func(v int) ([]LearnSet, LearnOptions)) {
		thr := map[risk.Kind][]float64{}
		var model, fa []float64
		found := map[risk.Kind][]float64{}
		for v := range variants {
			s, opt := make(v)
			m, r, err := b.TrainLearned(s, opt)
			if err != nil {
				t.Fatal(err)
			}
			fb := findsBlind(m)
			for _, k := range append([]risk.Kind{""}, risk.Kinds...) {
				found[k] = append(found[k], float64(fb[k]))
			}
			for _, k := range risk.Kinds {
				thr[k] = append(thr[k], r.Threshold[k])
			}
			found, total := 0, 0
			for _, k := range risk.Kinds {
				found, total = found+r.Model[k], total+r.Total[k]
			}
			model = append(model, 100*float64(found)/float64(total))
			fa = append(fa, 100*float64(r.CombinedFA)/float64(r.Ordinary))
		}
		var sb strings.Builder
		fmt.Fprintf(&sb, "%s:\n", name)
		spreads := 0.0
		for _, k := range risk.Kinds {
			ts := thr[k]
			lo, hi := ts[0], ts[0]
			var cells []string
			for _, x := range ts {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
				cells = append(cells, fmt.Sprintf("%5.2f", x))
			}
			spreads += hi - lo
			fmt.Fprintf(&sb, "  %-16s %s  spread %.2f\n", k, strings.Join(cells, " "), hi-lo)
		}
		fmt.Fprintf(&sb, "  mean spread %.2f; model alone %s%%; both lines' false alarms %s%%\n", spreads/float64(len(risk.Kinds)), figures(model), figures(fa))
		fmt.Fprintf(&sb, "  the model alone on heldout-3.yaml, disclosures found by kind and ordinary messages alarmed (range over the runs):\n ")
		moved := 0.0
		for _, k := range append(risk.Kinds, "") {
			name := string(k)
			if k == "" {
				name = "ordinary"
			}
			s := append([]float64(nil), found[k]...)
			sort.Float64s(s)
			moved += s[len(s)-1] - s[0]
			fmt.Fprintf(&sb, " %s %.0f-%.0f", name, s[0], s[len(s)-1])
		}
		fmt.Fprintf(&sb, "; sum of ranges %.0f\n", moved)
		t.Log("\n" + sb.String())
	}
	run("seeds 1-5", 5, func(v int) ([]LearnSet, LearnOptions) {
		return sets, LearnOptions{Config: learn.Config{Seed: uint64(v + 1)}}
	})
	run("less 5% of the messages, five ways", 5, func(v int) ([]LearnSet, LearnOptions) {
		r := rand.New(rand.NewSource(int64(v + 1)))
		var out []LearnSet
		for _, s := range sets {
			kept := s
			kept.Items = nil
			for _, it := range s.Items {
				if r.Intn(20) != 0 {
					kept.Items = append(kept.Items, it)
				}
			}
			out = append(out, kept)
		}
		return out, LearnOptions{}
	})
}

func figures(xs []float64) string {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return fmt.Sprintf("%.1f-%.1f", s[0], s[len(s)-1])
}
