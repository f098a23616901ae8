package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/cache"
	"github.com/facet-docs/facet/internal/diag"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("build", "[--site DIR] [--out DIR] [--no-verify] [--quiet]", args, stdout, stderr)
	site := fs.String("site", ".", "the site `folder`")
	out := fs.String("out", "", "the output `folder` (default SITE/public)")
	noVerify := fs.Bool("no-verify", false, "skip the no-trace verification of every build")
	quiet := fs.Bool("quiet", false, "print only errors and warnings")
	cacheDir := fs.String("cache", "", "the build cache `folder` (default SITE/.facet-cache)")
	noCache := fs.Bool("no-cache", false, "neither read nor write the build cache")
	cacheMiB := fs.Int64("cache-limit", cache.DefaultLimit>>20, "bound the build cache to `MiB`, pruning the least recently used")
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "facet build: unexpected argument %q\n", fs.Arg(0))
		return errReported
	}
	if *out == "" {
		*out = filepath.Join(*site, "public")
	}
	if *cacheDir == "" {
		*cacheDir = filepath.Join(*site, ".facet-cache")
	}
	if *noCache {
		*cacheDir = ""
	}
	if *cacheMiB <= 0 {
		fmt.Fprintf(stderr, "facet build: --cache-limit wants a positive number of MiB, not %d\n", *cacheMiB)
		return errReported
	}
	b := build.New(build.Options{
		Site: *site, Out: *out, NoVerify: *noVerify, MemoryLimit: true,
		Cache: *cacheDir, CacheLimit: *cacheMiB << 20,
		Progress: build.TerminalOrNil(stderr),
		Warn:     func(err error) { fmt.Fprintln(stderr, "warning:", err) },
	})
	res, err := b.Build(ctx)
	if err != nil {
		printErrors(stderr, err)
		fmt.Fprintf(stderr, "facet build: failed; %s left as it was\n", *out)
		return errReported
	}
	if !*quiet {
		printSummary(stdout, res, *out)
	}
	return nil
}

// printErrors prints every problem of err on its own line.
func printErrors(w io.Writer, err error) {
	if list := diag.From(err); list != nil {
		for _, e := range list {
			fmt.Fprintln(w, e.Error())
		}
		return
	}
	fmt.Fprintln(w, err.Error())
}

func printSummary(w io.Writer, res *build.Result, out string) {
	fmt.Fprintf(w, "facet: %s, %s, %s in %s\n", count(res.Pages, "page"), count(res.Audiences, "audience"), count(len(res.Builds), "build"), out)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  build\tpages\tfiles\taudiences")
	for _, b := range res.Builds {
		fmt.Fprintf(tw, "  %s/\t%d\t%d\t%s\n", b.Dir, b.Pages, b.Files, strings.Join(b.Audiences, ", "))
	}
	tw.Flush()
	verified := "verified: no build holds a trace of a page hidden from it"
	if !res.Verified {
		verified = "not verified (--no-verify or [build] verify = false)"
	}
	if res.Warm {
		fmt.Fprintln(w, "warm build: only what the edited pages' bodies change was made again, from the last build's record in the cache")
	}
	fmt.Fprintf(w, "%s written, %d hard-linked to an identical file; %s\n", count(res.Files, "file"), res.Links, verified)
	if c := res.Cache; c != nil {
		about := ""
		if c.Estimated {
			about = "at most "
		}
		fmt.Fprintf(w, "cache %s: %d hits, %d misses, %d damaged or foreign; %s%d entries (%.1f MiB), %d pruned\n",
			c.Dir, c.Hits, c.Misses, c.Bad, about, c.Entries, float64(c.Bytes)/(1<<20), c.Pruned)
	}
	if n := len(res.Warnings); n > 0 {
		fmt.Fprintln(w, count(n, "warning"))
	}
	fmt.Fprintf(w, "built in %s\n", res.Duration.Round(1e6))
}
