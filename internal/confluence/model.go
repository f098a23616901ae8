package confluence

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// export is what the first pass over entities.xml learns: every space,
// current page, attachment, label, user and permission, without bodies.
type export struct {
	spaces  []*space
	spaceBy map[string]*space
	pages   map[string]*page // current pages by id
	users   map[string]*user // by key, and by lower-case name
	attach  []*attachment
	bodyOf  map[string]string // BodyContent id -> current page id
	labels  map[string]string // Label id -> name, for the labels every reader of a page sees
	// ownLabels are the other labels (personal, system, of an unknown
	// namespace), never tags; ownLabelled counts the pages they label.
	ownLabels   map[string]bool
	ownLabelled int
	sets        map[string]*permSet
	pageIDs     map[string]bool // every Page object's id, current or not
	titles      []string        // every Page object's title
	ghosts      map[string]*ghost
	// setOf and pageOf are the restriction sets and pages whose
	// collections list a restriction (a ContentPermission, or a set for
	// pageOf): the owner of one that does not name it itself.
	setOf    map[string]string
	pageOf   map[string]string
	pending  []*object // Labelling, ContentPermission, SpacePermission: read after their targets
	skipped  map[string]int
	unknown  map[string]int // unknown class -> count
	unknownL map[string]int // unknown class -> first line
	file     string
	warnings []Warning
}

type space struct {
	id, key, name, home string
	view                []atom // VIEWSPACE holders
	pages               []*page
	roots               []*page
	dir                 string
}

type page struct {
	id, title, parentID, spaceID string
	position                     int
	created, modified            time.Time
	line                         int
	space                        *space
	parent                       *page
	children                     []*page
	labels                       []string
	restrictions
	// orphan is true for a page whose parent is not a current page of
	// its space; above are then the view restrictions of the pages above
	// it in Confluence, current or not.
	orphan      bool
	above       []ancestorView
	attachments []*attachment
	hasBody     bool

	// layout, set by layout()
	file      string // content-relative path of the page's markdown file
	dir       string // folder of its attachments and children
	isSection bool
}

// restrictions are the restrictions on a page.
type restrictions struct {
	view [][]atom // each View restriction set on the page
	edit [][]atom
	// unreadable says, for each restriction on the page the import cannot
	// read (of an unknown type), where it is: the page is hidden from
	// everyone. unreadSubjects are where the permissions of its view
	// restrictions that name no one the import can read are (left out).
	unreadable     []string
	unreadSubjects []string
}

// ghost is a page that is not current (trashed, a draft or an old
// version): not imported, but its restrictions still held the current
// pages below it in Confluence.
type ghost struct {
	title, parentID, original string
	restrictions
}

// ancestorView is a view restriction on a page above an orphan.
type ancestorView struct {
	title string
	state string // "current", or why the page is not
	atoms []atom
}

type user struct {
	key, name, email string
}

type attachment struct {
	id, name, pageID, version string
	page                      *page
	file                      string // content-relative path
	line                      int
}

type permSet struct {
	id      string
	kind    string // "View" or "Edit"
	content string
	atoms   []atom
	unread  []int // lines of permissions that name no one the import can read
	line    int
}

// knownClasses are object classes of a space export that carry nothing a
// facet site holds; they are skipped without a warning.
var knownClasses = map[string]bool{
	"SpaceDescription": true, "BodyContent": true, "ContentProperty": true, "OutgoingLink": true,
	"ReferralLink": true, "Notification": true, "User2ContentRelationEntity": true,
	"Content2ContentRelationEntity": true, "LikeEntity": true, "PageTemplate": true,
	"TrackbackLink": true, "BucketPropertySetItem": true, "Link": true, "PersonalInformation": true,
	"InternalUser": true, "InternalGroup": true, "InternalMembership": true, "Membership": true,
	"HibernateMembership": true, "ExternalMembership": true, "ConfluenceBandanaRecord": true,
	"AttachmentData": true, "SpaceProperty": true, "Contentproperty": true, "ContentPermissionSet": true,
	"ContentPermission": true, "SpacePermission": true, "Labelling": true, "Label": true,
	"ConfluenceUserImpl": true, "Space": true, "Page": true, "Attachment": true,
	"Comment": true, "BlogPost": true, "Draft": true, "CustomContentEntityObject": true,
}

