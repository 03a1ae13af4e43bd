package console

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"signpost/handoff"
	"signpost/internal/websec"
)

//go:embed templates/*.html static/*
var files embed.FS

// pageNames are the templates, each a page of its own beside base.html.
var pageNames = []string{"signin", "link", "continue", "signedout", "error", "queue", "list", "case", "account", "report"}

// pages holds the parsed templates.
type pages struct {
	loc *time.Location
	t   map[string]*template.Template
}

func newPages(loc *time.Location) (*pages, error) {
	p := &pages{loc: loc, t: map[string]*template.Template{}}
	fns := template.FuncMap{
		"stamp":      p.stamp,
		"ago":        ago,
		"need":       handoff.NeedWords,
		"needs":      needList,
		"team":       func(t handoff.Team) string { return t.Words() },
		"status":     statusWords,
		"outcome":    func(o handoff.Outcome) string { return o.Words() },
		"source":     handoff.SourceWords,
		"lower":      strings.ToLower,
		"priority":   priorityWords,
		"eventWords": handoff.EventWords,
	}
	for _, name := range pageNames {
		t, err := template.New("base.html").Funcs(fns).ParseFS(files, "templates/base.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("console: template %s: %w", name, err)
		}
		p.t[name] = t
	}
	return p, nil
}

// view is what every page is given.
type view struct {
	Service string
	Title   string
	Nav     string // the page of the navigation it belongs to
	V       *viewer
	D       any
}

// render writes page name with data d for v (nil before sign-in).
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, v *viewer, d any) {
	t := c.pages.t[name]
	var buf bytes.Buffer
	if err := t.Execute(&buf, view{Service: c.cfg.Service, Nav: name, V: v, D: d}); err != nil {
		c.log.Error("console: render", "page", name, "err", err)
		http.Error(w, msgSorry, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// Messages the pages show when something cannot be done. They are kind,
// say what happened and what to do, and never show anything of a case to
// someone who may not see it.
const (
	msgSorry          = "Sorry, something went wrong on our side. Nothing was changed. Please try again in a moment."
	msgSignedOut      = "You are not signed in, or your session has ended. Nothing was changed. Please sign in again."
	msgNoTeam         = "You are not in a team of link workers at the moment, so the console has nothing to show you. If that is wrong, ask your manager to add you."
	msgTooLong        = "That was too long to send. Nothing was changed. Please shorten it and try again."
	msgBadForm        = "That form could not be accepted: it had expired or did not come from the console itself. Nothing was changed. Please go back, reload the page and try again."
	msgTooMany        = "Too many attempts to sign in from here. Please wait a minute and try again."
	msgBadLink        = "That sign-in link has expired or has been used already. Send /console to the bot in a private chat for a new one: each link works once, for 10 minutes."
	msgNoOIDC         = "Signing in with a council account is not set up for this service."
	msgOIDCDown       = "The council's sign-in service did not answer. Please try again, or sign in with a link from the bot."
	msgOIDCFailed     = "Signing in with the council account did not complete. Please start again."
	msgOIDCNotAllowed = "That council account may not sign in to the console. Use your work account, or sign in with a link from the bot."
	msgNotLinked      = "That council account is not linked to a link worker yet. Sign in once with a link from the bot (send it /console in a private chat), then link your council account on the Account page."
	msgLinkFromBot    = "Link your council account after signing in with a link from the bot."
	msgNotFound       = "There is no such page in the console."
	msgNoCase         = "There is no referral with that reference."
	msgManagers       = "The figures are for managers."
)

// fail shows a kind error page with status.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, v *viewer, status int, msg string) {
	websec.NoStore(w)
	c.render(w, r, status, "error", v, map[string]any{"Message": msg, "Status": status})
}

func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	v, _, _ := c.current(r)
	c.fail(w, r, v, http.StatusNotFound, msgNotFound)
}

// static serves the stylesheet and the script.
func (c *Console) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, err := files.ReadFile("static/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch {
	case strings.HasSuffix(name, ".css"):
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case strings.HasSuffix(name, ".js"):
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	}
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(b)
}

// stamp is a time as a worker reads it, in the service's zone.
func (p *pages) stamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(p.loc).Format("Mon 2 Jan 2006, 15:04")
}

// ago says how long ago t was, roughly: "3 days ago".
func ago(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	}
	return plural(int(d/(24*time.Hour)), "day") + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func needList(needs []string) string {
	words := make([]string, len(needs))
	for i, n := range needs {
		words[i] = handoff.NeedWords(n)
	}
	return strings.Join(words, ", ")
}

func statusWords(s handoff.Status) string {
	switch s {
	case handoff.StatusNew:
		return "Waiting"
	case handoff.StatusClaimed:
		return "Claimed"
	case handoff.StatusInContact:
		return "In contact"
	case handoff.StatusClosed:
		return "Closed"
	}
	return string(s)
}

func priorityWords(p handoff.Priority) string {
	switch p {
	case handoff.PriorityUrgent:
		return "Urgent"
	case handoff.PriorityHigh:
		return "High"
	}
	return "Routine"
}
