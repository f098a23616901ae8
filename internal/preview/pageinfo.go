package preview

import (
	"encoding/json"
	"net/http"
)

// pageInfo is /_facet/page's answer: what the preview's bar on every page
// shows.
type pageInfo struct {
	// As is the audience the site is viewed as; Audiences every audience,
	// for the view-as switch.
	As        string         `json:"as"`
	Audiences []audienceInfo `json:"audiences"`
	// Readers name who can read the page (as the member builds' panel
	// does), whatever audience it is viewed as; empty for a page the site
	// does not have.
	Readers []string `json:"readers"`
}

// audienceInfo is one audience of the view-as switch.
type audienceInfo struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name,omitempty"`
}

// servePageInfo answers /_facet/page?url=/a/b/: the audience being
// viewed as, every audience, and who can read the page at url.
func (s *Server) servePageInfo(w http.ResponseWriter, r *http.Request) {
	st := s.current()
	out := pageInfo{As: s.viewAs(r, st), Audiences: []audienceInfo{}, Readers: []string{}}
	if st.man != nil {
		for _, a := range st.man.Audiences {
			out.Audiences = append(out.Audiences, audienceInfo{ID: a.ID, Kind: a.Kind, Name: a.Name})
		}
	}
	if readers, ok := s.builder.Readers(r.URL.Query().Get("url")); ok {
		out.Readers = readers
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}
