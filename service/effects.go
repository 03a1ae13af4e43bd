package service

import (
	"context"

	"signpost/content"
	"signpost/flows"
	"signpost/handoff"
)

// effects runs what a conversation sets in motion, at least once per effect:
// each kind goes to the part of signpost that owns it, and what casework
// asks for in return is delivered. Every part makes a repeat a no-op.
type effects struct{ s *Service }

// Run routes one effect.
func (e *effects) Run(ctx context.Context, eff flows.Effect) error {
	s := e.s
	var ns handoff.Notices
	var err error
	switch eff.Kind {
	case flows.EffectProfile:
		fields := map[string]string{"lang": eff.Lang}
		for k, v := range eff.Answers {
			fields[k] = v
		}
		return s.st.SetProfile(ctx, eff.User, fields)
	case content.ActionReferral:
		_, ns, err = s.desk.Create(ctx, eff)
	case flows.EffectUrgent:
		_, ns, err = s.desk.Flag(ctx, eff)
	case content.ActionTalk:
		_, ns, err = s.desk.RequestTalk(ctx, eff)
	case flows.EffectAddServices:
		_, ns, err = s.desk.AddServices(ctx, eff)
	case content.ActionFollowUp:
		_, ns, err = s.desk.RecordFollowUp(ctx, eff)
	case content.ActionCheckins, content.ActionCheckinAnswer, content.ActionCheckinSettings,
		flows.EffectRemindLater, flows.EffectFinished, flows.EffectErased:
		return s.checkinEffect(ctx, eff)
	case flows.EffectLinkWeb:
		return s.linkWeb(ctx, eff)
	default:
		s.log.Info("effect", "kind", eff.Kind, "user", eff.User, "key", eff.Key)
		return nil
	}
	if err != nil {
		return err
	}
	return s.Deliver(ctx, ns)
}
