package build

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/facet-docs/facet/internal/diag"
	"github.com/facet-docs/facet/internal/place"
)

// themeDirs are the folders of a theme the renderer reads.
var themeDirs = []string{"layouts", "partials", "assets"}

// checkThemePlace refuses a file of the site's theme folder that is, by a
// symbolic link (the file's, a folder's on its path, or the theme
// folder's own), a file under content/. Every build holds the theme's
// files, and the release gate takes the theme's words for text every build
// carries, so such a file would publish a page or attachment, its rules
// and body, to every audience. A link to a file outside content/ is fine.
func (s *loadedSite) checkThemePlace() diag.List {
	rel := filepath.Join("themes", s.cfg.Theme)
	over := filepath.Join(s.dir, rel)
	if st, err := os.Stat(over); err != nil || !st.IsDir() {
		return nil
	}
	contentDir := place.Real(filepath.Join(s.dir, "content"))
	fsys := os.DirFS(over)
	var errs diag.List
	for _, d := range themeDirs {
		// a folder the walk cannot read is the renderer's to report
		_ = fs.WalkDir(fsys, d, func(name string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			target := place.Real(filepath.Join(over, filepath.FromSlash(name)))
			if place.Within(target, contentDir) == "" {
				return nil
			}
			in, err := filepath.Rel(contentDir, target)
			if err != nil {
				return nil
			}
			errs.Addf(path.Join(filepath.ToSlash(rel), name), 0, "is content/%s through a symbolic link: a theme file "+
				"goes into every build, a file of content/ only where its rules let it; copy what the theme needs instead",
				filepath.ToSlash(in))
			return nil
		})
	}
	return errs
}
