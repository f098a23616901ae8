package build

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/facet-docs/facet/internal/render"
)

// A one-off build (no memo) renders its builds through a render.Reuser:
// a file the renderer makes the same for every build that holds a page's
// body version (its search fragment) is made, verified and written once,
// and every other build that needs it gets a hard link to it, verified
// for that build as any file is (its references are judged against what
// the build holds; its bytes are read back from the first copy when the
// verifier needs them).

// errTorn is what reading a staged file back gives while it is written
// (or before it is created).
var errTorn = errors.New("build: a staged file changed while read")

// reuseTags maps the tags of the files written so far to their content.
type reuseTags struct {
	mu sync.Mutex
	m  map[render.Tag]fileKey
}

func (t *reuseTags) get(tag render.Tag) (fileKey, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k, ok := t.m[tag]
	return k, ok
}

func (t *reuseTags) put(tag render.Tag, k fileKey) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.m[tag] = k
}

// buildReuse is the render.Reuser of one build written into a stage.
type buildReuse struct {
	tags  *reuseTags
	st    *stage
	tr    *tracer // nil without verification
	bp    *buildPlan
	bs    *bodies
	put   func(name string, data []byte) (fileKey, error) // verifies and writes a file
	files *atomic.Int64
}

// Made verifies and writes a file made for tag, and records its content.
func (b *buildReuse) Made(name string, data []byte, tag render.Tag) error {
	k, err := b.put(name, data)
	if err != nil {
		return err
	}
	b.tags.put(tag, k)
	return nil
}

// Again verifies for this build the file written for tag and links it at
// name; false when no file was written for tag or it cannot be linked.
func (b *buildReuse) Again(name string, tag render.Tag) (bool, error) {
	k, ok := b.tags.get(tag)
	if !ok {
		return false, nil
	}
	if b.tr != nil {
		// The first file with k may still be being written, or not yet
		// be created (by a build that wrote the same bytes for another
		// reason, while this tag's maker wrote a copy of its own): bytes
		// that cannot be read back as k's are neither scanned nor quoted
		// in a message; the file is made instead.
		torn := false
		err := b.tr.checkFile(b.bp, b.bs, name, k, func() ([]byte, error) {
			data, err := b.st.read(k)
			if err != nil || b.st.key(data) != k {
				torn = true
				return nil, errTorn
			}
			return data, nil
		})
		if torn {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	linked, err := b.st.link(rel(b.bp.r.Dir, name), k)
	if linked {
		b.files.Add(1)
	}
	return linked, err
}

// link hard-links the staged file with content key at rel, and reports
// whether it did: false when no file with key was staged, or the link
// failed (the caller writes the file).
func (st *stage) link(rel string, key fileKey) (bool, error) {
	path := filepath.Join(st.dir, filepath.FromSlash(rel))
	if err := st.mkdirs(path); err != nil {
		return false, err
	}
	st.mu.Lock()
	first, ok := st.seen[key]
	st.mu.Unlock()
	return ok && st.linkTo(first, path), nil
}

// read returns the bytes of the staged file with content key.
func (st *stage) read(key fileKey) ([]byte, error) {
	st.mu.Lock()
	first, ok := st.seen[key]
	st.mu.Unlock()
	if !ok {
		return nil, os.ErrNotExist
	}
	return os.ReadFile(first)
}
