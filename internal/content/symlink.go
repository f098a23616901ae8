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
// path it really names. A link whose target is absolute or climbs out of
// content/ (even to come back: when content/ is itself a link, "../content"
// may be another folder) gives errLinkLeaves; a missing target
// errLinkBroken; too many links errLinkLoop. content itself is taken as it
// is, even if it is a link: it is the root the rule protects.
func realPath(fsys fs.FS, name string) (string, error) {
	rest, ok := strings.CutPrefix(name, Dir+"/")
	if !ok {
		return "", errLinkLeaves
	}
	elems := strings.Split(rest, "/")
	resolved := Dir
	for hops := 0; len(elems) > 0; {
		elem := elems[0]
		elems = elems[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			if resolved == Dir {
				return "", errLinkLeaves
			}
			resolved = path.Dir(resolved)
			continue
		}
		next := resolved + "/" + elem
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
		elems = append(strings.Split(target, "/"), elems...)
	}
	return resolved, nil
}
