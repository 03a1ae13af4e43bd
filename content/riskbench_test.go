package content_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"signpost/content"
	"signpost/content/risk"
)

// builtin is the built-in content the package's tests share.
func builtin(t testing.TB) *content.Bundle {
	t.Helper()
	return content.SharedDefault(t)
}

// message1000 is a 1,000-character message of the kind people write, with
// the risk in one sentence.
func message1000() string {
	s := "Hi, I'm Sam. I moved to Leyton last year after my mum passed and I don't really know anyone here. " +
		"I work nights at the warehouse so daytime groups are best, maybe something with football or cooking. " +
		"Money is tight, the rent went up again and universal credit doesn't cover it, so I've been skipping meals. " +
		"My landlord won't fix the damp and my chest is bad. Honestly some nights I think everyone would be better off without me. " +
		"Anyway, I'd like to meet people, maybe volunteer somewhere, and I'd like help with the forms for the council tax. "
	for utf8.RuneCountInString(s) < 1000 {
		s += "I like music and walking by the marshes, and I'd love to learn to cook properly on a budget. "
	}
	r := []rune(s)
	return string(r[:1000])
}

// BenchmarkAssess1000 reads a 1,000-character message; the target is at
// most 20 µs.
func BenchmarkAssess1000(b *testing.B) {
	bundle := builtin(b)
	text := message1000()
	if !bundle.Assess("en", text).Risk() {
		b.Fatal("the benchmark message should hold risk")
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bundle.Assess("en", text)
	}
}

// BenchmarkAssess1000Matcher reads the same message with the phrase matcher
// alone: Bundle.Assess is the matcher's reading and what is added to it.
func BenchmarkAssess1000Matcher(b *testing.B) {
	bundle := builtin(b)
	m, err := risk.Compile(bundle.Risk.Languages, bundle.DefaultLang)
	if err != nil {
		b.Fatal(err)
	}
	text := message1000()
	if !m.Assess(text).Risk() {
		b.Fatal("the benchmark message should hold risk")
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Assess(text)
	}
}

// BenchmarkAssessMegabyte reads a megabyte: its time per byte should match
// the 1,000-character message's, since reading is linear.
func BenchmarkAssessMegabyte(b *testing.B) {
	bundle := builtin(b)
	text := strings.Repeat(message1000()+"\n", 1<<20/1001)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bundle.Assess("en", text)
	}
}

// BenchmarkAssessMegabyteHidden reads a megabyte of words hiding letters,
// each looked for among the words it may spell: it should take about as
// long as BenchmarkAssessMegabyte.
func BenchmarkAssessMegabyteHidden(b *testing.B) {
	bundle := builtin(b)
	text := megabyte("f***ing s*x h*ng d*e sh*t r*pe su*cide k*ll a*b*c*d*e*f big_dave_99 **note**")
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bundle.Assess("en", text)
	}
}

// FuzzAssess reads arbitrary text, and the same text repeated to a
// megabyte: it must never panic, and what it reports must hang together.
func FuzzAssess(f *testing.F) {
	for _, s := range []string{"I want to die", "kms", "k!ll mys3lf", "I'm not suicidal", "my friend wants to kill herself",
		"Chcę się zabić", "میں مرنا چاہتا ہوں", "আমি মরে যেতে চাই", "i'''''d", "od'd", "a'''", "!!!@@@$$$", "0000000000",
		strings.Repeat("just ", 100) + "die", strings.Repeat("a", 5000), message1000(),
		"i was r*ped, f***ing k**l myself", "*bold* 5*3 a_b#c*d"} {
		f.Add(s)
	}
	bundle := builtin(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, text := range []string{s, megabyte(s)} {
			a := bundle.Assess("en", text)
			check(t, a)
		}
	})
}

func megabyte(s string) string {
	if s == "" {
		return s
	}
	return strings.Repeat(s+" ", 1<<20/(len(s)+1)+1)
}

func check(t *testing.T, a risk.Assessment) {
	t.Helper()
	if a.Risk() == a.Denied() && len(a.Findings) > 0 {
		t.Fatalf("both risk and denied: %+v", a)
	}
	if a.Risk() != (a.Lead() != "") {
		t.Fatalf("risk %v but lead %q", a.Risk(), a.Lead())
	}
	seen := map[risk.Kind]bool{}
	for _, f := range a.Findings {
		if seen[f.Kind] {
			t.Fatalf("kind %s found twice: %+v", f.Kind, a)
		}
		seen[f.Kind] = true
	}
	if len(a.Findings) > 0 && a.Lang == "" {
		t.Fatalf("no language for %+v", a)
	}
}

func TestMegabyteMessage(t *testing.T) {
	b := builtin(t)
	text := megabyte(message1000())
	if a := b.Assess("en", text); !a.Risk() {
		t.Errorf("a megabyte of messages holding risk read as %+v", a)
	}
}
