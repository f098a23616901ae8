package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/facet-docs/facet/gateway"
)

// kinds of requests, in report order.
var kinds = []string{"anonymous", "member", "guest", "whoami", "missing", "slow-trickle", "slow-stall"}

// tally counts requests and failures by kind, keeps the first failures'
// messages, and counts page responses by the generations around them.
type tally struct {
	requests map[string]*atomic.Int64
	failed   map[string]*atomic.Int64
	mu       sync.Mutex
	samples  []string
	brackets map[bracket]int64
	// stallHeld counts stalled readers that held their stall to the end,
	// stallCut those of them the gateway had disconnected by then.
	stallHeld, stallCut atomic.Int64
}

// bracket is a page response of content revision rev between two whoami
// answers of generations before and after, on one connection sequence.
type bracket struct {
	before, after string
	rev           int
}

func newTally() *tally {
	t := &tally{requests: map[string]*atomic.Int64{}, failed: map[string]*atomic.Int64{}, brackets: map[bracket]int64{}}
	for _, k := range kinds {
		t.requests[k], t.failed[k] = new(atomic.Int64), new(atomic.Int64)
	}
	return t
}

// fail counts a failed request of kind and keeps its message.
func (t *tally) fail(kind, format string, args ...any) {
	t.failed[kind].Add(1)
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.samples) < 20 {
		t.samples = append(t.samples, kind+": "+fmt.Sprintf(format, args...))
	}
}

// client is one simulated person: anonymous, member or guest.
type client struct {
	kind   string // anonymous, member, guest
	cookie string
	base   string
	hc     *http.Client
	t      *tally
	// lastRev is the newest revision seen, which never goes back.
	lastRev int
}

var (
	pageRe = regexp.MustCompile(`soak-page-[a-z0-9-]+?-end`)
	revRe  = regexp.MustCompile(`soak-rev-([0-9]+)-end`)
)

