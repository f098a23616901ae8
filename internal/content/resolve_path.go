package content

import (
	"path"
	"strings"
)

// ResolvePath resolves a root-relative path of the site, already decoded
// and cleaned ("/a/b/", "/a/x.pdf", "/a/b.md"), as Resolve resolves a
// root-relative link, without decoding it again: the site-relative form of
// an absolute URL of the site, or a link as a browser reads it from the
// page's URL. suffix is the "?query#fragment" to keep. found is false when
// nothing is there.
func (t *Tree) ResolvePath(p, suffix string) (tgt Target, found bool) {
	tgt.Suffix = suffix
	full := path.Join(Dir, p)
	if full != Dir && !strings.HasPrefix(full, Dir+"/") {
		return tgt, false
	}
	tgt.Page, tgt.Attachment = t.lookup(full, strings.HasSuffix(p, "/"))
	return tgt, tgt.Page != nil || tgt.Attachment != nil
}
