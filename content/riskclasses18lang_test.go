package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestEighteenthRoundLanguageClasses holds the phrases of the nine languages
// other than English (read alone, without the learned reader) to the classes
// of the eighteenth round, each in wordings of its own rather than a set's:
// choking, a grown child who hurts a parent, being locked in or followed now,
// a child of a given age harmed, pictures asked for game credit, nights slept
// out, suicide told by acts (things given away, pills saved, a rope bought,
// better off without me), someone else told in the third person; and the
// ordinary talk that shares their words (a school project on the topic, a mark
// or an exam that "will kill me", a joke said so, a burn while cooking, a
// question whether help exists, the heat, everyday medicine, a car on a trip).
func TestEighteenthRoundLanguageClasses(t *testing.T) {
	oi, dn, su, sh := risk.Overdose, risk.DangerNow, risk.Suicide, risk.SelfHarm
	sv, ca, da, ex := risk.SexualViolence, risk.ChildAbuse, risk.DomesticAbuse, risk.Exploitation
	nt, se := risk.NowhereTonight, risk.SomeoneElse
	runFindingCases(t, []engineCase{
		// Polish.
		{name: "pl: choked last night", text: "wczoraj mnie przydusil przy dzieciach", want: []risk.Kind{da}},
		{name: "pl: a grown son who shoves", text: "moj syn ma 40 lat i jak nie dam mu pieniedzy to szarpie mnie za rece", want: []risk.Kind{da}},
		{name: "pl: locked in the cellar", text: "zamknal mnie w piwnicy i zabral klucze", want: []risk.Kind{dn}},
		{name: "pl: a child of nine locked in", text: "konkubent zamyka mojego 9 letniego synka w pokoju bez jedzenia", want: []risk.Kind{ca}},
		{name: "pl: pictures for game skins", text: "ktos z fortnite obiecuje mojej corce skiny za fotki", want: []risk.Kind{ca}},
		{name: "pl: nobody will put me up", text: "szwagier mnie juz nie przenocuje a na dworze mroz", want: []risk.Kind{nt}},
		{name: "pl: a neighbour heard hit", text: "za sciana slysze co noc jak ja bije, sasiadka ma podbite oko", want: []risk.Kind{se}},
		{name: "pl: a son tired of life", text: "moj syn pisze ze ma dosc zycia i nie odbiera", want: []risk.Kind{se}},
		{name: "pl: a school essay on homelessness", text: "syn pisze referat do szkoly o bezdomnosci, macie jakies liczby?", want: []risk.Kind{nt, se}, denied: true},
		{name: "pl: an exam that makes me kill myself, a joke", text: "jutro kolokwium z fizyki, chyba sie zabije 😂 zart", want: nil},
		{name: "pl: no thoughts of suicide", text: "nie mam zadnych mysli samobojczych, tylko brak mi pracy", want: []risk.Kind{su}, denied: true},
		{name: "pl: a daughter asleep in the car on a trip", text: "corka spi w aucie jak jedziemy nad morze", want: nil},
		// Romanian.
		{name: "ro: held by the throat", text: "aseara m a strans de gat pana am lesinat", want: []risk.Kind{da}},
		{name: "ro: papers and card held", text: "sotul si soacra imi tin buletinul si cardul de salariu", want: []risk.Kind{da, ex}},
		{name: "ro: nights in a park", text: "dorm de trei nopti in parcul de langa gara", want: []risk.Kind{nt}},
		{name: "ro: a lighter on the arm", text: "iar mi am pus bricheta pe brat cand am ramas singura", want: []risk.Kind{sh}},
		{name: "ro: better off without me", text: "familia mea ar fi mai linistita fara mine", want: []risk.Kind{su}},
		{name: "ro: wages for a debt", text: "sefu ne opreste tot salariul pentru datorie la drum", want: []risk.Kind{ex}},
		{name: "ro: a mark that will kill me", text: "am luat nota patru la mate, mama o sa ma omoare", want: nil},
		{name: "ro: a school project on trafficking", text: "fiul meu face un referat la scoala despre trafic de persoane", want: []risk.Kind{ex, se}, denied: true},
		{name: "ro: someone else's husband", text: "sotul ei o bate de fiecare data cand bea", want: []risk.Kind{se}},
		{name: "ro: pills for an allergy", text: "fiica mea a luat pastilele pentru alergie azi", want: nil},
		{name: "ro: a daughter who took all the pills", text: "fiica mea a inghitit toate pastilele din cutie", want: []risk.Kind{oi, se}},
		{name: "ro: eight to a room", text: "dormim 8 intr o camera si ne ia tot salariul pentru datorie", want: []risk.Kind{ex}},
		// Lithuanian.
		{name: "lt: a packet of tablets swallowed", text: "isgeriau visa pakuote migdomuju tableciu", want: []risk.Kind{oi}},
		{name: "lt: money kept by a husband", text: "vyras kontroliuoja visus mano pinigus ir duoda tik 15 svaru per savaite", want: []risk.Kind{da}},
		{name: "lt: climbing in now", text: "kazkas bando ilipti pro langa dabar", want: []risk.Kind{dn}},
		{name: "lt: nowhere to sleep", text: "esu gatveje ir neturiu kur nakvoti", want: []risk.Kind{nt}},
		{name: "lt: a rope bought", text: "jau nusipirkau virve, niekas nesužinos", want: []risk.Kind{su}},
		{name: "lt: a college paper on trafficking", text: "dukra raso darba universitete apie prekyba zmonemis", want: []risk.Kind{ex, se}, denied: true},
		{name: "lt: a thought held a long time", text: "esu tik nasta seimai, jau seniai taip galvoju", want: []risk.Kind{su}},
		{name: "lt: cutting long ago", text: "pjausciausi, bet tai buvo seniai", want: []risk.Kind{sh}, denied: true},
		// Turkish.
		{name: "tr: choked last night", text: "dun aksam kocam bogazimi sikti", want: []risk.Kind{da}},
		{name: "tr: followed by a car", text: "bir araba duraktan beri pesimde, cok korkuyorum", want: []risk.Kind{dn}},
		{name: "tr: pills saved", text: "ilaclarimi biriktiriyorum, yakinda bitecek", want: []risk.Kind{su}},
		{name: "tr: a cigarette on the arm", text: "sinirlenince sigarayi koluma bastiriyorum", want: []risk.Kind{sh}},
		{name: "tr: a father who will kill me over a mark", text: "karnemi gorunce babam beni oldurecek", want: nil},
		{name: "tr: a homework on violence", text: "kizim aile ici siddet uzerine bir odev hazirliyor", want: []risk.Kind{da, se}, denied: true},
		{name: "tr: a stranger in a game asks for pictures", text: "oyunda bir adam kizimdan fotograf istiyor", want: []risk.Kind{ca}},
		{name: "tr: a son who cuts himself", text: "oglum kendini kesiyor, kollarinda jilet izleri var", want: []risk.Kind{se}},
		// Spanish.
		{name: "es: grabbed by the neck", text: "me agarro del cuello y no podia respirar", want: []risk.Kind{da}},
		{name: "es: someone outside with a knife", text: "hay un hombre en la puerta de casa con una navaja", want: []risk.Kind{dn}},
		{name: "es: a child of six with bruises", text: "mi nieta de 6 anos viene de casa de su padre con moratones", want: []risk.Kind{ca}},
		{name: "es: cutting my arms", text: "me corto los brazos cuando nadie me ve", want: []risk.Kind{sh}},
		{name: "es: better off without me", text: "mis padres estarian mejor sin mi", want: []risk.Kind{su}},
		{name: "es: a fright from football", text: "el Betis me va a matar de un disgusto", want: nil},
		{name: "es: asking whether help exists", text: "hay ayuda para pagar la luz?", want: nil},
		{name: "es: a burn while frying", text: "me queme la mano con el aceite al freir patatas", want: nil},
		{name: "es: a tablet for blood pressure", text: "mi madre se tomo la pastilla de la tension", want: nil},
		{name: "es: a sister who sleeps in the street", text: "mi hermana duerme en la calle desde el lunes", want: []risk.Kind{se}},
		// Portuguese.
		{name: "pt: grabbed by the neck", text: "ele me pegou pelo pescoco ontem a noite", want: []risk.Kind{da}},
		{name: "pt: tonight when he gets home", text: "ele disse que quando chegar hoje me mata", want: []risk.Kind{dn}},
		{name: "pt: a secret kept by a child", text: "o tio faz ela guardar segredo e ela tem so 7 anos", want: []risk.Kind{ca}},
		{name: "pt: no place to stay", text: "fui expulsa do quarto e estou sem lugar pra ficar", want: []risk.Kind{nt}},
		{name: "pt: goodbyes said", text: "ja me despedi de todo mundo, obrigado por tudo", want: []risk.Kind{su}},
		{name: "pt: a test that will kill me", text: "tirei zero na prova, meu pai vai me matar", want: nil},
		{name: "pt: a burn at the bakery oven", text: "queimei a mao no forno do trabalho, ja passei pomada", want: nil},
		// Urdu, romanised.
		{name: "ur: following me now", text: "koi banda mera peecha kar raha hai metro se", want: []risk.Kind{dn}},
		{name: "ur: locked in by in-laws", text: "sasural wale mujhe kamre mein band kar dete hain", want: []risk.Kind{da}},
		{name: "ur: bleeding that does not stop", text: "bazu pe gehra kat hai aur khoon ruk nahi raha", want: []risk.Kind{oi}},
		{name: "ur: a whole strip of tablets", text: "maine poori patti kha li hai abhi", want: []risk.Kind{oi}},
		{name: "ur: praying not to wake", text: "dil karta hai subah aankh na khule", want: []risk.Kind{su}},
		// Bengali, romanised.
		{name: "bn: burnt with an iron", text: "kal iron diye nijer hate chhek diyechi", want: []risk.Kind{sh}},
		{name: "bn: a child beaten", text: "amar 7 bochorer cheleke or baba roj mare", want: []risk.Kind{ca}},
		{name: "bn: a friend who will kill herself", text: "amar bondhu bolche se nijeke mere felbe", want: []risk.Kind{su, se}},
		{name: "bn: a college project", text: "amar bon university te project korche atmohotta niye", want: []risk.Kind{se}, denied: true},
		// Somali.
		{name: "so: touched where I do not want", text: "maamulaha ayaa i taabta meelo aanan rabin", want: []risk.Kind{sv}},
		{name: "so: the heat kills me", text: "kulaylka maanta wuu i dilayaa", want: nil},
		{name: "so: skin scratched till it bleeds", text: "gacanta ayaan xoqaa ilaa dhiig ka yimaado", want: []risk.Kind{sh}},
	})
}
