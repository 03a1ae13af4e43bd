package report

import (
	"math"
	"slices"
	"time"
)

// Spread summarises a set of durations by nearest rank.
type Spread struct {
	N           int
	Median, P90 time.Duration
}

func spread(ds []time.Duration) Spread {
	if len(ds) == 0 {
		return Spread{}
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	rank := func(p int) time.Duration {
		i := (p*len(ds) + 99) / 100 // ceil(p/100 * n), 1-based
		return ds[max(i, 1)-1]
	}
	return Spread{N: len(ds), Median: rank(50), P90: rank(90)}
}

// item is one wellbeing measure that can be paired.
type item struct {
	id, title     string
	lowerIsBetter bool
	get           func(*Wellbeing) (int, bool)
}

func score(p func(*Wellbeing) *int) func(*Wellbeing) (int, bool) {
	return func(w *Wellbeing) (int, bool) {
		if w == nil || p(w) == nil {
			return 0, false
		}
		return *p(w), true
	}
}

var items = []item{
	{"life", "Satisfied with life (0-10)", false, score(func(w *Wellbeing) *int { return w.Life })},
	{"worth", "Things done are worthwhile (0-10)", false, score(func(w *Wellbeing) *int { return w.Worth })},
	{"happy", "Happy yesterday (0-10)", false, score(func(w *Wellbeing) *int { return w.Happy })},
	{"anxious", "Anxious yesterday (0-10)", true, score(func(w *Wellbeing) *int { return w.Anxious })},
	{"lonely", "Loneliness (3-9)", true, (*Wellbeing).LonelyTotal},
}

// changes pairs each person's follow-up with their baseline, item by item.
func changes(rs []*Record) []Change {
	var out []Change
	for _, it := range items {
		var before, after []float64
		for _, r := range rs {
			b, ok1 := it.get(r.Baseline)
			a, ok2 := it.get(r.FollowUp)
			if ok1 && ok2 {
				before, after = append(before, float64(b)), append(after, float64(a))
			}
		}
		out = append(out, paired(it, before, after))
	}
	return out
}

// paired is the mean change after-before with its 95% confidence interval
// from Student's t distribution.
func paired(it item, before, after []float64) Change {
	c := Change{ID: it.id, Title: it.title, N: len(before), LowerIsBetter: it.lowerIsBetter, Diffs: map[int]int{}}
	if c.N == 0 {
		return c
	}
	var sumB, sumA, sumD float64
	diffs := make([]float64, c.N)
	for i := range before {
		d := after[i] - before[i]
		diffs[i] = d
		sumB, sumA, sumD = sumB+before[i], sumA+after[i], sumD+d
		c.Diffs[int(d)]++
		if (it.lowerIsBetter && d <= -1) || (!it.lowerIsBetter && d >= 1) {
			c.Improved++
		}
	}
	n := float64(c.N)
	c.Baseline, c.FollowUp, c.Mean = sumB/n, sumA/n, sumD/n
	c.Low, c.High = c.Mean, c.Mean
	if c.N >= 2 {
		var ss float64
		for _, d := range diffs {
			ss += (d - c.Mean) * (d - c.Mean)
		}
		se := math.Sqrt(ss/(n-1)) / math.Sqrt(n)
		half := tQuantile(0.975, n-1) * se
		c.Low, c.High = c.Mean-half, c.Mean+half
	}
	return c
}

// tQuantile is the p-quantile (p > 0.5) of Student's t with df degrees of
// freedom, found by bisection on the distribution function.
func tQuantile(p, df float64) float64 {
	lo, hi := 0.0, 1e4
	for i := 0; i < 200; i++ {
		mid := (lo + hi) / 2
		if tCDF(mid, df) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// tCDF is P(T <= t) for t >= 0.
func tCDF(t, df float64) float64 {
	x := df / (df + t*t)
	return 1 - 0.5*betaInc(df/2, 0.5, x)
}

// betaInc is the regularised incomplete beta function I_x(a, b), by its
// continued fraction (modified Lentz), using the symmetry relation where the
// fraction converges slowly.
func betaInc(a, b, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log(1-x))
	if x > (a+1)/(a+b+2) {
		return 1 - front*betaFraction(b, a, 1-x)/b
	}
	return front * betaFraction(a, b, x) / a
}

func betaFraction(a, b, x float64) float64 {
	const tiny = 1e-300
	c, d := 1.0, 1-(a+b)*x/(a+1)
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 300; m++ {
		fm := float64(m)
		num := fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm))
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		num = -(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1))
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-14 {
			break
		}
	}
	return h
}
