package console

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"signpost/handoff"
	"signpost/handoff/report"
)

// refPattern is what a reference in an address must look like.
var refPattern = regexp.MustCompile(`^R-[0-9A-Z]{5}$`)

// option is one choice of a filter's select.
type option struct {
	Value, Label string
	Selected     bool
}

func options(values []string, label func(string) string, chosen string) []option {
	out := make([]option, 0, len(values))
	for _, v := range values {
		out = append(out, option{Value: v, Label: label(v), Selected: v == chosen})
	}
	return out
}

// queue is the open cases of the viewer's teams, most pressing first, with
// filters by team, status, need and source, a page at a time.
func (c *Console) queue(w http.ResponseWriter, r *http.Request, v *viewer) {
	q := r.URL.Query()
	f := handoff.Filter{Team: handoff.Team(q.Get("team")), Status: handoff.Status(q.Get("status")), Need: q.Get("need"), Source: q.Get("source")}
	page, _ := strconv.Atoi(q.Get("page"))
	page = min(max(page, 1), 1000)
	shown, total, err := c.cfg.Desk.Cases(r.Context(), v.Worker, f, (page-1)*PageSize, PageSize)
	if err != nil {
		c.deskFail(w, r, v, err)
		return
	}
	pages := max(1, (total+PageSize-1)/PageSize)
	var teams []string
	for _, t := range v.Access.Teams {
		teams = append(teams, string(t))
	}
	link := func(n int) string {
		q2 := url.Values{}
		for k, vs := range q {
			q2[k] = vs
		}
		q2.Set("page", strconv.Itoa(n))
		return Prefix + "/queue?" + q2.Encode()
	}
	d := map[string]any{
		"Cases": shown, "Total": total, "Page": page, "Pages": pages,
		"Teams":    options(append([]string{""}, teams...), func(s string) string { return teamLabel(s) }, string(f.Team)),
		"Statuses": options([]string{"", "new", "claimed", "in_contact"}, func(s string) string { return orAll(s, statusWords(handoff.Status(s))) }, string(f.Status)),
		"Needs":    options(append([]string{""}, handoff.Needs()...), func(s string) string { return orAll(s, handoff.NeedWords(s)) }, f.Need),
		"Sources": options([]string{"", "gp", "pa", "friend", "social", "other", "unknown"}, func(s string) string {
			return orAll(s, handoff.SourceWords(s))
		}, f.Source),
		"Filtered": f != (handoff.Filter{}),
	}
	if page > 1 {
		d["Prev"] = link(page - 1)
	}
	if page < pages {
		d["Next"] = link(page + 1)
	}
	c.render(w, r, http.StatusOK, "queue", v, d)
}

func teamLabel(s string) string {
	if s == "" {
		return "All your teams"
	}
	return handoff.Team(s).Words()
}

func orAll(value, label string) string {
	if value == "" {
		return "Any"
	}
	return label
}

// mine is the viewer's own open cases.
func (c *Console) mine(w http.ResponseWriter, r *http.Request, v *viewer) {
	rs, err := c.cfg.Desk.Mine(r.Context(), v.Worker)
	if err != nil {
		c.deskFail(w, r, v, err)
		return
	}
	ss := make([]handoff.Summary, len(rs))
	for i, x := range rs {
		ss[i] = x.Summary()
	}
	c.render(w, r, http.StatusOK, "list", v, map[string]any{"Heading": "My cases", "Cases": ss, "Empty": "You have no open cases."})
}

// search finds cases by reference, name or postcode district.
func (c *Console) search(w http.ResponseWriter, r *http.Request, v *viewer) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	ss, err := c.cfg.Desk.Search(r.Context(), v.Worker, q)
	if err != nil {
		c.deskFail(w, r, v, err)
		return
	}
	d := map[string]any{"Heading": "Search", "Search": true, "Query": q, "Cases": ss}
	if q != "" {
		d["Empty"] = "Nothing found for “" + q + "”. Search by reference (R-7K3QX), a name or part of one, or a postcode district (E17)."
	}
	c.render(w, r, http.StatusOK, "list", v, d)
}

// row is when a line of the case page happened, worded once.
type row struct {
	ISO, When string
}

// auditShown is how many entries of the audit trail the page shows.
const auditShown = 100

