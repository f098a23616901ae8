package gateway

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// serveOn serves s on a loopback listener until the test ends and returns
// its address.
func serveOn(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// openFiles counts the process's open descriptors, or skips the test
// where the system does not list them.
func openFiles(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count open files: %v", err)
	}
	return len(fds)
}

// steadyFiles waits until the count of open descriptors holds still for
// 100 ms (the server's watcher opens its own) and returns it.
func steadyFiles(t *testing.T) int {
	t.Helper()
	n := openFiles(t)
	for range 50 {
		time.Sleep(100 * time.Millisecond)
		m := openFiles(t)
		if m == n {
			return n
		}
		n = m
	}
	return n
}

// TestSlowReaderDisconnected asks for files far larger than the socket
// buffers and never reads: each connection must be closed once its write
// deadline passes, and the file it asked for closed with it.
func TestSlowReaderDisconnected(t *testing.T) {
	for _, size := range []int64{32 << 20, 64 << 20} {
		s, out, _ := newFixtureServer(t, "http://127.0.0.1", WithCacheBytes(0),
			WithWriteDeadline(200*time.Millisecond, 1<<30))
		if err := os.MkdirAll(filepath.Join(out, anonymousDir, "files"), 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(filepath.Join(out, anonymousDir, "files", "huge.bin"))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		f.Close()
		addr := serveOn(t, s)
		before := steadyFiles(t)
		const clients = 3
		conns := make([]net.Conn, clients)
		for i := range conns {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := io.WriteString(c, "GET /files/huge.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
			conns[i] = c
		}
		// Never read; the server's side and its files must go, leaving the
		// clients' own descriptors only. Reading starts only well past the
		// write deadline (200 ms plus the size at 1 GB/s): the descriptor
		// count is the whole process's, which parallel tests also move.
		earliest := time.Now().Add(time.Second)
		deadline := time.Now().Add(5 * time.Second)
		for openFiles(t) > before+clients {
			if time.Now().After(deadline) {
				t.Fatalf("%d bytes: %d descriptors open 5 s after %d clients stopped reading, %d before",
					size, openFiles(t), clients, before)
			}
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(time.Until(earliest))
		for _, c := range conns {
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			n, err := io.Copy(io.Discard, c)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatalf("%d bytes: connection still open after its write deadline (%d bytes read)", size, n)
			}
			if n >= size {
				t.Errorf("%d bytes: a reader that stalled past its deadline still got the whole body (%d bytes)", size, n)
			}
		}
	}
}

// TestWriteDeadlineScalesWithBody checks that a client reading at a fair
// rate gets a large body whole although it takes longer than the base time.
func TestWriteDeadlineScalesWithBody(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "http://127.0.0.1", WithCacheBytes(0),
		WithWriteDeadline(50*time.Millisecond, 4<<20))
	addr := serveOn(t, s)
	member := s.testCookie(t, "bob@example.com", true)
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/files/big.bin", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(member)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	// Read at about 16 MiB/s: 1 MiB takes ~64 ms, beyond the 50 ms base
	// but within base + size at 4 MiB/s.
	var n int64
	buf := make([]byte, 16<<10)
	for {
		k, err := resp.Body.Read(buf)
		n += int64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes: %v", n, err)
		}
		time.Sleep(time.Millisecond)
	}
	if resp.StatusCode != 200 || n != resp.ContentLength || n <= maxCachedFile {
		t.Errorf("got %d, %d of %d bytes", resp.StatusCode, n, resp.ContentLength)
	}
}

// TestConnectionLimit holds max_connections connections open: the next
// one is not answered until one of them closes.
func TestConnectionLimit(t *testing.T) {
	t.Parallel()
	for _, limit := range []int{1, 3} {
		s, _, _ := newFixtureServer(t, "http://127.0.0.1")
		s.cfg.MaxConnections = limit
		addr := serveOn(t, s)
		held := make([]net.Conn, limit)
		for i := range held {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			held[i] = c
			if status := ask(t, c, time.Second); status != "200 OK" {
				t.Fatalf("limit %d: held connection %d: %q", limit, i, status)
			}
		}
		extra, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer extra.Close()
		if status := ask(t, extra, 300*time.Millisecond); status != "" {
			t.Fatalf("limit %d: connection %d answered %q while %d were open", limit, limit+1, status, limit)
		}
		held[0].Close()
		if status := readStatus(extra, 2*time.Second); status != "200 OK" {
			t.Errorf("limit %d: waiting connection after one closed: %q", limit, status)
		}
	}
}

// ask sends a keep-alive request for /healthz on c and returns the status
// line read within wait, "" when none came.
func ask(t *testing.T, c net.Conn, wait time.Duration) string {
	t.Helper()
	if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	return readStatus(c, wait)
}

// readStatus reads one response from c within wait and returns its
// status ("200 OK"), "" when none came.
func readStatus(c net.Conn, wait time.Duration) string {
	_ = c.SetReadDeadline(time.Now().Add(wait))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return ""
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.Status
}

// deadlineWriter records the write deadlines set on a response.
type deadlineWriter struct {
	*httptest.ResponseRecorder
	set []time.Time
}

func (d *deadlineWriter) SetWriteDeadline(t time.Time) error {
	d.set = append(d.set, t)
	return nil
}

// TestOneDeadlinePerResponse checks that every response, file or not,
// gets exactly one write deadline before it is written: a file's scales
// with its size, any other response gets the handler's time.
func TestOneDeadlinePerResponse(t *testing.T) {
	t.Parallel()
	const base, rate = 2 * time.Second, 1 << 10
	s, _, _ := newFixtureServer(t, "https://docs.example.com", WithWriteDeadline(base, rate))
	member := s.testCookie(t, "bob@example.com", true, "eng")
	tests := []struct {
		method, target string
		cookie         bool
		file           bool
	}{
		{"GET", "/files/note.txt", true, true},
		{"GET", "/files/note.txt", false, true},
		{"HEAD", "/files/note.txt", true, true},
		{"GET", "/eng/", true, true},
		{"GET", "/eng", true, false},
		{"GET", "/no/such/page/", false, false},
		{"GET", "/no/such/page/", true, true}, // the build's 404 page
		{"POST", "/files/note.txt", true, false},
		{"GET", HealthPath, false, false},
		{"GET", WhoamiPath, true, false},
		{"DELETE", MetricsPath, false, false},
		{"GET", LogoutPath, true, false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.target, nil)
		if tt.cookie {
			r.AddCookie(member)
		}
		w := &deadlineWriter{ResponseRecorder: httptest.NewRecorder()}
		before := time.Now()
		s.ServeHTTP(w, r)
		after := time.Now()
		if len(w.set) != 1 {
			t.Errorf("%s %s: %d write deadlines set, want 1", tt.method, tt.target, len(w.set))
			continue
		}
		want := base + handlerTime
		if tt.file {
			n, err := strconv.Atoi(w.Header().Get("Content-Length"))
			if err != nil || n == 0 {
				t.Errorf("%s %s: a file answered with Content-Length %q", tt.method, tt.target, w.Header().Get("Content-Length"))
				continue
			}
			want = base + time.Duration(n)*time.Second/rate
		}
		if d := w.set[0]; d.Before(before.Add(want)) || d.After(after.Add(want)) {
			t.Errorf("%s %s (%d): deadline %v from now, want %v", tt.method, tt.target, w.Code, d.Sub(before), want)
		}
	}
}
