package main

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/facet-docs/facet/bench/internal/signin"
	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/idptest"
)

// rebuild is one rebuild published while the load ran.
type rebuild struct {
	rev        int
	gen        string
	at         time.Duration // since the load began
	took       time.Duration // facet build
	servedWait time.Duration // from the build's end until the gateway served it
	err        error
}

// result is what a soak found.
type result struct {
	t         *tally
	elapsed   time.Duration
	gen0      string
	rebuilds  []rebuild
	bracketed int64
	mixed     int64
	mem       memoryVerdict
	memErr    error
	samples   []sample
	healthy   bool
}

// env is the running soak: the site, the provider and the gateway process.
type env struct {
	s         settings
	site, out string
	public    string
	idp       *signin.Provider
	gw        *exec.Cmd
	big       []byte
}

const soakPassword = "soak-password"

var (
	memberUser = idptest.User{Username: "bob", Password: soakPassword, Email: memberEmail, EmailVerified: true,
		Groups: []string{"eng", "partners"}}
	guestUser = idptest.User{Username: "carol", Password: soakPassword, Email: guestEmail, EmailVerified: true}
)

// soak sets everything up, runs the load and tears down.
func soak(ctx context.Context, s settings, log io.Writer) (*result, error) {
	e := &env{s: s, site: filepath.Join(s.work, "site"), out: filepath.Join(s.work, "public"), big: bigFile()}
	defer e.close()
	gen0, err := e.start(log)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(log, "signing in a member and a guest...")
	memberCookie, err := e.signIn(memberUser, "member")
	if err != nil {
		return nil, err
	}
	guestCookie, err := e.signIn(guestUser, "guest")
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "load for %s (gateway pid %d)...\n", s.duration, e.gw.Process.Pid)
	r := e.load(ctx, map[string]string{"anonymous": "", "member": memberCookie, "guest": guestCookie})
	r.gen0 = gen0
	r.healthy = e.healthy()
	r.check()
	return r, nil
}

