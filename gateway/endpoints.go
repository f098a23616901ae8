package gateway

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/manifest"
)

// Whoami is the JSON of /_facet/whoami (see manifest.Whoami, which facet
// serve answers too).
type Whoami = manifest.Whoami

func (s *Server) whoami(w http.ResponseWriter, st *state, id access.Identity, r *http.Request) {
	noStore(w.Header())
	c := s.chooseFor(st, id)
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
