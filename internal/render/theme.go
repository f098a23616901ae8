package render

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Layout kinds: each is layouts/<kind>.html in the theme.
var layoutKinds = []string{"home", "section", "page", "404", "tags", "tag", "search"}

// Files the renderer writes besides pages, tags pages and assets.
var generated = []string{"404.html", "sitemap.xml", "index.xml", "tags/index.html", LLMsPath}

// themeSet is a parsed theme.
type themeSet struct {
	set     *template.Template
	layouts map[string]*template.Template // by kind
	crumbs  *template.Template
	assets  []asset // sorted by path
	// fp fingerprints the templates and assets (Renderer.siteID).
	fp [32]byte
}

// asset is one file written under assets/.
type asset struct {
	path string // "assets/facet.css"
	data []byte
}

// loadTheme parses every .html file under layouts/ and partials/ into one
// template set (each named by its path, so layouts call partials as
// {{template "partials/head.html" .}}) and reads every file under assets/,
// then lays extra over the assets.
func loadTheme(fsys fs.FS, extra map[string][]byte) (*themeSet, error) {
	set := template.New("")
	fp := sha256.New() // every file's name and bytes
	for _, dir := range []string{"layouts", "partials"} {
		err := fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || path.Ext(name) != ".html" {
				return err
			}
			src, err := fs.ReadFile(fsys, name)
			if err != nil {
				return err
			}
			fp.Write(appendString(appendString(nil, name), string(src)))
			_, err = set.New(name).Parse(string(src))
			return err
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("render: theme: %w", err)
		}
	}
	th := &themeSet{set: set, layouts: map[string]*template.Template{}}
	var missing []string
	lookup := func(name string) *template.Template {
		t := set.Lookup(name)
		if t == nil {
			missing = append(missing, name)
		}
		return t
	}
	for _, k := range layoutKinds {
		th.layouts[k] = lookup("layouts/" + k + ".html")
	}
	th.crumbs = lookup("partials/breadcrumbs.html")
	if len(missing) > 0 {
		return nil, fmt.Errorf("render: theme has no %s", strings.Join(missing, ", "))
	}
	assets, err := loadAssets(fsys, extra)
	if err != nil {
		return nil, err
	}
	th.assets = assets
	for _, a := range assets {
		fp.Write(appendString(appendString(nil, a.path), string(a.data)))
	}
	th.fp = [32]byte(fp.Sum(nil))
	return th, nil
}

// loadAssets reads the theme's assets/ and lays extra over them.
func loadAssets(fsys fs.FS, extra map[string][]byte) ([]asset, error) {
	byPath := map[string][]byte{}
	err := fs.WalkDir(fsys, "assets", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		byPath[name] = data
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("render: theme: %w", err)
	}
	for name, data := range extra {
		if !fs.ValidPath(name) || name == "." {
			return nil, fmt.Errorf("render: asset name %q is not a valid path", name)
		}
		byPath["assets/"+name] = data
	}
	out := make([]asset, 0, len(byPath))
	for p, data := range byPath {
		out = append(out, asset{path: p, data: data})
	}
	slices.SortFunc(out, func(a, b asset) int { return strings.Compare(a.path, b.path) })
	return out, nil
}

// checkReserved rejects content whose output path is one the renderer
// writes: the generated files, the theme's assets and, when any page has
// tags, everything under tags/.
func (r *Renderer) checkReserved() error {
	reserved := map[string]bool{}
	for _, g := range generated {
		reserved[g] = true
	}
	for _, a := range r.th.assets {
		reserved[a.path] = true
	}
	tags := false
	for _, inf := range r.info {
		tags = tags || len(inf.tags) > 0
	}
	var errs []error
	check := func(file, out string) {
		switch {
		case reserved[out]:
			errs = append(errs, fmt.Errorf("%s: conflicts with %s, which facet generates", file, out))
		case tags && strings.HasPrefix(out, "tags/"):
			errs = append(errs, fmt.Errorf("%s: conflicts with the tag pages under /tags/", file))
		}
	}
	for _, p := range r.tree.Pages {
		check(p.File, p.OutPath)
	}
	for _, a := range r.tree.Attachments {
		if a != nil {
			check(a.File, a.OutPath)
		}
	}
	return errors.Join(errs...)
}

// warm runs every template once on sample data, so escaping happens (and
// theme errors surface) in New rather than during the first Render.
func (r *Renderer) warm() error {
	link := &Link{Title: "t", URL: "./"}
	data := siteView(r.th, &r.site, "./", r.baseURL != "")
	data.Title, data.URL, data.Tags = "t", "/", []Link{*link}
	data.Children = []Entry{{Title: "t", URL: "./"}}
	data.TagCounts = []TagCount{{Name: "t", URL: "./", Count: 1}}
	for _, k := range layoutKinds {
		data.Kind = k
		if err := r.th.layouts[k].Execute(io.Discard, data); err != nil {
			return fmt.Errorf("render: theme layouts/%s.html: %w", k, err)
		}
	}
	if err := r.th.crumbs.Execute(io.Discard, []Link{*link}); err != nil {
		return fmt.Errorf("render: theme partials/breadcrumbs.html: %w", err)
	}
	return nil
}
