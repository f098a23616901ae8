// Package preview is facet serve's web side: it rebuilds a site into an
// output folder it owns and serves those builds to the author, with "view
// as" (switch the audience whose build is served, with a cookie and no
// sign-in) and live reload (every HTML response loads /_facet/reload.js,
// which listens on an event stream and reloads the page after each
// rebuild, or shows the build's errors in an overlay while the previous
// build keeps being served).
//
// Its paths, all under /_facet/ (a site cannot publish there in a preview):
//
//	/_facet/             the toolbar page: every audience, with links to switch
//	/_facet/as?id=ID     sets the facet_preview_as cookie, redirects to /
//	/_facet/reload.js    the live-reload script (no inline script is ever added)
//	/_facet/events       text/event-stream: "hello", "reload" and "error" events
//	/_facet/whoami       the audience viewed as, shaped as the gateway's whoami
//	/_facet/page?url=U   JSON for the bar reload.js adds to a page: the
//	                     audience viewed as, every audience, who reads U
//	/_facet/preview.css  the style sheet of the toolbar and build error pages
//
// Everything else is a file of the chosen audience's build (anonymous
// unless chosen), served as http.FileServer would but without directory
// listings; a missing file gets the build's 404.html with status 404.
//
// Every build is served without a login: it is meant for the author's own
// machine. With Options.Token (facet serve makes one per run), every
// request must carry that token (a cookie set by the printed address), so
// that other users of the machine read nothing. Requests whose Host is
// not a loopback name (or one of Options.Hosts) are refused, so that a
// web page cannot read the preview through DNS rebinding.
//
// It does not watch files (internal/watch) or build (internal/build): the
// first build is a full one, and each later one is build.Builder.Rebuild
// with the paths that changed, which updates the output folder in place
// and re-renders only what the change can touch.
package preview

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/diag"
	"github.com/facet-docs/facet/internal/manifest"
)

// CookieName is the cookie holding the audience id chosen with view-as.
const CookieName = "facet_preview_as"

// Options configure a Server.
type Options struct {
	// Site is the site folder. Default ".".
	Site string
	// Out is the output folder the server builds into and serves from.
	// Required. The first build replaces it and later ones update it in
	// place: give a folder of the preview's own (facet serve uses a
	// temporary one).
	Out string
	// NoVerify turns the no-trace verification of each build off. Default
	// false.
	NoVerify bool
	// Hosts are the host names (without port) accepted in the Host
	// header besides localhost, 127.0.0.1 and ::1; "*" accepts any, which
	// exposes every build to anyone who can reach the server.
	Hosts []string
	// Warn receives build warnings (broken links); nil discards them.
	Warn func(error)
	// Token, when not "", is asked of every request: in the cookie
	// TokenCookie(Token), which a request for any address with
	// ?token=Token sets (and is redirected to the address without it).
	// Without it every request is answered 401. facet serve makes one
	// per run and prints the address with it, so that other users of the
	// machine, or anyone who reaches a preview listening beyond it, read
	// nothing. "" serves everyone who reaches the server.
	Token string
}

// Server builds a site and serves its builds with view-as and live reload.
// It is an http.Handler.
type Server struct {
	opts    Options
	builder *build.Builder
	buildMu sync.Mutex // one build at a time

	mu   sync.Mutex
	st   lastBuild
	subs map[chan struct{}]bool
	done chan struct{}
}

// lastBuild is what the last build left: the manifest being served and, when
// the last build failed, its error text.
type lastBuild struct {
	man   *manifest.Manifest // nil until a build succeeds
	rules *manifest.Rules    // the compiled rules beside man
	gen   string             // generation being served, "" before any
	err   string             // error text of the last build, "" when it succeeded
	when  time.Time          // time of the last build
	seq   int                // counts builds, to tell a failure apart from the previous one
}

// New returns a server for opts. It serves an error page until the first
// Rebuild succeeds.
func New(opts Options) *Server {
	if opts.Site == "" {
		opts.Site = "."
	}
	return &Server{
		opts: opts,
		builder: build.New(build.Options{
			Site: opts.Site, Out: opts.Out, NoVerify: opts.NoVerify, Warn: opts.Warn,
		}),
		st:   lastBuild{err: "no build yet"},
		subs: map[chan struct{}]bool{},
		done: make(chan struct{}),
	}
}

// Rebuild brings the output folder up to date and tells every open page:
// a "reload" event after a successful build, an "error" event with the
// error text after a failed one, in which case the previous build keeps
// being served. changed lists the paths that triggered the rebuild
// (slash-separated, relative to the site folder), which narrow the work
// (build.Builder.Rebuild); the first call builds everything.
func (s *Server) Rebuild(ctx context.Context, changed []string) (*build.Result, error) {
	if s.opts.Out == "" {
		return nil, errors.New("preview: no output folder")
	}
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	res, err := s.builder.Rebuild(ctx, changed)
	var man *manifest.Manifest
	var rules *manifest.Rules
	if err == nil {
		man, rules, err = manifest.Read(s.opts.Out)
	}
	s.mu.Lock()
	s.st.when = time.Now()
	s.st.seq++
	if err != nil {
		s.st.err = ErrorText(err)
	} else {
		s.st.man, s.st.rules, s.st.gen, s.st.err = man, rules, man.Generation, ""
	}
	s.notifyLocked()
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ErrorText is err as the preview shows it: one line a problem, as
// `file:line: message` for a problem of the site.
func ErrorText(err error) string {
	if list := diag.From(err); list != nil {
		lines := make([]string, len(list))
		for i, e := range list {
			lines[i] = e.Error()
		}
		return strings.Join(lines, "\n")
	}
	return err.Error()
}

// Close ends every open event stream, so that an http.Server's Shutdown
// does not wait for them. Rebuild keeps working.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
	default:
		close(s.done)
	}
	return nil
}

// current returns what the last build left.
func (s *Server) current() lastBuild {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

// audienceDir returns the build folder of the audience with id, falling
// back to anonymous for an unknown id, and the id actually used.
func audienceDir(man *manifest.Manifest, id string) (dir, used string, err error) {
	var anon *manifest.Audience
	for i := range man.Audiences {
		a := &man.Audiences[i]
		if a.ID == id {
			return a.Dir, a.ID, nil
		}
		if a.ID == "anonymous" {
			anon = a
		}
	}
	if anon == nil {
		return "", "", fmt.Errorf("preview: manifest has no anonymous audience")
	}
	return anon.Dir, anon.ID, nil
}
