package build

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/facet-docs/facet/internal/content"
	"github.com/facet-docs/facet/internal/markdown"
	"github.com/facet-docs/facet/internal/render"
	"github.com/facet-docs/facet/internal/siteurl"
	"github.com/facet-docs/facet/internal/verify"
)

// mentions records where page titles and URLs legitimately occur as text:
// in the words authors wrote in pages (bodies, code included, titles,
// summaries, tags) and in text every build carries (site settings, group
// titles, the theme). They are found with the verifier's own scanner in
// each page's rendered body, so that what the gate scans and what it
// exempts are the same text: a hidden page's title or URL that a page a
// build holds says in its own words there is a mention, not a trace.
type mentions struct {
	ix *verify.Index
	// metaTitles maps an item to the pages whose title, summary or tags
	// hold its title (the same in every build).
	metaTitles map[int][]int
	// bodyTitles and codeURLs map an item to the pages whose body, as
	// rendered with every link target held, holds its title (anywhere) or
	// its URL (in code); the body a build holds is checked again. Found
	// once, when first needed (bodyOnce).
	bodyTitles, codeURLs map[int][]int
	bodyOnce             sync.Once
	// bodies is what each page's body mentions, by page, once found;
	// from is what a rebuild's mentions take from the last (inherit),
	// until then.
	bodies []bodyMention
	from   *inheritedMentions
	kept   int // the bodies whose mentions were taken from the last
	// everywhere holds items named in text every build carries, and
	// inMembers those named in text every member build carries, each by
	// how it is named (a page's URL in a theme's script exempts its URL
	// written as text, never its title).
	everywhere, inMembers map[namedAs]bool
}

// findMentions indexes the site's pages and attachments and finds what
// each page's title, summary and tags mention. What bodies mention is found
// when first needed (see tracer.bodyIndex). ix, when not nil, is an index
// of the same items and site URLs (a rebuild's last one, see sameItems),
// taken instead of making another.
func (s *loadedSite) findMentions(ix *verify.Index) *mentions {
	items := s.items()
	s.cache.setVerifyIndex(items, s.cfg.BaseURL, s.cfg.Hosts)
	if ix == nil {
		ix = verify.NewIndex(items, siteurl.New(s.cfg.BaseURL, s.cfg.Hosts))
		if s.words {
			ix.GatherWords()
		}
	}
	m := &mentions{ix: ix, metaTitles: map[int][]int{}, everywhere: map[namedAs]bool{}, inMembers: map[namedAs]bool{}}
	for i, p := range s.tree.Pages {
		for _, id := range m.metaOf(p) {
			m.metaTitles[id] = append(m.metaTitles[id], i)
		}
	}
	s.findEverywhere(m)
	return m
}

// findBodyMentions renders every page's body with every link target held
// and records what it mentions. A body whose conversion the mentions m
// inherit (m.from) found the same items in is not rendered again: when
// titles changed, unless its words may hold a new one.
func (s *loadedSite) findBodyMentions(m *mentions) {
	m.bodyTitles, m.codeURLs = map[int][]int{}, map[int][]int{}
	res := make([]bodyMention, len(s.tree.Pages))
	from := m.from
	var kept atomic.Int64
	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Go(func() {
			var buf bytes.Buffer
			for i := range work {
				d := s.docs[i]
				if d == nil {
					continue
				}
				if bm, ok := from.found(i, d); ok {
					res[i] = bm
					kept.Add(1)
					continue
				}
				buf.Reset()
				d.Render(&buf, func(int) bool { return true }, noTitle)
				res[i].doc = d
				res[i].titles, res[i].code, res[i].words = s.cache.mentions(m.ix, buf.Bytes())
			}
		})
	}
	for i := range s.tree.Pages {
		work <- i
	}
	close(work)
	wg.Wait()
	for i, f := range res {
		for _, id := range f.titles {
			m.bodyTitles[id] = append(m.bodyTitles[id], i)
		}
		for _, id := range f.code {
			m.codeURLs[id] = append(m.codeURLs[id], i)
		}
	}
	m.bodies, m.from, m.kept = res, nil, int(kept.Load())
}

// bodyMention is what one page's body mentions (verify.Index.Mentions),
// with the conversion it was found in and the words of its text, where
// known.
type bodyMention struct {
	doc          *markdown.Doc
	titles, code []int
	words        *verify.Words
}

