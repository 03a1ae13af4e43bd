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

	"signpost/scheduler"
)

var _ scheduler.Storage = (*Schedules)(nil)

// Schedules keeps check-in enrolments, the check-in and reminder queues and
// check-in histories; it implements scheduler.Storage. Get one from
// Store.Schedules.
type Schedules struct {
	rdb     redis.UniversalClient
	keys    keyspace
	cluster bool // as Store's
}

// Schedules returns the schedule storage on s's client and prefix.
func (s *Store) Schedules() *Schedules {
	return &Schedules{rdb: s.rdb, keys: s.keys, cluster: s.cluster}
}

// encodeEnrolment writes e in its short form, "<flags><kind><day>,<from>,<to>"
// and ",<paused until, Unix seconds>" when paused: "0w2,600,720" is the default
// Tuesday 10:00-12:00. flags is one digit, 1 for stopped plus 2 for blocked, so
// that a script tells an active enrolment by its first byte being "0".
func encodeEnrolment(e scheduler.Enrolment) string {
	flags := 0
	if e.Stopped {
		flags++
	}
	if e.Blocked {
		flags += 2
	}
	var b strings.Builder
	b.WriteString(strconv.Itoa(flags))
	b.WriteString("w") // scheduler.KindWeekly, the only kind
	b.WriteString(strconv.Itoa(int(e.Day)))
	b.WriteByte(',')
	b.WriteString(strconv.Itoa(int(e.Window.From)))
	b.WriteByte(',')
	b.WriteString(strconv.Itoa(int(e.Window.To)))
	if !e.PausedUntil.IsZero() {
		b.WriteByte(',')
		b.WriteString(strconv.FormatInt(e.PausedUntil.Unix(), 10))
	}
	return b.String()
}

// decodeEnrolment reads the short form back.
func decodeEnrolment(v string) (scheduler.Enrolment, error) {
	if len(v) < 3 || v[1] != 'w' {
		return scheduler.Enrolment{}, fmt.Errorf("enrolment %q: bad header", v)
	}
	flags := int(v[0] - '0')
	parts := strings.Split(v[2:], ",")
	if flags < 0 || flags > 3 || len(parts) < 3 || len(parts) > 4 {
		return scheduler.Enrolment{}, fmt.Errorf("enrolment %q: bad form", v)
	}
	n := make([]int64, len(parts))
	for i, p := range parts {
		x, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return scheduler.Enrolment{}, fmt.Errorf("enrolment %q: %w", v, err)
		}
		n[i] = x
	}
	e := scheduler.Enrolment{
		Kind:    scheduler.KindWeekly,
		Day:     time.Weekday(n[0]),
		Window:  scheduler.Window{From: scheduler.TimeOfDay(n[1]), To: scheduler.TimeOfDay(n[2])},
		Stopped: flags&1 != 0,
		Blocked: flags&2 != 0,
	}
	if len(n) == 4 {
		e.PausedUntil = time.Unix(n[3], 0).UTC()
	}
	return e, nil
}

// Enrolment returns the person's enrolment and queued check-in in one round
// trip, or scheduler.ErrNotEnrolled.
func (s *Schedules) Enrolment(ctx context.Context, user int64) (scheduler.Enrolment, time.Time, error) {
	id := strconv.FormatInt(user, 10)
	var (
		get   *redis.StringCmd
		score *redis.FloatCmd
	)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		get = p.HGet(ctx, s.keys.schedEnrol(), id)
		score = p.ZScore(ctx, s.keys.schedDue(), id)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return scheduler.Enrolment{}, time.Time{}, fmt.Errorf("enrolment %d: %w", user, err)
	}
	v, err := get.Result()
	if errors.Is(err, redis.Nil) {
		return scheduler.Enrolment{}, time.Time{}, scheduler.ErrNotEnrolled
	}
	e, err := decodeEnrolment(v)
	if err != nil {
		return scheduler.Enrolment{}, time.Time{}, err
	}
	var next time.Time
	if ms, err := score.Result(); err == nil {
		next = time.UnixMilli(int64(ms)).UTC()
	}
	return e, next, nil
}

