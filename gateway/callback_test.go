package gateway

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// startFlow asks /auth/login as a client with no cookie jar and returns
// the flow cookie and the state it was issued for: what an anonymous
// script keeps to forge callbacks with.
func (e *testEnv) startFlow(t *testing.T) (*http.Cookie, string) {
	t.Helper()
	c := noFollow(&http.Client{Timeout: 10 * time.Second})
	resp, err := c.Get(e.srv.URL + LoginPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	for _, ck := range resp.Cookies() {
		if strings.HasPrefix(ck.Name, "facet_flow_") && ck.MaxAge > 0 {
			return ck, u.Query().Get("state")
		}
	}
	t.Fatal("login set no flow cookie")
	return nil, ""
}

// forgeCallback sends /auth/callback with a made-up code, the flow's state
// and its cookie, and returns the status.
func (e *testEnv) forgeCallback(t *testing.T, flow *http.Cookie, state, code string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+CallbackPath+"?code="+code+"&state="+url.QueryEscape(state), nil)
	req.AddCookie(flow)
	resp, err := noFollow(&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (iss *testIssuer) codeGrants() int {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	return iss.rt.codes
}

// A flow cookie is spent by its first callback, even when the browser
// (here a script) ignores the response that clears it: copies of it,
// sent one after another or at once, never reach the token endpoint again.
func TestCallbackFlowIsSpentByItsFirstUse(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	flow, state := e.startFlow(t)
	if got := e.forgeCallback(t, flow, state, "forged-0"); got != http.StatusBadGateway {
		t.Fatalf("first forged callback: %d, want the provider's refusal (502)", got)
	}
	for i := range 5 {
		if got := e.forgeCallback(t, flow, state, "forged-"+string(rune('1'+i))); got != http.StatusBadRequest {
			t.Errorf("replayed flow %d: %d, want 400", i, got)
		}
	}
	if n := e.iss.codeGrants(); n != 1 {
		t.Errorf("one flow cookie reached the token endpoint %d times, want 1", n)
	}

	// Copies sent at the same instant: only one passes.
	flow, state = e.startFlow(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { e.forgeCallback(t, flow, state, "forged-x") })
	}
	wg.Wait()
	if n := e.iss.codeGrants(); n != 2 {
		t.Errorf("8 concurrent copies of a second flow made %d code grants in all, want 2", n)
	}

	// A genuine sign-in still works (once the window of the failures from
	// this address has passed: they are rate-limited).
	e.clk.set(e.clk.now().Add(callbackWindow))
	c := e.browser(t)
	resp := e.signIn(t, c, person("bob@example.com", true, "eng"), "/eng/")
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("genuine sign-in after the replays: %d", resp.StatusCode)
	}
}

// Fresh flows are free to mint, so spending them is not enough: failed
// callbacks from one client address are limited, and past the limit the
// gateway answers 429 without asking the provider. Once the window has
// passed the address may try again.
func TestFailedCallbacksAreRateLimited(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	limited := 0
	for range 3 * maxCallbackFailures {
		flow, state := e.startFlow(t)
		if e.forgeCallback(t, flow, state, "forged-"+randomToken(4)) == http.StatusTooManyRequests {
			limited++
		}
	}
	if n := e.iss.codeGrants(); n > maxCallbackFailures {
		t.Errorf("%d forged callbacks from one address made %d code grants, want at most %d",
			3*maxCallbackFailures, n, maxCallbackFailures)
	}
	if limited == 0 {
		t.Error("no forged callback was answered 429")
	}
	e.clk.set(e.clk.now().Add(callbackWindow))
	before := e.iss.codeGrants()
	c := e.browser(t)
	resp := e.signIn(t, c, person("bob@example.com", true, "eng"), "/eng/")
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || e.iss.codeGrants() != before+1 {
		t.Errorf("sign-in after the window: %d, %d code grants", resp.StatusCode, e.iss.codeGrants()-before)
	}
}

