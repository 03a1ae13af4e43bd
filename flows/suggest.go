package flows

import (
	"fmt"
	"strconv"
	"strings"

	"signpost/content"
	"signpost/content/directory"
)

// suggestPage is how many suggestions are shown at a time.
const suggestPage = 3

// Choices a person makes of a suggested service.
const (
	choiceGo    = "go"
	choiceRefer = "refer"
	choiceNo    = "no"
)

// pageKey is the answer key, beside a suggest node's var, of the page shown.
// The suggestions themselves are worked out again from the answers when
// needed rather than kept: that keeps a finished session small.
func pageKey(n *content.Node) string { return n.Var + "_page" }

// personOf reads from the answers what matching needs to know.
func personOf(a map[string]string) directory.Person {
	p := directory.Person{Band: a["age"], CareLeaver: a["care_leaver"] == "yes", District: a["postcode"]}
	if a["needs"] != "" {
		p.Needs = strings.Split(a["needs"], ",")
	}
	if a["housing_urgent"] == "yes" {
		p.Flags = append(p.Flags, directory.FlagHousingUrgent)
	}
	if a["money_urgent"] == "yes" {
		p.Flags = append(p.Flags, directory.FlagMoneyUrgent)
	}
	return p
}

// openSuggestions enters a suggest node: it works out the suggestions and
// shows the first page. With nothing to suggest it reports false and the
// flow moves on.
func (st *stepper) openSuggestions(n *content.Node) bool {
	if st.b.Directory == nil {
		return false
	}
	if len(st.suggestions(n)) == 0 {
		return false
	}
	st.s.Answers[pageKey(n)] = "0"
	if _, ok := st.s.Answers[n.Var]; !ok {
		st.s.Answers[n.Var] = ""
	}
	st.s.Node = n.ID
	st.push(n.ID)
	st.showList(n, OutMessage)
	return true
}

// maxSuggestions is how many suggestions there are in all, over the pages.
const maxSuggestions = 9

// suggestions are the services suggested for the answers, best first.
func (st *stepper) suggestions(n *content.Node) []directory.Suggestion {
	if st.b.Directory == nil {
		return nil
	}
	return directory.Suggest(st.b.Directory, personOf(st.s.Answers), directory.SuggestOptions{Limit: maxSuggestions})
}

// choice is what the person said of service id, if anything.
func (st *stepper) choice(n *content.Node, id string) string {
	for _, c := range strings.Split(st.s.Answers[n.Var], ",") {
		if k, v, ok := strings.Cut(c, ":"); ok && k == id {
			return v
		}
	}
	return ""
}

func (st *stepper) setChoice(n *content.Node, id, choice string) {
	var kept []string
	for _, c := range strings.Split(st.s.Answers[n.Var], ",") {
		if k, _, _ := strings.Cut(c, ":"); c != "" && k != id {
			kept = append(kept, c)
		}
	}
	st.s.Answers[n.Var] = strings.Join(append(kept, id+":"+choice), ",")
}

// showList shows the current page of suggestions, each with its reason,
// and a button to open each.
func (st *stepper) showList(n *content.Node, kind string) {
	all := st.suggestions(n)
	page, _ := strconv.Atoi(st.s.Answers[pageKey(n)])
	if page*suggestPage >= len(all) {
		page = 0
	}
	first := page * suggestPage
	shown := all[first:min(first+suggestPage, len(all))]
	var text strings.Builder
	text.WriteString(st.text(n.Text))
	text.WriteString("\n")
	var rows [][]Button
	for i, sg := range shown {
		s, k := sg.Service, first+i
		mark := ""
		switch st.choice(n, s.ID) {
		case choiceGo:
			mark = " " + st.text("suggest_chosen_go")
		case choiceRefer:
			mark = " " + st.text("suggest_chosen_refer")
		case choiceNo:
			mark = " " + st.text("suggest_chosen_no")
		}
		fmt.Fprintf(&text, "\n%d. %s%s", k+1, s.Name, mark)
		if sg.Reason != "" {
			fmt.Fprintf(&text, "\n%s", sg.Reason)
		}
		text.WriteString("\n")
		rows = append(rows, []Button{st.suggestButton(n, fmt.Sprintf("%d. %s", k+1, s.ButtonLabel()), "i"+strconv.Itoa(k))})
	}
	text.WriteString("\n" + st.text("suggest_detail_hint"))
	var last []Button
	if len(all) > suggestPage {
		last = append(last, st.suggestButton(n, st.text("suggest_more"), "~more"))
	}
	last = append(last, st.suggestButton(n, st.text("suggest_carry_on"), doneValue))
	rows = append(rows, last)
	st.emit(Out{Kind: kind, Node: n.ID, Text: text.String(), Buttons: rows})
}

