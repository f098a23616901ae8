package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/build"
	"github.com/facet-docs/facet/internal/preview"
	"github.com/facet-docs/facet/internal/watch"
)

// siteInputs are the top-level folders of a site that a build reads; serve
// watches only these.
var siteInputs = map[string]bool{"config": true, "content": true, "themes": true}

// runServe is the author preview. It keeps running when a build fails,
// the first one included: pages then show the errors (or, once a build
// succeeded, the last good build with the errors in an overlay) until a
// saved fix builds.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("serve", "[--site DIR] [--listen 127.0.0.1:1313] [--out DIR] [--no-token]", args, stdout, stderr)
	site := fs.String("site", ".", "the site `folder`")
	listen := fs.String("listen", "127.0.0.1:1313", "the `address` to listen on")
	out := fs.String("out", "", "the output `folder` (default a temporary folder, removed on exit)")
	hosts := fs.String("host", "", "extra host `names` to answer to, comma-separated (localhost and loopback addresses always; * for any)")
	noVerify := fs.Bool("no-verify", false, "skip the no-trace verification of every build")
	noToken := fs.Bool("no-token", false, "serve without the per-run token: anyone who reaches the address, other users of this machine included, views every audience")
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "facet serve: unexpected argument %q\n", fs.Arg(0))
		return errReported
	}
	if st, err := os.Stat(*site); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "facet serve: site folder %s not found\n", *site)
		return errReported
	}
	if *out == "" {
		tmp, err := os.MkdirTemp("", "facet-serve-")
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		defer os.RemoveAll(tmp)
		*out = filepath.Join(tmp, "public")
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close()
	token := ""
	if !*noToken {
		token = preview.NewToken()
	}
	switch {
	case *noToken && !loopback(ln.Addr()):
		fmt.Fprintf(stderr, "warning: facet serve listens on %s, beyond this machine, without a token: anyone who reaches it can view every audience's pages without signing in, and read error messages that name hidden pages; its Host check stops DNS rebinding, not people (drop --no-token, or use the default 127.0.0.1)\n", ln.Addr())
	case *noToken:
		fmt.Fprintln(stderr, "warning: facet serve runs without a token (--no-token): every user of this machine can view every audience's pages")
	case !loopback(ln.Addr()):
		fmt.Fprintf(stderr, "warning: facet serve listens on %s, beyond this machine: whoever has the printed address, token included, views every audience's pages; the connection is not encrypted, so use a network you trust\n", ln.Addr())
	}
	p := preview.New(preview.Options{
		Site: *site, Out: *out, NoVerify: *noVerify, Hosts: serveHosts(*listen, *hosts), Token: token,
		Warn: func(err error) { fmt.Fprintln(stderr, "warning:", err) },
	})
	defer p.Close()
	first := rebuild(ctx, p, nil, stdout, stderr)

	w, err := watch.New(*site, serveIgnore(*site, *out), watch.DefaultDelay)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer w.Close()
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String() + "/"
	open := url
	if token != "" {
		open += "?" + preview.TokenParam + "=" + token
	}
	fmt.Fprintf(stdout, "facet serve: %s (view as: %s_facet/), building into %s; Ctrl+C to stop\n", open, url, *out)
	err = serveLoop(ctx, p, w, served, first, stdout, stderr)
	p.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	return err
}

// serveLoop rebuilds on every batch of changes until ctx is done (nil) or
// the server or watcher stops (an error), and when a guest's access
// expires (the NextChange of the last rebuild that published, last).
func serveLoop(ctx context.Context, p *preview.Server, w *watch.Watcher, served <-chan error, last *build.Result, stdout, stderr io.Writer) error {
	var timer *time.Timer
	var expired <-chan time.Time
	arm := func(res *build.Result) {
		if res == nil {
			return // a failed rebuild: the last published output stands
		}
		if timer != nil {
			timer.Stop()
			timer, expired = nil, nil
		}
		if !res.NextChange.IsZero() {
			timer = time.NewTimer(time.Until(res.NextChange))
			expired = timer.C
		}
	}
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	arm(last)
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-served:
			return fmt.Errorf("serve: %w", err)
		case err := <-w.Errors():
			fmt.Fprintln(stderr, "warning:", err)
		case changed, ok := <-w.Events():
			if !ok {
				return errors.New("serve: watcher stopped")
			}
			arm(rebuild(ctx, p, changed, stdout, stderr))
		case <-expired:
			timer, expired = nil, nil
			fmt.Fprintln(stdout, "facet serve: a guest's access expired; rebuilding")
			arm(rebuild(ctx, p, nil, stdout, stderr))
		}
	}
}

// rebuild builds the site and prints the outcome; the result is nil when
// the build failed.
func rebuild(ctx context.Context, p *preview.Server, changed []string, stdout, stderr io.Writer) *build.Result {
	res, err := p.Rebuild(ctx, changed)
	what := "built"
	if len(changed) > 0 {
		what = "rebuilt after changes to " + strings.Join(changed, ", ")
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		printErrors(stderr, err)
		fmt.Fprintln(stderr, "facet serve: build failed; showing the errors until a fix builds")
		return nil
	}
	builds := count(len(res.Builds), "build")
	if res.Reused > 0 {
		builds += fmt.Sprintf(" (%d unchanged, read back)", res.Reused)
	}
	fmt.Fprintf(stdout, "facet serve: %s: %s, %s, %s in %s\n",
		what, count(res.Pages, "page"), count(res.Audiences, "audience"), builds, res.Duration.Round(time.Millisecond))
	return res
}

// serveIgnore drops everything a build does not read: the output folder
// and any top-level entry other than config/, content/ and themes/.
func serveIgnore(site, out string) func(string) bool {
	outRel := ""
	if as, err := filepath.Abs(site); err == nil {
		if ao, err := filepath.Abs(out); err == nil {
			if r, err := filepath.Rel(as, ao); err == nil && !strings.HasPrefix(r, "..") {
				outRel = filepath.ToSlash(r)
			}
		}
	}
	return func(rel string) bool {
		if outRel != "" && (rel == outRel || strings.HasPrefix(rel, outRel+"/")) {
			return true
		}
		top, _, _ := strings.Cut(rel, "/")
		return !siteInputs[top]
	}
}

// loopback reports whether addr is a loopback address (127.0.0.0/8, ::1).
func loopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// serveHosts is the Host names the preview answers to besides loopback:
// the --host list and a listen address that names a specific host.
func serveHosts(listen, extra string) []string {
	var hosts []string
	for _, h := range strings.Split(extra, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	if h, _, err := net.SplitHostPort(listen); err == nil && h != "" {
		if ip := net.ParseIP(h); ip == nil || !ip.IsUnspecified() {
			hosts = append(hosts, h)
		}
	}
	return hosts
}
