// Package content reads a site's content/ folder into a tree of sections,
// pages and attachments, splits TOML frontmatter, and owns the URL rules of
// CONTRACT.md. It does not parse markdown bodies and does not decide
// visibility: it hands each page's [access] level to the access engine.
//
// Choices made here, each an error rather than a guess where a guess could
// expose a page:
//   - A folder with index.md is a page bundle (Hugo's leaf bundle): it owns
//     every file below it, sub-folders included, and markdown anywhere
//     below its index.md is an error ("markdown inside a page bundle").
//   - Pages are the files with a markdown extension (.md, .markdown,
//     .mdown, .mkd, .mkdn, .mdwn, .mdtxt, .mdtext; any case), _index and
//     index included; any other file whose first line that is not blank is
//     a +++ fence is an error, never an attachment published as it is.
//   - Frontmatter opens the file, after blank lines or a BOM if any. A +++
//     fenced block or an access rule line ("[access]", "access.allow =",
//     "access:") later in the body, outside code blocks, is an error at
//     its line: rules there would be ignored.
//   - Two sources for one output (a.md beside a/index.md, a/_index.md or a
//     folder a/), outputs that differ only in case, a file where another
//     output needs a folder ("data" beside data.md's data/index.html), and
//     outputs facet generates itself (Reserved) are errors naming the files.
//   - YAML frontmatter (a first line "---" followed by "key:") is an error:
//     its [access] rules would otherwise be silently ignored.
//   - Names are used as written; URLs percent-encode them ("my file.md" is
//     at /my%20file/, written to "my file/index.html").
//   - A page's url key publishes it at another URL; a bundle's files move
//     with it. Links by source path follow the page.
//   - A symbolic link under content/ is an error naming the link: a link
//     would publish what it names under the link's rules. content/ itself
//     may be a link.
//   - Relative links resolve against the page's file, not its URL: in
//     content/a/b.md, "../c/" is content/c (see Tree.Resolve).
package content

import (
	"sync"
	"time"

	"github.com/facet-docs/facet/internal/access"
)

// Tree is a loaded content/ folder.
type Tree struct {
	// Root is the section of content/ itself (URL "/").
	Root *Section
	// Pages holds every page in a fixed order (sorted by source path, a
	// section's index before what it contains): markdown pages, section
	// index pages (_index.md) and the generated index pages of folders
	// without _index.md. A page's position here is its Index, the bit the
	// access sets use.
	Pages []*Page
	// Sections holds every section, depth first, Root first.
	Sections []*Section
	// Attachments holds every file under content/ that is not a page,
	// sorted by path.
	Attachments []*Attachment

	byURL    map[string]*Page
	files    map[string]*Attachment // by URL
	fileSrc  map[string]*Attachment // by File
	bySource map[string]*Page       // by File, generated pages excluded

	foldOnce sync.Once
	folded   map[string]Target // by folded file and URL, for Near
	moved    map[string]*Page  // pages that set a url, by their file's folded folder (MovedFrom)

	aliasOnce sync.Once
	aliased   map[string]*Page // pages by their aliases' folded paths (Aliased)
}

