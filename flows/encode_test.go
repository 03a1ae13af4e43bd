package flows

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// trickyStrings are strings encoding/json escapes or replaces in every way
// it does.
var trickyStrings = []string{
	"", "a", "hello there", "Hi <b>&</b> \"quoted\" \\ back", "line\nbreak\ttab\r\b\f\x00\x1f\x7f",
	"café ☕ 👋", "bad \xff utf8 \xc3", "sep \u2028 and \u2029", "\xed\xa0\x80 surrogate",
	"n:yes", "R-7K3QX", "gp_F86001",
}

// fill sets v (settable) to a random value of its type, reaching every
// field of every struct, so a field added to Session, Out, Button or Effect
// is compared too.
func fill(t *testing.T, r *rand.Rand, v reflect.Value) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		switch r.IntN(4) {
		case 0: // zero, left out
		case 1:
			v.Set(reflect.ValueOf(time.UnixMilli(r.Int64N(1 << 42)).UTC()))
		case 2:
			v.Set(reflect.ValueOf(time.Unix(r.Int64N(1<<31), r.Int64N(1e9)).In(time.FixedZone("x", 3600))))
		case 3:
			v.Set(reflect.ValueOf(time.Date(1+r.IntN(12000), 1, 1, 0, 0, 0, 0, time.UTC)))
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		s := trickyStrings[r.IntN(len(trickyStrings))]
		if r.IntN(3) == 0 {
			s += trickyStrings[r.IntN(len(trickyStrings))]
		}
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int64:
		switch r.IntN(4) {
		case 0:
			v.SetInt(0)
		case 1:
			v.SetInt(-r.Int64N(1 << 40))
		default:
			v.SetInt(r.Int64())
		}
	case reflect.Pointer:
		if r.IntN(3) > 0 {
			p := reflect.New(v.Type().Elem())
			fill(t, r, p.Elem())
			v.Set(p)
		}
	case reflect.Slice:
		switch r.IntN(4) {
		case 0: // nil
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			s := reflect.MakeSlice(v.Type(), 1+r.IntN(4), 5)
			for i := range s.Len() {
				fill(t, r, s.Index(i))
			}
			v.Set(s)
		}
	case reflect.Map:
		switch r.IntN(4) {
		case 0: // nil
		case 1:
			v.Set(reflect.MakeMap(v.Type()))
		default:
			m := reflect.MakeMap(v.Type())
			for range 1 + r.IntN(20) {
				k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				fill(t, r, k)
				fill(t, r, e)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(t, r, v.Field(i))
		}
	default:
		t.Fatalf("fill: no random value of %s", v.Type())
	}
}

func TestEncodeMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 5000 {
		var s Session
		fill(t, r, reflect.ValueOf(&s).Elem())
		got, err := s.Encode()
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("session %d %+v:\n got %s\nwant %s", i, s, got, want)
		}
		back, err := DecodeSession(got)
		if err != nil {
			t.Fatal(err)
		}
		// Read back, invalid UTF-8 has become U+FFFD itself.
		again, _ := back.Encode()
		if want, _ := json.Marshal(back); !bytes.Equal(again, want) {
			t.Fatalf("session %d read back and written again:\n got %s\nwant %s", i, again, want)
		}

		var o Out
		fill(t, r, reflect.ValueOf(&o).Elem())
		got, gerr := EncodeOut(&o)
		want, werr := json.Marshal(o)
		if (gerr == nil) != (werr == nil) || (gerr != nil && gerr.Error() != werr.Error()) {
			t.Fatalf("out %d %+v: error %v, encoding/json's %v", i, o, gerr, werr)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("out %d %+v:\n got %s\nwant %s", i, o, got, want)
		}
	}
}

