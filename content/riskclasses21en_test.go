package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestTwentyFirstRoundEnglishClasses holds the English phrases (read alone,
// without the learned reader) to the classes of miss and false alarm that the
// English lines of the fifteenth blind set and the training sets showed, each
// in wordings of its own rather than the sets': harm to a child seen or heard
// by a neighbour or a relative, a baby shaken, an adult grooming a child with
// money or meetings, wages kept for the housing, a threat of violence with its
// "now", a room promised on arrival that has gone quiet, someone else's leaving
// told by its acts, a place to jump where nobody stops you; and the ordinary
// messages beside them: a relative's or a boss's "will strangle me when she
// hears", the weather that "will finish me off", help that worked, housed since
// the eviction, temporary accommodation for years, a course's topics, a stay
// agreed while sofa surfing, harm by a parent long past and peace made.
func TestTwentyFirstRoundEnglishClasses(t *testing.T) {
	su, sh, se, ca := risk.Suicide, risk.SelfHarm, risk.SomeoneElse, risk.ChildAbuse
	da, ex, od := risk.DomesticAbuse, risk.Exploitation, risk.Overdose
	dn, nt := risk.DangerNow, risk.NowhereTonight
	_, _, _, _, _, _, _, _, _ = su, sh, se, ca, da, ex, od, dn, nt
	runFindingCases(t, []engineCase{
		// A child next door hit, heard through the wall, thin and asking for food, left alone.
		{name: "a boy over the road beaten", text: "the boy over the road gets belted by his stepdad, you can hear it from the street", want: []risk.Kind{ca, se}},
		{name: "a neighbour's daughter", text: "my neighbours daughter is 8 and her mum hits her with a slipper every night", want: []risk.Kind{ca, da, se}},
		{name: "through the ceiling", text: "every evening through the ceiling we hear thumping and then a little one sobbing", want: []risk.Kind{ca}},
		{name: "heard smacking the toddler", text: "i could hear the couple upstairs smacking their toddler again", want: []risk.Kind{ca, se}},
		{name: "his father beats him daily", text: "a lad in my sons class says his father beats him every day", want: []risk.Kind{ca, da, se}},
		{name: "marks and not going home", text: "the girl i tutor had bruises on her arms and didnt want to go home after", want: []risk.Kind{ca, se}},
		{name: "skin and bone", text: "the kids across the landing are skin and bone and their dad is never in", want: []risk.Kind{ca}},
		{name: "knocking for food", text: "the little ones downstairs keep knocking and asking us for something to eat", want: []risk.Kind{ca, se}},
		{name: "left alone for the weekend", text: "my brother leaves his boys on their own all weekend when he goes drinking", want: []risk.Kind{ca, se}},
		{name: "slaps and sobbing", text: "the children below us get screamed at and then theres slapping noises and sobbing", want: []risk.Kind{ca}},
		{name: "alone since saturday", text: "the kids across the road have been home alone since saturday, no grown ups at all", want: []risk.Kind{ca}},
		{name: "a child home from a party", text: "my son had such a good time at the party he didnt want to go home", want: nil},
		{name: "a neighbour's kid asks for a ball", text: "the kid next door asked me for his football back over the fence", want: nil},
		{name: "left with grandma", text: "i leave the kids with my mum on fridays, is there a club for them instead", want: nil},
		{name: "hungry after football", text: "the lads next door are always starving after football so i do them toast", want: nil},
		{name: "bread for the ducks", text: "my little girl asked me for bread to feed the ducks", want: nil},
		{name: "bruises from rugby", text: "my son didnt want to go home from his dads, he had bruises from rugby though", want: nil},
		// A baby shaken.
		{name: "shook our daughter", text: "my fiance shook our daughter really hard because she wouldnt settle", want: []risk.Kind{ca}},
		{name: "the baby was shaken", text: "i think the baby was shaken while i was at work", want: []risk.Kind{ca}},
		{name: "shaking a rattle", text: "the baby loves it when i shake the rattle for her", want: nil},
		// An adult and a child: money, gifts, meeting, an adult partner.
		{name: "a grown man and a 13 yr old", text: "a grown man is texting my 13 yr old and sends her gift cards", want: []risk.Kind{ca, ex}},
		{name: "an older woman and a son", text: "an older woman from the gym keeps messaging my son, hes 15, and buys him trainers", want: []risk.Kind{ca, ex}},
		{name: "a granddaughter of 14 and a man of 30", text: "my granddaughter is 14 and her so called boyfriend is 30", want: []risk.Kind{ca}},
		{name: "teenagers together", text: "my son is 16 and his girlfriend is 17, they are lovely together", want: nil},
		// Wages kept for the housing.
		{name: "the agency takes the pay", text: "the agency keeps most of our pay for the caravan and we cant leave", want: []risk.Kind{dn, ex}},
		{name: "nine to a room", text: "nine of us sleep in one room and the boss has our passports", want: []risk.Kind{ex}},
		{name: "pay for board at home", text: "my mum takes some of my wages for board, is that normal at 19", want: nil},
		{name: "an agency pays holiday", text: "does the agency have to pay me holiday pay", want: nil},
		// A threat of violence now, with its condition.
		{name: "teeth if I don't pay now", text: "hes at my door saying hell knock my teeth in if i dont pay him right now", want: []risk.Kind{dn}},
		{name: "a lender's men", text: "the loan shark sent men round saying they will break my fingers", want: []risk.Kind{dn}},
		{name: "a joke about legs", text: "my coach jokes hell break my legs if i skip training", want: nil},
		{name: "a test today haha", text: "my dad will break my legs if i dont pass my theory test today haha", want: nil},
		// Just arrived, and the room promised has gone quiet.
		{name: "a coach and a cousin", text: "landed at gatwick an hour ago, my cousin was meant to give me a bed but shes not picking up and its dark", want: []risk.Kind{nt}},
		{name: "a hotel that was a scam", text: "the hotel we booked was a scam and its gone midnight, we have the kids with us", want: []risk.Kind{nt}},
		{name: "the room fell through", text: "the room i was promised has fallen through and i have all my bags with me", want: []risk.Kind{nt}},
		{name: "a viewing", text: "the landlord promised me a viewing next week, should i bring payslips", want: nil},
		// Someone else's leaving told by its acts.
		{name: "a widower and his pills", text: "since mum passed my dad says he wants to be with her again and hes been saving his tablets", want: []risk.Kind{se}},
		{name: "join her husband", text: "my gran says every day that she is ready to go and join grandad", want: []risk.Kind{se}},
		{name: "the cat and voicemail", text: "my flatmate told me to take care of her cat and now it goes straight to voicemail", want: []risk.Kind{se}},
		{name: "thanks to all of us", text: "my cousin messaged the whole family to say sorry for everything and look after each other", want: []risk.Kind{se}},
		{name: "a rabbit dropped off", text: "my sister dropped her rabbit round at mine this morning and now nobody can get hold of her", want: []risk.Kind{se}},
		{name: "sorry to everyone", text: "my dad sent the whole family a text saying sorry for everything, hes not answering", want: []risk.Kind{se}},
		{name: "joining a class", text: "my daughter wants to join mum at the choir on tuesdays", want: nil},
		{name: "minding a dog on holiday", text: "can you look after my dog while im in spain next week", want: nil},
		{name: "thanks at a party", text: "my nan messaged the whole family to say thank you for everything after her party", want: nil},
		{name: "no meat", text: "my sister doesnt eat meat and fainted once at the gym", want: nil},
		{name: "tell him at school", text: "tell my little brother i love him if you see him at school", want: nil},
		// A place to jump where nobody stops you; a search for how many pills.
		{name: "a car park where nobody sees", text: "which multi storey car park is there where nobody will see you", want: []risk.Kind{su}},
		{name: "a roof with no one", text: "is there a tower block roof you can get onto without anyone stopping you", want: []risk.Kind{su}},
		{name: "the search history", text: "i looked up how many sleeping pills would kill me", want: []risk.Kind{su}},
		{name: "the easiest bridge", text: "which is the easiest bridge to jump from round here", want: []risk.Kind{su}},
		{name: "a car park nobody checks", text: "whats the tallest car park in town that nobody checks at night", want: []risk.Kind{su}},
		{name: "a bridge for a walk", text: "is there a bridge near the park where we can walk the dog", want: nil},
		// A relative's or a boss's "will strangle me when she hears" (never a partner's).
		{name: "a sister in law", text: "my sister in law will kill me when she finds out i forgot the cake", want: nil},
		{name: "a line manager", text: "my line manager is going to murder me when he sees the rota", want: nil},
		{name: "a grandmother", text: "my grandmother is gonna strangle me if she hears i quit college", want: nil},
		{name: "a wife and a new sofa", text: "my wife will kill me when she sees the sofa i ordered", want: nil},
		{name: "a husband and the police", text: "my husband will kill me when he finds out i went to the police", want: []risk.Kind{dn}},
		{name: "a partner who will kill me", text: "my boyfriend will kill me, hes got a knife", want: []risk.Kind{dn}},
		// The weather or the stairs that "will finish me off".
		{name: "the cold snap", text: "this cold snap is going to finish me off, can i get help with heating", want: nil},
		{name: "the hay fever", text: "hay fever will be the death of me this year", want: nil},
		{name: "someone finishing me", text: "hes going to finish me off when he gets home", want: []risk.Kind{dn}},
		// Help that worked and a recovery told together.
		{name: "cbt helped", text: "two years ago i wanted to end my life but cbt really helped and im a lot better", want: []risk.Kind{su}, denied: true},
		{name: "meds and doing well", text: "i had suicidal thoughts in the spring, the meds worked and im doing really well now", want: []risk.Kind{su}, denied: true},
		{name: "wanting to die now", text: "therapy helped for a while but i want to die again", want: []risk.Kind{su}},
		// Housed since the eviction; temporary accommodation for years.
		{name: "rehoused", text: "we were evicted in the spring but the housing association rehoused us and were settled", want: []risk.Kind{nt}, denied: true},
		{name: "a council house now", text: "i was homeless for a bit but im now in a council flat and loving it", want: nil},
		{name: "a hostel for years", text: "technically homeless, been in a hostel for 3 years, safe but small, how do i bid", want: nil},
		{name: "evicted today", text: "we got evicted today and have nowhere to go", want: []risk.Kind{nt}},
		// A course's topics; a stay agreed while sofa surfing.
		{name: "a training day", text: "does the safeguarding training cover self harm, just so i know", want: nil},
		{name: "sofa surfing, a stay agreed", text: "sofa surfing at my brothers, he says i can stay till my flat is ready", want: nil},
		{name: "sofa surfing, ok for now", text: "still sofa surfing but its ok for now", want: nil},
		{name: "sofa surfing, out tonight", text: "sofa surfing and my mate says i have to go tonight", want: []risk.Kind{nt}},
		// Self-harm stopped, told with the time since.
		{name: "weeks since I last", text: "its been six weeks since i last cut myself", want: []risk.Kind{sh}, denied: true},
		{name: "stopped since the summer", text: "ive stopped self harming since the summer and im proud", want: []risk.Kind{sh}, denied: true},
		{name: "stopped but now", text: "i stopped cutting but now i burn myself instead", want: []risk.Kind{sh}},
		// Harm by a parent long past and peace made.
		{name: "peace with a father", text: "my dad used to hit us when we were kids but hes changed and we get on now", want: []risk.Kind{ca}, denied: true},
		{name: "a parent still hitting", text: "my dad used to hit us and he still does it to my little brother", want: []risk.Kind{ca}},
		// Someone else's attempt long over.
		{name: "a friend doing better", text: "my mate tried to kill himself in march, hes had loads of support since", want: []risk.Kind{se}, denied: true},
		// Self-harm told beside a denial of wanting to die; skin pinched till it bruises; a lighter.
		{name: "just to feel something", text: "im not trying to die, i dont want to die, i just need to feel something", want: []risk.Kind{su, sh}},
		{name: "scratching till it bleeds", text: "when the rent goes out i keep scratching my arms till they bleed", want: []risk.Kind{sh}},
		{name: "a lighter after work", text: "after my shift i burned my wrist with a lighter again", want: []risk.Kind{sh}},
		{name: "a lighter for candles", text: "i lit the birthday candles with a lighter after my shift", want: nil},
		{name: "hidden at the gym", text: "ive been cutting my hips so nobody sees in the changing rooms at the gym", want: []risk.Kind{sh}},
		// A blow that just misses, as a warning; afraid of him every day.
		{name: "the door by my face", text: "he never touches me but he slammed the door right by my face and said next time it wont be the door", want: []risk.Kind{da}},
		{name: "afraid every single day", text: "been married 20 years and im terrified of him every single day", want: []risk.Kind{da}},
		// Acts of leaving told without the words; a closed garage; pills counted.
		{name: "a letter to read after", text: "i wrote a letter for my sister to read after im gone", want: []risk.Kind{su}},
		{name: "counting the tablets", text: "sitting here counting out all my tablets", want: []risk.Kind{su}},
		{name: "a garage", text: "im in the garage with the engine running", want: []risk.Kind{su}},
		{name: "warming the car", text: "left the engine running on the drive to warm the car up", want: nil},
		{name: "a video for after the play", text: "i recorded a video for my mum to watch after the nativity", want: nil},
		{name: "the dosette box", text: "counting my tablets into the dosette box for the week", want: nil},
		// A hostel that won't let me in tonight.
		{name: "locked out of the foyer", text: "the foyer wont let me in cos i missed curfew and its freezing", want: []risk.Kind{nt}},
		// Someone else: not eating and fainting; not seen for days; "look after mum for me".
		{name: "a sister not eating", text: "my sister wont eat anything and collapsed at work, shes so thin", want: []risk.Kind{se}},
		{name: "a neighbour not seen", text: "the old man next door hasnt been seen for days, his curtains are still shut", want: []risk.Kind{se}},
		{name: "look after mum for me", text: "my brother texted look after mum for me and now his phone is off", want: []risk.Kind{se}},
		// A course asked about; a broadcaster named; "let me in cos".
		{name: "a course's topics", text: "starting my youth work course, will we have to discuss self harm", want: []risk.Kind{sh}, denied: true},
		{name: "the bbc", text: "heard on the bbc news about county lines, scary", want: nil},
		// Further classes of the sets' misses: a child never seen going to school, a partner
		// "hurting my kids", little ones kept in a car for hours; county lines in its own slang,
		// made to hold drugs, pounds a week, never paid; a neighbour with new bruises every week;
		// "she said she'd had enough"; sorry for everything sent; nothing given for food.
		{name: "never at school", text: "we never see the little girl upstairs go to school", want: []risk.Kind{ca}},
		{name: "hurting my kids", text: "my sisters new partner is hurting my kids when they stay over", want: []risk.Kind{ca}},
		{name: "nobody hurting the kids", text: "nobody is hurting the kids, they just fight over the ipad", want: nil},
		{name: "kids in the van", text: "he leaves his little ones in the van outside the pub for hours", want: []risk.Kind{ca, se}},
		{name: "run a line", text: "they said i have to run a line to ipswich to pay it back", want: []risk.Kind{ex}},
		{name: "going country", text: "they want me going country again tomorrow", want: []risk.Kind{ex}},
		{name: "country walk", text: "we are going to the country for a walk on sunday", want: nil},
		{name: "made to hold guns", text: "my cousin is being made to hold guns at his flat by some older lads", want: []risk.Kind{ex, se}},
		{name: "ten pound a day", text: "i work in the kitchen every day and they pay me 10 pound a day", want: []risk.Kind{ex}},
		{name: "bruises every week", text: "the woman next door has new bruises every week", want: []risk.Kind{se}},
		{name: "had enough", text: "my flatmate texted earlier that shed had enough and now her door is locked", want: []risk.Kind{se}},
		{name: "had enough of a job", text: "she said shed had enough of her job so she quit", want: nil},
		{name: "sorry for everything sent", text: "i texted my mum saying sorry for everything", want: []risk.Kind{su}},
		{name: "nothing for food", text: "my husband takes my wages and gives me nothing for food", want: []risk.Kind{da}},
	})
}
