package content

import (
	"path"
	"strings"
)

// pageExts are the extensions of markdown files, lower-cased: each such
// file is a page, whatever the case of its extension. A markdown file is
// never an attachment, which would publish its frontmatter, rules
// included, as it is.
var pageExts = []string{".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext"}

// pageExt returns the markdown extension of a file name as written
// ("a.MD" -> ".MD"), or "" when the name is not a page's.
func pageExt(name string) string {
	ext := path.Ext(name)
	for _, e := range pageExts {
		if strings.EqualFold(ext, e) && len(name) > len(ext) {
			return ext
		}
	}
	return ""
}

// isMarkdown reports whether a file name is a markdown page.
func isMarkdown(name string) bool { return pageExt(name) != "" }

// IsMarkdown reports whether a file name under content/ is a markdown
// file: a page, unless its name or a folder's hides it ("." or "_"), and
// never an attachment.
func IsMarkdown(name string) bool { return isMarkdown(name) }

// NamesFolder reports whether a link destination names a page by its
// folder's address ("../a/", "/a", "/a/index.html", "https://host/a/")
// rather than by a markdown file ("a/_index.md"): where a section's
// _index.md is hidden, only the folder's address leads to the page
// standing in for it (Section.Standin).
func NamesFolder(dest string) bool {
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		dest = dest[:i]
	}
	dest = strings.TrimSuffix(strings.ReplaceAll(dest, `\`, "/"), "/")
	return !isMarkdown(path.Base(dest))
}

// pageStem is a markdown file name without its extension ("a.markdown" ->
// "a"); other names are returned as they are.
func pageStem(name string) string { return name[:len(name)-len(pageExt(name))] }

// isSectionIndex reports whether a file name is a section's index page:
// _index with any markdown extension, in any case ("_index.md",
// "_INDEX.markdown"). Any other "_" name is ignored, so a section index
// must never be mistaken for one: its rules would be lost.
func isSectionIndex(name string) bool {
	return isMarkdown(name) && strings.EqualFold(pageStem(name), "_index")
}

// isBundleIndex reports whether a file name is a bundle's page: index with
// any markdown extension ("index.md", "index.mkd").
func isBundleIndex(name string) bool { return isMarkdown(name) && pageStem(name) == "index" }

// ignored reports whether a name under content/ is left out: hidden
// (".x") and "_x" files and folders other than section indexes.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") && !isSectionIndex(name)
}
