package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestTwentySeventhRoundLanguageClasses holds the phrases of the nine
// languages other than English (read alone, without the learned reader) to
// the classes of the twenty-seventh round, each in wordings of our own rather
// than a set's. Suicide told indirectly: a wish not to exist, not to wake or
// to leave this world; no strength or reason left to live; a burden whom the
// family would be freer, happier or at rest without; soon no longer here; a
// day set to end it all; debts settled so that nothing is left after me;
// things cancelled or given away that "I won't need"; a last message or a
// goodbye letter; going after the one I care for when they die; stopping a
// needed medicine on purpose. Also a landlord's rent paid "another way" and
// a bank account used by others under threat. Near misses kept quiet: the
// same words in ordinary talk (a move, a job, a course, a game, a bill or a
// boss that "will kill me" said after the verb, a cut at work, homelessness
// long past, a laugh after "I want to die" over a fine).
func TestTwentySeventhRoundLanguageClasses(t *testing.T) {
	su, sv, ex := risk.Suicide, risk.SexualViolence, risk.Exploitation
	runFindingCases(t, []engineCase{
		// Polish.
		{name: "pl: nie chce juz istniec", text: "szczerze to nie chce juz istniec, wszystko mnie meczy", want: []risk.Kind{su}},
		{name: "pl: nie mam sily zyc", text: "po rozwodzie nie mam juz sily zyc", want: []risk.Kind{su}},
		{name: "pl: bez mnie bedzie im lzej", text: "jestem tylko ciezarem dla rodzicow, bez mnie bedzie im lzej", want: []risk.Kind{su}},
		{name: "pl: w piatek koncze z tym", text: "wszystko przemyslalem, w piatek koncze z tym wszystkim", want: []risk.Kind{su}},
		{name: "pl: zeby po mnie nic nie zostalo", text: "chce splacic karte zeby po mnie nic nie zostalo", want: []risk.Kind{su}},
		{name: "pl: zszedlbym im z drogi na dobre", text: "najlepiej zszedlbym im z drogi na dobre", want: []risk.Kind{su}},
		{name: "pl: w piatek koncze prace (quiet)", text: "w piatek koncze prace o 15, jest jakas grupa wieczorem?", want: nil},
		{name: "pl: gra gdzie sie zabija potwory (quiet)", text: "synek gra w gre gdzie sie zabija potwory, to normalne?", want: nil},
		{name: "pl: czynsz inaczej", text: "wlasciciel mowi ze czynsz moge odpracowac inaczej, boje sie go", want: []risk.Kind{sv}},
		// Romanian.
		{name: "ro: sa nu mai fiu pe lumea asta", text: "m-am gandit ca ar fi mai simplu sa nu mai fiu pe lumea asta", want: []risk.Kind{su}},
		{name: "ro: fara mine le va fi mai bine", text: "copiii mei merita mai mult, fara mine le va fi mai bine", want: []risk.Kind{su}},
		{name: "ro: maine termin cu tot", text: "m-am saturat, maine termin cu tot", want: []risk.Kind{su}},
		{name: "ro: sa dispar definitiv", text: "vreau sa dispar definitiv, nu sa plec in vacanta", want: []risk.Kind{su}},
		{name: "ro: ma omoara seful daca (quiet)", text: "ma omoara seful daca intarzii iar, unde e statia de autobuz?", want: nil},
		{name: "ro: m-am taiat la munca (quiet)", text: "m-am taiat la munca la deget, pot sa iau o zi libera?", want: nil},
		{name: "ro: chiria altfel", text: "proprietarul zice ca pot sa platesc chiria altfel daca raman la el", want: []risk.Kind{sv}},
		// Turkish.
		{name: "tr: bir daha uyanmadan", text: "artik bir daha uyanmadan uyumak istiyorum", want: []risk.Kind{su}},
		{name: "tr: ben olmasam daha mutlu", text: "ben olmasam annem daha mutlu olur", want: []risk.Kind{su}},
		{name: "tr: herkes benden kurtulur", text: "gidersem herkes benden kurtulur", want: []risk.Kind{su}},
		{name: "tr: yasamanin anlami kalmadi", text: "isimi kaybettim, yasamanin bir anlami kalmadi", want: []risk.Kind{su}},
		{name: "tr: eskiden evsizdim (quiet)", text: "eskiden evsizdim ama artik bir evim var, gonullu olmak istiyorum", want: nil},
		{name: "tr: istismar modulu (quiet)", text: "okulda aile ici siddet egitimi veriyorum, materyal var mi", want: nil},
		// Lithuanian.
		{name: "lt: nebeturiu del ko gyventi", text: "po skyrybu nebeturiu del ko gyventi", want: []risk.Kind{su}},
		{name: "lt: visiems bus geriau kai manes nebebus", text: "seimai bus lengviau kai manes nebebus", want: []risk.Kind{su}},
		{name: "lt: dingti visam laikui", text: "noriu tiesiog dingti visam laikui", want: []risk.Kind{su}},
		{name: "lt: persikraustau ir isdalinu (quiet)", text: "keliuosi i kita miesta ir isdalinu baldus, gal kam reikia", want: nil},
		{name: "lt: savizudybiu prevencija (quiet)", text: "domiuosi savizudybiu prevencija, ar yra kursu savanoriams", want: nil},
		// Somali.
		{name: "so: ma rabo inaan jiro", text: "runtii ma rabo inaan jiro mar dambe", want: []risk.Kind{su}},
		{name: "so: waxaan ahay culays", text: "waxaan ahay culays qoyskayga oo dhan", want: []risk.Kind{su}},
		{name: "so: adduunka ka tago", text: "waxaan rabaa inaan adduunka ka tago", want: []risk.Kind{su}},
		{name: "so: kirada si kale", text: "milkiilaha guriga ayaa yiri kirada si kale ayaad u bixin kartaa", want: []risk.Kind{sv}},
		// Spanish.
		{name: "es: dejar de existir", text: "no es que quiera morir, solo quiero dejar de existir", want: []risk.Kind{su}},
		{name: "es: irme de este mundo", text: "estoy cansada, me quiero ir de este mundo", want: []risk.Kind{su}},
		{name: "es: nadie iria a mi funeral", text: "total nadie iria a mi funeral", want: []risk.Kind{su}},
		{name: "es: no me busquen", text: "si no respondo no me busquen, todo estara resuelto", want: []risk.Kind{su}},
		{name: "es: me quiero morir jaja (quiet)", text: "me han puesto otra multa, me quiero morir jajaja", want: nil},
		{name: "es: carnicero (quiet)", text: "soy cocinero y ayer me corte con el cuchillo, puedo pedir la baja?", want: nil},
		{name: "es: veo sobredosis en urgencias (quiet)", text: "soy enfermera, atendemos sobredosis cada noche, hay ayudas para el bus?", want: nil},
		{name: "es: cuenta bancaria amenazas", text: "un amigo usa mi cuenta del banco y me amenazan si la cierro", want: []risk.Kind{ex}},
		// Portuguese.
		{name: "pt: deixar de existir", text: "queria deixar de existir, so isso", want: []risk.Kind{su}},
		{name: "pt: nao mereco viver", text: "sinto que nao mereco viver depois do que fiz", want: []risk.Kind{su}},
		{name: "pt: livre de mim", text: "a minha familia merecia ficar livre de mim", want: []risk.Kind{su}},
		{name: "pt: ja nao vou precisar", text: "cancelei o ginasio e o seguro, ja nao vou precisar", want: []risk.Kind{su}},
		{name: "pt: a renda de outra forma", text: "o senhorio diz que posso pagar a renda de outra forma, ser boazinha com ele", want: []risk.Kind{sv}},
		// Urdu, both scripts and romanised.
		{name: "ur: mera na hona behtar", text: "lagta hai mera na hona hi sab ke liye behtar hai", want: []risk.Kind{su}},
		{name: "ur: میرا نہ ہونا بہتر", text: "شاید میرا نہ ہونا ہی بہتر ہے", want: []risk.Kind{su}},
		{name: "ur: zindagi ka koi matlab nahi", text: "job gayi, ab zindagi ka koi matlab nahi", want: []risk.Kind{su}},
		{name: "ur: کیوں زندہ ہوں", text: "پتا نہیں کیوں زندہ ہوں", want: []risk.Kind{su}},
		{name: "ur: pata nahi kyun zinda hun", text: "pata nahi kyun zinda hun ab tak", want: []risk.Kind{su}},
		{name: "ur: bill mujhe maar dalega (quiet)", text: "gas ka bill to mujhe maar dalega, koi madad hai?", want: nil},
		{name: "ur: بل مجھے مار ڈالے گا (quiet)", text: "یہ گیس کا بل مجھے مار ڈالے گا، کوئی اسکیم ہے؟", want: nil},
		// Bengali, both scripts.
		{name: "bn: ar bachte chai na", text: "ami ar bachte chai na, sob kichu bhari lage", want: []risk.Kind{su}},
		{name: "bn: আর বাঁচতে চাই না", text: "সত্যি বলছি আর বাঁচতে চাই না", want: []risk.Kind{su}},
		{name: "bn: বাঁচার যোগ্য না", text: "মনে হয় আমি বাঁচার যোগ্য না", want: []risk.Kind{su}},
		{name: "bn: জীবন থেকে মুক্তি চাই", text: "এই জীবন থেকে মুক্তি চাই", want: []risk.Kind{su}},
		{name: "bn: একসময় রাস্তায় ঘুমাতাম (quiet)", text: "একসময় রাস্তায় ঘুমাতাম, এখন কাজ করি, স্বেচ্ছাসেবক হতে চাই", want: nil},
	})
}
