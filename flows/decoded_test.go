package flows

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestDecodedIsWhatDecodingGives holds a kept session to what decoding its
// stored form gives, and keeps none whose stored form would differ.
func TestDecodedIsWhatDecodingGives(t *testing.T) {
	for _, s := range []Session{
		{User: 1},
		{User: 2, Run: "r", Flow: "self_referral", Node: "name", Answers: map[string]string{}, History: []string{}, Picked: []string{}},
		{User: 3, Run: "r", Node: "needs", Lang: "en", Consent: true, Answers: map[string]string{"name": "Ann <&> \u2028", "age": "30"},
			History: []string{"name", "age"}, Picked: []string{"housing"}, Seq: 4, Started: 5, Updated: 6, Checkin: 7, Safety: true},
	} {
		raw, err := s.Encode()
		if err != nil {
			t.Fatal(err)
		}
		var d decoded
		d.put(s.User, raw, s)
		got, ok := d.get(s.User, raw)
		if !ok {
			t.Fatalf("%d: not kept", s.User)
		}
		want, err := DecodeSession(raw)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("kept %#v, decoded %#v", got, want)
		}
		r := &Runner{}
		r.decoded.put(s.User, raw, s)
		if got, err := r.Decode(s.User, raw); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Decode gave %#v (%v), decoded %#v", got, err, want)
		}
		if _, ok := d.get(s.User, append(raw[:len(raw):len(raw)], ' ')); ok {
			t.Errorf("%d: kept for other bytes", s.User)
		}
		if _, ok := d.get(s.User+100, raw); ok {
			t.Errorf("%d: kept for someone else", s.User)
		}
	}
	bad := Session{User: 9, Answers: map[string]string{"name": "\xff"}}
	raw, _ := bad.Encode()
	var d decoded
	d.put(9, raw, bad)
	if _, ok := d.get(9, raw); ok {
		t.Error("a session that is not UTF-8 was kept")
	}
}

// TestClaimedOuts holds the outs a commit hands its delivery to what
// decoding the entries gives.
func TestClaimedOuts(t *testing.T) {
	outs := []Out{
		{ID: "a", Kind: OutMessage, Node: "n", Text: "Hello <b>", Buttons: [][]Button{{{Label: "Yes", Data: "r|n|y"}}}},
		{ID: "b", Kind: OutEffect, Effect: &Effect{Kind: "x", Key: "k"}},
		{ID: "c", Kind: OutClose, Node: "n", Text: "yes"},
		{ID: "d", Kind: OutMessage, Text: "\xff"},
	}
	var written [][]byte
	for _, o := range outs {
		raw, err := jsonMarshal(o)
		if err != nil {
			t.Fatal(err)
		}
		written = append(written, raw)
	}
	c := Claimed{OK: true, Entries: append([][]byte{[]byte(`{"id":"old","k":"message","t":"before"}`)}, written...)}
	c.decode(written, outs)
	if len(c.Outs) != len(c.Entries) {
		t.Fatalf("%d outs for %d entries", len(c.Outs), len(c.Entries))
	}
	for i, o := range c.Outs {
		switch i {
		case 0, 2, 4: // an entry of before, the effect, the text that is not UTF-8
			if o != nil {
				t.Errorf("entry %d: given %+v", i, o)
			}
			continue
		}
		want, err := decodeOut(c.Entries[i])
		if err != nil {
			t.Fatal(err)
		}
		if o == nil || !reflect.DeepEqual(*o, want) {
			t.Errorf("entry %d: given %+v, decoded %+v", i, o, want)
		}
	}
}

func jsonMarshal(o Out) ([]byte, error) { return json.Marshal(o) }

func decodeOut(raw []byte) (Out, error) {
	var o Out
	err := json.Unmarshal(raw, &o)
	return o, err
}
