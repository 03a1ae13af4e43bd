package risk

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

var (
	builtinOnce  sync.Once
	builtinM     *Matcher
	builtinTexts []string
	builtinErr   error
)

// builtinModel is the content's risk model, read from its files and
// compiled once for every test of the package, with the messages of the
// evaluation sets. Compiling every language's phrases and reading every set
// took seconds under the race detector, which each test paid again. The
// tests only read both: a test that changes a matcher (its anchors, see
// anchoredTwoWays) compiles one of its own, and the texts are clipped, so a
// test appending to them gets a slice of its own.
func builtinModel(t testing.TB) (*Matcher, []string) {
	t.Helper()
	builtinOnce.Do(func() { builtinM, builtinTexts, builtinErr = loadBuiltin() })
	if builtinErr != nil {
		t.Fatal(builtinErr)
	}
	return builtinM, slices.Clip(builtinTexts)
}

// loadBuiltin compiles the content's risk model from its files and reads
// the messages of the evaluation sets.
func loadBuiltin() (*Matcher, []string, error) {
	files, err := filepath.Glob(filepath.Join("..", "data", "risk", "*.yaml"))
	if err != nil || len(files) == 0 {
		return nil, nil, fmt.Errorf("no risk model: %v", err)
	}
	langs := map[string]*Language{}
	for _, f := range files {
		code := strings.TrimSuffix(filepath.Base(f), ".yaml")
		if code == "services" {
			continue
		}
		var l Language
		if err := readYAMLFile(f, &l); err != nil {
			return nil, nil, err
		}
		langs[code] = &l
	}
	m, err := Compile(langs, "en")
	if err != nil {
		return nil, nil, err
	}
	sets, _ := filepath.Glob(filepath.Join("..", "testdata", "risk", "*.yaml"))
	var texts []string
	for _, f := range sets {
		var items []struct {
			Text string `yaml:"text"`
		}
		if err := readYAMLFile(f, &items); err != nil {
			return nil, nil, err
		}
		for _, it := range items {
			texts = append(texts, it.Text)
		}
	}
	return m, texts, nil
}

func readYAMLFile(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}

// misspell makes a few variants of s with letters changed, dropped,
// doubled or swapped, so that misspellings and word beginnings are read.
func misspell(r *rand.Rand, s string) []string {
	out := []string{s}
	for range 4 {
		b := []byte(s)
		if len(b) < 3 {
			break
		}
		i := r.Intn(len(b) - 1)
		switch r.Intn(4) {
		case 0:
			b[i] = byte('a' + r.Intn(26))
		case 1:
			b = append(b[:i], b[i+1:]...)
		case 2:
			b = append(b[:i+1], b[i:]...)
		case 3:
			b[i], b[i+1] = b[i+1], b[i]
		}
		out = append(out, string(b))
	}
	return out
}

// raceStride is how thinly thinUnderRace reads under the race detector.
const raceStride = 16

// thinUnderRace is every message a reference comparison reads, or under
// the race detector every raceStride-th of them. The comparisons run on
// one goroutine, so the detector finds nothing in them, and it made them
// twenty times slower: 484 s of the package's run. The README's test
// command runs them in full without -race before the suite under it.
func thinUnderRace(all []string) []string {
	if !raceDetector {
		return all
	}
	var out []string
	for i := 0; i < len(all); i += raceStride {
		out = append(out, all[i])
	}
	return out
}

// TestShortcutsChangeNothing reads the evaluation sets, and misspellings
// of them, with the test of a sentence's words before each phrase and the
// word sets of elements, and without them: every match must be the same.
func TestShortcutsChangeNothing(t *testing.T) {
	m, texts := builtinModel(t)
	r := rand.New(rand.NewSource(1))
	var all []string
	for _, s := range texts {
		all = append(all, misspell(r, s)...)
	}
	all = append(all, strings.Join(texts, " "))
	defer func() { shortcuts = true }()
	for _, s := range thinUnderRace(all) {
		shortcuts = true
		with := fmt.Sprintf("%+v %+v", m.Assess(s), m.Explain(s))
		shortcuts = false
		without := fmt.Sprintf("%+v %+v", m.Assess(s), m.Explain(s))
		if with != without {
			t.Fatalf("%q:\nwith the shortcuts    %s\nwithout the shortcuts %s", s, with, without)
		}
	}
}

