package main

import (
	"strings"
	"testing"
)

func TestWebSettings(t *testing.T) {
	t.Parallel()
	base := map[string]string{"TELEGRAM_BOT_TOKEN": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", "DEMO": "1"}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c *serveConfig)
	}{
		{"defaults", nil, "", func(t *testing.T, c *serveConfig) {
			if !c.Web.On || c.Web.Colour != "#1d5e3c" || c.Web.PerIP != 300 || c.Web.PerVisitor != 40 || c.Web.Name != "Social prescribing" {
				t.Errorf("web defaults: %+v", c.Web)
			}
		}},
		{"off", map[string]string{"WEB_CHAT": "off"}, "", func(t *testing.T, c *serveConfig) {
			if c.Web.On {
				t.Error("WEB_CHAT=off left it on")
			}
		}},
		{"the service's name", map[string]string{"SERVICE_NAME": "Waltham Forest social prescribing"}, "", func(t *testing.T, c *serveConfig) {
			if c.Web.Name != "Waltham Forest social prescribing" {
				t.Errorf("name %q", c.Web.Name)
			}
		}},
		{"embedding and proxies", map[string]string{"WEB_EMBED_ORIGINS": "https://www.example.gov.uk/, https://news.example.gov.uk", "TRUSTED_PROXIES": "10.0.0.0/8 192.0.2.7"}, "", func(t *testing.T, c *serveConfig) {
			if strings.Join(c.Web.EmbedOrigins, " ") != "https://www.example.gov.uk https://news.example.gov.uk" || len(c.Web.TrustedProxies) != 2 || c.Web.TrustedProxies[1].Bits() != 32 {
				t.Errorf("origins %v, proxies %v", c.Web.EmbedOrigins, c.Web.TrustedProxies)
			}
		}},
		{"a pale colour", map[string]string{"WEB_COLOUR": "#ffcc00"}, "WEB_COLOUR", nil},
		{"no colour at all", map[string]string{"WEB_COLOUR": "green"}, "WEB_COLOUR", nil},
		{"a page, not an origin", map[string]string{"WEB_EMBED_ORIGINS": "https://www.example.gov.uk/help"}, "WEB_EMBED_ORIGINS", nil},
		{"a proxy that is no address", map[string]string{"TRUSTED_PROXIES": "proxy.local"}, "TRUSTED_PROXIES", nil},
		{"WEB_CHAT neither on nor off", map[string]string{"WEB_CHAT": "maybe"}, "WEB_CHAT", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := configFrom(base, tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}
