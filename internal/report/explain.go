package report

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/content"
)

// ErrUnknownPage is returned by Explain when no page or attachment has the
// asked source path or URL.
var ErrUnknownPage = errors.New("unknown page")

// Anonymous is the --as value that asks about a visitor who is not signed
// in.
const Anonymous = "anonymous"

// Query is one question for Explain: may this person see this page?
type Query struct {
	// Page is a source path ("content/a/b.md"), a path relative to
	// content/ ("a/b.md"), a URL ("/a/b/"), or any of these naming an
	// attachment (which takes its owner page's access).
	Page string
	// As is an email, taken as signed in with a verified address
	// (email_verified true), or Anonymous. It is compared as the gateway
	// compares it: access.NormEmail, no trimming.
	As string
	// Groups is the identity provider's groups claim for As. It counts
	// for a member only: a guest's groups come from config/access.toml.
	Groups []string
	// Now is the instant a guest's expiry is judged at.
	Now time.Time
}

// Explanation is Explain's answer.
type Explanation struct {
	// Page is the page asked about (an attachment's owner page).
	Page *content.Page
	// Attachment is the file asked about, nil when the query named a page.
	Attachment *content.Attachment
	// Identity is the identity As resolved to.
	Identity access.Identity
	// Guest is the guest entry of As when declared (expired or not).
	Guest *access.GuestEntry
	// Expires is the guest's expiry as written, "" when none.
	Expires string
	// Notes are remarks on the query: ignored claims, undeclared groups,
	// drafts, generated pages, inexact builds.
	Notes []string
	// Chain is the page's chain of levels, most specific first. For a
	// draft it is the chain the page would have once published.
	Chain access.Chain
	// Decision is Decide over Chain for Identity.
	Decision access.Decision
	// Draft is true when the page is a draft: hidden from everyone
	// whatever Decision says.
	Draft bool
	// Build is the build the gateway would serve Identity, nil when none
	// is a subset of what Identity may see.
	Build *build.PlannedBuild
	// Exact is true when Build's visible set equals Identity's.
	Exact bool
	// Present is true when Build holds the page, or for an attachment
	// the file.
	Present bool
	// Unused is true for an attachment whose owner the identity sees but
	// which only pages and files hidden from them use: no build of theirs
	// holds it (ACCESS.md, attachments).
	Unused bool

	site *build.Site
	used bool // an attachment some page or file uses
}

// Visible reports whether the identity sees the page: decided visible and
// not a draft; for an attachment, also used by something they see (or by
// nothing).
func (e *Explanation) Visible() bool { return e.Decision.Visible && !e.Draft && !e.Unused }

// Explain answers q for the loaded site.
func Explain(s *build.Site, q Query) (*Explanation, error) {
	p, att := FindPage(s.Tree, q.Page)
	if p == nil {
		return nil, fmt.Errorf("%w %q: no page or file has that source path or URL", ErrUnknownPage, q.Page)
	}
	e := &Explanation{Page: p, Attachment: att, Draft: p.Draft, site: s}
	if err := e.identify(s, q); err != nil {
		return nil, err
	}
	e.Chain = s.Rules.Chains[p.Index]
	if p.Draft {
		e.Chain = s.Tree.Chain(p, s.Config.Access)
	}
	e.Decision = access.Decide(e.Chain, e.Identity)
	if att != nil && e.Decision.Visible && !p.Draft {
		i := attachmentIndex(s.Tree, att)
		e.Unused = !s.HeldAttachments(e.Identity).Has(i)
		e.used = s.AttachmentUsed(i)
	}
	e.chooseBuild(s, q.Now)
	e.pageNotes()
	return e, nil
}

// FindPage finds what arg names: a page by source path, by path relative
// to content/ or by URL; or an attachment, returned with its owner page.
// A folder's path ("content/a", "a/") names its section page. It returns a
// nil page when nothing matches.
func FindPage(tree *content.Tree, arg string) (*content.Page, *content.Attachment) {
	arg = strings.TrimSpace(strings.ReplaceAll(arg, "\\", "/"))
	if strings.HasPrefix(arg, "/") {
		if p := tree.Page(arg); p != nil {
			return p, nil
		}
		if a := tree.Attachment(arg); a != nil {
			return a.Owner, a
		}
		if !strings.HasSuffix(arg, "/") {
			return tree.Page(arg + "/"), nil
		}
		return nil, nil
	}
	src := path.Clean(arg)
	if src != content.Dir && !strings.HasPrefix(src, content.Dir+"/") {
		src = path.Join(content.Dir, src)
	}
	for _, p := range tree.Pages {
		if !p.Standin && (p.File == src || p.File == src+"/") {
			return p, nil
		}
	}
	for _, sec := range tree.Sections {
		if sec.Dir == src {
			return sec.Page, nil
		}
	}
	for _, a := range tree.Attachments {
		if a.File == src {
			return a.Owner, a
		}
	}
	return nil, nil
}