// fuzzyScan is fuzzyLookup the plain way: every risk word of the same first
// letter and a length within reach (editDistance is checked against the
// table by TestEditDistanceAgrees).
func (m *Matcher) fuzzyScan(b []byte) *word {
	n := len(b)
	if n < fuzzyMin || n > fuzzyMax || !isASCIIWord(string(b)) {
		return nil
	}
	maxd := 1
	if n >= fuzzyMin2 {
		maxd = 2
	}
	var peq [26]uint32
	for i, c := range b {
		peq[c-'a'] |= 1 << i
	}
	fl := &m.fuzzy[b[0]-'a']
	var best *word
	bestD := maxd + 1
	for _, c := range fl.words[fl.from[n-maxd]:fl.from[min(n+maxd, fuzzyMax)+1]] {
		if d := editDistance(&peq, n, c.text); d < bestD {
			best, bestD = c.w, d
		}
	}
	return best
}

// TestFuzzyLookupAgrees compares fuzzyLookup with the plain scan on
// misspellings, of one edit and of two, of the risk words a misspelling may
// stand for.
func TestFuzzyLookupAgrees(t *testing.T) {
	m, _ := builtinModel(t)
	r := rand.New(rand.NewSource(2))
	n := 0
	for c := range m.fuzzy {
		for i, w := range m.fuzzy[c].words {
			if i%4 != 0 {
				continue
			}
			vs := misspell(r, w.text)
			vs = append(vs, misspell(r, vs[len(vs)-1])[1:]...)
			for _, v := range vs {
				b := []byte(squeeze(v))
				want, got := m.fuzzyScan(b), m.fuzzyLookup(b)
				if got != want {
					t.Fatalf("fuzzyLookup(%q) = %v, the plain scan %v", b, text(got), text(want))
				}
				n++
			}
		}
	}
	t.Logf("%d misspellings", n)
}

func text(w *word) string {
	if w == nil {
		return "nothing"
	}
	return w.text
}

// splitEvery is split reading every word by every rule (wordAt), without
// the path for words of letters only.
func (s *wordSplitter) splitEvery(text string, emit func(word []byte, number bool, b boundary)) {
	var first []byte
	s.split(text, func(w []byte, _ bool, _ boundary) {
		if first == nil {
			first = append([]byte{}, w...)
		}
	})
	// split has folded text into s.chars; read them again.
	cs := s.chars[:0]
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if dropped(r) {
			continue
		}
		if r < 0x80 {
			cs = append(cs, asciiChars[r])
		} else {
			cs = append(cs, wideChar(r))
		}
	}
	pending := sameClause
	for i := 0; i < len(cs); {
		if !wordStart(cs, i) {
			switch cs[i].r() {
			case '.', '…':
				if e := ellipsis(cs, i); e > i {
					pending, i = max(pending, newClause), e-1
				} else {
					pending = max(pending, newSentence)
				}
			case '!', '?', ';', '\n', '।', '۔', '؟':
				pending = max(pending, newSentence)
			case ',', ':', '(', ')', '–', '—', '"', '“', '”', '/', '،':
				pending = max(pending, newClause)
			case '-':
				if !joiningHyphen(cs, i) {
					pending = max(pending, newClause)
				}
			}
			if w := emojiWord(cs[i].r()); w != "" && (i == 0 || emojiWord(cs[i-1].r()) != w) {
				emit([]byte(w), false, pending)
				pending = sameClause
			}
			i++
			continue
		}
		var number bool
		i, number = s.wordAt(cs, i)
		if s.hidden {
			s.emitHidden(emit, pending)
		} else {
			emit(s.buf, number, pending)
		}
		pending = sameClause
	}
}

func words(text string, every bool) string {
	var sb strings.Builder
	var s wordSplitter
	emit := func(w []byte, number bool, b boundary) { fmt.Fprintf(&sb, "%d%v%q ", b, number, w) }
	if every {
		s.splitEvery(text, emit)
	} else {
		s.split(text, emit)
	}
	return sb.String()
}

// FuzzSplit compares the splitter with the same rules applied to every
// word, on any text and on a megabyte of it.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"I'm OD'd, k!ll $uicide r@ped", "SOOOO tired!!! 20 pills", "Chcę się zabić", "میں مرنا چاہتا ہوں",
		"a'''d", "x\u200dy", "\xff\xfeab", "ab1 1ab !ab ab! a@ @a", "r*ped f***ing *bold* 5*3 a_b#c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := words(s, false), words(s, true); got != want {
			t.Fatalf("%q:\nsplit       %s\nevery rule  %s", s, got, want)
		}
		if s == "" {
			return
		}
		big := strings.Repeat(s+" ", 1<<20/(len(s)+1)+1)
		var sp wordSplitter
		n := 0
		sp.split(big, func(w []byte, _ bool, _ boundary) {
			if len(w) == 0 {
				t.Fatalf("an empty word in a megabyte of %q", s)
			}
			n++
		})
		if one := strings.Count(words(s+" ", false), " "); n != one*(1<<20/(len(s)+1)+1) {
			t.Fatalf("a megabyte of %q has %d words, %d times %d expected", s, n, 1<<20/(len(s)+1)+1, one)
		}
	})
}

