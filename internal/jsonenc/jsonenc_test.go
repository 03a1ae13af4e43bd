package jsonenc

import (
	"bytes"
	"encoding/json"
	"testing"
)

var strs = []string{
	"", "plain", "Hi <b>&</b> \"quoted\" \\ back", "line\nbreak\ttab\r\b\f\x00\x1f\x7f",
	"café ☕ 👋", "bad \xff utf8 \xc3", "sep \u2028 and \u2029", "\xed\xa0\x80 surrogate",
}

func TestMatchesEncodingJSON(t *testing.T) {
	m := map[string]string{}
	for _, s := range strs {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("string %q: got %s want %s", s, got, want)
		}
		m[s] = s + "!"
	}
	for _, v := range []any{strs, []string(nil), []string{}, m, map[string]string(nil), map[string]string{}} {
		want, _ := json.Marshal(v)
		var got []byte
		switch v := v.(type) {
		case []string:
			got = AppendStrings(nil, v)
		case map[string]string:
			got = AppendStringMap(nil, v)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%#v: got %s want %s", v, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range strs {
		f.Add(s, "k")
	}
	f.Fuzz(func(t *testing.T, s, k string) {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("got %s want %s", got, want)
		}
		m := map[string]string{s: k, k: s, s + k: ""}
		want, _ = json.Marshal(m)
		if got := AppendStringMap(nil, m); !bytes.Equal(got, want) {
			t.Fatalf("map: got %s want %s", got, want)
		}
	})
}
