package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"signpost/bot"
	"signpost/content"
	"signpost/flows"
	"signpost/handoff"
	"signpost/store"
)

// Settings of the link workers' side that are not worth an environment
// variable; tests change them before serve starts.
var (
	// reminderTick is how often serve looks for unclaimed referrals to post
	// again. The desk decides which are due; a tick only asks.
	reminderTick = time.Minute
	// reminderClock is the time reminders are due against.
	reminderClock = time.Now
	// memberFor is how long a user Telegram reported as a member of a team's
	// group is trusted without asking again. Only a yes is remembered, so a
	// worker just added is let in at once.
	memberFor = time.Minute
)

// linkWorkers is the link workers' side of serve: the desk, its groups in
// Telegram, the effects that feed it and the reminders that nag it.
type linkWorkers struct {
	desk    *handoff.Desk
	groups  *bot.LinkWorkers
	effects *referralEffects
	members *memberCache
	log     *slog.Logger

	cancel context.CancelFunc
	done   sync.WaitGroup
}

// newLinkWorkers builds the desk on st. The bot is not made yet: start gives
// it, for membership checks.
func newLinkWorkers(cfg *serveConfig, st *store.Store, bundle *content.Bundle, log *slog.Logger) *linkWorkers {
	lw := &linkWorkers{log: log, members: &memberCache{until: map[int64]time.Time{}}}
	for _, chat := range []int64{cfg.LinkWorkerChat, cfg.LeavingCare} {
		if chat != 0 {
			lw.members.chats = append(lw.members.chats, chat)
		}
	}
	// The bot itself acts for a person who ends contact and reads referrals
	// to draw their cards; its id is the number the token starts with, and
	// no person has it.
	self := botIDOf(cfg.Token)
	ids := append([]int64{self}, cfg.LinkWorkerIDs...)
	auth := handoff.NewAuthoriser(ids, lw.members.check)
	lw.desk = handoff.New(st, auth, handoff.Config{
		LinkWorkerChat:  cfg.LinkWorkerChat,
		LeavingCareChat: cfg.LeavingCare,
		Location:        cfg.Location,
		Logger:          log,
	})
	lw.groups = bot.NewLinkWorkers(lw.desk, bot.LinkWorkersConfig{
		Active: func(ctx context.Context, user int64) (bool, error) {
			rec, err := st.Load(ctx, user)
			if err != nil || rec.Data == nil {
				return false, err
			}
			s, err := flows.DecodeSession(rec.Data)
			if err != nil {
				return false, fmt.Errorf("session of %d: %w", user, err)
			}
			return s.Active(), nil
		},
		Crisis: bundle.IsCrisis,
		Text:   bundle.Text,
		Logger: log,
	})
	lw.effects = &referralEffects{desk: lw.desk, groups: lw.groups, log: log}
	return lw
}

// botIDOf is the bot's user id, the number before the colon of its token.
func botIDOf(token string) int64 {
	var id int64
	fmt.Sscanf(token, "%d:", &id)
	return id
}

// start lets membership be asked of Telegram through b and starts the
// reminders; stop ends them.
func (lw *linkWorkers) start(ctx context.Context, b *bot.Bot) {
	lw.members.mu.Lock()
	lw.members.ask = b.IsMember
	lw.members.mu.Unlock()
	ctx, lw.cancel = context.WithCancel(ctx)
	lw.done.Add(1)
	go func() {
		defer lw.done.Done()
		lw.remind(ctx)
	}()
}

func (lw *linkWorkers) stop() {
	if lw.cancel != nil {
		lw.cancel()
	}
	lw.done.Wait()
}

// remind posts again the cards nobody has claimed in time, at start (a
// restart catches up) and then every tick. Any number of replicas may do
// this: the desk gives each due referral to one of them.
func (lw *linkWorkers) remind(ctx context.Context) {
	t := time.NewTicker(reminderTick)
	defer t.Stop()
	for {
		rs, err := lw.desk.DueReminders(ctx, reminderClock())
		if err != nil && ctx.Err() == nil {
			lw.log.Warn("due reminders", "err", err)
		}
		for _, r := range rs {
			if err := lw.groups.Remind(ctx, r); err != nil {
				lw.log.Warn("post reminder", "ref", r.Ref, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// referralEffects runs the effects that concern referrals. Each runs at least
// once; the desk makes a repeat a no-op and the cards are posted once.
type referralEffects struct {
	desk   *handoff.Desk
	groups *bot.LinkWorkers
	log    *slog.Logger
}

func (e *referralEffects) Run(ctx context.Context, eff flows.Effect) error {
	switch eff.Kind {
	case content.ActionReferral:
		r, created, err := e.desk.Create(ctx, eff)
		if err != nil {
			return err
		}
		if created && eff.Ref != "" && r.Ref != eff.Ref {
			if err := e.groups.NewRef(ctx, r); err != nil {
				return err
			}
		}
		return e.groups.Show(ctx, r)
	case flows.EffectUrgent:
		r, created, err := e.desk.Flag(ctx, eff)
		if err != nil {
			return err
		}
		if created {
			return e.groups.Show(ctx, r)
		}
		return e.groups.Urgent(ctx, r)
	case flows.EffectAddServices:
		// The person's open referral, rather than the reference of the run,
		// which another referral may hold if the run's was taken.
		ref, ok, err := e.desk.OpenCaseOf(ctx, eff.User)
		if err != nil || !ok {
			return err
		}
		var r handoff.Referral
		for _, s := range eff.Services {
			if r, err = e.desk.AddService(ctx, ref, s); err != nil {
				return err
			}
		}
		if r.Ref == "" {
			return nil
		}
		return e.groups.Show(ctx, r)
	}
	e.log.Info("effect", "kind", eff.Kind, "user", eff.User, "key", eff.Key)
	return nil
}

// memberCache asks Telegram whether a user belongs to a team's group and
// remembers a yes for a while, so a busy group does not ask on every press.
type memberCache struct {
	chats []int64
	ask   func(ctx context.Context, chat, user int64) (bool, error)

	mu    sync.Mutex
	until map[int64]time.Time
}

func (m *memberCache) check(ctx context.Context, user int64) (bool, error) {
	m.mu.Lock()
	ok := time.Now().Before(m.until[user])
	ask := m.ask
	m.mu.Unlock()
	if ok {
		return true, nil
	}
	if ask == nil {
		return false, nil
	}
	// A failure to ask about one group (the bot not in it yet) does not
	// keep out a member of the other.
	var firstErr error
	for _, chat := range m.chats {
		member, err := ask(ctx, chat, user)
		if err != nil {
			firstErr = cmpOr(firstErr, err)
			continue
		}
		if member {
			m.mu.Lock()
			m.until[user] = time.Now().Add(memberFor)
			m.mu.Unlock()
			return true, nil
		}
	}
	return false, firstErr
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
