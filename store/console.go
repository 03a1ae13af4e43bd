package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/console"
)

var _ console.Store = (*Store)(nil)

// oidcTTL is how long a council account stays linked to a worker after it
// was last used to sign in: a worker who has left stops using it, and the
// link then goes on its own, as their record among the known workers does
// (see DropWorkers).
const oidcTTL = 180 * 24 * time.Hour

// PutSession stores a signed-in session for idle, and files it under its
// worker so that signing out everywhere finds it. The worker's list of
// sessions lives as long as their latest session (Session renews both) and
// loses the sessions that expired each time one is added.
func (s *Store) PutSession(ctx context.Context, id string, sess console.Session, idle time.Duration) error {
	b, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	set := s.keys.consoleSessions(sess.Worker.ID)
	dead, err := s.deadSessions(ctx, set)
	if err != nil {
		return fmt.Errorf("put console session: %w", err)
	}
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.keys.consoleSession(id), b, idle)
		if len(dead) > 0 {
			p.SRem(ctx, set, dead...)
		}
		p.SAdd(ctx, set, hashed(id))
		p.Expire(ctx, set, idle)
		return nil
	})
	if err != nil {
		return fmt.Errorf("put console session: %w", err)
	}
	return nil
}

// deadSessions returns the members of a worker's list of sessions whose
// session has expired.
func (s *Store) deadSessions(ctx context.Context, set string) ([]any, error) {
	hs, err := s.rdb.SMembers(ctx, set).Result()
	if err != nil || len(hs) == 0 {
		return nil, err
	}
	prefix := strings.TrimSuffix(s.keys.consoleSession(""), hashed(""))
	p := s.rdb.Pipeline()
	exists := make([]*redis.IntCmd, len(hs))
	for i, h := range hs {
		exists[i] = p.Exists(ctx, prefix+h)
	}
	if _, err := p.Exec(ctx); err != nil {
		return nil, err
	}
	var dead []any
	for i, e := range exists {
		if e.Val() == 0 {
			dead = append(dead, hs[i])
		}
	}
	return dead, nil
}

// Session returns the session id names and gives it idle again; ok is false
// for a session that expired, was signed out or never was.
func (s *Store) Session(ctx context.Context, id string, idle time.Duration) (console.Session, bool, error) {
	b, err := s.rdb.GetEx(ctx, s.keys.consoleSession(id), idle).Bytes()
	if errors.Is(err, redis.Nil) {
		return console.Session{}, false, nil
	}
	if err != nil {
		return console.Session{}, false, fmt.Errorf("console session: %w", err)
	}
	var sess console.Session
	if err := json.Unmarshal(b, &sess); err != nil {
		return console.Session{}, false, nil
	}
	// The worker's list of sessions must outlive this one, now renewed.
	if err := s.rdb.Expire(ctx, s.keys.consoleSessions(sess.Worker.ID), idle).Err(); err != nil {
		return console.Session{}, false, fmt.Errorf("console session: %w", err)
	}
	return sess, true, nil
}

// DeleteSession signs one session out.
func (s *Store) DeleteSession(ctx context.Context, id string, worker int64) error {
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, s.keys.consoleSession(id))
		p.SRem(ctx, s.keys.consoleSessions(worker), hashed(id))
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete console session: %w", err)
	}
	return nil
}

// DeleteWorkerSessions signs a worker out everywhere and returns how many
// sessions that ended.
func (s *Store) DeleteWorkerSessions(ctx context.Context, worker int64) (int, error) {
	set := s.keys.consoleSessions(worker)
	ids, err := s.rdb.SMembers(ctx, set).Result()
	if err != nil {
		return 0, fmt.Errorf("sessions of %d: %w", worker, err)
	}
	prefix := strings.TrimSuffix(s.keys.consoleSession(""), hashed(""))
	keys := []string{set}
	for _, h := range ids {
		keys = append(keys, prefix+h)
	}
	n, err := s.rdb.Del(ctx, keys...).Result()
	if err != nil {
		return 0, fmt.Errorf("sessions of %d: %w", worker, err)
	}
	return int(max(n-1, 0)), nil
}

// PutLink stores a one-time sign-in link for ttl.
func (s *Store) PutLink(ctx context.Context, token string, l console.Link, ttl time.Duration) error {
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	if err := s.rdb.Set(ctx, s.keys.consoleLink(token), b, ttl).Err(); err != nil {
		return fmt.Errorf("put sign-in link: %w", err)
	}
	return nil
}

// TakeLink takes a sign-in link once: of two takers at once, one gets it.
func (s *Store) TakeLink(ctx context.Context, token string) (console.Link, bool, error) {
	b, err := s.rdb.GetDel(ctx, s.keys.consoleLink(token)).Bytes()
	if errors.Is(err, redis.Nil) {
		return console.Link{}, false, nil
	}
	if err != nil {
		return console.Link{}, false, fmt.Errorf("take sign-in link: %w", err)
	}
	var l console.Link
	if err := json.Unmarshal(b, &l); err != nil {
		return console.Link{}, false, nil
	}
	return l, true, nil
}

// PutOIDCWorker records that the OpenID subject signs in as worker, for
// oidcTTL; every sign-in with it renews that.
func (s *Store) PutOIDCWorker(ctx context.Context, subject string, worker int64) error {
	if err := s.rdb.Set(ctx, s.keys.consoleOIDC(subject), worker, oidcTTL).Err(); err != nil {
		return fmt.Errorf("link council account: %w", err)
	}
	return nil
}

// OIDCWorker returns the worker an OpenID subject signs in as, and keeps
// the link for oidcTTL from now.
func (s *Store) OIDCWorker(ctx context.Context, subject string) (int64, bool, error) {
	v, err := s.rdb.GetEx(ctx, s.keys.consoleOIDC(subject), oidcTTL).Result()
	if errors.Is(err, redis.Nil) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("council account: %w", err)
	}
	id, err := strconv.ParseInt(v, 10, 64)
	return id, err == nil, nil
}