func (st *stepper) suggestButton(n *content.Node, label, value string) Button {
	return Button{Label: label, Data: content.ButtonData(st.s.Run, n.ID, value)}
}

// showDetail shows one service in full, with what the person can do about it.
func (st *stepper) showDetail(n *content.Node, k int) {
	all := st.suggestions(n)
	if k < 0 || k >= len(all) {
		st.showList(n, OutMessage)
		return
	}
	s := all[k].Service
	key := strconv.Itoa(k)
	rows := [][]Button{
		{st.suggestButton(n, st.text("suggest_go"), "g"+key)},
		{st.suggestButton(n, st.text("suggest_refer"), "r"+key)},
		{st.suggestButton(n, st.text("suggest_no"), "n"+key)},
		{st.suggestButton(n, st.text("suggest_list"), "~list")},
	}
	if !s.Join.LinkWorkerReferral {
		rows = append(rows[:1], rows[2:]...)
	}
	st.emit(Out{Kind: OutMessage, Node: n.ID, Text: s.Detail(), Buttons: rows})
}

// suggestPress handles a button of a suggest node.
func (st *stepper) suggestPress(n *content.Node, value string) {
	switch {
	case value == doneValue:
		st.finishSuggestions(n)
		return
	case value == "~more":
		page, _ := strconv.Atoi(st.s.Answers[pageKey(n)])
		st.s.Answers[pageKey(n)] = strconv.Itoa(page + 1)
		st.showList(n, OutMessage)
		return
	case value == "~list":
		st.showList(n, OutMessage)
		return
	case len(value) < 2:
		st.stale()
		return
	}
	k, err := strconv.Atoi(value[1:])
	all := st.suggestions(n)
	if err != nil || k < 0 || k >= len(all) {
		st.stale()
		return
	}
	switch value[0] {
	case 'i':
		st.showDetail(n, k)
		return
	case 'g':
		st.setChoice(n, all[k].Service.ID, choiceGo)
	case 'r':
		st.setChoice(n, all[k].Service.ID, choiceRefer)
	case 'n':
		st.setChoice(n, all[k].Service.ID, choiceNo)
	default:
		st.stale()
		return
	}
	st.showList(n, OutMessage)
}

// suggestTyped reads a typed number as opening that suggestion.
func (st *stepper) suggestTyped(n *content.Node, text string) {
	if st.is(text, "done") || st.is(text, "suggest_carry_on") {
		st.finishSuggestions(n)
		return
	}
	if k := atoi(text); k >= 1 && k <= len(st.suggestions(n)) {
		st.showDetail(n, k-1)
		return
	}
	st.say("invalid_choice")
	st.showList(n, OutMessage)
}

// finishSuggestions moves on from the suggestions. Reopened with /groups
// after the end, it ends again, passing any new "refer me" to the referral.
func (st *stepper) finishSuggestions(n *content.Node) {
	st.emit(Out{Kind: OutClose, Node: n.ID, Text: st.text("suggest_carry_on")})
	st.s.Node = ""
	if st.s.Reopened {
		st.s.Reopened = false
		if refs := st.referred(n); len(refs) > 0 && st.s.Answers["contact"] == "yes" {
			st.emit(Out{Kind: OutEffect, Effect: &Effect{
				Kind: EffectAddServices, Key: fmt.Sprintf("%s:services:%d", st.s.Run, st.s.Seq), User: st.s.User,
				Run: st.s.Run, Ref: Ref(st.s.Run), Lang: st.lang, Consent: st.s.Consent, Services: refs,
			}})
		}
		st.say("groups_closed")
		st.s.Done = true
		st.s.History = nil
		return
	}
	st.enter(n.Next)
}

// referred lists the services the person asked their link worker to refer them to.
func (st *stepper) referred(n *content.Node) []string {
	var out []string
	for _, c := range strings.Split(st.s.Answers[n.Var], ",") {
		if id, v, ok := strings.Cut(c, ":"); ok && v == choiceRefer {
			out = append(out, id)
		}
	}
	return out
}

// reopenGroups is /groups: the suggestions again, after the conversation.
func (st *stepper) reopenGroups() {
	if st.s.Active() {
		st.reask()
		return
	}
	var n *content.Node
	if st.flow != nil {
		for _, m := range st.flow.Nodes {
			if _, shown := st.s.Answers[pageKey(m)]; m.Kind == content.KindSuggest && shown {
				n = m
			}
		}
	}
	if n == nil {
		st.say("groups_none")
		return
	}
	st.s.Reopened = true
	st.s.Done = false
	st.s.Node = n.ID
	st.s.History = []string{n.ID}
	st.showList(n, OutMessage)
}
