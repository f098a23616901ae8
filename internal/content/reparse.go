package content

import (
	"path"

	"github.com/facet-docs/facet/internal/diag"
)

// ParsePage reads the bytes of the markdown file at file (a path relative
// to the site root) as Load reads each page: UTF-8, BOM, frontmatter and
// body, with the problems Load reports for the file alone. The page has
// no place in a tree (no Index, URL or Section): it is for telling what
// changed in a file (FrontSum, BodyLine, Body) without loading the site.
func ParsePage(file string, src []byte) (*Page, error) {
	p := &Page{File: file, IsSection: isSectionIndex(path.Base(file))}
	var errs diag.List
	parsePage(p, src, &errs)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return p, nil
}
