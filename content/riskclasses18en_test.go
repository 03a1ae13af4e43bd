package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestEighteenthRoundEnglishClasses holds the English phrases (read alone,
// without the learned reader) to the classes the English lines of train-m,
// train-n and train-o showed, each in wordings of its own rather than the
// sets': teenagers' hyperbole and text speak, the past told as over, risk as
// a topic of study or work, intimate images shared, a child groomed online or
// neglected, suicide told by acts and plans, self-harm hidden or done on
// purpose, control and threats at home, exploitation by men and debts, and
// someone else's risk seen from outside.
func TestEighteenthRoundEnglishClasses(t *testing.T) {
	su, sh, se, ca := risk.Suicide, risk.SelfHarm, risk.SomeoneElse, risk.ChildAbuse
	sv, da, ex, od := risk.SexualViolence, risk.DomesticAbuse, risk.Exploitation, risk.Overdose
	dn, nt := risk.DangerNow, risk.NowhereTonight
	runFindingCases(t, []engineCase{
		// Hyperbole about school and everyday things, in text speak.
		{name: "kms over a chore", text: "kms if i have to sit through another assembly about uniform", want: nil},
		{name: "kms this coursework", text: "kms this geography coursework is due tomorrow", want: nil},
		{name: "die in a test", text: "honestly thought i was gonna die in the spelling test", want: nil},
		{name: "school trying to kill me", text: "this week is trying to kill me, four mocks", want: nil},
		{name: "a teacher after a thing forgotten", text: "left my homework on the bus, mrs patel is going to kill me", want: nil},
		{name: "a sister's threat over a spoiler", text: "my brother said hed kill me if i spoil the final", want: nil},
		{name: "an embarrassment and a laugh", text: "i want to die 😂 i waved at someone who wasnt waving at me", want: nil},
		{name: "a bet on a match", text: "said id jump off a bridge if arsenal lost, they lost, still here", want: nil},
		{name: "the point of life, after maths", text: "double maths then a fire drill in the rain, whats the point of life lol", want: nil},
		{name: "kms about homework still a plain wish", text: "i want to kill myself, nobody would care", want: []risk.Kind{su}},
		{name: "kms with no chore", text: "kms tonight i mean it", want: []risk.Kind{su}},
		{name: "a parent who is strict", text: "my dad is so strict he wont let me go to the party on a school night", want: []risk.Kind{dn, da}, denied: true},
		{name: "a parent strict and hitting", text: "my dad is so strict and he punched me when i came home late", want: []risk.Kind{da}},
		{name: "nobody in danger", text: "no ones in danger, just asking about the foodbank", want: nil},
		{name: "a short escape", text: "wish i could disappear for a fortnight to greece", want: nil},
		{name: "a dream of falling", text: "had a nightmare i was falling off a roof, woke up shaking", want: nil},
		{name: "ending meant of a job", text: "my mate says hes going to end it all, he meant his job at the garage", want: nil},
		// Joking, said so.
		{name: "kidding about dying", text: "i was kidding about wanting to die, exam week talk", want: []risk.Kind{su}, denied: true},
		{name: "how she talks", text: "my sister says kms about everything, its just how she talks", want: nil},
		// Study and work about risk.
		{name: "a course covered it", text: "on my access course today we covered self harm in young people", want: []risk.Kind{sh}, denied: true},
		{name: "a job named", text: "as a probation officer i support men who have been exploited", want: []risk.Kind{ex}, denied: true},
		{name: "a project asked for", text: "asking for my nephews school project, why do people end up sleeping rough", want: []risk.Kind{nt}, denied: true},
		// The past told as over.
		{name: "convicted, opening the next sentence", text: "my stepdad abused me as a kid. it went to the police and he was convicted years ago", want: []risk.Kind{ca, da}, denied: true},
		{name: "that was a year", text: "i slept in my car for a month after the divorce. that was 2018.", want: []risk.Kind{nt}, denied: true},
		{name: "the same year told as now", text: "i slept in my car last night and i will again tonight", want: []risk.Kind{nt}},
		{name: "a milestone clean", text: "clean from self harm for a year as of today", want: []risk.Kind{sh}, denied: true},
		{name: "a no that was meant", text: "the nurse asked if i wanted to hurt myself and i said no and i meant it", want: []risk.Kind{sh}, denied: true},
		{name: "money managed as asked", text: "my sister controls my money because i asked her to help me budget", want: []risk.Kind{da}, denied: true},
		// Intimate images.
		{name: "pics shared to a group", text: "my ex shared my nudes with his whole rugby team", want: []risk.Kind{sv, se}},
		{name: "vids leaked", text: "my private videos have been leaked on some forum", want: []risk.Kind{sv}},
		{name: "filmed without knowing", text: "he filmed me without me knowing and its on his phone", want: []risk.Kind{sv}},
		{name: "a face on a fake", text: "someone put my face onto naked pictures and sent them round", want: []risk.Kind{sv}},
		{name: "photos of a holiday", text: "my mum shared my photos from the holiday on facebook", want: nil},
		// A child groomed online.
		{name: "a man in a game", text: "a man from minecraft keeps asking my daughter to meet him at the shops", want: []risk.Kind{ca}},
		{name: "pictures in uniform", text: "someone keeps asking for pics of me in my school uniform", want: []risk.Kind{sv, ca}},
		{name: "threat to the school", text: "he is threatening to send my pics to my school unless i send more", want: []risk.Kind{sv, ca, ex}},
		{name: "a coach wants time alone", text: "my swimming coach wants me to stay behind alone after training", want: []risk.Kind{ca}},
		{name: "a game with friends", text: "me and my mates play roblox every night after school", want: nil},
		// A child neglected, told by the child.
		{name: "not fed", text: "nobody feeds us at home, my dad just sleeps all day", want: []risk.Kind{ca}},
		{name: "left alone for days", text: "left home alone for three days with my little brother", want: []risk.Kind{ca}},
		{name: "drugs in front of us", text: "my mum takes heroin in front of us in the kitchen", want: []risk.Kind{ca}},
		{name: "chilli as punishment", text: "my stepmum puts chilli in my brothers mouth when he lies", want: []risk.Kind{ca}},
		// Suicide by acts and plans.
		{name: "tablets kept in a drawer", text: "ive got tablets stashed in my wardrobe, just in case", want: []risk.Kind{su}},
		{name: "deserve to live", text: "i dont deserve to live after what i did", want: []risk.Kind{su}},
		{name: "who gets what", text: "spent the evening writing down who gets what", want: []risk.Kind{su}},
		{name: "not yet", text: "im on the roof of the car park, im not going to do anything yet", want: []risk.Kind{su}},
		{name: "the road not looked at", text: "ive stopped looking both ways when i cross, i dont care anymore", want: []risk.Kind{su}},
		{name: "gone when the last tie goes", text: "my nan is all i have left, when shes gone so am i", want: []risk.Kind{su}},
		{name: "how high", text: "been googling how high the bridge over the bypass is", want: []risk.Kind{su}},
		{name: "arrangements", text: "you dont need to ring me next week. ive made my arrangements", want: []risk.Kind{su}},
		{name: "arrangements for a holiday", text: "ive made my arrangements for the holiday, the cat sitter is booked", want: nil},
		{name: "collecting a prescription", text: "collecting my tablets from the chemist later", want: nil},
		// Self-harm hidden or done on purpose.
		{name: "a lie about the marks", text: "my teacher asked and i lied and said it was the dog", want: []risk.Kind{sh}},
		{name: "to feel something", text: "i hit my leg with the hairbrush on purpose just to feel something", want: []risk.Kind{sh}},
		{name: "clothes to hide my arms", text: "i wear long sleeves in summer because of my arms", want: []risk.Kind{sh}},
		{name: "a burn while cooking", text: "burnt my hand on the oven tray cooking tea", want: nil},
		// Control and threats at home.
		{name: "a yes because he was there", text: "the health visitor asked if i was ok and i said yes because he was in the room", want: []risk.Kind{da}},
		{name: "the mark not from what I said", text: "the bruise isnt from the gym like i told you, its from him", want: []risk.Kind{da}},
		{name: "found where I live", text: "my ex has found where i live now", want: []risk.Kind{dn, da}},
		{name: "a pillow over my face", text: "last night he held a pillow over my face", want: []risk.Kind{da}},
		{name: "receipts", text: "i have to show him receipts for every single thing", want: []risk.Kind{da}},
		{name: "a threat if I leave", text: "he told me if i leave hell kill me", want: []risk.Kind{dn, da}},
		// Exploitation.
		{name: "pimped out", text: "my boyfriend pimps me out to his friends", want: []risk.Kind{ex}},
		{name: "men every night", text: "i am staying in a flat where men come every night", want: []risk.Kind{ex}},
		{name: "a phone that rings", text: "they gave me a phone that rings non stop and send me to margate", want: []risk.Kind{ex}},
		{name: "a younger sibling threatened", text: "if i stop they said they will go for my little brother", want: []risk.Kind{ex}},
		// Injury told by what is seen.
		{name: "lips going blue", text: "his lips are going blue and he wont wake up", want: []risk.Kind{od, se}},
		{name: "a small overdose", text: "it was only a small overdose, i feel fine", want: []risk.Kind{od}},
		{name: "bleeding that won't clot", text: "my leg wont clot and theres so much blood", want: []risk.Kind{od}},
		// Someone else's risk from outside.
		{name: "a young friend and an older man", text: "my friend is 13 and seeing a 22 year old from the gym", want: []risk.Kind{ca, se}},
		{name: "a child locked out", text: "the girl downstairs is always locked out till late", want: []risk.Kind{se}},
		{name: "a toddler and tablets", text: "my little one ate a dishwasher tablet", want: []risk.Kind{se}},
		{name: "screaming through the wall", text: "i can hear screaming through the wall every night", want: []risk.Kind{se}},
	})
}
