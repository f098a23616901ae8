package content

import (
	"errors"
	"io/fs"
	"path"
	"strings"
)

// The problems of a symbolic link under content/.
var (
	errLinkLeaves = errors.New("symlink leaves content/")
	errLinkBroken = errors.New("broken symlink")
	errLinkLoop   = errors.New("symlink loop")
)

// maxLinks bounds the links followed to resolve one path, as the kernel's
// ELOOP does.
const maxLinks = 40

// realPath resolves every symbolic link in name, a path under content/
// ("content/a/b"), through fsys (fs.ReadLinkFS semantics, as os.DirFS and
// fstest.MapFS implement them), one path element at a time, and returns the
// path it really names. A link whose target is absolute, or that climbs
// above the site folder, or whose real path is outside content/, gives
// errLinkLeaves; a missing target errLinkBroken; too many links
// errLinkLoop. content itself is taken as it is, even if it is a link:
// it is the root the rule protects.
func realPath(fsys fs.FS, name string) (string, error) {
	rest := strings.Split(name, "/")
	resolved := ""
	for hops := 0; len(rest) > 0; {
		elem := rest[0]
		rest = rest[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			if resolved == "" {
				return "", errLinkLeaves
			}
			resolved = path.Dir(resolved)
			if resolved == "." {
				resolved = ""
			}
			continue
		}
		next := path.Join(resolved, elem)
		if next == "content" {
			resolved = next
			continue
		}
		fi, err := fs.Lstat(fsys, next)
		if errors.Is(err, fs.ErrNotExist) {
			return "", errLinkBroken
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			resolved = next
			continue
		}
		if hops++; hops > maxLinks {
			return "", errLinkLoop
		}
		target, err := fs.ReadLink(fsys, next)
		if err != nil {
			return "", err
		}
		if path.IsAbs(target) || strings.Contains(target, `\`) || (len(target) > 1 && target[1] == ':') {
			return "", errLinkLeaves
		}
		rest = append(strings.Split(target, "/"), rest...)
	}
	if resolved != "content" && !strings.HasPrefix(resolved, "content/") {
		return "", errLinkLeaves
	}
	return resolved, nil
}
