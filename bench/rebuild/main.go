// Command rebuild measures facet serve's edit-to-published latency: the
// time from a saved file to every affected build published, as
// build.Builder.Rebuild does it for facet serve (the watcher's batching
// delay, watch.DefaultDelay, comes on top).
//
//	go run ./bench/rebuild -site DIR [-edits 20] [-seed 1] [-no-verify] [-kinds body,title,rule] [-cpuprofile FILE]
//
// DIR is a site from bench/gen; it is edited in place and restored at the
// end. After one full build into a temporary folder, it appends a
// sentence to the end of a random page's body (a body edit), then changes
// a random page's title, then gives a random page rules of its own or
// takes them away (a rule edit), -edits times each, rebuilding after
// every edit, and prints the median, p95 and max of each kind, how many
// files each rebuild wrote and how many builds it read back unchanged.
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/build"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "rebuild:", err)
		os.Exit(1)
	}
}

var (
	titleLine   = regexp.MustCompile(`(?m)^title = "([^"]*)"$`)
	accessTable = regexp.MustCompile(`(?ms)^\[access\]\n.*?(^\+\+\+)`)
)

// editRule gives a page without rules of its own one that hides it from
// the finance group, and takes a page's own rules away.
func editRule(src []byte) []byte {
	if accessTable.Match(src) {
		return accessTable.ReplaceAll(src, []byte("$1"))
	}
	front, rest, _ := strings.Cut(strings.TrimPrefix(string(src), "+++\n"), "\n+++\n")
	return []byte("+++\n" + front + "\n[access]\ndeny = [\"group:finance\"]\n+++\n" + rest)
}

func run() error {
	site := flag.String("site", "", "site folder written by bench/gen (required)")
	edits := flag.Int("edits", 20, "edits of each kind")
	seed := flag.Uint64("seed", 1, "seed of the choice of pages")
	noVerify := flag.Bool("no-verify", false, "skip the no-trace verification")
	kinds := flag.String("kinds", "body,title", "edit kinds to measure, in order: body, title, rule")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the rebuilds after the full build to this file")
	flag.Parse()
	if *site == "" {
		return fmt.Errorf("-site is required")
	}
	tmp, err := os.MkdirTemp("", "facet-rebuild-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var pages []string
	err = filepath.WalkDir(filepath.Join(*site, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, "_index.md") {
			pages = append(pages, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	saved := map[string][]byte{}
	defer func() {
		for p, b := range saved {
			os.WriteFile(p, b, 0o644)
		}
	}()
	b := build.New(build.Options{Site: *site, Out: filepath.Join(tmp, "public"), NoVerify: *noVerify})
	ctx := context.Background()
	start := time.Now()
	res, err := b.Rebuild(ctx, nil)
	if err != nil {
		return err
	}
	fmt.Printf("full build: %d pages, %d builds, %s\n", res.Pages, len(res.Builds), time.Since(start).Round(time.Millisecond))
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	r := rand.New(rand.NewPCG(*seed, 1))
	for _, kind := range strings.Split(*kinds, ",") {
		if kind != "body" && kind != "title" && kind != "rule" {
			return fmt.Errorf("unknown edit kind %q", kind)
		}
		var times []time.Duration
		var files, reused []int
		for i := range *edits {
			p := pages[r.IntN(len(pages))]
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if _, ok := saved[p]; !ok {
				saved[p] = src
			}
			switch kind {
			case "body":
				src = append(src, fmt.Sprintf("\nEdited once more, %d.\n", i)...)
			case "title":
				src = titleLine.ReplaceAll(src, []byte(fmt.Sprintf(`title = "$1 %d"`, i)))
			default:
				src = editRule(src)
			}
			if err := os.WriteFile(p, src, 0o644); err != nil {
				return err
			}
			rel, _ := filepath.Rel(*site, p)
			t := time.Now()
			res, err := b.Rebuild(ctx, []string{filepath.ToSlash(rel)})
			if err != nil {
				return err
			}
			times = append(times, time.Since(t))
			files = append(files, res.Files)
			reused = append(reused, res.Reused)
		}
		slices.Sort(times)
		slices.Sort(files)
		slices.Sort(reused)
		fmt.Printf("%s edit: median %s, p95 %s, max %s over %d edits; files written: median %d; builds read back: median %d\n", kind,
			times[len(times)/2].Round(time.Millisecond), times[len(times)*95/100].Round(time.Millisecond),
			times[len(times)-1].Round(time.Millisecond), len(times), files[len(files)/2], reused[len(reused)/2])
	}
	return nil
}
