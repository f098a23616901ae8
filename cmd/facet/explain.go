package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/diag"
	"github.com/facet-docs/facet/internal/report"
)

// runExplain is `facet explain PAGE --as EMAIL [--groups a,b]`: whether that
// person may see the page, the rule (file:line) that decided, the page's
// chain and the build the gateway would serve them. Without PAGE it lists
// every page the person sees, each with the rule that admits it. PAGE is a source path
// (content/a/b.md), a path under content/ (a/b.md) or a URL (/a/b/); flags
// may come before or after it. Exit 0 with the answer, visible or hidden;
// exit 1 when the site does not load, the page is unknown or a flag is
// wrong.
func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("explain", "[PAGE] --as EMAIL|anonymous [--groups a,b] [--site DIR] [--out DIR]\n"+
		"without PAGE: every page visible to that person, with the rule that admits each", args, stdout, stderr)
	site := fs.String("site", ".", "the site `folder`")
	as := fs.String("as", "", "who asks: an `email`, assumed signed in with a verified address (email_verified true), or \"anonymous\"")
	out := outFlag(fs)
	groups := fs.String("groups", "", "the identity provider's groups `claim`, comma-separated (counts for members only)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return parseError(err)
	}
	switch {
	case *as == "":
		fmt.Fprintln(stderr, "facet explain: --as is required: an email address or \"anonymous\"")
		fs.Usage()
		return errReported
	case len(pos) > 1:
		fmt.Fprintf(stderr, "facet explain: one page at a time (got %d)\n", len(pos))
		fs.Usage()
		return errReported
	}
	s, err := build.Load(ctx, *site)
	if err != nil {
		return loadFailed(stderr, "facet explain", err)
	}
	wantedFrom(s, *site, *out)
	if len(pos) == 0 {
		l, err := report.ExplainAll(s, report.Query{As: *as, Groups: splitList(*groups), Now: time.Now()})
		if err != nil {
			fmt.Fprintln(stderr, "facet explain:", err)
			return errReported
		}
		return l.WriteText(stdout)
	}
	e, err := report.Explain(s, report.Query{Page: pos[0], As: *as, Groups: splitList(*groups), Now: time.Now()})
	if err != nil {
		fmt.Fprintln(stderr, "facet explain:", err)
		return errReported
	}
	return e.WriteText(stdout)
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments (flag stops at the first non-flag), and returns
// the positional ones. "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// splitList splits "a, b,c" into its non-empty trimmed parts.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// loadFailed prints why a site did not load: its problems one a line, as
// `facet build` prints them. Errors that are not the site's are returned.
func loadFailed(stderr io.Writer, cmd string, err error) error {
	if errors.Is(err, context.Canceled) || diag.From(err) == nil {
		return err
	}
	printErrors(stderr, err)
	fmt.Fprintf(stderr, "%s: the site has errors; run facet check\n", cmd)
	return errReported
}