func newExport(file string) *export {
	return &export{file: file, spaceBy: map[string]*space{}, pages: map[string]*page{},
		users: map[string]*user{}, bodyOf: map[string]string{}, labels: map[string]string{}, ownLabels: map[string]bool{},
		sets: map[string]*permSet{}, pageIDs: map[string]bool{}, ghosts: map[string]*ghost{}, setOf: map[string]string{}, pageOf: map[string]string{}, skipped: map[string]int{}, unknown: map[string]int{}, unknownL: map[string]int{}}
}

// add takes one object of the first pass.
func (e *export) add(o *object) error {
	if err := e.unique(o); err != nil {
		return err
	}
	switch o.Class {
	case "Space":
		s := &space{id: o.ID, key: o.text("key"), name: o.text("name"), home: o.ref("homePage")}
		e.spaces = append(e.spaces, s)
		e.spaceBy[o.ID] = s
	case "Page":
		e.addPage(o)
	case "BodyContent":
		e.bodyOf[o.ID] = o.ref("content")
	case "Attachment":
		e.addAttachment(o)
	case "ConfluenceUserImpl":
		u := &user{key: o.ID, name: o.text("name"), email: o.text("email")}
		e.users[u.key] = u
		if n := strings.ToLower(cmp.Or(o.text("lowerName"), u.name)); n != "" {
			if _, ok := e.users["name:"+n]; !ok {
				e.users["name:"+n] = u
			}
		}
	case "Label":
		if publicLabel(o.text("namespace")) {
			e.labels[o.ID] = o.text("name")
		} else {
			e.ownLabels[o.ID] = true
		}
	case "ContentPermissionSet":
		e.sets[o.ID] = &permSet{id: o.ID, kind: o.text("type"), content: o.ref("owningContent"), line: o.Line}
		e.owns(o, e.setOf)
	case "Labelling", "ContentPermission", "SpacePermission":
		e.pending = append(e.pending, o)
	case "BlogPost", "Comment", "Draft", "CustomContentEntityObject":
		if o.text("contentStatus") == "current" && o.ref("originalVersion") == "" {
			e.skipped[o.Class]++
		}
	default:
		if !knownClasses[o.Class] {
			if e.unknown[o.Class] == 0 {
				e.unknownL[o.Class] = o.Line
			}
			e.unknown[o.Class]++
		}
	}
	return nil
}

// unique refuses a second space, restriction set, user or page (current,
// historical, draft or trashed) with an id already read: permissions and
// parent links name them by id alone, so one's viewers or restrictions
// would go to the other, or be lost.
func (e *export) unique(o *object) error {
	var seen bool
	switch o.Class {
	case "Space":
		_, seen = e.spaceBy[o.ID]
	case "ContentPermissionSet":
		_, seen = e.sets[o.ID]
	case "ConfluenceUserImpl":
		_, seen = e.users[o.ID]
	case "Page":
		seen = e.pageIDs[o.ID]
		e.pageIDs[o.ID] = true
	}
	if seen {
		return &PosError{File: e.file, Line: o.Line, Err: fmt.Errorf("a second %s with the same id %q: permissions cannot tell them apart", o.Class, o.ID)}
	}
	return nil
}

// current reports whether a content object is the current version: not a
// historical version (originalVersion set), a draft or trashed.
func current(o *object) bool {
	st := o.text("contentStatus")
	return (st == "" || st == "current") && o.ref("originalVersion") == ""
}

// owns records, for each restriction o's collections list, that o owns
// it: in of for permissions, in e.pageOf for sets (a page's).
func (e *export) owns(o *object, of map[string]string) {
	for _, el := range o.Elems {
		switch {
		case el.Class == "ContentPermission":
			if _, ok := of[el.ID]; !ok {
				of[el.ID] = o.ID
			}
		case el.Class == "ContentPermissionSet" && o.Class == "Page":
			if _, ok := e.pageOf[el.ID]; !ok {
				e.pageOf[el.ID] = o.ID
			}
		}
	}
}