// TestSplitSetsAsEveryRule holds the splitter, with its path for short
// words of ASCII letters read eight bytes at a time, to the same rules
// applied to every word, on every message of the committed sets: as
// written, in capitals, and all joined.
func TestSplitSetsAsEveryRule(t *testing.T) {
	_, texts := builtinModel(t)
	all := append([]string{}, texts...)
	for _, s := range texts {
		all = append(all, strings.ToUpper(s))
	}
	all = append(all, strings.Join(texts, " "))
	for _, s := range all {
		if got, want := words(s, false), words(s, true); got != want {
			t.Fatalf("%q:\nsplit       %s\nevery rule  %s", s, got, want)
		}
	}
}

// TestSplitHiddenLetters shows which marks the splitter keeps in a word
// as hidden letters (only those standing between two letters), and that a
// word whose reader says it spells nothing is read as the words on either
// side of its marks.
func TestSplitHiddenLetters(t *testing.T) {
	tests := []struct {
		name, text string
		spells     bool
		want       []string
	}{
		{name: "one star", text: "r*ped", spells: true, want: []string{"r*ped"}},
		{name: "a run of stars, one a letter", text: "f***ing", spells: true, want: []string{"f***ing"}},
		{name: "repeated letters squeezed, stars kept", text: "k*lll myself", spells: true, want: []string{"k*l", "myself"}},
		{name: "hash and underscore", text: "r#ped k_ll", spells: true, want: []string{"r*ped", "k*l"}},
		{name: "digits as letters beside", text: "su*c1de", spells: true, want: []string{"su*cide"}},
		{name: "spelling nothing", text: "big_dave k*ll", want: []string{"big", "dave", "k", "l"}},
		{name: "markdown", text: "*bold* **note**", spells: true, want: []string{"bold", "note"}},
		{name: "a sum", text: "5*3", spells: true, want: []string{"5", "3"}},
		{name: "a rating", text: "5* hotel", spells: true, want: []string{"5", "hotel"}},
		{name: "after a digit", text: "0*erdose", spells: true, want: []string{"0", "erdose"}},
		{name: "a trailing star", text: "kill*", spells: true, want: []string{"kil"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s wordSplitter
			if tt.spells {
				s.spells = func([]byte) bool { return true }
			}
			var got []string
			s.split(tt.text, func(w []byte, _ bool, _ boundary) { got = append(got, string(w)) })
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("split(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// assessThreePasses is Assess reading the exclusions of every sentence,
// then settling them all, then reading the phrases: the order runBoth
// interleaves.
func (m *Matcher) assessThreePasses(text string) Assessment {
	st := m.begin(text)
	defer states.Put(st)
	m.run(st, true)
	settle(st)
	m.run(st, false)
	m.combine(st)
	return st.assessment()
}

// TestRunBothIsThreePasses reads the evaluation sets, misspellings of them
// and neighbouring messages run together (so that one's cues fall in the
// sentences of another), a sentence at a time and in three passes: the
// assessments must be the same.
func TestRunBothIsThreePasses(t *testing.T) {
	m, texts := builtinModel(t)
	for _, c := range pairCases {
		texts = append(texts, c.text) // risk read across a sentence's end
	}
	r := rand.New(rand.NewSource(2))
	var all []string
	for i, s := range texts {
		all = append(all, misspell(r, s)...)
		if i > 0 {
			all = append(all, texts[i-1]+" "+s, s+". "+texts[i-1], texts[i-1]+"\n"+s+"\n"+texts[r.Intn(len(texts))])
		}
	}
	all = append(all, strings.Join(texts, " "))
	for _, s := range thinUnderRace(all) {
		got, want := m.Assess(s), m.assessThreePasses(s)
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			t.Fatalf("%q:\na sentence at a time %+v\nin three passes       %+v", s, got, want)
		}
	}
}

// FuzzRunBothIsThreePasses holds a sentence at a time to the three passes
// for any text.
func FuzzRunBothIsThreePasses(f *testing.F) {
	m, texts := builtinModel(f)
	for i := 0; i < len(texts); i += 97 {
		f.Add(texts[i])
	}
	f.Add("I used to cut. Not anymore. I want to die.")
	f.Fuzz(func(t *testing.T, s string) {
		got, want := m.Assess(s), m.assessThreePasses(s)
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			t.Fatalf("%q:\na sentence at a time %+v\nin three passes       %+v", s, got, want)
		}
	})
}
