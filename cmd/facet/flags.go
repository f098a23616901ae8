package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/diag"
)

// commandFlags returns the flag set of `facet NAME`, whose usage line is
// "usage: facet NAME SYNOPSIS" followed by the flags. Errors and their
// usage go to stderr; asked for with -h or --help, the usage goes to
// stdout and the command succeeds (see parseError).
func commandFlags(name, synopsis string, args []string, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("facet "+name, flag.ContinueOnError)
	out := stderr
	if wantsHelp(args) {
		out = stdout
	}
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "usage: facet %s %s\n", name, synopsis)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(out, "\nflags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// wantsHelp reports whether args ask for help before any "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help", "--h":
			return true
		}
	}
	return false
}

// parseError is what a command returns when its flags do not parse: success
// for -h/--help (the usage went to stdout), errReported otherwise (the flag
// package printed the problem and the usage).
func parseError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return exitError{0}
	}
	return errReported
}

// commands are facet's subcommands, for "did you mean".
var commands = []string{"init", "import", "build", "serve", "gateway", "publish", "explain", "audit", "check", "diff", "version", "help"}

// suggest returns the command closest to s (at most two edits away), or
// "" when none is.
func suggest(s string) string { return diag.Closest(s, commands) }

// count writes "1 page" or "2 pages".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// outFlag adds --out to a command that reports on builds: the output
// folder `facet build` writes (default SITE/public), whose wanted.json
// holds the group combinations the gateway recorded, which a build into
// it builds too. wantedFrom reads them into a loaded site.
func outFlag(fs *flag.FlagSet) *string {
	return fs.String("out", "", "the output `folder` facet build writes (default SITE/public): the group combinations the gateway recorded there are built too")
}

// wantedFrom makes s plan the combinations recorded in the output folder
// out, or SITE/public when out is "", as `facet build --out` does.
func wantedFrom(s *build.Site, site, out string) {
	if out == "" {
		out = filepath.Join(site, "public")
	}
	s.ReadWanted(out)
}
