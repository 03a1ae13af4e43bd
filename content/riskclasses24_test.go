package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestTwentyFourthRoundClasses holds the phrases (read alone, without the
// learned reader) to the classes of ordinary talk that six training sets of
// hard ordinary messages showed them alarming on, each in wordings of its own
// rather than the sets': food had by the packet, the last biscuit, talk that
// won't stop, a chore chased, bills that "are killing me", a partner in a
// hospice, a wheelchair pushed, rent paid by standing order, a pension form,
// old things thrown out, sleeping in till spring, on the edge of my seat, a
// county lines assembly; hiding told as play; a caller at the door with an
// everyday reason; a thing of mine checked or kept for me with its reason; a
// stay with family; a high place stood on for a photo; letters for a pen pal;
// a night out for charity or on a group's trip; an eviction months off; tablets
// taken as the doctor said; work someone "said he'd get me"; locks changed
// after lost keys; a form gone missing; shut in a freezer at work by accident;
// kicked out of the kitchen; rope for a washing line; and in other languages a
// cut while cooking, a phone held or taken for its reason, an exam that "will
// kill me", a safeguarding course. Beside each, a disclosure with the same
// words that must still be found.
func TestTwentyFourthRoundClasses(t *testing.T) {
	su, sh, se, ca, sv := risk.Suicide, risk.SelfHarm, risk.SomeoneElse, risk.ChildAbuse, risk.SexualViolence
	da, ex, od, dn, nt := risk.DomesticAbuse, risk.Exploitation, risk.Overdose, risk.DangerNow, risk.NowhereTonight
	runFindingCases(t, []engineCase{
		// Food had by the packet.
		{name: "a packet of crisps", text: "ate a whole packet of crisps on the bus home, need a healthy eating group", want: nil},
		{name: "a packet of paracetamol", text: "ate a whole packet of paracetamol an hour ago", want: []risk.Kind{od}},
		// The last biscuit; a remote controlled.
		{name: "the last biscuit", text: "my boyfriend won't let me have the last biscuit haha", want: nil},
		{name: "won't let me have my friends round", text: "my boyfriend won't let me see my friends", want: []risk.Kind{da, se}},
		{name: "controlling about the heating", text: "my wife is so controlling about the thermostat lol", want: nil},
		{name: "controlling partner", text: "my wife is controlling and checks everything i do", want: []risk.Kind{da}},
		// Talk that won't stop.
		{name: "cab driver wouldn't stop chatting", text: "the cab driver wouldnt stop chatting about football the whole way", want: nil},
		{name: "cab driver wouldn't stop the car", text: "the cab driver wouldnt stop the car and let me out", want: []risk.Kind{dn}},
		// A chore chased.
		{name: "chased by dad to hoover", text: "being chased by my dad to hoover the stairs", want: nil},
		{name: "being chased by men", text: "im being chased by two men right now", want: []risk.Kind{dn}},
		// Bills and shoes that are killing me.
		{name: "the energy bills are killing me", text: "the energy bills are killing me, any help with costs", want: nil},
		{name: "he's killing me", text: "hes killing me right now help", want: []risk.Kind{dn}},
		// A partner in a hospice.
		{name: "husband in the hospice", text: "my husband is in the hospice now and i need respite advice", want: nil},
		{name: "ex outside right now", text: "my ex is outside the house right now", want: []risk.Kind{dn}},
		// A wheelchair pushed.
		{name: "pushes me round town in my chair", text: "my daughter pushes me round town in my wheelchair on saturdays", want: nil},
		{name: "pushes me into the wall", text: "my husband pushes me into the wall when hes drunk", want: []risk.Kind{da}},
		// Rent paid another way, named.
		{name: "rent by direct debit", text: "the landlord wants me to pay the rent another way, by direct debit", want: nil},
		{name: "rent another way", text: "my landlord said i could pay the rent another way if im nice to him", want: []risk.Kind{sv}},
		// A pension form.
		{name: "takes my pension form", text: "my nephew takes my pension application to the post office for me", want: nil},
		{name: "takes my pension", text: "my son takes my pension every week and leaves me nothing", want: []risk.Kind{da}},
		// Old things thrown out.
		{name: "threw out my old toys", text: "my dad threw out all my old toys from the loft, gutted", want: nil},
		{name: "threw me out", text: "my dad threw me out tonight and i have nowhere to go", want: []risk.Kind{nt}},
		// Sleep in till spring.
		{name: "not wake up till spring", text: "i want to go to sleep and not wake up till spring, hate the cold", want: nil},
		{name: "not wake up", text: "i want to go to sleep and not wake up", want: []risk.Kind{su}},
		// On the edge of my seat.
		{name: "on the edge of my seat", text: "sat on the edge of my seat all through the match", want: nil},
		{name: "sat on the edge of the roof", text: "sat on the edge of the roof of the car park", want: []risk.Kind{su}},
		// A county lines assembly.
		{name: "county lines talk", text: "we had a county lines talk at college today", want: nil},
		{name: "made to do county lines", text: "they made me do county lines for them", want: []risk.Kind{ex}},
		// Hiding told as play.
		{name: "hide and seek under the bed", text: "hiding under the bed playing hide and seek with my nephew", want: []risk.Kind{dn}, denied: true},
		{name: "hiding under the bed from him", text: "hiding under the bed from him, hes smashing the place up", want: []risk.Kind{dn}},
		{name: "hiding from the teacher, late", text: "hiding from my teacher cos im 10 mins late lol", want: nil},
		// A caller at the door with an everyday reason.
		{name: "banging, forgot her keys", text: "my sister is banging on the door cos she forgot her keys", want: []risk.Kind{dn}, denied: true},
		{name: "banging on the door", text: "hes banging on the door and screaming that hell kill me", want: []risk.Kind{dn}},
		{name: "charity collectors banging", text: "charity collectors keep banging on my door every evening", want: []risk.Kind{dn}, denied: true},
		{name: "kicking the door, swollen", text: "had to kick the back door in, it swells in the damp every winter", want: nil},
		{name: "kicking the door in", text: "hes trying to kick the door in", want: []risk.Kind{dn}},
		// An ex handing over the children.
		{name: "ex outside to pick up the kids", text: "my ex is waiting outside my house to pick up the kids things, we still get on", want: []risk.Kind{dn}, denied: true},
		{name: "ex outside my house", text: "my ex is waiting outside my house again", want: []risk.Kind{dn}},
		// A thing of mine checked or kept for me, with its reason.
		{name: "checks my phone for the weather", text: "my husband checks my phone every morning for the weather cos his battery is dead", want: []risk.Kind{da}, denied: true},
		{name: "checks my phone every night", text: "my husband checks my phone every night and goes mad", want: []risk.Kind{da}},
		{name: "keeps my passport, I lose things", text: "my dad keeps my passport in his safe cos i always lose things", want: nil},
		{name: "boss keeps my passport", text: "my boss keeps my passport so i cant leave", want: []risk.Kind{dn, ex}},
		{name: "the council has my ID", text: "the council still has my passport from my appointment last week", want: nil},
		// A stay with family.
		{name: "can't go home, staying at my gran's", text: "cant go home tonight cos im staying at my grans, can i change my delivery", want: []risk.Kind{nt}, denied: true},
		{name: "can't go home, nowhere", text: "cant go home tonight and i have nowhere to sleep", want: []risk.Kind{nt}},
		{name: "shelter full, stayed with my sister", text: "the shelter was full so i stayed at my sisters, she says i can stay as long as i like", want: []risk.Kind{nt}, denied: true},
		{name: "shelter full", text: "the shelter said theyre full tonight", want: []risk.Kind{nt}},
		// A high place stood on for a photo.
		{name: "on the bridge taking photos", text: "stood on the bridge taking photos of the boats", want: []risk.Kind{su}, denied: true},
		{name: "on the bridge", text: "im standing on the bridge now", want: []risk.Kind{su}},
		{name: "toddler at the edge of the platform", text: "my toddler keeps standing at the edge of the platform, how do i teach her to stay back", want: []risk.Kind{su}, denied: true},
		// Letters for a pen pal; a move.
		{name: "letters for a pen pal", text: "ive written letters for my kids cos they have a pen pal scheme at school", want: []risk.Kind{su}, denied: true},
		{name: "letters for my kids", text: "ive written letters for my kids", want: []risk.Kind{su}},
		// A night out for charity, on a trip, a tent for fun.
		{name: "slept in the car on a fishing trip", text: "slept in the car on our fishing trip, best weekend", want: nil},
		{name: "slept in the car", text: "slept in the car last night and ill be there again tonight", want: []risk.Kind{nt}},
		// An eviction months off.
		{name: "evicted in two months", text: "were getting evicted in two months, what are my rights", want: nil},
		{name: "evicted today", text: "we got evicted today", want: []risk.Kind{nt}},
		// Tablets taken as the doctor said.
		{name: "all the tablets as the GP said", text: "i took all the tablets in the box as the gp said and i still have a cough", want: nil},
		{name: "all the tablets", text: "i took all the tablets in the box", want: []risk.Kind{od}},
		// Work someone said he'd get me.
		{name: "said he'd get me work", text: "a guy at the gym said hed get me some shifts at his bar", want: nil},
		{name: "said he'd get me", text: "he said hed get me when i leave work", want: []risk.Kind{dn}},
		// Locks changed after keys were lost.
		{name: "lost my keys, changed the locks", text: "lost my keys so we changed the locks, who pays", want: nil},
		{name: "changed the locks on me", text: "my landlord changed the locks today and my stuff is inside", want: []risk.Kind{nt}},
		// A form gone missing.
		{name: "form gone missing", text: "my blue badge application has gone missing in the post", want: nil},
		{name: "daughter gone missing", text: "my daughter has gone missing and isnt answering", want: []risk.Kind{se}},
		// Shut in a freezer at work by accident.
		{name: "locked in the cold room at work", text: "got locked in the cold room at work for a few minutes lol", want: nil},
		{name: "locked in", text: "someone locked me in the shed", want: []risk.Kind{ca}},
		// Kicked out of the kitchen.
		{name: "kicked out of the kitchen", text: "my nan kicked me out of the kitchen for eating the stuffing", want: nil},
		{name: "kicked me out", text: "my nan kicked me out and i have nowhere to go", want: []risk.Kind{nt}},
		// Rope for a washing line.
		{name: "rope for a washing line", text: "got some rope today for a washing line in the yard", want: nil},
		{name: "bought a rope", text: "bought a rope today", want: []risk.Kind{su}},
		// Other languages: a cut while cooking.
		{name: "ro: cut while cooking", text: "m-am taiat la deget cand am gatit aseara", want: []risk.Kind{sh}, denied: true},
		{name: "ro: cut myself again", text: "m-am taiat iar pe mana", want: []risk.Kind{sh}},
		{name: "pt: cut making dinner", text: "me cortei fazendo o jantar ontem", want: []risk.Kind{sh}, denied: true},
		{name: "pt: cut myself again", text: "me cortei de novo ontem", want: []risk.Kind{sh}},
		{name: "so: cut cutting onion", text: "gacanta ayaan is jaray markaan basal jarayay", want: []risk.Kind{sh}, denied: true},
		{name: "so: cut myself", text: "waan is jaray xalay", want: []risk.Kind{sh}},
		// A phone held or taken for its reason.
		{name: "ro: phone held, no pockets", text: "sotul imi tine telefonul ca n-am buzunare la rochie", want: []risk.Kind{da}, denied: true},
		{name: "ro: phone taken", text: "sotul imi ia telefonul si nu mi-l da inapoi", want: []risk.Kind{da}},
		{name: "ur: phone taken, his broke", text: "shohar ne mera phone le liya kyunke uska apna kharab ho gaya", want: nil},
		{name: "ur: phone taken", text: "shohar ne mera phone le liya aur wapas nahi deta", want: []risk.Kind{da, se}},
		// An exam that will kill me.
		{name: "bn: this exam will kill me", text: "ei porikkha amake mere felbe", want: nil},
		{name: "bn: he will kill me", text: "o amake mere felbe", want: []risk.Kind{dn}},
		// A safeguarding course at work.
		{name: "so: safeguarding course", text: "koorsada safeguarding ee shaqada waxaan ku baranay county lines", want: []risk.Kind{ex}, denied: true},
	})
}