// TestEncodeOutsApart checks the outbox entries written into one buffer
// stay apart: each is its own entry, and changing one leaves the others.
func TestEncodeOutsApart(t *testing.T) {
	outs := []Out{
		{ID: "a", Kind: OutMessage, Text: "first <one>", Buttons: [][]Button{{{Label: "Yes", Data: "y"}}}},
		{ID: "b", Kind: OutEffect, Effect: &Effect{Kind: EffectUrgent, Key: "k", User: 7, Risks: []string{"suicide"}, Checkin: time.UnixMilli(1700000000123).UTC()}},
		{ID: "c", Kind: OutToast, Text: "done"},
	}
	enc, err := encodeOuts(outs)
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) != len(outs) {
		t.Fatalf("%d entries for %d outs", len(enc), len(outs))
	}
	for i := range outs {
		want, _ := json.Marshal(outs[i])
		if !bytes.Equal(enc[i], want) {
			t.Fatalf("entry %d: got %s want %s", i, enc[i], want)
		}
	}
	enc[0] = append(enc[0], "xyz"...)
	if want, _ := json.Marshal(outs[1]); !bytes.Equal(enc[1], want) {
		t.Fatalf("appending to the first entry changed the second: %s", enc[1])
	}
	if enc, err := encodeOuts(nil); err != nil || enc != nil {
		t.Fatalf("no outs: %v %v", enc, err)
	}
}

func FuzzEncode(f *testing.F) {
	f.Add("run1", "node", "key", "value", "label", "n:yes", "", int64(5), int64(0), true)
	f.Add("a\u2028<&>\xff", "", "\x00", "\xc3", "l\x01", "", "https://x?a=1&b=2", int64(-1), int64(1<<62), false)
	f.Fuzz(func(t *testing.T, run, node, key, value, label, data, url string, user, n int64, flag bool) {
		s := Session{User: user, Run: run, Node: node, Lang: label, Consent: flag, Done: !flag, Seq: n, Updated: -n,
			Answers: map[string]string{key: value, value: key, run: ""}, History: []string{node, key}, Picked: []string{data}}
		got, _ := s.Encode()
		if want, _ := json.Marshal(s); !bytes.Equal(got, want) {
			t.Fatalf("session:\n got %s\nwant %s", got, want)
		}
		o := Out{ID: run, Kind: key, Node: node, Text: value, Buttons: [][]Button{{{Label: label, Data: data, URL: url}}, nil},
			Ref: data, Receipt: url}
		if flag {
			o.Effect = &Effect{Kind: key, Key: value, User: user, Text: label, Answers: map[string]string{key: value},
				Risks: []string{data}, Unsafe: true, Checkin: time.UnixMilli(n % (1 << 40))}
		}
		got, gerr := EncodeOut(&o)
		want, werr := json.Marshal(o)
		if (gerr == nil) != (werr == nil) || !bytes.Equal(got, want) {
			t.Fatalf("out:\n got %s %v\nwant %s %v", got, gerr, want, werr)
		}
	})
}

func BenchmarkEncode(b *testing.B) {
	s := Session{User: 123456789, Run: "r8f3k2", Content: "c1a2b3c4", Flow: "self_referral", Node: "wellbeing_happy", Lang: "en",
		Link: "gp_F86001", Consent: true, Answers: map[string]string{"name": "Sam", "age": "26_64", "matters": "Getting out more and meeting people",
			"needs": "lonely,meeting", "heard": "gp"}, History: []string{"consent", "name", "age", "matters", "needs", "heard"},
		Seq: 7, Started: 1764560000000, Updated: 1764560042000}
	outs := []Out{
		{ID: "r8f3k2.7.0", Kind: OutClose, Node: "heard", Text: "My GP"},
		{ID: "r8f3k2.7.1", Kind: OutMessage, Node: "wellbeing_happy", Text: "Overall, how happy did you feel yesterday? 0 is not at all, 10 is completely.",
			Buttons: [][]Button{{{Label: "0", Data: "r8f3k2|wh|0"}, {Label: "1", Data: "r8f3k2|wh|1"}, {Label: "2", Data: "r8f3k2|wh|2"}}, {{Label: "Skip", Data: "r8f3k2|wh|skip"}}}},
	}
	b.Run("session/encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			json.Marshal(s)
		}
	})
	b.Run("session/written", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.Encode()
		}
	})
	b.Run("outs/encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, o := range outs {
				json.Marshal(o)
			}
		}
	})
	b.Run("outs/written", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			encodeOuts(outs)
		}
	})
}
