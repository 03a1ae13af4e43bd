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
