package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/publish"
	"github.com/facet-docs/facet/internal/store"
)

func runPublish(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("publish", "--to s3://BUCKET/PREFIX [--site DIR] [--out DIR] [--dry-run] [--keep N] [--grace DURATION] [--allow-older]", args, stdout, stderr)
	to := fs.String("to", "", "the object store `location`, s3://BUCKET/PREFIX")
	site := fs.String("site", ".", "the site `folder` (reads config/site.toml's [publish])")
	out := fs.String("out", "", "the built output `folder` to publish (default SITE/public); run facet build first")
	dry := fs.Bool("dry-run", false, "print what would change, write nothing")
	keep := fs.Int("keep", 3, "generations kept, the new one included")
	grace := fs.Duration("grace", publish.DefaultGrace, "how long a replaced generation and an unused object are kept at least")
	allowOlder := fs.Bool("allow-older", false, "publish an output built before the generation the store serves (a rollback)")
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "facet publish: unexpected argument %q\n", fs.Arg(0))
		return errReported
	}
	if *to == "" {
		fmt.Fprintln(stderr, "facet publish: --to s3://BUCKET/PREFIX is required")
		return errReported
	}
	if *out == "" {
		*out = filepath.Join(*site, "public")
	}
	st, err := openStore(*site, *to)
	if err != nil {
		printErrors(stderr, err)
		return errReported
	}
	start := time.Now()
	res, err := publish.Publish(ctx, publish.Options{Out: *out, Store: st, DryRun: *dry, Keep: *keep, Grace: *grace,
		AllowOlder: *allowOlder, Progress: build.TerminalOrNil(stderr)})
	if err != nil {
		fmt.Fprintln(stderr, "facet publish:", err)
		fmt.Fprintln(stderr, "facet publish: failed; readers still follow the generation they had (a rerun uploads only what is missing)")
		return errReported
	}
	printPublished(stdout, res, st.Location(), *dry, time.Since(start))
	if *dry || res.Unchanged {
		return nil
	}
	if n, err := publish.MergeWanted(ctx, st, *out); err != nil {
		fmt.Fprintln(stderr, "warning: wanted combinations of the gateways not merged:", err)
	} else if n > 0 {
		fmt.Fprintf(stdout, "%s wanted by the gateways, in %s for the next build\n", count(n, "group combination"), filepath.Join(*out, "wanted.json"))
	}
	return nil
}

// openStore reads the [publish] settings of the site (when it has a
// config/site.toml) under the standard AWS environment variables.
func openStore(site, to string) (*store.Store, error) {
	loc, err := store.ParseLocation(to)
	if err != nil {
		return nil, err
	}
	var s store.Settings
	if _, err := os.Stat(filepath.Join(site, config.SiteFile)); err == nil {
		cfg, err := config.LoadSite(os.DirFS(site))
		if err != nil {
			return nil, err
		}
		s = store.Settings{Endpoint: cfg.Publish.Endpoint, Region: cfg.Publish.Region, PathStyle: cfg.Publish.PathStyle}
	}
	return store.Open(s.FromEnv(os.Getenv), loc)
}

func printPublished(w io.Writer, res *publish.Result, loc store.Location, dry bool, took time.Duration) {
	if res.Unchanged {
		if res.Plain == 0 && res.PlainRemoved == 0 {
			fmt.Fprintf(w, "facet publish: %s already serves generation %s; nothing to do\n", loc, res.Generation)
			return
		}
		fmt.Fprintf(w, "facet publish: %s already serves generation %s; anonymous plain files: %d to write (%s), %d to remove\n",
			loc, res.Generation, res.Plain, bytesText(res.PlainBytes), res.PlainRemoved)
		return
	}
	verb := "uploaded"
	if dry {
		verb = "would upload"
	}
	fmt.Fprintf(w, "facet publish: generation %s to %s\n", res.Generation, loc)
	fmt.Fprintf(w, "  %s in %s; %s %s (%s), %d already there\n", count(res.Files, "file"), count(res.Objects, "distinct object"),
		verb, count(res.Uploaded, "object"), bytesText(res.UploadedBytes), res.Present)
	fmt.Fprintf(w, "  anonymous plain files: %d to write (%s), %d to remove\n", res.Plain, bytesText(res.PlainBytes), res.PlainRemoved)
	if dry {
		fmt.Fprintf(w, "  dry run: nothing written (%d indexes, manifests and pointer would be)\n", res.Meta)
		return
	}
	if len(res.RemovedGenerations) > 0 || res.RemovedObjects > 0 {
		fmt.Fprintf(w, "  removed %s and %s past the grace period\n", count(len(res.RemovedGenerations), "old generation"),
			count(res.RemovedObjects, "unused object"))
	}
	fmt.Fprintf(w, "published in %s\n", took.Round(time.Millisecond))
}

func bytesText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
