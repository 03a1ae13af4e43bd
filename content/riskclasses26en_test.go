package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestTwentySixthRoundClasses holds the English phrases (read alone, without
// the learned reader) to the classes of ordinary talk that the minimal pairs
// and the long and short English training sets showed them alarming on, each
// in wordings of its own rather than the sets': a burden over hospital lifts;
// better off without me on an errand, or dead rather than retired; gone for a
// weekend; "what's the point" about ringing someone; a sibling "killed" for a
// petty thing; no food before a blood test; a pension book taken to the post
// office for me; scared of someone's driving; money for a thing sold; a phone
// from an employer; old furniture thrown out; a pet hit by a car; "dead to
// him"; "could sleep forever" from tiredness; a parent's warning of the
// streets; a worker's list of what they have seen; before another child gets
// hurt; money handled by family and welcomed; pills left behind; a time of
// waking; a knock from a cupboard door or a cut from a kitchen tool; a caller
// who is the parcel man or family checking in; friends coming with food; a
// jammed latch and the ride home safe; children handed over and all fine; a
// man who followed me long ago; letters posted; a will made in good health;
// away at family's for the holidays, a leaving do, medicine saved for a trip;
// a group's trip when the hostel is full; a flat ended for a tenancy of one's
// own; a service set up for people who go through it; the death of the street.
// Beside each, a disclosure with the same words that must still be found.
func TestTwentySixthRoundClasses(t *testing.T) {
	su, sh, se, ca := risk.Suicide, risk.SelfHarm, risk.SomeoneElse, risk.ChildAbuse
	da, ex, od, dn, nt := risk.DomesticAbuse, risk.Exploitation, risk.Overdose, risk.DangerNow, risk.NowhereTonight
	runFindingCases(t, []engineCase{
		// A burden over an everyday favour.
		{name: "burden with all the hospital lifts", text: "i feel like a burden on my son with all the lifts to my appointments, is there volunteer transport", want: nil},
		{name: "a burden", text: "im a burden on my son and he would be better without me", want: []risk.Kind{su}},
		// Better off without me on an errand; dead rather than retired.
		{name: "better off without me taking them to the shops", text: "the kids would be better off without me taking them round the supermarket, they hate it", want: nil},
		{name: "better off without me", text: "the kids would be better off without me", want: []risk.Kind{su}},
		{name: "better off dead than retired", text: "my uncle says hed be better off dead than retired, hes bored stiff", want: nil},
		{name: "better off dead", text: "my uncle says hed be better off dead and hes stopped eating", want: []risk.Kind{se}},
		// Gone for a weekend.
		{name: "disappeared for a weekend", text: "no one would notice if i disappeared for a few days to the lakes", want: nil},
		{name: "disappeared for good", text: "no one would notice if i disappeared for good", want: []risk.Kind{su}},
		// What's the point, about ringing someone.
		{name: "ringing the council, what's the point", text: "been ringing the council all week but whats the point", want: nil},
		{name: "what's the point in living", text: "whats the point in living anymore", want: []risk.Kind{su}},
		// A sibling "killed" for a petty thing.
		{name: "kill her sister for borrowing", text: "my daughter says she wants to kill her sister for borrowing her hoodie", want: nil},
		{name: "wants to kill herself", text: "my daughter says she wants to kill herself", want: []risk.Kind{se}},
		// No food before a test.
		{name: "not allowed to eat before the scan", text: "im not allowed to eat before my scan on monday", want: nil},
		{name: "not allowed to eat", text: "im 12 and my stepmum says im not allowed to eat", want: []risk.Kind{ca}},
		// A pension collected for me.
		{name: "takes my pension to the bank for me", text: "my grandson takes my pension to the bank for me every friday", want: nil},
		{name: "takes my pension", text: "my grandson takes my pension and wont give it back", want: []risk.Kind{da}},
		// Scared of someone's driving.
		{name: "scared of my husband when he drives", text: "im scared of my husband when he drives on the motorway", want: nil},
		{name: "scared of my husband", text: "im scared of my husband, he shouts and throws things", want: []risk.Kind{da}},
		// Money for a thing sold; a phone from an employer.
		{name: "money for the bike", text: "a woman i met online wants money for the bike before i see it", want: nil},
		{name: "met online, money", text: "a man i met online wants money or hell share my photos", want: []risk.Kind{ex}},
		{name: "the company gave me a phone", text: "the company gave me a phone and a van for the deliveries", want: nil},
		{name: "older lads gave me a phone", text: "some older lads gave me a phone and said i have to answer it", want: []risk.Kind{ex}},
		// Old furniture thrown out.
		{name: "threw the old mattress out", text: "my landlord threw the old mattress out in the yard, who collects it", want: nil},
		{name: "landlord threw me out", text: "my landlord threw me out today", want: []risk.Kind{nt}},
		// A pet hit by a car.
		{name: "dog got hit by a car", text: "our dog got hit by a car this morning, the vet was lovely", want: nil},
		{name: "got hit by a car", text: "i got hit by a car and cant move my leg", want: []risk.Kind{od}},
		// Dead to him.
		{name: "dead to her", text: "my sister says im dead to her cos i missed her party", want: nil},
		{name: "says im dead", text: "he texted me saying im dead when he finds me", want: []risk.Kind{dn}},
		// Could sleep forever, from tiredness.
		{name: "could sleep for a week", text: "night shifts done, honestly i could sleep forever", want: nil},
		{name: "want to sleep forever", text: "i just want to sleep forever", want: []risk.Kind{su}},
		// A parent's warning of the streets.
		{name: "warns ill end up on the streets if", text: "my dad warns ill end up on the streets if i dont study", want: nil},
		{name: "sleeping on the streets", text: "im sleeping on the streets tonight", want: []risk.Kind{nt}},
		// A worker's list of what they have seen.
		{name: "a paramedic has seen it all", text: "as a paramedic ive dealt with all sorts, overdoses, stabbings, the lot", want: nil},
		{name: "an overdose", text: "i took an overdose an hour ago", want: []risk.Kind{od}},
		// Before another child gets hurt.
		{name: "before another kid gets hurt", text: "the swing is broken, who fixes it before someone gets hurt", want: nil},
		{name: "my kid gets hurt", text: "my kid gets hurt by his dad every weekend", want: []risk.Kind{ca, se}},
		// Money handled by family and welcomed.
		{name: "manages my money and im grateful", text: "my sister manages my money for me and im grateful", want: nil},
		{name: "controls my money", text: "my husband controls all my money and checks every receipt", want: []risk.Kind{da}},
		// Pills left behind.
		{name: "something silly with my tablets, left them", text: "did something silly with my tablets, left them on the train, can i get more", want: nil},
		{name: "something silly with my tablets", text: "did something silly with my tablets, feel really drowsy", want: []risk.Kind{od}},
		// A time of waking.
		{name: "hope i don't wake up before noon", text: "hoping i dont wake up before noon tomorrow, so tired", want: nil},
		{name: "hope i don't wake up", text: "hoping i dont wake up tomorrow", want: []risk.Kind{su}},
		// A knock from a cupboard; a cut from a kitchen tool.
		{name: "hit myself with the cupboard door", text: "hit myself in the eye with the cupboard door, so clumsy", want: []risk.Kind{sh}, denied: true},
		{name: "hit myself", text: "i hit myself when im angry at myself", want: []risk.Kind{sh}},
		{name: "cut from the grater", text: "the cut on my hand from the grater is healing", want: []risk.Kind{sh}, denied: true},
		// A caller who is the parcel man, or family checking.
		{name: "banging, it was the postie", text: "someone was banging on my door, it was the postie", want: []risk.Kind{dn}, denied: true},
		{name: "car slowing, my brother checking", text: "a car kept slowing down next to me, it was my brother checking i got home", want: []risk.Kind{dn}, denied: true},
		{name: "car slowing", text: "a car kept slowing down next to me and the men shouted at me", want: []risk.Kind{dn}},
		// Friends coming with food.
		{name: "found where i live, coming with cake", text: "my cousins found out where i live and are coming round with a cake", want: []risk.Kind{dn}, denied: true},
		{name: "found where i live", text: "he found out where i live and said hes coming round", want: []risk.Kind{dn}},
		// A latch that jams; the ride home safe.
		{name: "taxi locked the doors, dodgy lock", text: "the cab driver locked the doors because of a broken lock, then dropped me home safely", want: []risk.Kind{dn}, denied: true},
		{name: "taxi locked the doors", text: "the cab driver locked the doors and is going the wrong way", want: []risk.Kind{dn}},
		// Children handed over, and all fine.
		{name: "ex outside dropping the kids back, fine", text: "my ex is outside right now dropping the kids back, were fine with it", want: []risk.Kind{dn}, denied: true},
		{name: "ex outside right now", text: "my ex is outside right now and wont leave", want: []risk.Kind{dn}},
		// Followed long ago.
		{name: "followed me home years ago", text: "a man followed me home years ago and i still think about it, any self defence class", want: nil},
		{name: "followed me home", text: "a man followed me home and hes outside", want: []risk.Kind{dn}},
		// Letters posted; a will made in good health.
		{name: "letters posted", text: "wrote letters to my sister and brother and posted them first class for their birthdays", want: []risk.Kind{su}, denied: true},
		{name: "letters hidden", text: "wrote letters to my sister and brother and hid them for after", want: []risk.Kind{su}},
		// Away at family's, a leaving do, medicine saved for a trip.
		{name: "not here for christmas, going to my sisters", text: "not planning on being here for christmas, going to my sisters in devon", want: []risk.Kind{su}, denied: true},
		{name: "not here for christmas", text: "not planning on being here for christmas", want: []risk.Kind{su}},
		{name: "saving tablets for the holiday", text: "saving my tablets for the holiday abroad, do i need a letter", want: []risk.Kind{su}, denied: true},
		{name: "saving tablets", text: "ive been saving my tablets for weeks", want: []risk.Kind{su}},
		// A group's trip, the hostel full.
		{name: "hostel full for the cubs trip", text: "the hostel said theyre full so the cubs trip moves to june", want: []risk.Kind{nt}, denied: true},
		{name: "hostel full tonight", text: "the hostel said theyre full and i have nowhere tonight", want: []risk.Kind{nt}},
		// A flat ended for a tenancy of one's own.
		{name: "placement ended, got my own flat", text: "supported housing ended today because i got my own flat", want: []risk.Kind{nt}, denied: true},
		// A service for people who go through it; the death of the street.
		{name: "support for people experiencing abuse", text: "the pharmacy is setting up support for people experiencing domestic abuse", want: []risk.Kind{da}, denied: true},
		{name: "experiencing domestic abuse", text: "im experiencing domestic abuse at home", want: []risk.Kind{da}},
		{name: "the death of the town", text: "these roadworks are going to be the death of the town centre", want: nil},
		{name: "going to die", text: "im going to die tonight, ive decided", want: []risk.Kind{su}},
	})
}
