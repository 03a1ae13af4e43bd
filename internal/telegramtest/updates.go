package telegramtest

import (
	"context"
	"net/http"
	"slices"
	"time"
)

// updates is the bot's incoming queue and who is reading it.
type updates struct {
	// queue holds updates not yet confirmed, oldest first. A long poll
	// confirms by asking for a higher offset; a webhook by answering 2xx.
	queue  []Update
	nextID int64
	// allowed is the last allowed_updates a bot asked for; nil means
	// Telegram's default.
	allowed []string
	// poll is the getUpdates request currently waiting, if any.
	poll    *pollState
	webhook webhookState
}

func (u *updates) init() { u.nextID = 1 }

type pollState struct {
	terminated chan struct{} // closed when a newer getUpdates replaces it
}

// defaultExcluded are the update kinds Telegram leaves out unless a bot
// names them in allowed_updates.
var defaultExcluded = []string{"chat_member", "message_reaction", "message_reaction_count"}

// enqueueLocked gives u the next update_id and queues it, unless the bot's
// allowed_updates leaves its kind out. Telegram filters when the update is
// created, so changing allowed_updates does not touch what is queued.
func (s *Server) enqueueLocked(u Update) {
	kind := u.kind()
	if len(s.updates.allowed) > 0 {
		if !slices.Contains(s.updates.allowed, kind) {
			return
		}
	} else if slices.Contains(defaultExcluded, kind) {
		return
	}
	u.UpdateID = s.updates.nextID
	s.updates.nextID++
	s.updates.queue = append(s.updates.queue, u)
	s.notifyLocked()
}

// confirmLocked forgets updates as getUpdates' offset says: a positive
// offset confirms every update below it; a negative one keeps only the last
// -offset updates.
func (s *Server) confirmLocked(offset int64) {
	q := s.updates.queue
	switch {
	case offset > 0:
		i := 0
		for i < len(q) && q[i].UpdateID < offset {
			i++
		}
		s.updates.queue = q[i:]
	case offset < 0:
		if keep := int(-offset); keep < len(q) {
			s.updates.queue = q[len(q)-keep:]
		}
	}
}

// getUpdates answers at once when updates wait, otherwise holds the request
// up to timeout seconds. A newer getUpdates for the token ends the waiting
// one with 409, which is how Telegram tells two running instances apart.
func (s *Server) getUpdates(r *http.Request, p params) (any, *apiError) {
	// Telegram accepts 1-100 and reads anything else as its default, 100.
	limit := int(p.int64("limit"))
	if limit < 1 || limit > 100 {
		limit = 100
	}
	timeout := time.Duration(max(p.int64("timeout"), 0)) * time.Second

	var allowed []string
	if p.has("allowed_updates") {
		if err := p.decode("allowed_updates", &allowed); err != nil {
			return nil, badRequest(err.Error())
		}
		if allowed == nil {
			allowed = []string{}
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.updates.webhook.url != "" {
		return nil, conflict(msgWebhookActive)
	}
	if allowed != nil {
		s.updates.allowed = allowed
	}
	s.confirmLocked(p.int64("offset"))
	if prev := s.updates.poll; prev != nil {
		close(prev.terminated)
	}
	me := &pollState{terminated: make(chan struct{})}
	s.updates.poll = me
	s.notifyLocked() // WaitPolling watches for this
	defer func() {
		if s.updates.poll == me {
			s.updates.poll = nil
		}
	}()

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		if s.updates.webhook.url != "" {
			return nil, conflict(msgWebhookActive)
		}
		if s.updates.poll != me {
			return nil, conflict(msgOtherGetUpdates)
		}
		if n := min(limit, len(s.updates.queue)); n > 0 || timeout == 0 {
			return slices.Clone(s.updates.queue[:n]), nil
		}
		ch := s.changed
		s.mu.Unlock()
		var ended bool
		select {
		case <-ch:
		case <-me.terminated:
		case <-timer.C:
			ended = true
		case <-r.Context().Done():
			ended = true
		case <-s.done:
			ended = true
		}
		s.mu.Lock()
		if ended {
			return []Update{}, nil
		}
	}
}

// PendingUpdates returns the updates queued and not yet confirmed by the
// bot, oldest first.
func (s *Server) PendingUpdates() []Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.updates.queue)
}

// WaitPolling blocks until a getUpdates request is waiting for updates, so
// a test knows the bot under test has started. It returns ctx's error if
// ctx ends first.
func (s *Server) WaitPolling(ctx context.Context) error {
	return s.waitChange(ctx, func() bool { return s.updates.poll != nil })
}
