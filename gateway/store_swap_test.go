package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/access"
	facetpublish "github.com/facet-docs/facet/internal/publish"
	"github.com/facet-docs/facet/internal/s3test"
	"github.com/facet-docs/facet/internal/store"
)

// publishFixtureAt is publishFixture with the publication's clock and
// options set (allowOlder publishes a generation built before the one the
// store serves: a deliberate rollback).
func publishFixtureAt(t *testing.T, st *store.Store, o fixtureOptions, at time.Time, allowOlder bool) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	mustMkdir(t, out)
	writeFixture(t, out, o)
	_, err := facetpublish.Publish(context.Background(), facetpublish.Options{Out: out, Store: st,
		Now: func() time.Time { return at }, AllowOlder: allowOlder})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStoreNeverSwapsBackToAStalePointer: a replica that serves a
// generation never swaps back to the pointer of an earlier publication,
// as a read of current.json may return from an eventually consistent
// store or a cache before it. That pointer's generation still holds what
// the newer one removed (here the guest carol and her build), so
// following it would serve carol a guest build again. A pointer
// published later, a deliberate rollback included, is followed.
func TestStoreNeverSwapsBackToAStalePointer(t *testing.T) {
	st := s3test.Shared(t).Bucket(t, "stale")
	ctx := context.Background()
	publishFixtureAt(t, st, fixtureOptions{gen: "1000"}, testNow, false)
	stalePointer, err := st.Get(ctx, store.PointerKey)
	if err != nil {
		t.Fatal(err)
	}
	// The next generation drops the guest carol.
	dir := fixtureDirectory
	dir.Guests = slices.DeleteFunc(slices.Clone(dir.Guests), func(g access.GuestEntry) bool { return g.Email == "carol@partner.example" })
	publishFixtureAt(t, st, fixtureOptions{gen: "2000", dirPrefix: "c", directory: &dir}, testNow.Add(time.Hour), false)

	currentPointer, err := st.Get(ctx, store.PointerKey)
	if err != nil {
		t.Fatal(err)
	}
	s := newStoreServer(t, st, t.TempDir())
	carol := cookies(s.testCookie(t, "carol@partner.example", true))
	check := func(when, wantGen string, wantStatus int) {
		t.Helper()
		if g := s.Generation(); g != wantGen {
			t.Errorf("%s: serving generation %s, want %s", when, g, wantGen)
		}
		if r := get(s, "/partners/", carol); r.StatusCode != wantStatus {
			t.Errorf("%s: carol's /partners/: %d, want %d", when, r.StatusCode, wantStatus)
		}
	}
	check("start", "2000", http.StatusNotFound)

	// A stale read: current.json as it was before the last publication.
	if err := st.PutBytes(ctx, store.PointerKey, stalePointer, "application/json"); err != nil {
		t.Fatal(err)
	}
	s.reloadIfChanged(ctx)
	check("after a stale pointer was polled", "2000", http.StatusNotFound)
	if err := s.Reload(); err == nil {
		t.Error("Reload took a stale pointer without an error")
	}
	check("after a stale pointer was loaded", "2000", http.StatusNotFound)
	if h := body(t, get(s, HealthPath, nil)); h != "ok\n" {
		t.Errorf("healthz = %q", h)
	}

	// The store answers afresh again; then a rollback is published after
	// generation 2000, and followed.
	if err := st.PutBytes(ctx, store.PointerKey, currentPointer, "application/json"); err != nil {
		t.Fatal(err)
	}
	s.reloadIfChanged(ctx)
	check("after the pointer was read afresh", "2000", http.StatusNotFound)
	publishFixtureAt(t, st, fixtureOptions{gen: "1000"}, testNow.Add(2*time.Hour), true)
	s.reloadIfChanged(ctx)
	check("after a rollback was published", "1000", http.StatusOK)
}

// TestStalePointer: which pointers may replace the one served.
func TestStalePointer(t *testing.T) {
	at := func(h int) string { return testNow.Add(time.Duration(h) * time.Hour).Format(time.RFC3339) }
	cur := &store.Pointer{Generation: "2000", Published: at(1),
		History: []store.Published{{Generation: "1000", Published: at(0)}, {Generation: "1000", Published: at(1)}}}
	for _, tc := range []struct {
		name string
		next *store.Pointer
		want bool
	}{
		{"published later", &store.Pointer{Generation: "3000", Published: at(2)}, true},
		{"published in the same second", &store.Pointer{Generation: "3000", Published: at(1)}, true},
		{"a rollback published later", &store.Pointer{Generation: "1000", Published: at(2)}, true},
		{"an earlier publication", &store.Pointer{Generation: "1000", Published: at(0)}, false},
		{"an earlier publication of a newer build", &store.Pointer{Generation: "3000", Published: at(0)}, false},
		{"published after cur by a clock behind", &store.Pointer{Generation: "3000", Published: at(0),
			History: []store.Published{{Generation: "2000", Published: at(1)}}}, true},
		{"an earlier pointer naming cur's generation as published before", &store.Pointer{Generation: "1000", Published: at(0),
			History: []store.Published{{Generation: "2000", Published: at(-1)}}}, false},
		{"an earlier publication in the same second", &store.Pointer{Generation: "1000", Published: at(1)}, false},
		{"no publication time", &store.Pointer{Generation: "900"}, true},
	} {
		if got := supersedes(tc.next, cur); got != tc.want {
			t.Errorf("%s: supersedes = %v, want %v", tc.name, got, tc.want)
		}
	}
	if !supersedes(&store.Pointer{Generation: "1", Published: at(0)}, nil) {
		t.Error("a pointer does not supersede none")
	}
	// Served: a rollback to 1000 published at 3, after 2000 (at 2). The
	// pointer of 2000, read stale, is newer by build but replaced.
	rollback := &store.Pointer{Generation: "1000", Published: at(3),
		History: []store.Published{{Generation: "2000", Published: at(2)}, {Generation: "1000", Published: at(1)}}}
	if supersedes(&store.Pointer{Generation: "2000", Published: at(2)}, rollback) {
		t.Error("a stale read of the generation a rollback replaced supersedes the rollback")
	}
}

