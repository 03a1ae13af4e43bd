package risk

// Language is the risk model of one language as the content writes it
// (content/data/risk/LANG.yaml): the words that show each kind of risk, the
// words that say it is not there, and what signpost answers.
type Language struct {
	// Name is the language's name in English, for people editing content.
	Name string `yaml:"name" json:"name"`
	// ReviewedBy names the native speaker who reviewed the phrases; empty
	// means unreviewed, which content check reports as a warning.
	ReviewedBy string `yaml:"reviewed_by" json:"reviewed_by,omitempty"`
	// FreeHelp is one line in the language saying help is free and
	// interpreters are available; it follows a response written in the
	// default language.
	FreeHelp string `yaml:"free_help" json:"free_help,omitempty"`
	// Denied is the gentle answer to a message that speaks of risk only to
	// deny it ("I'm not suicidal").
	Denied string `yaml:"denied" json:"denied,omitempty"`
	// Under17 is the answer to a person under 17 who discloses harm, for
	// kinds that have no under17 of their own.
	Under17 string `yaml:"under17" json:"under17,omitempty"`
	// Negators are the words that deny what follows ("not", "never").
	Negators []string `yaml:"negators" json:"negators,omitempty"`
	// NegatorsAfter are the words that deny what comes before them, in a
	// language that puts its denial after what it denies (Urdu "khudkushi
	// nahi karna", Bengali "korte chai na", Turkish "intihara meyilli
	// değilim"): a match followed in its clause by one, with at most two
	// bridges or fillers between, is denied.
	NegatorsAfter []string `yaml:"negators_after" json:"negators_after,omitempty"`
	// NegatorsOfVerb are words that deny the verb after them, and with it
	// what came before, only when that verb is one of the bridges (Somali
	// "kama", ka + ma: "isdilid kama fikirayo", I am not thinking of
	// killing myself), so that the same word before another verb denies
	// nothing ("waan is dilayaa kama noqonayo", I will kill myself and will
	// not go back on it). The bridge follows at once, in the clause.
	NegatorsOfVerb []string `yaml:"negators_of_verb" json:"negators_of_verb,omitempty"`
	// Bridges are words that may stand between a denial and what it denies
	// ("not feeling suicidal", "never going to hurt myself").
	Bridges []string `yaml:"bridges" json:"bridges,omitempty"`
	// Speech are verbs of saying ("said", "told", "screamed"): a negator
	// just after one, or after one and a word for someone ("told him no"),
	// is a refusal being reported, not a denial ("I said no but he kept
	// going").
	Speech []string `yaml:"speech" json:"speech,omitempty"`
	// Contrasts are words that set what follows against what came before
	// ("but", "though"): a denial inside a phrase followed by one in its
	// sentence ("he's never hit me but he punches the wall") is the writer
	// playing it down, and keeps its alarm.
	Contrasts []string `yaml:"contrasts" json:"contrasts,omitempty"`
	// Passives are the words that, standing between a word for someone
	// and harm done ("she was raped", "my friend got beaten up", "my sister
	// is in danger"), make that someone the one harmed. Without one, someone named before harm done
	// to nobody named is the one doing it ("he raped me", "he's got a
	// knife"): see the matcher's roles. A language without passives reads
	// anyone named before as the one at risk.
	Passives []string `yaml:"passives" json:"passives,omitempty"`
	// Progressive are the endings of a verb form of doing ("ing"): a
	// passive word followed by one is not passive ("he is banging on the
	// door", "she was kicking").
	Progressive []string `yaml:"progressive" json:"progressive,omitempty"`
	// Third gives, for a word naming the writer in a phrase, the words
	// naming someone else in its place ("myself": herself, himself): a
	// phrase matched with one of them is a worry about someone else.
	Third map[string][]string `yaml:"third" json:"third,omitempty"`
	// Fillers are words skipped inside a phrase ("I just want to die").
	Fillers []string `yaml:"fillers" json:"fillers,omitempty"`
	// Lexicon rewrites text speak and slang into plain words before matching
	// ("kms": "kill myself").
	Lexicon map[string]string `yaml:"lexicon" json:"lexicon,omitempty"`
	// Others are words that name another person as the subject of what
	// follows ("my friend", "she"), making a risk someone else's.
	Others []string `yaml:"others" json:"others,omitempty"`
	// Selves are words that name the writer ("I", "me").
	Selves []string `yaml:"selves" json:"selves,omitempty"`
	// Possessives are the words of Selves that name the writer only as an
	// owner ("my"): looking back for a risk's subject passes over them, so
	// "a girl in my class wants to die" is about the girl.
	Possessives []string `yaml:"possessives" json:"possessives,omitempty"`
	// Ordinary lists ordinary words near a long risk word in spelling
	// that must never be read as its misspelling.
	Ordinary []string `yaml:"ordinary" json:"ordinary,omitempty"`
	// Over are cues that put thoughts of suicide or self-harm just spoken of
	// in the past, over ("... but not now", "... I'm in a better place
	// now"): such a mention is treated as denied.
	Over []string `yaml:"over" json:"over,omitempty"`
	// Exclusions are idioms that hide a risk word from every kind ("dying
	// to", "killing it").
	Exclusions []string `yaml:"exclusions" json:"exclusions,omitempty"`
	// Classes are named sets of words, written "{name}" in phrases
	// ("{partner} ... {harm} me"): see classes.go. A language may use the
	// default language's classes without repeating them.
	Classes map[string][]string `yaml:"classes" json:"classes,omitempty"`
	// Contexts are kinds of talk in which words of risk are usually not
	// the writer's risk now (a film, a job, the past): a match they reach is
	// treated as denied. See context.go.
	Contexts []Context `yaml:"contexts" json:"contexts,omitempty"`
	// Combines add a kind when another is found with a cue anywhere in
	// the message (harm at home, and "I'm 15": a child at risk).
	Combines []Combine `yaml:"combines" json:"combines,omitempty"`
	// Pairs are risk told over two sentences: a setup in one and its
	// completion in the next (pair.go).
	Pairs []Pair `yaml:"pairs" json:"pairs,omitempty"`
	// Kinds holds each kind's phrases and response.
	Kinds map[Kind]*KindModel `yaml:"kinds" json:"kinds"`
}