// Page is one markdown file, or the generated index page of a folder
// without _index.md.
type Page struct {
	// Index is the page's position in Tree.Pages.
	Index int
	// File is the source path relative to the site root, with forward
	// slashes ("content/a/b.md"); for a generated page, the folder
	// ("content/a/").
	File string
	// URL is the page's root-relative URL ("/a/b/"; "/" for the home page),
	// or the frontmatter url when the page sets one.
	URL string
	// OutPath is the page's file in a build ("a/b/index.html").
	OutPath string
	// Title is the frontmatter title. The generator fills it, when empty,
	// from the first heading of the body, else FileTitle.
	Title string
	// FileTitle is the title made from the file or folder name
	// ("getting-started.md" -> "Getting started").
	FileTitle string
	// Date is the frontmatter date, zero if none.
	Date time.Time
	// Weight orders pages within a section (lower first; 0 sorts after any
	// weighted page, then by title).
	Weight int
	// Draft pages are left out of every build.
	Draft bool
	// Tags are the page's taxonomy terms.
	Tags []string
	// Summary is the frontmatter summary, empty if none.
	Summary string
	// Access is the page's own [access] level, nil when it has none. For a
	// section index page it is the section's level.
	Access *access.Level
	// PageAccess is a section index's [page_access] level: the section
	// page's own rules, first in its chain and passed down to nothing. Nil
	// when it has none (always nil for other pages: there it is an error).
	PageAccess *access.Level
	// Body is the markdown after the frontmatter.
	Body []byte
	// BodyLine is the 1-based line of File where Body starts.
	BodyLine int
	// FrontSum is the SHA-256 of the frontmatter as written (between the
	// +++ fences), zero for a generated page: two files with the same
	// FrontSum and BodyLine differ in their bodies alone.
	FrontSum [32]byte
	// TitleFree is the SHA-256 of the frontmatter with its title line
	// blanked, when the title is a top-level key written on a line of its
	// own; zero otherwise. Two files with the same non-zero TitleFree and
	// BodyLine differ in their titles and bodies alone.
	TitleFree [32]byte
	// Section is the section the page belongs to: for a section's index
	// page (IsSection), that section itself.
	Section *Section
	// IsSection is true for _index.md and generated section pages.
	IsSection bool
	// Generated is true for the index page of a folder without _index.md
	// (and for a stand-in): it has no file, no rules of its own, and
	// appears in a build only when that build holds a page beneath it
	// whose URL lies under the folder's.
	Generated bool
	// Standin is true for the generated page of a folder that has an
	// _index.md (Section.Standin): a build that may not see the _index.md
	// holds this page in its place where a generated page would be, so
	// that the folder looks as it would without the file. It shares the
	// section page's URL and output file and is in no lookup by URL or
	// source.
	Standin bool
	// Bundle is true for a/b/index.md: the page owns the files of its folder.
	Bundle bool
	// Attachments are the files the page owns (its bundle's files, or for a
	// section page the files directly in the section's folder).
	Attachments []*Attachment
	// Aliases are the frontmatter aliases: other URLs of the site that
	// redirect to the page (see Alias), in the order written.
	Aliases []*Alias
}

// StandinPage returns the page that stands in for p where p is a
// section's _index.md (Section.Standin), else nil.
func (p *Page) StandinPage() *Page {
	if p == nil || !p.IsSection || p.Generated || p.Section == nil {
		return nil
	}
	return p.Section.Standin
}

// Alias is one value of a page's aliases key: a URL of the site where a
// build that holds the page (and Near) writes a redirect page to it.
// A value starting with "/" is a root-relative folder path of the site,
// checked as the url key is ("/old/path", "/old/path/"); any other value
// is a path beside the page, resolved against the folder of the page's URL
// ("old-name" on the page at /guide/new/ is /guide/old-name/). A trailing
// "/" is added. An alias that is the URL of a page, of another alias or
// of an output facet generates is an error at its line.
type Alias struct {
	// Raw is the value as written.
	Raw string
	// Line is the 1-based line of the value in the page's file.
	Line int
	// URL is the alias's root-relative folder URL ("/old/path/"), set by
	// Load.
	URL string
	// OutPath is the redirect page's file in a build ("old/path/index.html"),
	// set by Load.
	OutPath string
	// Near is the page nearest at or above URL (see Tree.NearPath), nil
	// when only the home page is: a build writes the alias only when it
	// holds Near too, so that an alias never names a folder hidden from it.
	Near *Page
	// Moved is the page that set its own url whose file's folder is at or
	// above URL (see Tree.MovedFrom), nil for none: the alias names that
	// page's file, so a build writes it only when it holds Moved too.
	Moved *Page
}

// Section is a folder under content/ (Root is content/ itself).
type Section struct {
	// Dir is the folder relative to the site root ("content/a").
	Dir string
	// URL is the section's URL ("/a/").
	URL string
	// Page is the section's index page: its _index.md, or a generated page.
	Page *Page
	// Standin is, when Page is an _index.md, the generated page a build
	// holds in its place where the _index.md is hidden and a page beneath
	// shows the folder's URL (ACCESS.md: a hidden page leaves no trace,
	// its existence included); nil when Page is generated.
	Standin *Page
	// Parent is nil for Root.
	Parent *Section
	// Sections are the sub-sections, sorted by path.
	Sections []*Section
	// Pages are the pages directly in the section (bundles included, the
	// section's own index page excluded), sorted by path.
	Pages []*Page
	// Depth is 0 for Root.
	Depth int
}

// Attachment is a file under content/ that is not a page.
type Attachment struct {
	// File is the path relative to the site root ("content/a/x.pdf").
	File string
	// URL is the root-relative URL ("/a/x.pdf"). A bundle's files are
	// beside their page, at its frontmatter url when it sets one.
	URL string
	// OutPath is the file in a build ("a/x.pdf").
	OutPath string
	// Owner is the page whose access the attachment takes: the bundle page
	// whose folder holds it, otherwise the index page of the section whose
	// folder holds it.
	Owner *Page
	// Size is the file size in bytes.
	Size int64
}
