package learn

import (
	"fmt"
	"math"
	"sort"

	"signpost/content/risk"
)

// Example is one labelled message: Kind is the kind of risk it holds, or ""
// for an ordinary message.
type Example struct {
	Text string
	Kind risk.Kind
}

// Config says how a model is trained. Its zero value means the defaults
// named on each field.
type Config struct {
	// Epochs is the number of passes over the examples; default 30.
	Epochs int `json:"epochs"`
	// Rate is the first pass's learning rate, falling as 1/sqrt(pass);
	// default 1.
	Rate float64 `json:"rate"`
	// L2 is the strength of the L2 penalty on the weights; default 1e-5.
	L2 float64 `json:"l2"`
	// Balance weighs each kind's own messages by (others/own)^Balance so
	// that a rare kind is not drowned by the rest; default 0.5.
	Balance float64 `json:"balance"`
	// Seed fixes the order of the examples in each pass; default 1.
	Seed uint64 `json:"seed"`
	// Average is how many models are trained, from seeds Seed, Seed+1 and
	// so on, to keep the mean of their weights: the mean moves less with
	// the order of the examples than any one of them; default 1.
	Average int `json:"average,omitempty"`
}

func (c Config) withDefaults() Config {
	if c.Epochs == 0 {
		c.Epochs = 30
	}
	if c.Rate == 0 {
		c.Rate = 1
	}
	if c.L2 == 0 {
		c.L2 = 1e-5
	}
	if c.Balance == 0 {
		c.Balance = 0.5
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Average == 0 {
		c.Average = 1
	}
	return c
}

// sparse is a message's features: buckets in increasing order and their
// values, counts divided by the square root of the number of features.
type sparse struct {
	idx []uint32
	val []float64
}

func featurise(text string) sparse {
	var hashes []uint32
	w := walker{s: sink{hashes: &hashes}}
	w.walk(text)
	sort.Slice(hashes, func(i, j int) bool { return hashes[i] < hashes[j] })
	var x sparse
	norm := 1 / math.Sqrt(float64(max(len(hashes), 1)))
	for i, h := range hashes {
		if i > 0 && h == hashes[i-1] {
			x.val[len(x.val)-1] += norm
			continue
		}
		x.idx = append(x.idx, h)
		x.val = append(x.val, norm)
	}
	return x
}

// Train fits a model for kinds to the examples: for each kind, logistic
// regression of "this kind" against every other message, by stochastic
// gradient descent with L2 regularisation (the mean of cfg.Average such
// fits). The same examples in the same order with the same Config always
// give the same model. Its thresholds are
// 0 (even odds) until the caller sets them. It returns an error for an
// example of a kind not in kinds.
func Train(examples []Example, kinds []risk.Kind, cfg Config) (*Model, error) {
	cfg = cfg.withDefaults()
	if len(kinds) > MaxKinds {
		return nil, fmt.Errorf("train: %d kinds, at most %d", len(kinds), MaxKinds)
	}
	K := len(kinds)
	ki := map[risk.Kind]int{}
	for i, k := range kinds {
		ki[k] = i
	}
	xs := make([]sparse, len(examples))
	ys := make([]int, len(examples))
	count := make([]int, K)
	for i, e := range examples {
		ys[i] = -1
		if e.Kind != "" {
			k, ok := ki[e.Kind]
			if !ok {
				return nil, fmt.Errorf("train: example %d (%q): kind %q is not scored", i+1, e.Text, e.Kind)
			}
			ys[i] = k
			count[k]++
		}
		xs[i] = featurise(e.Text)
	}
	posWeight := make([]float64, K)
	for k := range kinds {
		posWeight[k] = 1
		if count[k] > 0 {
			posWeight[k] = math.Pow(float64(len(examples)-count[k])/float64(count[k]), cfg.Balance)
		}
	}

	w := make([]float64, Buckets*K)
	bias := make([]float64, K)
	if cfg.Average == 1 {
		fit(xs, ys, posWeight, cfg, cfg.Seed, w, bias)
	} else {
		wr := make([]float64, Buckets*K)
		br := make([]float64, K)
		for r := range cfg.Average {
			clear(wr)
			clear(br)
			fit(xs, ys, posWeight, cfg, cfg.Seed+uint64(r), wr, br)
			for i := range w {
				w[i] += wr[i] / float64(cfg.Average)
			}
			for k := range bias {
				bias[k] += br[k] / float64(cfg.Average)
			}
		}
	}
	m := quantise(kinds, w, bias, cfg)
	m.prepare()
	return m, nil
}

// fit is one fit by stochastic gradient descent, the examples' order drawn
// from seed, into w and bias (zero to begin with).
//
// It is left out of the race detector's instrumentation (go:norace): it runs
// on one goroutine over slices nobody else holds while it runs, so there is
// no race for the detector to find, and its check of every read and write of
// w (each feature of every message, for each kind, on every pass) made the
// test that retrains the committed model (TestLearnedModelIsTrained) the
// slowest of "go test -race". Builds without -race are unchanged.
//
//go:norace
func fit(xs []sparse, ys []int, posWeight []float64, cfg Config, seed uint64, w, bias []float64) {
	K := len(bias)
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	rng := splitmix(seed)
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		for i := len(order) - 1; i > 0; i-- {
			j := int(rng.next() % uint64(i+1))
			order[i], order[j] = order[j], order[i]
		}
		rate := cfg.Rate / math.Sqrt(float64(epoch+1))
		shrink := 1 - float64(rate*cfg.L2)
		for _, e := range order {
			x := xs[e]
			for k := 0; k < K; k++ {
				z := bias[k]
				for j, b := range x.idx {
					z += float64(w[int(b)*K+k] * x.val[j])
				}
				y, cw := 0.0, 1.0
				if ys[e] == k {
					y, cw = 1, posWeight[k]
				}
				g := float64(rate * float64(cw*(sigmoid(z)-y)))
				for j, b := range x.idx {
					p := int(b)*K + k
					w[p] = float64(w[p]*shrink) - float64(g*x.val[j])
				}
				bias[k] -= g
			}
		}
	}
}

