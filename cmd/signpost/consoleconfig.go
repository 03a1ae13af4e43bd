package main

import "signpost/console"

// consoleConfig is the settings of the link workers' console.
type consoleConfig struct {
	// PublicURL is where people reach the service (PUBLIC_URL, which the
	// web chat reads too); the console is at PublicURL/console. Empty: no
	// console.
	PublicURL string
	// OIDC is sign-in with the council's OpenID Connect provider; nil: off.
	OIDC *console.OIDCConfig
	// Service names the service on the pages.
	Service string
}

// loadConsoleConfig reads the console's settings; public is PUBLIC_URL as
// already read and checked.
func loadConsoleConfig(s settings, public string) (consoleConfig, error) {
	c := consoleConfig{PublicURL: public}
	c.Service = s.get("SERVICE_NAME", "Social prescribing")
	issuer := s.get("OIDC_ISSUER", "")
	if issuer == "" {
		return c, nil
	}
	if c.PublicURL == "" {
		return c, &configError{"OIDC_ISSUER", "needs PUBLIC_URL: the provider sends people back to PUBLIC_URL/console/signin/oidc/callback"}
	}
	secret, err := s.secret("OIDC_CLIENT_SECRET")
	if err != nil {
		return c, err
	}
	o := &console.OIDCConfig{
		Issuer: issuer, ClientID: s.get("OIDC_CLIENT_ID", ""), ClientSecret: secret,
		Name: s.get("OIDC_NAME", ""), Domains: s.list("OIDC_EMAIL_DOMAINS"), Groups: s.list("OIDC_GROUPS"),
		GroupClaim: s.get("OIDC_GROUP_CLAIM", "groups"),
	}
	if err := o.Check(); err != nil {
		return c, &configError{"OIDC_ISSUER", "is set, but " + err.Error() + " (OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_EMAIL_DOMAINS or OIDC_GROUPS)"}
	}
	c.OIDC = o
	return c, nil
}
