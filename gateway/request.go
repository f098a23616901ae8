package gateway

import (
	"net"
	"net/http"
	"net/netip"
	"path"
	"strings"
)

// The routes of the gateway's own paths, with the methods each answers
// (GET answers HEAD too). Every other path is a file of a build.
const (
	siteRoute   = "GET /"
	whoamiRoute = "GET " + WhoamiPath
)

// routes returns the mux of the gateway's own paths. ServeMux matches a
// path exactly (a percent-encoded letter is the letter; an encoded slash
// is not a slash) and answers a method a path does not take with 405 and
// Allow.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+LoginPath, s.login)
	mux.HandleFunc("GET "+CallbackPath, s.callback)
	mux.HandleFunc("GET "+LogoutPath, s.logout)
	mux.HandleFunc("POST "+LogoutPath, s.logout)
	mux.HandleFunc("GET "+HealthPath, func(w http.ResponseWriter, _ *http.Request) { s.health(w) })
	mux.HandleFunc("GET "+MetricsPath, func(w http.ResponseWriter, r *http.Request) {
		noStore(w.Header())
		s.metrics.handler.ServeHTTP(w, r)
	})
	// Served by route with the request's identity; registered for the
	// methods they take.
	mux.Handle(whoamiRoute, http.NotFoundHandler())
	mux.Handle(siteRoute, http.NotFoundHandler())
	return mux
}

// canonical reports whether r's path is one ServeMux takes as it is: no
// empty, "." or ".." segment. Any other spelling is left to the site's
// path mapping, which refuses it without cleaning (ServeMux would
// redirect to the cleaned path instead), so a path like "//auth/login"
// answers as it always has: as a path of the site.
func canonical(r *http.Request) bool {
	p := r.URL.EscapedPath()
	if p == "" || p[0] != '/' {
		return false
	}
	c := path.Clean(p)
	if c != "/" && strings.HasSuffix(p, "/") {
		return len(p) == len(c)+1 && strings.HasPrefix(p, c)
	}
	return c == p
}

// pick returns the handler and pattern the mux picks for r, or siteRoute
// for a path the mux is not asked about (see canonical). A GET or HEAD of
// a path none of the gateway's own routes names exactly goes to the site
// without the mux's walk, as the mux would send it: every route but the
// site's names one path, which the mux matches only when the path,
// unescaped, is that path.
func (s *Server) pick(r *http.Request) (http.Handler, string) {
	if !canonical(r) {
		return nil, siteRoute
	}
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !ownPath(r.URL.Path) {
		return nil, siteRoute
	}
	return s.mux.Handler(r)
}

// ownPath reports a path one of the gateway's own routes names.
func ownPath(p string) bool {
	switch p {
	case LoginPath, CallbackPath, LogoutPath, WhoamiPath, HealthPath, MetricsPath:
		return true
	}
	return false
}

// clientIP is the address of the person asking, for logs. X-Forwarded-For
// is believed only when the peer is a trusted proxy, and then read from the
// right, skipping trusted proxies, so a client cannot choose its address by
// sending the header itself.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return peer.String()
		}
		if !s.trusted(a) {
			return a.String()
		}
		peer = a
	}
	return peer.String()
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
