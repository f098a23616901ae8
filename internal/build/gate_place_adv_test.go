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

// A folder of a build named with the percent-encoded spelling of a hidden
// folder ("caf%C3%A9", what an alias written "/caf%25C3%25A9/old/" makes)
// names that folder to anyone who decodes it; the place check looked the
// name up only as it is on disk and let it pass.
func TestAdvGatePlaceEncodedOnDisk(t *testing.T) {
	t.Parallel()
	_, tr, bs, builds := gateFixture(t, advFeatureSite)
	anon, members := builds["anonymous"], builds["members"]
	data := []byte("<!DOCTYPE html>\n<title>Pub</title>\n<meta http-equiv=\"refresh\" content=\"0; url=/pub/\">\n")
	for i, name := range []string{"caf%C3%A9/old/index.html", "CAF%C3%89/x.html", "tresor%20r%C3%A4ume/plan/old/index.html"} {
		err := tr.check(anon, bs, name, data, fileKey{a: uint64(i + 1), n: len(data)})
		if err == nil || !strings.Contains(err.Error(), "hidden from this build") {
			t.Errorf("anonymous: %s: err %v, want a trace", name, err)
		}
		if err := tr.check(members, bs, name, data, fileKey{a: uint64(i + 1), n: len(data)}); err != nil {
			t.Errorf("members: %s: %v", name, err)
		}
	}
	if err := tr.check(anon, bs, "100%25/index.html", data, fileKey{a: 9, n: len(data)}); err != nil {
		t.Errorf("anonymous: 100%%25/index.html: %v", err)
	}
}
