package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestTwentyFirstRoundSomaliClasses holds the Somali phrases (read alone,
// without the learned reader) to the twentieth round's classes of ordinary
// talk, left out of that round and written again by the shape of the figure
// of speech, and to the twenty-first round's, each in wordings of our own: a
// parent, a sibling or a boss (never a partner) who "will kill me" when she
// sees my marks, my hair or a bill, finds out I skipped school or left work,
// if I fail an exam, or for a thing of theirs I broke or lost; "I'll kill
// myself" if a named team loses; "kama" before a verb of thinking, a denial
// (the gentle answer); thinking of not waking up; someone else's papers held,
// someone else with nowhere to sleep; "she hit me" told of a woman. Beside them the disclosures that share
// the words and must still be heard: a husband, the police, a knife, a
// pregnancy found out, "if he leaves me", "I won't go back on it".
func TestTwentyFirstRoundSomaliClasses(t *testing.T) {
	oi, dn, su, ca, da, ex := risk.Overdose, risk.DangerNow, risk.Suicide, risk.ChildAbuse, risk.DomesticAbuse, risk.Exploitation
	se := risk.SomeoneElse
	runFindingCases(t, []engineCase{
		// A parent, a sibling or a boss who "will kill me" over a mischief of mine.
		{name: "dad when he sees my marks", text: "aabahay wuu i dili doonaa markuu arko darajooyinkayga", want: nil},
		{name: "mum if she finds out I skipped school", text: "hooyaday way i dili doontaa haddii ay ogaato inaan iskuulka ka maqnaa", want: nil},
		{name: "mum when she sees the bill", text: "hooyo way i dili doontaa markay aragto biilka korontada", want: nil},
		{name: "a sister's phone broken", text: "walaashay way i dili doontaa, taleefankeeda ayaan jebiyay", want: nil},
		{name: "a brother's bike lost", text: "walaalkay wuu i dili doonaa, baaskiilkiisa ayaan lumiyay", want: nil},
		{name: "dad if I fail the exam", text: "aabe wuu i dili doonaa haddii aan imtixaanka ku dhaco", want: nil},
		{name: "if I fail, dad after", text: "haddii aan imtixaanka ku dhaco aabahay wuu i dili doonaa", want: nil},
		{name: "if a named team loses", text: "Liverpool haddii ay guuleysan waydo waan is dilayaa haha", want: nil},
		// ... and beside them what must still be heard.
		{name: "a husband when he sees my hair", text: "ninkayga wuu i dili doonaa markuu arko timahayga", want: []risk.Kind{dn, da}},
		{name: "dad, for going to the police", text: "aabahay wuu i dili doonaa haddii uu ogaado inaan booliska u sheegay", want: []risk.Kind{dn, ca}},
		{name: "dad, a knife", text: "aabahay wuu i dili doonaa, mindi ayuu sitaa", want: []risk.Kind{dn, ca}},
		{name: "dad, a phone broken and a knife", text: "aabahay wuu i dili doonaa, taleefankiisa ayaan jebiyay, mindi ayuu sitaa", want: []risk.Kind{dn}},
		{name: "mum, if she finds out I am pregnant", text: "hooyaday way i dili doontaa haddii ay ogaato inaan uur leeyahay", want: []risk.Kind{ca}},
		{name: "if he leaves me", text: "haddii uu iga tago waan is dilayaa", want: []risk.Kind{su}},
		// "kama" before a verb of thinking is a denial; before another verb it is not.
		{name: "not thinking of killing myself", text: "is dilid kama fekerayo, waxaan u baahanahay caawimaad kirada", want: []risk.Kind{su}, denied: true},
		{name: "I won't go back on it", text: "waan is dilayaa kama noqonayo", want: []risk.Kind{su}},
		// Thinking of not waking up.
		{name: "every night I think of not waking", text: "habeen walba waxaan ku fikiraa inaanan toosin", want: []risk.Kind{su}},
		{name: "mum, her pills swallowed", text: "hooyaday way i dili doontaa, kiniinadeeda oo dhan ayaan cunay", want: []risk.Kind{oi, ca}},
		{name: "dad, when he comes to my room", text: "aabahay wuu i dili doonaa markuu yimaado qolkayga", want: []risk.Kind{dn, ca}},
		{name: "mum, a job left, and she hit me yesterday", text: "hooyaday way i dili doontaa haddii ay ogaato inaan shaqada ka tagay, shalay ayay i garaacday", want: []risk.Kind{da}},
		{name: "she hit me yesterday, I am 15", text: "shalay ayay i garaacday, 15 jir baan ahay", want: []risk.Kind{ca, da}},
		{name: "the ball hit me at play", text: "kubadda ayaa i garaacday markaan ciyaarayay", want: []risk.Kind{da}, denied: true},
		{name: "to sleep in tomorrow", text: "berri waxaan rabaa inaanan toosin ilaa duhurka", want: nil},
		// Someone else's papers held; someone else with nowhere to sleep.
		{name: "a girl's passport held", text: "gabar shaqada ah baasaboorkeeda ayuu haystaa, mushahar ma siiyo", want: []risk.Kind{ex, se}},
		{name: "a friend with nowhere to sleep", text: "saaxiibkay caawa meel uu seexdo ma leh", want: []risk.Kind{se}},
		{name: "my passport held", text: "baasaboorkayga ayuu haystaa oo lacag ima siiyo", want: []risk.Kind{ex}},
	})
}