// identify resolves q.As and q.Groups as the gateway would for a verified
// email (an unverified one is always an outsider), noting what it ignores.
func (e *Explanation) identify(s *build.Site, q Query) error {
	dir := &s.Access.Directory
	as := access.NormEmail(q.As)
	claim := strings.Join(q.Groups, ", ")
	if as == Anonymous {
		if len(q.Groups) > 0 {
			return errors.New("--groups is for a signed-in member; anonymous has no groups")
		}
		e.Identity = access.Identity{Kind: access.Anonymous}
		return nil
	}
	if !access.ValidEmail(as) {
		return fmt.Errorf("--as %q: want an email address or %q", q.As, Anonymous)
	}
	e.Identity = dir.Identify(as, true, q.Groups, q.Now)
	if g, ok := dir.Guest(as); ok {
		e.Guest, e.Expires = &g, s.Access.GuestExpires[as]
	}
	switch e.Identity.Kind {
	case access.Guest:
		if claim != "" {
			e.note("the --groups claim (%s) is ignored: a guest's groups come from config/access.toml alone", claim)
		}
	case access.Outsider:
		if e.Guest != nil {
			e.note("a declared guest whose access expired (expires = %s): an outsider now, who sees only what anonymous sees", e.Expires)
		} else {
			e.note("neither in a member domain nor a declared guest: an outsider, who sees only what anonymous sees")
		}
		if claim != "" {
			e.note("the --groups claim (%s) is ignored: only a member's claims count", claim)
		}
	case access.Member:
		// The gateway keeps a member's declared groups alone (it seals
		// nothing else into the session): so does the identity explained.
		declared := e.Identity.Groups[:0:0]
		for _, g := range e.Identity.Groups {
			if !dir.HasGroup(g) {
				e.note("group %q is not declared in config/access.toml: no rule can name it, and the gateway drops it", g)
				continue
			}
			declared = append(declared, g)
		}
		e.Identity.Groups = declared
	}
	return nil
}

// chooseBuild picks the build the gateway would serve at now
// (serveBuild) and whether it holds the page.
func (e *Explanation) chooseBuild(s *build.Site, now time.Time) {
	e.Build, e.Exact = serveBuild(s, e.Identity, now)
	switch {
	case e.Build == nil:
	case e.Attachment != nil:
		e.Present = e.Build.Attachments.Has(attachmentIndex(s.Tree, e.Attachment))
	default:
		e.Present = e.Build.Present.Has(e.Page.Index)
	}
}

// attachmentIndex is a's position in tree.Attachments, -1 when absent.
func attachmentIndex(tree *content.Tree, a *content.Attachment) int {
	return slices.Index(tree.Attachments, a)
}

// serveBuild is the build the gateway would serve id at now, per
// ACCESS.md (access.SelectFor): a build of the identity's kind whose visible
// set equals the identity's, else the largest subset of that kind, else the
// anonymous build if it is a subset; nil when none is. Builds only expired
// guests had are never written, so never served.
func serveBuild(s *build.Site, id access.Identity, now time.Time) (*build.PlannedBuild, bool) {
	var builds []build.PlannedBuild
	for _, b := range s.BuildsAt(now) {
		if !b.Expired {
			builds = append(builds, b)
		}
	}
	cands := make([]access.Candidate, len(builds))
	for i, b := range builds {
		cands[i] = access.Candidate{Visible: b.Visible}
		if len(b.Audiences) > 0 {
			cands[i].Kind = b.Audiences[0].Identity.Kind
		}
		for _, a := range b.Audiences {
			cands[i].Audiences = append(cands[i].Audiences, a.ID)
		}
	}
	i, exact := access.SelectFor(cands, id, s.Rules.Visible(id))
	if i < 0 {
		return nil, false
	}
	return &builds[i], exact
}

// pageNotes adds the notes about the page and the build it is served in.
func (e *Explanation) pageNotes() {
	p := e.Page
	if e.Attachment != nil {
		e.note("%s is an attachment of %s and takes its access", e.Attachment.File, p.File)
	}
	if p.Generated {
		e.note("a generated section page (the folder has no _index.md): a build holds it only when it holds something beneath it")
	}
	if e.Build != nil && !e.Exact && e.Visible() && !e.Present {
		e.note("visible to this identity, but no build matches it exactly and the one served lacks the page")
		if e.Identity.Kind == access.Member && len(e.Identity.Groups) > 1 {
			e.note("declare [[audiences]] groups = [\"%s\"] in config/access.toml to build this combination", strings.Join(e.Identity.Groups, `", "`))
		}
	}
}

func (e *Explanation) note(format string, args ...any) {
	e.Notes = append(e.Notes, fmt.Sprintf(format, args...))
}

// levelName says what a level of the page's chain is: the page itself, a
// section (by URL) or the site default.
func (e *Explanation) levelName(l *access.Level) string {
	p := e.Page
	switch {
	case l == e.site.Config.Access:
		return "site default"
	case l == p.Access && !p.IsSection:
		return "page"
	case l == p.PageAccess:
		return "section page only"
	}
	for sec := p.Section; sec != nil; sec = sec.Parent {
		if sec.Page.Access == l {
			return "section " + sec.URL
		}
	}
	return "level"
}

// entryState says how an entry of a level bears on the identity.
func (e *Explanation) entryState(l *access.Level, en access.Entry) string {
	if !en.Principal.Matches(e.Identity) {
		return ""
	}
	if l == e.Decision.Level && slices.Contains(e.Decision.Entries, en) {
		return "matches: decides"
	}
	if l == e.Decision.Level {
		return "matches, outranked by a more specific entry"
	}
	return "matches"
}
