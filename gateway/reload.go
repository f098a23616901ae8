package gateway

import (
	"context"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/facet-docs/facet/internal/manifest"
)

// Reload loads the published output and, when its generation differs from
// the one being served, swaps it in atomically: requests already running
// finish on the old generation, new ones see only the new one. The old
// generation's folder handles are closed after a grace period. On error
// the current generation stays.
func (s *Server) Reload() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	st, err := loadState(s.out, s.cacheBytes)
	if err != nil {
		s.metrics.reloads.WithLabelValues("error").Inc()
		return err
	}
	old := s.state.Load()
	if old != nil && old.gen == st.gen {
		st.close()
		s.metrics.reloads.WithLabelValues("unchanged").Inc()
		return nil
	}
	s.state.Store(st)
	oldGen := ""
	if old != nil {
		oldGen = old.gen
		time.AfterFunc(s.retire, old.close)
	}
	s.metrics.swapped(oldGen, st.gen, float64(s.now().Unix()))
	s.log.Info("serving build", slog.String("generation", st.gen), slog.Int("builds", len(st.builds)),
		slog.Int("pages", len(st.rules.Chains)))
	return nil
}

// publishedGeneration reads the generation of the manifest now at the
// output path, through a fresh open of the path (not the held root).
func (s *Server) publishedGeneration() (string, error) {
	return manifest.ReadGeneration(s.out)
}

// reloadIfChanged reloads when the published generation differs from the
// one being served.
func (s *Server) reloadIfChanged() {
	gen, err := s.publishedGeneration()
	if err != nil {
		return // mid-swap or not yet built: the next tick looks again
	}
	if st := s.state.Load(); st != nil && st.gen == gen {
		return
	}
	if err := s.Reload(); err != nil {
		s.log.Warn("cannot load published build; still serving the previous one", slog.Any("err", err))
	}
}

// watch reloads on publication until ctx ends: fsnotify on the output's
// parent folder (the output folder itself is replaced by a rename, so a
// watch on it would follow the old folder), plus a poll of the manifest's
// generation in case events are missed or unavailable.
func (s *Server) watch(ctx context.Context) {
	var events <-chan fsnotify.Event
	if w, err := fsnotify.NewWatcher(); err != nil {
		s.log.Warn("file watching unavailable; polling", slog.Any("err", err))
	} else {
		defer w.Close()
		if err := w.Add(filepath.Dir(s.out)); err != nil {
			s.log.Warn("cannot watch output folder; polling", slog.Any("err", err))
		} else {
			events = w.Events
			go drainErrors(ctx, w.Errors)
		}
	}
	tick := time.NewTicker(s.poll)
	defer tick.Stop()
	var debounce <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-events:
			if debounce == nil {
				debounce = time.After(100 * time.Millisecond)
			}
		case <-debounce:
			debounce = nil
			s.reloadIfChanged()
		case <-tick.C:
			s.reloadIfChanged()
		}
	}
}

func drainErrors(ctx context.Context, errs <-chan error) {
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-errs:
			if !ok {
				return
			}
		}
	}
}
