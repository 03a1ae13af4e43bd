package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestTwentyThirdRoundDenials holds the phrases (read alone, without the
// learned reader) to three shapes of denial the phrases had read as
// disclosures: a form's heading of suicide or self-harm answered with a bare
// no, and a question reported and answered no in the writer's words (both
// `over` cues); a plan or an intention denied ("no plans to", "no intention
// of", now bridges, with each language's own where the shape applies); and
// the g dropped from a bridge ("not feelin suicidal"). Beside each, the
// disclosure in the same frame that must keep its alarm.
func TestTwentyThirdRoundDenials(t *testing.T) {
	su, sh := risk.Suicide, risk.SelfHarm
	runFindingCases(t, []engineCase{
		// A form's answer.
		{name: "check-in form, self-harm no", text: "weekly check in - sleep: poor. appetite: ok. urges to self harm: none", want: []risk.Kind{sh}, denied: true},
		{name: "check-in form, self-harm yes", text: "weekly check in - sleep: poor. urges to self harm: yes, most evenings", want: []risk.Kind{sh}},
		{name: "questionnaire answered not at all", text: "q9 thoughts that you would be better off dead, answer: not at all", want: []risk.Kind{su}, denied: true},
		{name: "questionnaire answered nearly every day", text: "q9 thoughts that you would be better off dead, answer: nearly every day", want: []risk.Kind{su}},
		{name: "Spanish form answered no", text: "ideas de suicidio: no", want: []risk.Kind{su}, denied: true},
		{name: "Spanish form answered yes", text: "ideas de suicidio: sí, todos los días", want: []risk.Kind{su}},
		{name: "Polish form answered never", text: "myśli samobójcze: nigdy", want: []risk.Kind{su}, denied: true},
		// A question reported and answered no.
		{name: "asked if, I don't", text: "the nurse asked me if i ever want to kill myself, i dont, i'm just tired", want: []risk.Kind{su}, denied: true},
		{name: "asked if, I don't know", text: "the nurse asked me if i ever want to kill myself and i dont know what to tell her", want: []risk.Kind{su}},
		// A plan or an intention denied.
		{name: "no plans to", text: "no plans to kill myself, just need to moan about the council", want: []risk.Kind{su}, denied: true},
		{name: "plans to", text: "i've made plans to kill myself on friday", want: []risk.Kind{su}},
		{name: "no intention of", text: "i have no intention of hurting myself, the doctor can relax", want: []risk.Kind{sh}, denied: true},
		{name: "Spanish no plans", text: "no tengo planes de matarme, solo quiero un trabajo", want: []risk.Kind{su}, denied: true},
		{name: "Spanish plans", text: "tengo planes de matarme esta semana", want: []risk.Kind{su}},
		{name: "Portuguese no intention", text: "não tenho nenhuma intenção de me matar", want: []risk.Kind{su}, denied: true},
		{name: "Portuguese plans", text: "tenho planos de me matar", want: []risk.Kind{su}},
		// The g dropped.
		{name: "not feelin suicidal", text: "im not feelin suicidal just skint", want: []risk.Kind{su}, denied: true},
		{name: "feelin suicidal", text: "been feelin suicidal all week", want: []risk.Kind{su}},
	})
}

// TestTwentyThirdRoundDistances holds the phrases to a place asked after or
// offered by how far away it is, which is no one on the way, beside someone
// minutes away, who is danger now.
func TestTwentyThirdRoundDistances(t *testing.T) {
	dn := risk.DangerNow
	runFindingCases(t, []engineCase{
		{name: "a group minutes away", text: "is there a knitting group about 15 mins away from me? i dont drive", want: nil},
		{name: "a food bank minutes away", text: "the closest food bank is 20 minutes away by bus", want: nil},
		{name: "anything minutes away", text: "anything within 10 mins walk would be great", want: nil},
		{name: "he is minutes away", text: "my ex just texted hes 10 mins away and hes coming round", want: []risk.Kind{dn}},
		{name: "asking where, he is minutes away", text: "is there anywhere open, hes 5 mins away", want: []risk.Kind{dn}},
	})
}
