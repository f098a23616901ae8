// Package config turns a site's config/*.toml files into typed, validated
// values: config/site.toml (Site), config/access.toml (Access) and
// config/gateway.toml (Gateway, in gateway.go), each value parsed once into
// the type its users need (a netip.Prefix, a Claim, a time.Duration).
//
// Reading is strict and complete: unknown keys, wrong types and invalid
// values are errors at their file:line, and every problem of a file is
// reported, not just the first, as a diag.List. Every file is read the same
// way, through internal/tomlx (a document decoded into plain maps and read
// through typed accessors that know each key's line), rather than decoded
// into structs: struct decoding stops at the first type mismatch and
// BurntSushi/toml keeps key positions private.
//
// It does not decide visibility (internal/access does), read content/, or
// check that a principal names a declared group or known user unless asked
// (CheckLevel): that needs both config files and the content.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"strings"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/diag"
	"github.com/facet-docs/facet/internal/tomlx"
)

// SiteFile is the path of the site settings in a site folder.
const SiteFile = "config/site.toml"

// Site is config/site.toml.
type Site struct {
	// Title is the site title. Default "facet".
	Title string
	// Description is the meta description. Default "".
	Description string
	// BaseURL is the absolute base for sitemap and feed links, always
	// ending in "/". Default "": only relative links.
	BaseURL string
	// Hosts are the other hosts ("docs.example.com", "intranet:8443") the
	// site is also served under: absolute links to them are the site's own
	// links, resolved and redacted like relative ones. Default none.
	Hosts []string
	// Language is the pages' language tag. Default "en".
	Language string
	// Theme names the theme: files under <site>/themes/<Theme>/ override
	// the built-in default theme. Default "default".
	Theme string
	// Markdown holds the markdown options.
	Markdown Markdown
	// Build holds the build options.
	Build BuildOptions
	// Publish holds where `facet publish` and `facet gateway --from` reach
	// the object store; the standard AWS environment variables override
	// it, and credentials come only from them.
	Publish Publish
	// Layout holds what the theme shows around the pages ([layout]).
	Layout Layout
	// Access is the site default level ([access]), nil when there is none
	// (then a page no rule decides is hidden from everyone).
	Access *access.Level
	// File is the file the settings came from, "" when defaults were used.
	File string
}

// Markdown is the [markdown] table of config/site.toml.
type Markdown struct {
	// Unsafe passes raw HTML through. Default false. Links in raw HTML are
	// then resolved and redacted like markdown links.
	Unsafe bool
	// Highlight turns on syntax highlighting of code blocks. Default true.
	Highlight bool
	// HighlightStyle is the chroma style of the generated CSS. Default
	// "github". The markdown package checks that the style exists.
	HighlightStyle string
}

// BuildOptions is the [build] table of config/site.toml.
type BuildOptions struct {
	// Verify scans every build for traces of the pages hidden from it
	// after every build. Default true; turning it off removes the release
	// gate, not a rule.
	Verify bool
	// WhoCanSee shows, on every page of a member build, who can read that
	// page (everyone, all members, groups, guests by name, named members).
	// Default true. Guest and anonymous builds never show it.
	WhoCanSee bool
}

// Publish is the [publish] table of config/site.toml. It holds no secret:
// a key that looks like one is an error, as credentials come only from the
// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
type Publish struct {
	// Endpoint is the object store's URL; default AWS S3 of Region.
	Endpoint string
	// Region is the bucket's region; default "us-east-1".
	Region string
	// PathStyle addresses buckets as ENDPOINT/BUCKET (most stores other
	// than AWS want it). Default false.
	PathStyle bool
}

// secretKeys are [publish] keys refused because they would hold a secret.
var secretKeys = []string{"access_key", "access_key_id", "secret", "secret_key", "secret_access_key",
	"session_token", "password", "token", "aws_access_key_id", "aws_secret_access_key"}

func parsePublish(t *tomlx.Table, p *Publish) {
	for _, k := range secretKeys {
		t.Reject(k, "%s: credentials never go in the file; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment", t.Name(k))
	}
	t.String("endpoint", &p.Endpoint)
	t.String("region", &p.Region)
	t.Bool("path_style", &p.PathStyle)
	t.Finish()
}

