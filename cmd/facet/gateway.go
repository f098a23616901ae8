package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/config"
)

func runGateway(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("gateway", "[--site DIR] [--out DIR] [--listen ADDR] [--public-url URL]", args, stdout, stderr)
	site := fs.String("site", ".", "the site `folder` (reads config/gateway.toml)")
	out := fs.String("out", "", "the build output `folder` (default SITE/public)")
	listen := fs.String("listen", "", "listen `address`, overrides config/gateway.toml")
	publicURL := fs.String("public-url", "", "public `URL`, overrides config/gateway.toml")
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "facet gateway: unexpected argument %q\n", fs.Arg(0))
		return errReported
	}
	if *out == "" {
		*out = filepath.Join(*site, "public")
	}
	cfg, err := config.LoadGateway(os.DirFS(*site), os.Getenv, func(g *config.Gateway) {
		if *listen != "" {
			g.Listen = *listen
		}
		if *publicURL != "" {
			g.PublicURL = *publicURL
		}
	})
	if err != nil {
		printErrors(stderr, err)
		return errReported
	}
	if cfg.Ledger != "" && !filepath.IsAbs(cfg.Ledger) {
		cfg.Ledger = filepath.Join(*site, cfg.Ledger)
	}
	if os.Getenv("GOGC") == "" {
		// The gateway's live heap is small and steady (its file cache is
		// bounded): collecting less often costs little memory and keeps
		// collection pauses out of the tail latency.
		debug.SetGCPercent(400)
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	srv, err := gateway.New(cfg, *out, gateway.WithLogger(log))
	if err != nil {
		fmt.Fprintln(stderr, "facet gateway:", err)
		return errReported
	}
	fmt.Fprintf(stdout, "facet gateway: serving %s on http://%s (public URL %s)\n", *out, cfg.Listen, cfg.PublicURL)
	return srv.Run(ctx)
}