// quantise stores each kind's weights as 16-bit integers on the kind's own
// scale.
func quantise(kinds []risk.Kind, w, bias []float64, cfg Config) *Model {
	K := len(kinds)
	m := &Model{
		Kinds: append([]risk.Kind(nil), kinds...), Bias: bias, Config: cfg,
		Scale: make([]float64, K), Threshold: make([]float64, K),
		index: make([]uint16, Buckets), rows: make([]row, 1),
	}
	for k := range kinds {
		most := 0.0
		for b := 0; b < Buckets; b++ {
			most = math.Max(most, math.Abs(w[b*K+k]))
		}
		m.Scale[k] = 1
		if most > 0 {
			m.Scale[k] = most / math.MaxInt16
		}
	}
	for b := 0; b < Buckets; b++ {
		var r row
		any := false
		for k := range kinds {
			r[k] = int16(math.Round(w[b*K+k] / m.Scale[k]))
			any = any || r[k] != 0
		}
		// Row numbers are 16 bits, so at most 65,535 buckets hold weights:
		// in the unlikely case that every one does, the last is left out.
		if any && len(m.rows) <= math.MaxUint16 {
			m.index[b] = uint16(len(m.rows))
			m.rows = append(m.rows, r)
		}
	}
	m.Sum = m.sum()
	return m
}

// sigmoid is the logistic function, kept within the range where it is
// exactly computed the same everywhere.
func sigmoid(z float64) float64 {
	z = math.Max(-30, math.Min(30, z))
	return 1 / (1 + math.Exp(-z))
}

// splitmix is SplitMix64: a small generator whose sequence is fixed by its
// seed, so training does not depend on the standard library's choices.
type splitmixState struct{ s uint64 }

func splitmix(seed uint64) *splitmixState { return &splitmixState{seed} }

func (r *splitmixState) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
