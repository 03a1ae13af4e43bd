package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"signpost/content"
	"signpost/content/risk/learn"
)

const riskUsage = "usage: signpost risk eval [--content DIR] [--sources] FILE | signpost risk explain [--content DIR] TEXT |\n" +
	"       signpost risk cv|train [--content DIR] [--folds N] [--repeats N] [--max-added-false-alarms F] [--out FILE] [SET...]"

// runRisk implements "signpost risk eval", "explain", "cv" and "train".
func runRisk(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "eval" && args[0] != "explain" && args[0] != "cv" && args[0] != "train") {
		fmt.Fprintln(stderr, riskUsage)
		return 2
	}
	fs := flag.NewFlagSet("risk "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("content", os.Getenv("CONTENT_DIR"), "a content folder; default the content built in")
	folds := fs.Int("folds", 5, "folds of cross-validation")
	repeats := fs.Int("repeats", 3, "times cross-validation is run, with other folds and seeds, a message's score being the mean")
	maxFA := fs.Float64("max-added-false-alarms", content.DefaultMaxAddedFalseAlarms, "the share of ordinary messages the model may alarm on where the rules raise no alarm")
	sources := fs.Bool("sources", false, "eval: print only the totals and what raised them (phrases, the learned line, both), no message")
	out := fs.String("out", filepath.Join("content", "data", filepath.FromSlash(content.LearnedFile)), "where train writes the model")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if args[0] == "cv" || args[0] == "train" {
		b, err := loadContent(*dir)
		if err != nil {
			fmt.Fprintln(stderr, "risk:", err)
			return 1
		}
		return trainRisk(b, args[0] == "train", content.LearnOptions{Folds: *folds, Repeats: *repeats, MaxAddedFalseAlarms: *maxFA}, *out, fs.Args(), stdout, stderr)
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, riskUsage)
		return 2
	}
	b, err := loadContent(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "risk:", err)
		return 1
	}
	if args[0] == "explain" {
		explainRisk(b, strings.Join(fs.Args(), " "), stdout)
		return 0
	}
	items, err := content.LoadEval(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "risk eval:", err)
		return 1
	}
	if *sources {
		b.EvalRisk(items).PrintSources(stdout)
		return 0
	}
	b.EvalRisk(items).Print(stdout)
	return 0
}

// trainRisk cross-validates the learned reader on the labelled sets (by
// default content/testdata/risk's TrainingSets), prints the report and, for
// train, writes the model trained on all of them.
func trainRisk(b *content.Bundle, write bool, opt content.LearnOptions, out string, paths []string, stdout, stderr io.Writer) int {
	if len(paths) == 0 {
		paths = content.TrainingSetPaths(filepath.Join("content", "testdata", "risk"))
	}
	sets, err := content.LoadLearnSets(paths)
	if err != nil {
		fmt.Fprintln(stderr, "risk:", err)
		return 1
	}
	m, report, err := b.TrainLearned(sets, opt)
	if err != nil {
		fmt.Fprintln(stderr, "risk:", err)
		return 1
	}
	report.Print(stdout)
	if !write {
		return 0
	}
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		fmt.Fprintln(stderr, "risk train:", err)
		return 1
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(stderr, "risk train:", err)
		return 1
	}
	fmt.Fprintf(stdout, "\nwrote %s: %d bytes, weights %s\n", out, buf.Len(), m.Sum[:12])
	return 0
}

func explainRisk(b *content.Bundle, text string, w io.Writer) {
	for _, m := range b.ExplainRisk(text) {
		what := string(m.Kind)
		switch {
		case m.Pair != "":
			what = m.Pair + " cue of a pair told over two sentences (" + m.Context + "), adds " + string(m.Kind) + " with the other"
			if m.Denied {
				what += ", denied"
			}
		case m.Context != "" && m.Kind != "":
			what = "combine cue (" + m.Context + "), adds " + string(m.Kind) + " to what the message holds"
		case m.Context != "" && m.Stops:
			what = "stop cue (" + m.Context + "), keeps that combine from adding its kind"
		case m.Context != "" && m.Keeps:
			what = "keep cue (" + m.Context + "), keeps the alarm in its sentence against that context"
		case m.Context != "":
			what = "context cue (" + m.Context + "), lowers what it reaches to denied"
		case m.Over:
			what = "past cue"
		case m.Exclusion && m.Kind == "":
			what = "idiom, hides its words from every kind"
		case m.Exclusion:
			what = "idiom, hides its words from " + string(m.Kind)
		case m.Denied:
			what += ", denied"
		}
		if m.Other {
			what += ", about someone else"
		}
		fmt.Fprintf(w, "%s: %q (%s)\n", what, m.Phrase, m.Lang)
	}
	explainLearned(b, text, w)
	a := b.Assess("", text)
	switch {
	case a.Risk():
		var ks []string
		for _, f := range a.Findings {
			if f.Learned {
				ks = append(ks, string(f.Kind)+" (learned)")
			} else if !f.Negated {
				ks = append(ks, string(f.Kind))
			}
		}
		fmt.Fprintf(w, "\nrisk: %s; answered in %s with the response for %s:\n\n%s\n", strings.Join(ks, ", "), a.Lang, a.Lead(), b.RiskResponse(a.Lang, a.Lead(), false, nil))
	case a.Denied():
		fmt.Fprintf(w, "\ndenied, no alarm; answered:\n\n%s\n", b.RiskDenied(a.Lang))
	default:
		fmt.Fprintln(w, "no risk found")
	}
}

// explainLearned shows the learned reader's three highest-scoring kinds,
// each with the features that raised and lowered its score most.
func explainLearned(b *content.Bundle, text string, w io.Writer) {
	scores := b.ExplainLearned(text, 5)
	if scores == nil {
		return
	}
	fmt.Fprintln(w, "\nlearned reader (score against threshold; features that raised it, then lowered it):")
	for i, ks := range scores {
		if i == 3 {
			break
		}
		verdict := "below"
		if ks.Score >= ks.Threshold {
			verdict = "reaches it"
		}
		fmt.Fprintf(w, "  %s: %.2f, threshold %.2f, %s (probability %.2f)\n", ks.Kind, ks.Score, ks.Threshold, verdict, learn.Probability(ks.Score))
		for _, list := range [][]learn.Contribution{ks.Top, ks.Against} {
			if len(list) == 0 {
				continue
			}
			var parts []string
			for _, c := range list {
				parts = append(parts, fmt.Sprintf("%s %+.2f", c.Feature, c.Weight))
			}
			fmt.Fprintf(w, "      %s\n", strings.Join(parts, ", "))
		}
	}
}
