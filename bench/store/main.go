// Command store measures facet publish and facet gateway --from on a site
// already generated (bench/gen) into -site:
//
//	go run ./bench/store -site DIR -weed BIN [-rounds 5] [-d 5s] [-c 8]
//
// It builds the site, starts SeaweedFS (weed) on loopback, publishes the
// output cold and times it, edits one page, builds and publishes again
// (the objects and bytes uploaded are the figures), then serves the
// anonymous build from disk (facet gateway) and from the store (facet
// gateway --from, its caches warm) in the same process, in -rounds rounds
// of one run of each (which goes first alternates) of -d with -c clients
// over the build's pages, and prints requests/s of both and the median of
// the per-round ratios.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/publish"
	"github.com/facet-docs/facet/internal/s3test"
	"github.com/facet-docs/facet/internal/store"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "store:", err)
		os.Exit(1)
	}
}

func run(args []string, w io.Writer) error {
	flags := flag.NewFlagSet("store", flag.ContinueOnError)
	site := flags.String("site", "", "the generated site (required)")
	weed := flags.String("weed", s3test.Binary(), "the weed binary")
	rounds := flags.Int("rounds", 5, "rounds of the gateway comparison")
	d := flags.Duration("d", 5*time.Second, "length of each gateway run")
	clients := flags.Int("c", 8, "concurrent clients")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *site == "" || *weed == "" {
		return errors.New("-site and -weed (or .ci/build-weed) are required")
	}
	work, err := os.MkdirTemp("", "facet-bench-store-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	srv, err := s3test.Launch(*weed, work)
	if err != nil {
		return err
	}
	defer srv.Stop()
	st, err := srv.NewBucket("site")
	if err != nil {
		return err
	}
	out := filepath.Join(work, "public")
	if err := publishTwice(w, *site, out, st); err != nil {
		return err
	}
	return compareGateways(w, out, st, filepath.Join(work, "cache"), *rounds, *d, *clients)
}

// publishTwice builds and publishes cold, then after a one-page edit.
func publishTwice(w io.Writer, site, out string, st *store.Store) error {
	ctx := context.Background()
	for i, label := range []string{"cold", "after a one-page edit"} {
		if i == 1 {
			if err := editOnePage(site); err != nil {
				return err
			}
		}
		if _, err := build.New(build.Options{Site: site, Out: out}).Build(ctx); err != nil {
			return err
		}
		start := time.Now()
		res, err := publish.Publish(ctx, publish.Options{Out: out, Store: st})
		if err != nil {
			return err
		}
		took := time.Since(start)
		fmt.Fprintf(w, "publish %s: %.1f s; %d files, %d distinct objects; uploaded %d objects (%.2f%%), %.1f MB; %d anonymous plain files (%.1f MB)\n",
			label, took.Seconds(), res.Files, res.Objects, res.Uploaded, 100*float64(res.Uploaded)/float64(res.Objects),
			float64(res.UploadedBytes)/(1<<20), res.Plain, float64(res.PlainBytes)/(1<<20))
	}
	return nil
}

// editOnePage appends a sentence to the first page of the site's content.
func editOnePage(site string) error {
	var page string
	err := filepath.WalkDir(filepath.Join(site, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || page != "" || d.IsDir() || filepath.Ext(p) != ".md" || d.Name() == "_index.md" {
			return err
		}
		page = p
		return filepath.SkipAll
	})
	if err != nil || page == "" {
		return fmt.Errorf("no page to edit: %v", err)
	}
	f, err := os.OpenFile(page, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "\nOne sentence more, at %s.\n", time.Now().Format(time.RFC3339Nano))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// compareGateways serves the output from disk and from the store and
// alternates runs of both.
func compareGateways(w io.Writer, out string, st *store.Store, cache string, rounds int, d time.Duration, clients int) error {
	cfg := &config.Gateway{Listen: "127.0.0.1:0", PublicURL: "http://127.0.0.1", Issuer: "http://127.0.0.1:1",
		ClientID: "bench", ClientSecret: "bench", GroupsClaim: config.Claim{Name: "groups", Path: []string{"groups"}}, Scopes: []string{"openid"},
		Session: time.Hour, CookieSecrets: [][]byte{[]byte("0123456789abcdef0123456789abcdef")}}
	quiet := gateway.WithLogger(slog.New(slog.DiscardHandler))
	disk, err := gateway.New(cfg, out, quiet)
	if err != nil {
		return err
	}
	defer disk.Close()
	remote, err := gateway.NewFromStore(cfg, st, gateway.StoreCache{Dir: cache, Replica: "bench"}, quiet)
	if err != nil {
		return err
	}
	defer remote.Close()
	paths, err := pages(filepath.Join(out, manifest.AnonymousDir))
	if err != nil {
		return err
	}
	for _, h := range []http.Handler{disk, remote} { // warm both caches
		load(h, paths, clients, 0)
	}
	var ratios, diskRates, storeRates []float64
	for r := range rounds {
		// Which goes first alternates, so that neither always runs on
		// the heels of the other.
		var a, b result
		if r%2 == 0 {
			a, b = load(disk, paths, clients, d), load(remote, paths, clients, d)
		} else {
			b, a = load(remote, paths, clients, d), load(disk, paths, clients, d)
		}
		if a.failed+b.failed > 0 {
			return fmt.Errorf("failed requests: disk %d, store %d", a.failed, b.failed)
		}
		diskRates, storeRates = append(diskRates, a.rate), append(storeRates, b.rate)
		ratios = append(ratios, b.rate/a.rate)
	}
	fmt.Fprintf(w, "gateway, %d anonymous pages, %d clients, %d rounds of %s: disk %.0f req/s, store (warm) %.0f req/s (medians); store/disk %.2f (median of per-round ratios)\n",
		len(paths), clients, rounds, d, median(diskRates), median(storeRates), median(ratios))
	fmt.Fprint(w, "per-round store/disk:")
	for _, r := range ratios {
		fmt.Fprintf(w, " %.2f", r)
	}
	fmt.Fprintln(w)
	return nil
}

// pages lists the page URLs of a build folder, sorted.
func pages(dir string) ([]string, error) {
	var urls []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "index.html" {
			return err
		}
		rel, err := filepath.Rel(dir, filepath.Dir(p))
		if rel == "." {
			urls = append(urls, "/")
		} else {
			urls = append(urls, "/"+filepath.ToSlash(rel)+"/")
		}
		return err
	})
	slices.Sort(urls)
	return urls, err
}

type result struct {
	rate   float64
	failed int64
}

// load requests paths round-robin from clients goroutines for d (d 0:
// every path once, to warm the caches).
func load(h http.Handler, paths []string, clients int, d time.Duration) result {
	var n, failed atomic.Int64
	var next atomic.Int64
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			req, _ := http.NewRequest("GET", "/", nil)
			rw := &discard{}
			for {
				i := next.Add(1) - 1
				if d == 0 && i >= int64(len(paths)) || d > 0 && i%64 == 0 && time.Now().After(deadline) {
					return
				}
				req.URL.Path = paths[i%int64(len(paths))]
				rw.h, rw.code = http.Header{}, 0
				h.ServeHTTP(rw, req)
				if rw.code != 0 && rw.code != http.StatusOK {
					failed.Add(1)
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return result{rate: float64(n.Load()) / time.Since(start).Seconds(), failed: failed.Load()}
}

// discard keeps only the status.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header              { return d.h }
func (d *discard) Write(b []byte) (int, error)      { return len(b), nil }
func (d *discard) WriteHeader(code int)             { d.code = code }
func (d *discard) SetWriteDeadline(time.Time) error { return nil }

func median(v []float64) float64 {
	s := slices.Clone(v)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
