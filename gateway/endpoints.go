package gateway

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/access"
)

// Whoami is the JSON of /_facet/whoami: who the gateway takes the person
// to be and which build they are served. It never holds a token or secret,
// nor anything of another person: builds are shared, so a person's own
// name and expiry come from here, at request time, and never from a build
// file (the theme's badge fetches them).
type Whoami struct {
	Kind   string   `json:"kind"`
	Email  string   `json:"email,omitempty"`
	Groups []string `json:"groups"`
	// Name is a guest's name from config/access.toml, empty otherwise.
	Name string `json:"name,omitempty"`
	// Expires is the first instant a guest is no longer valid, RFC 3339,
	// empty for everyone else and for a guest without expiry.
	Expires string `json:"expires,omitempty"`
	// Audience is the audience id the person is served as: their own, or
	// a shared one that names nobody ("members", "group:eng"); empty when
	// the build's audiences are other people's.
	Audience string `json:"audience,omitempty"`
	// Build is the build folder served, empty when none may be shown.
	Build string `json:"build,omitempty"`
	// Exact is false when no build matched the identity exactly and a
	// smaller one is served.
	Exact bool `json:"exact"`
	// Generation is the build generation being served.
	Generation string `json:"generation"`
}

func (s *Server) whoami(w http.ResponseWriter, st *state, id access.Identity, r *http.Request) {
	noStore(w.Header())
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.page(w, http.StatusMethodNotAllowed, "Method not allowed", "This address only answers GET.")
		return
	}
	c := st.choose(id, s.reportInexact(st))
	out := Whoami{Kind: string(id.Kind), Email: id.Email, Groups: id.Groups, Audience: c.audience,
		Exact: c.exact, Generation: st.gen}
	if out.Groups == nil {
		out.Groups = []string{}
	}
	if strings.HasPrefix(out.Audience, "user:") && out.Audience != "user:"+id.Email {
		out.Audience = ""
	}
	if g, ok := st.dir.Guest(id.Email); ok && id.Kind == access.Guest {
		out.Name = g.Name
		if !g.Expires.IsZero() {
			out.Expires = g.Expires.UTC().Format(time.RFC3339)
		}
	}
	if c.build >= 0 {
		out.Build = st.builds[c.build].dir
	}
	body, err := json.Marshal(out)
	if err != nil {
		s.serverError(w, "encode whoami", err)
		return
	}
	body = append(body, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// health answers 200 when a build is loaded, 503 otherwise.
func (s *Server) health(w http.ResponseWriter) {
	noStore(w.Header())
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if s.state.Load() == nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("no build loaded\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}
