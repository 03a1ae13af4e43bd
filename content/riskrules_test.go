package content_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"signpost/content"
	"signpost/content/risk"
)

// TestEnglishRoles holds the English phrases (read alone, without the
// learned reader) to what their role patterns, classes and contexts are
// written for: risk told in words nobody listed one by one, and ordinary
// talk that shares those words.
func TestEnglishRoles(t *testing.T) {
	b, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	m, err := risk.Compile(b.Risk.Languages, b.DefaultLang)
	if err != nil {
		t.Fatal(err)
	}
	sh, su, dn := risk.SelfHarm, risk.Suicide, risk.DangerNow
	sv, nt, ca := risk.SexualViolence, risk.NowhereTonight, risk.ChildAbuse
	ex, da, od := risk.Exploitation, risk.DomesticAbuse, risk.Overdose
	tests := []struct {
		name   string
		text   string
		want   []risk.Kind
		denied bool
	}{
		// Self-harm told without its words.
		{name: "done to my body", text: "i do things to my body when it gets bad", want: []risk.Kind{sh}},
		{name: "sleeves in the heat", text: "still wearing a hoodie in this heat", want: []risk.Kind{sh}},
		{name: "sleeves so nobody asks", text: "long sleeves at work so nobody sees", want: []risk.Kind{sh}},
		{name: "food not deserved", text: "i dont deserve to eat today", want: []risk.Kind{sh}},
		{name: "a sharpener taken apart", text: "snapped the pencil sharpener apart", want: []risk.Kind{sh}},
		{name: "arms the way they are", text: "cant go swimming with my thighs the way they are", want: []risk.Kind{sh}},
		{name: "they in the pattern is not someone else", text: "i scratch my arms until they bleed", want: []risk.Kind{sh}},
		// Suicide told indirectly.
		{name: "letters for everyone", text: "ive written notes for all of them", want: []risk.Kind{su}},
		{name: "not a nuisance much longer", text: "i wont be a burden to anyone for long", want: []risk.Kind{su}},
		{name: "my last christmas", text: "this is my last christmas", want: []risk.Kind{su}},
		{name: "my last week at work is ordinary", text: "this is my last week at work", want: nil},
		{name: "one way out", text: "there is only one way out now", want: []risk.Kind{su}},
		{name: "fine without me", text: "the kids will be better off once im gone", want: []risk.Kind{su}},
		{name: "fine without me for a weekend", text: "the kids will be fine without me for a weekend", want: nil},
		{name: "no reason to continue", text: "I find no reason to continue", want: []risk.Kind{su}},
		{name: "enough of life", text: "i have had enough of this life", want: []risk.Kind{su}},
		{name: "affairs in order, ready", text: "my affairs are in order and i am ready", want: []risk.Kind{su}},
		{name: "someone's affairs in order", text: "she said her affairs are in order", want: []risk.Kind{risk.SomeoneElse}},
		// Danger now, sexual violence, nowhere tonight, neglect.
		{name: "an ex outside my work", text: "my ex boyfriend is sitting outside my flat", want: []risk.Kind{dn}},
		{name: "afraid to go home to him", text: "scared to go back, he is drunk", want: []risk.Kind{dn}},
		{name: "too drunk to say no", text: "i was too out of it to push him off", want: []risk.Kind{sv}},
		{name: "his hand on my thigh", text: "my manager slid his hand up my skirt", want: []risk.Kind{sv}},
		{name: "rent for sex", text: "he said he would forget the debt if i slept with him", want: []risk.Kind{sv}},
		{name: "a stranger tried to kiss me", text: "the taxi driver kept trying to kiss me", want: []risk.Kind{sv}},
		{name: "sofa no longer", text: "the couch is no longer an option after tonight", want: []risk.Kind{nt}},
		{name: "refuge will not take me", text: "the refuge refused to take me", want: []risk.Kind{nt}},
		{name: "nobody will put me up", text: "none of my friends will put me up", want: []risk.Kind{nt}},
		{name: "dunno where", text: "dunno where ill sleep tonight", want: []risk.Kind{nt}},
		{name: "no food and away for days", text: "theres no food and mum is gone for days", want: []risk.Kind{ca}},
		// Contexts that lower: an accident or a pet, sport, a shift, a trip.
		{name: "a car door", text: "he hit me with his car door", want: []risk.Kind{risk.DomesticAbuse}, denied: true},
		{name: "on purpose keeps it", text: "he hit me with the car door on purpose", want: []risk.Kind{risk.DomesticAbuse}},
		{name: "a pet's scratch", text: "my cat scratched my arm till it bled", want: []risk.Kind{sh}, denied: true},
		{name: "grabbed to keep me safe", text: "my teacher grabbed my arm to stop me falling", want: []risk.Kind{ca}, denied: true},
		{name: "grabbed", text: "my teacher grabbed my arm", want: []risk.Kind{ca}},
		{name: "the gym", text: "punishing myself at the gym", want: []risk.Kind{sh}, denied: true},
		{name: "a car before a shift", text: "i sleep in my car before night shifts", want: []risk.Kind{nt}, denied: true},
		{name: "a pillow thrown in play", text: "my boyfriend threw a cushion at me lol", want: []risk.Kind{risk.DomesticAbuse}, denied: true},
		{name: "play then harm", text: "he threw a pillow at me then punched me", want: []risk.Kind{risk.DomesticAbuse}},
		{name: "only the postman", text: "someone is trying the door, oh its only the postman", want: []risk.Kind{dn}, denied: true},
		{name: "the cat keeps scratching", text: "the cat keeps scratching my legs till they bleed", want: []risk.Kind{sh}, denied: true},
		// Round two: more risk told without its words.
		{name: "stubbed out on my arm", text: "i put a cigarette out on my arm", want: []risk.Kind{sh}},
		{name: "angry at myself", text: "when im angry at myself i bang my head", want: []risk.Kind{sh}},
		{name: "the cat, but it was not", text: "i said it was the cat but it wasnt", want: []risk.Kind{sh}},
		{name: "blades found by a parent", text: "my dad found my blades", want: []risk.Kind{sh}},
		{name: "a blade pressed in", text: "pushing the blade into my leg", want: []risk.Kind{sh}},
		{name: "who gets the dog", text: "wrote a note about who gets the dog", want: []risk.Kind{su}},
		{name: "nobody will miss me", text: "nobody will miss me anyway", want: []risk.Kind{su}},
		{name: "thanks for everything", text: "texted my sister a message saying thanks for everything and goodbye", want: []risk.Kind{su}},
		{name: "giving things away with no reason given", text: "giving my games to my cousin, he doesnt know why", want: []risk.Kind{su}},
		{name: "someone trying the back door", text: "a man is trying the back door", want: []risk.Kind{dn}},
		{name: "pay or else", text: "if i dont pay theyll come for me", want: []risk.Kind{dn}},
		{name: "will not take me home", text: "he refuses to take me home", want: []risk.Kind{dn}},
		{name: "placement broke down", text: "my placement broke down today", want: []risk.Kind{nt}},
		{name: "dont bother coming back", text: "i was told dont bother coming back", want: []risk.Kind{nt}},
		{name: "a shed", text: "been kipping in my mates garage", want: []risk.Kind{nt}},
		{name: "bags at the station", text: "all my stuff is with me and im sitting at the bus station", want: []risk.Kind{nt}},
		{name: "bags and a train", text: "got my bags, sat at the station waiting for my train", want: []risk.Kind{nt}, denied: true},
		{name: "a picture sent", text: "he snapchatted me a picture of his willy", want: []risk.Kind{sv}},
		{name: "blacked out after one drink", text: "blacked out after one drink", want: []risk.Kind{sv}},
		{name: "an hour ago is not the past", text: "my dad threw me out an hour ago", want: []risk.Kind{nt}},
		{name: "years ago is", text: "my dad threw me out years ago", want: nil},
		{name: "in bed with me, cosy", text: "he got in bed with me and we watched a film", want: nil},
		{name: "in bed with me uninvited", text: "he came into my room and got into bed with me", want: []risk.Kind{sv, ca}},
		{name: "could not push him off", text: "i couldnt push him off", want: []risk.Kind{sv}},
		{name: "still here after strangling", text: "he strangled me and hes still downstairs", want: []risk.Kind{dn, risk.DomesticAbuse}},
		{name: "a weapon outside the house", text: "theyre outside my flat with knives", want: []risk.Kind{dn}},
		{name: "all my insulin", text: "tempted to inject all of my insulin", want: []risk.Kind{su}},
		{name: "easier for everyone", text: "things would be easier for my family if i was gone", want: []risk.Kind{su}},
		// Rounds three and four.
		{name: "the thing with the lighter", text: "doing the thing with the blade again", want: []risk.Kind{sh}},
		{name: "a hand on the hob on purpose", text: "held my arm against the iron on purpose", want: []risk.Kind{sh}},
		{name: "a hand on the radiator", text: "i put my hand on the radiator, its freezing", want: nil},
		{name: "a nurse saw my wrists", text: "the teacher noticed my scars", want: []risk.Kind{sh}},
		{name: "until purple", text: "slapping my legs until they go purple", want: []risk.Kind{sh}},
		{name: "pills lined up", text: "the tablets are laid out in front of me", want: []risk.Kind{su}},
		{name: "a bus would hit me", text: "i keep hoping a lorry will hit me", want: []risk.Kind{su}},
		{name: "the bridge again", text: "thinking about the railway again", want: []risk.Kind{su}},
		{name: "the train times", text: "thinking about the train times for tomorrow", want: nil},
		{name: "tonight's the big match", text: "tonights the night, the big match", want: nil},
		{name: "life admin", text: "done with life admin for today", want: nil},
		{name: "relief to die", text: "being dead would be a relief", want: []risk.Kind{su}},
		{name: "a brick through the window", text: "someone threw a brick through my window", want: []risk.Kind{dn}},
		{name: "against the wall", text: "hes got my sister against the wall", want: []risk.Kind{dn}},
		{name: "im next", text: "he keeps shouting that im next", want: []risk.Kind{dn}},
		{name: "not going anywhere", text: "he told me im not leaving", want: []risk.Kind{dn}},
		{name: "kept going after i cried", text: "he carried on even when i cried", want: []risk.Kind{sv}},
		{name: "clothes torn", text: "a man ripped my top in the alley", want: []risk.Kind{sv}},
		{name: "legs forced", text: "he pulled my legs apart", want: []risk.Kind{sv}},
		{name: "hands all over me", text: "my supervisor put his hands all over me", want: []risk.Kind{sv}},
		{name: "a room given away", text: "my room was given to someone else", want: []risk.Kind{nt}},
		{name: "nights in a laundrette", text: "spending nights in the launderette", want: []risk.Kind{nt}},
		{name: "evenings at the gym", text: "spending my evenings at the gym", want: nil},
		{name: "the b&b ends", text: "the b&b ends tomorrow", want: []risk.Kind{nt}},
		{name: "not welcome", text: "my stepmum said im not welcome", want: []risk.Kind{nt}},
		{name: "turned away from the gym", text: "got turned away from the gym", want: nil},
		// Round five.
		{name: "a watch over the marks", text: "i wear a bracelet to hide the marks", want: []risk.Kind{sh}},
		{name: "new marks", text: "fresh marks on my thigh", want: []risk.Kind{sh}},
		{name: "fist into the mirror on purpose", text: "punched my hand into the wall on purpose", want: []risk.Kind{sh}},
		{name: "a razor in a pencil case", text: "i hide a blade in my phone case", want: []risk.Kind{sh}},
		{name: "a spare razor in a gym bag", text: "i keep a spare razor in my gym bag", want: nil},
		{name: "sick as punishment", text: "i make myself throw up after meals as punishment", want: []risk.Kind{sh}},
		{name: "rather not wake up", text: "id prefer to never wake up again", want: []risk.Kind{su}},
		{name: "rather not wake up early", text: "id rather not wake up early tomorrow", want: nil},
		{name: "a funeral playlist", text: "my funeral songs are chosen", want: []risk.Kind{su}},
		{name: "the note written", text: "left my note, goodbye", want: []risk.Kind{su}},
		{name: "the cliffs again", text: "the bridge where i keep ending up", want: []risk.Kind{su}},
		{name: "back with his mates", text: "theyre coming back for me with their mates", want: []risk.Kind{dn}},
		{name: "threatened with a screwdriver", text: "my brother threatened me with a screwdriver", want: []risk.Kind{dn, risk.DomesticAbuse}},
		{name: "a football against the door", text: "hes kicking the football against the door", want: nil},
		{name: "a knife for the cake", text: "shes got a knife to cut the cake", want: nil},
		{name: "touched up", text: "i keep getting felt up on the bus", want: []risk.Kind{sv}},
		{name: "comes in when i shower", text: "he walks in when im getting changed", want: []risk.Kind{sv}},
		{name: "a face on a porn video", text: "they put my photo into a porn clip", want: []risk.Kind{sv}},
		{name: "everything i own", text: "sat in the park with all my belongings", want: []risk.Kind{nt}},
		{name: "bags outside", text: "my dad threw all my things out the door", want: []risk.Kind{nt}},
		{name: "evicted from the quiz", text: "evicted from the quiz team lol", want: nil},
		// Round six.
		{name: "petrol on the doorstep", text: "someone splashed petrol through my letterbox", want: []risk.Kind{dn}},
		{name: "a knife pulled on me", text: "a lad pulled a blade on me", want: []risk.Kind{dn}},
		{name: "kept and not let go", text: "im locked in a room with people i dont know and they wont let me leave", want: []risk.Kind{dn, risk.DomesticAbuse}},
		{name: "the door code changed", text: "the landlord changed the door code", want: []risk.Kind{nt}},
		{name: "sofa hopping", text: "been sofa hopping since june", want: []risk.Kind{nt}},
		{name: "living out of the car", text: "living out of my car", want: []risk.Kind{nt}},
		{name: "living out of a suitcase on holiday", text: "living out of my bags on holiday", want: []risk.Kind{nt}, denied: true},
		{name: "knuckles raw from the wall", text: "my knuckles are bruised from punching the wall", want: []risk.Kind{sh}},
		{name: "knuckles raw from the cold", text: "my knuckles are raw from the cold", want: nil},
		{name: "calm after hurting", text: "i only feel better after i hurt myself", want: []risk.Kind{sh}},
		{name: "cannot say how i got them", text: "i cant tell the doctor how i got them", want: []risk.Kind{sh}},
		{name: "not seeing my birthday", text: "i dont expect to see my next birthday", want: []risk.Kind{su}},
		{name: "planning how to go", text: "i keep planning how to do it", want: []risk.Kind{su}},
		{name: "the dog given away", text: "rehomed my cat because i wont be around", want: []risk.Kind{su}},
		{name: "a car and nowhere", text: "i sleep in my car before work cos i have nowhere", want: []risk.Kind{nt}},
		// Round seven: roles over word classes, each tried with words of its
		// class that the round did not use.
		{name: "a debt then a task", text: "i owe this lad and now he says i have to move packages for him", want: []risk.Kind{ex}},
		{name: "a debt and a lift", text: "i owe my sister a tenner so i have to drive her to work", want: nil},
		{name: "sent away for days", text: "they send me up north for weeks", want: []risk.Kind{ex}},
		{name: "made to shift gear", text: "got made to stand there and sell gear for them", want: []risk.Kind{ex}},
		{name: "a holdall in my loft", text: "his mates stash a holdall in my loft and told me not to look", want: []risk.Kind{ex}},
		{name: "someone moved in and won't leave", text: "a lad moved into my flat and now strangers come and go all night", want: []risk.Kind{ex}},
		{name: "used by a gang", text: "my brother is being used by some older lads to carry", want: []risk.Kind{ex, risk.SomeoneElse}},
		{name: "an older man picks her up", text: "a grown man keeps picking her up after school", want: []risk.Kind{ex, risk.SomeoneElse}},
		{name: "my older brother picks me up", text: "my older brother picks me up from school", want: nil},
		{name: "wages never seen", text: "i do long shifts at the car wash and never get my wages", want: []risk.Kind{ex}},
		{name: "a wrist twisted hard", text: "my husband yanked my wrist so hard it bruised", want: []risk.Kind{da}},
		{name: "the keys hidden", text: "my partner hides my car keys so i cant go anywhere", want: []risk.Kind{da}},
		{name: "punished for going out", text: "every time i go out he smashes my stuff", want: []risk.Kind{da}},
		{name: "face in the pillow", text: "she pushed my face into the pillow", want: []risk.Kind{da}},
		{name: "dragged along to the gym", text: "my boyfriend dragged me to the gym", want: nil},
		{name: "a door handle tried", text: "somebody keeps rattling the back door", want: []risk.Kind{dn}},
		{name: "surrounded by men", text: "im surrounded by a gang of men", want: []risk.Kind{dn}},
		{name: "the tallest car park", text: "which is the tallest car park near me", want: []risk.Kind{su}},
		{name: "a lorry hoped for", text: "i hope i get run over on the way to work", want: []risk.Kind{su}},
		{name: "out of the way", text: "my family would be happier with me out of the way", want: []risk.Kind{su}},
		{name: "leave this world", text: "i want to leave this earth soon", want: []risk.Kind{su}},
		{name: "razor blades ordered", text: "ordered a pack of razor blades online", want: []risk.Kind{sh}},
		{name: "a wall on purpose", text: "i slam my hands against the wall", want: []risk.Kind{sh}},
		{name: "a video of me", text: "he has nude photos of me", want: []risk.Kind{sv}},
		{name: "comes in while i bathe", text: "the landlord lets himself in while im in the bath", want: []risk.Kind{sv}},
		{name: "her room at night", text: "my friend says her uncle creeps into her room at night", want: []risk.Kind{ca, risk.SomeoneElse}},
		{name: "not allowed to wash", text: "they wont let me shower or brush my teeth", want: []risk.Kind{ca}},
		{name: "our little game", text: "its our little game, nobody else can know", want: []risk.Kind{ca}},
		{name: "booted from the shelter", text: "the night shelter barred me", want: []risk.Kind{nt}},
		{name: "a doorway to sleep in", text: "looking for a shop doorway to kip in", want: []risk.Kind{nt}},
		{name: "no one left", text: "theres nobody left to stay with", want: []risk.Kind{nt}},
		{name: "weedkiller swallowed", text: "i drank a glass of the weedkiller", want: []risk.Kind{od}},
		{name: "far more pills", text: "took far more tablets than i should", want: []risk.Kind{od}},
		{name: "heard her begging", text: "i could hear the girl next door begging him to stop", want: []risk.Kind{risk.SomeoneElse}},
		// Round eight.
		{name: "a holdall to addresses", text: "im dropping his holdall round to different people", want: []risk.Kind{ex}},
		{name: "earning my bed", text: "they say i have to work off my room", want: []risk.Kind{ex}},
		{name: "dealing from my bedroom", text: "two lads are dealing out of my bedroom", want: []risk.Kind{ex}},
		{name: "letting them use my account", text: "i had to let them use my bank account", want: []risk.Kind{ex}},
		{name: "kept working", text: "they held us working in the back for months", want: []risk.Kind{ex}},
		{name: "wages for the bed", text: "the agent docks our wages for the bed", want: []risk.Kind{ex}},
		{name: "a debt and a lift home", text: "my mate lent me a tenner so i gave him a lift home", want: nil},
		{name: "the tall building", text: "keep staring at the high rise by the station and wondering", want: []risk.Kind{su}},
		{name: "topping myself", text: "might just top myself tonight", want: []risk.Kind{su}},
		{name: "topping up", text: "need to top myself up on credit", want: nil},
		{name: "scared of living", text: "im scared of living, not of dying", want: []risk.Kind{su}},
		{name: "stay asleep", text: "i wish i could sleep and never come back", want: []risk.Kind{su}},
		{name: "a cup at my head", text: "he threw a mug at my head", want: []risk.Kind{da}},
		{name: "told what to eat", text: "my wife decides what i can eat and who i can see", want: []risk.Kind{da}},
		{name: "broke my jaw", text: "my boyfriend fractured my jaw", want: []risk.Kind{da}},
		{name: "deported if i tell", text: "she says she will get me deported if i tell anyone", want: []risk.Kind{da}},
		{name: "a knife still held", text: "my ex is holding a machete", want: []risk.Kind{dn}},
		{name: "a window forced", text: "the back door is being forced open", want: []risk.Kind{dn}},
		{name: "waiting for me to leave", text: "three lads are waiting for me to walk past", want: []risk.Kind{dn}},
		{name: "a pill in one go", text: "took all my sleeping tablets in one go", want: []risk.Kind{od}},
		{name: "a month of pills", text: "i swallowed a whole month of my meds", want: []risk.Kind{od}},
		{name: "magnets swallowed", text: "i swallowed some magnets", want: []risk.Kind{od}},
		{name: "hit by a van", text: "just got knocked off by a van", want: []risk.Kind{od}},
		{name: "hit by a car years ago", text: "i got hit by a car when i was eight", want: nil},
		{name: "nothing arranged", text: "have to leave tomorrow and nothing sorted", want: []risk.Kind{nt}},
		{name: "the council will not help", text: "housing told me they wont help us", want: []risk.Kind{nt}},
		{name: "pieces on myself", text: "i used the shards on my arm", want: []risk.Kind{sh}},
		{name: "ice on my legs", text: "pressing ice on my legs till it burns", want: []risk.Kind{sh}},
		{name: "the condom taken off", text: "my date removed the condom halfway through", want: []risk.Kind{sv}},
		{name: "made to lift my top", text: "the guard made me pull up my top", want: []risk.Kind{sv}},
		{name: "a boss's knee", text: "my supervisor makes me sit on his lap", want: []risk.Kind{sv}},
		{name: "always hungry siblings", text: "my younger sisters are always starving", want: []risk.Kind{ca}},
		{name: "bathed by an uncle", text: "my stepdad washes me and i hate it", want: []risk.Kind{ca}},
		{name: "a friend's thighs shown", text: "my mate showed me his arms, covered in cuts", want: []risk.Kind{risk.SomeoneElse}},
		// Round nine.
		{name: "added to the debt", text: "whatever i lose they put it on my debt", want: []risk.Kind{ex}},
		{name: "working the line", text: "im doing the line till 2am every night", want: []risk.Kind{ex}},
		{name: "expected to keep them company", text: "i get a room but im expected to keep them company", want: []risk.Kind{ex}},
		{name: "asking to see my sister", text: "i need his permission to visit my sister", want: []risk.Kind{da}},
		{name: "hammering on the bedroom door", text: "hes hammering on the bedroom door", want: []risk.Kind{dn}},
		{name: "the delivery man at the door", text: "someone was banging on the door, it turned out to be the courier", want: []risk.Kind{dn}, denied: true},
		{name: "finish what he started", text: "he says hell finish what he started", want: []risk.Kind{dn}},
		{name: "let the thoughts win", text: "tonight im going to let the thoughts win", want: []risk.Kind{su}},
		{name: "stop waking up", text: "i just want to stop waking up", want: []risk.Kind{su}},
		{name: "ready to be done with work", text: "im ready to be done with this job", want: nil},
		{name: "by my bed", text: "i woke up and a man was standing over my bed", want: []risk.Kind{sv}},
		{name: "doors not unlocked", text: "he wouldnt open the door until i kissed him", want: []risk.Kind{sv}},
		{name: "an ankle backwards", text: "my knee is bent backwards", want: []risk.Kind{od}},
		{name: "a lighter bought for it", text: "got a new razor just for my thighs", want: []risk.Kind{sh}},
		{name: "left alone for days", text: "we get left at home for days", want: nil},
		{name: "left in the flat overnight", text: "we get left in the house overnight", want: []risk.Kind{ca}},
		{name: "outside with my bags", text: "sat outside with all my belongings", want: []risk.Kind{nt}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := m.Assess(tt.text)
			var got []risk.Kind
			for _, f := range a.Findings {
				got = append(got, f.Kind)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Assess(%q) kinds (-want +got):\n%s\n%+v", tt.text, diff, m.Explain(tt.text))
			}
			if len(tt.want) > 0 && a.Denied() != tt.denied {
				t.Errorf("Assess(%q) denied = %v, want %v", tt.text, a.Denied(), tt.denied)
			}
		})
	}
}
