package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/facet-docs/facet/internal/accessdiff"
	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/gitsnap"
	"github.com/facet-docs/facet/internal/manifest"
)

// exitGate is the exit status of `facet diff --fail-on` when the change
// holds what it names: 2, apart from 1 for errors.
const exitGate = 2

// exitError ends the program with its code and no further message.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// runDiff is `facet diff`: the access consequences of a change. It
// compares the site in the working tree with its copy at a git ref
// (--base, default the merge base of HEAD with the default branch), or the
// rules of two built outputs (--base-out OLD --out NEW). For every page
// whose audience changed it lists who gains and who loses it, with the
// deciding rule (file:line) of the new version; new and removed pages;
// pages newly visible to anonymous visitors; guests gaining pages.
//
// --format text|markdown|json (json: accessdiff.Report, schema in
// docs/CONTRACT.md). --fail-on anonymous|guest|any exits 2 when the change
// makes a page visible to anonymous visitors, gives a guest (or anonymous)
// a page, or changes any audience. Exit 1 on errors: the site does not
// load, not a git repository, an unknown ref.
func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("diff", "[--site DIR] [--base REF | --base-out OLD --out NEW] [--format text|markdown|json] [--fail-on anonymous|guest|any]", args, stdout, stderr)
	site := fs.String("site", ".", "the site `folder` (in a git repository)")
	base := fs.String("base", "", "the git `ref` to compare with (default: the merge base of HEAD with the default branch)")
	baseOut := fs.String("base-out", "", "compare two built outputs instead: the old output `folder`")
	out := fs.String("out", "", "with --base-out: the new output `folder` (default SITE/public)")
	format := fs.String("format", "text", "the output `format`: text, markdown or json")
	failOn := fs.String("fail-on", "", "exit 2 when the change holds `what`: anonymous, guest or any")
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "facet diff: unexpected argument %q\n", fs.Arg(0))
		return errReported
	}
	switch *failOn {
	case "", accessdiff.FailAnonymous, accessdiff.FailGuest, accessdiff.FailAny:
	default:
		fmt.Fprintf(stderr, "facet diff: --fail-on %q: want anonymous, guest or any\n", *failOn)
		return errReported
	}
	write, ok := map[string]func(*accessdiff.Report, io.Writer) error{
		"text": (*accessdiff.Report).WriteText, "markdown": (*accessdiff.Report).WriteMarkdown, "json": (*accessdiff.Report).WriteJSON,
	}[*format]
	if !ok {
		fmt.Fprintf(stderr, "facet diff: --format %q: want text, markdown or json\n", *format)
		return errReported
	}
	var oldSide, newSide accessdiff.Side
	var err error
	if *baseOut != "" {
		oldSide, newSide, err = outputSides(*baseOut, orDefault(*out, *site+"/public"))
	} else {
		oldSide, newSide, err = gitSides(ctx, *site, *base, stderr)
	}
	if err != nil {
		if errors.Is(err, errReported) {
			return err
		}
		fmt.Fprintln(stderr, "facet diff:", err)
		return errReported
	}
	r := accessdiff.Compare(oldSide, newSide, time.Now())
	if err := write(r, stdout); err != nil {
		return err
	}
	if r.Fails(*failOn) {
		return exitError{exitGate}
	}
	return nil
}

// gitSides loads the site in the working tree and its copy at ref (the
// default base when ref is "").
func gitSides(ctx context.Context, site, ref string, stderr io.Writer) (accessdiff.Side, accessdiff.Side, error) {
	var none accessdiff.Side
	label := ref
	var commit string
	var err error
	if ref == "" {
		commit, err = gitsnap.DefaultBase(ctx, site)
		label = "merge base"
	} else {
		commit, err = gitsnap.Resolve(ctx, site, ref)
	}
	if errors.Is(err, gitsnap.ErrNotRepository) {
		return none, none, fmt.Errorf("%s is not in a git repository (compare two outputs with --base-out OLD --out NEW)", site)
	}
	if err != nil {
		return none, none, err
	}
	tmp, err := os.MkdirTemp("", "facet-diff-")
	if err != nil {
		return none, none, err
	}
	defer os.RemoveAll(tmp)
	if err := gitsnap.Export(ctx, site, commit, tmp); err != nil {
		return none, none, err
	}
	old, err := build.Load(ctx, tmp)
	if err != nil {
		fmt.Fprintf(stderr, "facet diff: the site at %s does not load:\n", label)
		printErrors(stderr, err)
		return none, none, errReported
	}
	cur, err := build.Load(ctx, site)
	if err != nil {
		return none, none, loadFailed(stderr, "facet diff", err)
	}
	return accessdiff.FromSite(label, old), accessdiff.FromSite("working tree", cur), nil
}

// outputSides reads the rules two built outputs published.
func outputSides(oldDir, newDir string) (accessdiff.Side, accessdiff.Side, error) {
	var none accessdiff.Side
	_, oldRules, err := manifest.Read(oldDir)
	if err != nil {
		return none, none, fmt.Errorf("read %s: %w", oldDir, err)
	}
	_, newRules, err := manifest.Read(newDir)
	if err != nil {
		return none, none, fmt.Errorf("read %s: %w", newDir, err)
	}
	return accessdiff.FromRules(oldDir, oldRules), accessdiff.FromRules(newDir, newRules), nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
