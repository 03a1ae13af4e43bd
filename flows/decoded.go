package flows

import (
	"bytes"
	"sync"
	"unicode/utf8"
)

// decodedMax bounds the sessions a runner keeps decoded: a few thousand
// people in the middle of a conversation, a few kilobytes each.
const decodedMax = 4096

// decoded keeps, for the people whose sessions this runner committed last,
// the stored form it wrote and the session it encoded, so that their next
// event, which loads those same bytes, need not decode them again. A
// session is taken from it only when the bytes loaded are the bytes it
// wrote: whoever wrote them (another replica, the console), equal bytes
// decode to the same session, so what it gives is what decoding would.
// Step never changes the session it is given (it steps a clone), so one
// kept session may be handed out any number of times.
type decoded struct {
	mu sync.Mutex
	m  map[int64]decodedSession
}

type decodedSession struct {
	raw []byte
	s   Session
}

// get returns the session raw decodes to, if it is the one kept for user.
func (d *decoded) get(user int64, raw []byte) (Session, bool) {
	d.mu.Lock()
	e, ok := d.m[user]
	d.mu.Unlock()
	if !ok || !bytes.Equal(e.raw, raw) {
		return Session{}, false
	}
	return e.s, true
}

// put keeps s as what raw, its stored form, decodes to for user. An empty
// map or list decodes as none, and is kept so. A session with text that is
// not UTF-8, which encoding replaces, is not kept: the next event decodes
// it.
func (d *decoded) put(user int64, raw []byte, s Session) {
	if len(s.Answers) == 0 {
		s.Answers = nil
	}
	if len(s.History) == 0 {
		s.History = nil
	}
	if len(s.Picked) == 0 {
		s.Picked = nil
	}
	if !sessionUTF8(s) {
		d.drop(user)
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil {
		d.m = make(map[int64]decodedSession)
	}
	if _, ok := d.m[user]; !ok && len(d.m) >= decodedMax {
		for k := range d.m { // make room: any one will do
			delete(d.m, k)
			break
		}
	}
	d.m[user] = decodedSession{raw: raw, s: s}
}

// drop forgets user's session.
func (d *decoded) drop(user int64) {
	d.mu.Lock()
	delete(d.m, user)
	d.mu.Unlock()
}

// sessionUTF8 reports whether all of s's text is UTF-8.
func sessionUTF8(s Session) bool {
	for _, v := range [...]string{s.Run, s.Content, s.Flow, s.Node, s.Lang, s.Link} {
		if !utf8.ValidString(v) {
			return false
		}
	}
	for k, v := range s.Answers {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return false
		}
	}
	for _, v := range s.History {
		if !utf8.ValidString(v) {
			return false
		}
	}
	for _, v := range s.Picked {
		if !utf8.ValidString(v) {
			return false
		}
	}
	return true
}
