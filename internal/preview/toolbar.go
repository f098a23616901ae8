package preview

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/manifest"
)

// pages are the preview's own pages: the toolbar and the build error page.
var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"asURL": func(id string) string { return "/_facet/as?id=" + url.QueryEscape(id) },
	"join":  strings.Join,
}).ParseFS(assets, "assets/*.html"))

// toolbarData is the data of assets/toolbar.html.
type toolbarData struct {
	Current   string
	Audiences []manifest.Audience
	Built     string
	Error     string
}

// serveToolbar serves the list of audiences with links to view as each.
func (s *Server) serveToolbar(w http.ResponseWriter, r *http.Request) {
	st := s.current()
	d := toolbarData{Error: st.err}
	if st.man != nil {
		d.Current = s.viewAs(r, st)
		d.Audiences = st.man.Audiences
	}
	if !st.when.IsZero() {
		d.Built = st.when.Format(time.TimeOnly)
	}
	s.servePage(w, "toolbar.html", d, http.StatusOK)
}

// serveBuildError answers any page while no build has succeeded.
func (s *Server) serveBuildError(w http.ResponseWriter, st lastBuild) {
	s.servePage(w, "error.html", toolbarData{Error: st.err}, http.StatusServiceUnavailable)
}

func (s *Server) servePage(w http.ResponseWriter, name string, d toolbarData, code int) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, d); err != nil {
		http.Error(w, "facet serve: page failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(b.Bytes())
}