// The addresses counted are bounded by bytes, whatever number of
// addresses fail; an IPv6 network counts as its /64.
func TestFailureLimiterIsBounded(t *testing.T) {
	t.Parallel()
	var l failureLimiter
	now := testNow
	for i := range 50_000 {
		l.fail(limitKey(netipFrom(i)), now)
		if l.bytes > failureTableBytes {
			t.Fatalf("after %d addresses the table holds %d bytes", i+1, l.bytes)
		}
	}
	if limitKey("2001:db8::1") != limitKey("2001:db8::ffff:1") {
		t.Error("two addresses of one /64 are limited apart")
	}
	if limitKey("::ffff:192.0.2.1") != "192.0.2.1" {
		t.Errorf("a mapped IPv4 address is limited as %q", limitKey("::ffff:192.0.2.1"))
	}
}

// When the table of used flows is full, every flow started until then is
// refused, never a copy of one let through.
func TestSpentFlowsFullRefusesEarlierFlows(t *testing.T) {
	t.Parallel()
	tab := revocations{limit: 3 * (43 + revocationEntryCost)}
	now := testNow
	iat, exp := now.Unix(), now.Add(flowLifetime).Unix()
	for i := range 3 {
		if fresh, _ := tab.spend(strings.Repeat(string(rune('a'+i)), 43), iat, exp, now); !fresh {
			t.Fatalf("flow %d refused", i)
		}
	}
	fresh, full := tab.spend(strings.Repeat("d", 43), iat, exp, now)
	if !fresh || !full {
		t.Fatalf("fourth flow: fresh %v full %v", fresh, full)
	}
	if fresh, _ := tab.spend(strings.Repeat("a", 43), iat, exp, now); fresh {
		t.Error("a used flow passed again after the table was emptied")
	}
	later := now.Add(time.Second)
	if fresh, _ := tab.spend(strings.Repeat("e", 43), later.Unix(), later.Add(flowLifetime).Unix(), later); !fresh {
		t.Error("a flow started after the table was emptied is refused")
	}
}

func netipFrom(i int) string {
	return "10." + itoa(i>>16&255) + "." + itoa(i>>8&255) + "." + itoa(i&255)
}

func itoa(i int) string { return strconv.Itoa(i) }

// A callback that fails before the provider's token endpoint is asked (no
// state, a state no flow cookie of this browser holds, a spent flow, a
// provider's error, no code) costs the provider nothing, and anyone can
// make a browser send one: a page elsewhere embedding
// <img src="https://docs.example.com/auth/callback?state=x"> ten times
// would otherwise lock its visitor, and everyone sharing their address (a
// company's NAT, a proxy), out of signing in for the minute. Such
// failures are not counted: the person behind the same address still
// signs in.
func TestCallbackFailuresBeforeTheProviderLockNobodyOut(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	get := func(u string, flow *http.Cookie) int {
		t.Helper()
		req, _ := http.NewRequest("GET", e.srv.URL+CallbackPath+u, nil)
		if flow != nil {
			req.AddCookie(flow)
		}
		resp, err := noFollow(&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	junk := strings.Repeat("A", 43)
	for i := range 3 * maxCallbackFailures {
		var got int
		switch i % 5 {
		case 0:
			got = get("", nil)
		case 1:
			got = get("?code=x&state="+junk, nil)
		case 2:
			flow, state := e.startFlow(t)
			got = get("?error=access_denied&state="+url.QueryEscape(state), flow)
		case 3:
			flow, state := e.startFlow(t)
			got = get("?state="+url.QueryEscape(state), flow)
		case 4:
			flow, state := e.startFlow(t)
			get("?error=access_denied&state="+url.QueryEscape(state), flow)
			got = get("?code=x&state="+url.QueryEscape(state), flow) // the flow is spent
		}
		if got == http.StatusTooManyRequests {
			t.Fatalf("callback %d that never reached the token endpoint was answered 429", i)
		}
	}
	if n := e.iss.codeGrants(); n != 0 {
		t.Fatalf("%d code grants, want none", n)
	}
	c := e.browser(t)
	resp := e.signIn(t, c, person("bob@example.com", true, "eng"), "/eng/")
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("genuine sign-in from the same address: %d, want 200", resp.StatusCode)
	}
}
