package gateway

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/access"
)

// maxPath bounds the length of a request path that is looked up.
const maxPath = 1024

// notFoundPage is every build's page for a path it lacks.
const notFoundPage = "404.html"

// mapPath turns a request path into the name of a file in a build, or
// reports false. It never yields a name that leaves the build or names a
// dot-file: every segment must be non-empty, must not start with "." (so
// no ".", "..", ".git" or ".htaccess") and must hold no "\" or NUL. A path
// ending in "/" names that folder's index.html. The name returned is the
// one later opened: nothing is cleaned after the check.
func mapPath(p string) (string, bool) {
	if len(p) == 0 || len(p) > maxPath || p[0] != '/' {
		return "", false
	}
	if strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	name := p[1:]
	for seg := range strings.SplitSeq(name, "/") {
		if seg == "" || seg[0] == '.' || strings.ContainsAny(seg, "\\\x00") {
			return "", false
		}
	}
	if !fs.ValidPath(name) {
		return "", false
	}
	return name, true
}

// serveSite answers a request for a page or file of the identity's build.
func (s *Server) serveSite(w http.ResponseWriter, r *http.Request, st *generation, id access.Identity, m *identityMemo) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.page(w, http.StatusMethodNotAllowed, "Method not allowed", "This address only serves pages.")
		return
	}
	if id.Kind != access.Anonymous {
		// What a signed-in person sees is never for search engines.
		w.Header()["X-Robots-Tag"] = hvNoIndex
	}
	c := s.chooseFor(st, id, m)
	if c.build < 0 {
		s.log.Warn("no build may be shown to this identity", slog.String("kind", string(id.Kind)))
		s.page(w, http.StatusForbidden, "No access", "There is no version of this site you may see.")
		return
	}
	b := st.builds[c.build]
	name, ok := mapPath(r.URL.Path)
	if !ok {
		s.missing(w, r, st, b, id)
		return
	}
	a, err := st.files.get(b, name)
	if err != nil {
		s.serverError(w, "read file", err)
		return
	}
	switch a.kind {
	case assetDir:
		idx, err := st.files.get(b, name+"/index.html")
		if err == nil && idx.kind == assetFile {
			target := (&url.URL{Path: "/" + name + "/"}).EscapedPath()
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			siteCache(w.Header(), st.shared)
			w.Header().Set("Location", target)
			w.WriteHeader(http.StatusMovedPermanently)
			return
		}
		s.missing(w, r, st, b, id)
	case assetFile:
		s.serveAsset(w, r, st, b, name, a, http.StatusOK)
	default:
		s.missing(w, r, st, b, id)
	}
}

// missing answers for a path the build lacks, so that a hidden page and a
// page that does not exist answer alike: anonymous visitors are sent to
// sign in; anyone signed in gets the build's 404 page.
func (s *Server) missing(w http.ResponseWriter, r *http.Request, st *generation, b *servedBuild, id access.Identity) {
	if id.Kind == access.Anonymous {
		noStore(w.Header())
		http.Redirect(w, r, loginURL(r), http.StatusFound)
		return
	}
	a, err := st.files.get(b, notFoundPage)
	if err != nil || a.kind != assetFile {
		siteCache(w.Header(), false)
		s.page(w, http.StatusNotFound, "Not found", "There is no page at this address.")
		return
	}
	s.serveAsset(w, r, st, b, notFoundPage, a, http.StatusNotFound)
}

// encodings are the precompressed siblings tried, best first, with the
// Content-Encoding value of each.
var encodings = []struct {
	token, ext string
	hv         []string
}{{"br", ".br", []string{"br"}}, {"gzip", ".gz", []string{"gzip"}}}

// serveAsset writes a file of the build, or its precompressed sibling when
// the client accepts it. A status other than 200 (the 404 page) is written
// without conditional or range handling.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request, st *generation, b *servedBuild, name string, a *asset, status int) {
	h := w.Header()
	siteCache(h, st.shared && status == http.StatusOK)
	h["Content-Type"] = a.hvType
	if ae := r.Header["Accept-Encoding"]; len(ae) > 0 {
		for _, enc := range encodings {
			if !accepts(ae[0], enc.token) {
				continue
			}
			v, err := st.files.get(b, name+enc.ext)
			if err == nil && v.kind == assetFile {
				h["Content-Encoding"] = enc.hv
				name, a = name+enc.ext, v
				break
			}
		}
	}
	s.writeDeadline(w, a.size)
	if status != http.StatusOK {
		h["Content-Length"] = []string{strconv.FormatInt(a.size, 10)}
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			s.writeBody(w, b, name, a)
		}
		return
	}
	h["Etag"] = a.hvTag
	if a.body != nil {
		if simpleGet(r) {
			writeCached(w, r, a)
			return
		}
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
		return
	}
	f, err := b.fsys.Open(name)
	if err != nil {
		s.serverError(w, "open file", err)
		return
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		s.serverError(w, "open file", errors.New("gateway: file cannot seek"))
		return
	}
	http.ServeContent(w, r, name, time.Time{}, rs)
}

// simpleGet reports a request with no range and no precondition other
// than If-None-Match: the common case, answered without http.ServeContent.
func simpleGet(r *http.Request) bool {
	h := r.Header
	return len(h["Range"]) == 0 && len(h["If-Match"]) == 0 && len(h["If-Unmodified-Since"]) == 0 && len(h["If-Range"]) == 0
}

// writeCached answers a simple GET or HEAD from memory: 304 when
// If-None-Match names the ETag, else the whole body.
func writeCached(w http.ResponseWriter, r *http.Request, a *asset) {
	h := w.Header()
	if inm := r.Header["If-None-Match"]; len(inm) > 0 && inm[0] != "" && etagListed(inm[0], a.etag) {
		delete(h, "Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Accept-Ranges"] = hvBytes
	h["Content-Length"] = a.hvLength
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(a.body)
	}
}

// etagListed reports whether an If-None-Match list holds etag, compared
// weakly as RFC 9110 says for If-None-Match, or is "*".
func etagListed(list, etag string) bool {
	for part := range strings.SplitSeq(list, ",") {
		tag := strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

// writeBody writes an asset's bytes for a response whose headers are sent.
func (s *Server) writeBody(w http.ResponseWriter, b *servedBuild, name string, a *asset) {
	if a.body != nil {
		_, _ = w.Write(a.body)
		return
	}
	f, err := b.fsys.Open(name)
	if err != nil {
		s.log.Warn("open file", slog.String("name", name), slog.Any("err", err))
		return
	}
	defer f.Close()
	_, _ = io.Copy(w, f)
}

// accepts reports whether an Accept-Encoding value admits the coding with
// a non-zero quality.
func accepts(header, coding string) bool {
	for part := range strings.SplitSeq(header, ",") {
		tok, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(tok), coding) {
			continue
		}
		q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if !ok {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}
