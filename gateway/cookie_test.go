package gateway

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func testSealer(t testing.TB, secrets ...[]byte) *sealer {
	t.Helper()
	s, err := newSealer(secrets, "https://id.example.com\x00facet")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealOpen(t *testing.T) {
	t.Parallel()
	s := testSealer(t, testKey)
	exp := testNow.Add(time.Hour)
	v := s.seal("facet", []byte("payload"), exp)
	if got, ok := s.open("facet", v, testNow); !ok || string(got) != "payload" {
		t.Fatalf("open = %q, %v", got, ok)
	}
	if v2 := s.seal("facet", []byte("payload"), exp); v2 == v {
		t.Error("two seals of one payload are equal: the nonce is not random")
	}
}

func TestOpenRejects(t *testing.T) {
	t.Parallel()
	s := testSealer(t, testKey)
	exp := testNow.Add(time.Hour)
	v := s.seal("facet", []byte(`{"email":"bob@example.com"}`), exp)
	raw, _ := base64.RawURLEncoding.DecodeString(v)

	other := testSealer(t, testOldKey)
	otherBind, _ := newSealer([][]byte{testKey}, "https://other.example\x00facet")
	tests := []struct {
		name  string
		s     *sealer
		cname string
		value string
		now   time.Time
	}{
		{"wrong key", other, "facet", v, testNow},
		{"other deployment with the same key", otherBind, "facet", v, testNow},
		{"moved to another cookie", s, "facet_flow_x", v, testNow},
		{"expired", s, "facet", v, exp},
		{"long expired", s, "facet", v, exp.Add(48 * time.Hour)},
		{"truncated by one", s, "facet", v[:len(v)-1], testNow},
		{"truncated to half", s, "facet", v[:len(v)/2], testNow},
		{"empty", s, "facet", "", testNow},
		{"not base64", s, "facet", v[:10] + "!" + v[11:], testNow},
		{"padded base64", s, "facet", base64.URLEncoding.EncodeToString(raw), testNow},
		{"other version", s, "facet", base64.RawURLEncoding.EncodeToString(append([]byte{2}, raw[1:]...)), testNow},
		{"huge", s, "facet", strings.Repeat("A", maxChunks*maxCookieValue+4), testNow},
	}
	for _, tt := range tests {
		if got, ok := tt.s.open(tt.cname, tt.value, tt.now); ok {
			t.Errorf("%s: open accepted, payload %q", tt.name, got)
		}
	}
	// Every single-bit change anywhere is refused.
	for i := range raw {
		for bit := 0; bit < 8; bit++ {
			m := bytes.Clone(raw)
			m[i] ^= 1 << bit
			if _, ok := s.open("facet", base64.RawURLEncoding.EncodeToString(m), testNow); ok {
				t.Fatalf("byte %d bit %d flipped: accepted", i, bit)
			}
		}
	}
}

func TestKeyRotation(t *testing.T) {
	t.Parallel()
	old := testSealer(t, testOldKey)
	v := old.seal("facet", []byte("x"), testNow.Add(time.Hour))
	rotated := testSealer(t, testKey, testOldKey)
	if _, ok := rotated.open("facet", v, testNow); !ok {
		t.Error("a value sealed with the old key is refused after rotation")
	}
	nv := rotated.seal("facet", []byte("x"), testNow.Add(time.Hour))
	if _, ok := old.open("facet", nv, testNow); ok {
		t.Error("new values are sealed with the old key")
	}
	if _, ok := testSealer(t, testKey).open("facet", v, testNow); ok {
		t.Error("a value of a key no longer listed is accepted")
	}
}

func TestNewSealerRejectsShortSecrets(t *testing.T) {
	t.Parallel()
	if _, err := newSealer(nil, ""); err == nil {
		t.Error("no secret accepted")
	}
	if _, err := newSealer([][]byte{testKey, []byte("short")}, ""); err == nil {
		t.Error("short secret accepted")
	}
}

// roundTrip writes a cookie's value into a response and returns a request
// carrying what the browser would send back, plus the response cookies.
func roundTrip(t *testing.T, c cookieSpec, prior []*http.Cookie, value string) (*http.Request, []*http.Cookie) {
	t.Helper()
	in := httptest.NewRequest("GET", "/", nil)
	for _, p := range prior {
		in.AddCookie(p)
	}
	rec := httptest.NewRecorder()
	c.write(rec, in, value, 3600)
	set := rec.Result().Cookies()
	jar := map[string]string{}
	for _, p := range prior {
		jar[p.Name] = p.Value
	}
	for _, k := range set {
		if k.MaxAge < 0 {
			delete(jar, k.Name)
		} else {
			jar[k.Name] = k.Value
		}
	}
	out := httptest.NewRequest("GET", "/", nil)
	for n, v := range jar {
		out.AddCookie(&http.Cookie{Name: n, Value: v})
	}
	return out, set
}

func TestChunkedCookies(t *testing.T) {
	t.Parallel()
	s := testSealer(t, testKey)
	c := cookieSpec{name: "__Host-facet", path: "/", secure: true}
	big := s.seal(c.name, bytes.Repeat([]byte("group-name,"), 1000), testNow.Add(time.Hour))
	if len(big) <= maxCookieValue {
		t.Fatal("test value too small to chunk")
	}
	req, set := roundTrip(t, c, nil, big)
	if len(set) < 3 {
		t.Fatalf("want at least 3 chunks, got %d cookies", len(set))
	}
	for _, k := range set {
		if len(k.Value) > maxCookieValue || !k.HttpOnly || !k.Secure || k.SameSite != http.SameSiteLaxMode || k.Path != "/" {
			t.Errorf("chunk %s: len %d, attributes %+v", k.Name, len(k.Value), k)
		}
	}
	if got, ok := c.read(req, s, testNow); !ok || !bytes.HasPrefix(got, []byte("group-name,")) {
		t.Fatalf("chunked read: ok=%v", ok)
	}
	// Shrinking back to one cookie expires every chunk.
	small := s.seal(c.name, []byte("small"), testNow.Add(time.Hour))
	req2, set2 := roundTrip(t, c, req.Cookies(), small)
	expired := 0
	for _, k := range set2 {
		if k.MaxAge < 0 {
			expired++
		}
	}
	if expired != len(set) {
		t.Errorf("expired %d stale chunks, want %d", expired, len(set))
	}
	if got, ok := c.read(req2, s, testNow); !ok || string(got) != "small" {
		t.Errorf("after shrinking: %q, %v", got, ok)
	}
	// A missing middle chunk makes the whole value unreadable.
	var partial []*http.Cookie
	for _, k := range req.Cookies() {
		if k.Name != "__Host-facet_1" {
			partial = append(partial, k)
		}
	}
	r3 := httptest.NewRequest("GET", "/", nil)
	for _, k := range partial {
		r3.AddCookie(k)
	}
	if _, ok := c.read(r3, s, testNow); ok {
		t.Error("chunks with a gap accepted")
	}
}

func TestPlantedCookieBesideOurs(t *testing.T) {
	t.Parallel()
	s := testSealer(t, testKey)
	c := cookieSpec{name: "facet", path: "/"}
	good := s.seal("facet", []byte("mine"), testNow.Add(time.Hour))
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Add("Cookie", "facet=planted-by-a-sibling-host; facet="+good)
	if got, ok := c.read(r, s, testNow); !ok || string(got) != "mine" {
		t.Errorf("read = %q, %v; want the value that opens", got, ok)
	}
}

// FuzzCookie holds the decoder's invariants: it never panics, and it never
// accepts a value that is not exactly one sealed by a configured key for
// that cookie name, unexpired: modified, truncated or extended values and
// values of another key are refused. (Seeds are sealed in whichever process
// runs them, so the checks depend on payloads, not on exact values.)
func FuzzCookie(f *testing.F) {
	s := testSealer(f, testKey)
	other := testSealer(f, testOldKey)
	exp := testNow.Add(time.Hour)
	f.Add(s.seal("facet", []byte("genuine"), exp), 0, byte(1))
	f.Add(s.seal("facet", []byte("genuine"), exp), 17, byte(0x80))
	f.Add(other.seal("facet", []byte("foreign"), exp), 3, byte(0))
	f.Add(s.seal("facet_flow_x", []byte("other-name"), exp), 5, byte(4))
	f.Add("", 0, byte(0))
	f.Add("AQ", 1, byte(2))
	f.Fuzz(func(t *testing.T, value string, pos int, flip byte) {
		got, ok := s.open("facet", value, testNow)
		if !ok {
			return
		}
		// Only "genuine" is ever sealed for this name with this key: any
		// other accepted payload would be a forgery.
		if string(got) != "genuine" {
			t.Fatalf("accepted %q -> %q", value, got)
		}
		if pos < 0 {
			pos = -pos
		}
		i := pos % len(value)
		if flip != 0 {
			m := []byte(value)
			m[i] ^= flip
			if _, ok := s.open("facet", string(m), testNow); ok {
				t.Fatalf("accepted a modified value (byte %d ^ %#x)", i, flip)
			}
		}
		if _, ok := s.open("facet", value[:i], testNow); ok {
			t.Fatalf("accepted a value truncated to %d", i)
		}
		if _, ok := s.open("facet", value+"A", testNow); ok {
			t.Fatal("accepted an extended value")
		}
		if _, ok := other.open("facet", value, testNow); ok {
			t.Fatal("a foreign key accepted the value")
		}
		if _, ok := s.open("facet", value, exp); ok {
			t.Fatal("accepted an expired value")
		}
	})
}
