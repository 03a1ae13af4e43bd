package learn

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"signpost/content/risk"
)

// The model file, gzipped:
//
//	signpost-risk-learned 1\n
//	a header: one line of JSON (fileHeader)\n
//	the weights: for each bucket with a weight not 0, in increasing order,
//	  the bucket's distance from the previous one (uvarint), then its
//	  weight for each kind, zigzag varints of 16-bit integers
//
// The header records the SHA-256 of the weights, which Decode checks, and
// the names and SHA-256 of the labelled sets the model was trained on.
const magic = "signpost-risk-learned 1\n"

type fileHeader struct {
	Kinds     []risk.Kind `json:"kinds"`
	Buckets   int         `json:"buckets"`
	Grams     [2]int      `json:"grams"`
	Bias      []float64   `json:"bias"`
	Scale     []float64   `json:"scale"`
	Threshold []float64   `json:"threshold"`
	Sets      []Set       `json:"sets"`
	Config    Config      `json:"config"`
	Rows      int         `json:"rows"`
	Weights   string      `json:"weights_sha256"`
}

// weights encodes the weights as the file holds them.
func (m *Model) weights() []byte {
	var out []byte
	prev := 0
	for b, i := range m.index {
		if i == 0 {
			continue
		}
		out = binary.AppendUvarint(out, uint64(b-prev))
		prev = b
		for k := range m.Kinds {
			out = binary.AppendVarint(out, int64(m.rows[i][k]))
		}
	}
	return out
}

func (m *Model) sum() string {
	s := sha256.Sum256(m.weights())
	return hex.EncodeToString(s[:])
}

// Encode writes the model file.
func (m *Model) Encode(w io.Writer) error {
	body := m.weights()
	s := sha256.Sum256(body)
	h := fileHeader{
		Kinds: m.Kinds, Buckets: Buckets, Grams: [2]int{gram, gram},
		Bias: m.Bias, Scale: m.Scale, Threshold: m.Threshold, Sets: m.Sets, Config: m.Config,
		Rows: len(m.rows) - 1, Weights: hex.EncodeToString(s[:]),
	}
	head, err := json.Marshal(h)
	if err != nil {
		return err
	}
	// A fixed header time and level, so the same model is the same bytes.
	z, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	for _, part := range [][]byte{[]byte(magic), head, []byte("\n"), body} {
		if _, err := z.Write(part); err != nil {
			return err
		}
	}
	return z.Close()
}

// Decode reads a model file. It returns an error when the file is not one,
// was made for other features, or its weights do not match their recorded
// checksum.
func Decode(r io.Reader) (*Model, error) {
	z, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("learned model: %w", err)
	}
	br := bufio.NewReader(z)
	line, err := br.ReadString('\n')
	if err != nil || line != magic {
		return nil, errors.New("learned model: not a model file")
	}
	line, err = br.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("learned model: header: %w", err)
	}
	var h fileHeader
	if err := json.Unmarshal([]byte(line), &h); err != nil {
		return nil, fmt.Errorf("learned model: header: %w", err)
	}
	K := len(h.Kinds)
	switch {
	case h.Buckets != Buckets || h.Grams != [2]int{gram, gram}:
		return nil, fmt.Errorf("learned model: made for %d buckets and runs of %v letters, not %d and %v", h.Buckets, h.Grams, Buckets, [2]int{gram, gram})
	case K == 0 || K > MaxKinds || len(h.Bias) != K || len(h.Scale) != K || len(h.Threshold) != K:
		return nil, errors.New("learned model: header: kinds, bias, scale and threshold disagree")
	}
	body, err := io.ReadAll(br)
	if err != nil {
		return nil, fmt.Errorf("learned model: %w", err)
	}
	if s := sha256.Sum256(body); hex.EncodeToString(s[:]) != h.Weights {
		return nil, errors.New("learned model: the weights do not match their checksum")
	}
	m := &Model{
		Kinds: h.Kinds, Bias: h.Bias, Scale: h.Scale, Threshold: h.Threshold, Sets: h.Sets, Config: h.Config,
		Sum: h.Weights, index: make([]uint16, Buckets), rows: make([]row, 1, h.Rows+1),
	}
	rd := bytes.NewReader(body)
	b := 0
	for first := true; rd.Len() > 0; first = false {
		d, err := binary.ReadUvarint(rd)
		if err != nil || (!first && d == 0) || d >= Buckets || b+int(d) >= Buckets {
			return nil, errors.New("learned model: bad weights")
		}
		b += int(d)
		if len(m.rows) > math.MaxUint16 {
			return nil, errors.New("learned model: bad weights")
		}
		var r row
		for k := 0; k < K; k++ {
			v, err := binary.ReadVarint(rd)
			if err != nil || v < math.MinInt16 || v > math.MaxInt16 {
				return nil, errors.New("learned model: bad weights")
			}
			r[k] = int16(v)
		}
		m.index[b] = uint16(len(m.rows))
		m.rows = append(m.rows, r)
	}
	m.prepare()
	return m, nil
}

// Equal reports whether two models give the same weights, within one step
// of their quantisation, and the same biases, scales and thresholds within
// tol: what the test that the committed model is the trained one needs,
// since floating point may differ in its last bits between machines.
func (m *Model) Equal(o *Model, tol float64) error {
	if len(m.Kinds) != len(o.Kinds) {
		return fmt.Errorf("kinds %v, %v", m.Kinds, o.Kinds)
	}
	for k := range m.Kinds {
		if m.Kinds[k] != o.Kinds[k] {
			return fmt.Errorf("kinds %v, %v", m.Kinds, o.Kinds)
		}
		for _, p := range [][2]float64{{m.Bias[k], o.Bias[k]}, {m.Scale[k], o.Scale[k]}, {m.Threshold[k], o.Threshold[k]}} {
			if math.Abs(p[0]-p[1]) > tol*math.Max(1, math.Abs(p[0])) {
				return fmt.Errorf("%s: bias, scale or threshold %v, %v", m.Kinds[k], p[0], p[1])
			}
		}
	}
	for b := 0; b < Buckets; b++ {
		var x, y row
		x, y = m.rows[m.index[b]], o.rows[o.index[b]]
		for k := range m.Kinds {
			if d := int(x[k]) - int(y[k]); d < -1 || d > 1 {
				return fmt.Errorf("bucket %d, %s: weight %d, %d", b, m.Kinds[k], x[k], y[k])
			}
		}
	}
	return nil
}
