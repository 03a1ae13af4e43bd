// Package flows is the conversation engine: it runs flows defined as data
// (package content) one event at a time. Step is pure: the same bundle,
// session, event and time give the same result. The Runner around it loads a
// session, steps it and commits the outcome atomically through a Store; it is
// shared by the terminal chat and the Telegram bot, which differ only in how
// they render what comes out.
package flows

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
)

// Session is one person's place in a conversation, and their answers. It is
// kept small: it is stored as JSON in one Redis key and read on every event.
type Session struct {
	User int64 `json:"u"`
	// Run identifies one walk through a flow; /start after the end and
	// /restart begin a new one. Buttons carry it so stale ones are refused.
	Run string `json:"r,omitempty"`
	// Content is the version of the content bundle the run is pinned to.
	Content string `json:"c,omitempty"`
	Flow    string `json:"f,omitempty"`
	// Node is the question waiting for an answer; empty when no run is active.
	Node string `json:"n,omitempty"`
	Lang string `json:"l,omitempty"`
	// Link is the deep-link payload the person arrived with (gp_F86001):
	// where they came from, kept across /restart.
	Link    string            `json:"g,omitempty"`
	Consent bool              `json:"k,omitempty"`
	Answers map[string]string `json:"a,omitempty"`
	// History holds the questions asked in this run, for /back.
	History []string `json:"h,omitempty"`
	// Picked holds the options ticked so far in a multiple choice.
	Picked []string `json:"p,omitempty"`
	// Editing is set while the person changes an answer from the summary.
	Editing bool `json:"e,omitempty"`
	// Done is set when the run reached an end node.
	Done bool `json:"d,omitempty"`
	// Reopened is set while the suggestions are shown again after the end (/groups).
	Reopened bool `json:"o,omitempty"`
	// Checkin is the instant, Unix milliseconds, the scheduled check-in this
	// run answers was due; zero for any other run.
	Checkin int64 `json:"w,omitempty"`
	// Safety is set while "are you safe right now?", asked after a risk
	// response, waits for its answer.
	Safety bool `json:"sf,omitempty"`
	// Hold is set when the message that held risk was also the answer to
	// the open question: it is recorded, and the flow moves on from that
	// question once the safety question is answered.
	Hold bool `json:"hd,omitempty"`
	// Young marks a person who said they are under 17. Nothing else of
	// theirs is kept; the adult conversation does not start again on its
	// own, and what they write is still read for risk.
	Young bool `json:"yg,omitempty"`
	// Seq counts the events applied to this session.
	Seq     int64 `json:"q,omitempty"`
	Started int64 `json:"s,omitempty"`
	Updated int64 `json:"t,omitempty"`
}

// Active reports whether a run is waiting for the person's answer.
func (s *Session) Active() bool { return s.Node != "" }

// Encode returns the stored form of s: what json.Marshal returns for it,
// written by hand (appendSession).
func (s Session) Encode() ([]byte, error) {
	n := 192 + len(s.Run) + len(s.Content) + len(s.Flow) + len(s.Node) + len(s.Lang) + len(s.Link)
	for k, v := range s.Answers {
		n += len(k) + len(v) + 6
	}
	for _, h := range s.History {
		n += len(h) + 3
	}
	for _, p := range s.Picked {
		n += len(p) + 3
	}
	return appendSession(make([]byte, 0, n), &s), nil
}

// DecodeSession reads the stored form of a session.
func DecodeSession(data []byte) (Session, error) {
	var s Session
	if err := json.Unmarshal(data, &s); err != nil {
		return Session{}, fmt.Errorf("decode session: %w", err)
	}
	return s, nil
}

func (s Session) clone() Session {
	c := s
	c.Answers = copyMap(s.Answers)
	c.History = append([]string(nil), s.History...)
	c.Picked = append([]string(nil), s.Picked...)
	return c
}

// refAlphabet leaves out 0, 1, I and O, which are easy to mishear or misread.
const refAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// Ref is the short reference of a run, one people can read aloud on the
// phone, such as R-7K3QX. It is derived from the run, so every repeat of a
// run's effects names the same referral.
func Ref(run string) string {
	if run == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(run))
	b := []byte("R-")
	for i := 0; i < 5; i++ {
		b = append(b, refAlphabet[sum[i]%32])
	}
	return string(b)
}
