package build

import (
	"encoding/binary"
	"errors"
	"hash/maphash"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/facet-docs/facet/internal/content"
)

// Builds the general path of Rebuild does not render again. What the
// renderer writes for a build is a function of the site's settings and
// theme, of the build's target (folder, kind, badge, the pages it holds
// and who can see each), and of each page it holds: the page's own
// fields, its file's date of last change (from git history, which no
// changed file shows), its body as the build holds it (which carries the
// links it keeps, with their titles, and its headings) and, for each of
// its aliases, whether the build holds the pages the alias's place names
// (its Near and Moved, which a page added or removed elsewhere changes);
// never otherwise of a page it does not hold (render's "no trace by
// construction"). A build's print hashes
// all of that, and the attachments it holds with their contents. When
// only files under content/ changed and a build's print is the one the
// last publish had, its files are the published ones: they are read back
// from the output folder instead of rendered, and each is verified as if
// rendered (the titles, mentions and hidden sets the verifier judges by
// may have changed). A file that is not as published (someone changed the
// output folder), or that the verifier fails, makes the build render after
// all (a failure is then reported as a clean build reports it).

// buildPrint identifies what one build is made of.
type buildPrint [2]uint64

// readBack is a build read back from the output folder instead of rendered.
type readBack struct {
	out  string
	rels []string           // the build's published files, sorted
	keys map[string]fileKey // their published content keys
}

// errReplay is returned when a build's published files are not as the
// snapshot says; the build is rendered instead.
var errReplay = errors.New("build: published build changed; rendering it again")

// onlyContent reports whether every changed path is under content/.
func onlyContent(changed []string) bool {
	for _, c := range changed {
		if !strings.HasPrefix(c, "content/") {
			return false
		}
	}
	return len(changed) > 0
}

// prints returns the print of every build of p, by folder. It makes the
// site's renderer first: a page's date of last change comes from git
// history with it (themeInfo), which no changed file need show.
func (s *loadedSite) prints(p *plan, keys *contentKeys, seeds [2]maphash.Seed) (map[string]buildPrint, error) {
	if _, err := s.renderer(); err != nil {
		return nil, err
	}
	bs := newBodies(s, p)
	pages := s.tree.Pages
	own := make([]buildPrint, len(pages))
	// bodies[i][k] is page i's body in build k, hashed, where k holds it
	bodies := make([][]buildPrint, len(pages))
	var wg sync.WaitGroup
	work := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				own[i] = pagePrint(seeds, pages[i], s.updated)
				bodies[i] = s.bodyPrints(seeds, bs, p, i)
			}
		})
	}
	for i := range pages {
		work <- i
	}
	close(work)
	wg.Wait()
	out := make(map[string]buildPrint, len(p.builds))
	for k, bp := range p.builds {
		h := newPrinter(seeds)
		h.str(bp.r.Dir)
		h.str(bp.r.Kind)
		h.str(bp.r.Label)
		for i := range pages {
			if !bp.r.Present.Has(i) {
				continue
			}
			h.num(int64(i))
			h.print(own[i])
			h.print(bodies[i][k])
			for _, a := range pages[i].Aliases {
				// written where the build holds the pages the alias's
				// place names (render's emitAliases)
				h.bytes([]byte{flag(holdsPlace(bp, a.Near) && holdsPage(bp, a.Moved))})
			}
			if w := bp.r.WhoCanSee; w != nil && i < len(w.Pages) {
				for _, l := range w.Pages[i] {
					h.str(w.Labels[l])
				}
				h.num(-1)
			}
		}
		for i, a := range s.tree.Attachments {
			if !bp.atts.Has(i) {
				continue
			}
			key, err := keys.attachment(a.File, filepath.Join(s.dir, filepath.FromSlash(a.File)))
			if err != nil {
				return nil, err
			}
			h.num(int64(i))
			h.str(a.File)
			h.str(a.URL)
			h.str(a.OutPath)
			h.num(int64(key.a))
			h.num(int64(key.b))
			h.num(int64(key.n))
		}
		out[bp.r.Dir] = h.sum()
	}
	return out, nil
}

// pagePrint hashes a page's own fields: every field the renderer reads,
// the frontmatter whole (FrontSum), and the date of its file's last
// change in updated (render.Theme.Updated).
func pagePrint(seeds [2]maphash.Seed, p *content.Page, updated map[string]time.Time) buildPrint {
	h := newPrinter(seeds)
	if t, ok := updated[p.File]; ok {
		h.num(t.UnixNano())
	} else {
		h.num(math.MinInt64)
	}
	h.str(p.File)
	h.str(p.URL)
	h.str(p.OutPath)
	h.str(p.Title)
	h.str(p.FileTitle)
	h.bytes(p.FrontSum[:])
	h.num(p.Date.UnixNano())
	h.str(p.Date.Location().String())
	h.num(int64(p.Weight))
	for _, t := range p.Tags {
		h.str(t)
	}
	h.num(-1)
	h.str(p.Summary)
	h.bytes([]byte{flag(p.Draft), flag(p.IsSection), flag(p.Generated), flag(p.Bundle)})
	if p.Section != nil {
		h.str(p.Section.Dir)
		h.str(p.Section.URL)
	}
	for _, a := range p.Attachments {
		h.str(a.URL)
	}
	h.num(-1)
	for _, a := range p.Aliases {
		h.str(a.URL)
		h.str(a.OutPath)
	}
	return h.sum()
}

