package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/manifest"
)

// state is one published generation of the output: its compiled rules, its
// builds and the caches that belong to them. Every request loads the
// current state once and uses only it, so no request mixes generations.
type state struct {
	gen    string
	root   *os.Root
	builds []*build
	// cands are the builds' kinds and visible sets, indexed like builds.
	cands  []access.Candidate
	rules  access.Rules
	dir    access.Directory
	groups map[string]bool
	// shared is true when every build holds the same pages (a public
	// site): then every identity gets the same content and responses need
	// not vary by cookie.
	shared bool

	choices     sync.Map     // identity key -> choice
	choiceBytes atomic.Int64 // accounted memory of choices
	files       *fileCache

	closeOnce sync.Once
}

// build is one build folder of a generation.
type build struct {
	index int
	dir   string
	root  *os.Root
	// audiences are the manifest's audience ids served from this folder.
	audiences []string
}

// anonymousDir is the anonymous build's folder, always present.
const anonymousDir = "anonymous"

// maxMeta bounds manifest.json and rules.json.
const maxMeta = 256 << 20

// loadState opens the output root and reads one consistent generation
// through it: the manifest and rules through the root's handle, each build
// through a root opened beneath it. A publication that swaps the output
// folder while this runs cannot mix two generations: the handles stay on
// the folder that was opened.
func loadState(out string, cacheBytes int64) (st *state, err error) {
	root, err := os.OpenRoot(out)
	if err != nil {
		return nil, fmt.Errorf("gateway: open output: %w", err)
	}
	loaded := &state{root: root, files: newFileCache(cacheBytes)}
	st = loaded
	defer func() {
		if err != nil {
			loaded.close()
			st = nil
		}
	}()
	var m manifest.Manifest
	var r manifest.Rules
	if err := readJSON(root, manifest.ManifestFile, &m); err != nil {
		return nil, err
	}
	if err := readJSON(root, manifest.RulesFile, &r); err != nil {
		return nil, err
	}
	if m.Format != manifest.Format || r.Format != manifest.Format {
		return nil, fmt.Errorf("gateway: unsupported output format %d/%d (want %d)", m.Format, r.Format, manifest.Format)
	}
	if m.Generation == "" || m.Generation != r.Generation {
		return nil, errors.New("gateway: manifest.json and rules.json are from different builds")
	}
	loaded.gen = m.Generation
	if err := loaded.compile(&r); err != nil {
		return nil, err
	}
	if err := loaded.openBuilds(&m, &r); err != nil {
		return nil, err
	}
	return loaded, nil
}

func readJSON(root *os.Root, name string, v any) error {
	f, err := root.Open(name)
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxMeta))
	if err != nil {
		return fmt.Errorf("gateway: read %s: %w", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("gateway: %s: %w", name, err)
	}
	return nil
}

// compile turns rules.json into the access engine's values.
func (st *state) compile(r *manifest.Rules) error {
	levels := make([]*access.Level, len(r.Levels))
	for i, l := range r.Levels {
		lvl := &access.Level{File: l.File, Line: l.Line, Closed: l.Closed}
		for _, e := range l.Entries {
			p, err := access.ParsePrincipal(e.Principal)
			if err != nil {
				return fmt.Errorf("gateway: rules.json: level %d (%s): %w", i, l.File, err)
			}
			if e.Key != "allow" && e.Key != "grant" && e.Key != "deny" {
				return fmt.Errorf("gateway: rules.json: level %d (%s): unknown key %q", i, l.File, e.Key)
			}
			lvl.Entries = append(lvl.Entries, access.Entry{Principal: p, Key: e.Key, Line: e.Line})
		}
		levels[i] = lvl
	}
	st.rules.Chains = make([]access.Chain, len(r.Pages))
	for i, pg := range r.Pages {
		chain := make(access.Chain, 0, len(pg.Chain))
		for _, li := range pg.Chain {
			if li < 0 || li >= len(levels) {
				return fmt.Errorf("gateway: rules.json: page %s: level %d out of range", pg.URL, li)
			}
			chain = append(chain, levels[li])
		}
		st.rules.Chains[i] = chain
	}
	return st.compileDirectory(&r.Directory)
}

