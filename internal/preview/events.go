package preview

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// keepAlive is how often an idle event stream gets a comment line.
const keepAlive = 25 * time.Second

// notifyLocked wakes every event stream; s.mu is held.
func (s *Server) notifyLocked() {
	for ch := range s.subs {
		select {
		case ch <- struct{}{}:
		default: // already woken: it will read the latest build
		}
	}
}

func (s *Server) subscribe() chan struct{} {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	s.subs[ch] = true
	s.mu.Unlock()
	return ch
}

func (s *Server) unsubscribe(ch chan struct{}) {
	s.mu.Lock()
	delete(s.subs, ch)
	s.mu.Unlock()
}

// hello is the data of "hello" and "reload" events.
type hello struct {
	// Generation is the build being served; the script reloads the page
	// when it changes.
	Generation string `json:"generation"`
	// As is the audience the page is viewed as.
	As string `json:"as,omitempty"`
}

// serveEvents streams what the last build left: first a "hello" (or an "error" when
// the last build failed), then a "reload" after each successful rebuild
// and an "error" after each failed one.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := s.subscribe()
	defer s.unsubscribe(ch)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	st := s.current()
	as := s.viewAs(r, st)
	if st.err != "" {
		writeEvent(w, "error", st.err)
	}
	if st.gen != "" {
		writeEvent(w, "hello", helloData(st.gen, as))
	}
	fl.Flush()
	last := st
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-tick.C:
			io.WriteString(w, ": keep-alive\n\n")
		case <-ch:
			st := s.current()
			switch {
			case st.err != "" && st.seq != last.seq:
				writeEvent(w, "error", st.err)
			case st.err == "" && st.gen != last.gen:
				writeEvent(w, "reload", helloData(st.gen, as))
			}
			last = st
		}
		fl.Flush()
	}
}

func helloData(gen, as string) string {
	b, _ := json.Marshal(hello{Generation: gen, As: as})
	return string(b)
}

// writeEvent writes one server-sent event; data may span lines.
func writeEvent(w io.Writer, name, data string) {
	var b strings.Builder
	fmt.Fprintf(&b, "event: %s\n", name)
	for _, line := range strings.Split(data, "\n") {
		b.WriteString("data: " + strings.TrimRight(line, "\r") + "\n")
	}
	b.WriteString("\n")
	io.WriteString(w, b.String())
}
