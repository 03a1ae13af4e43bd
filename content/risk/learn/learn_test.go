package learn

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"signpost/content/risk"
)

func features(text string) (hashes []uint32, names []string) {
	w := walker{s: sink{hashes: &hashes, names: &names}}
	w.walk(text)
	return hashes, names
}

func TestFeatures(t *testing.T) {
	_, got := features("I can't... SOOOO tired 💊")
	want := []string{
		"w:i",
		"g:<can", "g:cant", "g:ant>", "w:cant", "b:i cant",
		"g:<soo", "g:soo>", "w:soo",
		"g:<tir", "g:tire", "g:ired", "g:red>", "w:tired", "b:soo tired",
		"w:💊", "b:tired 💊",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("features (-want +got):\n%s", diff)
	}
}

// TestFeaturesSameText: what normalising should make the same is the same.
func TestFeaturesSameText(t *testing.T) {
	for _, pair := range [][2]string{
		{"I DON'T want to be here", "i dont want to be here"},
		{"sooooo tired", "soo tired"},
		{"took 20 pills", "took 35 pills"},
		{"i don’t know", "i don't know"},
	} {
		a, _ := features(pair[0])
		b, _ := features(pair[1])
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%q and %q differ (-a +b):\n%s", pair[0], pair[1], diff)
		}
	}
}

// TestMisspellingShares: a misspelling shares most of its word's features.
func TestMisspellingShares(t *testing.T) {
	a, _ := features("suicidal")
	b, _ := features("suicidel")
	in := map[uint32]bool{}
	for _, h := range a {
		in[h] = true
	}
	shared := 0
	for _, h := range b {
		if in[h] {
			shared++
		}
	}
	if shared*2 < len(b) {
		t.Errorf("suicidel shares %d of %d features with suicidal", shared, len(b))
	}
}

var toy = []Example{
	{"i want to die", risk.Suicide}, {"i wanna die tonight", risk.Suicide}, {"i want to end my life", risk.Suicide},
	{"thinking of ending it all", risk.Suicide}, {"i dont want to live", risk.Suicide},
	{"i cut myself again", risk.SelfHarm}, {"been cutting my arms", risk.SelfHarm}, {"i hurt myself on purpose", risk.SelfHarm},
	{"i want to join a walking group", ""}, {"is there a choir near me", ""}, {"i like cooking and gardening", ""},
	{"can you help me with my forms", ""}, {"i want to meet people", ""}, {"my arms are tired from gardening", ""},
}

