package content_test

import (
	"path/filepath"
	"strings"
	"testing"

	"signpost/content"
	"signpost/content/risk"
)

// Thresholds the risk model must meet on its evaluation set.
const (
	minRecall         = 0.97
	maxFalseAlarmRate = 0.02
)

func TestRiskEvaluation(t *testing.T) {
	b := builtin(t)
	items, err := content.LoadEval(filepath.Join("testdata", "risk", "eval.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r := b.EvalRisk(items)
	var sb strings.Builder
	r.Print(&sb)
	failed := false
	for _, k := range risk.Kinds {
		if r.Total[k] < 40 {
			t.Errorf("%s has %d phrasings in the set; keep at least 40", k, r.Total[k])
		}
		if r.Recall(k) < minRecall {
			t.Errorf("recall of %s is %.1f%%, below %.0f%%", k, 100*r.Recall(k), 100*minRecall)
			failed = true
		}
	}
	if r.Ordinary < 400 {
		t.Errorf("%d ordinary messages in the set; keep at least 400", r.Ordinary)
	}
	if r.FalseAlarmRate() > maxFalseAlarmRate {
		t.Errorf("false alarms on %.1f%% of ordinary messages, above %.0f%%", 100*r.FalseAlarmRate(), 100*maxFalseAlarmRate)
		failed = true
	}
	if failed {
		t.Log("\n" + sb.String())
	}
}

// TestRiskHeldOut reports how the risk model does on the sets written by
// someone else after the matcher was finished (heldout*.yaml; the first was
// tuned on after its blind run was recorded, the second not yet). It prints
// their figures and does not fail on them.
func TestRiskHeldOut(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "risk", "heldout*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Skip("no held-out set")
	}
	b := builtin(t)
	for _, path := range paths {
		items, err := content.LoadEval(path)
		if err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		b.EvalRisk(items).Print(&sb)
		t.Log(path + "\n" + sb.String())
	}
}

// TestEvalSources holds the count of what raised each alarm to the
// assessments, and PrintSources to counts alone: it is read on sets nobody
// may read, so it never prints a message.
func TestEvalSources(t *testing.T) {
	b := builtin(t)
	items := []content.EvalItem{
		{Text: "i want to kill myself", Kind: string(risk.Suicide), Lang: "en"},
		{Text: "i'm going to kill myself if the bus is late again lol", Kind: "none", Lang: "en"},
		{Text: "the weather is lovely today, going for a walk", Kind: "none", Lang: "en"},
	}
	r := b.EvalRisk(items)
	s := r.Sources
	if got := s.FoundPhrases + s.FoundLine; got != r.Recalled[risk.Suicide] {
		t.Errorf("found by a source %d, recalled %d", got, r.Recalled[risk.Suicide])
	}
	if got := s.AlarmPhrases + s.AlarmLine + s.AlarmBoth; got != r.FalseAlarms {
		t.Errorf("alarms by a source %d, false alarms %d", got, r.FalseAlarms)
	}
	var sb strings.Builder
	r.PrintSources(&sb)
	for _, it := range items {
		if strings.Contains(sb.String(), it.Text) {
			t.Errorf("PrintSources printed a message:\n%s", sb.String())
		}
	}
	if !strings.Contains(sb.String(), "sources: found by phrases") {
		t.Errorf("PrintSources printed no sources:\n%s", sb.String())
	}
}