func (e *export) addPage(o *object) {
	e.owns(o, e.pageOf)
	e.titles = append(e.titles, o.text("title"))
	if !current(o) {
		e.ghosts[o.ID] = &ghost{title: strings.TrimSpace(o.text("title")), parentID: o.ref("parent"), original: o.ref("originalVersion")}
		return
	}
	p := &page{id: o.ID, title: strings.TrimSpace(o.text("title")), parentID: o.ref("parent"),
		spaceID: o.ref("space"), line: o.Line}
	p.position, _ = strconv.Atoi(strings.TrimSpace(o.text("position")))
	p.created = parseTime(o.text("creationDate"))
	p.modified = parseTime(o.text("lastModificationDate"))
	if p.title == "" {
		p.title = "Untitled " + p.id
	}
	e.pages[p.id] = p
}

func (e *export) addAttachment(o *object) {
	if !current(o) {
		return
	}
	owner := cmp.Or(o.ref("containerContent"), o.ref("content"))
	e.attach = append(e.attach, &attachment{id: o.ID, name: o.text("title"), pageID: owner,
		version: cmp.Or(strings.TrimSpace(o.text("version")), "1"), line: o.Line})
}

// publicLabel reports whether a label of the namespace is shown to every
// reader of the page it labels: a global or team label (or one of an
// export that names no namespace, global). Confluence shows a personal
// label ("my", a favourite too) to its owner alone and a system label to
// no one; the import cannot read one of another namespace.
func publicLabel(namespace string) bool {
	switch strings.ToLower(strings.TrimSpace(namespace)) {
	case "", "global", "team":
		return true
	}
	return false
}

// parseTime reads Confluence's "2011-05-19 10:22:05.000" (server time,
// taken as UTC); the zero time when it does not parse.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02 15:04:05.000", "2006-01-02 15:04:05", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// link resolves the relations once every object is read: the page tree,
// labels, attachments, permissions.
func (e *export) link() error {
	if len(e.spaces) == 0 {
		return &PosError{File: e.file, Err: fmt.Errorf("%w: entities.xml holds no Space object (a site backup or another product's export?)", ErrNotXMLExport)}
	}
	for _, p := range e.sortedPages() {
		p.space = e.spaceBy[p.spaceID]
		if p.space == nil {
			// a page of a space the export does not hold was read under
			// that space's permissions, which the import cannot know
			if len(e.spaces) != 1 || p.spaceID != "" {
				e.warn("page", p.title, "", "the page names no space of the export; skipped (the pages below it are hidden)")
				delete(e.pages, p.id)
				continue
			}
			p.space = e.spaces[0]
		}
		p.space.pages = append(p.space.pages, p)
	}
	for _, p := range e.sortedPages() {
		if p.parentID != "" {
			if par := e.pages[p.parentID]; par != nil && par.space == p.space {
				p.parent = par
				par.children = append(par.children, p)
				continue
			}
			p.orphan = true
		}
		p.space.roots = append(p.space.roots, p)
	}
	e.dropLoops()
	for _, s := range e.spaces {
		sortPages(s.roots)
		for _, p := range s.pages {
			sortPages(p.children)
		}
	}
	for _, a := range e.attach {
		if a.page = e.pages[a.pageID]; a.page != nil {
			a.page.attachments = append(a.page.attachments, a)
		}
	}
	for _, o := range e.pending {
		e.linkPending(o)
	}
	for _, ps := range e.sortedSets() {
		e.linkSet(ps)
	}
	e.pending = nil
	for _, p := range e.sortedPages() {
		if p.orphan {
			e.linkAbove(p)
		}
	}
	return nil
}

