package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
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
func suggest(s string) string {
	best, bestD := "", 3
	for _, c := range commands {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// count writes "1 page" or "2 pages".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
