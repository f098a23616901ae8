package preview

import (
	"encoding/json"
	"net/http"
	"time"
)

// whoami is the preview's answer at /_facet/whoami: the chosen audience
// in the shape of the gateway's answer there, so that the theme's badge
// shows a guest's name and expiry as it does in production (build files
// never carry them).
type whoami struct {
	Kind     string   `json:"kind"`
	Email    string   `json:"email,omitempty"`
	Groups   []string `json:"groups"`
	Name     string   `json:"name,omitempty"`
	Expires  string   `json:"expires,omitempty"`
	Audience string   `json:"audience,omitempty"`
}

// serveWhoami answers /_facet/whoami for the audience viewed as.
func (s *Server) serveWhoami(w http.ResponseWriter, r *http.Request) {
	st := s.current()
	id := s.viewAs(r, st)
	out := whoami{Kind: "anonymous", Groups: []string{}, Audience: id}
	if st.man != nil {
		for _, a := range st.man.Audiences {
			if a.ID != id {
				continue
			}
			out.Kind, out.Email = a.Kind, a.Email
			if a.Groups != nil {
				out.Groups = a.Groups
			}
			if a.Kind == "guest" {
				out.Name, out.Expires = a.Name, firstInvalid(a.Expires)
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// firstInvalid turns an expiry as written in config/access.toml (a date,
// valid through that day, or a time) into the first instant the guest is
// no longer valid, RFC 3339 in UTC, as the gateway gives it; "" when it
// is not one of those forms.
func firstInvalid(written string) string {
	if t, err := time.Parse(time.DateOnly, written); err == nil {
		return t.AddDate(0, 0, 1).Format(time.RFC3339)
	}
	if t, err := time.Parse(time.RFC3339Nano, written); err == nil {
		return t.UTC().Format(time.RFC3339)
	}
	return ""
}
