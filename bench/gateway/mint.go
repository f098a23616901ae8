package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/idptest"
)

// mintPassword is the benchmark user's password at the in-process provider.
const mintPassword = "bench-password"

// mint signs the member email (in groups) in through a real code flow and
// prints ISSUER, COOKIE, KIND and BUILD as shell assignments.
func mint(site, out, email string, groups []string, w io.Writer) error {
	tb := &programTB{}
	defer tb.cleanup()
	// The provider is not started yet: any issuer passes validation, and
	// it is replaced by the provider's below.
	cfg, err := config.LoadGateway(os.DirFS(site), os.Getenv, func(g *config.Gateway) {
		g.Issuer = "http://127.0.0.1:1"
	})
	if err != nil {
		return err
	}
	if !isLoopback(cfg.Listen) {
		return fmt.Errorf("listen %s: the benchmark runs on loopback only", cfg.Listen)
	}
	user := idptest.User{Username: "bench", Password: mintPassword, Email: email, EmailVerified: true, Groups: groups}
	idp, err := newProvider(tb, idptest.Client{
		ID: cfg.ClientID, Secret: cfg.ClientSecret,
		RedirectURIs:           []string{cfg.CallbackURL()},
		PostLogoutRedirectURIs: []string{cfg.PublicURL + "/"},
	}, []idptest.User{user}, idptest.Options{GroupsClaim: cfg.GroupsClaim})
	if err != nil {
		return err
	}
	cfg.Issuer = idp.Issuer()

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := gateway.New(cfg, out, gateway.WithLogger(log))
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on the gateway's address: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	who, cookie, err := signIn(cfg.PublicURL, idp, user)
	cancel()
	if serr := <-done; err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "ISSUER=%s\nCOOKIE=%s\nKIND=%s\nBUILD=%s\n",
		shellQuote(cfg.Issuer), shellQuote(cookie), shellQuote(who.Kind), shellQuote(who.Build))
	return nil
}

// signIn walks the code flow against the gateway at public as a browser
// would and returns whom the gateway takes the person for and the Cookie
// header value of the session.
func signIn(public string, idp *idptest.Provider, user idptest.User) (gateway.Whoami, string, error) {
	var who gateway.Whoami
	jar, err := cookiejar.New(nil)
	if err != nil {
		return who, "", err
	}
	c := &http.Client{Jar: jar, Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(public + gateway.LoginPath + "?rd=/")
	if err != nil {
		return who, "", err
	}
	resp.Body.Close()
	authorize, err := resp.Location()
	if err != nil {
		return who, "", fmt.Errorf("sign-in: status %d, no redirect to the provider", resp.StatusCode)
	}
	callback, err := idp.Login(c, authorize.String(), user.Username, user.Password)
	if err != nil {
		return who, "", err
	}
	if resp, err = c.Get(callback.String()); err != nil {
		return who, "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return who, "", fmt.Errorf("callback: status %d", resp.StatusCode)
	}
	if resp, err = c.Get(public + gateway.WhoamiPath); err != nil {
		return who, "", err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&who); err != nil {
		return who, "", fmt.Errorf("whoami: %w", err)
	}
	if who.Kind != "member" {
		return who, "", fmt.Errorf("signed in as %s, not a member: is %s in a member domain?", who.Kind, user.Email)
	}
	u, err := url.Parse(public + "/")
	if err != nil {
		return who, "", err
	}
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	if len(parts) == 0 {
		return who, "", fmt.Errorf("no session cookie after sign-in")
	}
	return who, strings.Join(parts, "; "), nil
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// programTB lets idptest, which is written for tests, run inside this
// program: a setup failure is kept as an error and stops the caller, and
// cleanups run when the program is done with the provider. idptest.New
// calls only Helper, Fatal, Fatalf and Cleanup; any other method would hit
// the nil embedded interface.
type programTB struct {
	testing.TB
	mu       sync.Mutex
	err      error
	cleanups []func()
}

// newProvider starts an idptest provider with tb, returning the setup
// failure as an error.
func newProvider(tb *programTB, c idptest.Client, users []idptest.User, o idptest.Options) (*idptest.Provider, error) {
	ch := make(chan *idptest.Provider, 1)
	go func() {
		defer close(ch)
		ch <- idptest.New(tb, c, users, o)
	}()
	p, ok := <-ch
	if !ok {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		return nil, tb.err
	}
	return p, nil
}

func (p *programTB) Helper() {}

func (p *programTB) Fatal(args ...any) {
	p.mu.Lock()
	p.err = fmt.Errorf("provider: %s", fmt.Sprint(args...))
	p.mu.Unlock()
	p.stop()
}

func (p *programTB) Fatalf(format string, args ...any) {
	p.mu.Lock()
	p.err = fmt.Errorf("provider: "+format, args...)
	p.mu.Unlock()
	p.stop()
}

// stop ends the calling goroutine, as testing.TB.Fatal does; newProvider
// runs idptest.New on a goroutine of its own for that.
func (p *programTB) stop() { runtime.Goexit() }

func (p *programTB) Cleanup(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cleanups = append(p.cleanups, f)
}

func (p *programTB) cleanup() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.cleanups) - 1; i >= 0; i-- {
		p.cleanups[i]()
	}
}
