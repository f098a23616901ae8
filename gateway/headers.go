package gateway

import "net/http"

// ContentSecurityPolicy is sent with every response. It allows no inline
// script: a theme's scripts are files of the build. Styles are files of
// the build too, but style-src also allows inline styles: mermaid's
// diagrams are SVG whose look is a <style> element and style attributes
// written as the diagram is drawn (no hash or nonce can name them). What
// inline CSS could do is bounded by the other directives: it runs no
// script, and loads images and fonts from the site alone.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; " +
	"form-action 'self'; frame-ancestors 'none'"

// Header values, shared read-only slices so setting them costs no
// allocation per request.
var (
	hvCSP        = []string{ContentSecurityPolicy}
	hvNosniff    = []string{"nosniff"}
	hvReferrer   = []string{"same-origin"}
	hvFrame      = []string{"DENY"}
	hvCOOP       = []string{"same-origin"}
	hvCORP       = []string{"same-origin"}
	hvHSTS       = []string{"max-age=31536000"}
	hvNoStore    = []string{"no-store"}
	hvPrivate    = []string{"private, no-cache"}
	hvNoCache    = []string{"no-cache"}
	hvVaryCookie = []string{"Cookie, Accept-Encoding"}
	hvVaryEnc    = []string{"Accept-Encoding"}
	hvVaryOnly   = []string{"Cookie"}
	hvBytes      = []string{"bytes"}
	hvNoIndex    = []string{"noindex, nofollow"}
)

// securityHeaders sets the headers every response carries: a CSP without
// inline script, nosniff, a same-origin referrer policy (a URL of a page
// never leaves the site in a Referer), no framing, and HSTS when the
// public URL is https.
func (s *Server) securityHeaders(h http.Header) {
	h["Content-Security-Policy"] = hvCSP
	h["X-Content-Type-Options"] = hvNosniff
	h["Referrer-Policy"] = hvReferrer
	h["X-Frame-Options"] = hvFrame
	h["Cross-Origin-Opener-Policy"] = hvCOOP
	h["Cross-Origin-Resource-Policy"] = hvCORP
	if s.secure {
		h["Strict-Transport-Security"] = hvHSTS
	}
}

// noStore marks an auth response: never cached anywhere, and varying by
// cookie for any cache that ignores no-store.
func noStore(h http.Header) {
	h["Cache-Control"] = hvNoStore
	h["Vary"] = hvVaryOnly
}

// siteCache sets caching for a file of a build. With one build every
// identity gets the same bytes: shared caches may keep them but must
// revalidate, unless the response sets a cookie (a refreshed or cleared
// session), which a shared cache would hand to the next person. With
// several builds, responses differ by identity: only the browser may keep
// them, always revalidated, and keyed by cookie.
func siteCache(h http.Header, shared bool) {
	if shared && len(h["Set-Cookie"]) == 0 {
		h["Cache-Control"] = hvNoCache
		h["Vary"] = hvVaryEnc
		return
	}
	h["Cache-Control"] = hvPrivate
	h["Vary"] = hvVaryCookie
}
