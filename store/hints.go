package store

import (
	"slices"
	"sync"
)

// maxHinted bounds the people refHints remembers; past it, it starts
// afresh. A hint only saves a round trip, so forgetting one costs one.
const maxHinted = 1 << 16

// maxHintRefs is how many of a person's newest references are read ahead.
const maxHintRefs = 8

// refHints remembers, in this process, the references a person's last
// look at their referrals found, so that the next look reads those
// referrals' records in the same round trip as the person's index and
// session (see glance): their open case is then known without a second
// round trip. Only which keys to read is remembered, never what they held;
// a hint that is out of date costs the round trip it would have saved.
type refHints struct {
	mu sync.Mutex
	m  map[int64][]string
}

func newRefHints() *refHints { return &refHints{m: map[int64][]string{}} }

// get returns the references to read ahead for user.
func (h *refHints) get(user int64) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.m[user]
}

// set records user's references, newest first.
func (h *refHints) set(user int64, refs []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(refs) == 0 {
		delete(h.m, user)
		return
	}
	if _, ok := h.m[user]; !ok && len(h.m) >= maxHinted {
		clear(h.m)
	}
	h.m[user] = slices.Clone(refs[:min(len(refs), maxHintRefs)])
}

// add records a new reference of user's, as their newest.
func (h *refHints) add(user int64, ref string) {
	h.mu.Lock()
	old := h.m[user]
	h.mu.Unlock()
	if slices.Contains(old, ref) {
		return
	}
	h.set(user, append([]string{ref}, old...))
}

// drop forgets user.
func (h *refHints) drop(user int64) {
	h.mu.Lock()
	delete(h.m, user)
	h.mu.Unlock()
}
