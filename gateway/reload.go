package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Reload loads the published output and, when its generation differs from
// the one being served, swaps it in atomically: requests already running
// finish on the old generation, new ones see only the new one. The old
// generation's folder handles are closed after a grace period. On error
// the current generation stays; so it does, with errStalePointer, when the
// generation was read through an object store's pointer published before
// the one of the generation served (a stale read, see supersedes).
func (s *Server) Reload() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
	defer cancel()
	st, err := loadGeneration(ctx, s.src, s.cacheBytes)
	if err != nil {
		s.metrics.reloads.WithLabelValues("error").Inc()
		return err
	}
	old := s.current.Load()
	if old != nil && old.gen == st.gen {
		st.close()
		s.metrics.reloads.WithLabelValues("unchanged").Inc()
		return nil
	}
	if old != nil && !supersedes(st.snap.pointer, old.snap.pointer) {
		st.close()
		s.metrics.reloads.WithLabelValues("stale").Inc()
		return fmt.Errorf("gateway: %w: generation %s was published before generation %s, which is served",
			errStalePointer, st.gen, old.gen)
	}
	s.current.Store(st)
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

// errStalePointer is a generation read through a pointer published before
// the one of the generation served (see supersedes): never swapped in.
var errStalePointer = errors.New("the store's pointer is older than the one served")

// loadTimeout bounds loading a generation (from a store: its manifest,
// rules and indexes).
const loadTimeout = 2 * time.Minute

// reloadIfChanged reloads when the published generation differs from the
// one being served. The generation is read afresh (on disk through a new
// open of the output path, not the held root; from a store, its pointer).
// A store that does not answer marks the gateway stale until it does.
func (s *Server) reloadIfChanged(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, s.poll+5*time.Second)
	defer cancel()
	gen, ptr, err := s.src.generation(ctx)
	if err != nil {
		if s.src.remote() {
			s.markStale(err)
		}
		return // mid-swap or not yet built: the next tick looks again
	}
	s.markFresh()
	st := s.current.Load()
	if st != nil && st.gen == gen {
		return
	}
	if st != nil && !supersedes(ptr, st.snap.pointer) {
		s.metrics.reloads.WithLabelValues("stale").Inc()
		s.staleRead(gen, st.gen)
		return // a stale read: the next tick looks again, without loading it
	}
	if err := s.Reload(); errors.Is(err, errStalePointer) {
		if cur := s.current.Load(); cur != nil {
			s.staleRead(gen, cur.gen)
		}
	} else if err != nil {
		s.log.Warn("cannot load published build; still serving the previous one", slog.Any("err", err))
	}
}

// staleRead logs, once per generation read, that the store's pointer
// named gen, published before the generation served.
func (s *Server) staleRead(gen, served string) {
	s.staleMu.Lock()
	first := s.staleGen != gen
	s.staleGen = gen
	s.staleMu.Unlock()
	if first {
		s.log.Warn("the store's pointer names a generation published before the one served; still serving it",
			slog.String("pointer", gen), slog.String("generation", served))
	}
}

// watch reloads on publication until ctx ends: fsnotify on the output's
// parent folder (the output folder itself is replaced by a rename, so a
// watch on it would follow the old folder), plus a poll of the manifest's
// generation in case events are missed or unavailable.
func (s *Server) watch(ctx context.Context) {
	var events <-chan fsnotify.Event
	if s.src.watchDir() == "" {
		// polled only
	} else if w, err := fsnotify.NewWatcher(); err != nil {
		s.log.Warn("file watching unavailable; polling", slog.Any("err", err))
	} else {
		defer w.Close()
		if err := w.Add(filepath.Dir(s.src.watchDir())); err != nil {
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
			s.reloadIfChanged(ctx)
		case <-tick.C:
			s.reloadIfChanged(ctx)
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
