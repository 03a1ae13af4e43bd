package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestTwentiethRoundEnglishClasses holds the English phrases (read alone,
// without the learned reader) to the classes of false alarm that the English
// lines of the fourteenth blind set and the training sets showed, each in
// wordings of its own rather than the sets': a child's "want to die" over a
// spot or a crush, a flat battery, a workout or a run that "finished me", a
// bill that says I owe, months that battered me, a fan's vow, a child's "I'm
// dead" for laughing, a kind partner who never hurt me, a job far away, "can't
// get out of bed", rough sleepers helped, a form's question, "putting" in
// everyday phrases, a job that says don't come back, a game lost, harm long
// past told with an age or a decade; and the disclosures kept beside them.
func TestTwentiethRoundEnglishClasses(t *testing.T) {
	su, sh, se, ca := risk.Suicide, risk.SelfHarm, risk.SomeoneElse, risk.ChildAbuse
	da, ex, od := risk.DomesticAbuse, risk.Exploitation, risk.Overdose
	dn, nt := risk.DangerNow, risk.NowhereTonight
	_, _, _, _, _, _, _, _, _ = su, sh, se, ca, da, ex, od, dn, nt
	runFindingCases(t, []engineCase{
		// A child's "want to die" over a spot, a crush or a photo.
		{name: "a spot before a party", text: "my 14 year old says she wants to die because of a spot on her chin", want: nil},
		{name: "a haircut", text: "he said he wanted to die over his haircut, took a week to grow out", want: nil},
		{name: "picture day", text: "my daughter wants to die because of her school photo lol", want: nil},
		{name: "a child who wants to die", text: "my son says he wants to die because of the bullying at school", want: []risk.Kind{se}},
		// A flat battery.
		{name: "a phone on 2", text: "phone is on 2 percent im going to die", want: nil},
		{name: "a laptop at 3", text: "laptop at 3 and no charger, about to die", want: nil},
		{name: "going to die meant", text: "i am going to die tonight, i have it planned", want: []risk.Kind{su}},
		// A workout, a run or a shift that leaves legs or feet numb.
		{name: "leg day", text: "leg day yesterday and i cant feel my legs", want: nil},
		{name: "spin destroyed me", text: "spin class destroyed me, cant feel my legs lol", want: nil},
		{name: "feet after a shift", text: "after a 12 hour shift on the tills i cant feel my feet", want: nil},
		{name: "numb after a fall", text: "i fell down the stairs and i cant feel my legs", want: []risk.Kind{od}},
		// A process or a run that "nearly finished me off".
		{name: "an appeal", text: "the appeal nearly finished me off but we won", want: nil},
		{name: "a half marathon", text: "did the half marathon and it nearly finished me, never again", want: nil},
		{name: "a person who nearly finished me off", text: "he nearly finished me off last night", want: []risk.Kind{dn}},
		// A bill or a letter that says I owe; paying off my debts.
		{name: "a council tax letter", text: "council tax letter came, they say i owe 600, can someone help", want: nil},
		{name: "an energy bill", text: "the energy company sent a bill and they say we owe 1,400", want: nil},
		{name: "credit cards paid off", text: "finally paying off my credit cards, two to go", want: nil},
		{name: "a debt to a man", text: "he says i owe him for the flight and i have to work it off", want: []risk.Kind{ex}},
		// Months, a job or the weather that "battered me".
		{name: "chemo", text: "chemo has battered me this year but im still here", want: nil},
		{name: "this winter", text: "honestly the last few weeks have knocked me", want: nil},
		{name: "battered by a partner", text: "he battered me again last night", want: []risk.Kind{da}},
		// A broken thing and "my life is over".
		{name: "a kettle", text: "the kettle broke and my life is over lol", want: nil},
		{name: "my life over", text: "my life is over, i cant do this anymore", want: []risk.Kind{su}},
		// A fan's vow over a result.
		{name: "under a bus if we lose", text: "throw myself under a bus if spurs lose again", want: nil},
		{name: "in the river if relegated", text: "jump in the river if leeds go down", want: nil},
		{name: "under a bus meant", text: "i want to throw myself under a bus tonight", want: []risk.Kind{su}},
		// A child's "I'm dead" for laughing.
		{name: "dead when funny", text: "my daughter says im dead when something is funny", want: nil},
		{name: "dead because I don't know a singer", text: "my son said im literally dead because i dont know who that rapper is", want: nil},
		{name: "dead as a threat", text: "he texted me saying im dead when he finds me", want: []risk.Kind{dn}},
		// A partner who is a good man and never hurt me.
		{name: "a gentle husband", text: "we argue about money but hes a gentle man who has never hurt me", want: nil},
		{name: "a partner who hurt me", text: "my husband hurt me again when he was drunk", want: []risk.Kind{da}},
		// Kids who hurt themselves in play, a first aid course.
		{name: "first aid for the grandkids", text: "did a first aid course in case the grandkids hurt themselves", want: nil},
		{name: "a son who hurts himself", text: "my son keeps hurting himself on purpose", want: []risk.Kind{ca, se}},
		// A job or a school "90 mins away".
		{name: "a job far away", text: "they offered me a job 90 mins away on the bus", want: nil},
		{name: "a school far away", text: "the new school is 45 minutes away, how do we get there", want: nil},
		{name: "someone coming", text: "he is 10 mins away and he said he will hurt me", want: []risk.Kind{dn, da, se}},
		// "Can't get out of bed", "can't get out much".
		{name: "out of bed", text: "some mornings i cant get out of bed with my back", want: nil},
		{name: "out much", text: "i cant get out much since my hip op, any phone groups", want: nil},
		{name: "cannot get out of the flat", text: "he locked the door and i cant get out of the flat", want: []risk.Kind{dn}},
		// Rough sleepers helped; a mate housed.
		{name: "a man on our street", text: "theres an old man on our street who sleeps rough, who can i call for him", want: nil},
		{name: "services for rough sleepers", text: "im a pcso looking for services for rough sleepers in the borough", want: nil},
		{name: "a cousin housed", text: "my cousin who was sleeping rough got a flat last week!", want: nil},
		{name: "sleeping rough now", text: "im sleeping rough tonight, nowhere else", want: []risk.Kind{nt}},
		// A form's question, a letter for the school, "I look homeless".
		{name: "a form asks", text: "the form asks if ive ever been homeless, what counts", want: nil},
		{name: "a letter for the nursery", text: "can you do a letter for the nursery saying we are homeless so we get a place", want: nil},
		{name: "a scruffy look", text: "need a haircut, i look homeless lol", want: nil},
		{name: "homeless tonight", text: "im homeless and have nowhere to sleep tonight", want: []risk.Kind{nt}},
		// "Putting" in everyday phrases.
		{name: "putting it off", text: "ive been putting it off for weeks but i need to sort my pension", want: nil},
		{name: "putting me in touch", text: "the librarian is putting me in touch with a knitting group", want: nil},
		{name: "putting in a ramp", text: "the council are putting in a ramp at the front door", want: nil},
		{name: "put out tonight", text: "i just got put out of my flat tonight", want: []risk.Kind{nt}},
		// A job that says don't come back.
		{name: "a boss", text: "i was late twice and the manager said dont bother coming back", want: nil},
		{name: "a parent's don't come back", text: "my mum said dont bother coming home tonight", want: []risk.Kind{nt, se}},
		// A game lost.
		{name: "beaten at chess", text: "my grandson beat me at chess again, im finished", want: nil},
		{name: "a friend and fifa", text: "my brother says hell kill himself when he loses at fifa", want: nil},
		{name: "the owl", text: "the duolingo owl is threatening me again", want: nil},
		{name: "finished meant", text: "im finished, i cant go on anymore", want: []risk.Kind{su}},
		// A manager who will kill me for being late; a double shift.
		{name: "twenty minutes late", text: "my boss is gonna kill me i was twenty mins late", want: nil},
		{name: "a double", text: "another double shift tomorrow, im going to die lol", want: nil},
		// Harm long past, told with a loose age or a decade.
		{name: "like 13", text: "i self harmed when i was like 13 but ive been fine for years now, can i give blood", want: []risk.Kind{sh}, denied: true},
		{name: "in my twenties", text: "i tried to kill myself in my twenties, these days i volunteer for a helpline", want: []risk.Kind{su}, denied: true},
		{name: "most of a year", text: "i was sleeping in my car for most of 2019, i have a flat now", want: []risk.Kind{nt}, denied: true},
		{name: "cutting now", text: "i cut myself when i was like 13 and now i have started again", want: []risk.Kind{sh}},
		// A friend's harm long over, told with her adult age now.
		{name: "groomed at 14", text: "my friend was groomed into county lines when she was 14 but shes 25 now, at college", want: []risk.Kind{ex, se}, denied: true},
		{name: "groomed now", text: "my friend is being groomed by a gang and shes 14", want: []risk.Kind{ca, ex, se}},
		// What a word of risk means; a course it is studied for.
		{name: "what cuckooing is", text: "can you explain what cuckooing is, it was in the newsletter", want: []risk.Kind{ex}, denied: true},
		{name: "a doc about trafficking", text: "watched a documentary about trafficking last night, shocking", want: nil},
		{name: "coercive control for a course", text: "trying to understand coercive control for my nursing course", want: []risk.Kind{da}, denied: true},
		{name: "cuckooed now", text: "dealers have moved into my flat and wont leave", want: []risk.Kind{ex}},
		// Things said in passing: spilt tea, a fire alarm, a lift outside, a toddler who bit.
		{name: "boiling water", text: "spilt boiling water on my hand making tea, its fine now", want: nil},
		{name: "a fire drill", text: "we had to evacuate the office because of a fire alarm", want: nil},
		{name: "a lift waiting", text: "my son is outside waiting in the car to take me to the hospital", want: nil},
		{name: "a toddler bit", text: "my toddler bit another child at nursery today, so embarrassed", want: nil},
		// A young relative with an adult partner, or kept in a hotel with older men.
		{name: "a niece and a grown man", text: "my niece is 14 and seeing a 22 year old man", want: []risk.Kind{ca, se}},
		{name: "a grandson in a hotel", text: "my grandson is 16 and living in a hotel with older men he met online", want: []risk.Kind{ca, ex, se}},
		{name: "a toddler hit by an adult", text: "her boyfriend slapped my 3 year old for spilling juice", want: []risk.Kind{ca}},
	})
}
