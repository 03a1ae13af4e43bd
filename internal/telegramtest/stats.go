package telegramtest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"
)

// maxLogged bounds the request log and each chat's send times, so a long
// benchmark does not grow without limit; the oldest entries go first.
const maxLogged = 100_000

// Request is one Bot API call as the server answered it.
type Request struct {
	Method string
	ChatID int64 // the chat_id parameter, 0 if none
	At     time.Time
	// Status is the HTTP status sent; 0 for a dropped connection.
	Status     int
	RetryAfter int
	// Fault is true when an injected fault produced the answer.
	Fault bool
}

type callLog struct {
	counts   map[string]int
	requests []Request
	sends    map[int64][]time.Time
	replies  int // calls made from webhook answers
}

func (l *callLog) init() {
	l.counts = map[string]int{}
	l.sends = map[int64][]time.Time{}
}

func capped[T any](xs []T) []T {
	if len(xs) > maxLogged {
		return slices.Clone(xs[len(xs)-maxLogged/2:])
	}
	return xs
}

func (s *Server) countCall(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls.counts[method]++
	s.notifyLocked()
}

func (s *Server) logRequest(method string, chatID int64, e *apiError) {
	r := Request{Method: method, ChatID: chatID, At: s.now(), Status: 200}
	if e != nil {
		r.Status, r.RetryAfter = e.Code, e.RetryAfter
	}
	s.appendRequest(r)
}

func (s *Server) logFault(method string, chatID int64, status, retryAfter int) {
	s.appendRequest(Request{Method: method, ChatID: chatID, At: s.now(), Status: status, RetryAfter: retryAfter, Fault: true})
}

func (s *Server) appendRequest(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls.requests = capped(append(s.calls.requests, r))
	s.notifyLocked()
}

// recordSendLocked notes a message the bot sent, for SendTimes.
func (s *Server) recordSendLocked(chatID int64, at time.Time) {
	s.calls.sends[chatID] = capped(append(s.calls.sends[chatID], at))
}

// Calls counts the calls of method (its canonical spelling, such as
// "sendMessage") that reached the server with the right token, whatever
// their answer.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls.counts[method]
}

// CallCounts returns the count of calls for every method called.
func (s *Server) CallCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.calls.counts)
}

// Requests lists the calls answered, oldest first, including refusals and
// injected faults: enough to check that a client waited retry_after before
// trying again.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls.requests)
}

// SendTimes lists when each message the bot sent to the chat was accepted,
// oldest first, on the server clock: enough to check a sender never went
// over a rate.
func (s *Server) SendTimes(chatID int64) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls.sends[chatID])
}

// WaitCalls blocks until method has been called at least n times.
func (s *Server) WaitCalls(ctx context.Context, method string, n int) error {
	err := s.waitChange(ctx, func() bool { return s.calls.counts[method] >= n })
	if err != nil {
		return fmt.Errorf("wait for %d calls of %s: %w", n, method, err)
	}
	return nil
}

// MaxRate reports the most sends that fell within any window of length d
// in times, which must be sorted. A test compares it with the rate the
// sender under test promises.
func MaxRate(times []time.Time, d time.Duration) int {
	best, j := 0, 0
	for i := range times {
		for times[i].Sub(times[j]) >= d {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}
