package flows

import (
	"encoding/json"
	"reflect"
	"strconv"
	"time"

	"signpost/internal/jsonenc"
)

// The stored forms of a session and of an outbox entry are written by hand,
// byte for byte what encoding/json makes of them (TestEncodeMatchesEncodingJSON
// and FuzzEncode hold them to that): both are written on every step.

// appendSession writes s as encoding/json writes a Session.
func appendSession(b []byte, s *Session) []byte {
	b = append(b, `{"u":`...)
	b = strconv.AppendInt(b, s.User, 10)
	b = appendStringField(b, `,"r":`, s.Run)
	b = appendStringField(b, `,"c":`, s.Content)
	b = appendStringField(b, `,"f":`, s.Flow)
	b = appendStringField(b, `,"n":`, s.Node)
	b = appendStringField(b, `,"l":`, s.Lang)
	b = appendStringField(b, `,"g":`, s.Link)
	b = appendBoolField(b, `,"k":true`, s.Consent)
	if len(s.Answers) > 0 {
		b = append(b, `,"a":`...)
		b = jsonenc.AppendStringMap(b, s.Answers)
	}
	b = appendStringsField(b, `,"h":`, s.History)
	b = appendStringsField(b, `,"p":`, s.Picked)
	b = appendBoolField(b, `,"e":true`, s.Editing)
	b = appendBoolField(b, `,"d":true`, s.Done)
	b = appendBoolField(b, `,"o":true`, s.Reopened)
	b = appendIntField(b, `,"w":`, s.Checkin)
	b = appendBoolField(b, `,"sf":true`, s.Safety)
	b = appendBoolField(b, `,"hd":true`, s.Hold)
	b = appendBoolField(b, `,"yg":true`, s.Young)
	b = appendIntField(b, `,"q":`, s.Seq)
	b = appendIntField(b, `,"s":`, s.Started)
	b = appendIntField(b, `,"t":`, s.Updated)
	return append(b, '}')
}

// EncodeOut returns the stored form of an outbox entry, what json.Marshal
// returns for it.
func EncodeOut(o *Out) ([]byte, error) {
	return appendOut(make([]byte, 0, outSize(o)), o)
}

// outSize is about the length of o written, escapes apart.
func outSize(o *Out) int {
	n := 64 + len(o.ID) + len(o.Node) + len(o.Text) + len(o.Ref) + len(o.Receipt)
	for _, row := range o.Buttons {
		for _, btn := range row {
			n += 24 + len(btn.Label) + len(btn.Data) + len(btn.URL)
		}
	}
	if o.Effect != nil {
		n += 256 + len(o.Effect.Text)
	}
	return n
}

// appendOut writes o as encoding/json writes an Out. Its only error is
// that of an effect's check-in time out of JSON's range of years, as
// encoding/json's.
func appendOut(b []byte, o *Out) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = jsonenc.AppendString(b, o.ID)
	b = append(b, `,"k":`...)
	b = jsonenc.AppendString(b, o.Kind)
	b = appendStringField(b, `,"n":`, o.Node)
	b = appendStringField(b, `,"t":`, o.Text)
	if len(o.Buttons) > 0 {
		b = append(b, `,"b":[`...)
		for i, row := range o.Buttons {
			if i > 0 {
				b = append(b, ',')
			}
			if row == nil {
				b = append(b, "null"...)
				continue
			}
			b = append(b, '[')
			for j := range row {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"l":`...)
				b = jsonenc.AppendString(b, row[j].Label)
				b = appendStringField(b, `,"d":`, row[j].Data)
				b = appendStringField(b, `,"u":`, row[j].URL)
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	if o.Effect != nil {
		b = append(b, `,"e":`...)
		var err error
		if b, err = appendEffect(b, o.Effect); err != nil {
			return nil, err
		}
	}
	b = appendStringField(b, `,"r":`, o.Ref)
	b = appendStringField(b, `,"rc":`, o.Receipt)
	return append(b, '}'), nil
}

func appendEffect(b []byte, e *Effect) ([]byte, error) {
	b = append(b, `{"kind":`...)
	b = jsonenc.AppendString(b, e.Kind)
	b = append(b, `,"key":`...)
	b = jsonenc.AppendString(b, e.Key)
	b = append(b, `,"user":`...)
	b = strconv.AppendInt(b, e.User, 10)
	b = appendStringField(b, `,"run":`, e.Run)
	b = appendStringField(b, `,"ref":`, e.Ref)
	b = appendStringField(b, `,"lang":`, e.Lang)
	b = appendBoolField(b, `,"consent":true`, e.Consent)
	if len(e.Answers) > 0 {
		b = append(b, `,"answers":`...)
		b = jsonenc.AppendStringMap(b, e.Answers)
	}
	b = appendStringField(b, `,"text":`, e.Text)
	b = appendStringsField(b, `,"risks":`, e.Risks)
	b = appendStringsField(b, `,"learned":`, e.Learned)
	b = appendBoolField(b, `,"unsafe":true`, e.Unsafe)
	b = appendBoolField(b, `,"young":true`, e.Young)
	b = appendStringsField(b, `,"services":`, e.Services)
	if !e.Checkin.IsZero() {
		t, err := e.Checkin.MarshalJSON()
		if err != nil {
			return nil, &json.MarshalerError{Type: reflect.TypeFor[time.Time](), Err: err}
		}
		b = append(b, `,"checkin":`...)
		b = append(b, t...)
	}
	return append(b, '}'), nil
}

// appendStringField writes an omitempty string field: name is its comma,
// key and colon.
func appendStringField(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	return jsonenc.AppendString(append(b, name...), s)
}

// appendStringsField writes an omitempty []string field.
func appendStringsField(b []byte, name string, ss []string) []byte {
	if len(ss) == 0 {
		return b
	}
	return jsonenc.AppendStrings(append(b, name...), ss)
}

// appendIntField writes an omitempty int64 field.
func appendIntField(b []byte, name string, n int64) []byte {
	if n == 0 {
		return b
	}
	return strconv.AppendInt(append(b, name...), n, 10)
}

// appendBoolField writes an omitempty bool field: field is all of it,
// comma to true.
func appendBoolField(b []byte, field string, v bool) []byte {
	if !v {
		return b
	}
	return append(b, field...)
}
