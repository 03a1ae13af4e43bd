package flows

import (
	"bytes"
	"context"
	"errors"
	"time"
	"unicode/utf8"
)

// Errors a Store returns. They are sentinel values so that callers use errors.Is.
var (
	// ErrConflict means the session changed since it was loaded: reload and step again.
	ErrConflict = errors.New("flows: session changed since it was read")
	// ErrDuplicate means the update was already applied within the dedupe window.
	ErrDuplicate = errors.New("flows: update already applied")
)

// Record is a person's session as the store holds it: the encoded session and
// the version the store gave it. A person with no session has Version 0 and nil Data.
type Record struct {
	Data    []byte
	Version int64
}

// Commit is one atomic write of a step's outcome: the new session (or its
// erasure), the outbox entries to deliver, and the update that caused it.
type Commit struct {
	User int64
	// Version is the version that was loaded. The write happens only if the
	// stored version is still this one (0: no session may exist); otherwise
	// the store returns ErrConflict and writes nothing.
	Version int64
	// Session is the new encoded session. Nil erases every key of the person
	// (consent refused, /forget) before the outbox entries are appended.
	Session []byte
	// Erase erases every key of the person before Session is written afresh
	// (an under-17 ending keeps only that mark): the same as a nil Session
	// when Session is nil.
	Erase bool
	// Outbox entries are appended, in order, to the person's outbox in the
	// same atomic write.
	Outbox [][]byte
	// UpdateID, when non-zero, is remembered for the dedupe window; a commit
	// carrying an UpdateID already remembered returns ErrDuplicate and writes nothing.
	UpdateID int64
	// TTL is the idle expiry of the session and of the person's other keys;
	// zero means the store's default.
	TTL time.Duration
	// Lease, when its Owner is set, also leases the person's outbox to Owner
	// in the same write, so a sender can deliver what was just committed
	// without another round trip; the store fills Claimed.
	Lease   Lease
	Claimed *Claimed
	// Slots is how many sending slots to book with Lease.Book; zero books
	// none. Booked, when N is above zero, are slots an earlier try of the
	// same step booked, to be kept rather than booked again.
	Slots  int
	Booked Booked
	// Effects are the effects among Outbox, whose running the store may
	// prepare for by reading, in the commit's own round trip, what they
	// will read (see store.Commit).
	Effects []Effect
}

// Lease asks for the outbox to be leased to Owner for TTL, reading up to Max entries.
type Lease struct {
	Owner string
	TTL   time.Duration
	Max   int
	// Book, when set, books the sending slots of what the commit adds in
	// the same round trip as the commit, so that the sender need not
	// book them before it sends.
	Book *Booking
}

// Booking asks a commit for sending slots under two shared limits: the
// person's chat's and the overall one. A rate of zero books nothing under
// that limit.
type Booking struct {
	// Sends is how many sending slots the step's outbox entries take.
	Sends       func([]Out) int
	ChatRate    float64 // messages a second to the chat
	ChatBurst   int
	GlobalRate  float64 // messages a second in all
	GlobalBurst int
}

// Booked are the sending slots a commit booked, counted from At: slot i
// (from 0) may be used once both ChatOffset+i*ChatInterval and
// GlobalOffset+i*GlobalInterval have passed. N is how many; zero when
// nothing was booked.
type Booked struct {
	N                            int
	At                           time.Time
	ChatOffset, ChatInterval     time.Duration
	GlobalOffset, GlobalInterval time.Duration
	// Undo is what the store needs to give the slots back (see
	// Claimed.Booked); nothing else reads it.
	Undo []string
}

// Claimed is what a Commit with a Lease leased: the entries waiting, oldest
// first, and the sender's state kept beside them. OK is false when another
// owner holds the lease (it will deliver the entries).
type Claimed struct {
	Entries [][]byte
	State   map[string]string
	OK      bool
	// Booked are the slots booked for the entries (Lease.Book), when OK.
	// Those of a commit refused for a conflict are kept for the next try,
	// which books none of its own; those of a duplicate or of an outbox
	// another owner holds are given back.
	Booked Booked
	// Outs holds, where the runner has it, what Entries[i] decodes to: an
	// entry the commit itself wrote, which the runner encoded from the Out
	// it holds (nil where it has none). A delivery takes it rather than
	// decode the entry again.
	Outs []*Out
}

// decode fills c.Outs with the outs the commit wrote (written[i] is the
// stored form of outs[i]) for the entries it leased. An effect is left to
// be decoded: its answers and time are the delivery's own that way; so is
// an out with text that is not UTF-8, which encoding replaces.
func (c *Claimed) decode(written [][]byte, outs []Out) {
	if c == nil {
		return
	}
	c.Outs = nil
	if !c.OK || len(c.Entries) == 0 || len(written) != len(outs) {
		return
	}
	for i, e := range c.Entries {
		for j, w := range written {
			if outs[j].Effect == nil && bytes.Equal(e, w) && validOut(&outs[j]) {
				if c.Outs == nil {
					c.Outs = make([]*Out, len(c.Entries))
				}
				o := outs[j]
				c.Outs[i] = &o
				break
			}
		}
	}
}

// Store is what the runner needs from storage. store.Store implements it on Redis.
type Store interface {
	// Load returns the person's session record; a person with none gets a zero Record and no error.
	Load(ctx context.Context, user int64) (Record, error)
	// Commit writes c atomically and returns the new version.
	Commit(ctx context.Context, c Commit) (int64, error)
	// Pending returns the person's outbox entries not yet acknowledged, oldest first.
	Pending(ctx context.Context, user int64) ([][]byte, error)
	// Ack removes the first n entries of the person's outbox once they were delivered.
	Ack(ctx context.Context, user int64, n int) error
}

// ContentStore keeps the content bundles that sessions are pinned to, so that a
// session started on an older deployment can finish on the content it began with.
type ContentStore interface {
	// PutContent stores blob under version; storing an existing version is a no-op.
	PutContent(ctx context.Context, version string, blob []byte) error
	// GetContent returns the blob stored under version; a missing version returns an error wrapping ErrUnknownContent.
	GetContent(ctx context.Context, version string) ([]byte, error)
}

// ErrUnknownContent means a content version is not held by the content store.
var ErrUnknownContent = errors.New("flows: unknown content version")

// validOut reports whether all of o's text is UTF-8.
func validOut(o *Out) bool {
	for _, v := range [...]string{o.ID, o.Kind, o.Node, o.Text, o.Ref, o.Receipt} {
		if !utf8.ValidString(v) {
			return false
		}
	}
	for _, row := range o.Buttons {
		for _, b := range row {
			if !utf8.ValidString(b.Label) || !utf8.ValidString(b.Data) || !utf8.ValidString(b.URL) {
				return false
			}
		}
	}
	return true
}
