package build

import (
	"bytes"
	"io/fs"
	"strings"
	"sync"

	"github.com/facet-docs/facet/themes"
)

// vendorDir holds the third-party libraries of the built-in theme (mermaid,
// KaTeX): megabytes of minified code, the same bytes in every build of
// every site.
const vendorDir = "assets/vendor/"

var (
	vendorOnce  sync.Once
	vendorFiles map[string][]byte
)

// builtinVendor reports whether the file at name (a build's path) is one
// of the built-in theme's vendored libraries, byte for byte. Such a file
// says nothing about any site, so the gate neither scans it for traces
// nor counts the words it happens to hold as text every build carries (a
// hidden page titled "Gantt" stays a trace elsewhere though mermaid's code
// says "Gantt"). A site's theme that replaces one is scanned like any file.
func builtinVendor(name string, data []byte) bool {
	b, ok := builtinVendorBytes(name)
	return ok && bytes.Equal(b, data)
}

// builtinVendorBytes returns the bytes of the built-in theme's vendored
// file at name, if it is one.
func builtinVendorBytes(name string) ([]byte, bool) {
	if !strings.HasPrefix(name, vendorDir) {
		return nil, false
	}
	vendorOnce.Do(func() {
		vendorFiles = map[string][]byte{}
		_ = fs.WalkDir(themes.Default, strings.TrimSuffix(vendorDir, "/"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, err := fs.ReadFile(themes.Default, p); err == nil {
					vendorFiles[p] = b
				}
			}
			return nil
		})
	})
	b, ok := vendorFiles[name]
	return b, ok
}
