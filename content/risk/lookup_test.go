package risk

import (
	"math/rand"
	"testing"
)

// distanceTable is the optimal string alignment distance worked out by the
// table of distances of every beginning of a with every beginning of b: what
// editDistance must agree with.
func distanceTable(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func bitDistance(a, b string) int {
	var peq [26]uint32
	for i := 0; i < len(a); i++ {
		peq[a[i]-'a'] |= 1 << i
	}
	return editDistance(&peq, len(a), b)
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{name: "same", a: "suicidal", b: "suicidal", want: 0},
		{name: "one letter changed", a: "suicidel", b: "suicidal", want: 1},
		{name: "one letter missing", a: "sucidal", b: "suicidal", want: 1},
		{name: "one letter more", a: "suiicidal", b: "suicidal", want: 1},
		{name: "two letters swapped", a: "suicdial", b: "suicidal", want: 1},
		{name: "swap at the start", a: "usicidal", b: "suicidal", want: 1},
		{name: "swap at the end", a: "suicidla", b: "suicidal", want: 1},
		{name: "a swap is not undone twice", a: "ca", b: "abc", want: 3},
		{name: "empty", a: "", b: "abc", want: 3},
		{name: "against empty", a: "abc", b: "", want: 3},
		{name: "longest", a: "abcdefghijklmnopqrstuvwx", b: "bacdefghijklmnopqrstuvxw", want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bitDistance(tt.a, tt.b); got != tt.want {
				t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := distanceTable(tt.a, tt.b); got != tt.want {
				t.Errorf("distanceTable(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestEditDistanceAgrees compares editDistance with the table on random
// words of a few letters, where repeats and swaps are frequent.
func TestEditDistanceAgrees(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	word := func(letters int) string {
		b := make([]byte, r.Intn(fuzzyMax+1))
		for i := range b {
			b[i] = byte('a' + r.Intn(letters))
		}
		return string(b)
	}
	for i := 0; i < 50000; i++ {
		letters := 2 + i%5
		a, b := word(letters), word(letters)
		if i%3 == 0 && len(a) > 2 { // b one or two edits from a
			bs := []byte(a)
			k := r.Intn(len(bs) - 1)
			bs[k], bs[k+1] = bs[k+1], bs[k]
			if i%2 == 0 {
				bs[r.Intn(len(bs))] = byte('a' + r.Intn(letters))
			}
			b = string(bs)
		}
		if got, want := bitDistance(a, b), distanceTable(a, b); got != want {
			t.Fatalf("editDistance(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
}