func (st *state) compileDirectory(d *manifest.Directory) error {
	st.dir = access.Directory{Groups: d.Groups, Combinations: d.Combinations}
	for _, dom := range d.MemberDomains {
		st.dir.MemberDomains = append(st.dir.MemberDomains, access.NormEmail(dom))
	}
	st.groups = make(map[string]bool, len(d.Groups))
	for _, g := range d.Groups {
		st.groups[g] = true
	}
	for _, g := range d.Guests {
		e := access.GuestEntry{Email: access.NormEmail(g.Email), Name: g.Name, Groups: g.Groups}
		if g.Expires != "" {
			t, err := time.Parse(time.RFC3339, g.Expires)
			if err != nil {
				return fmt.Errorf("gateway: rules.json: guest %s: expires: %w", g.Email, err)
			}
			e.Expires = t
		}
		st.dir.Guests = append(st.dir.Guests, e)
	}
	return nil
}

// openBuilds opens every build folder beneath the output root.
func (st *state) openBuilds(m *manifest.Manifest, r *manifest.Rules) error {
	byDir := map[string]*build{}
	for i, b := range r.Builds {
		if !validBuildDir(b.Dir) {
			return fmt.Errorf("gateway: rules.json: invalid build folder %q", b.Dir)
		}
		if byDir[b.Dir] != nil {
			return fmt.Errorf("gateway: rules.json: build folder %q listed twice", b.Dir)
		}
		set, err := access.ParseSet(b.Visible)
		if err != nil {
			return fmt.Errorf("gateway: rules.json: build %s: %w", b.Dir, err)
		}
		root, err := st.root.OpenRoot(b.Dir)
		if err != nil {
			return fmt.Errorf("gateway: open build: %w", err)
		}
		bd := &build{index: i, dir: b.Dir, root: root}
		st.builds = append(st.builds, bd)
		st.cands = append(st.cands, access.Candidate{Kind: access.Kind(b.Kind), Visible: set})
		byDir[b.Dir] = bd
	}
	if byDir[anonymousDir] == nil {
		return errors.New("gateway: rules.json: no anonymous build")
	}
	for _, a := range m.Audiences {
		bd := byDir[a.Dir]
		if bd == nil {
			return fmt.Errorf("gateway: manifest.json: audience %s: unknown build folder %q", a.ID, a.Dir)
		}
		bd.audiences = append(bd.audiences, a.ID)
		if err := st.setKind(bd, access.Kind(a.Kind)); err != nil {
			return fmt.Errorf("gateway: manifest.json: audience %s: %w", a.ID, err)
		}
	}
	st.shared = true
	for _, c := range st.cands[1:] {
		st.shared = st.shared && c.Visible.Equal(st.cands[0].Visible)
	}
	return nil
}

// setKind records the kind of an audience served from bd: every audience
// of a build, and the build's kind in rules.json when written, agree.
func (st *state) setKind(bd *build, kind access.Kind) error {
	if kind != access.Anonymous && kind != access.Member && kind != access.Guest {
		return fmt.Errorf("unknown kind %q", kind)
	}
	c := &st.cands[bd.index]
	if c.Kind != "" && c.Kind != kind {
		return fmt.Errorf("kind %s, but build %s serves %s", kind, bd.dir, c.Kind)
	}
	c.Kind = kind
	return nil
}

// validBuildDir accepts a relative folder without dot segments.
func validBuildDir(dir string) bool {
	if !fs.ValidPath(dir) || dir == "." {
		return false
	}
	for _, seg := range strings.Split(dir, "/") {
		if strings.HasPrefix(seg, ".") {
			return false
		}
	}
	return true
}

// close releases the generation's folder handles.
func (st *state) close() {
	st.closeOnce.Do(func() {
		for _, b := range st.builds {
			b.root.Close()
		}
		st.root.Close()
	})
}
