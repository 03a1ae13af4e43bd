// Package websec holds what every page signpost serves needs to be safe:
// security headers with a strict Content-Security-Policy that lets nothing
// load from another origin, CSRF tokens bound to a visitor or a session,
// limits on the size of what a request may send, the client's address behind
// trusted proxies, and rate limits kept by a shared Limiter (package store
// keeps them in Redis). It uses the standard library only.
package websec

import (
	"net/http"
	"strings"
)

// Policy is what the security headers allow. Its zero value is the
// strictest: no framing at all.
type Policy struct {
	// FrameAncestors are the origins allowed to show the pages in an iframe
	// ("https://www.example.gov.uk"). None: the pages cannot be framed.
	FrameAncestors []string
	// HTTPS adds Strict-Transport-Security, for a service reached over https.
	HTTPS bool
}

// CSP is the Content-Security-Policy of p: scripts, styles, images, fonts
// and connections from the page's own origin only, no inline script or
// style, forms posting only to the same origin, no plugins, no <base>.
func (p Policy) CSP() string {
	frames := "'none'"
	if len(p.FrameAncestors) > 0 {
		frames = strings.Join(p.FrameAncestors, " ")
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
		"connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; " +
		"frame-src 'none'; frame-ancestors " + frames
}

// Headers sets the security headers of p on every answer of next:
//
//   - Content-Security-Policy: p.CSP();
//   - X-Frame-Options DENY when no frame ancestor is allowed (for browsers
//     that predate frame-ancestors);
//   - X-Content-Type-Options nosniff, Referrer-Policy no-referrer (a page's
//     address never leaves with a link the person follows);
//   - Cross-Origin-Opener-Policy and Cross-Origin-Resource-Policy, so other
//     sites can neither script the window nor embed its resources;
//   - Permissions-Policy turning off the camera, microphone, location and
//     the like, none of which a chat needs;
//   - Strict-Transport-Security for a year, when p.HTTPS.
func Headers(p Policy, next http.Handler) http.Handler {
	csp := p.CSP()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		if len(p.FrameAncestors) == 0 {
			h.Set("X-Frame-Options", "DENY")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
		if p.HTTPS {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// NoStore marks an answer as not to be kept by the browser or any cache in
// between: pages that show a person's own conversation or case.
func NoStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
}
