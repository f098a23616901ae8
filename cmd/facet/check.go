package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/diag"
	"github.com/facet-docs/facet/internal/report"
)

// runCheck is `facet check [--out DIR] [--strict]`: the site's linter, for CI. It
// prints one "file:line: message" line a problem on stdout, then a summary
// line.
//
// Errors (exit 1): everything `facet build` rejects (bad TOML, unknown keys
// and principals, undeclared groups, unknown users, URL clashes...) and
// everything it only warns about: links to nothing and links to drafts.
// When the site does not load, those load errors are all it reports.
//
// Warnings (printed as "warning: file:line: message", exit 0 unless
// --strict): pages no audience's build holds (nobody can see them) and
// guests whose expiry has passed. Neither exposes anything: such a page or
// guest simply sees nothing, so they inform rather than fail.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("check", "[--site DIR] [--out DIR] [--strict]", args, stdout, stderr)
	site := fs.String("site", ".", "the site `folder`")
	out := outFlag(fs)
	strict := fs.Bool("strict", false, "fail (exit 1) on warnings too")
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "facet check: unexpected argument %q\n", fs.Arg(0))
		return errReported
	}
	s, err := build.Load(ctx, *site)
	if err != nil {
		list := diag.From(err)
		if list == nil {
			return err
		}
		for _, e := range list {
			fmt.Fprintln(stdout, e.Error())
		}
		fmt.Fprintf(stdout, "facet check: %s; the site does not load\n", checkCount(len(list), "error"))
		return errReported
	}
	wantedFrom(s, *site, *out)
	f := report.Check(s, time.Now())
	for _, e := range f.Errors {
		fmt.Fprintln(stdout, e.Error())
	}
	for _, w := range f.Warnings {
		fmt.Fprintln(stdout, "warning:", w.Error())
	}
	fmt.Fprintf(stdout, "facet check: %s, %s\n", checkCount(len(f.Errors), "error"), checkCount(len(f.Warnings), "warning"))
	if f.Failed(*strict) {
		return errReported
	}
	return nil
}

// checkCount writes "1 error" or "2 errors".
func checkCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