// TestStoreGuestExpiryWhileSignedIn: served from the store, a guest
// signed in before their expiry is an outsider at their first request
// after it, across a swap to the next generation too.
func TestStoreGuestExpiryWhileSignedIn(t *testing.T) {
	st := s3test.Shared(t).Bucket(t, "expiry")
	publishFixtureAt(t, st, fixtureOptions{gen: "1000"}, testNow, false)
	clk := &clock{t: testNow}
	s := newStoreServer(t, st, t.TempDir(), WithNow(clk.now))
	erin := cookies(s.testCookie(t, "erin@partner.example", true, "eng"))
	want := func(when, kind string, status int) {
		t.Helper()
		if w := whoami(t, s, erin); w.Kind != kind {
			t.Errorf("%s: erin is %s, want %s", when, w.Kind, kind)
		}
		if r := get(s, "/partners/", erin); r.StatusCode != status {
			t.Errorf("%s: erin's /partners/: %d, want %d", when, r.StatusCode, status)
		}
		if r := get(s, "/eng/", erin); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: erin's /eng/: %d", when, r.StatusCode)
		}
	}
	want("before her expiry", "guest", http.StatusOK)
	clk.set(time.Date(2026, 6, 1, 17, 59, 59, 0, time.UTC))
	want("a second before her expiry", "guest", http.StatusOK)
	publishFixtureAt(t, st, fixtureOptions{gen: "2000", dirPrefix: "c"}, testNow.Add(time.Hour), false)
	s.reloadIfChanged(context.Background())
	if g := s.Generation(); g != "2000" {
		t.Fatalf("serving %s after the pointer moved", g)
	}
	want("a second before her expiry, next generation", "guest", http.StatusOK)
	clk.set(time.Date(2026, 6, 1, 18, 0, 0, 0, time.UTC))
	want("at her expiry", "outsider", http.StatusNotFound)
	if b := body(t, get(s, "/partners/", erin)); !strings.Contains(b, "build="+anonymousDir) {
		t.Errorf("expired erin's 404 is not the anonymous build's: %q", b)
	}
}

// TestStoreCacheLeftoverIsChecked: an object a previous run left in the
// disk cache is checked against its name before it is served: a file
// named after the eng page's object that holds the staff page's bytes
// (a copy cut short, a disk that lost writes, another tool's file) never
// serves the staff page to a member of eng, and is fetched again.
func TestStoreCacheLeftoverIsChecked(t *testing.T) {
	st := s3test.Shared(t).Bucket(t, "leftover")
	out := publishFixture(t, st, fixtureOptions{gen: "gen-1"})
	probe := newStoreServer(t, st, t.TempDir())
	bob := cookies(probe.testCookie(t, "bob@example.com", true, "eng"))
	sue := cookies(probe.testCookie(t, "sue@example.com", true, "eng", "staff"))
	engDir, staffDir := whoamiBuild(t, body(t, get(probe, WhoamiPath, bob))), whoamiBuild(t, body(t, get(probe, WhoamiPath, sue)))
	engPage, err := os.ReadFile(filepath.Join(out, engDir, "eng/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	staffPage, err := os.ReadFile(filepath.Join(out, staffDir, "staff/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(engPage)
	cache := t.TempDir()
	if err := os.WriteFile(filepath.Join(cache, hex.EncodeToString(sum[:])), staffPage, 0o644); err != nil {
		t.Fatal(err)
	}
	s := newStoreServer(t, st, cache)
	r := get(s, "/eng/", bob)
	if got := body(t, r); r.StatusCode != http.StatusOK || got != string(engPage) {
		t.Errorf("bob's /eng/: %d %q, want the eng page %q", r.StatusCode, got, engPage)
	}
	if b, err := os.ReadFile(filepath.Join(cache, hex.EncodeToString(sum[:]))); err != nil || string(b) != string(engPage) {
		t.Errorf("the cache's object holds %q (%v), want the eng page", b, err)
	}
}