// linkAbove gives an orphan the view restrictions of every page above it
// in Confluence, current or not: its parent's, their parents', and for an
// old version, those of the page it is a version of (and above). A page
// above it that the export does not hold, or skipped, has restrictions
// the import cannot know: the orphan is then hidden from everyone.
func (e *export) linkAbove(p *page) {
	seen := map[string]bool{p.id: true}
	next := []string{p.parentID}
	for len(next) > 0 {
		id := next[0]
		next = next[1:]
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		var r *restrictions
		var title, state string
		if q := e.pages[id]; q != nil {
			r, title, state = &q.restrictions, q.title, "current"
			next = append(next, q.parentID)
		} else if g := e.ghosts[id]; g != nil {
			r, title, state = &g.restrictions, g.title, "trashed, a draft or an old version"
			next = append(next, g.parentID, g.original)
		} else {
			p.unreadable = append(p.unreadable, fmt.Sprintf("%s:%d: the page %q above it is not in the export (or was skipped), so the restrictions on it are unknown", e.file, p.line, id))
			continue
		}
		for _, v := range r.view {
			p.above = append(p.above, ancestorView{title: title, state: state, atoms: v})
		}
		for _, u := range r.unreadable {
			p.unreadable = append(p.unreadable, fmt.Sprintf("%s (on %q, above it)", u, title))
		}
	}
}

// dropLoops skips, with a warning, the pages no root of their space leads
// to: those whose parent chain is a loop, and the pages below them. Their
// place, and so the restrictions above them, is unknown.
func (e *export) dropLoops() {
	reached := map[*page]bool{}
	var walk func(p *page)
	walk = func(p *page) {
		reached[p] = true
		for _, c := range p.children {
			if !reached[c] {
				walk(c)
			}
		}
	}
	for _, s := range e.spaces {
		for _, p := range s.roots {
			walk(p)
		}
	}
	for _, s := range e.spaces {
		kept := s.pages[:0]
		for _, p := range s.pages {
			if reached[p] {
				kept = append(kept, p)
				continue
			}
			e.warn("page", p.title, "", "its parent pages make a loop, so its place in the tree is unknown; skipped")
			delete(e.pages, p.id)
		}
		s.pages = kept
	}
}

func (e *export) sortedPages() []*page {
	ps := make([]*page, 0, len(e.pages))
	for _, p := range e.pages {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b *page) int { return cmp.Compare(a.line, b.line) })
	return ps
}

// sortPages orders siblings as Confluence does: by position, then title.
func sortPages(ps []*page) {
	slices.SortStableFunc(ps, func(a, b *page) int {
		return cmp.Or(cmp.Compare(a.position, b.position), cmp.Compare(a.title, b.title))
	})
}

func (e *export) linkPending(o *object) {
	switch o.Class {
	case "Labelling":
		p := e.pages[o.ref("content")]
		if p != nil && e.ownLabels[o.ref("label")] {
			e.ownLabelled++
		}
		if name := e.labels[o.ref("label")]; p != nil && name != "" && !slices.Contains(p.labels, name) {
			p.labels = append(p.labels, name)
		}
	case "ContentPermission":
		e.linkPermission(o)
	case "SpacePermission":
		s := e.spaceBy[o.ref("space")]
		if s == nil || strings.TrimSpace(o.text("type")) != "VIEWSPACE" {
			return
		}
		if a, ok := e.subject(o, "group"); ok {
			s.view = append(s.view, a)
		} else if !namesSubject(o) {
			s.view = append(s.view, atom{Kind: "anyone"})
		} else {
			e.warn("space", "", "", fmt.Sprintf("%s:%d: a View space permission names a user or group the import cannot read; left out (no one gains the space by it)", e.file, o.Line))
		}
	}
}

// namesSubject reports whether a permission has any property that names
// who it is for (a group, a user, a subject), even an empty or unknown
// one: only a permission without any is anonymous access.
func namesSubject(o *object) bool {
	for name := range o.Props {
		n := strings.ToLower(name)
		if strings.Contains(n, "group") || strings.Contains(n, "user") || strings.Contains(n, "subject") {
			return true
		}
	}
	return false
}

