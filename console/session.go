package console

import (
	"context"
	"net/http"
	"strings"
	"time"

	"signpost/handoff"
	"signpost/internal/websec"
)

// viewer is who is asking: their session and what they may do.
type viewer struct {
	Session
	sid    string
	Access handoff.Access
	CSRF   string
}

// cookieName is the session cookie's name: with the __Secure- prefix over
// https, so that a browser never takes it from a plain http answer.
func (c *Console) cookieName() string {
	if c.secure {
		return "__Secure-signpost_console"
	}
	return "signpost_console"
}

func (c *Console) setCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: c.cookieName(), Value: value, Path: Prefix, MaxAge: maxAge,
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteStrictMode,
	})
}

// current returns the signed-in viewer of r, ok false when there is none.
func (c *Console) current(r *http.Request) (*viewer, bool, error) {
	ck, err := r.Cookie(c.cookieName())
	if err != nil || ck.Value == "" {
		return nil, false, nil
	}
	sess, ok, err := c.cfg.Store.Session(r.Context(), ck.Value, IdleTTL)
	if err != nil || !ok {
		return nil, false, err
	}
	return &viewer{Session: sess, sid: ck.Value, CSRF: c.csrf.Token(ck.Value)}, true, nil
}

// signedIn runs h for a signed-in worker who belongs to a team, checking the
// CSRF token and the origin of every form first. Anyone else is sent to
// sign in, and a form without a good token changes nothing.
func (c *Console) signedIn(h func(http.ResponseWriter, *http.Request, *viewer)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		websec.NoStore(w)
		v, ok, err := c.current(r)
		if err != nil {
			c.log.Error("console: read session", "err", err)
			c.fail(w, r, nil, http.StatusServiceUnavailable, msgSorry)
			return
		}
		if !ok {
			if r.Method == http.MethodPost {
				c.fail(w, r, nil, http.StatusForbidden, msgSignedOut)
				return
			}
			http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
			return
		}
		ctx := handoff.WithVia(r.Context(), "console")
		r = r.WithContext(ctx)
		if v.Access, err = c.cfg.Desk.Access(ctx, v.Worker); err != nil {
			// No longer in any team: the session goes.
			c.cfg.Store.DeleteSession(ctx, v.sid, v.Worker.ID)
			c.setCookie(w, "", -1)
			c.fail(w, r, nil, http.StatusForbidden, msgNoTeam)
			return
		}
		if r.Method == http.MethodPost {
			if err := websec.ParseForm(w, r, maxForm); err != nil {
				c.fail(w, r, v, http.StatusRequestEntityTooLarge, msgTooLong)
				return
			}
			if websec.CrossSite(r) || !c.csrf.Valid(v.sid, r.PostFormValue(websec.CSRFField)) {
				c.log.Warn("console: form refused: no valid CSRF token", "worker", v.Worker.ID, "path", r.URL.Path)
				c.fail(w, r, v, http.StatusForbidden, msgBadForm)
				return
			}
		}
		h(w, r, v)
	}
}

// startSession signs worker in: a new session, its cookie, and the way on.
func (c *Console) startSession(ctx context.Context, w http.ResponseWriter, worker handoff.Worker, via string) error {
	id := randomToken()
	if err := c.cfg.Store.PutSession(ctx, id, Session{Worker: worker, Created: c.cfg.Now(), Via: via}, IdleTTL); err != nil {
		return err
	}
	c.setCookie(w, id, 0)
	if err := c.cfg.Desk.SeeWorker(ctx, worker, ""); err != nil {
		c.log.Warn("console: record a worker", "worker", worker.ID, "err", err)
	}
	c.log.InfoContext(ctx, "console signed in", "worker", worker.ID, "via", via)
	return nil
}

