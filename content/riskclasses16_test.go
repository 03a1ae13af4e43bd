package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestSixteenthRoundClasses holds the phrases (read alone, without the
// learned reader) to the classes the tenth blind set's development half
// showed, each with wordings of its own rather than the set's: risk told
// by acts and plans, by someone else's words, and ordinary talk that only
// shares the words (a question whether something is worth it, illness that
// stops work, hyperbole with a laugh, old age at peace, resolved housing).
func TestSixteenthRoundClasses(t *testing.T) {
	su, se, ca := risk.Suicide, risk.SomeoneElse, risk.ChildAbuse
	sv, da, nt := risk.SexualViolence, risk.DomesticAbuse, risk.NowhereTonight
	runFindingCases(t, []engineCase{
		// Not worth it: with its negation, not as a question.
		{name: "no longer worth it", text: "honestly its no longer worth it for me", want: []risk.Kind{su}},
		{name: "life not worth living", text: "life isnt worth living anymore", want: []risk.Kind{su}},
		{name: "is life worth living anymore", text: "is life even worth living anymore", want: []risk.Kind{su}},
		{name: "is the course worth it", text: "is the evening course worth it? its 300 quid", want: nil},
		{name: "waiting list worth it", text: "been on the list 3 years, is it worth it", want: nil},
		{name: "what makes life worth living", text: "the little things that make life worth living", want: nil},
		// Control needs someone who forbids; illness does not.
		{name: "cannot work for pain", text: "i cannot work at the moment because of my back", want: nil},
		{name: "cant go out with my knee", text: "cant go out much since the knee op", want: nil},
		{name: "he says i cant work", text: "my husband says i cant get a job", want: []risk.Kind{da}},
		{name: "she told me i cant see my family", text: "she told me i cant see my family anymore", want: []risk.Kind{da}},
		// Hyperbole: an everyday cause and a laugh or a sigh.
		{name: "the bus and a laugh", text: "the buses today make me want to throw myself off a bridge 🤣", want: nil},
		{name: "the queue, lol", text: "that queue at the post office made me want to die lol", want: nil},
		{name: "a brother and a sigh", text: "my brother keeps eating my yoghurts, im going to murder him 🙄", want: nil},
		{name: "a laugh is not enough alone", text: "i want to jump off a bridge lol", want: []risk.Kind{su}},
		{name: "a burden for lifts", text: "feel like a burden on my family when it comes to lifts to the hospital", want: nil},
		{name: "a burden plainly", text: "im such a burden on everyone", want: []risk.Kind{su}},
		{name: "a body named for prevention", text: "our team did the zero suicide alliance module", want: nil},
		// Suicide by acts and plans.
		{name: "means made ready", text: "ive got a rope ready in the garage", want: []risk.Kind{su}},
		{name: "means sorted", text: "the noose is sorted now", want: []risk.Kind{su}},
		{name: "nothing matters after a day", text: "none of it will matter after friday", want: []risk.Kind{su}},
		{name: "goodbye signed off", text: "thanks for trying. this is goodbye xx", want: []risk.Kind{su}},
		{name: "a pet when not here", text: "can someone have my dog if im not gonna be around", want: []risk.Kind{su}},
		{name: "how to end things", text: "i lie awake working out the easiest way to end it all", want: []risk.Kind{su}},
		{name: "how to end things with him", text: "trying to figure out how to end things with him nicely", want: nil},
		{name: "a deadline that will not matter", text: "the late fee wont matter after friday as they moved the deadline", want: nil},
		{name: "a rope for climbing", text: "got the rope sorted for the climbing trip on saturday", want: nil},
		{name: "goodbye to a group", text: "this is goodbye for now from the book club, see you in january", want: nil},
		{name: "the last time you hear from me", text: "tell mum this is the last time she'll hear from me", want: nil},
		{name: "the last time anyone hears from me", text: "this is the last time anyone will hear from me", want: []risk.Kind{su}},
		{name: "over the railing", text: "im sat on the wrong side of the railing at the car park", want: []risk.Kind{su}},
		{name: "a barrier on the bridge", text: "does the bridge by the station have any netting or not", want: []risk.Kind{su}},
		{name: "a sharp thing to the body", text: "i took a razor to my thighs again", want: []risk.Kind{risk.SelfHarm}},
		{name: "plasters found", text: "my mum saw the plasters all over my arms", want: []risk.Kind{risk.SelfHarm}},
		{name: "a bed needed tonight", text: "please i need somewhere to sleep tonight", want: []risk.Kind{nt}},
		{name: "told to get out, on the steps", text: "my dad told me to get out and now im sat on the church steps", want: []risk.Kind{nt}},
		{name: "bailiffs came", text: "the bailiffs changed the locks this morning", want: []risk.Kind{nt}},
		{name: "the friend to stay with", text: "i was supposed to crash at my cousins but hes not answering", want: []risk.Kind{nt}},
		// Someone else, by their own words.
		{name: "ready to join", text: "since dad passed my mum keeps saying shes ready to join him", want: []risk.Kind{se}},
		{name: "does not care if he lives", text: "my brother said he doesnt care if he lives or dies", want: []risk.Kind{se}},
		{name: "threatens to end it", text: "my girlfriend threatens to end her life whenever we argue", want: []risk.Kind{se}},
		{name: "jump ship", text: "he threatened to jump ship to another team", want: nil},
		{name: "a skydive", text: "my mum keeps threatening to jump out of the plane on her charity skydive", want: nil},
		{name: "the rent named", text: "the landlord says thats the rent for this month", want: nil},
		{name: "someone over the railing", text: "a lad is climbing over the railing on the footbridge", want: []risk.Kind{se}},
		{name: "old age at peace", text: "my grandad says hes ready to go whenever the lord calls, hes 91 and says it with a smile", want: []risk.Kind{se}, denied: true},
		{name: "old age and tablets", text: "my grandad says hes ready to go whenever the lord calls and he has stopped his tablets", want: []risk.Kind{se}},
		// A child harmed, told by the act.
		{name: "taken abroad to be cut", text: "my aunties are flying my little sister home this summer to be cut", want: []risk.Kind{ca}},
		{name: "head under the water", text: "my stepdad pushes my head under the water when im bad", want: []risk.Kind{ca, da}},
		{name: "a cold shower as punishment", text: "dad makes me stand in a freezing shower for ages as punishment", want: []risk.Kind{ca}},
		{name: "bruises like a hand", text: "my nephew has bruises that look like a hand on his back", want: []risk.Kind{ca}},
		{name: "hurt for crying", text: "her boyfriend shakes the baby when she cries", want: []risk.Kind{ca}},
		// Sex as payment, and a carer's touch.
		{name: "pay another way", text: "the landlord hinted i could pay the rent another way", want: []risk.Kind{sv}},
		{name: "that is the payment", text: "he stays over and tells me thats my payment for the room", want: []risk.Kind{sv}},
		{name: "a carer's touch", text: "the nurse who comes in touches my chest while she washes me", want: []risk.Kind{sv}},
		{name: "touched in a way not right", text: "he touched me in a way that didnt feel right", want: []risk.Kind{sv}},
		// Homelessness denied or resolved, in Portuguese and Turkish.
		{name: "pt: will not be without a home", text: "nao vamos ficar sem casa, so queremos ajuda com as contas", want: []risk.Kind{nt}, denied: true},
		{name: "pt: without a home tomorrow", text: "vou ficar sem casa amanha", want: []risk.Kind{nt}},
		{name: "tr: homeless last year, housed now", text: "gecen sene evsizdim ama simdi kendi evim var", want: []risk.Kind{nt}, denied: true},
	})
}
