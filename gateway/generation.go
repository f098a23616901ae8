package gateway

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/manifest"
)

// generation is one published generation of the output: its compiled rules, its
// builds and the caches that belong to them. Every request loads the
// current generation once and uses only it, so no request mixes generations.
type generation struct {
	gen    string
	snap   *snapshot
	builds []*servedBuild
	// cands are the builds' kinds and visible sets, indexed like builds.
	cands  []access.Candidate
	rules  access.Rules
	dir    access.Directory
	groups map[string]bool
	// tagged maps the declared groups' tags to their names (grouptags.go).
	tagged map[groupTag]string
	// shared is true when the generation has one build: then every
	// identity gets the same bytes and responses need not vary by cookie.
	// Builds of different kinds with the same pages still differ (badge,
	// who-can-see), so equal visible sets are not enough.
	shared bool

	choices     sync.Map               // identity key -> choice
	choiceBytes atomic.Int64           // accounted memory of choices
	anon        atomic.Pointer[choice] // the anonymous identity's choice, once made
	files       *fileCache

	closeOnce sync.Once
}

// servedBuild is one build folder of a generation, as the gateway serves it.
type servedBuild struct {
	index int
	dir   string
	// fsys holds the build's files (a root beneath the output folder, or
	// the store's index onto its objects).
	fsys fs.FS
	// audiences are the manifest's audience ids served from this folder.
	audiences []string
}

// anonymousDir is the anonymous build's folder, always present.
const anonymousDir = manifest.AnonymousDir

// loadGeneration reads one consistent generation from src: manifest.LoadFS
// reads and checks manifest.json and rules.json from the snapshot, and
// each build is opened from the same snapshot, so a publication while this
// runs cannot mix two generations.
func loadGeneration(ctx context.Context, src source, cacheBytes int64) (st *generation, err error) {
	snap, err := src.open(ctx)
	if err != nil {
		return nil, err
	}
	loaded := &generation{snap: snap, files: newFileCache(cacheBytes)}
	defer func() {
		if err != nil {
			loaded.close()
		}
	}()
	m, r, err := manifest.LoadFS(snap.meta)
	if err != nil {
		return nil, fmt.Errorf("gateway: %w", err)
	}
	loaded.gen, loaded.rules, loaded.dir = m.Generation, r.Access, r.Directory
	loaded.groups = make(map[string]bool, len(r.Directory.Groups))
	for _, g := range r.Directory.Groups {
		loaded.groups[g] = true
	}
	var ok bool
	if loaded.tagged, ok = tagIndex(r.Directory.Groups); !ok {
		return nil, fmt.Errorf("gateway: two declared groups share a session tag; rename one of them")
	}
	if err := loaded.openBuilds(m, r); err != nil {
		return nil, err
	}
	return loaded, nil
}

// openBuilds opens every build folder of the snapshot (a root beneath the
// output folder, or the store's index); LoadFS has checked the folders'
// names, kinds and audiences.
func (st *generation) openBuilds(m *manifest.Manifest, r *manifest.Rules) error {
	byDir := map[string]*servedBuild{}
	for i, b := range r.Builds {
		fsys, err := st.snap.build(b.Dir)
		if err != nil {
			return err
		}
		bd := &servedBuild{index: i, dir: b.Dir, fsys: fsys}
		st.builds = append(st.builds, bd)
		st.cands = append(st.cands, access.Candidate{Kind: b.Kind, Visible: b.Visible})
		byDir[b.Dir] = bd
	}
	for _, a := range m.Audiences {
		bd := byDir[a.Dir]
		bd.audiences = append(bd.audiences, a.ID)
		st.cands[bd.index].Audiences = bd.audiences
	}
	st.shared = len(st.builds) == 1
	return nil
}

// close releases the generation's handles.
func (st *generation) close() {
	st.closeOnce.Do(func() {
		if st.snap != nil {
			st.snap.close()
		}
	})
}
