package content_test

import (
	"testing"
)

// BenchmarkLearned1000 is the learned reader's share of Assess on the
// 1,000-character message: one pass over the text, nothing allocated.
func BenchmarkLearned1000(b *testing.B) {
	m := builtin(b).Learned()
	if m == nil {
		b.Skip("no learned model")
	}
	text := message1000()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Score(text)
	}
}