// get requests path with the client's cookie and returns status, headers
// and body.
func (c *client) get(ctx context.Context, path string) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	if err != nil {
		return 0, nil, nil, err
	}
	if c.cookie != "" {
		req.Header.Set("Cookie", c.cookie)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

// whoami asks the gateway whom it takes the client for and returns the
// generation, checking the kind.
func (c *client) whoami(ctx context.Context) (string, bool) {
	c.t.requests["whoami"].Add(1)
	code, _, b, err := c.get(ctx, gateway.WhoamiPath)
	if ctx.Err() != nil {
		return "", false
	}
	var who gateway.Whoami
	if err == nil && code == 200 {
		err = json.Unmarshal(b, &who)
	}
	switch {
	case err != nil:
		c.t.fail("whoami", "%s: %v", c.kind, err)
	case code != 200:
		c.t.fail("whoami", "%s: status %d", c.kind, code)
	case who.Kind != c.kind || who.Generation == "":
		c.t.fail("whoami", "%s taken for %q in generation %q", c.kind, who.Kind, who.Generation)
	default:
		return who.Generation, true
	}
	return "", false
}

// round is whoami, n page requests, whoami: each page response is counted
// with the generations said before and after it.
func (c *client) round(ctx context.Context, rng *rand.Rand, pages func() []page, n int) {
	before, ok := c.whoami(ctx)
	if !ok {
		return
	}
	var revs []int
	ps := pages()
	for range n {
		if rev, ok := c.page(ctx, ps[rng.IntN(len(ps))]); ok {
			revs = append(revs, rev)
		}
	}
	after, ok := c.whoami(ctx)
	if !ok {
		return
	}
	c.t.mu.Lock()
	defer c.t.mu.Unlock()
	for _, rev := range revs {
		c.t.brackets[bracket{before, after, rev}]++
	}
}

// page requests p and checks the answer for the client's kind; it returns
// the content revision of a page served.
func (c *client) page(ctx context.Context, p page) (int, bool) {
	c.t.requests[c.kind].Add(1)
	code, h, b, err := c.get(ctx, p.url)
	if ctx.Err() != nil {
		return 0, false
	}
	if err != nil {
		c.t.fail(c.kind, "%s: %v", p.url, err)
		return 0, false
	}
	visible := map[string]bool{"anonymous": p.anonymous, "member": p.member, "guest": p.guest}[c.kind]
	switch {
	case visible && code == 200:
		return c.served(p, b)
	case visible:
		c.t.fail(c.kind, "%s: status %d, want 200", p.url, code)
	case c.kind == "anonymous":
		if code != 302 || !strings.Contains(h.Get("Location"), gateway.LoginPath) {
			c.t.fail(c.kind, "%s: status %d to %q, want 302 to sign in", p.url, code, h.Get("Location"))
		}
	case code != 404 || bytes.Contains(b, []byte(p.marker)):
		c.t.fail(c.kind, "%s: status %d (page shown: %t), want 404", p.url, code, bytes.Contains(b, []byte(p.marker)))
	}
	return 0, false
}

// served checks a page's body: its own marker, one revision, and a
// revision no older than one this client has seen.
func (c *client) served(p page, b []byte) (int, bool) {
	marks := pageRe.FindAll(b, -1)
	revs := revRe.FindAllSubmatch(b, -1)
	if len(marks) == 0 || string(marks[0]) != p.marker || len(revs) == 0 {
		c.t.fail(c.kind, "%s: body is not the page (marker %q)", p.url, marks)
		return 0, false
	}
	rev, _ := strconv.Atoi(string(revs[0][1]))
	for _, r := range revs[1:] {
		if string(r[1]) != string(revs[0][1]) {
			c.t.fail(c.kind, "%s: body mixes revisions %s and %s", p.url, revs[0][1], r[1])
			return 0, false
		}
	}
	if rev < c.lastRev {
		c.t.fail(c.kind, "%s: revision %d after revision %d", p.url, rev, c.lastRev)
		return 0, false
	}
	c.lastRev = rev
	return rev, true
}

// missing requests a unique long path nobody has asked for: anonymous
// visitors are sent to sign in, signed-in people get the 404 page.
func (c *client) missing(ctx context.Context) {
	c.t.requests["missing"].Add(1)
	path := "/missing/" + randomHex(400) + "/" + randomHex(40) + "/"
	code, h, _, err := c.get(ctx, path)
	if ctx.Err() != nil {
		return
	}
	switch {
	case err != nil:
		c.t.fail("missing", "%s: %v", c.kind, err)
	case c.kind == "anonymous" && (code != 302 || !strings.Contains(h.Get("Location"), gateway.LoginPath)):
		c.t.fail("missing", "anonymous: status %d, want 302 to sign in", code)
	case c.kind != "anonymous" && code != 404:
		c.t.fail("missing", "%s: status %d, want 404", c.kind, code)
	}
}

func randomHex(n int) string {
	b := make([]byte, n/2)
	_, _ = crand.Read(b)
	return hex.EncodeToString(b)
}

// trickle reads the large file at about rate bytes a second and checks
// every byte.
func (c *client) trickle(ctx context.Context, want []byte, rate int) {
	c.t.requests["slow-trickle"].Add(1)
	resp, err := c.open(ctx)
	if err != nil {
		if ctx.Err() == nil {
			c.t.fail("slow-trickle", "%v", err)
		}
		return
	}
	defer resp.Body.Close()
	got := make([]byte, 0, len(want))
	buf := make([]byte, rate/10)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		n, err := io.ReadFull(resp.Body, buf)
		got = append(got, buf[:n]...)
		if err != nil {
			break
		}
		select {
		case <-ctx.Done():
			return // the run ended mid-file
		case <-tick.C:
		}
	}
	if !bytes.Equal(got, want) {
		c.t.fail("slow-trickle", "read %d bytes, want the %d of the file", len(got), len(want))
	}
}

// stall requests the large file, reads a little and then nothing for
// hold; it counts the request as cut off when the gateway has closed the
// connection by then (its write deadline for a slow reader).
func (c *client) stall(ctx context.Context, hold time.Duration) {
	c.t.requests["slow-stall"].Add(1)
	resp, err := c.open(ctx)
	if err != nil {
		if ctx.Err() == nil {
			c.t.fail("slow-stall", "%v", err)
		}
		return
	}
	defer resp.Body.Close()
	head := make([]byte, 64<<10)
	if _, err := io.ReadFull(resp.Body, head); err != nil {
		c.t.fail("slow-stall", "first bytes: %v", err)
		return
	}
	select {
	case <-ctx.Done():
		return
	case <-time.After(hold):
	}
	// What the kernel buffered is read at once; a connection the gateway
	// cut ends short of the file.
	c.t.stallHeld.Add(1)
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || n+int64(len(head)) < bigFileBytes {
		c.t.stallCut.Add(1)
	}
}

// open starts a GET of the large file and checks its status.
func (c *client) open(ctx context.Context) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+bigFileURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Cookie", c.cookie)
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 || resp.ContentLength != bigFileBytes {
		resp.Body.Close()
		return nil, fmt.Errorf("status %d, length %d", resp.StatusCode, resp.ContentLength)
	}
	return resp, nil
}