// caseView is what the case page shows.
type caseView struct {
	R          handoff.Referral
	Priority   handoff.Priority
	Reasons    []string
	Risk       string // the kinds of risk flagged, "(possible)" after each only the learned reader found
	Possible   string // what "(possible)" means; "" when no kind is marked
	Status     string
	Detail     []string
	Messages   template.HTML
	Notes      template.HTML
	Timeline   template.HTML
	Audit      template.HTML
	AuditMore  int
	Colleagues []handoff.KnownWorker
	Outcomes   []option
	Done       string
	Error      string
	CanClaim   bool
	CanWrite   bool
	CanAct     bool
	CanFollow  bool
	Mine       bool
	// Housing is where the person's referral to the housing options team
	// stands, in words; HousingToDo asks a worker to make it.
	Housing     string
	HousingToDo bool
}

// casePage shows a case: everything the card shows, who the person is, the
// conversation with them, notes, the timeline and the audit trail, with the
// forms that act on it. Opening it is recorded in the audit trail.
func (c *Console) casePage(w http.ResponseWriter, r *http.Request, v *viewer) {
	ref := strings.ToUpper(r.PathValue("ref"))
	if !refPattern.MatchString(ref) {
		c.fail(w, r, v, http.StatusNotFound, msgNoCase)
		return
	}
	cf, err := c.cfg.Desk.Case(r.Context(), ref, v.Worker)
	if err != nil {
		c.deskFail(w, r, v, err)
		return
	}
	cv := c.caseView(cf)
	if cv.CanAct {
		if cv.Colleagues, err = c.cfg.Desk.Colleagues(r.Context(), v.Worker, cf.Referral.Team); err != nil {
			c.deskFail(w, r, v, err)
			return
		}
		cv.Colleagues = slices.DeleteFunc(cv.Colleagues, func(k handoff.KnownWorker) bool {
			return cf.Referral.Held() && k.ID == cf.Referral.Holder.ID
		})
	}
	cv.Mine = cf.Referral.Held() && cf.Referral.Holder.ID == v.Worker.ID
	cv.Done = doneWords[r.URL.Query().Get("done")]
	cv.Error = errorWords[r.URL.Query().Get("error")]
	c.render(w, r, http.StatusOK, "case", v, cv)
}

