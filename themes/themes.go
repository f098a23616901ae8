// Package themes holds the themes built into facet. It owns the files of
// the default theme (templates under layouts/ and partials/, static files
// under assets/) and nothing else: rendering them is internal/render's job,
// and a site's own overrides are layered over them by render.Layer.
package themes

import (
	"embed"
	"io/fs"
)

//go:embed all:default
var embedded embed.FS

// Default is the built-in default theme, rooted at its folder: paths look
// like "layouts/page.html" and "assets/facet.css".
var Default fs.FS = mustSub(embedded, "default")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		// Unreachable: dir is a valid path known at compile time.
		panic(err)
	}
	return sub
}
