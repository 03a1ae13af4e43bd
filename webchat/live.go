package webchat

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"signpost/internal/websec"
)

// hub keeps the event streams open on this replica, by visitor, and wakes
// them when their visitor's conversation has news.
type hub struct {
	mu     sync.Mutex
	conns  map[int64]map[chan struct{}]struct{}
	closed chan struct{}
	n      int
}

func newHub() *hub {
	return &hub{conns: map[int64]map[chan struct{}]struct{}{}, closed: make(chan struct{})}
}

// join registers a stream of user's; leave with the returned func.
func (h *hub) join(user int64) (chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	set := h.conns[user]
	if set == nil {
		set = map[chan struct{}]struct{}{}
		h.conns[user] = set
	}
	set[ch] = struct{}{}
	h.n++
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(set, ch)
		if len(set) == 0 {
			delete(h.conns, user)
		}
		h.n--
		h.mu.Unlock()
	}
}

// wake tells user's streams on this replica to look for news.
func (h *hub) wake(user int64) {
	h.mu.Lock()
	for ch := range h.conns[user] {
		select {
		case ch <- struct{}{}:
		default: // already told
		}
	}
	h.mu.Unlock()
}

func (h *hub) closeAll() {
	h.mu.Lock()
	select {
	case <-h.closed:
	default:
		close(h.closed)
	}
	h.mu.Unlock()
}

// Open is how many event streams this replica holds open now.
func (s *Server) Open() int {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.hub.n
}

// events streams a visitor's new lines to their open page (server-sent
// events): at once what is newer than the page has, then whatever comes,
// a link worker's message included, until the page closes. A comment every
// Heartbeat keeps proxies from closing a quiet stream; the browser
// reconnects by itself after a drop, saying which line it had.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	websec.NoStore(w)
	v := s.visitorOf(w, r, false)
	if v == nil {
		w.WriteHeader(http.StatusNoContent) // an event source stops asking
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "Streaming is not supported here.", http.StatusNotImplemented)
		return
	}
	after, _ := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	if q, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64); err == nil && q > after {
		after = q
	}
	ctx := r.Context()
	wake, leave := s.hub.join(v.id)
	defer leave()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no") // nginx: pass events on at once
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 1024)
	bw.WriteString("retry: 3000\n\n")
	bw.Flush()
	flusher.Flush()

	// Anything written while the page was loading, or a link worker's
	// message no delivery has shown yet.
	if _, err := s.deliver(ctx, v.id, nil, nil); err != nil {
		s.log.Warn("web chat: deliver on connect", "user", v.id, "err", err)
	}
	beat := time.NewTicker(s.cfg.Heartbeat)
	defer beat.Stop()
	send := func() bool {
		p, err := s.stored(ctx, v, after)
		if err != nil {
			return ctx.Err() == nil
		}
		if p.Seq <= after {
			return true
		}
		u, err := s.updateOf(p, false)
		if err != nil {
			return false
		}
		data, _ := json.Marshal(u)
		bw.WriteString("id: " + strconv.FormatInt(p.Seq, 10) + "\nevent: update\ndata: ")
		bw.Write(data)
		bw.WriteString("\n\n")
		if bw.Flush() != nil {
			return false
		}
		flusher.Flush()
		after = p.Seq
		return true
	}
	if !send() {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.hub.closed:
			return
		case <-wake:
			if !send() {
				return
			}
		case <-beat.C:
			bw.WriteString(": still here\n\n")
			if bw.Flush() != nil {
				return
			}
			flusher.Flush()
		}
	}
}