// holdsPage reports whether bp's build holds p; a nil p counts as held.
func holdsPage(bp *buildPlan, p *content.Page) bool {
	return p == nil || bp.r.Present.Has(p.Index)
}

// holdsPlace reports whether bp's build holds p's place: p, or the page
// standing in for it (render's emitAliases).
func holdsPlace(bp *buildPlan, p *content.Page) bool {
	sp := p.StandinPage()
	return holdsPage(bp, p) || sp != nil && bp.r.Present.Has(sp.Index)
}

// bodyPrints hashes page i's body as each build of p holds it, without
// rendering it: the body is a function of the page's conversion (its
// Sum) and of which of its link targets a build holds, with their titles
// (markdown.Doc.Render's visible and title).
func (s *loadedSite) bodyPrints(seeds [2]maphash.Seed, bs *bodies, p *plan, i int) []buildPrint {
	out := make([]buildPrint, len(p.builds))
	d := s.docs[i]
	if d == nil {
		return out
	}
	sum := d.Sum()
	targets := d.Targets()
	for k, bp := range p.builds {
		if !bp.r.Present.Has(i) {
			continue
		}
		h := newPrinter(seeds)
		h.num(int64(sum[0]))
		h.num(int64(sum[1]))
		for _, t := range targets {
			if held := bs.heldAs(bp, t); held >= 0 {
				h.num(int64(held))
				h.str(bs.title(held))
			}
		}
		out[k] = h.sum()
	}
	return out
}

// printer hashes what it is given under two seeds.
type printer struct{ a, b maphash.Hash }

func newPrinter(seeds [2]maphash.Seed) *printer {
	h := &printer{}
	h.a.SetSeed(seeds[0])
	h.b.SetSeed(seeds[1])
	return h
}

func (h *printer) bytes(b []byte) {
	h.a.Write(b)
	h.b.Write(b)
}

func (h *printer) str(s string) {
	h.num(int64(len(s)))
	h.a.WriteString(s)
	h.b.WriteString(s)
}

func (h *printer) num(n int64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(n))
	h.bytes(b[:])
}

func (h *printer) print(p buildPrint) {
	h.num(int64(p[0]))
	h.num(int64(p[1]))
}

func (h *printer) sum() buildPrint { return buildPrint{h.a.Sum64(), h.b.Sum64()} }

// replayBuild passes a build's published files through the verifier and
// into d as emitBuild passes rendered ones, reading a file back only when the
// verifier needs its bytes, and copies its attachments as emitBuild does.
// It returns errReplay when a file read is not as published, or fails the
// verifier.
func (s *loadedSite) replayBuild(bs *bodies, bp *buildPlan, d *diff, tr *tracer) error {
	rp := bp.replay
	atts := map[string]bool{}
	for i, a := range s.tree.Attachments {
		if bp.atts.Has(i) {
			atts[rel(bp.r.Dir, a.OutPath)] = true
		}
	}
	files := 0
	for _, rl := range rp.rels {
		if atts[rl] {
			continue
		}
		key := rp.keys[rl]
		// A file is read only when the verifier needs its bytes; those
		// read must be as published.
		load := func() ([]byte, error) {
			data, err := os.ReadFile(filepath.Join(rp.out, filepath.FromSlash(rl)))
			if err != nil || d.key(data) != key {
				d.forget(rl) // written again, whatever the render makes
				return nil, errReplay
			}
			return data, nil
		}
		name := strings.TrimPrefix(rl, bp.r.Dir+"/")
		if tr != nil {
			if err := tr.checkFile(bp, bs, name, key, load); err != nil {
				// rendered, the build reports what a clean build would,
				// in the order it writes its files
				return errReplay
			}
		}
		d.keep(rl, key)
		files++
	}
	n, err := s.emitAttachments(bs, bp, d, tr, func(error) error { return errReplay })
	if err != nil {
		return err
	}
	files += n
	bp.files, bp.reused = files, true
	return nil
}

// replays marks for replay the builds of p whose print is the one prev
// published.
func (b *Builder) replays(p *plan, prints map[string]buildPrint, prev *published) {
	if prev.prints == nil {
		return
	}
	byDir := map[string]*readBack{}
	for _, bp := range p.builds {
		if pr, ok := prev.prints[bp.r.Dir]; ok && pr == prints[bp.r.Dir] {
			byDir[bp.r.Dir] = &readBack{out: filepath.Clean(b.opts.Out), keys: map[string]fileKey{}}
		}
	}
	if len(byDir) == 0 {
		return
	}
	for rl, k := range prev.outputs {
		dir, _, _ := strings.Cut(rl, "/")
		if rp := byDir[dir]; rp != nil {
			rp.rels = append(rp.rels, rl)
			rp.keys[rl] = k
		}
	}
	for _, bp := range p.builds {
		if rp := byDir[bp.r.Dir]; rp != nil {
			slices.Sort(rp.rels)
			bp.replay = rp
		}
	}
}