// Enrolments reads the enrolments of users with one HMGET. Values that
// cannot be read are left out, as if the person were not enrolled: their
// check-in is dropped rather than sent on a guess.
func (s *Schedules) Enrolments(ctx context.Context, users []int64) (map[int64]scheduler.Enrolment, error) {
	out := make(map[int64]scheduler.Enrolment, len(users))
	if len(users) == 0 {
		return out, nil
	}
	fields := make([]string, len(users))
	for i, u := range users {
		fields[i] = strconv.FormatInt(u, 10)
	}
	vals, err := s.rdb.HMGet(ctx, s.keys.schedEnrol(), fields...).Result()
	if err != nil {
		return nil, fmt.Errorf("enrolments: %w", err)
	}
	for i, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue
		}
		if e, err := decodeEnrolment(str); err == nil {
			out[users[i]] = e
		}
	}
	return out, nil
}

// PutEnrolment stores e and queues the person's check-in at next (or takes it
// out of the queue when next is zero) in one MULTI/EXEC.
func (s *Schedules) PutEnrolment(ctx context.Context, user int64, e scheduler.Enrolment, next time.Time) error {
	id := strconv.FormatInt(user, 10)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, s.keys.schedEnrol(), id, encodeEnrolment(e))
		if next.IsZero() {
			p.ZRem(ctx, s.keys.schedDue(), id)
		} else {
			p.ZAdd(ctx, s.keys.schedDue(), redis.Z{Score: float64(next.UnixMilli()), Member: id})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put enrolment %d: %w", user, err)
	}
	return nil
}

// DeleteSchedule removes the person's enrolment, queued check-in and
// reminder, and the leases of any being sent, in one MULTI/EXEC, then their
// history, which lives in their own slot. An item being sent at that moment
// is not queued again: its completion finds no enrolment. Without its lease
// a replica that stopped mid-send leaves nothing that names the person to
// come back to the queue.
func (s *Schedules) DeleteSchedule(ctx context.Context, user int64) error {
	id := strconv.FormatInt(user, 10)
	leases := map[string][]string{}
	for _, k := range []string{s.keys.schedLeased(), s.keys.remindLeased()} {
		// ZSCAN gives member and score in turn.
		it := s.rdb.ZScan(ctx, k, 0, id+":*", 0).Iterator()
		for i := 0; it.Next(ctx); i++ {
			if i%2 == 0 {
				leases[k] = append(leases[k], it.Val())
			}
		}
		if err := it.Err(); err != nil {
			return fmt.Errorf("delete schedule %d: %w", user, err)
		}
	}
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HDel(ctx, s.keys.schedEnrol(), id)
		p.ZRem(ctx, s.keys.schedDue(), id)
		p.ZRem(ctx, s.keys.remindDue(), id)
		for k, ms := range leases {
			for _, m := range ms {
				p.ZRem(ctx, k, m)
			}
		}
		return nil
	})
	if err == nil {
		err = s.rdb.Del(ctx, s.keys.checkins(user)).Err()
	}
	if err != nil {
		return fmt.Errorf("delete schedule %d: %w", user, err)
	}
	return nil
}

// Claim takes what is due at now from both queues in one script run.
func (s *Schedules) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]scheduler.Claim, error) {
	keys := []string{s.keys.schedDue(), s.keys.schedLeased(), s.keys.remindDue(), s.keys.remindLeased()}
	res, err := schedClaimScript.Run(ctx, s.rdb, keys, now.UnixMilli(), limit, millis(lease)).Slice()
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	if len(res) != 2 {
		return nil, fmt.Errorf("claim: %d results, want 2", len(res))
	}
	var out []scheduler.Claim
	for q, reminder := range []bool{false, true} {
		flat, _ := res[q].([]any)
		for i := 0; i+1 < len(flat); i += 2 {
			user, err1 := strconv.ParseInt(fmt.Sprint(flat[i]), 10, 64)
			ms, err2 := strconv.ParseFloat(fmt.Sprint(flat[i+1]), 64)
			if err := errors.Join(err1, err2); err != nil {
				return out, fmt.Errorf("claim: %w", err)
			}
			out = append(out, scheduler.Claim{User: user, At: time.UnixMilli(int64(ms)).UTC(), Reminder: reminder})
		}
	}
	return out, nil
}

