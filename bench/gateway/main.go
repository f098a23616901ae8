// Command gateway is the helper of bench/gateway.sh, the benchmark of
// `facet gateway` against a plain net/http file server and nginx serving
// the same build folder.
//
//	go run ./bench/gateway -mint -site DIR -out DIR [-email E] [-groups a,b]
//	go run ./bench/gateway -plain DIR -listen 127.0.0.1:PORT
//	go run ./bench/gateway -memory FILE [-headers FILE] -listen 127.0.0.1:PORT
//	go run ./bench/gateway -ports N
//	go run ./bench/gateway -report -page-bytes N wrk-output...
//
// -mint signs a member in the way a browser does and prints the session
// cookie: it starts an in-process OpenID provider (internal/idptest) with
// one user, runs the gateway in-process with the site's
// config/gateway.toml (its issuer replaced by the provider's) on the
// configured listen address, walks the code flow through the provider's
// login form and prints, as shell assignments, ISSUER (to write into
// gateway.toml, so that the `facet gateway` binary seals and opens
// cookies with the same key), COOKIE (the Cookie header value), and the
// KIND and BUILD the gateway serves that session. The provider and the
// in-process gateway stop before it exits, freeing the address for the
// binary; the binary never needs the provider, since a request with a
// valid session involves no provider.
//
// -plain serves DIR with http.FileServer and no auth: the floor the
// gateway is held to. -memory answers every request with FILE's bytes from
// memory and nothing else: the most any net/http server can do, so the
// gap between it and nginx is net/http's, not the gateway's. With
// -headers it also sends the response headers listed in that file (as
// `curl -D` writes them; the status line, Date and Content-Length are
// skipped): the gateway's own answer replayed from memory, which tells the
// cost of the headers it must send from the cost of its own work. -ports prints N free loopback ports. -report reads
// wrk outputs named SERVER-RUN.txt and prints the median requests/s and
// p99 latency per server, the ratios gateway/plain and gateway/nginx and
// whether the targets are met.
//
// It owns no part of facet: it only drives the gateway, the provider and
// wrk's output.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench/gateway:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench/gateway", flag.ContinueOnError)
	fs.SetOutput(stderr)
	doMint := fs.Bool("mint", false, "sign a member in and print the session cookie")
	site := fs.String("site", "", "with -mint: the site `folder` holding config/gateway.toml")
	out := fs.String("out", "", "with -mint: the build output `folder`")
	email := fs.String("email", "bench@example.com", "with -mint: the member's `email`")
	groups := fs.String("groups", "eng,ops", "with -mint: the member's `groups`, comma separated")
	plain := fs.String("plain", "", "serve `folder` with net/http's file server")
	memory := fs.String("memory", "", "answer every request with `file`'s bytes from memory")
	headers := fs.String("headers", "", "with -memory: also send the response headers in `file`")
	listen := fs.String("listen", "127.0.0.1:8081", "with -plain or -memory: the `address` to listen on")
	ports := fs.Int("ports", 0, "print `n` free loopback ports")
	doReport := fs.Bool("report", false, "summarize wrk outputs named SERVER-RUN.txt")
	pageBytes := fs.Int64("page-bytes", 0, "with -report: the page's size; runs reading less per request fail")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *doMint:
		if *site == "" || *out == "" {
			return errors.New("-mint needs -site and -out")
		}
		return mint(*site, *out, *email, splitList(*groups), stdout)
	case *plain != "":
		return servePlain(*plain, *listen, stderr)
	case *memory != "":
		return serveMemory(*memory, *headers, *listen, stderr)
	case *ports > 0:
		return freePorts(*ports, stdout)
	case *doReport:
		return report(fs.Args(), *pageBytes, stdout)
	}
	fs.Usage()
	return errors.New("choose one of -mint, -plain, -memory, -ports, -report")
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// servePlain serves dir with net/http's file server, as a Go program
// without any auth would.
func servePlain(dir, addr string, stderr io.Writer) error {
	if !isLoopback(addr) {
		return fmt.Errorf("-listen %s: only loopback addresses", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "plain file server: %s on http://%s\n", dir, ln.Addr())
	return http.Serve(ln, http.FileServer(http.Dir(dir)))
}

// serveMemory answers every request with file's bytes, read once.
func serveMemory(file, headerFile, addr string, stderr io.Writer) error {
	if !isLoopback(addr) {
		return fmt.Errorf("-listen %s: only loopback addresses", addr)
	}
	h, err := memoryHandler(file, headerFile)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "memory server: %s on http://%s\n", file, ln.Addr())
	return http.Serve(ln, h)
}

// memoryHandler writes body with its length and an HTML content type,
// whatever the request, and the headers of headerFile when it is not "".
func memoryHandler(file, headerFile string) (http.Handler, error) {
	body, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	extra := http.Header{}
	if headerFile != "" {
		if extra, err = readHeaders(headerFile); err != nil {
			return nil, err
		}
	}
	length := []string{strconv.Itoa(len(body))}
	ctype := []string{"text/html; charset=utf-8"}
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		for k, v := range extra {
			h[k] = v
		}
		h["Content-Type"], h["Content-Length"] = ctype, length
		_, _ = w.Write(body)
	}), nil
}

// readHeaders reads "Name: value" lines as `curl -D` writes them, skipping
// the status line and the headers net/http writes itself.
func readHeaders(file string) (http.Header, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	for line := range strings.Lines(string(b)) {
		name, value, ok := strings.Cut(strings.TrimRight(line, "\r\n"), ":")
		if !ok || strings.HasPrefix(name, "HTTP/") {
			continue
		}
		switch k := http.CanonicalHeaderKey(strings.TrimSpace(name)); k {
		case "Date", "Content-Length", "Content-Type":
		default:
			h.Add(k, strings.TrimSpace(value))
		}
	}
	if len(h) == 0 {
		return nil, fmt.Errorf("%s: no headers", file)
	}
	return h, nil
}

// isLoopback reports whether host:port names a loopback address.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// freePorts prints n loopback ports free right now, one a line.
func freePorts(n int, w io.Writer) error {
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		lns = append(lns, ln)
		fmt.Fprintln(w, ln.Addr().(*net.TCPAddr).Port)
	}
	return nil
}