func TestTrainLearnsAndIsDeterministic(t *testing.T) {
	kinds := []risk.Kind{risk.Suicide, risk.SelfHarm}
	m, err := Train(toy, kinds, Config{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := Train(toy, kinds, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Sum != again.Sum {
		t.Errorf("the same training gave weights %s and %s", m.Sum, again.Sum)
	}
	if err := m.Equal(again, 0); err != nil {
		t.Error(err)
	}
	for _, c := range []struct {
		text string
		k    int
	}{{"i just wanna die", 0}, {"been cuting myself", 1}} {
		sc := m.Score(c.text)
		if sc[c.k] <= sc[1-c.k] || sc[c.k] <= 0 {
			t.Errorf("%q scored %v; want %s highest and above 0", c.text, sc[:2], kinds[c.k])
		}
	}
	if sc := m.Score("i would like to join a choir"); sc[0] >= 0 || sc[1] >= 0 {
		t.Errorf("an ordinary message scored %v", sc[:2])
	}
	if _, err := Train([]Example{{"x", risk.Overdose}}, kinds, Config{}); err == nil {
		t.Error("an example of a kind not scored was accepted")
	}
}

func TestEncodeDecode(t *testing.T) {
	m, err := Train(toy, []risk.Kind{risk.Suicide, risk.SelfHarm}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	m.Threshold = []float64{0.5, 1.5}
	m.Sets = []Set{{Name: "toy.yaml", Items: len(toy), SHA256: "00"}}
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	var buf2 bytes.Buffer
	if err := m.Encode(&buf2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
		t.Error("the same model encoded to different bytes")
	}
	got, err := Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Equal(got, 0); err != nil {
		t.Error(err)
	}
	if diff := cmp.Diff(m.Sets, got.Sets); diff != "" {
		t.Errorf("sets (-want +got):\n%s", diff)
	}
	for _, text := range []string{"i want to die", "a choir", ""} {
		if m.Score(text) != got.Score(text) {
			t.Errorf("%q scores differently after decoding", text)
		}
	}

	// A weight changed by hand no longer matches the checksum.
	z, _ := gzip.NewReader(bytes.NewReader(buf.Bytes()))
	plain, _ := io.ReadAll(z)
	plain[len(plain)-1] ^= 2
	var edited bytes.Buffer
	zw := gzip.NewWriter(&edited)
	zw.Write(plain)
	zw.Close()
	if _, err := Decode(&edited); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("an edited model decoded: %v", err)
	}
	if _, err := Decode(strings.NewReader("not a model")); err == nil {
		t.Error("a file that is not a model decoded")
	}
}

func TestScoreAllocatesNothing(t *testing.T) {
	m, err := Train(toy, []risk.Kind{risk.Suicide, risk.SelfHarm}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("Some nights I think everyone would be better off without me. ", 20)
	if n := testing.AllocsPerRun(20, func() { m.Score(text) }); n != 0 {
		t.Errorf("Score allocates %v times", n)
	}
}

func TestExplain(t *testing.T) {
	m, err := Train(toy, []risk.Kind{risk.Suicide, risk.SelfHarm}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	ks := m.Explain("i want to die", 3)
	if len(ks) != 2 || ks[0].Kind != risk.Suicide || len(ks[0].Top) == 0 {
		t.Fatalf("explained as %+v", ks)
	}
	// The contributions add up to the score.
	sum := m.Bias[0]
	for _, c := range m.Explain("i want to die", 1000)[0].Top {
		sum += c.Weight
	}
	for _, c := range m.Explain("i want to die", 1000)[0].Against {
		sum += c.Weight
	}
	if d := sum - ks[0].Score; d > 1e-9 || d < -1e-9 {
		t.Errorf("contributions add to %v, score %v", sum, ks[0].Score)
	}
}

func TestWords(t *testing.T) {
	m, err := Train(toy, []risk.Kind{risk.Suicide, risk.SelfHarm}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]int{"": 0, "42": 0, "07700 900123": 0, "any": 1, "I'm 16": 1,
		"i want to die": 4, "took 20 pills": 2, "💊 x": 1, "wait... what? ok": 3} {
		if _, got := m.ScoreWords(text); got != want {
			t.Errorf("%q: %d words, want %d", text, got, want)
		}
	}
	if _, f := m.Found("die die"); f[0] {
		t.Error("a two-word message found suicide")
	}
}

// TestSentenceNotDiluted: risk in one sentence of a long message scores as
// that sentence does alone; a sentence too short to read counts for nothing
// on its own.
func TestSentenceNotDiluted(t *testing.T) {
	m, err := Train(toy, []risk.Kind{risk.Suicide, risk.SelfHarm}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	one := m.Score("i want to die.")
	long := "i would like to join a choir. is there a walking group near me. i like cooking and gardening. " +
		"i want to die. i would like to meet people on tuesdays."
	if got := m.Score(long); got[0] < one[0]-1e-9 {
		t.Errorf("the long message scores %.3f for suicide, its sentence alone %.3f", got[0], one[0])
	}
	sum, n, _, _, _ := m.score(long)
	if whole := m.scores(&sum, n); whole[0] >= one[0] {
		t.Errorf("the whole long message (%.3f) should score below its sentence (%.3f) for this test to mean anything", whole[0], one[0])
	}
	short := "i would like to join a choir. die. i like cooking and gardening."
	sum, n, _, best, sentences := m.score(short)
	if sentences != 2 {
		t.Errorf("%d sentences of %d words or more in %q, want 2", sentences, MinWords, short)
	}
	if got, whole := m.Score(short), m.scores(&sum, n); got[0] != max(whole[0], best[0]) {
		t.Errorf("scored %.3f, want the better of the whole (%.3f) and the best sentence (%.3f)", got[0], whole[0], best[0])
	}
}

// withoutCache is m with no words summed ahead.
func withoutCache(m *Model) *Model {
	c := *m
	c.cache = wordCache{}
	return &c
}

// scoresAgree fails t when text scores differently with m's cache and
// without it: the sums, counts and sentences must be exactly the same.
func scoresAgree(t testing.TB, m *Model, text string) {
	t.Helper()
	sum, n, words, best, sentences := m.score(text)
	for _, ref := range []*Model{withoutCache(m), nil} {
		var sum0 [MaxKinds]int64
		var n0, words0, sentences0 int
		var best0 Scores
		if ref != nil {
			sum0, n0, words0, best0, sentences0 = ref.score(text)
		} else {
			sum0, n0, words0, best0, sentences0 = m.referenceScore(text)
		}
		if sum != sum0 || n != n0 || words != words0 || best != best0 || sentences != sentences0 {
			t.Fatalf("%q: with the cache %v %d %d %v %d, without (or before it) %v %d %d %v %d", text,
				sum, n, words, best, sentences, sum0, n0, words0, best0, sentences0)
		}
	}
	// Without the cache, the sums are the walk's.
	w := walker{s: sink{m: m}}
	w.walk(text)
	if w.s.sum != sum || w.s.n != n {
		t.Fatalf("%q: scored %v over %d features, walked %v over %d", text, sum, n, w.s.sum, w.s.n)
	}
}

var agreeTexts = []string{
	"", "i", "i want to die", "I WANT TO DIE", "sooooo tired of it all", "my my my", "iii", "aaa bbb",
	"took 20 pills", "00 0 000", "café crème", "don't", "i'm", "wanna kms 💊💊 now", "x.y.z", "ok!!!",
	"abcdefghijklmnopq abcdefghijklmnop", strings.Repeat("a", 300), strings.Repeat("ab ", 200),
	strings.Repeat("the cat sat. ", 100), strings.Repeat("i want to die ", 60),
	"Some nights I think everyone would be better off without me.",
	strings.Repeat("abcdefgh", 5000), strings.Repeat("żółw", 3000), strings.Repeat("abcdefghijklmnop💊", 100),
	strings.Repeat("abcdefghijklmnopq ", 100), strings.Repeat("abcdefghijklmnop.", 100), "zółw café'd n'", "'''a'''b'''",
	"i want to die. i want to die! die die die. so tired, tired of it. i want to die", strings.Repeat("ok ", 100),
	strings.Repeat("ok. ", 100), strings.Repeat("sad tired ", 50) + "i want to die. " + strings.Repeat("sad ", 30),
	strings.Repeat("żółw żółw. ", 50), strings.Repeat("💊 💊💊 ", 40), strings.Repeat(strings.Repeat("abcdefgh", 40)+" ", 3), strings.Repeat(strings.Repeat("żółwie", 60)+". x y "+strings.Repeat("abcdefgh", 40)+". ", 3),
	manyWords(1500) + " " + manyWords(1500), manyWords(600) + ". " + manyWords(1100) + ". " + manyWords(700),
}

// manyWords is n different words, with a sentence end now and then.
func manyWords(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteByte(byte('a' + i%26))
		b.WriteByte(byte('a' + i/26%26))
		b.WriteByte(byte('a' + i/676%26))
		if i%37 == 36 {
			b.WriteString(". ")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// TestRepetitionCountsOnce: a word or a pair said again in a message, or
// again in a sentence, adds nothing to its score.
func TestRepetitionCountsOnce(t *testing.T) {
	m, err := Train(toy, []risk.Kind{risk.Suicide, risk.SelfHarm}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range [][2]string{
		{strings.Repeat("ok ", 100), "ok ok"},
		{strings.Repeat("so tired ", 100), "so tired so"},
		{strings.Repeat("i want to die ", 50), "i want to die i"},
		{"i want to die. " + strings.Repeat("i want to die. ", 30), "i want to die. i want to die."},
	} {
		if a, b := m.Score(tt[0]), m.Score(tt[1]); a != b {
			t.Errorf("%.40q… scores %v, %q %v", tt[0], a[:2], tt[1], b[:2])
		}
	}
	if _, words := m.ScoreWords(strings.Repeat("sad ", 100)); words != 1 {
		t.Errorf("a word said 100 times counts as %d words, want 1", words)
	}
}

// TestCacheChangesNothing: the words summed ahead give exactly the sums of
// scoring every feature, at word, sentence and buffer boundaries.
func TestCacheChangesNothing(t *testing.T) {
	m, err := Train(toy, []risk.Kind{risk.Suicide, risk.SelfHarm}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.cache.entries) == 0 {
		t.Fatal("no words cached")
	}
	for _, text := range agreeTexts {
		scoresAgree(t, m, text)
	}
	for _, e := range toy {
		scoresAgree(t, m, e.Text)
	}
}

func FuzzCacheChangesNothing(f *testing.F) {
	for _, s := range agreeTexts {
		f.Add(s)
	}
	m, err := Train(toy, []risk.Kind{risk.Suicide, risk.SelfHarm}, Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		scoresAgree(t, m, s)
	})
}

func TestCommonWords(t *testing.T) {
	got := CommonWords([]Example{{Text: "I want to die, I WANT it."}, {Text: "sooo tired 💊 кафе to"}}, 4)
	// A word counts once in each message.
	if diff := cmp.Diff([]string{"to", "die", "i", "it"}, got); diff != "" {
		t.Errorf("common words (-want +got):\n%s", diff)
	}
}

// TestCacheChangesNothingOnTheModel reads every line of the labelled sets
// and the risk phrases, in every language, with the committed model.
func TestCacheChangesNothingOnTheModel(t *testing.T) {
	f, err := os.Open("../../data/risk/learned.bin.gz")
	if err != nil {
		t.Skip("no committed model")
	}
	defer f.Close()
	m, err := Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.cache.entries) == 0 {
		t.Fatal("the committed model caches no words")
	}
	files, _ := filepath.Glob("../../testdata/risk/*.yaml")
	more, _ := filepath.Glob("../../data/risk/*.yaml")
	lines := 0
	for _, name := range append(files, more...) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			scoresAgree(t, m, line)
			lines++
		}
		scoresAgree(t, m, string(data))
	}
	if lines < 1000 {
		t.Errorf("read only %d lines", lines)
	}
}

// TestSymbolsFillTheBuffer: a symbol after a word adds five features at
// once, which once overran the buffer of features.
func TestSymbolsFillTheBuffer(t *testing.T) {
	m, err := Train(toy, []risk.Kind{risk.Suicide, risk.SelfHarm}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	// "ok👍ok👍ok👍..." panicked once the buffer was within a word of full.
	for i := range 60 {
		for _, s := range []string{"ab💊", "ok👍", "00💊", "tired💊"} {
			scoresAgree(t, m, strings.Repeat("x ", i)+strings.Repeat(s, 300))
			withoutCache(m).Score(strings.Repeat("x ", i) + strings.Repeat(s, 300))
		}
	}
}

// TestShortWord holds shortWord to reading the bytes one at a time.
func TestShortWord(t *testing.T) {
	plain := func(b []byte) (uint64, int) {
		var w uint64
		n := 0
		for n < len(b) {
			c := rune(b[n])
			if c >= utf8.RuneSelf || asciiFold[c] < 0 {
				break
			}
			f := asciiFold[c]
			if n >= 2 && byte(f) == byte(w>>(8*(n-1))) && byte(f) == byte(w>>(8*(n-2))) {
				return 0, 0
			}
			w |= uint64(f) << (8 * n)
			n++
		}
		if n == 8 {
			return 0, 0
		}
		return w, n
	}
	alphabet := []byte("aAzZ09 '.!-@[`{\x80\xc3\xa9sSoOl\x00\x7f")
	r := rand.New(rand.NewSource(1))
	for range 1_000_000 {
		var b [8]byte
		for i := range b {
			b[i] = alphabet[r.Intn(len(alphabet))]
			if r.Intn(3) == 0 {
				b[i] = byte(r.Intn(256))
			}
		}
		wantW, wantN := plain(b[:])
		gotW, gotN := shortWord(binary.LittleEndian.Uint64(b[:]))
		if gotN != 0 && (gotW != wantW || gotN != wantN) || gotN == 0 && wantN != 0 && !threeRunning(b[:wantN]) && wantN != 8 {
			t.Fatalf("%q: shortWord %x %d, one at a time %x %d", b, gotW, gotN, wantW, wantN)
		}
	}
}

// threeRunning reports whether a letter of b, folded, stands three times running.
func threeRunning(b []byte) bool {
	for i := 2; i < len(b); i++ {
		if asciiFold[b[i]] == asciiFold[b[i-1]] && asciiFold[b[i]] == asciiFold[b[i-2]] {
			return true
		}
	}
	return false
}

// TestSummedWords: words.txt holds words a model can sum ahead, once each.
func TestSummedWords(t *testing.T) {
	seen := map[string]bool{}
	for _, w := range summedWords {
		if !cacheable(w) || seen[w] {
			t.Errorf("%q in words.txt is not a word to sum ahead, or is there twice", w)
		}
		seen[w] = true
	}
	if len(summedWords) < 500 {
		t.Errorf("words.txt holds %d words", len(summedWords))
	}
}

// TestTrainAverage: the mean of several fits is deterministic, and differs
// from one fit.
func TestTrainAverage(t *testing.T) {
	kinds := []risk.Kind{risk.Suicide, risk.SelfHarm}
	a, err := Train(toy, kinds, Config{Average: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Train(toy, kinds, Config{Average: 3})
	if err := a.Equal(b, 0); err != nil {
		t.Errorf("two means of the same fits differ: %v", err)
	}
	one, _ := Train(toy, kinds, Config{})
	if one.Equal(a, 1e-9) == nil {
		t.Error("the mean of three fits is the first fit")
	}
	if one.Config.Average != 1 || a.Config.Average != 3 {
		t.Errorf("recorded averages %d and %d, want 1 and 3", one.Config.Average, a.Config.Average)
	}
}
