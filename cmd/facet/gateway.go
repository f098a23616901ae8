package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/place"
)

func runGateway(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("gateway", "[--site DIR] [--out DIR | --from s3://BUCKET/PREFIX [--cache DIR]] [--listen ADDR] [--public-url URL]", args, stdout, stderr)
	site := fs.String("site", ".", "the site `folder` (reads config/gateway.toml)")
	out := fs.String("out", "", "the build output `folder` (default SITE/public)")
	listen := fs.String("listen", "", "listen `address`, overrides config/gateway.toml")
	publicURL := fs.String("public-url", "", "public `URL`, overrides config/gateway.toml")
	from := fs.String("from", "", "serve what facet publish wrote to this object store `location` (s3://BUCKET/PREFIX) instead of --out")
	cache := fs.String("cache", "", "the `folder` caching the store's objects (default the user cache folder's facet/objects)")
	cacheMB := fs.Int64("cache-mb", gateway.DefaultDiskCacheBytes>>20, "bound of the objects cached on disk, in `MB`")
	replica := fs.String("replica", "", "this replica's `name` for its wanted file in the store (default the host name)")
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
	published := place.Published(*site)
	if *from == "" {
		published = append(published, *out)
	}
	if dir := place.Within(cfg.Ledger, published...); dir != "" {
		fmt.Fprintf(stderr, "%s: ledger: %s lies in %s, which facet build publishes or serves: the ledger holds every signed-in address; keep it elsewhere\n", config.GatewayFile, cfg.Ledger, dir)
		return errReported
	}
	if dir := place.Within(*cache, published...); *from != "" && dir != "" {
		fmt.Fprintf(stderr, "facet gateway: --cache %s lies in %s, which facet build publishes: the cache holds the files of every build; keep it elsewhere\n", *cache, dir)
		return errReported
	}
	if os.Getenv("GOGC") == "" {
		// The gateway's live heap is small and steady (its file cache is
		// bounded): collecting less often costs little memory and keeps
		// collection pauses out of the tail latency.
		debug.SetGCPercent(400)
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	var srv *gateway.Server
	if *from != "" {
		srv, err = newStoreGateway(cfg, *site, *from, gateway.StoreCache{Dir: *cache, Bytes: *cacheMB << 20, Replica: *replica}, log)
		*out = *from
	} else {
		srv, err = gateway.New(cfg, *out, gateway.WithLogger(log))
	}
	if err != nil {
		fmt.Fprintln(stderr, "facet gateway:", err)
		return errReported
	}
	fmt.Fprintf(stdout, "facet gateway: serving %s on http://%s (public URL %s)\n", *out, cfg.Listen, cfg.PublicURL)
	return srv.Run(ctx)
}

// newStoreGateway opens the store at from (settings as facet publish
// reads them) and a gateway serving it through the cache.
func newStoreGateway(cfg *config.Gateway, site, from string, cache gateway.StoreCache, log *slog.Logger) (*gateway.Server, error) {
	st, err := openStore(site, from)
	if err != nil {
		return nil, err
	}
	if cache.Dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		cache.Dir = filepath.Join(base, "facet", "objects")
	}
	if cache.Replica == "" {
		cache.Replica = replicaName()
	}
	return gateway.NewFromStore(cfg, st, cache, gateway.WithLogger(log))
}

// replicaName is the host name (a Kubernetes pod's name) reduced to the
// characters a store key takes, "" when there is none.
func replicaName() string {
	h, err := os.Hostname()
	if err != nil {
		return ""
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '-'
	}, strings.Trim(h, ".-"))
}
