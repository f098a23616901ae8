// Package watch reports changes under a folder as batches of paths, in the
// shape of Hugo's watcher.Batcher: every folder under the root is watched
// with fsnotify (folders created later are added as they appear), events
// that arrive within a short delay of each other are gathered, and each
// batch is delivered as the sorted, unique paths that changed, relative to
// the root with forward slashes ("content/a.md").
//
// Dot-files and dot-folders (".git", ".public.staging-..."), editor temp
// files ("a.md~", ".a.md.swp", "#a.md#", vim's "4913") and chmod-only
// events are never reported; the caller's ignore function drops more (the
// output folder). It does not decide what a change means: facet serve
// rebuilds on every batch.
//
// It imports nothing of facet's.
package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDelay is the batching delay used when New is given zero.
const DefaultDelay = 100 * time.Millisecond

// Watcher watches a folder tree and delivers batches of changed paths.
type Watcher struct {
	root   string
	ignore func(string) bool
	fsw    *fsnotify.Watcher
	events chan event
	out    chan []string
	errs   chan error
	done   chan struct{}
	closed chan struct{}
}

// event is one change: a path relative to the root, slash-separated.
type event struct {
	path string
}

// New watches every folder under root. ignore, which may be nil, receives
// a path relative to root with forward slashes and returns true to drop it
// (a dropped folder is not watched at all). delay is how long a batch
// gathers events after its first one; zero means DefaultDelay.
func New(root string, ignore func(path string) bool, delay time.Duration) (*Watcher, error) {
	if delay <= 0 {
		delay = DefaultDelay
	}
	if ignore == nil {
		ignore = func(string) bool { return false }
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	w := &Watcher{
		root: filepath.Clean(root), ignore: ignore, fsw: fsw,
		events: make(chan event, 64), out: make(chan []string, 1), errs: make(chan error, 8),
		done: make(chan struct{}), closed: make(chan struct{}),
	}
	if err := w.addTree(w.root, false); err != nil {
		fsw.Close()
		return nil, err
	}
	go w.translate()
	go func() {
		batch(w.events, w.out, delay, time.After)
		close(w.closed)
	}()
	return w, nil
}

// Events delivers each batch of changed paths, sorted and unique. It is
// closed after Close.
func (w *Watcher) Events() <-chan []string { return w.out }

// Errors delivers errors of the underlying watcher (a full event queue, a
// folder that could not be watched). Unread errors are dropped.
func (w *Watcher) Errors() <-chan error { return w.errs }

// Close stops watching and closes the Events channel; a batch still being
// gathered is dropped.
func (w *Watcher) Close() error {
	select {
	case <-w.done:
		return nil
	default:
	}
	close(w.done)
	err := w.fsw.Close()
	<-w.closed
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	return nil
}

// translate turns fsnotify events into relative paths, watching new
// folders as they appear.
func (w *Watcher) translate() {
	defer close(w.events)
	for {
		select {
		case <-w.done:
			return
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			w.report(err)
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.handle(ev)
		}
	}
}

func (w *Watcher) handle(ev fsnotify.Event) {
	if ev.Op == fsnotify.Chmod {
		return
	}
	rel, ok := w.rel(ev.Name)
	if !ok {
		return
	}
	if ev.Has(fsnotify.Create) {
		if st, err := os.Lstat(ev.Name); err == nil && st.IsDir() {
			// Files may be created in a new folder before it is watched:
			// report them too.
			if err := w.addTree(ev.Name, true); err != nil {
				w.report(err)
			}
		}
	}
	w.send(event{path: rel})
}

// rel returns name relative to the root, and false when it is to be
// ignored.
func (w *Watcher) rel(name string) (string, bool) {
	r, err := filepath.Rel(w.root, name)
	if err != nil || r == "." || strings.HasPrefix(r, "..") {
		return "", false
	}
	r = filepath.ToSlash(r)
	if Skip(r) || w.ignore(r) {
		return "", false
	}
	return r, true
}

// addTree watches dir and every folder beneath it that is not ignored;
// with report, files found beneath it are sent as changed.
func (w *Watcher) addTree(dir string, report bool) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p != w.root {
				return nil
			}
			return fmt.Errorf("watch: %w", err)
		}
		if p != w.root {
			rel, ok := w.rel(p)
			if !ok {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if report && p != dir {
				w.send(event{path: rel})
			}
		}
		if !d.IsDir() {
			return nil
		}
		if err := w.fsw.Add(p); err != nil {
			return fmt.Errorf("watch: %s: %w", p, err)
		}
		return nil
	})
}

func (w *Watcher) send(ev event) {
	select {
	case w.events <- ev:
	case <-w.done:
	}
}

func (w *Watcher) report(err error) {
	select {
	case w.errs <- fmt.Errorf("watch: %w", err):
	default:
	}
}

// Skip reports whether a relative, slash-separated path is one the
// watcher never reports: a dot-file or anything in a dot-folder, or an
// editor's temporary file.
func Skip(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	base := path.Base(rel)
	switch {
	case strings.HasSuffix(base, "~"),
		strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#"),
		strings.HasSuffix(base, ".swp"), strings.HasSuffix(base, ".swx"),
		strings.HasSuffix(base, ".swo"), strings.HasSuffix(base, ".tmp"),
		strings.Contains(base, "___jb_"),
		base == "4913":
		return true
	}
	return false
}