// inheritedMentions is what a rebuild's mentions take from the last
// ones, found with an index of the same items but, perhaps, for the
// titles of retitled.
type inheritedMentions struct {
	bodies    []bodyMention
	retitled  map[int]bool
	newTitles verify.TitleWords
}

// inherit makes m take the body mentions of prev where a body's
// conversion is the same: prev's index looked for the same items, with
// the same titles but those of retitled. When prev had not found them, it
// passes on what it took itself, with the items retitled since. titles
// are the items' titles now.
func (m *mentions) inherit(prev *mentions, retitled map[int]bool, titles []verify.Item) {
	if prev == nil {
		return
	}
	bodies, ids := prev.bodies, retitled
	if bodies == nil {
		if prev.from == nil {
			return
		}
		bodies, ids = prev.from.bodies, maps.Clone(prev.from.retitled)
		if ids == nil {
			ids = map[int]bool{}
		}
		maps.Copy(ids, retitled)
	}
	var now []string
	for id := range ids {
		if id < len(titles) {
			now = append(now, titles[id].Title)
		}
	}
	m.from = &inheritedMentions{bodies: bodies, retitled: ids, newTitles: verify.NewTitleWords(now)}
}

// found returns what the inherited mentions found in the body of page i,
// when its conversion is d and what they found holds for the new titles.
func (in *inheritedMentions) found(i int, d *markdown.Doc) (bodyMention, bool) {
	if in == nil || i >= len(in.bodies) || in.bodies[i].doc != d {
		return bodyMention{}, false
	}
	bm := in.bodies[i]
	if len(in.retitled) == 0 {
		return bm, true
	}
	if in.newTitles.MayHold(bm.words) {
		return bodyMention{}, false
	}
	if slices.ContainsFunc(bm.titles, func(id int) bool { return in.retitled[id] }) {
		bm.titles = slices.DeleteFunc(slices.Clone(bm.titles), func(id int) bool { return in.retitled[id] })
	}
	return bm, true
}

// noTitle fills no text into an empty link: generated text is not the
// author's.
func noTitle(int) string { return "" }

