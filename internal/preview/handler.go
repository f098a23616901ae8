package preview

import (
	"bytes"
	"embed"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

//go:embed assets
var assets embed.FS

// scriptTag is what every HTML response gets before </body>.
const scriptTag = `<script src="/_facet/reload.js" defer></script>`

// ServeHTTP serves /_facet/ and the files of the chosen audience's build.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hostAllowed(r.Host) {
		http.Error(w, "facet serve: unexpected Host header; add the name with --host", http.StatusMisdirectedRequest)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if !s.admitted(w, r) {
		return
	}
	switch p := r.URL.Path; {
	case p == "/_facet/events":
		s.serveEvents(w, r)
		return
	case p == "/_facet/as":
		s.serveAs(w, r)
		return
	case p == "/_facet/whoami":
		s.serveWhoami(w, r)
		return
	case p == "/_facet/reload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		b, _ := assets.ReadFile("assets/reload.js")
		http.ServeContent(w, r, "reload.js", time.Time{}, bytes.NewReader(b))
		return
	case p == "/_facet/preview.css":
		b, _ := assets.ReadFile("assets/preview.css")
		http.ServeContent(w, r, "preview.css", time.Time{}, bytes.NewReader(b))
		return
	case p == "/_facet/page":
		s.servePageInfo(w, r)
		return
	case p == "/_facet/":
		s.serveToolbar(w, r)
		return
	}
	// Any other /_facet/ path is the build's own (nav.js, search).
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	st := s.current()
	if st.man == nil {
		s.serveBuildError(w, st)
		return
	}
	dir, _, err := audienceDir(st.man, s.cookieID(r))
	if err != nil {
		http.Error(w, "facet serve: no anonymous build", http.StatusInternalServerError)
		return
	}
	s.serveFile(w, r, filepath.Join(s.opts.Out, filepath.FromSlash(dir)))
}

// hostAllowed reports whether the Host header names this server: a
// loopback name or one of Options.Hosts.
func (s *Server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "localhost" || slices.Contains(s.opts.Hosts, "*") || slices.Contains(s.opts.Hosts, host) {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// cookieID returns the audience id chosen with view-as, "" when none.
func (s *Server) cookieID(r *http.Request) string {
	c, err := r.Cookie(CookieName)
	if err != nil {
		return ""
	}
	id, err := url.QueryUnescape(c.Value)
	if err != nil {
		return ""
	}
	return id
}

// viewAs returns the audience id a request is served as.
func (s *Server) viewAs(r *http.Request, st lastBuild) string {
	if st.man == nil {
		return ""
	}
	_, id, err := audienceDir(st.man, s.cookieID(r))
	if err != nil {
		return ""
	}
	return id
}

// serveAs sets the view-as cookie to a known audience and redirects to
// rd, a local path (the page the author was on), else to /.
func (s *Server) serveAs(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	st := s.current()
	known := false
	if st.man != nil {
		for _, a := range st.man.Audiences {
			known = known || a.ID == id
		}
	}
	if !known {
		http.Error(w, "facet serve: unknown audience; see /_facet/", http.StatusNotFound)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: url.QueryEscape(id), Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, localPath(r.URL.Query().Get("rd")), http.StatusSeeOther)
}

// localPath returns rd when it is a path of this server ("/a/b/"), never
// another host ("//x", "/\\x") or a scheme; "/" otherwise.
func localPath(rd string) string {
	if !strings.HasPrefix(rd, "/") || strings.HasPrefix(rd, "//") || strings.ContainsAny(rd, "\\\r\n\t") {
		return "/"
	}
	return rd
}

// serveFile serves the request's path from the build folder root, as
// http.FileServer would but without directory listings: a folder is
// served by its index.html (redirecting to the trailing-slash URL), and
// anything missing gets the build's 404.html with status 404.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, root string) {
	upath := r.URL.Path
	if !strings.HasPrefix(upath, "/") {
		upath = "/" + upath
	}
	if strings.HasSuffix(upath, "/index.html") {
		localRedirect(w, r, "./")
		return
	}
	name := strings.TrimPrefix(path.Clean(upath), "/")
	if name == "" {
		name = "."
	}
	rt, err := os.OpenRoot(root)
	if err != nil {
		http.Error(w, "facet serve: build not readable", http.StatusInternalServerError)
		return
	}
	defer rt.Close()
	fi, err := rt.Stat(name)
	if err == nil && fi.IsDir() {
		if !strings.HasSuffix(upath, "/") {
			localRedirect(w, r, path.Base(upath)+"/")
			return
		}
		name = path.Join(name, "index.html")
		fi, err = rt.Stat(name)
	} else if err == nil && strings.HasSuffix(upath, "/") {
		err = fs.ErrNotExist // a file asked for as a folder
	}
	if err != nil || fi.IsDir() {
		s.serveNotFound(w, r, rt)
		return
	}
	s.serveContent(w, r, rt, name, http.StatusOK)
}

// serveNotFound serves the build's 404.html with status 404.
func (s *Server) serveNotFound(w http.ResponseWriter, r *http.Request, rt *os.Root) {
	if _, err := rt.Stat("404.html"); err != nil {
		http.NotFound(w, r)
		return
	}
	s.serveContent(w, r, rt, "404.html", http.StatusNotFound)
}

// serveContent serves one file; an HTML file gets the reload script.
func (s *Server) serveContent(w http.ResponseWriter, r *http.Request, rt *os.Root, name string, code int) {
	f, err := rt.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	if !isHTML(name) {
		if code != http.StatusOK {
			w.WriteHeader(code)
			io.Copy(w, f)
			return
		}
		fi, err := f.Stat()
		if err != nil {
			http.Error(w, "facet serve: file not readable", http.StatusInternalServerError)
			return
		}
		http.ServeContent(w, r, name, fi.ModTime(), f)
		return
	}
	b, err := io.ReadAll(f)
	if err != nil {
		http.Error(w, "facet serve: file not readable", http.StatusInternalServerError)
		return
	}
	b = InjectScript(b)
	if code != http.StatusOK {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(code)
		if r.Method != http.MethodHead {
			w.Write(b)
		}
		return
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

func isHTML(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".html" || ext == ".htm"
}

// InjectScript inserts the reload script tag before the last </body> of an
// HTML document, or at its end when it has none.
func InjectScript(b []byte) []byte {
	i := bytes.LastIndex(bytes.ToLower(b), []byte("</body>"))
	if i < 0 {
		return append(b[:len(b):len(b)], scriptTag...)
	}
	out := make([]byte, 0, len(b)+len(scriptTag))
	out = append(out, b[:i]...)
	out = append(out, scriptTag...)
	return append(out, b[i:]...)
}

// localRedirect redirects to a path relative to the request, keeping its
// query, as net/http's file server does.
func localRedirect(w http.ResponseWriter, r *http.Request, to string) {
	if q := r.URL.RawQuery; q != "" {
		to += "?" + q
	}
	w.Header().Set("Location", to)
	w.WriteHeader(http.StatusMovedPermanently)
}
