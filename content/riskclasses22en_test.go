package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestTwentySecondRoundEnglishClasses holds the English phrases (read alone,
// without the learned reader) to the classes of risk told indirectly that the
// training set of indirect telling showed, each in wordings of its own rather
// than the set's: not expecting to be around for a thing to come, holding on
// no longer, things given away and debts paid for closure, goodbyes said as if
// the last, a pet provided for if something happens soon, disappointed still
// to be here, a date kept in mind; another's signs (acting as if already gone,
// a name changed to a last log-in, blades found in their things); self-harm
// told by its acts and its hiding; images held over someone for money; a
// partner who must not know where I moved. Beside them the ordinary messages
// that must stay quiet: a holiday, a move, a phone dying, grief, a date for a
// wedding, giving clothes to charity, new cuts to benefits, a bumped head.
func TestTwentySecondRoundEnglishClasses(t *testing.T) {
	su, sh, se, ca, sv := risk.Suicide, risk.SelfHarm, risk.SomeoneElse, risk.ChildAbuse, risk.SexualViolence
	da, ex, od := risk.DomesticAbuse, risk.Exploitation, risk.Overdose
	dn, nt := risk.DangerNow, risk.NowhereTonight
	_, _, _, _, _, _, _, _, _, _ = su, sh, se, ca, sv, da, ex, od, dn, nt
	runFindingCases(t, []engineCase{
		// Not around for a thing to come.
		{name: "not around for the review", text: "i doubt ill still be around for my review in march so dont bother booking it", want: []risk.Kind{su}},
		{name: "not around for the meeting, on holiday", text: "i dont think ill be around for the meeting next week, im away on holiday", want: nil},
		// Holding on no longer; tired of fighting.
		{name: "can't hang on any longer", text: "i cant hang on any longer, everyone would cope", want: []risk.Kind{su}},
		{name: "done fighting", text: "im so tired of fighting to stay alive", want: []risk.Kind{su}},
		{name: "hold on to the rail", text: "hold on to the rail on the bus, it brakes hard", want: nil},
		{name: "fighting with my brother", text: "im sick of fighting with my brother over the telly", want: nil},
		// Things given away, debts paid, closure.
		{name: "gave my games away, closure", text: "gave all my games and my guitar away to my cousin, feels like closure now", want: []risk.Kind{su}},
		{name: "paid everyone back before I go", text: "paid back everyone i owe money to so nobody is left out of pocket before i go", want: []risk.Kind{su}},
		{name: "clothes to charity for a move", text: "giving my old clothes to the charity shop before we move to leeds", want: nil},
		// Goodbyes said as if the last.
		{name: "hugged mum as if the last", text: "hugged my mum tonight as if it was the last time, she had no idea", want: []risk.Kind{su}},
		{name: "said bye at the airport", text: "said bye to my sister at the airport, see her at christmas", want: nil},
		// Logging off for good.
		{name: "checking out for good", text: "think its time im checking out for good", want: []risk.Kind{su}},
		{name: "logging off twitter", text: "logging off for the night, speak tomorrow", want: nil},
		// A pet or child provided for if something happens soon.
		{name: "the cat if something happens tonight", text: "could you feed my cat if something happens to me tonight", want: []risk.Kind{su}},
		{name: "the cat while on holiday", text: "could you feed my cat while im away on holiday next week", want: nil},
		// Disappointed to wake; can't wait to be gone; a date in mind.
		{name: "gutted I woke up", text: "gutted i woke up again this morning", want: []risk.Kind{su}},
		{name: "wish I hadn't woken", text: "every day i wish i hadnt woken up", want: []risk.Kind{su}},
		{name: "hate waking up early", text: "i hate waking up early for work", want: nil},
		{name: "can't wait to be gone", text: "honestly cant wait to be gone from all of it", want: []risk.Kind{su}},
		{name: "a date in mind for the wedding", text: "weve got a date in mind for the wedding and its soon", want: nil},
		// The insurance they would get.
		{name: "they'd get the payout", text: "theyd get the payout if i was gone", want: []risk.Kind{su}},
		// Giving someone what they wished; better off without me around.
		{name: "give them what they wanted", text: "they always said they never wanted me so ill give them what they want", want: []risk.Kind{su, da}},
		{name: "better off without me around", text: "my kids would be better off with their dad without me around", want: []risk.Kind{su}},
		{name: "give her what she wants for her birthday", text: "im going to give her what she wants for her birthday", want: nil},
		// Someone else's signs.
		{name: "acting like she's already gone", text: "my sister is acting like shes already gone, giving me her stuff", want: []risk.Kind{se}},
		{name: "tried before and the same again", text: "my friend tried before and hes saying the same things as last time", want: []risk.Kind{se}},
		{name: "a username changed to goodbye", text: "my mates username is now goodbye and he wont reply", want: []risk.Kind{se}},
		{name: "razor blades in her pencil case", text: "found a stash of sharpener blades under my sons mattress", want: []risk.Kind{se}},
		{name: "a gamertag for a new game", text: "my brother changed his gamertag to something silly for the new season", want: nil},
		{name: "grief for a friend", text: "my friend died last year and i still miss him every day", want: nil},
		// Self-harm told by its acts and hiding.
		{name: "head against the wall", text: "i hit my head against the wall until it stops", want: []risk.Kind{sh}},
		{name: "bumped my head", text: "i banged my head on the cupboard door this morning, do i need to see someone", want: nil},
		{name: "the sting stops the numbness", text: "the sting makes the numbness go away for a while", want: []risk.Kind{sh}},
		{name: "makeup over the cuts", text: "i use concealer to cover up my cuts before college", want: []risk.Kind{sh}},
		{name: "makeup over acne", text: "i use concealer to cover up my spots before college", want: nil},
		{name: "plasters faster than usual", text: "getting through bandages faster than normal lately", want: []risk.Kind{sh}},
		{name: "scared the nurse will see", text: "im scared the nurse will see my arms at the jab tomorrow", want: []risk.Kind{sh}},
		{name: "new cuts to benefits", text: "the new cuts to my benefits mean i cant pay the gas", want: nil},
		{name: "fresh cuts and sleeves", text: "ive got fresh cuts and its too hot for long sleeves", want: []risk.Kind{sh}},
		{name: "weeks clean and the razor", text: "six weeks clean and tonight i keep thinking about the razor in the cabinet", want: []risk.Kind{sh}},
		{name: "A&E refused for fear of judgement", text: "it wont stop bleeding but im not going to a&e they will judge me", want: []risk.Kind{od, sh}},
		// Images held over someone; a partner who must not know where.
		{name: "or they'll leak the pics", text: "i have to pay 300 quid by friday or theyll leak the pics to my family", want: []risk.Kind{sv, ex}},
		{name: "blackmail with a screenshot", text: "someone is blackmailing me with screenshots of our chat", want: []risk.Kind{ex}},
		{name: "she can't know the new address", text: "i moved out last week and my husband cant find out where i live", want: []risk.Kind{dn, da}},
		{name: "the boss can't know of the interview", text: "please dont mention the interview, work cant know about it", want: nil},
		// A phone dying stays ordinary.
		{name: "a phone dying", text: "my phone is about to die, ill text you when im home", want: nil},
	})
}
