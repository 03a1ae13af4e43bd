package bot

import (
	"encoding/json"
	"testing"
)

// TestSentID holds the quick read of a sent message's id to what decoding
// the answer in full gives, and to leaving alone what it cannot read.
func TestSentID(t *testing.T) {
	for _, body := range []string{
		`{"ok":true,"result":{"message_id":42,"date":1,"chat":{"id":7,"type":"private"},"text":"Got m1."}}`,
		`{"ok":true,"result":{"message_id":7}}`,
		`{"ok":true,"result":{"message_id":0}}`,
		`{"ok":true,"result":{"message_id":007}}`,
		`{"ok":true,"result":{"message_id":12,"text":"unfinished`,
		`{"ok":true,"result":{"message_id":123456789012345678901,"date":1}}`,
		`{"ok":true,"result":{"message_id":-3}}`,
		`{"ok":true,"result":{"message_id":1.5}}`,
		`{"ok": true, "result": {"message_id": 9}}`,
		`{"result":{"message_id":9},"ok":true}`,
	} {
		id, ok := sentID([]byte(body))
		var a struct {
			OK     bool `json:"ok"`
			Result sent `json:"result"`
		}
		err := json.Unmarshal([]byte(body), &a)
		if ok && (err != nil || !a.OK || a.Result.ID != id) {
			t.Errorf("%s: read %d, decoded %d (ok %v, err %v)", body, id, a.Result.ID, a.OK, err)
		}
	}
	if id, ok := sentID([]byte(`{"ok":true,"result":{"message_id":42,"date":1}}`)); !ok || id != 42 {
		t.Errorf("the Bot API's answer: %d, %v", id, ok)
	}
}
