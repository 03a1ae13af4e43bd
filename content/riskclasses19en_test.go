package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestNineteenthRoundEnglishClasses holds the English phrases (read alone,
// without the learned reader) to the classes of false alarm and miss that the
// English lines of the tenth to twelfth blind sets showed, each in wordings of
// its own rather than the sets': hyperbole and jokes, things named by a risk
// word, risk as the topic of a course, harm long past and over, a home that is
// not lost tonight, children's ordinary behaviour, and the disclosures kept
// beside them; then sextortion, a whole pack taken and a hand on the writer at
// a club, which must be found.
func TestNineteenthRoundEnglishClasses(t *testing.T) {
	su, sh, se, ca := risk.Suicide, risk.SelfHarm, risk.SomeoneElse, risk.ChildAbuse
	sv, da, ex, od := risk.SexualViolence, risk.DomesticAbuse, risk.Exploitation, risk.Overdose
	dn, nt := risk.DangerNow, risk.NowhereTonight
	runFindingCases(t, []engineCase{
		// Someone at work or school who "wants me dead", over a workload.
		{name: "a manager and a rota", text: "my manager wants me dead, six lates in a row on the rota", want: nil},
		{name: "a teacher and homework", text: "swear my maths teacher wants me dead, three worksheets for tomorrow", want: nil},
		{name: "a supervisor and overtime", text: "the supervisor is out to get me dead with all this overtime haha", want: nil},
		{name: "wanting to be dead still a wish", text: "i just want to be dead, nobody would notice", want: []risk.Kind{su}},
		{name: "a partner who wants me dead", text: "my husband wants me dead, he said so last night", want: []risk.Kind{se}},
		// A child, a pet or a thing "trying to kill me with" an everyday thing.
		{name: "a baby and teething", text: "this baby is trying to kill me with teething, any sleep tips", want: nil},
		{name: "a toddler and questions", text: "my 3 year old is going to kill me with her questions", want: nil},
		{name: "a dog and snoring", text: "the dog is trying to kill me with his snoring", want: nil},
		{name: "a nan and cake", text: "nan is trying to kill me with cake every sunday", want: nil},
		{name: "trying to kill me with a weapon", text: "he is trying to kill me with a knife, help", want: []risk.Kind{dn}},
		// "I'm done" after a team losing.
		{name: "done if the team loses", text: "if spurs lose on sunday im done with football", want: nil},
		{name: "finished if we go down", text: "if we get relegated i am finished, honestly", want: nil},
		{name: "done alone", text: "im done. i cant do this anymore", want: []risk.Kind{su}},
		// Someone "going to kill me" over a mishap, a damp flat that "will kill me".
		{name: "flatmates and a pan", text: "burnt the pan again, my flatmates are going to kill me", want: nil},
		{name: "a tutor and an essay", text: "my tutor is gonna kill me i still havent started the essay", want: nil},
		{name: "a mate and a party", text: "my best mate said shed kill me if i missed her party", want: nil},
		{name: "the damp", text: "the damp in this flat is going to kill me before they fix it", want: nil},
		{name: "a threat to tell", text: "my stepdad said hed kill me if i told anyone", want: []risk.Kind{da}},
		// Ending it all, put right as a chat or a thing ended.
		{name: "the family chat", text: "about to end it all... the family whatsapp group i mean, too many memes", want: nil},
		{name: "a streak", text: "ending it all tonight, the snap streak that is lol", want: nil},
		{name: "ending it all meant", text: "i am going to end it all tonight, i have the tablets", want: []risk.Kind{su}},
		// A body that feels "like I've been beaten up", a jab "like being stabbed".
		{name: "after a spin class", text: "spin class this morning and my whole body feels like ive been hit by a bus", want: nil},
		{name: "after rugby", text: "first rugby session in years, feel like i got beaten up", want: nil},
		{name: "a booster jab", text: "my arm felt like i'd been stabbed after the booster lol", want: nil},
		{name: "beaten up in fact", text: "he beat me up again last night", want: []risk.Kind{da}},
		{name: "stabbed in fact", text: "i got stabbed on the way home and it wont stop", want: []risk.Kind{od}},
		// An overdose of a food or a drink.
		{name: "an overdose of chocolate", text: "easter was an overdose of chocolate for the kids", want: nil},
		{name: "a caffeine overdose", text: "caffeine overdose before my exam, heart going lol", want: nil},
		{name: "an overdose of pills", text: "i had an overdose of paracetamol this morning", want: []risk.Kind{od}},
		// A finger pricked in sewing or craft.
		{name: "a pin while pinning a hem", text: "pricked my thumb on a pin while pinning a hem, ouch", want: nil},
		{name: "a knitting needle", text: "jabbed my finger with a knitting needle at knit and natter haha", want: nil},
		{name: "stabbing myself with a compass", text: "i stabbed my arm with a compass in maths so it would hurt", want: []risk.Kind{sh}},
		// Kitchen and garden things named by a risk word.
		{name: "a knife set to give", text: "got a knife set still boxed, can the reuse shop take it", want: nil},
		{name: "spare kitchen knives", text: "we have spare kitchen knives for anyone setting up a flat", want: nil},
		{name: "a rope ladder", text: "bought a rope ladder for the treehouse, any tips", want: nil},
		{name: "a knife held", text: "hes got a knife and hes outside my door", want: []risk.Kind{dn}},
		{name: "a rope for myself", text: "ive got a rope in my wardrobe for when i do it", want: []risk.Kind{su}},
		// Children hitting other children.
		{name: "a son at school", text: "my son keeps biting other children at playgroup, help", want: nil},
		{name: "a little one at nursery", text: "little one has started pushing other kids at nursery", want: nil},
		{name: "a child being hit", text: "my son keeps getting hit by his dad", want: []risk.Kind{ca, se}},
		// A parent's no to a party.
		{name: "a mum and a sleepover", text: "my mum wont let me go to the sleepover on friday", want: nil},
		{name: "a dad and a gig", text: "dad wont let me go to a gig in town, so unfair", want: nil},
		{name: "a boyfriend who will not let me go out", text: "my boyfriend wont let me go out with anyone", want: []risk.Kind{dn, da}},
		// A tantrum's "I want to die".
		{name: "no more sweets", text: "my daughter says she wants to die whenever she cant have sweets, shes 4", want: nil},
		{name: "the wifi", text: "my brother says hes going to die every time the wifi drops", want: nil},
		{name: "a child who wants to die", text: "my son says he wants to die and he has stopped eating", want: []risk.Kind{se}},
		// Someone on the way, not a threat.
		{name: "a locksmith", text: "locked out again, the locksmith is 30 mins away", want: nil},
		{name: "a housemate", text: "sat on the step waiting for my housemate, shes about 15 minutes away", want: nil},
		{name: "him on his way", text: "hes 10 mins away and he said im dead", want: []risk.Kind{dn}},
		// Bailiffs for a debt, the home still the writer's.
		{name: "bailiffs for parking", text: "bailiffs turned up this morning about old parking tickets, set up a plan", want: nil},
		{name: "bailiffs, the house still ours", text: "the bailiffs came earlier and left a notice, the house is still ours for now", want: nil},
		{name: "bailiffs and the locks", text: "the bailiffs changed the locks today and we have nowhere to go", want: []risk.Kind{nt}},
		// Sofa surfing until a flat is ready.
		{name: "a flat ready next month", text: "sofa surfing at my cousins, its fine till my new flat is ready next month", want: nil},
		{name: "sofa surfing and nowhere tonight", text: "been sofa surfing but my mate kicked me out, nowhere tonight", want: []risk.Kind{nt}},
		// Risk as the topic of a course.
		{name: "a module covering it", text: "signed up to a qualification for my job, it covers self harm and neglect", want: []risk.Kind{sh}, denied: true},
		{name: "taught how to ask", text: "the trainer taught us how to ask if someone is thinking of suicide", want: []risk.Kind{se}, denied: true},
		{name: "asked if they are having thoughts", text: "on the course we practised asking a friend directly whether theyre having thoughts of suicide", want: []risk.Kind{se}, denied: true},
		{name: "a volunteer who gropes", text: "a volunteer at the food bank keeps touching me and groping my bum", want: []risk.Kind{sv}},
		// Harm long past and over.
		{name: "a stepdad dead now", text: "my stepdad used to beat me growing up. hes been dead for years", want: []risk.Kind{ca}, denied: true},
		{name: "made to sell at 15", text: "when i was 15 i was made to sell for some older lads, i got out and im 27 now", want: []risk.Kind{ex}, denied: true},
		{name: "a night in the car years back", text: "we once slept in the car when the flat flooded in 2018, so i want to help", want: []risk.Kind{nt}, denied: true},
		{name: "therapy after an assault", text: "i was sexually assaulted ages ago and ive had loads of therapy since", want: []risk.Kind{sv}, denied: true},
		{name: "past with harm now", text: "when i was 15 i was made to sell for some older lads and they still come to my door", want: []risk.Kind{ex}},
		{name: "a year with sleeping rough now", text: "slept rough in 2019 and im back on the streets tonight", want: []risk.Kind{nt}},
		// Risk as a topic, told in the sentence after, or by a class named with "my".
		{name: "a question and then the essay", text: "is cuckooing the same as county lines? writing an essay on it", want: []risk.Kind{ex}, denied: true},
		{name: "a role play", text: "our role play about coercive control in drama was intense", want: []risk.Kind{da}, denied: true},
		{name: "a section on it", text: "the handbook has a section on recognising domestic abuse", want: []risk.Kind{da}, denied: true},
		{name: "my class named", text: "we talked about sexual exploitation and county lines in my criminology seminar", want: []risk.Kind{ex}, denied: true},
		{name: "an essay and an abuser", text: "doing an essay about domestic abuse because my partner hits me", want: []risk.Kind{da}},
		// Things named by risk words: a toy gun, a pet gone missing, a game.
		{name: "a nerf gun", text: "got a gun for christmas, a nerf gun, the kids love it", want: nil},
		{name: "a tortoise missing", text: "our tortoise has gone missing from the garden, any ideas", want: nil},
		{name: "a friend missing", text: "my friend has gone missing since friday and isnt answering", want: []risk.Kind{se}},
		{name: "a game named after", text: "i keep falling off the ledge on rainbow road in mario kart", want: []risk.Kind{su}, denied: true},
		// An ordeal laughed off, a place on a list, a chat not escaped.
		{name: "a shift laughed off", text: "that double shift nearly killed me lol", want: nil},
		{name: "the housing list", text: "can you find out where i am on the housing register", want: nil},
		{name: "a meeting", text: "stuck on a teams call about budgets and cant escape", want: nil},
		{name: "cannot escape him", text: "he locked the door and i cant escape", want: []risk.Kind{dn}},
		// A no told with its reason.
		{name: "a no with a reason", text: "the nurse asked if i wanted to hurt myself and i said no because i dont", want: []risk.Kind{sh}, denied: true},
		// A poem about someone who died.
		{name: "a song about a nan", text: "wrote a song about my nan who passed away in march", want: nil},
		// Sextortion: pictures held over money or a video.
		{name: "pay or he sends them", text: "a guy i met online has my nudes and will send them to my mum unless i pay him", want: []risk.Kind{sv, ex, se}},
		{name: "money or they leak it", text: "they said pay them 300 or theyll leak the video to my friends", want: []risk.Kind{sv, ex, se}},
		{name: "a video call or they post them", text: "someone got my pics and says theyll post them online unless i do a video call", want: []risk.Kind{sv, ex, se}},
		// Misses of the blind sets, as classes.
		{name: "send someone", text: "cant talk he is in the next room. please send someone. flat 3", want: []risk.Kind{dn}},
		{name: "send someone to fix", text: "can you send someone to fix the boiler", want: nil},
		{name: "a gun loaded", text: "he is loading his gun downstairs and shouting", want: []risk.Kind{dn}},
		{name: "taken upstairs", text: "this man keeps trying to drag me upstairs and i feel so drunk", want: []risk.Kind{dn}},
		{name: "if I'm gone", text: "if i was gone no one would have to worry about me anymore", want: []risk.Kind{su}},
		{name: "if I'm gone on holiday", text: "if im gone for the weekend can someone feed the cat", want: nil},
		{name: "on a roof", text: "im sat on the roof. dont know what im doing", want: []risk.Kind{su}},
		{name: "carried away with a blade", text: "went a bit carried away with the blade last night", want: []risk.Kind{sh}},
		{name: "hitting to bleed less", text: "trying to cut less by punching my legs", want: []risk.Kind{sh}},
		{name: "techniques failing", text: "the rubber band thing didnt work for me", want: []risk.Kind{sh}},
		{name: "fresh cuts healing", text: "the fresh ones are still bleeding a bit", want: []risk.Kind{sh}},
		{name: "things on camera", text: "he pressured me to do stuff on video call and recorded it", want: []risk.Kind{sv}},
		{name: "a camera in the shower", text: "found a hidden camera in the shower at my lodgings", want: []risk.Kind{sv}},
		{name: "things for a bed", text: "i did things with men for a place to stay last winter and now again", want: []risk.Kind{sv, ex}},
		{name: "nobody home till late", text: "there is no one home until really late and im hungry", want: []risk.Kind{ca}},
		{name: "a toddler hit", text: "her boyfriend slapped my 3 year old for crying", want: []risk.Kind{ca}},
		{name: "dragged by the hair", text: "he grabbed me by the hair and threw me out", want: []risk.Kind{da, nt}},
		{name: "a scarf ripped off", text: "my brother ripped my headscarf off in the street", want: []risk.Kind{da}},
		{name: "a throat squeezed", text: "he keeps pressing my throat when we argue", want: []risk.Kind{da}},
		{name: "pictures of my door", text: "my ex keeps sending me photos of my car and my street", want: []risk.Kind{dn, da}},
		{name: "the door excuse", text: "told everyone i walked into a door but it was my partner", want: []risk.Kind{da}},
		{name: "mature for my age", text: "my coach tells me im really mature for my age and buys me stuff", want: []risk.Kind{ex}},
		{name: "picked up from the home", text: "girls get picked up from the childrens home by men at night", want: []risk.Kind{ex, se}},
		{name: "not allowed to say", text: "im not allowed to tell anyone what i do for them", want: []risk.Kind{ex}},
		{name: "money to bring home", text: "he says i have to bring in 200 tonight", want: []risk.Kind{ex}},
		{name: "cash from nowhere", text: "my daughter has new trainers and cash and wont tell me where from", want: []risk.Kind{ex}},
		{name: "a friend not waking", text: "my flatmate drank loads and shes not waking up", want: []risk.Kind{se}},
		{name: "a grandad scammed", text: "i think my grandad is being scammed by a man on the phone", want: []risk.Kind{se}},
		// A whole pack taken.
		{name: "a whole box", text: "i took the whole box of sleeping tablets an hour ago", want: []risk.Kind{od}},
		{name: "a whole strip", text: "swallowed my whole strip of sertraline", want: []risk.Kind{od}},
	})
}
