package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestNineteenthRoundLanguageClasses holds the phrases of the nine languages
// other than English (read alone, without the learned reader) to the classes
// of the nineteenth round, each in wordings of its own rather than a set's:
// sextortion (pictures of me to be sent to my family or put online unless I
// pay or send more) as exploitation in every language; and the ordinary talk
// that shares risk's words: a boss or a teacher who "will kill me" if I am
// late, an overdose of coffee, beaten at cards; a denial with words between
// it and what it denies ("suicide or anything, no", "no intention of it",
// "I am not someone who..."); a workshop or an assignment on the topic;
// harm told as past with a room, a flat or peace now; fired from a job; a
// parent who keeps a teenager in at the weekend; "I am glad"; a teacher.
// With them some disclosures of a general class: a child of a given age
// beaten, a small child left alone at night, a neighbour's child with
// bruises, touched by force, a drink spiked, a young relative sent away by
// older boys, put out today at seventeen.
func TestNineteenthRoundLanguageClasses(t *testing.T) {
	oi, dn, su, sh := risk.Overdose, risk.DangerNow, risk.Suicide, risk.SelfHarm
	sv, ca, da, ex := risk.SexualViolence, risk.ChildAbuse, risk.DomesticAbuse, risk.Exploitation
	nt, se := risk.NowhereTonight, risk.SomeoneElse
	_, _, _, _, _, _, _, _, _, _ = oi, dn, su, sh, sv, ca, da, ex, nt, se
	runFindingCases(t, []engineCase{
		// Sextortion, in every language.
		{name: "tr: pictures to my family unless I pay", text: "para vermezsem resimlerimi herkese yollayacakmis", want: []risk.Kind{ex}},
		{name: "tr: more pictures or the video goes round school", text: "daha fazla foto atmazsam videomu okuldaki herkese gosterecekmis", want: []risk.Kind{ex}},
		{name: "pl: pictures to my family unless I pay", text: "grozi ze wysle moje zdjecia rodzinie jesli mu nie zaplace", want: []risk.Kind{ex}},
		{name: "pl: money or the films go online", text: "jak nie przeleje mu kasy to wrzuci moje nagrania do internetu", want: []risk.Kind{ex}},
		{name: "ro: pictures to the family unless I pay", text: "ameninta ca imi trimite pozele la familie daca nu ii dau bani", want: []risk.Kind{ex}},
		{name: "ro: money or the clips go on facebook", text: "vrea bani, altfel publica filmuletele mele pe facebook", want: []risk.Kind{ex}},
		{name: "ur: pictures home unless I pay", text: "agar paise na diye to meri tasveerein ghar walon ko bhej dega", want: []risk.Kind{sv, ex}},
		{name: "ur script: pictures home unless I pay", text: "اگر پیسے نہ دیے تو میری تصویریں گھر والوں کو بھیج دے گا", want: []risk.Kind{sv, ex}},
		{name: "bn: pictures to my husband unless I pay", text: "amar chobi amar bor ke pathiye debe jodi taka na dei", want: []risk.Kind{ex}},
		{name: "bn script: money or my pictures to my family", text: "টাকা না দিলে আমার ছবি আমার পরিবারকে পাঠিয়ে দেবে বলছে", want: []risk.Kind{ex}},
		{name: "lt: pictures to my family unless I pay", text: "grasina issiusti mano nuotraukas seimai, jei nesumokesiu", want: []risk.Kind{ex}},
		{name: "pt: pictures to my family unless I pay", text: "ameaca mandar minhas fotos pra minha familia se eu nao pagar", want: []risk.Kind{ex}},
		{name: "pt: no pix and the videos go to my parents", text: "se eu nao fizer um pix ele manda os meus videos para os meus pais", want: []risk.Kind{ex}},
		{name: "es: pictures to my family unless I pay", text: "amenaza con mandar mis fotos a mi familia si no le pago", want: []risk.Kind{ex}},
		{name: "es: no bizum and the videos go online", text: "si no le hago un bizum sube mis videos a internet", want: []risk.Kind{ex}},
		{name: "so: pictures to my family unless I pay", text: "wuxuu ii hanjabay inuu sawiradayda u dirayo qoyskayga haddaanan lacag siin", want: []risk.Kind{ex}},
		// My pictures held, a sum asked, and the threat to send them after.
		{name: "pl: pictures held, money asked, a wife to be sent them", text: "ma moje nagie zdjecia i chce 500 zl, inaczej wysle je mojej zonie", want: []risk.Kind{ex}},
		{name: "ro: pictures held, lei asked, a husband to be sent them", text: "are poze cu mine goala si vrea 1000 de lei, altfel le trimite la sotul meu", want: []risk.Kind{ex}},
		{name: "pt: pictures held, reais asked", text: "ele tem fotos minhas e quer 500 reais senao manda para o meu marido", want: []risk.Kind{ex}},
		{name: "lt: pictures held, euros asked", text: "turi mano nuotraukas ir reikalauja 200 euru, kitaip issius vyrui", want: []risk.Kind{ex}},
		{name: "es: pictures shown to my parents unless I pay", text: "un tio de instagram tiene fotos mias y dice que se las ensena a mis padres si no le pago 300 euros", want: []risk.Kind{ex}},
		{name: "so: pictures held, money asked, my family to be sent them", text: "wuxuu haystaa sawiradayda, lacag ayuu rabaa, haddii kale qoyskayga ayuu u diri doonaa", want: []risk.Kind{ex}},
		{name: "es: graduation photos I will post to my grandmother", text: "mis fotos de la graduacion se las voy a mandar a mi abuela, cuanto dinero cuesta el envio", want: nil},
		// Pictures and money that are no threat.
		{name: "pt: a grandmother's photos and money", text: "a minha mae manda fotos dos netos e pede dinheiro", want: nil},
		{name: "tr: wedding photos to send, printing costs", text: "dugun fotograflarimi aileme gonderecegim, baski icin para lazim", want: nil},
		// A boss, a teacher or a lapse that "will kill me"; an overdose of coffee; beaten at cards.
		{name: "ro: the boss if I forget the keys again", text: "sefu o sa ma omoare daca uit iar cheile", want: nil},
		{name: "tr: the teacher if I forget the homework", text: "hocam beni oldurecek odevi unutursam", want: nil},
		{name: "es: the boss if I am late again", text: "mi jefa me va a matar si llego tarde otra vez", want: nil},
		{name: "pt: the boss if I am late", text: "o meu patrao vai me matar se eu chegar atrasado", want: nil},
		{name: "lt: the boss if I am late", text: "virsininkas mane uzmus jei vel veluosiu", want: nil},
		{name: "ur: the boss if I am late", text: "boss mujhe maar dalega agar phir late hua", want: nil},
		{name: "bn: the boss if I am late", text: "boss amake mere felbe jodi abar deri kori", want: nil},
		{name: "so: the boss if I am late", text: "maamulaha ayaa i dilaya haddii aan mar kale daaho", want: nil},
		{name: "es: an overdose of chocolate", text: "me tome una sobredosis de chocolate jaja", want: nil},
		{name: "pl: beaten at cards by a daughter", text: "corka pobila mnie w karty trzy razy", want: nil},
		{name: "ro: the rent is killing me", text: "ma omoara chiria si facturile luna asta", want: nil},
		// A husband who threatens to kill is still heard.
		{name: "tr: a husband who says he will kill me", text: "kocam beni oldurecegim diye tehdit ediyor", want: []risk.Kind{dn, da}},
		// Denials with words between.
		{name: "tr: suicide or anything, no", text: "intihar falan degil, sadece kiram birikti", want: []risk.Kind{su}, denied: true},
		{name: "so: not someone who kills themselves", text: "ma ihi qof is dilaya, shaqo la'aan baan ahay", want: []risk.Kind{su}, denied: true},
		{name: "ur: no intention of suicide", text: "khudkushi ka koi irada nahi, bas kiraya nahi de pa raha", want: []risk.Kind{su}, denied: true},
		{name: "bn: no wish for suicide", text: "atmohottar kono icche nei, shudhu kaj nei", want: []risk.Kind{su}, denied: true},
		{name: "pt: never thought of hurting myself", text: "nunca pensei em me machucar, so estou cansada", want: []risk.Kind{sh}, denied: true},
		{name: "pl: never thought of hurting myself", text: "nie myslalam o zrobieniu sobie krzywdy, tylko jestem zmeczona", want: []risk.Kind{sh}, denied: true},
		// The topic: a workshop or an assignment.
		{name: "ur: an essay on domestic abuse", text: "beti ka gharelu tashaddud par essay hai, kuch maloomat hai?", want: []risk.Kind{da, se}, denied: true},
		// The past, over, and fine now.
		{name: "tr: on the street last year, a room now", text: "gecen sene parkta yatiyordum ama simdi bir odam var", want: []risk.Kind{nt}, denied: true},
		{name: "tr: beaten by an ex, divorced years ago, at peace", text: "eski esim beni doverdi ama uc yil once bosandik, simdi huzurluyum", want: []risk.Kind{da}, denied: true},
		{name: "bn: slept on the street, a flat now", text: "আগে আমি রাস্তায় ঘুমাতাম, এখন আমার ফ্ল্যাট আছে", want: []risk.Kind{nt}, denied: true},
		{name: "pl: homeless in the nineties", text: "bylam bezdomna w latach dziewiecdziesiatych, dzis mam mieszkanie", want: []risk.Kind{nt}, denied: true},
		// Everyday words.
		{name: "ro: fired from the factory", text: "am fost dat afara de la fabrica si caut alt loc de munca", want: nil},
		{name: "ro: thanks for the help", text: "multumesc frumos pentru ajutor", want: nil},
		{name: "ro: parents who keep me in at night", text: "parintii nu ma lasa sa ies seara, e enervant", want: nil},
		{name: "pl: glad", text: "ciesze sie ze przyszlas", want: nil},
		{name: "so: the teacher", text: "macallinka ayaa ii sheegay in wiilkaygu fiican yahay", want: nil},
		{name: "pt: a husband who never hit me", text: "o meu marido nunca me bateu, discutimos como todos", want: nil},
		{name: "es: a husband who never hit me", text: "mi marido nunca me ha pegado, solo discutimos", want: nil},
		{name: "pt: a mother's daily tablets", text: "minha mae tomou os remedios dela de manha", want: nil},
		{name: "pt: a daughter who took all the tablets", text: "a minha filha tomou os comprimidos todos de uma vez", want: []risk.Kind{se}},
		{name: "bn: a child hurt at play", text: "chele kheltey giye hat kete feleche, band aid diyechi", want: []risk.Kind{se}, denied: true},
		// Harm told as past, therapy done; living on the street now is no life rebuilt.
		{name: "es: raped years ago, therapy done", text: "me violaron hace muchos anos, hice terapia y ahora trabajo de enfermera", want: []risk.Kind{sv}, denied: true},
		{name: "pt: assaulted years ago, therapy done", text: "fui estuprada ha anos, fiz terapia e hoje estou bem", want: []risk.Kind{sv}, denied: true},
		{name: "ro: raped years ago, then therapy", text: "am fost violata acum multi ani. am facut terapie si sunt bine", want: []risk.Kind{sv}, denied: true},
		{name: "es: living on the street now", text: "ahora vivo en la calle con mi hermano", want: []risk.Kind{nt}},
		{name: "bn: a mother put out, with me now", text: "bhai maa ke bari theke ber kore diyeche, maa ekhon amar kache ache", want: []risk.Kind{nt, se}, denied: true},
		// Disclosures of a general class.
		{name: "ro: a grandson of six beaten", text: "il bate pe nepotul meu de 6 ani cand bea", want: []risk.Kind{ca}},
		{name: "ro: a small child left alone at night", text: "vecina isi lasa copilul singur acasa toata noaptea", want: []risk.Kind{se}},
		{name: "es: a child locked in at night", text: "la madre sale de fiesta por la noche y lo deja encerrado", want: []risk.Kind{se}},
		{name: "lt: a neighbour's child with bruises", text: "kaimynu vaikas vel su melynemis ant ranku", want: []risk.Kind{ca, se}},
		{name: "bn: touched by force", text: "amar boss amake jor kore chhuyeche", want: []risk.Kind{sv}},
		{name: "tr: a friend who took too many pills", text: "arkadasim cok fazla ilac icti", want: []risk.Kind{se}},
		{name: "es: put out today at seventeen", text: "mi padrastro me echo de casa hoy, tengo 16 y no se donde dormir", want: []risk.Kind{nt}},
		{name: "so: cutting my arms", text: "waxaan habeen walba ka jaraa gacmaha", want: []risk.Kind{sh}},
	})
}
