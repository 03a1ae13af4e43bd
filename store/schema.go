package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"signpost/flows"
)

// SchemaVersion is the layout of the data this build reads and writes:
//
//  1. the first releases, which stored no version: outboxes were found by
//     scanning the keyspace.
//  2. every outbox with entries is in the index of pending outboxes
//     (keyspace.pending), which the sender's sweep reads instead.
//  3. check-in event ids name the person by their Pseudonym, not their
//     Telegram id, in referrals' effect keys and the marks against repeats.
const SchemaVersion = 3

// ErrNewerSchema means the data was written by a newer build of signpost,
// whose layout this one does not know: it must not write there.
var ErrNewerSchema = errors.New("store: the data in Redis was written by a newer signpost")

// migrations[v] brings the data from version v to v+1.
var migrations = map[int]func(context.Context, *Store) error{
	1: indexOutboxes,
	2: pseudonymiseEvents,
}

// Migrate brings the data under the prefix to SchemaVersion, once: the
// first replica to start takes a lock and runs each step in turn; another
// starting meanwhile waits for it (up to five minutes). Every step can be
// run again safely, so a replica that dies midway leaves nothing broken.
// It returns the version the data had, and ErrNewerSchema for data of a
// newer build.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	deadline := time.Now().Add(5 * time.Minute)
	token := make([]byte, 8)
	rand.Read(token)
	owner := hex.EncodeToString(token)
	for {
		v, err := s.schemaVersion(ctx)
		if err != nil {
			return 0, err
		}
		switch {
		case v > SchemaVersion:
			return v, fmt.Errorf("%w (version %d; this build knows %d): upgrade this build", ErrNewerSchema, v, SchemaVersion)
		case v == SchemaVersion:
			return v, nil
		}
		got, err := s.rdb.SetNX(ctx, s.keys.schemaLock(), owner, 10*time.Minute).Result()
		if err != nil {
			return v, fmt.Errorf("migrate: %w", err)
		}
		if got {
			err := s.migrate(ctx, v)
			s.rdb.Del(context.WithoutCancel(ctx), s.keys.schemaLock())
			return v, err
		}
		if time.Now().After(deadline) {
			return v, errors.New("migrate: another replica has held the migration lock for five minutes")
		}
		select {
		case <-ctx.Done():
			return v, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// schemaVersion reads the stored version; none stored means 1.
func (s *Store) schemaVersion(ctx context.Context) (int, error) {
	raw, err := s.rdb.Get(ctx, s.keys.schema()).Result()
	if errors.Is(err, redis.Nil) {
		return 1, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	v, err := strconv.Atoi(raw)
	if err != nil {
		return 0, fmt.Errorf("schema version %q: %w", raw, err)
	}
	return v, nil
}

func (s *Store) migrate(ctx context.Context, from int) error {
	for v := from; v < SchemaVersion; v++ {
		step, ok := migrations[v]
		if !ok {
			return fmt.Errorf("migrate: no step from version %d", v)
		}
		if err := step(ctx, s); err != nil {
			return fmt.Errorf("migrate from version %d: %w", v, err)
		}
		if err := s.rdb.Set(ctx, s.keys.schema(), v+1, 0).Err(); err != nil {
			return fmt.Errorf("migrate: record version %d: %w", v+1, err)
		}
	}
	return nil
}

// indexOutboxes (1 to 2) puts every outbox holding entries in the index of
// pending outboxes, marked long ago so that the next sweep delivers them.
// It scans the keyspace of every master once.
func indexOutboxes(ctx context.Context, s *Store) error {
	keys, err := scanMasters(ctx, s.rdb, s.keys.outboxPattern())
	if err != nil {
		return err
	}
	pipe := s.rdb.Pipeline()
	for _, k := range keys {
		i, j := strings.Index(k, "{u:"), strings.Index(k, "}:")
		if i < 0 || j < i {
			continue
		}
		if id, err := strconv.ParseInt(k[i+3:j], 10, 64); err == nil {
			index := s.keys.pending()
			if flows.IsWeb(id) {
				index = s.keys.webPending()
			}
			pipe.ZAddNX(ctx, index, redis.Z{Score: 0, Member: id})
		}
		if pipe.Len() >= 500 {
			if _, err := pipe.Exec(ctx); err != nil {
				return err
			}
		}
	}
	if pipe.Len() > 0 {
		_, err = pipe.Exec(ctx)
	}
	return err
}