// Complete finishes a claimed item and queues the next, in one script run.
func (s *Schedules) Complete(ctx context.Context, c scheduler.Claim, next time.Time) error {
	keys := []string{s.keys.schedDue(), s.keys.schedLeased(), s.keys.schedEnrol()}
	needActive := "1"
	if c.Reminder {
		keys[0], keys[1] = s.keys.remindDue(), s.keys.remindLeased()
		needActive = "0"
	}
	var nextMS int64
	if !next.IsZero() {
		nextMS = next.UnixMilli()
	}
	err := schedCompleteScript.Run(ctx, s.rdb, keys, c.User, c.At.UnixMilli(), nextMS, needActive).Err()
	if err != nil {
		return fmt.Errorf("complete %d: %w", c.User, err)
	}
	return nil
}

// Remind queues the person's reminder at at, replacing an earlier one.
func (s *Schedules) Remind(ctx context.Context, user int64, at time.Time) error {
	z := redis.Z{Score: float64(at.UnixMilli()), Member: strconv.FormatInt(user, 10)}
	if err := s.rdb.ZAdd(ctx, s.keys.remindDue(), z).Err(); err != nil {
		return fmt.Errorf("remind %d: %w", user, err)
	}
	return nil
}

// CancelReminder takes the person's reminder out of the queue.
func (s *Schedules) CancelReminder(ctx context.Context, user int64) error {
	key, id := s.keys.remindDue(), strconv.FormatInt(user, 10)
	if !s.cluster && later(ctx, func(ctx context.Context, p redis.Pipeliner) { p.ZRem(ctx, key, id) }) {
		return nil // with the work's next round trip (see later.go)
	}
	if err := s.rdb.ZRem(ctx, s.keys.remindDue(), strconv.FormatInt(user, 10)).Err(); err != nil {
		return fmt.Errorf("cancel reminder %d: %w", user, err)
	}
	return nil
}

// entryJSON is an Entry as stored: short names, instants in Unix ms.
type entryJSON struct {
	At         int64  `json:"t"`
	Form       string `json:"f"`
	Status     string `json:"s"`
	Nudge      bool   `json:"n,omitempty"`
	Mood       string `json:"m,omitempty"`
	Loneliness []int  `json:"l,omitempty"`
	Text       string `json:"x,omitempty"`
	Crisis     bool   `json:"c,omitempty"`
	AnsweredAt int64  `json:"a,omitempty"`
}

// History returns the person's check-ins, oldest first.
func (s *Schedules) History(ctx context.Context, user int64) ([]scheduler.Entry, error) {
	vals, err := s.rdb.ZRange(ctx, s.keys.checkins(user), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("history %d: %w", user, err)
	}
	out := make([]scheduler.Entry, 0, len(vals))
	for _, v := range vals {
		var j entryJSON
		if err := json.Unmarshal([]byte(v), &j); err != nil {
			return nil, fmt.Errorf("history %d: %w", user, err)
		}
		e := scheduler.Entry{
			At: time.UnixMilli(j.At).UTC(), Form: scheduler.Form(j.Form), Status: scheduler.Status(j.Status),
			Nudge: j.Nudge, Mood: scheduler.Mood(j.Mood), Loneliness: j.Loneliness, Text: j.Text, Crisis: j.Crisis,
		}
		if j.AnsweredAt != 0 {
			e.AnsweredAt = time.UnixMilli(j.AnsweredAt).UTC()
		}
		out = append(out, e)
	}
	return out, nil
}

// PutEntry records e in the person's history in one script run.
func (s *Schedules) PutEntry(ctx context.Context, user int64, e scheduler.Entry, replace bool, keep int, ttl time.Duration) (bool, error) {
	j := entryJSON{
		At: e.At.UnixMilli(), Form: string(e.Form), Status: string(e.Status), Nudge: e.Nudge,
		Mood: string(e.Mood), Loneliness: e.Loneliness, Text: e.Text, Crisis: e.Crisis,
	}
	if !e.AnsweredAt.IsZero() {
		j.AnsweredAt = e.AnsweredAt.UnixMilli()
	}
	data, err := json.Marshal(j)
	if err != nil {
		return false, err
	}
	n, err := checkinPutScript.Run(ctx, s.rdb, []string{s.keys.checkins(user)},
		j.At, data, boolArg(replace), keep, millis(ttl)).Int()
	if err != nil {
		return false, fmt.Errorf("put history entry %d: %w", user, err)
	}
	return n == 1, nil
}
