package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The soak site: public pages, pages of group eng, pages of group
// partners (the guest's configured group), and a bundle holding a large
// file for slow readers. Every page's body names the page and the content
// revision it was written in, so that a response tells which build
// generation it came from.
const (
	publicPages  = 12
	engPages     = 12
	partnerPages = 12
	bigFileBytes = 8 << 20
	bigFileURL   = "/eng/downloads/big.bin"
	memberEmail  = "bob@example.com"
	guestEmail   = "carol@partner.example"
)

// page is one page of the soak site as a client sees it.
type page struct {
	url    string // request path
	marker string // the page's own marker, present in its body
	// who may read it: anonymous, member, guest
	anonymous, member, guest bool
}

// sitePages lists the pages of revision rev: the fixed ones and, from
// revision 1 on, one public page added by each revision.
func sitePages(rev int) []page {
	var ps []page
	add := func(section string, n int, anon, guest bool) {
		for i := range n {
			name := fmt.Sprintf("%s/p%d", section, i)
			ps = append(ps, page{url: "/" + name + "/", marker: markerOf(name), anonymous: anon, member: true, guest: guest})
		}
	}
	add("public", publicPages, true, true)
	add("eng", engPages, false, false)
	add("partners", partnerPages, false, true)
	for r := 1; r <= rev; r++ {
		name := fmt.Sprintf("public/added-%d", r)
		ps = append(ps, page{url: "/" + name + "/", marker: markerOf(name), anonymous: true, member: true, guest: true})
	}
	return ps
}

// markerOf is the marker of the page at content/NAME.md.
func markerOf(name string) string { return "soak-page-" + strings.ReplaceAll(name, "/", "-") + "-end" }

// revMarker is what every page of revision rev says.
func revMarker(rev int) string { return fmt.Sprintf("soak-rev-%d-end", rev) }

// bigFile is the large file's content: the same deterministic bytes in
// every revision.
func bigFile() []byte {
	r := rand.New(rand.NewPCG(7, 11))
	b := make([]byte, bigFileBytes)
	for i := 0; i < len(b); i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < len(b); j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// writeSite replaces the site's config and content with revision rev.
func writeSite(dir string, rev int, big []byte) error {
	if err := os.RemoveAll(filepath.Join(dir, "content")); err != nil {
		return err
	}
	files := map[string]string{
		"config/site.toml": "title = \"Soak\"\n[access]\nallow = [\"members\"]\n",
		"config/access.toml": "[members]\ndomains = [\"example.com\"]\n" +
			"[groups.eng]\ntitle = \"Engineering\"\n[groups.partners]\ntitle = \"Partners\"\n" +
			"[[audiences]]\ngroups = [\"eng\", \"partners\"]\n" +
			"[[guests]]\nemail = \"" + guestEmail + "\"\nname = \"Carol (Partner Inc)\"\ngroups = [\"partners\"]\nexpires = 2099-12-31\n",
		"content/_index.md":          front("Home", "anyone") + "The soak site. " + revMarker(rev) + "\n",
		"content/public/_index.md":   front("Public", "anyone") + "Public pages.\n",
		"content/eng/_index.md":      front("Engineering", "group:eng") + "Engineering pages.\n",
		"content/partners/_index.md": front("Partners", "group:partners") + "Pages for partners.\n",
		"content/eng/downloads/index.md": front("Downloads", "") +
			"The [large file](big.bin) for slow readers. " + revMarker(rev) + "\n",
	}
	for _, p := range sitePages(rev) {
		name := strings.Trim(p.url, "/")
		files["content/"+name+".md"] = front(titleOf(name), "") + body(name, rev)
	}
	for name, data := range files {
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(data)); err != nil {
			return err
		}
	}
	return writeFile(filepath.Join(dir, "content", "eng", "downloads", "big.bin"), big)
}

func writeFile(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// front is a page's front matter; allow "" inherits the section's rule.
func front(title, allow string) string {
	s := "+++\ntitle = \"" + title + "\"\n"
	if allow != "" {
		s += "[access]\nallow = [\"" + allow + "\"]\n"
	}
	return s + "+++\n"
}

func titleOf(name string) string {
	section, leaf, _ := strings.Cut(name, "/")
	return strings.ToUpper(section[:1]) + section[1:] + " " + leaf
}

// body is a page of about 6 KB naming the page and the revision.
func body(name string, rev int) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Marker: %s %s.\n\n", markerOf(name), revMarker(rev))
	for i := range 30 {
		fmt.Fprintf(&b, "Paragraph %d of revision %d. Lorem ipsum dolor sit amet, consectetur adipiscing "+
			"elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim "+
			"veniam, quis nostrud exercitation ullamco laboris.\n\n", i, rev)
	}
	return b.String()
}

// build runs `facet build` and returns the generation it published.
func build(facet, site, out string) (string, error) {
	cmd := exec.Command(facet, "build", "--site", site, "--out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("facet build: %w\n%s", err, b)
	}
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		return "", err
	}
	var m struct {
		Generation string `json:"generation"`
	}
	if err := json.Unmarshal(b, &m); err != nil || m.Generation == "" {
		return "", fmt.Errorf("manifest.json: no generation (%v)", err)
	}
	return m.Generation, nil
}
