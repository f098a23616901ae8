package build

import (
	"strings"
	"testing"
)

// The gate's place check skipped every file at a page's own output path,
// whichever build it was in: a hidden page's file ("tresor räume/plan/
// index.html"), or a hidden section's, written into a build that may not
// see it passed whenever its content named nothing hidden (a redirect, a
// page without base_url). A page's own place now counts only in the
// builds that hold the page.
func TestAdvGateOwnPlaceOfHiddenPage(t *testing.T) {
	t.Parallel()
	_, tr, bs, builds := gateFixture(t, advFeatureSite)
	anon, members := builds["anonymous"], builds["members"]
	data := []byte("<!DOCTYPE html>\n<title>Pub</title>\n<meta http-equiv=\"refresh\" content=\"0; url=/pub/\">\n")
	for i, name := range []string{"tresor räume/plan/index.html", "café/index.html"} {
		err := tr.check(anon, bs, name, data, fileKey{a: uint64(i + 1), n: len(data)})
		if err == nil || !strings.Contains(err.Error(), "hidden from this build") {
			t.Errorf("anonymous: %s: err %v, want a trace", name, err)
		}
		if err := tr.check(members, bs, name, data, fileKey{a: uint64(i + 1), n: len(data)}); err != nil {
			t.Errorf("members: %s: %v", name, err)
		}
	}
	if err := tr.check(anon, bs, "pub/index.html", data, fileKey{a: 9, n: len(data)}); err != nil {
		t.Errorf("anonymous: pub/index.html: %v", err)
	}
}