// KindModel is one kind of risk in one language.
type KindModel struct {
	// Severity is "emergency" (999 or A&E first) or "urgent".
	Severity string `yaml:"severity" json:"severity,omitempty"`
	// Phrases are words as people write them; the matcher allows for case,
	// spelling, word forms, text speak and words in between.
	Phrases []string `yaml:"phrases" json:"phrases,omitempty"`
	// Patterns are phrases with gaps ("want to ... die"), word beginnings
	// ("zabi*"), choices ("(kill|hurt) myself") and slots ({self}).
	Patterns []string `yaml:"patterns" json:"patterns,omitempty"`
	// Exclusions are idioms that hide this kind's words ("cut the grass").
	Exclusions []string `yaml:"exclusions" json:"exclusions,omitempty"`
	// Response is what signpost answers; placeholders such as
	// {council_housing_ooh} are filled from settings, and a line whose
	// placeholder is unset is left out.
	Response string `yaml:"response" json:"response,omitempty"`
	// Under17 is the answer to a person under 17.
	Under17 string `yaml:"under17" json:"under17,omitempty"`
}

// Service is one service a response may name, with its numbers and the
// source they were read from.
type Service struct {
	ID      string   `yaml:"id" json:"id"`
	Name    string   `yaml:"name" json:"name"`
	Numbers []string `yaml:"numbers" json:"numbers"`
	Hours   string   `yaml:"hours" json:"hours,omitempty"`
	Who     string   `yaml:"who" json:"who,omitempty"`
	Source  string   `yaml:"source" json:"source"`
	Checked string   `yaml:"checked" json:"checked,omitempty"`
	Note    string   `yaml:"note" json:"note,omitempty"`
}

// Placeholders a response may hold, each filled from a setting.
const (
	// PlaceCouncilHousing is the council's out-of-hours housing number
	// (setting COUNCIL_HOUSING_OOH_PHONE).
	PlaceCouncilHousing = "council_housing_ooh"
	// PlaceChildrenFrontDoor is the council's children's services front
	// door, such as the MASH number (setting CHILDREN_FRONT_DOOR_PHONE).
	PlaceChildrenFrontDoor = "children_front_door"
)

// Placeholders lists every placeholder a response may hold.
var Placeholders = []string{PlaceCouncilHousing, PlaceChildrenFrontDoor}
