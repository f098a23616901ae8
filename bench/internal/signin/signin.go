// Package signin lets the benchmark programs sign people in the way a
// browser does: it runs the in-process OpenID provider (internal/idptest)
// outside a test and walks the authorization code flow through the
// gateway and the provider's login form.
package signin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/idptest"
)

// Provider is an in-process OpenID provider started outside a test.
type Provider struct {
	*idptest.Provider
	tb *programTB
}

// Start starts an idptest provider for the client c with users. Close
// stops it.
func Start(c idptest.Client, users []idptest.User, o idptest.Options) (*Provider, error) {
	tb := &programTB{}
	ch := make(chan *idptest.Provider, 1)
	go func() {
		defer close(ch)
		ch <- idptest.New(tb, c, users, o)
	}()
	p, ok := <-ch
	if !ok {
		tb.cleanup()
		tb.mu.Lock()
		defer tb.mu.Unlock()
		return nil, tb.err
	}
	return &Provider{Provider: p, tb: tb}, nil
}

// Close stops the provider.
func (p *Provider) Close() { p.tb.cleanup() }

// SignIn walks the code flow against the gateway at public as a browser
// would, as user of the provider idp, and returns whom the gateway takes
// the person for and the Cookie header value of the session.
func SignIn(public string, idp *idptest.Provider, user idptest.User) (gateway.Whoami, string, error) {
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

// programTB lets idptest, which is written for tests, run inside a
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

// stop ends the calling goroutine, as testing.TB.Fatal does; Start runs
// idptest.New on a goroutine of its own for that.
func (p *programTB) stop() { runtime.Goexit() }

func (p *programTB) Cleanup(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cleanups = append(p.cleanups, f)
}

// cleanup runs the cleanups once, last registered first.
func (p *programTB) cleanup() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.cleanups) - 1; i >= 0; i-- {
		p.cleanups[i]()
	}
	p.cleanups = nil
}
