package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestTwentiethRoundLanguageClasses holds the phrases of eight languages
// other than English (all but Somali, whose round was left out; read alone, without the learned reader) to the classes
// of ordinary talk of the twentieth round, each in wordings of its own rather
// than a set's: a parent who "will kill me" when she sees my hair, my marks
// or a bill, or if I fail; a parent, a sibling or a boss (never a partner)
// who "will kill me" for a mischief owned up to (I broke, scratched, took or
// ate something of theirs); an exam, a game or a diet that "will kill me"; "I'll kill myself"
// if a named team loses; a group that "helps me", a first-aid course, months
// "without self-harming", self-harm long ago and well now. Beside them the
// disclosures that share the words and must still be heard: a husband who
// will kill me, a knife, a threat for going to the police, "if he leaves me".
func TestTwentiethRoundLanguageClasses(t *testing.T) {
	oi, dn, su, sh := risk.Overdose, risk.DangerNow, risk.Suicide, risk.SelfHarm
	sv, ca, da, ex := risk.SexualViolence, risk.ChildAbuse, risk.DomesticAbuse, risk.Exploitation
	nt, se := risk.NowhereTonight, risk.SomeoneElse
	_, _, _, _, _, _, _, _, _, _ = oi, dn, su, sh, sv, ca, da, ex, nt, se
	runFindingCases(t, []engineCase{
		// A parent who "will kill me" when she sees my hair, my marks or a bill, or if I fail.
		{name: "es: mum when she sees my marks", text: "mi madre me mata cuando vea mis notas", want: nil},
		{name: "es: dad if I fail", text: "mi padre me va a matar si suspendo mates otra vez", want: nil},
		{name: "pt: mum when she sees my hair", text: "a minha mae vai me matar quando ver o meu cabelo azul", want: nil},
		{name: "pt: dad if I fail", text: "meu pai vai me matar se eu reprovar de novo", want: nil},
		{name: "ro: dad when he sees the bill", text: "tata o sa ma omoare cand vede factura la telefon", want: nil},
		{name: "ro: mum if I fail", text: "mama ma omoara daca iau nota mica la bac", want: nil},
		{name: "ro: the exam is killing me", text: "ma omoara simularea de la romana", want: nil},
		{name: "pl: mum when she sees my hair", text: "mama mnie zabije jak zobaczy moje wlosy", want: nil},
		{name: "pl: dad if I fail", text: "tata zabije mnie jak nie zdam matury", want: nil},
		{name: "tr: mum when she sees my marks", text: "annem karnemi gorunce beni oldurecek", want: nil},
		{name: "tr: dad if I fail the class", text: "sinifta kalirsam babam beni oldurur", want: nil},
		{name: "lt: mum when she sees my hair", text: "mama mane uzmus kai pamatys mano plaukus", want: nil},
		{name: "lt: dad if I fail", text: "tevas mane uzmus jei neislaikysiu egzamino", want: nil},
		{name: "ur: mum when she sees my result", text: "ammi mujhe maar dalegi jab mera result dekhegi", want: nil},
		{name: "ur: dad if I fail", text: "agar main fail ho gaya to abbu mujhe maar dalenge", want: nil},
		{name: "bn: mum because I failed", text: "ammu amake mere felbe karon ami fail korsi", want: nil},
		// A mischief owned up to: I broke, scratched, took or ate something of theirs.
		{name: "es: a sister's phone broken", text: "mi hermana me va a matar, le rompi el movil jaja", want: nil},
		{name: "pt: dad's car scratched", text: "o meu pai vai me matar, risquei o carro dele kkk", want: nil},
		{name: "ro: a sister's dress taken", text: "sora mea o sa ma omoare ca i am luat rochia", want: nil},
		{name: "pl: mum's vase broken", text: "mama mnie zabije, stluklam jej wazon", want: nil},
		{name: "tr: an older sister's dress taken", text: "ablam beni oldurecek elbisesini aldim", want: nil},
		{name: "lt: mum's vase broken", text: "mama mane uzmus, sudauziau jos vaza", want: nil},
		{name: "ur: mum's phone broken", text: "ammi mujhe maar dalengi, maine unka phone tod diya", want: nil},
		{name: "bn: mum's phone broken", text: "ammu amake mere felbe, ami tar phone bhenge felsi", want: nil},
		{name: "pl: I'll kill him, with a laugh", text: "brat zjadl mi cala pizze, zabije go xd", want: nil},
		{name: "es: tomorrow's exam", text: "el examen de manana me va a matar", want: nil},
		// This game, this diet "will kill me"; this man still is heard.
		{name: "es: this game", text: "este juego me va a matar jaja", want: nil},
		{name: "pt: this diet", text: "essa dieta vai me matar", want: nil},
		{name: "ro: this game", text: "jocul asta ma omoara", want: nil},
		{name: "tr: this game", text: "bu oyun beni oldurecek", want: nil},
		{name: "ur: this game", text: "ye game mujhe maar dalegi", want: nil},
		{name: "bn: this game", text: "ei game ta amake mere felbe", want: nil},
		{name: "es: this man", text: "este tio me va a matar", want: []risk.Kind{dn}},
		{name: "ro: this man", text: "tipul asta o sa ma omoare", want: []risk.Kind{dn}},
		{name: "tr: this man", text: "bu adam beni oldurecek", want: []risk.Kind{dn}},
		{name: "ur: this man", text: "ye aadmi mujhe maar dalega", want: []risk.Kind{dn}},
		// A partner, a weapon or going to the police is still heard.
		{name: "es: a husband, a knife", text: "mi marido me va a matar, rompi su movil y tiene un cuchillo", want: []risk.Kind{dn}},
		{name: "es: a father, for going to the police", text: "mi padre me va a matar cuando se entere que fui a la policia", want: []risk.Kind{dn}},
		{name: "pt: a husband, for going to the police", text: "o meu marido vai me matar porque fui a policia", want: []risk.Kind{dn, su}},
		{name: "ro: a husband, for running away", text: "sotul o sa ma omoare pentru ca am fugit de acasa", want: []risk.Kind{dn}},
		{name: "ro: he will kill me, a knife", text: "o sa ma omoare, are un cutit", want: []risk.Kind{dn}},
		{name: "pl: he will kill me, a knife", text: "on mnie zabije, ma noz", want: []risk.Kind{dn}},
		{name: "tr: dad will kill me, a knife in his hand", text: "babam beni oldurecek, elinde bicak var", want: []risk.Kind{dn}},
		{name: "lt: he will kill me, a knife", text: "jis mane uzmus, turi peili", want: []risk.Kind{dn}},
		{name: "ur: a husband, a knife", text: "shohar mujhe maar dalega, uske paas chaku hai", want: []risk.Kind{dn}},
		{name: "bn: dad, a knife", text: "abba amake mere felbe, churi niye ache", want: []risk.Kind{dn}},
		{name: "bn: dad, for running away", text: "abba amake mere felbe karon ami palie esechi", want: []risk.Kind{dn}},
		// "I'll kill myself" if a named team loses; if he leaves me is still heard.
		{name: "es: if Madrid loses", text: "si pierde el Madrid me mato", want: nil},
		{name: "pt: if Benfica loses", text: "se o Benfica perder eu me mato kkkk", want: nil},
		{name: "ro: if Steaua loses", text: "daca pierde Steaua ma sinucid", want: nil},
		{name: "pl: if Legia loses", text: "jak Legia przegra to sie zabije xd", want: nil},
		{name: "tr: if Galatasaray loses", text: "Galatasaray kaybederse kendimi oldururum", want: nil},
		{name: "lt: if Zalgiris loses", text: "jei Zalgiris pralaimes, nusizudysiu", want: nil},
		{name: "ur: if Pakistan loses", text: "agar Pakistan haar gaya to main khudkushi kar lunga", want: nil},
		{name: "bn: if Bangladesh loses", text: "Bangladesh harle ami suicide korbo", want: nil},
		{name: "ro: if he leaves me", text: "daca ma paraseste ma sinucid", want: []risk.Kind{su}},
		{name: "pl: if he leaves me", text: "jak mnie zostawi to sie zabije", want: []risk.Kind{su}},
		{name: "tr: if he leaves me", text: "beni terk ederse kendimi oldururum", want: []risk.Kind{su}},
		{name: "ur: if he goes", text: "agar wo chala gaya to main khudkushi kar lunga", want: []risk.Kind{su}},
		// A group that helps me, a first-aid course, months without self-harm, long ago and well now.
		{name: "es: the women's group helps me", text: "estoy sola pero el grupo de mujeres me ayuda", want: nil},
		{name: "es: help me, please", text: "ayuda por favor", want: []risk.Kind{dn}},
		{name: "pl: a first-aid course", text: "szukam kursu pierwszej pomocy dla opiekunek", want: nil},
		{name: "pl: help, at the end", text: "zamknal mnie w lazience, pomocy", want: []risk.Kind{dn, da}},
		{name: "es: months without self-harm", text: "llevo seis meses sin autolesionarme y estoy contenta", want: nil},
		{name: "pt: months without self-harm", text: "estou ha tres meses sem me cortar", want: nil},
		{name: "es: self-harm again after months", text: "meses sin cortarme pero ayer me corte otra vez", want: []risk.Kind{sh}},
		{name: "pt: a phase years ago", text: "ja tive uma fase de me cortar mas faz anos", want: nil},
		{name: "pt: a phase, and again yesterday", text: "tive uma fase de me machucar e ontem fiz de novo", want: []risk.Kind{sh}},
		{name: "lt: once, long ago, fine now", text: "kazkada save zalojau, bet jau seniai viskas gerai", want: []risk.Kind{sh}, denied: true},
		{name: "lt: once, and again yesterday", text: "kazkada save zalojau ir vakar vel pradejau", want: []risk.Kind{sh}},
		{name: "lt: for a long time now", text: "seniai save zaloju ir niekas nezino", want: []risk.Kind{sh}},
	})
}