// metaOf returns the titles a page's title, summary and tags hold.
func (m *mentions) metaOf(p *content.Page) []int {
	ids := m.ix.TitlesIn(p.Title)
	ids = append(ids, m.ix.TitlesIn(p.Summary)...)
	for _, t := range p.Tags {
		ids = append(ids, m.ix.TitlesIn(t)...)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// namedAs is an item and how a text names it: its title, or its URL
// written as text.
type namedAs struct {
	id   int
	kind verify.Kind
}

// findEverywhere records the titles and URLs named in text every build
// carries: the site's title and description, group titles and the theme's
// files; and those named in text every member build carries: guests'
// names and addresses.
func (s *loadedSite) findEverywhere(m *mentions) {
	texts := append([]string{s.cfg.Title, s.cfg.Description}, generatedTitles...)
	for _, t := range s.acc.GroupTitles {
		texts = append(texts, t)
	}
	for _, t := range texts {
		for _, id := range m.ix.TitlesIn(t) {
			m.everywhere[namedAs{id, verify.Title}] = true
		}
	}
	// Guests' names and addresses are in member builds alone (their
	// "who can see this page" lists): no guest or anonymous build holds
	// them, so there a hidden page so titled is a trace.
	for _, g := range s.acc.Directory.Guests {
		for _, t := range []string{g.Name, g.Email} {
			for _, id := range m.ix.TitlesIn(t) {
				m.inMembers[namedAs{id, verify.Title}] = true
			}
		}
	}
	for _, dir := range themeDirs {
		_ = fs.WalkDir(s.themeFS, dir, func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !themeCarried(name) {
				return nil
			}
			b, err := fs.ReadFile(s.themeFS, name)
			if err != nil || builtinVendor(name, b) {
				return nil
			}
			for _, r := range m.ix.Refs(name, b) {
				if r.Kind != verify.Link {
					m.everywhere[namedAs{r.ID, r.Kind}] = true
				}
			}
			titles, _ := m.ix.Mentions(b)
			for _, id := range titles {
				m.everywhere[namedAs{id, verify.Title}] = true
			}
			return nil
		})
	}
}

// themeCarried reports whether the theme's file name (a path in the theme)
// reaches the builds: a template under layouts/ or partials/, which the
// renderer parses, or a file under assets/, which every build holds. Other
// files of the theme folder (a README, notes, a template's draft saved as
// .txt) are published nowhere, so their words are not text every build
// carries.
func themeCarried(name string) bool {
	if strings.HasPrefix(name, "assets/") {
		return true
	}
	return (strings.HasPrefix(name, "layouts/") || strings.HasPrefix(name, "partials/")) && path.Ext(name) == ".html"
}

// generatedTitles are the titles the renderer gives the pages it makes
// itself in every build: text every build carries, not a trace of a hidden
// page so titled.
var generatedTitles = []string{render.NotFoundTitle, render.TagsTitle, render.SearchTitle}

// items lists every page and attachment by target id. A page's title is
// looked for unless it says nothing its URL does not: a generated folder
// page, a title made from the file name, or a low-information title (see
// verify.LowInfo).
func (s *loadedSite) items() []verify.Item {
	s.itemsOnce.Do(func() { s.itemList = s.makeItems() })
	return s.itemList
}

// makeItems is items, made.
func (s *loadedSite) makeItems() []verify.Item {
	items := make([]verify.Item, 0, len(s.tree.Pages)+len(s.tree.Attachments))
	for _, p := range s.tree.Pages {
		it := verify.Item{URL: p.URL, Title: p.Title, File: p.File}
		if p.Standin {
			// its URL is its section page's, whose item finds it (see
			// bodies.holdsURL); its title is made from the folder's name
			it = verify.Item{File: p.File}
		}
		if p.URL == "/" {
			it.URL = "" // every build has a home page
		}
		if p.Generated || p.Title == p.FileTitle || verify.LowInfo(p.Title) {
			it.Title = ""
		}
		items = append(items, it)
	}
	for _, a := range s.tree.Attachments {
		items = append(items, verify.Item{URL: a.URL, File: a.File})
	}
	return items
}

// tracer verifies the files of every build: each distinct file is scanned
// once for the site's URLs and titles, and each build checks the
// references against what it may not see.
type tracer struct {
	s     *loadedSite
	ix    *verify.Index
	m     *mentions
	mu    sync.Mutex
	cache map[traceKey]verify.Packed
	// textWords holds, by file, the words of its text as the scanner read
	// them (verify.Words), where known: what a rebuild after a retitle
	// clears a file by without reading it (rebuild_verify.go); nil for a
	// build no rebuild follows.
	textWords map[traceKey]*verify.Words
	// scanning holds the files being scanned (or filtered): builds
	// rendered side by side meet the same file at about the same time,
	// and the second waits for the first's references.
	scanning map[traceKey]*scan
	// waiting, when set (by tests), is called as a caller starts waiting
	// for another's scan.
	waiting func()
	atts    map[int]verify.Packed
	legit   map[legitKey]bool
	said    map[saidKey]said
	pages   map[string]int // a page's file in a build -> its index
	// places maps a file that is no page's own to the targets its place
	// names (placeOf), found once per name.
	places map[string][4]int
	seed   maphash.Seed
	seed2  maphash.Seed
	vocab  vocabulary // the words of every page, for search shards
	// before, when set, gives vocab the words of unchanged pages.
	before *wordsBefore
	// prev is the last tracer's references, kept while titles alone
	// changed (rebuild_verify.go); nil otherwise.
	prev *retitle
	// kept counts the files whose references prev gave without a scan,
	// keptByWords those of them it gave by their words, unread.
	kept, keptByWords atomic.Int64
	// abandoned is set when the tracer will not be used again (a warm
	// build that turned into a full one): the vocabulary being made in
	// the background stops, incomplete.
	abandoned atomic.Bool
}

type traceKey struct {
	key  fileKey
	name string // verify.ScanName of the file's name
}

// refsKey is the traceKey of a file with content key key at name: files
// of the same bytes in one folder share their references.
func refsKey(key fileKey, name string) traceKey {
	return traceKey{key, verify.ScanName(name)}
}

// scan is a file's references being found; done is closed once refs is
// set, or ok is false when its bytes could not be read.
type scan struct {
	done chan struct{}
	refs verify.Packed
	ok   bool
}

type legitKey struct {
	bp   *buildPlan
	id   int
	kind verify.Kind
}

// saidKey is a page and which of its body's link targets a build holds
// (see tracer.heldKey).
type saidKey struct {
	page int
	a, b uint64
	n    int
}

// said is what a page's body, as one build holds it, mentions.
type said struct{ titles, codeURLs []int }

// newTracer makes the tracer of a site whose mentions m found.
func (s *loadedSite) newTracer(m *mentions) *tracer {
	tr := &tracer{s: s, ix: m.ix, m: m, cache: map[traceKey]verify.Packed{}, scanning: map[traceKey]*scan{}, atts: map[int]verify.Packed{},
		legit: map[legitKey]bool{}, said: map[saidKey]said{}, pages: map[string]int{}, places: map[string][4]int{},
		seed: maphash.MakeSeed(), seed2: maphash.MakeSeed()}
	if s.words {
		tr.textWords = map[traceKey]*verify.Words{}
	}
	for _, p := range s.tree.Pages {
		if !p.Standin {
			tr.pages[p.OutPath] = p.Index
		}
	}
	return tr
}

// check verifies one file of a build; key identifies its content.
func (tr *tracer) check(bp *buildPlan, bs *bodies, name string, data []byte, key fileKey) error {
	return tr.checkFile(bp, bs, name, key, func() ([]byte, error) { return data, nil })
}

// refsOf returns the references of the file at k: kept, or found by
// one caller while the others asking at the same time wait for them.
func (tr *tracer) refsOf(k traceKey, bytesOf func() ([]byte, error)) (verify.Packed, error) {
	tr.mu.Lock()
	if refs, ok := tr.cache[k]; ok {
		tr.mu.Unlock()
		return refs, nil
	}
	if sc := tr.scanning[k]; sc != nil {
		tr.mu.Unlock()
		if tr.waiting != nil {
			tr.waiting()
		}
		if <-sc.done; sc.ok {
			return sc.refs, nil
		}
		return tr.findRefs(k, bytesOf) // the first could not read it
	}
	sc := &scan{done: make(chan struct{})}
	tr.scanning[k] = sc
	tr.mu.Unlock()
	defer func() {
		tr.mu.Lock()
		delete(tr.scanning, k)
		tr.mu.Unlock()
		close(sc.done)
	}()
	refs, err := tr.findRefs(k, bytesOf)
	sc.refs, sc.ok = refs, err == nil
	return refs, err
}

// findRefs finds the references of the file at k and keeps them, with
// the words of its text where known. A file the last tracer scanned whose
// words clear it of the retitled titles is not read.
func (tr *tracer) findRefs(k traceKey, bytesOf func() ([]byte, error)) (verify.Packed, error) {
	refs, words, ok := tr.refsByWords(k)
	if !ok {
		b, err := bytesOf()
		if err != nil {
			return nil, err
		}
		if refs, ok = tr.refsAfterRetitle(k, b); ok {
			words = nil // the filter cleared it: its words are as they were
			if rt := tr.prev; rt != nil {
				words = rt.words[k]
			}
		} else {
			refs, words = tr.s.cache.refs(tr.ix, k.name, b)
		}
	}
	tr.mu.Lock()
	tr.cache[k] = refs
	if words != nil && tr.textWords != nil {
		tr.textWords[k] = words
	}
	tr.mu.Unlock()
	return refs, nil
}

// checkFile is check with the file's bytes read only when needed: when
// they were not scanned before, and for the files checked by their bytes
// in every build (navigation, search shards, the vendored scripts).
func (tr *tracer) checkFile(bp *buildPlan, bs *bodies, name string, key fileKey, load func() ([]byte, error)) error {
	var data []byte
	bytesOf := func() ([]byte, error) {
		if data != nil {
			return data, nil
		}
		var err error
		data, err = load()
		return data, err
	}
	if strings.HasPrefix(name, vendorDir) {
		b, err := bytesOf()
		if err != nil {
			return err
		}
		if builtinVendor(name, b) {
			return nil
		}
	}
	refs, err := tr.refsOf(refsKey(key, name), bytesOf)
	if err != nil {
		return err
	}
	page, ok := tr.pages[name]
	if !ok {
		page = -1
	} else if sp := bs.standin(page); sp >= 0 && bs.holds(bp, sp) {
		page = sp // the stand-in's own file, where its section page is hidden
	}
	if !ok || !bs.holds(bp, page) {
		// Not a page's own file in a build that holds the page: its
		// place names what lies above it.
		if err := tr.checkPlace(bp, bs, name); err != nil {
			return err
		}
	}
	message := func() []byte {
		b, _ := bytesOf()
		return b
	}
	if err := tr.judge(bp, bs, name, message, page, refs); err != nil {
		return err
	}
	if name == render.NavPath || isShard(name) {
		b, err := bytesOf()
		if err != nil {
			return err
		}
		if err := checkWhoCanSee(bp, name, b); err != nil {
			return err
		}
		if isShard(name) {
			return tr.checkShard(bp, bs, name, b)
		}
	}
	return nil
}

// checkPlace fails a file of a build (other than the own file of a page the
// build holds) that lies at or under the URL of a page or file hidden from
// the build, or under the URL a hidden page had before it set its own url,
// in any spelling a disk or a URL may give it (content.Tree.NearPath, MovedFrom): a redirect page
// there would name what the build may not see, whatever the file holds.
func (tr *tracer) checkPlace(bp *buildPlan, bs *bodies, name string) error {
	tr.mu.Lock()
	ids, ok := tr.places[name]
	tr.mu.Unlock()
	if !ok {
		ids = tr.placeOf(name)
		tr.mu.Lock()
		tr.places[name] = ids
		tr.mu.Unlock()
	}
	for _, id := range ids {
		if id < 0 || bs.holdsURL(bp, id) {
			continue
		}
		it := tr.ix.Item(id)
		return fmt.Errorf("verify: build %s: %s lies at or under a URL of %s, which is hidden from this build; to resolve: move what writes it (an alias) out of that folder, or make %s visible to this build",
			bp.r.Dir, name, it.File, it.File)
	}
	return nil
}

// placeOf returns the targets a file's place names: the one at or above
// it and the page moved from above it (-1 each for none), for its name as
// it is on disk and, when that holds a percent sign, as a URL decodes it
// ("caf%C3%A9/" spells "café/" to anyone who decodes it).
func (tr *tracer) placeOf(name string) [4]int {
	t := tr.s.tree
	ids := [4]int{-1, -1, -1, -1}
	spellings := []string{name}
	if d := unescape(name); d != name {
		spellings = append(spellings, d)
	}
	for i, n := range spellings {
		switch tgt := t.NearPath("/" + n); {
		case tgt.Page != nil:
			ids[2*i] = tgt.Page.Index
		case tgt.Attachment != nil:
			ids[2*i] = len(t.Pages) + slices.Index(t.Attachments, tgt.Attachment)
		}
		if p := t.MovedFrom("/" + n); p != nil {
			ids[2*i+1] = p.Index
		}
	}
	return ids
}

// checkAttachment verifies attachment i of the site in a build: a text
// file is scanned (once for all builds) like an emitted file.
func (tr *tracer) checkAttachment(bp *buildPlan, bs *bodies, i int, a *content.Attachment) error {
	tr.mu.Lock()
	refs, ok := tr.atts[i]
	tr.mu.Unlock()
	file := filepath.Join(tr.s.dir, filepath.FromSlash(a.File))
	if !ok {
		text, scanAs, err := scannedText(file, a.OutPath)
		if err != nil {
			return err
		}
		refs = text.refsOf(func(t []byte) verify.Packed {
			p, _ := tr.s.cache.refs(tr.ix, scanAs, t)
			return p
		})
		tr.mu.Lock()
		tr.atts[i] = refs
		tr.mu.Unlock()
	}
	data := func() []byte {
		text, _, _ := scannedText(file, a.OutPath)
		return text.joined()
	}
	return tr.judge(bp, bs, a.OutPath, data, -1, refs)
}

// readText reads a file as the texts a reader's browser or editor may
// show: UTF-8 as it is, UTF-16 and legacy text decoded to UTF-8, the
// latter in every encoding a browser may guess when it declares none (see
// verify.SniffFile, judged by its name and first 8 KiB, and
// verify.EachReading); nil for other files.
func readText(name string) (*fileText, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 8<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	head = head[:n]
	enc := verify.SniffFile(name, head)
	if enc == verify.NotText {
		return nil, nil
	}
	rest, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return &fileText{name: name, data: append(head, rest...), enc: enc}, nil
}

// judge fails a build whose file refers to what it does not hold: by link
// always, by URL as text or by title unless a page the build holds (or
// text every build carries) mentions it. data returns the file's content
// (for the message), page is the page whose file name is (-1 for none).
func (tr *tracer) judge(bp *buildPlan, bs *bodies, name string, data func() []byte, page int, refs verify.Packed) error {
	leak := tr.ix.CheckPacked(bp.r.Dir, name, data, refs, func(r verify.Ref) bool {
		if bs.holds(bp, r.ID) || r.Kind != verify.Title && bs.holdsURL(bp, r.ID) {
			return false
		}
		return r.Kind == verify.Link || !tr.mentioned(bp, bs, page, r)
	})
	if leak != nil {
		return leak
	}
	return nil
}