func (c *Console) caseView(cf handoff.CaseFile) caseView {
	r := cf.Referral
	cv := caseView{R: r, Priority: handoff.PriorityOf(r), Status: handoff.StatusLine(r),
		Risk: handoff.RiskText(r), Possible: handoff.PossibleText(r),
		Housing: r.Housing.Words(), HousingToDo: r.Housing == handoff.HousingToDo && r.Open() && !r.IsErased()}
	for _, why := range r.Reasons {
		cv.Reasons = append(cv.Reasons, why.Words())
	}
	for _, line := range strings.Split(strings.TrimSpace(handoff.DetailText(r)), "\n") {
		if line != "" {
			cv.Detail = append(cv.Detail, line)
		}
	}
	loc := c.cfg.Desk.Location()
	dated := func(t time.Time) row {
		return row{ISO: t.Format(time.RFC3339), When: t.In(loc).Format("Mon 2 Jan 2006, 15:04")}
	}
	removed := "(removed at the person's request)"
	delivery := map[string]handoff.Delivery{}
	for _, e := range cf.History {
		if e.Kind == handoff.EventDelivery {
			delivery[e.ID] = e.Delivery
		}
	}
	// The long lists are written here rather than by the template: a case
	// may have hundreds of entries, and every value is escaped as it goes in.
	var timeline, messages, notes, audit strings.Builder
	for i := len(cf.History) - 1; i >= 0; i-- {
		e := cf.History[i]
		t := dated(e.At)
		fmt.Fprintf(&timeline, "<li><time datetime=\"%s\">%s</time> %s</li>\n", t.ISO, t.When, html.EscapeString(handoff.EventWords(e)))
	}
	for _, e := range cf.History {
		m := dated(e.At)
		text := e.Text
		if text == "" {
			text = removed
		}
		switch e.Kind {
		case handoff.EventToPerson:
			state := "Sending"
			switch delivery[e.ID] {
			case handoff.DeliverySent:
				state = "Delivered"
			case handoff.DeliveryBlocked:
				state = "<strong>Not delivered: they have blocked the bot</strong>"
			case handoff.DeliveryFailed:
				state = "<strong>Not delivered</strong>"
			}
			fmt.Fprintf(&messages, "<li class=\"us\"><p class=\"who\">%s, <time datetime=\"%s\">%s</time></p><p class=\"text\">%s</p><p class=\"delivery\">%s</p></li>\n",
				html.EscapeString(e.Actor.Name), m.ISO, m.When, html.EscapeString(text), state)
		case handoff.EventFromPerson:
			fmt.Fprintf(&messages, "<li class=\"them\"><p class=\"who\">The person, <time datetime=\"%s\">%s</time></p><p class=\"text\">%s</p></li>\n",
				m.ISO, m.When, html.EscapeString(text))
		case handoff.EventNote:
			fmt.Fprintf(&notes, "<li><p class=\"who\">%s, <time datetime=\"%s\">%s</time></p><p class=\"text\">%s</p></li>\n",
				html.EscapeString(e.Actor.Name), m.ISO, m.When, html.EscapeString(text))
		}
	}
	entries := cf.Audit
	if len(entries) > auditShown {
		cv.AuditMore = len(entries) - auditShown
		entries = entries[len(entries)-auditShown:]
	}
	for i := len(entries) - 1; i >= 0; i-- {
		a := entries[i]
		t := dated(a.At)
		where := "—"
		switch a.Via {
		case "console":
			where = "Console"
		case "telegram":
			where = "Telegram"
		}
		fmt.Fprintf(&audit, "<tr><td><time datetime=\"%s\">%s</time></td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			t.ISO, t.When, html.EscapeString(a.Worker.Name), html.EscapeString(a.Action.Words()), where)
	}
	// Everything in these was escaped above, or is the page's own words.
	cv.Timeline, cv.Messages, cv.Notes, cv.Audit = template.HTML(timeline.String()), template.HTML(messages.String()),
		template.HTML(notes.String()), template.HTML(audit.String())
	open := r.Open() && !r.IsErased()
	cv.CanClaim = open && r.Status == handoff.StatusNew
	cv.CanWrite = open && r.Held() && r.User != 0
	cv.CanAct = open
	cv.CanFollow = !r.IsErased() && r.User != 0 && r.Consent
	for _, o := range c.cfg.Desk.Outcomes() {
		cv.Outcomes = append(cv.Outcomes, option{Value: string(o), Label: o.Words()})
	}
	return cv
}

// Words shown after an action, and for what went wrong with one.
var (
	doneWords = map[string]string{
		"claimed": "The case is yours.", "messaged": "Your message is on its way to the person.",
		"noted": "Note added.", "reassigned": "The case has been passed on.", "closed": "The case is closed, and the person has been told.",
		"followup": "The person has been asked for their follow-up answers.",
		"housing":  "Marked: the person has been referred to the housing options team.",
	}
	errorWords = map[string]string{
		"claimed":     "Someone else claimed it first.",
		"closed":      "The case is closed, so nothing more can be done with it.",
		"erased":      "The person asked for their data to be erased, so nothing more can be done with it.",
		"not_claimed": "Claim the case before writing to the person.",
		"outcome":     "Choose an outcome from the list.",
		"empty":       "Write something first.",
		"no_consent":  "The person did not agree to keep their answers, so they cannot be asked for more.",
		"who":         "Choose who to pass the case to.",
		"housing_open": "The person agreed to be referred to the council's housing options team. " +
			"Refer them and mark it done below before closing the case.",
	}
)

// act runs one action of the case page, then shows the case again (a
// redirect, so reloading the page does not repeat it).
func (c *Console) act(w http.ResponseWriter, r *http.Request, v *viewer) {
	ctx := r.Context()
	ref := strings.ToUpper(r.PathValue("ref"))
	if !refPattern.MatchString(ref) {
		c.fail(w, r, v, http.StatusNotFound, msgNoCase)
		return
	}
	d := c.cfg.Desk
	var ns handoff.Notices
	var err error
	action := r.PathValue("action")
	switch action {
	case "claim":
		_, ns, err = d.Claim(ctx, ref, v.Worker)
		action = "claimed"
	case "message":
		_, ns, err = d.Message(ctx, ref, v.Worker, r.PostFormValue("text"))
		action = "messaged"
	case "note":
		if strings.TrimSpace(r.PostFormValue("text")) == "" {
			err = handoff.ErrEmpty
		} else {
			_, ns, err = d.Note(ctx, ref, v.Worker, r.PostFormValue("text"))
		}
		action = "noted"
	case "reassign":
		id, _ := strconv.ParseInt(r.PostFormValue("to"), 10, 64)
		var to handoff.KnownWorker
		var ok bool
		if id != 0 {
			to, ok, err = d.Worker(ctx, id)
		}
		if err == nil && !ok {
			c.redirectCase(w, r, ref, "", "who")
			return
		}
		if err == nil {
			_, ns, err = d.Reassign(ctx, ref, v.Worker, to.Worker)
		}
		action = "reassigned"
	case "close":
		_, ns, err = d.Close(ctx, ref, v.Worker, handoff.Outcome(r.PostFormValue("outcome")), r.PostFormValue("note"))
		action = "closed"
	case "followup":
		_, ns, err = d.AskFollowUp(ctx, ref, v.Worker)
		action = "followup"
	case "housing":
		_, ns, err = d.HousingDone(ctx, ref, v.Worker)
		action = "housing"
	default:
		c.fail(w, r, v, http.StatusNotFound, msgNotFound)
		return
	}
	if err == nil && c.cfg.Deliver != nil {
		err = c.cfg.Deliver(ctx, ns)
	}
	if code, ok := errorCode(err); ok {
		c.redirectCase(w, r, ref, "", code)
		return
	}
	if err != nil {
		c.deskFail(w, r, v, err)
		return
	}
	c.redirectCase(w, r, ref, action, "")
}

func (c *Console) redirectCase(w http.ResponseWriter, r *http.Request, ref, done, code string) {
	u := Prefix + "/case/" + ref
	switch {
	case done != "":
		u += "?done=" + done + "#notice"
	case code != "":
		u += "?error=" + code + "#notice"
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// errorCode is the case page's word for a desk error that is nobody's fault.
func errorCode(err error) (string, bool) {
	switch {
	case err == nil:
		return "", false
	case errors.Is(err, handoff.ErrAlreadyClaimed):
		return "claimed", true
	case errors.Is(err, handoff.ErrClosed):
		return "closed", true
	case errors.Is(err, handoff.ErrErased):
		return "erased", true
	case errors.Is(err, handoff.ErrNotClaimed):
		return "not_claimed", true
	case errors.Is(err, handoff.ErrBadOutcome):
		return "outcome", true
	case errors.Is(err, handoff.ErrEmpty):
		return "empty", true
	case errors.Is(err, handoff.ErrNoConsent):
		return "no_consent", true
	case errors.Is(err, handoff.ErrHousingOpen):
		return "housing_open", true
	}
	return "", false
}

// deskFail shows a desk error that ends the page: another team's case, no
// such case, or a failure of ours.
func (c *Console) deskFail(w http.ResponseWriter, r *http.Request, v *viewer, err error) {
	var other *handoff.OtherTeamError
	switch {
	case errors.As(err, &other):
		c.fail(w, r, v, http.StatusForbidden, "That case belongs to the "+strings.ToLower(other.Team.Words())+
			". You can see your own team's cases only.")
	case errors.Is(err, handoff.ErrNotAuthorised):
		c.fail(w, r, v, http.StatusForbidden, msgNoTeam)
	case errors.Is(err, handoff.ErrNotFound):
		c.fail(w, r, v, http.StatusNotFound, msgNoCase)
	default:
		c.log.Error("console: desk", "path", r.URL.Path, "err", err)
		c.fail(w, r, v, http.StatusInternalServerError, msgSorry)
	}
}

// account shows who is signed in, their teams and their sessions' controls.
func (c *Console) account(w http.ResponseWriter, r *http.Request, v *viewer) {
	var teams []string
	for _, t := range v.Access.Teams {
		teams = append(teams, t.Words())
	}
	c.render(w, r, http.StatusOK, "account", v, map[string]any{
		"Teams": strings.Join(teams, ", "), "OIDC": c.oidc != nil && v.Via == "link", "OIDCName": c.oidcName(),
	})
}

// report is the managers' page of figures.
func (c *Console) report(w http.ResponseWriter, r *http.Request, v *viewer) {
	if !v.Access.Manager {
		c.fail(w, r, v, http.StatusForbidden, msgManagers)
		return
	}
	loc := c.cfg.Desk.Location()
	day := func(s string, def time.Time) time.Time {
		if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
			return t
		}
		return def
	}
	now := c.cfg.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	from := day(r.URL.Query().Get("from"), today.AddDate(0, -3, 0))
	to := day(r.URL.Query().Get("to"), today)
	if to.Before(from) {
		from, to = to, from
	}
	end := to.AddDate(0, 0, 1) // the last day counts whole
	team := handoff.Team(r.URL.Query().Get("team"))
	if team != handoff.TeamLinkWorkers && team != handoff.TeamLeavingCare {
		team = ""
	}
	// The same figures as "signpost report", from the same function:
	// small numbers withheld before anything is drawn.
	pub, err := c.cfg.Desk.FiguresFor(r.Context(), v.Worker, handoff.Period{From: from, To: end, Team: team})
	if err != nil {
		c.deskFail(w, r, v, err)
		return
	}
	var buf bytes.Buffer
	if err := report.WriteFragment(&buf, pub); err != nil {
		c.deskFail(w, r, v, err)
		return
	}
	c.render(w, r, http.StatusOK, "report", v, map[string]any{
		"From": from.Format(time.DateOnly), "To": to.Format(time.DateOnly), "Team": string(team),
		"HTML": template.HTML(buf.String()), // written by html/template, escaped there
	})
}
