package content

import "io/fs"

// linkProblem is the error message of a symbolic link under content/, at
// file. facet follows no links there: a link to a page, a folder or an
// attachment would publish what it names at the link's place, under the
// access rules of the link's section, whatever the rules of the place it
// names (and a link may name a file outside content/ too). The message
// names the target when fsys can read links (fs.ReadLinkFS).
func linkProblem(fsys fs.FS, file string) string {
	const why = "facet follows no links under content/ (a link would publish its target under the link's rules): " +
		"copy the file or move the folder instead"
	if target, err := fs.ReadLink(fsys, file); err == nil {
		return "symlink to " + target + ": " + why
	}
	return "symlink: " + why
}
