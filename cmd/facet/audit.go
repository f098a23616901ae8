package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/ledger"
	"github.com/facet-docs/facet/internal/report"
)

// runAudit is `facet audit [--out DIR] [--format text|html|json] [--ledger FILE]`: who
// sees what. It
// prints the matrix of audiences against top-level spaces ("visible/total"
// pages in each cell), every declared guest with their kind, groups,
// expiry (EXPIRED once past) and the pages they see, and the pages nobody
// sees. Drafts are never shown as visible.
//
// --format json writes report.Audit with these stable fields: format (1),
// site, at (RFC 3339), pages, drafts, builds, spaces [{url, title, dir,
// pages}], audiences [{id, kind, name, groups, expired, build, visible,
// spaces [{space, visible, total}]}], guests [{email, name, kind (guest,
// or outsider once expired), groups, expires (as written), expired, build,
// pages [{url, title, file}], beyond [{url, title, file, rule, personal}]}],
// groups [{group, title, beyond}], expiring [{email, name, expires, days}]
// and unseen [{url, title, file}] (docs/CONTRACT.md).
// --format html writes a standalone page: no script, no external request.
//
// Builds are planned as `facet build --out DIR` (default SITE/public)
// writes them, the group combinations the gateway recorded there included.
//
// Exit 0 with the report; exit 1 when the site does not load or a flag is
// wrong.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("audit", "[--site DIR] [--out DIR] [--format text|html|json] [--ledger FILE]", args, stdout, stderr)
	site := fs.String("site", ".", "the site `folder`")
	out := outFlag(fs)
	format := fs.String("format", "text", "the output `format`: text, html or json")
	ledgerFile := fs.String("ledger", "", "the gateway's sign-in ledger `file`: each guest's last sign-in and count, and guests who never signed in")
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "facet audit: unexpected argument %q\n", fs.Arg(0))
		return errReported
	}
	var write func(*report.Audit, io.Writer) error
	switch *format {
	case "text":
		write = (*report.Audit).WriteText
	case "html":
		write = (*report.Audit).WriteHTML
	case "json":
		write = (*report.Audit).WriteJSON
	default:
		fmt.Fprintf(stderr, "facet audit: unknown format %q (want text, html or json)\n", *format)
		return errReported
	}
	s, err := build.Load(ctx, *site)
	if err != nil {
		return loadFailed(stderr, "facet audit", err)
	}
	wantedFrom(s, *site, *out)
	a := report.NewAudit(s, time.Now())
	if *ledgerFile != "" {
		entries, err := ledger.Read(*ledgerFile)
		if err != nil {
			fmt.Fprintln(stderr, "facet audit:", err)
			return errReported
		}
		a.AddLedger(entries)
	}
	return write(a, stdout)
}
