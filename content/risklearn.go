package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sync"

	"signpost/content/risk"
	"signpost/content/risk/learn"
)

// LearnedFile is where the content keeps the learned reader of risk: the
// model "signpost risk train" writes (see package learn for what it holds).
const LearnedFile = riskDir + "/learned.bin.gz"

var (
	builtinLearnedOnce sync.Once
	builtinLearned     *learn.Model
	builtinLearnedSum  string
	builtinLearnedErr  error
)

// loadBuiltinLearned reads the built-in model once: every bundle shares it.
func loadBuiltinLearned() (*learn.Model, string, error) {
	builtinLearnedOnce.Do(func() {
		data, err := embedded.ReadFile(path.Join("data", LearnedFile))
		if errors.Is(err, fs.ErrNotExist) {
			// Before the first model is trained, the rules read alone;
			// a test requires the model.
			return
		}
		if err != nil {
			builtinLearnedErr = fmt.Errorf("read content: %w", err)
			return
		}
		builtinLearnedSum = fileSum(data)
		builtinLearned, builtinLearnedErr = learn.Decode(bytes.NewReader(data))
	})
	return builtinLearned, builtinLearnedSum, builtinLearnedErr
}

func fileSum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// loadLearned gives b the learned model of fsys, or the built-in one when
// fsys has none or the same. Like the directory, the model is not pinned
// with a conversation's content: every message is read with the newest.
func (b *Bundle) loadLearned(fsys fs.FS) error {
	m, sum, err := loadBuiltinLearned()
	if err != nil {
		return err
	}
	b.learned = m
	if fsys == nil {
		return nil
	}
	data, err := fs.ReadFile(fsys, LearnedFile)
	if err != nil || fileSum(data) == sum {
		return nil
	}
	own, err := learn.Decode(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: %w", LearnedFile, err)
	}
	b.learned = own
	return nil
}

// Learned is the bundle's learned reader of risk, nil when it has none.
func (b *Bundle) Learned() *learn.Model { return b.learned }

// addLearned adds to what the rules found (a) the kinds the learned model
// finds in text that the rules did not; see withLearned. When the message
// is all but its denials of harm done to the writer (risk.Matcher.Undenied
// leaves fewer than learn.MinWords words, the least the model reads), the
// only evidence for what the model would add is a denial, and it adds
// nothing: "he didn't touch me" is no disclosure of sexual violence. A
// longer message keeps what the model finds in it ("... im 16, she doesnt
// believe me").
func (b *Bundle) addLearned(a risk.Assessment, text string) risk.Assessment {
	if b.learned == nil || hasDenied(a) {
		return a
	}
	_, found := b.learned.Found(text)
	out := withLearned(a, b.learned.Kinds, found)
	if len(out.Findings) == len(a.Findings) {
		return out
	}
	if rest, cut := b.matcher.Undenied(text); cut {
		if _, words := b.learned.ScoreWords(rest); words < learn.MinWords {
			return a
		}
	}
	return out
}

func hasDenied(a risk.Assessment) bool {
	for _, f := range a.Findings {
		if f.Negated {
			return true
		}
	}
	return false
}

// withLearned adds the model's findings (found, by kinds) to the rules'
// assessment a. The model is a second line and defers to the rules:
//   - it never removes or changes a finding of the rules;
//   - when the rules found any kind only denied or put in the past ("I'm not
//     suicidal", "I used to self-harm but not now"), it adds nothing, since
//     the model cannot read a denial;
//   - when the rules found a worry about someone else, it adds no suicide or
//     self-harm of the writer's own, as the rules would not;
//   - what it adds follows the rules' findings, so a response the rules
//     chose still leads, and is marked Learned.
func withLearned(a risk.Assessment, kinds []risk.Kind, found [learn.MaxKinds]bool) risk.Assessment {
	if hasDenied(a) {
		return a
	}
	// Most often the model finds nothing the rules did not, and then adds
	// nothing.
	if !findsMore(a, kinds, found) {
		return a
	}
	var add []risk.Finding
	for _, k := range risk.Kinds {
		// How many of the model's kinds are k and found: most often none,
		// and then the rules' findings are not read.
		n := 0
		for i, mk := range kinds {
			if found[i] && mk == k {
				n++
			}
		}
		if n == 0 || hasKind(a, k) || (k == risk.Suicide || k == risk.SelfHarm) && hasKind(a, risk.SomeoneElse) {
			continue
		}
		for range n {
			add = append(add, risk.Finding{Kind: k, Learned: true})
		}
	}
	if len(add) == 0 {
		return a
	}
	a.Findings = append(append([]risk.Finding(nil), a.Findings...), add...)
	return a
}

// findsMore reports whether the model found (found, by kinds) a kind the
// rules' assessment a has not.
func findsMore(a risk.Assessment, kinds []risk.Kind, found [learn.MaxKinds]bool) bool {
	for i, k := range kinds {
		if found[i] && !hasKind(a, k) {
			return true
		}
	}
	return false
}

func hasKind(a risk.Assessment, k risk.Kind) bool {
	for _, f := range a.Findings {
		if f.Kind == k {
			return true
		}
	}
	return false
}

// ExplainLearned scores text with the learned model: every kind from the
// nearest to its threshold down, with the n features that raised and
// lowered its score most. It returns nil when the bundle has no model.
func (b *Bundle) ExplainLearned(text string, n int) []learn.KindScore {
	if b.learned == nil {
		return nil
	}
	return b.learned.Explain(text, n)
}
