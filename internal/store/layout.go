package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Format is the version of the pointer and the indexes this package
// writes and reads.
const Format = 1

// The store's keys, below the location's prefix (docs/CONTRACT.md "Object
// store layout").
const (
	// PointerKey is current.json, the one object readers follow. It is
	// written last by a publication.
	PointerKey = "current.json"
	// ObjectsDir holds every file's bytes once, named by their SHA-256.
	ObjectsDir = "objects/"
	// GenerationsDir holds each generation's manifest, rules and indexes.
	GenerationsDir = "generations/"
	// AnonymousDir holds the anonymous build as plain files, for a static
	// host or CDN; eventually consistent.
	AnonymousDir = "anonymous/"
	// WantedDir holds each gateway replica's wanted combinations.
	WantedDir = "wanted/"
)

// layoutDirs are the folders of the layout, which a publication rewrites
// or prunes.
var layoutDirs = []string{AnonymousDir, ObjectsDir, GenerationsDir, WantedDir}

// Enclosing returns the location of a store whose layout holds this one:
// one whose pointer is at a prefix above this location's, the first
// folder below it being one of the layout's (anonymous/, objects/,
// generations/, wanted/). Publishing there would put every build's files
// under the other store's anonymous/ (which a static host serves) or where
// its publications delete them. found is false when there is none.
func (s *Store) Enclosing(ctx context.Context) (loc Location, found bool, err error) {
	segs := strings.Split(strings.TrimSuffix(s.loc.Prefix, "/"), "/")
	if s.loc.Prefix == "" {
		return Location{}, false, nil
	}
	for i := range segs {
		if !slices.Contains(layoutDirs, segs[i]+"/") {
			continue
		}
		outer := Location{Bucket: s.loc.Bucket, Prefix: strings.Join(segs[:i], "/")}
		if outer.Prefix != "" {
			outer.Prefix += "/"
		}
		o := &Store{c: s.c, loc: outer}
		r, err := o.Reader(ctx, PointerKey)
		switch {
		case err == nil:
			r.Close()
			return outer, true, nil
		case !errors.Is(err, ErrNotFound):
			return Location{}, false, err
		}
	}
	return Location{}, false, nil
}

// ObjectKey is the key of the bytes whose SHA-256 is hash (lower-case hex).
func ObjectKey(hash string) string { return ObjectsDir + hash }

// GenerationKey is the key of a generation's file (manifest.json,
// rules.json).
func GenerationKey(gen, name string) string { return GenerationsDir + gen + "/" + name }

// IndexKey is the key of a build's index in a generation.
func IndexKey(gen, dir string) string { return GenerationsDir + gen + "/builds/" + dir + ".json" }

// WantedKey is the key of a replica's wanted combinations.
func WantedKey(replica string) string { return WantedDir + replica + ".json" }

var (
	hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)
	genRE  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
)

// ValidHash reports whether h names an object (64 lower-case hex digits).
func ValidHash(h string) bool { return hashRE.MatchString(h) }

// ValidGeneration reports whether g can be a generation in a key.
func ValidGeneration(g string) bool { return genRE.MatchString(g) && !strings.Contains(g, "..") }

// Pointer is current.json: the generation readers serve and the
// generations published before it, newest first (kept for the grace
// period, then removed).
type Pointer struct {
	Format     int    `json:"format"`
	Generation string `json:"generation"`
	// Published is when the generation was published, RFC 3339.
	Published string `json:"published"`
	// Builds are the build folders of the generation, each with an index.
	Builds []string `json:"builds"`
	// History lists earlier generations, newest first.
	History []Published `json:"history,omitempty"`
}

// Published is one earlier generation of the pointer's history.
type Published struct {
	Generation string   `json:"generation"`
	Published  string   `json:"published"`
	Builds     []string `json:"builds"`
}

// Index is a build's index: every file of the build and its object.
type Index struct {
	Format     int    `json:"format"`
	Generation string `json:"generation"`
	Dir        string `json:"dir"`
	// Files maps each file's path in the build ("a/b/index.html") to its
	// object.
	Files map[string]Entry `json:"files"`
}

// Entry is one file of an index.
type Entry struct {
	// Hash is the SHA-256 of the bytes, the object's name.
	Hash string `json:"sha256"`
	Size int64  `json:"size"`
	// Type is the Content-Type the file is served with.
	Type string `json:"type"`
}

// ReadPointer reads current.json; ErrNotFound when nothing is published.
func (s *Store) ReadPointer(ctx context.Context) (*Pointer, error) {
	b, err := s.Get(ctx, PointerKey)
	if err != nil {
		return nil, err
	}
	var p Pointer
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("store: %s: %w", PointerKey, err)
	}
	if p.Format != Format {
		return nil, fmt.Errorf("store: %s: unsupported format %d (want %d)", PointerKey, p.Format, Format)
	}
	if !ValidGeneration(p.Generation) {
		return nil, fmt.Errorf("store: %s: generation %q is not a plain name", PointerKey, p.Generation)
	}
	for _, d := range p.Builds {
		if !validDir(d) {
			return nil, fmt.Errorf("store: %s: build %q is not a plain folder", PointerKey, d)
		}
	}
	return &p, nil
}

// ReadIndex reads and checks a build's index in generation gen.
func (s *Store) ReadIndex(ctx context.Context, gen, dir string) (*Index, error) {
	key := IndexKey(gen, dir)
	b, err := s.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	var ix Index
	if err := json.Unmarshal(b, &ix); err != nil {
		return nil, fmt.Errorf("store: %s: %w", key, err)
	}
	if ix.Format != Format || ix.Generation != gen || ix.Dir != dir {
		return nil, fmt.Errorf("store: %s: not the index of build %s of generation %s", key, dir, gen)
	}
	for p, e := range ix.Files {
		if !validFile(p) || !ValidHash(e.Hash) || e.Size < 0 {
			return nil, fmt.Errorf("store: %s: bad entry %q", key, p)
		}
	}
	return &ix, nil
}

// Folders lists every folder the index's files imply ("a", "a/b"), the
// root apart.
func (ix *Index) Folders() map[string]bool {
	dirs := map[string]bool{}
	for p := range ix.Files {
		for d := path.Dir(p); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	return dirs
}

// Objects lists the distinct objects of the index, sorted.
func (ix *Index) Objects() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range ix.Files {
		if !seen[e.Hash] {
			seen[e.Hash] = true
			out = append(out, e.Hash)
		}
	}
	sort.Strings(out)
	return out
}

// validFile reports a clean relative file path without dot segments.
func validFile(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || strings.ContainsRune(p, 0) {
		return false
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// validDir reports a build folder usable in a key.
func validDir(d string) bool { return validFile(d) }
