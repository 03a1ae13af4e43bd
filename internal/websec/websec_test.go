package websec

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestHeaders(t *testing.T) {
	tests := []struct {
		name       string
		policy     Policy
		wantFrames string
		wantXFO    string
		wantHSTS   bool
	}{
		{"no framing", Policy{}, "frame-ancestors 'none'", "DENY", false},
		{"a council's site may frame it, over https", Policy{FrameAncestors: []string{"https://www.example.gov.uk"}, HTTPS: true}, "frame-ancestors https://www.example.gov.uk", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := Headers(tt.policy, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			csp := rec.Header().Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "form-action 'self'", "base-uri 'none'", tt.wantFrames} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
				t.Errorf("CSP %q allows too much", csp)
			}
			if got := rec.Header().Get("X-Frame-Options"); got != tt.wantXFO {
				t.Errorf("X-Frame-Options %q, want %q", got, tt.wantXFO)
			}
			if got := rec.Header().Get("Strict-Transport-Security") != ""; got != tt.wantHSTS {
				t.Errorf("HSTS set: %v, want %v", got, tt.wantHSTS)
			}
			for _, h := range []string{"X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy"} {
				if rec.Header().Get(h) == "" {
					t.Errorf("%s not set", h)
				}
			}
		})
	}
}

func TestCSRF(t *testing.T) {
	c := NewCSRF([]byte("0123456789abcdef0123456789abcdef"))
	other := NewCSRF([]byte("another key, another service....."))
	tok := c.Token("visitor-a")
	tests := []struct {
		name           string
		session, token string
		want           bool
	}{
		{"its own token", "visitor-a", tok, true},
		{"another visitor's token", "visitor-b", tok, false},
		{"no token", "visitor-a", "", false},
		{"no session", "", c.Token(""), false},
		{"a token made with another key", "visitor-a", other.Token("visitor-a"), false},
		{"a token cut short", "visitor-a", tok[:len(tok)-1], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Valid(tt.session, tt.token); got != tt.want {
				t.Errorf("Valid = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCrossSite(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		want    bool
	}{
		{"same origin", map[string]string{"Sec-Fetch-Site": "same-origin"}, false},
		{"typed in the address bar", map[string]string{"Sec-Fetch-Site": "none"}, false},
		{"another site", map[string]string{"Sec-Fetch-Site": "cross-site"}, true},
		{"a sibling subdomain", map[string]string{"Sec-Fetch-Site": "same-site"}, true},
		{"an old browser, same origin", map[string]string{"Origin": "http://chat.example"}, false},
		{"an old browser, another origin", map[string]string{"Origin": "https://evil.example"}, true},
		{"an opaque origin", map[string]string{"Origin": "null"}, true},
		{"no header at all", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "http://chat.example/chat", nil)
			for k, v := range tt.headers {
				r.Header.Set(k, v)
			}
			if got := CrossSite(r); got != tt.want {
				t.Errorf("CrossSite = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	tests := []struct {
		name   string
		remote string
		xff    string
		want   string
	}{
		{"direct", "203.0.113.7:5555", "", "203.0.113.7"},
		{"direct, forged header ignored", "203.0.113.7:5555", "198.51.100.1", "203.0.113.7"},
		{"through a trusted proxy", "10.1.2.3:80", "198.51.100.1", "198.51.100.1"},
		{"a forged hop before the proxy's is ignored", "10.1.2.3:80", "192.0.2.66, 198.51.100.1", "198.51.100.1"},
		{"two trusted proxies", "10.1.2.3:80", "198.51.100.1, 10.9.9.9", "198.51.100.1"},
		{"all hops trusted", "10.1.2.3:80", "10.4.4.4", "10.4.4.4"},
		{"garbage in the header", "10.1.2.3:80", "not-an-ip", "10.1.2.3"},
		{"IPv6 loopback proxy", "[::1]:80", "2001:db8::5", "2001:db8::5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := ClientIP(r, trusted).String(); got != tt.want {
				t.Errorf("ClientIP = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestParseFormTooLarge(t *testing.T) {
	body := "t=" + strings.Repeat("a", 100)
	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := ParseForm(httptest.NewRecorder(), r, 50); err != ErrTooLarge {
		t.Errorf("ParseForm of %d bytes with a limit of 50: %v, want ErrTooLarge", len(body), err)
	}
	r = httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := ParseForm(httptest.NewRecorder(), r, 500); err != nil || len(r.PostForm.Get("t")) != 100 {
		t.Errorf("ParseForm within the limit: %v", err)
	}
}

func TestLimitBody(t *testing.T) {
	h := LimitBody(10, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("x", 11))))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", rec.Code)
	}
}

func TestPseudonym(t *testing.T) {
	k := []byte("0123456789abcdef0123456789abcdef")
	a := Pseudonym(k, "ip", "203.0.113.7")
	if strings.Contains(a, "203.0.113.7") || !strings.HasPrefix(a, "ip:") {
		t.Errorf("pseudonym %q", a)
	}
	if a != Pseudonym(k, "ip", "203.0.113.7") || a == Pseudonym(k, "ip", "203.0.113.8") || a == Pseudonym([]byte("another key"), "ip", "203.0.113.7") {
		t.Error("pseudonyms are not stable per key and address")
	}
}

func TestNetwork(t *testing.T) {
	for addr, want := range map[string]string{
		"203.0.113.7":                 "203.0.113.7",
		"::ffff:203.0.113.7":          "203.0.113.7",
		"2001:db8:1:2:aaaa::1":        "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff::999": "2001:db8:1:2::/64",
	} {
		if got := Network(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Network(%s) = %s, want %s", addr, got, want)
		}
	}
}
