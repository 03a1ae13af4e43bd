package content_test

import (
	"testing"

	"signpost/content/risk"
)

// TestChildSomeoneElseIsWorriedAbout holds the phrases (read alone, without
// the learned reader) to the rule the labelled sets follow for a child: an
// adult's, or another young person's, worry about someone under 18 harmed,
// neglected, groomed or exploited is child abuse as well as worry about
// someone else, so that the answer names the NSPCC, 999 and children's
// services (each language's combine, added to someone else's risk found
// with a child named: an age under 18, a child of the neighbours, a
// younger brother or sister). Worry about another adult told the same way
// stays someone else's alone, and so does a child's own wish to die or
// self-harm (the combine's Unless cues), whose answer is someone else's.
// Wordings of our own, in each language where the phrases find someone
// else's risk in them.
func TestChildSomeoneElseIsWorriedAbout(t *testing.T) {
	se, ca, ex := risk.SomeoneElse, risk.ChildAbuse, risk.Exploitation
	runFindingCases(t, []engineCase{
		// English: a child left alone, a child drawn in by older lads, a
		// child heard through the wall; the same of adults; a child's own
		// wish to die and self-harm.
		{name: "en: a girl left alone, no older than 6", text: "the girl across the landing cant be more than 6 and shes left on her own all night again", want: []risk.Kind{ca, se}},
		{name: "en: an old lady left alone", text: "the old lady across the landing is left on her own all night again, no carer came", want: []risk.Kind{se}},
		{name: "en: a boy of 14 back with cash from older lads", text: "my sons mate is 14 and keeps going off with older lads, comes back with cash and a new phone", want: []risk.Kind{ca, se}},
		{name: "en: a flatmate back with cash from older lads", text: "my flatmate keeps going off with older lads, comes back with cash and a new phone", want: []risk.Kind{se}},
		{name: "en: children screaming through the wall", text: "i can hear the kids next door screaming every night and loud thuds", want: []risk.Kind{ca, se}},
		{name: "en: a woman screaming through the wall", text: "i can hear the woman next door screaming every night and loud thuds", want: []risk.Kind{se}},
		{name: "en: a nephew of 15 who wants to die", text: "my 15 year old nephew keeps saying he wants to die", want: []risk.Kind{se}},
		{name: "en: a daughter of 15 cutting herself", text: "my 15 year old daughter keeps cutting herself", want: []risk.Kind{se}},
		// Polish: the neighbours' child bruised and afraid to go home.
		{name: "pl: the neighbours' child bruised", text: "dziecko sasiadow ciagle ma siniaki na twarzy i boi sie wracac do domu", want: []risk.Kind{ca, se}},
		{name: "pl: the neighbour bruised", text: "sasiadka ciagle ma siniaki na twarzy i boi sie wracac do domu", want: []risk.Kind{se}},
		// Portuguese: a niece of 13 going out with older men for money.
		{name: "pt: a niece of 13 with older men", text: "a minha sobrinha tem 13 anos e sai com homens mais velhos que lhe dao dinheiro", want: []risk.Kind{ca, se}},
		{name: "pt: a colleague with older men", text: "a minha colega sai com homens mais velhos que lhe dao dinheiro", want: []risk.Kind{se}},
		// Spanish: a cousin of 14 sent away by older boys; a nephew of 15 who
		// wants to kill himself (his own risk, stopped by the Unless cue).
		{name: "es: a cousin of 14 sent away", text: "mi primo de 14 años vuelve con dinero y zapatillas nuevas y unos chicos mayores lo mandan fuera", want: []risk.Kind{ca, se}},
		{name: "es: a flatmate sent away", text: "mi compañero de piso vuelve con dinero y zapatillas nuevas y unos chicos mayores lo mandan fuera", want: []risk.Kind{se}},
		{name: "es: a nephew of 15 who wants to kill himself", text: "mi sobrino de 15 años dice que se quiere matar", want: []risk.Kind{risk.DangerNow, se}},
		// Turkish: the neighbour's little girl bruised and afraid to go home.
		{name: "tr: the neighbour's little girl bruised", text: "komsumun kucuk kizi her gun morluklarla geliyor, eve gitmekten korkuyor", want: []risk.Kind{ca, se}},
		{name: "tr: the neighbour bruised", text: "komsum her gun morluklarla geliyor, eve gitmekten korkuyor", want: nil},
		// Bengali: a nephew of only 14 made to sell drugs.
		{name: "bn: a nephew of only 14 selling drugs", text: "amar bhagne matro 14, boro chele ra oke diye drugs bikri koray", want: []risk.Kind{ca, ex, se}},
		{name: "bn: a friend selling drugs", text: "amar bondhu ke boro chele ra diye drugs bikri koray", want: []risk.Kind{ex, se}},
	})
}
