package s3test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/sitetest"
	"github.com/facet-docs/facet/internal/store"
)

// CheckStore is no-trace over the store for the output out published to
// it: for each build of the generation the pointer names, its index lists
// exactly the files of the build on disk (which the release gate
// verified) and every object holds exactly those bytes; no page hidden
// from the build has a file in it (the home apart, which every build has);
// and the anonymous plain layout holds the anonymous build's files alone.
func CheckStore(t testing.TB, st *store.Store, out string) {
	t.Helper()
	ctx := context.Background()
	ptr, err := st.ReadPointer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, rules, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range rules.Builds {
		ix, err := st.ReadIndex(ctx, ptr.Generation, b.Dir)
		if err != nil {
			t.Fatal(err)
		}
		local := sitetest.ReadTree(t, filepath.Join(out, b.Dir))
		if len(local) != len(ix.Files) {
			t.Errorf("build %s: index lists %d files, the build has %d", b.Dir, len(ix.Files), len(local))
		}
		for name, data := range local {
			e, ok := ix.Files[name]
			if !ok {
				t.Errorf("build %s: %s missing from the index", b.Dir, name)
				continue
			}
			got, err := st.Get(ctx, store.ObjectKey(e.Hash))
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("build %s: %s: the store's object differs from the verified build (err %v)", b.Dir, name, err)
			}
		}
		twice := map[string]int{}
		for _, url := range rules.Pages {
			twice[url]++
		}
		for i, url := range rules.Pages {
			if b.Visible.Has(i) || url == "/" || twice[url] > 1 {
				// every build has a home; a section page's URL is also its
				// stand-in's, the generated page a build holds where the
				// section page is hidden (its bytes are the verified
				// build's, checked above)
				continue
			}
			if _, ok := ix.Files[strings.TrimPrefix(url, "/")+"index.html"]; ok {
				t.Errorf("build %s: the store holds %s, hidden from it", b.Dir, url)
			}
		}
	}
	plain, err := st.List(ctx, store.AnonymousDir)
	if err != nil {
		t.Fatal(err)
	}
	anon := sitetest.ReadTree(t, filepath.Join(out, manifest.AnonymousDir))
	if len(plain) != len(anon) {
		t.Errorf("anonymous plain layout holds %d files, the anonymous build %d", len(plain), len(anon))
	}
	for _, ob := range plain {
		got, err := st.Get(ctx, ob.Key)
		if want, ok := anon[strings.TrimPrefix(ob.Key, store.AnonymousDir)]; err != nil || !ok || !bytes.Equal(got, want) {
			t.Errorf("anonymous plain file %s is not the anonymous build's (err %v)", ob.Key, err)
		}
	}
}
