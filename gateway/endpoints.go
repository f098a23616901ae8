package gateway

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/manifest"
)

// Whoami is the JSON of /_facet/whoami (see manifest.Whoami, which facet
// serve answers too).
type Whoami = manifest.Whoami

func (s *Server) whoami(w http.ResponseWriter, st *generation, id access.Identity, r *http.Request) {
	noStore(w.Header())
	c := s.chooseFor(st, id, nil)
	out := Whoami{Kind: string(id.Kind), Email: id.Email, Groups: id.Groups, Audience: c.audience,
		Exact: c.exact, Generation: st.gen}
	if out.Groups == nil {
		out.Groups = []string{}
	}
	if id.Kind == access.Member && strings.HasPrefix(out.Audience, "user:") {
		// A member a rule names has an audience of their own, which
		// exists because of that rule, perhaps in a page hidden from
		// them: they are told the audience of their groups, as a member
		// no rule names is.
		out.Audience = ownAudience(id)
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
		b := st.builds[c.build]
		if st.cands[c.build].Kind != access.Member || len(b.audiences) == 0 || !strings.HasPrefix(b.audiences[0], "user:") {
			// A build is named after its own audience alone ("group-eng",
			// "guest-2" by the guest's place in the configuration). A build
			// made for members that rules name ("member-1") is numbered
			// among them, and a rule naming someone, in a page hidden from
			// the reader too, makes one: its name is not said.
			out.Build = b.dir
		}
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

// health answers 200 when a build is loaded, 503 otherwise. While the
// object store does not answer, it still answers 200 (the last good
// generation is served) with a body that starts "stale".
func (s *Server) health(w http.ResponseWriter) {
	noStore(w.Header())
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	st := s.current.Load()
	if st == nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("no build loaded\n"))
		return
	}
	if since, ok := s.stale.since(); ok {
		_, _ = w.Write([]byte("stale: the object store has not answered since " + since.UTC().Format(time.RFC3339) +
			"; serving generation " + st.gen + "\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// staleness remembers since when the object store has not answered.
type staleness struct {
	mu sync.Mutex
	at time.Time // zero while the store answers
}

func (st *staleness) since() (time.Time, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.at, !st.at.IsZero()
}

// markStale records that the store did not answer.
func (s *Server) markStale(err error) {
	s.stale.mu.Lock()
	first := s.stale.at.IsZero()
	if first {
		s.stale.at = s.now()
	}
	s.stale.mu.Unlock()
	if first {
		s.metrics.stale.Set(1)
		s.log.Warn("the object store does not answer; serving the last good generation", slog.Any("err", err))
	}
}

// markFresh records that the store answered.
func (s *Server) markFresh() {
	s.stale.mu.Lock()
	was := !s.stale.at.IsZero()
	s.stale.at = time.Time{}
	s.stale.mu.Unlock()
	if was {
		s.metrics.stale.Set(0)
		s.log.Info("the object store answers again")
	}
}