// start writes and builds revision 0, starts the provider and the gateway
// and waits until the gateway answers.
func (e *env) start(log io.Writer) (string, error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	e.public = "http://127.0.0.1:" + port
	toml := fmt.Sprintf("listen = \"127.0.0.1:%s\"\npublic_url = %q\nclient_id = \"facet-soak\"\n", port, e.public)
	if err := writeFile(filepath.Join(e.site, "config", "gateway.toml"), []byte(toml)); err != nil {
		return "", err
	}
	secrets := map[string]string{config.EnvCookieSecret: secret(), config.EnvClientSecret: secret()}
	cfg, err := config.LoadGateway(os.DirFS(e.site), func(k string) string { return secrets[k] },
		func(g *config.Gateway) { g.Issuer = "http://127.0.0.1:1" })
	if err != nil {
		return "", err
	}
	e.idp, err = signin.Start(idptest.Client{ID: cfg.ClientID, Secret: cfg.ClientSecret,
		RedirectURIs: []string{cfg.CallbackURL()}, PostLogoutRedirectURIs: []string{e.public + "/"}},
		[]idptest.User{memberUser, guestUser}, idptest.Options{GroupsClaim: cfg.GroupsClaim.Name})
	if err != nil {
		return "", err
	}
	toml += fmt.Sprintf("issuer = %q\n", e.idp.Issuer())
	if err := writeFile(filepath.Join(e.site, "config", "gateway.toml"), []byte(toml)); err != nil {
		return "", err
	}
	fmt.Fprintln(log, "building revision 0...")
	if err := writeSite(e.site, 0, e.big); err != nil {
		return "", err
	}
	gen, err := build(e.s.facet, e.site, e.out)
	if err != nil {
		return "", err
	}
	logf, err := os.Create(filepath.Join(e.s.work, "gateway.log"))
	if err != nil {
		return "", err
	}
	defer logf.Close()
	e.gw = exec.Command(e.s.facet, "gateway", "--site", e.site, "--out", e.out)
	e.gw.Stdout, e.gw.Stderr = logf, logf
	e.gw.Env = append(os.Environ(), config.EnvCookieSecret+"="+secrets[config.EnvCookieSecret],
		config.EnvClientSecret+"="+secrets[config.EnvClientSecret])
	if err := e.gw.Start(); err != nil {
		return "", fmt.Errorf("start the gateway: %w", err)
	}
	for range 100 {
		if e.healthy() {
			return gen, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", fmt.Errorf("the gateway does not answer at %s (see %s)", e.public, logf.Name())
}

// healthy reports whether the gateway answers healthz with 200.
func (e *env) healthy() bool {
	resp, err := http.Get(e.public + gateway.HealthPath)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == 200
}

// signIn signs user in and checks the kind the gateway takes them for.
func (e *env) signIn(user idptest.User, kind string) (string, error) {
	who, cookie, err := signin.SignIn(e.public, e.idp.Provider, user)
	if err != nil {
		return "", fmt.Errorf("sign in %s: %w", user.Email, err)
	}
	if who.Kind != kind {
		return "", fmt.Errorf("%s signed in as %s, want %s", user.Email, who.Kind, kind)
	}
	return cookie, nil
}

// close stops the gateway (SIGTERM, then kill) and the provider.
func (e *env) close() {
	if e.gw != nil && e.gw.Process != nil {
		_ = e.gw.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = e.gw.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = e.gw.Process.Kill()
			<-done
		}
	}
	if e.idp != nil {
		e.idp.Close()
	}
}

// load runs every kind of client, the rebuilds and the memory sampler
// for the duration.
func (e *env) load(parent context.Context, cookies map[string]string) *result {
	ctx, cancel := context.WithTimeout(parent, e.s.duration)
	defer cancel()
	start := time.Now()
	r := &result{t: newTally()}
	smp := &sampler{pid: e.gw.Process.Pid}
	var pages atomic.Pointer[[]page]
	ps := sitePages(0)
	pages.Store(&ps)
	fast := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	slow := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	newClient := func(kind string, hc *http.Client) *client {
		return &client{kind: kind, cookie: cookies[kind], base: e.public, hc: hc, t: r.t}
	}
	var wg sync.WaitGroup
	spawn := func(n int, f func(rng *rand.Rand, i int)) {
		for i := range n {
			wg.Go(func() { f(rand.New(rand.NewPCG(uint64(i), uint64(time.Now().UnixNano()))), i) })
		}
	}
	for _, kind := range []string{"anonymous", "member", "guest"} {
		spawn(e.s.clients, func(rng *rand.Rand, _ int) {
			c := newClient(kind, fast)
			for ctx.Err() == nil {
				c.round(ctx, rng, func() []page { return *pages.Load() }, 10)
			}
		})
	}
	spawn(e.s.clients, func(_ *rand.Rand, i int) {
		cs := []*client{newClient("anonymous", fast), newClient("member", fast), newClient("guest", fast)}
		for n := i; ctx.Err() == nil; n++ {
			cs[n%len(cs)].missing(ctx)
		}
	})
	spawn(e.s.clients, func(_ *rand.Rand, _ int) {
		c := newClient("member", slow)
		for ctx.Err() == nil {
			c.trickle(ctx, e.big, 256<<10)
		}
	})
	spawn(2*e.s.clients, func(_ *rand.Rand, _ int) {
		c := newClient("member", slow)
		for ctx.Err() == nil {
			c.stall(ctx, 150*time.Second)
		}
	})
	wg.Go(func() { smp.run(ctx, start, 2*time.Second) })
	wg.Go(func() { r.rebuilds = e.rebuilds(ctx, start, &pages) })
	wg.Wait()
	r.elapsed = time.Since(start)
	r.samples = smp.all()
	r.mem, r.memErr = judgeMemory(r.samples, e.s.warmup, e.s.maxGrowth, e.s.maxRSS)
	if err := writeSamples(filepath.Join(e.s.work, "rss.tsv"), r.samples); err != nil && r.memErr == nil {
		r.memErr = err
	}
	return r
}

// rebuilds publishes revisions 1 and 2 at a third and two thirds of the
// run, each as soon as the previous is served.
func (e *env) rebuilds(ctx context.Context, start time.Time, pages *atomic.Pointer[[]page]) []rebuild {
	var out []rebuild
	for rev := 1; rev <= 2; rev++ {
		select {
		case <-ctx.Done():
			return out
		case <-time.After(time.Until(start.Add(e.s.duration * time.Duration(rev) / 3))):
		}
		rb := rebuild{rev: rev, at: time.Since(start)}
		t0 := time.Now()
		if rb.err = writeSite(e.site, rev, e.big); rb.err == nil {
			rb.gen, rb.err = build(e.s.facet, e.site, e.out)
		}
		rb.took = time.Since(t0)
		if rb.err == nil {
			rb.servedWait, rb.err = e.waitServed(ctx, rb.gen)
		}
		if rb.err == nil {
			ps := sitePages(rev)
			pages.Store(&ps)
		}
		out = append(out, rb)
		if rb.err != nil {
			return out
		}
	}
	return out
}

// waitServed waits until whoami names generation gen.
func (e *env) waitServed(ctx context.Context, gen string) (time.Duration, error) {
	t0 := time.Now()
	c := &client{kind: "anonymous", base: e.public, hc: &http.Client{Timeout: 10 * time.Second}, t: newTally()}
	for time.Since(t0) < 30*time.Second {
		if g, ok := c.whoami(ctx); ok && g == gen {
			return time.Since(t0), nil
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		time.Sleep(50 * time.Millisecond)
	}
	return 0, fmt.Errorf("generation %s not served 30 s after its build", gen)
}

// check counts the page responses whose revision is not the generation's
// that whoami said around them.
func (r *result) check() {
	revOf := map[string]int{r.gen0: 0}
	for _, rb := range r.rebuilds {
		if rb.err == nil {
			revOf[rb.gen] = rb.rev
		}
	}
	for b, n := range r.t.brackets {
		r.bracketed += n
		before, ok1 := revOf[b.before]
		after, ok2 := revOf[b.after]
		if !ok1 || !ok2 || (b.rev != before && b.rev != after) || (b.before == b.after && b.rev != before) {
			r.mixed += n
		}
	}
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port), nil
}

func secret() string {
	b := make([]byte, 32)
	_, _ = crand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}
