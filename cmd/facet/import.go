package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/facet-docs/facet/internal/confluence"
)

const importSynopsis = "confluence EXPORT.zip|FOLDER --into DIR [--domains a.example,b.example] [--members-group NAME]"

// runImport is `facet import confluence EXPORT --into DIR`: a Confluence
// space export (XML) becomes a new site in DIR with its permissions mapped
// to [access] rules, and DIR/import-report.md says what was mapped.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("import", importSynopsis, args, stdout, stderr)
	into := fs.String("into", "", "the new site `folder` (must be missing or empty)")
	domains := fs.String("domains", "", "member email `domains`, comma-separated, taken as written (default: the domains of the export's users' emails but public mail providers' such as gmail.com)")
	group := fs.String("members-group", "confluence-users", "the Confluence `group` every user is in, mapped to members (\"-\" for none)")
	var pos []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			return parseError(err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(pos) != 2 || pos[0] != "confluence" {
		fmt.Fprintf(stderr, "usage: facet import %s\n(facet imports from: confluence)\n", importSynopsis)
		return errReported
	}
	if *into == "" {
		fmt.Fprintln(stderr, "facet import: --into DIR is required")
		return errReported
	}
	opts := confluence.Options{Export: pos[1], Into: *into, MembersGroup: *group}
	for _, d := range strings.Split(*domains, ",") {
		if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
			opts.Domains = append(opts.Domains, d)
		}
	}
	res, err := confluence.Import(ctx, opts)
	if errors.Is(err, confluence.ErrNotEmpty) {
		fmt.Fprintf(stderr, "facet import: %v\n", err)
		return errReported
	}
	if err != nil {
		fmt.Fprintf(stderr, "facet import: %v\nfacet import: nothing written\n", err)
		return errReported
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	fmt.Fprintf(stdout, "facet import: %s, %s, %s into %s\n", count(res.Spaces, "space"), count(res.Pages, "page"),
		count(res.Attachments, "attachment"), *into)
	fmt.Fprintf(stdout, "restricted pages: %d (%d shown to fewer people than in Confluence); %s\n",
		res.Restricted, res.Inexact, count(len(res.Warnings), "warning"))
	switch {
	case !res.DomainsByDefault:
		fmt.Fprintf(stdout, "member domains (--domains): %s\n", strings.Join(res.Domains, ", "))
	default:
		fmt.Fprintf(stdout, "member domains (by default, from the users' emails): %s", cmp.Or(strings.Join(res.Domains, ", "), "none"))
		if len(res.PublicDomains) > 0 {
			fmt.Fprintf(stdout, "; left out: %s (public mail providers: their users are guests)", strings.Join(res.PublicDomains, ", "))
		}
		fmt.Fprintln(stdout, "; give --domains to choose them")
	}
	fmt.Fprintf(stdout, "\nNext: read %s/import-report.md and the TODOs of %s/config/access.toml, then\n  facet build --site %s\n", *into, *into, *into)
	return nil
}
