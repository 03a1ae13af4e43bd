package telegramtest

import (
	"net/http"
	"strings"
	"time"
)

// Fault makes the server misbehave on purpose for some calls, so a test can
// show the bot copes: 429 with retry_after, 5xx, 403, slow answers, or a
// connection closed without an answer.
type Fault struct {
	// Method is the Bot API method affected, in any case. Empty means every
	// method except getUpdates: a bot polls all the time, and a fault meant
	// for its sends would otherwise be spent on a poll.
	Method string
	// ChatID limits the fault to calls naming this chat_id; 0 means any.
	ChatID int64
	// Times is how many calls the fault affects: 0 means one, a negative
	// number means every call until ClearFaults.
	Times int
	// Status is the HTTP status and error_code to answer with; 0 answers
	// normally (useful with Delay alone).
	Status int
	// Description is the error text; empty means Telegram's usual one for
	// Status.
	Description string
	// RetryAfter is sent as parameters.retry_after, for Status 429.
	RetryAfter int
	// Delay holds the answer this long first.
	Delay time.Duration
	// Drop closes the connection without any answer.
	Drop bool
}

type faultState struct {
	Fault
	left int // calls still affected; negative means unlimited
}

// AddFault arms f. Faults are tried in the order added; the first that
// matches a call is used and counted down.
func (s *Server) AddFault(f Fault) {
	left := f.Times
	if left == 0 {
		left = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultState{Fault: f, left: left})
}

// ClearFaults disarms every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// TooManyRequests answers the next n calls of method with 429 and
// retry_after seconds.
func (s *Server) TooManyRequests(method string, n, retryAfter int) {
	s.AddFault(Fault{Method: method, Times: n, Status: http.StatusTooManyRequests, RetryAfter: retryAfter})
}

// FailNext answers the next n calls of method with status, such as 500 or 403.
func (s *Server) FailNext(method string, n, status int) {
	s.AddFault(Fault{Method: method, Times: n, Status: status})
}

// DelayNext holds the next n calls of method for d before answering normally.
func (s *Server) DelayNext(method string, n int, d time.Duration) {
	s.AddFault(Fault{Method: method, Times: n, Delay: d})
}

// DropNext closes the connection of the next n calls of method unanswered.
func (s *Server) DropNext(method string, n int) {
	s.AddFault(Fault{Method: method, Times: n, Drop: true})
}

// takeFault finds and counts down the first fault matching the call.
func (s *Server) takeFault(method string, chatID int64) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method == "" && method == "getUpdates" {
			continue
		}
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if f.ChatID != 0 && f.ChatID != chatID {
			continue
		}
		if f.left > 0 {
			f.left--
			if f.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return f.Fault, true
	}
	return Fault{}, false
}

// applyFault carries out a matching fault. It reports true when it has
// answered (or dropped) the call, false when the call should proceed.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, method string, chatID int64) bool {
	f, ok := s.takeFault(method, chatID)
	if !ok {
		return false
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true
		case <-s.done:
			return true
		}
	}
	if f.Drop {
		s.logFault(method, chatID, 0, 0)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler) // closes the connection when hijacking is not possible
	}
	if f.Status == 0 {
		return false
	}
	if f.Status == http.StatusTooManyRequests && f.RetryAfter <= 0 {
		f.RetryAfter = 1 // Telegram never sends 429 without retry_after
	}
	e := &apiError{Code: f.Status, Description: f.Description, RetryAfter: f.RetryAfter}
	if e.Description == "" {
		e.Description = defaultDescription(f.Status)
		if f.Status == http.StatusTooManyRequests {
			e.Description = tooManyRequests(f.RetryAfter).Description
		}
	}
	s.logFault(method, chatID, f.Status, f.RetryAfter)
	writeError(w, e)
	return true
}
