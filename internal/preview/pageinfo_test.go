package preview

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// The build's own /_facet/ files (navigation, search) are served, not
// claimed by the preview: without them pages have no sidebar or badge.
func TestBuildFacetFilesServed(t *testing.T) {
	t.Parallel()
	s, _ := site(t)
	rebuild(t, s)
	for _, p := range []string{"/_facet/nav.js", "/_facet/search/index.js"} {
		res := get(t, s, p, "")
		if b := body(t, res); res.StatusCode != http.StatusOK || !strings.Contains(b, "FACET_") && !strings.Contains(b, "facetSearch") {
			t.Errorf("%s: status %d: %.80s", p, res.StatusCode, b)
		}
	}
	if res := get(t, s, "/_facet/nope.js", ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("/_facet/nope.js: status %d, want 404", res.StatusCode)
	}
}

// View-as returns to the page it was chosen on, and only to a path of
// this server.
func TestViewAsStaysOnThePage(t *testing.T) {
	t.Parallel()
	s, _ := site(t)
	rebuild(t, s)
	for rd, want := range map[string]string{
		"/eng/":                 "/eng/",
		"/open/?q=x#top":        "/open/?q=x#top",
		"":                      "/",
		"//evil.example/":       "/",
		"https://evil.example/": "/",
		"/\\evil.example":       "/",
		"\\\\evil.example":      "/",
		"/\t/evil.example":      "/",
		"/\n/evil.example":      "/",
		"///evil.example":       "/",
		"/%2F/evil.example":     "/%2F/evil.example",
		"/.//evil.example/":     "/evil.example/",
		"/%5Cevil.example":      "/%5Cevil.example",
		"javascript:alert(1)":   "/",
	} {
		res := get(t, s, "/_facet/as?id=group:eng&rd="+url.QueryEscape(rd), "")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Errorf("rd %q: status %d to %q, want 303 to %q", rd, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
}

// /_facet/page gives the switch its audiences and the bar who can read the
// page, whatever audience is viewed as.
func TestPageInfo(t *testing.T) {
	t.Parallel()
	s, _ := site(t)
	rebuild(t, s)
	var info pageInfo
	res := get(t, s, "/_facet/page?url=/eng/", "")
	if err := json.NewDecoder(res.Body).Decode(&info); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(info.Readers, []string{"Group: Engineering"}) || info.As != "anonymous" || len(info.Audiences) < 3 {
		t.Errorf("page info %+v", info)
	}
	res = get(t, s, "/_facet/page?url=/open/", "")
	info = pageInfo{}
	if err := json.NewDecoder(res.Body).Decode(&info); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(info.Readers, []string{"Everyone"}) {
		t.Errorf("/open/ readers %q", info.Readers)
	}
	res = get(t, s, "/_facet/page?url=/nowhere/", "")
	info = pageInfo{}
	if err := json.NewDecoder(res.Body).Decode(&info); err != nil || len(info.Readers) != 0 {
		t.Errorf("/nowhere/ readers %q (%v)", info.Readers, err)
	}
}
