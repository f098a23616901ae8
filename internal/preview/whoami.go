package preview

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/manifest"
)

// serveWhoami answers /_facet/whoami for the audience viewed as, in the
// gateway's shape (manifest.Whoami), so that the theme's badge shows a
// guest's name and expiry as it does in production (build files never
// carry them). The preview serves exactly the audience viewed as.
func (s *Server) serveWhoami(w http.ResponseWriter, r *http.Request) {
	st := s.current()
	id := s.viewAs(r, st)
	out := manifest.Whoami{Kind: "anonymous", Groups: []string{}, Audience: id, Exact: true, Generation: st.gen}
	if st.man != nil {
		for _, a := range st.man.Audiences {
			if a.ID != id {
				continue
			}
			out.Kind, out.Email = a.Kind, a.Email
			if a.Groups != nil {
				out.Groups = a.Groups
			}
			if g, ok := st.guest(a.Email); ok && a.Kind == "guest" {
				out.Name = g.Name
				if !g.Expires.IsZero() {
					out.Expires = g.Expires.UTC().Format(time.RFC3339)
				}
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// guest returns the declared guest with email from the compiled rules of
// the build being served.
func (st lastBuild) guest(email string) (access.GuestEntry, bool) {
	if st.rules == nil {
		return access.GuestEntry{}, false
	}
	return st.rules.Directory.Guest(email)
}