// limited reports whether r's address has made too many sign-in attempts,
// and answers it if so.
func (c *Console) limited(w http.ResponseWriter, r *http.Request) bool {
	ip := websec.ClientIP(r, c.cfg.TrustedProxies)
	key := websec.Pseudonym(c.pseudo, "console-signin", websec.Network(ip))
	ok, wait, err := c.cfg.Store.Allow(r.Context(), key, c.cfg.SignInRate, time.Minute)
	if err != nil {
		c.log.Error("console: sign-in limit", "err", err)
		c.fail(w, r, nil, http.StatusServiceUnavailable, msgSorry)
		return true
	}
	if !ok {
		w.Header().Set("Retry-After", strings.TrimSuffix(wait.Round(time.Second).String(), "s"))
		c.fail(w, r, nil, http.StatusTooManyRequests, msgTooMany)
		return true
	}
	return false
}

func (c *Console) home(w http.ResponseWriter, r *http.Request) {
	if _, ok, _ := c.current(r); ok {
		http.Redirect(w, r, Prefix+"/queue", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
}

func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	websec.NoStore(w)
	c.render(w, r, http.StatusOK, "signin", nil, map[string]any{"OIDC": c.oidc != nil, "Name": c.oidcName()})
}

// linkPage shows the one-time link's button. Following the link does not
// use it: a preview fetched by a chat app must not spend it.
func (c *Console) linkPage(w http.ResponseWriter, r *http.Request) {
	websec.NoStore(w)
	c.render(w, r, http.StatusOK, "link", nil, map[string]any{"Token": r.URL.Query().Get("t")})
}

// useLink spends a one-time link and signs its worker in. An expired,
// spent or made-up link is refused with the way to a new one.
func (c *Console) useLink(w http.ResponseWriter, r *http.Request) {
	websec.NoStore(w)
	if c.limited(w, r) {
		return
	}
	if err := websec.ParseForm(w, r, maxForm); err != nil || websec.CrossSite(r) {
		c.fail(w, r, nil, http.StatusForbidden, msgBadForm)
		return
	}
	token := r.PostFormValue("t")
	l, ok, err := c.cfg.Store.TakeLink(r.Context(), token)
	if err != nil {
		c.log.Error("console: take link", "err", err)
		c.fail(w, r, nil, http.StatusServiceUnavailable, msgSorry)
		return
	}
	if !ok || token == "" || !c.cfg.Now().Before(l.Expires) {
		c.fail(w, r, nil, http.StatusForbidden, msgBadLink)
		return
	}
	if _, err := c.cfg.Desk.Access(r.Context(), l.Worker); err != nil {
		c.fail(w, r, nil, http.StatusForbidden, msgNoTeam)
		return
	}
	if err := c.startSession(r.Context(), w, l.Worker, "link"); err != nil {
		c.log.Error("console: start session", "err", err)
		c.fail(w, r, nil, http.StatusServiceUnavailable, msgSorry)
		return
	}
	http.Redirect(w, r, Prefix+"/queue", http.StatusSeeOther)
}

func (c *Console) signOut(w http.ResponseWriter, r *http.Request, v *viewer) {
	if err := c.cfg.Store.DeleteSession(r.Context(), v.sid, v.Worker.ID); err != nil {
		c.fail(w, r, v, http.StatusServiceUnavailable, msgSorry)
		return
	}
	c.setCookie(w, "", -1)
	c.log.InfoContext(r.Context(), "console signed out", "worker", v.Worker.ID)
	c.render(w, r, http.StatusOK, "signedout", nil, map[string]any{"All": false})
}

func (c *Console) signOutAll(w http.ResponseWriter, r *http.Request, v *viewer) {
	n, err := c.cfg.Store.DeleteWorkerSessions(r.Context(), v.Worker.ID)
	if err != nil {
		c.fail(w, r, v, http.StatusServiceUnavailable, msgSorry)
		return
	}
	c.setCookie(w, "", -1)
	c.log.InfoContext(r.Context(), "console signed out everywhere", "worker", v.Worker.ID, "sessions", n)
	c.render(w, r, http.StatusOK, "signedout", nil, map[string]any{"All": true, "N": n})
}
