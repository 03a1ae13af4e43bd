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
		a := b.Assess(it.Lang, it.Text)
		if it.Kind == "none" {
			r.Ordinary++
			if a.Risk() {
				r.FalseAlarms++
				alarms = append(alarms, Miss{Item: it, Got: a.Kinds()})
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
		} else {
			r.Misses = append(r.Misses, Miss{Item: it, Got: a.Kinds()})
		}
	}
	sort.SliceStable(r.Misses, func(i, j int) bool { return r.Misses[i].Item.Kind < r.Misses[j].Item.Kind })
	r.Misses = append(r.Misses, alarms...)
	return r
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