// DefaultSite returns the settings of a site without config/site.toml.
func DefaultSite() *Site {
	return &Site{
		Title:    "facet",
		Language: "en",
		Theme:    "default",
		Markdown: Markdown{Highlight: true, HighlightStyle: "github"},
		Build:    BuildOptions{Verify: true, WhoCanSee: true},
		Layout:   Layout{EditPath: defaultEditPath, LastUpdated: true, Backlinks: true},
	}
}

// LoadSite reads config/site.toml from the site folder fsys. A missing
// file gives DefaultSite, as long as the folder has a content/ folder: a
// folder with neither is not a site, and that is an error. Every problem is
// reported, as a diag.List.
func LoadSite(fsys fs.FS) (*Site, error) {
	text, err := readConfig(fsys, SiteFile)
	if errors.Is(err, fs.ErrNotExist) {
		if st, err := fs.Stat(fsys, "content"); err == nil && st.IsDir() {
			return DefaultSite(), nil
		}
		return nil, diag.List{{File: SiteFile, Msg: "missing, and there is no content/ folder either: not a facet site"}}
	}
	if err != nil {
		return nil, err
	}
	doc, err := tomlx.Parse(SiteFile, text, 0)
	if err != nil {
		var l diag.List
		l.Append(err)
		return nil, l
	}
	s := DefaultSite()
	s.File = SiteFile
	root := doc.Root()
	root.String("title", &s.Title)
	root.String("description", &s.Description)
	if root.String("base_url", &s.BaseURL) {
		s.BaseURL = checkBaseURL(root, s.BaseURL)
	}
	hosts, lines, _ := root.Strings("hosts")
	for i, h := range hosts {
		if !hostRE.MatchString(h) {
			root.ErrorAt(lines[i], "hosts: %q is not a host name with an optional port, such as docs.example.com or intranet:8443", h)
			continue
		}
		s.Hosts = append(s.Hosts, h)
	}
	if root.String("language", &s.Language) && !langRE.MatchString(s.Language) {
		root.Errorf("language", "language %q is not a language tag such as en or pt-BR", s.Language)
	}
	if root.String("theme", &s.Theme) && !validName(s.Theme) {
		root.Errorf("theme", "theme %q must be a folder name under themes/", s.Theme)
	}
	if md := root.Table("markdown"); md != nil {
		md.Bool("unsafe", &s.Markdown.Unsafe)
		md.Bool("highlight", &s.Markdown.Highlight)
		if md.String("highlight_style", &s.Markdown.HighlightStyle) && !styleRE.MatchString(s.Markdown.HighlightStyle) {
			md.Errorf("highlight_style", "highlight_style %q is not a style name", s.Markdown.HighlightStyle)
		}
		md.Finish()
	}
	if b := root.Table("build"); b != nil {
		b.Bool("verify", &s.Build.Verify)
		b.Bool("who_can_see", &s.Build.WhoCanSee)
		b.Finish()
	}
	if p := root.Table("publish"); p != nil {
		parsePublish(p, &s.Publish)
	}
	s.Layout = parseLayout(root)
	s.Access = tomlx.ParseLevel(root, "access")
	if s.Access != nil && s.Access.Cascade {
		if a := root.Table("access"); a != nil {
			a.Errorf("cascade", "the site default applies to every page already; cascade is for a section's [access]")
		}
	}
	root.Finish()
	if err := doc.Problems().Err(); err != nil {
		return nil, err
	}
	return s, nil
}

var (
	hostRE  = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$`)
	langRE  = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)
	styleRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
)

// checkBaseURL validates base_url and returns it ending in "/".
func checkBaseURL(t *tomlx.Table, raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		t.Errorf("base_url", "base_url %q must be an absolute http or https URL without query or fragment", raw)
		return raw
	}
	if !strings.HasSuffix(raw, "/") {
		raw += "/"
	}
	return raw
}

// validName reports whether s can be a single folder name.
func validName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.HasPrefix(s, ".") && !strings.ContainsAny(s, `/\:`) &&
		!strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f })
}

// readConfig reads a config file, BOM stripped; a missing file gives an
// error wrapping fs.ErrNotExist.
func readConfig(fsys fs.FS, name string) ([]byte, error) {
	b, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		if st, serr := fs.Stat(fsys, name); serr == nil && st.IsDir() {
			return nil, diag.List{{File: name, Msg: "is a folder, not a file", Err: err}}
		}
		return nil, diag.List{diag.Errorf(name, 0, "%w", unwrapPath(err))}
	}
	return bytes.TrimPrefix(b, []byte("\uFEFF")), nil
}

// unwrapPath drops an fs.PathError's path, which the position already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
