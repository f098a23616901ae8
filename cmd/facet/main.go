// Command facet publishes markdown documentation that different people may
// see differently: `facet build` writes one static site per audience and
// `facet gateway` serves each signed-in person the build they may see.
//
// main only calls run, which parses the subcommand and wires packages; each
// subcommand lives in its own file.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var exit exitError
		if errors.As(err, &exit) {
			os.Exit(exit.code)
		}
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "facet:", err)
		}
		os.Exit(1)
	}
}

// errReported means the command already printed its errors.
var errReported = errors.New("errors reported")

const usage = `facet publishes markdown documentation that different people may see differently.

Usage:
  facet init    [DIR]                                   write a small working site to start from
  facet build   [--site DIR] [--out DIR] [--no-verify] [--quiet]
                                                        build one static site per audience
  facet serve   [--site DIR] [--listen 127.0.0.1:1313] [--out DIR]
                                                        author preview: rebuild on save, live reload, view as any audience
  facet gateway [--site DIR] [--out DIR | --from s3://BUCKET/PREFIX] [--listen ADDR] [--public-url URL]
                                                        serve each signed-in person their build
  facet publish --to s3://BUCKET/PREFIX [--out DIR] [--dry-run]
                                                        upload the built output to an object store, one generation
  facet explain [PAGE] --as EMAIL|anonymous [--groups a,b] [--site DIR]
                                                        may this person see this page, and which rule decided;
                                                        without PAGE, every page they see and why
  facet audit   [--site DIR] [--format text|html|json] [--ledger FILE]
                                                        who sees what and why: audiences x spaces, guests, groups
  facet check   [--site DIR] [--strict]                 lint: site errors, broken links, pages nobody sees, expired guests
  facet diff    [--base REF] [--format text|markdown|json] [--fail-on anonymous|guest|any]
                                                        who gains and loses which page in a change, and the rule that decided
  facet import  confluence EXPORT.zip --into DIR        a Confluence space export (XML) as a new site, permissions mapped
  facet version                                         print the version (also --version)

Run 'facet COMMAND --help' for a command's flags.
`

// run is the whole program: it returns an error instead of exiting.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errReported
	}
	switch args[0] {
	case "build":
		return runBuild(ctx, args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "gateway":
		return runGateway(ctx, args[1:], stdout, stderr)
	case "explain":
		return runExplain(ctx, args[1:], stdout, stderr)
	case "audit":
		return runAudit(ctx, args[1:], stdout, stderr)
	case "check":
		return runCheck(ctx, args[1:], stdout, stderr)
	case "publish":
		return runPublish(ctx, args[1:], stdout, stderr)
	case "diff":
		return runDiff(ctx, args[1:], stdout, stderr)
	case "init":
		return runInit(ctx, args[1:], stdout, stderr)
	case "import":
		return runImport(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version", "-v":
		fmt.Fprintln(stdout, "facet", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	if s := suggest(args[0]); s != "" {
		fmt.Fprintf(stderr, "facet: unknown command %q; did you mean %q?\n\nRun 'facet help' for the commands.\n", args[0], s)
		return errReported
	}
	fmt.Fprintf(stderr, "facet: unknown command %q\n\n%s", args[0], usage)
	return errReported
}