// subject is the user or group a permission names; ok is false when it
// names neither (an anonymous space permission).
func (e *export) subject(o *object, groupProp string) (atom, bool) {
	if g := strings.TrimSpace(o.text(groupProp)); g != "" {
		return atom{Kind: "group", Name: g}, true
	}
	if k := o.ref("userSubject"); k != "" {
		if u := e.users[k]; u != nil {
			return atom{Kind: "user", Name: cmp.Or(u.name, u.key), Email: u.email}, true
		}
		return atom{Kind: "user", Name: k}, true
	}
	if n := strings.TrimSpace(o.text("userName")); n != "" {
		if u := e.users["name:"+strings.ToLower(n)]; u != nil {
			return atom{Kind: "user", Name: cmp.Or(u.name, u.key), Email: u.email}, true
		}
		return atom{Kind: "user", Name: n}, true
	}
	return atom{}, false
}

// linkPermission adds one permission of a restriction to its set: the
// set it names, else the set whose collection lists it. A permission of
// neither is one in the format older Confluence wrote, on the page itself
// (naming it, or listed by it): the page's permissions of one type are
// one set.
func (e *export) linkPermission(o *object) {
	setID := cmp.Or(o.ref("owningSet"), e.setOf[o.ID])
	var ps *permSet
	switch {
	case setID != "":
		if ps = e.sets[setID]; ps == nil {
			e.warn("restriction", "", "", fmt.Sprintf("%s:%d: a restriction names the restriction set %q, which the export does not hold; left out", e.file, o.Line, setID))
			return
		}
	default:
		pageID := cmp.Or(o.ref("content"), o.ref("owningContent"), e.pageOf[o.ID])
		if pageID == "" {
			e.warn("restriction", "", "", fmt.Sprintf("%s:%d: a restriction names no page or restriction set; left out", e.file, o.Line))
			return
		}
		kind := o.text("type")
		key := "\x00page:" + pageID + ":" + strings.ToLower(strings.TrimSpace(kind))
		if ps = e.sets[key]; ps == nil {
			ps = &permSet{id: key, kind: kind, content: pageID, line: o.Line}
			e.sets[key] = ps
		}
	}
	if a, ok := e.subject(o, "groupName"); ok {
		ps.atoms = append(ps.atoms, a)
	} else {
		ps.unread = append(ps.unread, o.Line)
	}
}

// linkSet puts a restriction set on its page: a view restriction is
// applied, an edit restriction reported, and one of any other type,
// which the import cannot read, hides the page from everyone.
func (e *export) linkSet(ps *permSet) {
	content := cmp.Or(ps.content, e.pageOf[ps.id])
	var p *restrictions
	if q := e.pages[content]; q != nil {
		p = &q.restrictions
	} else if g := e.ghosts[content]; g != nil {
		p = &g.restrictions
	} else {
		if content == "" {
			e.warn("restriction", "", "", fmt.Sprintf("%s:%d: a restriction set names no page; left out", e.file, ps.line))
		}
		return
	}
	switch strings.ToLower(strings.TrimSpace(ps.kind)) {
	case "view":
		p.view = append(p.view, ps.atoms)
		for _, line := range ps.unread {
			p.unreadSubjects = append(p.unreadSubjects, fmt.Sprintf("%s:%d", e.file, line))
		}
	case "edit":
		p.edit = append(p.edit, ps.atoms)
	default:
		p.unreadable = append(p.unreadable, fmt.Sprintf("%s:%d: a restriction of a type the import cannot read (%q)", e.file, ps.line, strings.TrimSpace(ps.kind)))
	}
}

func (e *export) warn(kind, page, _ string, msg string) {
	e.warnings = append(e.warnings, Warning{Kind: kind, Page: page, Msg: msg})
}

// sortedSets are the permission sets in file order.
func (e *export) sortedSets() []*permSet {
	out := make([]*permSet, 0, len(e.sets))
	for _, s := range e.sets {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *permSet) int { return cmp.Compare(a.line, b.line) })
	return out
}
