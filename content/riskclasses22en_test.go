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
	da, ex, od, dn, nt := risk.DomesticAbuse, risk.Exploitation, risk.Overdose, risk.DangerNow, risk.NowhereTonight
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
		// Not around to pay; an easier way out; asking for myself; medicine stopped on purpose.
		{name: "not around to pay the fine", text: "they can send the fine to someone else, i wont be around to pay it", want: []risk.Kind{su}},
		{name: "an easier way out", text: "whats the point of all the forms, theres an easier way out of this", want: []risk.Kind{su}},
		{name: "an easier way out of the car park", text: "is there an easier way out of the car park than the ramp", want: nil},
		{name: "asking for myself", text: "how long does it take to bleed out, wondering for myself", want: []risk.Kind{su}},
		{name: "insulin stopped on purpose", text: "ive stopped my insulin on purpose, let nature do its thing", want: []risk.Kind{su}},
		{name: "lives easier without me", text: "my kids lives would be easier without me", want: []risk.Kind{su}},
		{name: "to join her late husband", text: "my nan keeps saying shes going to join her late husband soon", want: []risk.Kind{se}},
		{name: "a break on a desert island", text: "i wish i could disappear to a desert island for a week", want: nil},
		// A child harmed: a belt, a cupboard, food kept back, nappies left.
		{name: "a slipper to the boy", text: "her boyfriend takes a slipper to her son when hes been cheeky", want: []risk.Kind{ca, se}},
		{name: "a toddler shut in the cupboard", text: "she locks her 4 year old in the cupboard under the stairs", want: []risk.Kind{ca, se}},
		{name: "no dinner if naughty", text: "the boy next door says he gets no dinner when hes been naughty", want: []risk.Kind{ca, se}},
		{name: "a dinner for a good boy", text: "he gets pudding after dinner when hes been good", want: nil},
		// A partner's control and cover stories; an escape fund.
		{name: "walked into a door", text: "told the nurse i walked into a door", want: []risk.Kind{da}},
		{name: "an escape fund", text: "been putting a tenner a week in my escape fund", want: []risk.Kind{da, nt}},
		{name: "no PIP allowed", text: "my husband wont let me apply for pip", want: []risk.Kind{da}},
		// Danger now: blue lips, dementia gone out.
		{name: "lips going blue", text: "help my lips are going blue and i feel faint", want: []risk.Kind{od}},
		{name: "nan with dementia gone missing", text: "nan has dementia and she wandered off an hour ago, we cant find her", want: []risk.Kind{dn}},
		// Exploitation: a flat used to deal from, a bank card held.
		{name: "a flat used to deal from", text: "some lads are using my uncles flat to deal from and he cant get rid of them", want: []risk.Kind{ex}},
		{name: "the boss holds my card", text: "the boss keeps my bank card and gives me fifty quid a week", want: []risk.Kind{ex}},
		{name: "a loan shark's lads to store things", text: "the loan shark says his lads will be keeping some packages in my garage", want: []risk.Kind{ex}},
		{name: "parcels kept in a garage", text: "im keeping some boxes in my garage for the move", want: nil},
		// Abuse told by euphemism; control of benefits; purging.
		{name: "did things to me", text: "my stepdad used to do things to me at night", want: []risk.Kind{sv}},
		{name: "did things to help", text: "my stepdad used to do things to help me with homework", want: nil},
		{name: "he won't let me claim", text: "i need to claim universal credit but he wont let me", want: []risk.Kind{da}},
		{name: "when I eat I purge", text: "whenever i eat i make myself throw up", want: []risk.Kind{sh}},
		{name: "kicked out of the group chat", text: "they kicked me out of the group chat over nothing, how do i make new friends", want: nil},
		{name: "kicked out of home", text: "my mum kicked me out tonight and i have nowhere to go", want: []risk.Kind{nt}},
		// Tired, fed up, a break away from it all, a move, grief: ordinary.
		{name: "tired and fed up", text: "so tired and fed up with work this week", want: nil},
		{name: "away from it all", text: "booked a cottage to get away from it all for the weekend", want: nil},
		{name: "clothes to charity, moving abroad", text: "giving all my clothes away to charity because we are moving abroad", want: nil},
		{name: "grief for nan", text: "my nan died last month and i miss her so much", want: nil},
		{name: "not around to pay, moving", text: "i wont be around to pay the bill next month, im moving to spain so send it to my new address", want: nil},
		// A phone dying stays ordinary.
		{name: "a phone dying", text: "my phone is about to die, ill text you when im home", want: nil},
	})
}
