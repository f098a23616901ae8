package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/facet-docs/facet/internal/scaffold"
)

// runInit is `facet init [DIR]`: writes a small working site into DIR
// (default the current folder), which must be empty or missing: a public
// guide, a members' space with one page for a group, and a page shared
// with one guest. It then says what to run next.
func runInit(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("init", "[DIR]", args, stdout, stderr)
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "facet init: one folder at a time (got %d)\n", fs.NArg())
		return errReported
	}
	dir := "."
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	written, err := scaffold.Write(dir)
	if errors.Is(err, scaffold.ErrNotEmpty) {
		fmt.Fprintf(stderr, "facet init: %v: facet init writes a new site only into an empty or missing folder\n", err)
		return errReported
	}
	if err != nil {
		fmt.Fprintln(stderr, "facet init:", err)
		return errReported
	}
	fmt.Fprintf(stdout, "facet init: wrote %s in %s\n\n", count(len(written), "file"), dir)
	site := ""
	if dir != "." {
		site = " --site " + dir
	}
	fmt.Fprintf(stdout, "Next:\n  facet build%s          one site per audience, in %s\n", site, joinPublic(dir))
	fmt.Fprintf(stdout, "  facet serve%s          preview while you write; view the site as any audience\n", site)
	fmt.Fprintf(stdout, "  facet audit%s          who sees what\n", site)
	return nil
}

func joinPublic(dir string) string {
	if dir == "." {
		return "public/"
	}
	return dir + "/public/"
}
