package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestTwentyFifthRoundSuicideWithoutItsWords holds the English phrases (read
// alone, without the learned reader) to the classes of suicide told without
// its words that the new training sets showed, each in wordings of its own
// rather than the sets': a passive wish to be taken or not to wake; no longer
// belonging or seeing oneself here; nothing left to stay for; being a weight
// on others, one less to feed, a child better off with anyone else; the last
// message anyone will get; a goodbye as if the last; a pet given a home once
// I am gone; letters left where they will be found; a last picture; leaving
// "in a box" by one's own doing; a policy that pays out whatever the cause;
// waiting for the moment or for someone's death; a whole box tonight; the
// tracks, the guts at a high place, a crossing lingered at, driving hoping
// something happens; painless ways looked up; death welcomed and helped
// along; and self-harm that has gone on since an age, or wanted without
// wanting to die. Beside each, the ordinary message with the same words that
// must stay quiet.
func TestTwentyFifthRoundSuicideWithoutItsWords(t *testing.T) {
	su, sh := risk.Suicide, risk.SelfHarm
	runFindingCases(t, []engineCase{
		// A passive wish: taken in sleep, tired of waking, not belonging.
		{name: "asks god to take her", text: "every night i ask god to take me in my sleep", want: []risk.Kind{su}},
		{name: "praying to be taken too", text: "since he went I keep praying the Lord takes me too", want: []risk.Kind{su}},
		{name: "praying for a trip", text: "I pray God takes me to see the grandkids in Canada this summer", want: nil},
		{name: "sick of waking up", text: "honestly so sick of waking up each day", want: []risk.Kind{su}},
		{name: "waking up for the early shift", text: "so tired of waking up every morning at 5 for the early shift", want: nil},
		{name: "why do I still wake up", text: "why do i still wake up", want: []risk.Kind{su}},
		{name: "waking at 3am", text: "why do i keep waking up at 3am, is it the menopause", want: nil},
		{name: "not belonging on this earth", text: "never felt like i belong on this earth", want: []risk.Kind{su}},
		{name: "not belonging in a choir", text: "I don't belong in this choir, my voice is awful, any other groups?", want: nil},
		{name: "not here by spring", text: "cant see myself still around by spring", want: []risk.Kind{su}},
		{name: "not here by christmas, moving", text: "I don't see myself here by christmas, we're moving to Leeds in November", want: nil},
		{name: "not going on without her", text: "forty years married and I don't want to go on without her", want: []risk.Kind{su}},
		{name: "carry on without a break", text: "don't want to carry on without a break, can I get respite care for mum", want: nil},
		{name: "nothing left to live for", text: "kids grown, job gone, nothing left for me to live for", want: []risk.Kind{su}},
		{name: "nothing left to do at work", text: "theres nothing left for me to do at work so I want a volunteering role", want: nil},
		{name: "rather be dead than go back", text: "id rather be dead than go back to him", want: []risk.Kind{su}},
		{name: "rather die than zumba", text: "I'd rather die than go to another zumba class lol", want: nil},
		{name: "rather be dead than crocs", text: "id rather be dead than be seen in crocs lol", want: nil},
		// A weight on others; one less to feed; a child better off elsewhere.
		{name: "one less mouth", text: "my nan would have one less mouth to feed if i was gone", want: []risk.Kind{su}},
		{name: "one less mouth, uni", text: "my mum would have one less mouth to feed if i was gone to uni", want: nil},
		{name: "a millstone round their necks", text: "i feel like a millstone round my familys neck", want: []risk.Kind{su}},
		{name: "a millstone mortgage", text: "the mortgage is a millstone round my neck, any debt advice", want: nil},
		{name: "slow at spin", text: "im just a weight round everyones neck at spin class lol", want: nil},
		{name: "freer without me", text: "she'd be freer without me", want: []risk.Kind{su}},
		{name: "better without my nagging", text: "theyd be better without me nagging them about homework", want: nil},
		{name: "better off with anyone", text: "my girls are better off with their nan than with a dad like me", want: []risk.Kind{su}},
		{name: "better off at breakfast club", text: "the kids are better off at breakfast club than with me rushing them", want: nil},
		// The last message; a goodbye as if the last; a pet's home; letters left to be found.
		{name: "the last text", text: "this will be the last text anyone will get from me", want: []risk.Kind{su}},
		{name: "the last message today", text: "this is the last message youll get from me today, off to work", want: nil},
		{name: "a hug as if the last", text: "hugged my brother goodbye at the station as if it was the last time", want: nil},
		{name: "said goodbye as if the last", text: "said goodbye to my little sister after school like it was the last time", want: []risk.Kind{su}},
		{name: "goodbye before emigrating", text: "said bye to my mates at the pub like it was the last time, I'm moving to Australia on Monday", want: nil},
		{name: "a home for the dog", text: "once im gone please make sure my dog finds a good home", want: []risk.Kind{su}},
		{name: "a home visit for the cat", text: "when im gone on holiday can someone make sure my cat gets a home visit", want: []risk.Kind{su}, denied: true},
		{name: "letters on the pillow", text: "notes for my dad and brother, putting them on my pillow", want: []risk.Kind{su}},
		{name: "pen pal letters on the table", text: "wrote letters for the pen pal scheme, leaving them on the kitchen table for my son to post", want: []risk.Kind{su}, denied: true},
		{name: "a last photo for her", text: "just want my daughter to have one last photo of me", want: []risk.Kind{su}},
		{name: "a last photo with long hair", text: "i want a nice last picture of me with long hair before the chop", want: nil},
		{name: "feet first, my own doing", text: "theyll carry me out feet first and ill see to that", want: []risk.Kind{su}},
		{name: "a box, loving the house", text: "he always said he'd leave this house in a box, he loves it here", want: nil},
		{name: "pays out however I die", text: "checked twice that the policy pays out however i die", want: []risk.Kind{su}},
		{name: "home insurance for a leak", text: "does my home insurance pay out whatever the cause of the leak", want: nil},
		// Plans in passing: a moment, someone's death, a box, the tracks, the guts, a crossing, driving.
		{name: "the perfect night to do it", text: "just waiting for the perfect night to do it", want: []risk.Kind{su}},
		{name: "the right moment at the bank", text: "waiting for the right moment to go to the bank, the queue is huge", want: nil},
		{name: "after dad dies", text: "waiting for my husband to pass and then ill join him", want: []risk.Kind{su}},
		{name: "after a driving test", text: "waiting for my mum to pass her driving test then ill go on holiday", want: nil},
		{name: "a whole strip tonight", text: "gonna swallow the whole strip tonight", want: []risk.Kind{su}},
		{name: "a whole box of toys", text: "im going to take the whole box of toys to the charity shop tonight", want: nil},
		{name: "lying on the railway line", text: "thinking about lying down on the railway line", want: []risk.Kind{su}},
		{name: "kids on the line", text: "the kids keep walking on the railway line, who do I report it to", want: nil},
		{name: "nerve at the bridge", text: "stood at the bridge for an hour trying to find the nerve", want: []risk.Kind{su}},
		{name: "guts at a climbing wall", text: "stood on the climbing wall trying to get the guts to go higher", want: nil},
		{name: "past the level crossing", text: "kept walking to the level crossing and wondering", want: []risk.Kind{su}},
		{name: "past the station to park", text: "keep driving past the station and wondering where to park", want: nil},
		{name: "cycling hoping", text: "cycling home in the dark on the main road hoping something happens", want: []risk.Kind{su}},
		{name: "driving hoping for luck", text: "driving to the interview hoping something good comes of it", want: nil},
		{name: "why not jump", text: "can someone tell me why i shouldnt just jump", want: []risk.Kind{su}},
		{name: "jump at a chance", text: "tell me why i shouldnt jump at the chance of a new job", want: nil},
		{name: "peaceful ways", text: "been googling peaceful ways to die", want: []risk.Kind{su}},
		{name: "painless ear piercing", text: "googling painless ways to get my ears pierced", want: nil},
		{name: "gone gone", text: "by summer ill be gone gone", want: []risk.Kind{su}},
		{name: "a bike gone", text: "the bike is gone gone, someone nicked it from outside the flat", want: nil},
		{name: "tablets counted", text: "took my dads tablets from his cupboard, counting them now", want: []risk.Kind{su}},
		{name: "tablets returned", text: "kept the pills from my nans and took them back to the pharmacy", want: nil},
		{name: "death welcomed and hurried", text: "not afraid of dying, some days i think of speeding it up", want: []risk.Kind{su}},
		{name: "roses helped along", text: "help it along with a bit of fertiliser and the roses will bloom", want: nil},
		// A means got or a high place gone to, then what it is not for (a pair over two sentences).
		{name: "tablets not for pain", text: "picked up loads of paracetamol. not for pain", want: []risk.Kind{su}},
		{name: "tablets for period pains", text: "picked up loads of paracetamol. not for a headache, for my period pains", want: nil},
		{name: "the bridge not for the view", text: "drove out to the cliffs at the weekend. not for the views", want: []risk.Kind{su}},
		{name: "the bridge to meet a mate", text: "went to the bridge. not for the view, I was meeting a mate", want: nil},
		{name: "the timetable not to travel", text: "checked the train timetable again. not to travel", want: []risk.Kind{su}},
		{name: "a hose, you know what for", text: "got a hosepipe today. you can guess what its for", want: []risk.Kind{su}},
		{name: "a hose for the garden", text: "bought a hose. you know what its for, the garden is so dry", want: nil},
		// Self-harm going on since an age; wanting to hurt without wanting to die.
		{name: "burning since fifteen", text: "ive been burning myself since i was 15 and nobody knows", want: []risk.Kind{sh}},
		{name: "cutting hair since sixteen", text: "I've been cutting hair since I was 16 and want to open my own salon", want: nil},
		{name: "hurt but not die", text: "i need to hurt myself but i dont want to die, is that weird", want: []risk.Kind{su, sh}},
		{name: "hurt feelings", text: "i want to hurt my ex's feelings but not really, just vent", want: nil},
		{name: "headbutting the door", text: "i keep headbutting the door when it gets too loud in my head", want: []risk.Kind{sh}},
		{name: "a brick wall", text: "I keep banging my head against a brick wall with the council", want: nil},
	})
}
