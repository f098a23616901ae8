// Package ledger is the gateway's sign-in ledger: one JSON line per
// sign-in and sign-out (time, event, kind, email, the groups that counted,
// the build served), appended to a file that is rotated by size, and read
// back, rotated files included, by `facet audit --ledger`. It never holds
// a token or a cookie value: Entry has no field for one.
package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"
)

// The events of the ledger.
const (
	SignIn  = "sign-in"
	SignOut = "sign-out"
)

// Entry is one line of the ledger.
type Entry struct {
	// Time is when it happened, RFC 3339 in UTC.
	Time string `json:"time"`
	// Event is SignIn or SignOut.
	Event string `json:"event"`
	// Kind is the identity's kind then: member, guest or outsider.
	Kind string `json:"kind"`
	// Email is the address the provider gave.
	Email string `json:"email"`
	// Groups are the groups that counted: a member's declared groups, a
	// guest's configured ones.
	Groups []string `json:"groups"`
	// Build is the build folder the person was served ("" when none).
	Build string `json:"build,omitempty"`
}

// Defaults of a Writer.
const (
	DefaultMaxBytes = 10 << 20 // rotate past 10 MB
	DefaultKeep     = 5        // keep FILE.1 ... FILE.5
)

// Writer appends entries to a ledger file, rotating it by size: past
// MaxBytes, FILE.(n-1) becomes FILE.n ... FILE becomes FILE.1, and the
// oldest beyond Keep is removed. It is safe for concurrent use. Before
// each line it checks that FILE is still the file it holds open, and
// reopens it when another writer (or a log rotator) has moved it, so no
// line goes to a file rotated away; a line after a torn last line starts
// a line of its own.
type Writer struct {
	path     string
	maxBytes int64
	keep     int

	mu     sync.Mutex
	f      *os.File // nil after a failed rotation or reopening
	size   int64
	closed bool
}

// Open opens (creating when missing) the ledger at path for appending.
// maxBytes <= 0 and keep <= 0 take the defaults.
func Open(path string, maxBytes int64, keep int) (*Writer, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if keep <= 0 {
		keep = DefaultKeep
	}
	w := &Writer{path: path, maxBytes: maxBytes, keep: keep}
	if err := w.open(); err != nil {
		return nil, err
	}
	return w, nil
}

// open opens the ledger file for appending; when its last line is torn
// (no newline), it ends that line first.
func (w *Writer) open() error {
	f, err := os.OpenFile(w.path, os.O_CREATE|os.O_APPEND|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("ledger: %w", err)
	}
	size := st.Size()
	if size > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, size-1); err == nil && last[0] != '\n' {
			n, _ := f.Write([]byte{'\n'})
			size += int64(n)
		}
	}
	w.f, w.size = f, size
	return nil
}

// current makes w.f the file at w.path and w.size its size: it reopens
// when the path names another file than the one held (rotated by another
// writer) or none is held. w.mu is held.
func (w *Writer) current() error {
	if w.f != nil {
		held, err1 := w.f.Stat()
		now, err2 := os.Stat(w.path)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			w.size = now.Size()
			return nil
		}
		w.f.Close()
		w.f = nil
	}
	return w.open()
}

// Append writes e as one line (rotating first when the file is full).
func (w *Writer) Append(e Entry) error {
	if e.Groups == nil {
		e.Groups = []string{}
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	line = append(line, '\n')
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errors.New("ledger: closed")
	}
	if err := w.current(); err != nil {
		return err
	}
	if w.size > 0 && w.size+int64(len(line)) > w.maxBytes {
		if err := w.rotate(); err != nil {
			return err
		}
	}
	n, err := w.f.Write(line)
	w.size += int64(n)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}

// rotate shifts the files by one and starts a new one. w.mu is held.
func (w *Writer) rotate() error {
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	w.f = nil
	_ = os.Remove(rotated(w.path, w.keep))
	for i := w.keep - 1; i >= 1; i-- {
		if err := os.Rename(rotated(w.path, i), rotated(w.path, i+1)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("ledger: rotate: %w", err)
		}
	}
	if err := os.Rename(w.path, rotated(w.path, 1)); err != nil {
		return fmt.Errorf("ledger: rotate: %w", err)
	}
	return w.open()
}

// Close closes the file.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || w.f == nil {
		w.closed = true
		return nil
	}
	err := w.f.Close()
	w.f, w.closed = nil, true
	return err
}

func rotated(path string, n int) string { return path + "." + strconv.Itoa(n) }

// Read reads the ledger at path and the files rotated from it, oldest
// first. A line that is not an entry (a torn last line after a crash) is
// skipped; a missing ledger is an error.
func Read(path string) ([]Entry, error) {
	var files []string
	for i := 1; ; i++ {
		if _, err := os.Stat(rotated(path, i)); err != nil {
			break
		}
		files = append(files, rotated(path, i))
	}
	slices.Reverse(files)
	files = append(files, path)
	var out []Entry
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("ledger: %w", err)
		}
		for line := range bytes.SplitSeq(data, []byte{'\n'}) {
			var e Entry
			if json.Unmarshal(line, &e) != nil || e.Event == "" {
				continue
			}
			out = append(out, e)
		}
	}
	return out, nil
}

// Now formats t as an entry's Time.
func Now(t time.Time) string { return t.UTC().Format(time.RFC3339) }
