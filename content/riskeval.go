package content

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"signpost/content/risk"
)

// EvalItem is one labelled message of a risk evaluation set: Kind is the
// kind of risk it holds, or "none".
type EvalItem struct {
	Text string `yaml:"text"`
	Kind string `yaml:"kind"`
	Lang string `yaml:"lang"`
}

// Miss is one message the matcher got wrong.
type Miss struct {
	Item EvalItem
	Got  []risk.Kind
}

// EvalReport is how the risk model did on an evaluation set. A risk item is
// recalled when Assess finds its kind (among others); an ordinary item is a
// false alarm when Assess finds any risk not denied.
type EvalReport struct {
	Items       int
	Recalled    map[risk.Kind]int
	Total       map[risk.Kind]int
	Ordinary    int
	FalseAlarms int
	Misses      []Miss // risk items not recalled, then false alarms
	// Sources counts what raised each false alarm and found each
	// disclosure: the phrases, the learned line, or both.
	Sources Sources
}

// Sources counts which line raised the alarms of an evaluation set.
// A false alarm is the phrases' alone when the learned line, read on its
// own, finds no kind in the message; the line's alone when the phrases
// raise no alarm; both when the phrases raise one and the line, on its
// own, finds some kind too (so that taking either away would not quiet
// it). A disclosure is found by the phrases when they find its kind, and
// by the line alone when only the line does.
type Sources struct {
	AlarmPhrases, AlarmLine, AlarmBoth int
	FoundPhrases, FoundLine            int
}

// Recall is the share of kind k's items recalled, 1 when there are none.
func (r EvalReport) Recall(k risk.Kind) float64 {
	if r.Total[k] == 0 {
		return 1
	}
	return float64(r.Recalled[k]) / float64(r.Total[k])
}

// FalseAlarmRate is the share of ordinary items raising an alarm.
func (r EvalReport) FalseAlarmRate() float64 {
	if r.Ordinary == 0 {
		return 0
	}
	return float64(r.FalseAlarms) / float64(r.Ordinary)
}

// LoadEval reads an evaluation set: a YAML list of {text, kind, lang}. It
// returns an error for an item with an unknown kind.
func LoadEval(path string) ([]EvalItem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read evaluation set: %w", err)
	}
	var items []EvalItem
	if err := yaml.Unmarshal(data, &items); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, it := range items {
		if it.Kind != "none" && !knownKind(risk.Kind(it.Kind)) {
			return nil, fmt.Errorf("%s: item %d (%q): unknown kind %q", path, i+1, it.Text, it.Kind)
		}
	}
	return items, nil
}

// EvalRisk reads every item with Assess and counts what was found.
func (b *Bundle) EvalRisk(items []EvalItem) EvalReport {
	r := EvalReport{Items: len(items), Recalled: map[risk.Kind]int{}, Total: map[risk.Kind]int{}}
	var alarms []Miss
	for _, it := range items {
		rules := b.matcher.Assess(it.Text)
		a := b.assessRead(it.Lang, it.Text, rules)
		if it.Kind == "none" {
			r.Ordinary++
			if a.Risk() {
				r.FalseAlarms++
				alarms = append(alarms, Miss{Item: it, Got: a.Kinds()})
				switch {
				case !rules.Risk():
					r.Sources.AlarmLine++
				case b.lineFinds(it.Text):
					r.Sources.AlarmBoth++
				default:
					r.Sources.AlarmPhrases++
				}
			}
			continue
		}
		k := risk.Kind(it.Kind)
		r.Total[k]++
		found := false
		for _, g := range a.Kinds() {
			found = found || g == k
		}
		if found {
			r.Recalled[k]++
			if hasRisk(rules, k) {
				r.Sources.FoundPhrases++
			} else {
				r.Sources.FoundLine++
			}
		} else {
			r.Misses = append(r.Misses, Miss{Item: it, Got: a.Kinds()})
		}
	}
	sort.SliceStable(r.Misses, func(i, j int) bool { return r.Misses[i].Item.Kind < r.Misses[j].Item.Kind })
	r.Misses = append(r.Misses, alarms...)
	return r
}

// lineFinds reports whether the learned line, read on its own, finds any
// kind in text.
func (b *Bundle) lineFinds(text string) bool {
	if b.learned == nil {
		return false
	}
	_, found := b.learned.Found(text)
	for _, f := range found {
		if f {
			return true
		}
	}
	return false
}

// PrintSources writes the recall and false-alarm lines of the report and
// what raised them (Sources), and no message: it may be read on a set
// nobody should read.
func (r EvalReport) PrintSources(w io.Writer) {
	fmt.Fprintf(w, "%-18s %4d/%-4d %6.1f%%\n", "recalled", r.Sources.FoundPhrases+r.Sources.FoundLine, r.Items-r.Ordinary, 100*float64(r.Sources.FoundPhrases+r.Sources.FoundLine)/float64(max(1, r.Items-r.Ordinary)))
	fmt.Fprintf(w, "%-18s %4d/%-4d %6.1f%%\n", "false alarms", r.FalseAlarms, r.Ordinary, 100*r.FalseAlarmRate())
	fmt.Fprintf(w, "sources: found by phrases %d, by the line alone %d; alarms by phrases alone %d, by the line alone %d, by both %d\n",
		r.Sources.FoundPhrases, r.Sources.FoundLine, r.Sources.AlarmPhrases, r.Sources.AlarmLine, r.Sources.AlarmBoth)
}

// Print writes the report as "signpost risk eval" shows it: recall for each
// kind, the false-alarm rate, then every miss.
func (r EvalReport) Print(w io.Writer) {
	fmt.Fprintf(w, "%-18s %8s %7s\n", "kind", "recalled", "recall")
	for _, k := range risk.Kinds {
		if r.Total[k] == 0 {
			continue
		}
		fmt.Fprintf(w, "%-18s %4d/%-4d %6.1f%%\n", k, r.Recalled[k], r.Total[k], 100*r.Recall(k))
	}
	fmt.Fprintf(w, "%-18s %4d/%-4d %6.1f%%\n", "false alarms", r.FalseAlarms, r.Ordinary, 100*r.FalseAlarmRate())
	if len(r.Misses) > 0 {
		fmt.Fprintln(w, "\nmisses:")
	}
	for _, m := range r.Misses {
		got := "nothing"
		if len(m.Got) > 0 {
			var ks []string
			for _, k := range m.Got {
				ks = append(ks, string(k))
			}
			got = strings.Join(ks, ", ")
		}
		fmt.Fprintf(w, "  [%s, %s] %q: found %s\n", m.Item.Kind, m.Item.Lang, m.Item.Text, got)
	}
}
