package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestCheckCountsMixedGenerations(t *testing.T) {
	t.Parallel()
	r := &result{t: newTally(), gen0: "g0", rebuilds: []rebuild{{rev: 1, gen: "g1"}, {rev: 2, gen: "g2"}}}
	r.t.brackets = map[bracket]int64{
		{"g0", "g0", 0}: 100, // steady
		{"g0", "g1", 0}: 3,   // during the swap: either
		{"g0", "g1", 1}: 4,
		{"g1", "g1", 1}: 50,
		{"g1", "g1", 0}: 2, // old content inside a new generation's bracket
		{"g1", "g2", 0}: 5, // neither side's revision
		{"g2", "gX", 2}: 7, // a generation never published
	}
	r.check()
	if r.bracketed != 171 || r.mixed != 14 {
		t.Errorf("bracketed %d, mixed %d; want 171 and 14", r.bracketed, r.mixed)
	}
	if r.passed() {
		t.Error("a soak with mixed generations passed")
	}
}

func TestServedChecksMarkersAndRevisions(t *testing.T) {
	t.Parallel()
	p := sitePages(0)[0]
	c := &client{kind: "member", t: newTally()}
	page := func(marker string, revs ...int) []byte {
		s := "<p>" + marker + "</p>"
		for _, r := range revs {
			s += "<p>" + revMarker(r) + "</p>"
		}
		return []byte(s)
	}
	if rev, ok := c.served(p, page(p.marker, 1, 1)); !ok || rev != 1 {
		t.Fatalf("served = %d, %t; want 1, true", rev, ok)
	}
	bad := map[string][]byte{
		"another page":  page(markerOf("eng/p1"), 1),
		"no revision":   page(p.marker),
		"two revisions": page(p.marker, 1, 2),
		"older":         page(p.marker, 0),
	}
	for name, body := range bad {
		if _, ok := c.served(p, body); ok {
			t.Errorf("%s: accepted", name)
		}
	}
	if got := c.t.failed["member"].Load(); got != int64(len(bad)) {
		t.Errorf("%d failures counted, want %d", got, len(bad))
	}
}

func TestPageExpectsWhatTheKindMaySee(t *testing.T) {
	t.Parallel()
	// A gateway that shows every page to everyone.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range sitePages(0) {
			if p.url == r.URL.Path {
				_, _ = w.Write([]byte(p.marker + " " + revMarker(0)))
				return
			}
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var public, eng page
	for _, p := range sitePages(0) {
		switch {
		case strings.HasPrefix(p.url, "/public/"):
			public = p
		case strings.HasPrefix(p.url, "/eng/"):
			eng = p
		}
	}
	for _, kind := range []string{"anonymous", "member", "guest"} {
		c := &client{kind: kind, base: srv.URL, hc: hc, t: newTally()}
		if _, ok := c.page(context.Background(), public); !ok {
			t.Errorf("%s: public page refused", kind)
		}
		c.page(context.Background(), eng)
		want := int64(1)
		if kind == "member" {
			want = 0
		}
		if got := c.t.failed[kind].Load(); got != want {
			t.Errorf("%s shown the eng page: %d failures, want %d", kind, got, want)
		}
	}
}

func TestJudgeMemory(t *testing.T) {
	t.Parallel()
	mb := int64(1 << 20)
	samples := []sample{{0, 10 * mb, 5}, {time.Second, 40 * mb, 9}, {2 * time.Second, 41 * mb, 7},
		{3 * time.Second, 60 * mb, 8}, {4 * time.Second, 45 * mb, 6}}
	v, err := judgeMemory(samples, time.Second, 5*mb, 60*mb)
	if err != nil {
		t.Fatal(err)
	}
	if v.warm.rss != 40*mb || v.middle.rss != 60*mb || v.end.rss != 45*mb || v.max.rss != 60*mb || v.maxFiles != 9 || !v.flat() {
		t.Errorf("verdict %+v", v)
	}
	if v, _ := judgeMemory(samples, time.Second, 4*mb, 60*mb); v.flat() || !v.grew {
		t.Error("5 MiB of growth passed a bound of 4")
	}
	if v, _ := judgeMemory(samples, time.Second, 5*mb, 59*mb); v.flat() || !v.capped {
		t.Error("a peak of 60 MiB passed a ceiling of 59")
	}
	if _, err := judgeMemory(samples, 3*time.Second, mb, mb); err == nil {
		t.Error("two samples after the warm-up were enough")
	}
	if got := timeline(samples, 2*time.Second); got != " 0s 10 2s 41 4s 45" {
		t.Errorf("timeline %q", got)
	}
}
