// Package s3test starts a real S3-compatible server for tests: SeaweedFS's
// weed binary (built by .ci/build-weed), on free loopback ports with a
// temporary folder. A test that needs it skips when the binary is missing,
// unless FACET_REQUIRE_ALL=1, when it fails.
package s3test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/store"
)

// Test credentials, known to the server started here only.
const (
	AccessKey = "facet-test"
	SecretKey = "facet-test-secret-key"
	Region    = "us-east-1"
)

// Binary finds the weed binary: $FACET_WEED, else where .ci/build-weed
// puts it ($(go env GOCACHE)/facet-weed/weed), else "" .
func Binary() string {
	if p := os.Getenv("FACET_WEED"); p != "" {
		return p
	}
	cache := os.Getenv("GOCACHE")
	if cache == "" {
		out, err := exec.Command("go", "env", "GOCACHE").Output()
		if err != nil {
			return ""
		}
		cache = string(trimNL(out))
	}
	p := filepath.Join(cache, "facet-weed", "weed")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// Server is a running weed server.
type Server struct {
	// Endpoint is the S3 URL, http://127.0.0.1:PORT.
	Endpoint string
	dir      string
	cmd      *exec.Cmd
	done     chan struct{}
	stopped  atomic.Bool
	log      string
}

// need skips or fails t when weed is missing.
func need(t testing.TB) string {
	t.Helper()
	bin := Binary()
	if bin != "" {
		return bin
	}
	if os.Getenv("FACET_REQUIRE_ALL") == "1" {
		t.Fatal("s3test: no weed binary (run .ci/build-weed or set FACET_WEED)")
	}
	t.Skip("s3test: no weed binary (run .ci/build-weed or set FACET_WEED)")
	return ""
}

// Start starts a server of its own for t, stopped at cleanup.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := need(t)
	dir, err := os.MkdirTemp("", "facet-weed-")
	if err != nil {
		t.Fatal(err)
	}
	s, err := start(bin, dir)
	if err != nil {
		os.RemoveAll(dir)
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop(); os.RemoveAll(dir) })
	return s
}

var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Shared returns a server shared by the tests of the process, started on
// first use; Main stops it. Tests give themselves a bucket of their own.
func Shared(t testing.TB) *Server {
	t.Helper()
	bin := need(t)
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "facet-weed-")
		if err != nil {
			shared.err = err
			return
		}
		shared.srv, shared.err = start(bin, dir)
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.srv
}

// Main runs the tests and stops the shared server: call it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	if shared.srv != nil {
		shared.srv.Stop()
		os.RemoveAll(shared.srv.dir)
	}
	return code
}

// Settings are the client settings for the server.
func (s *Server) Settings() store.Settings {
	return store.Settings{Endpoint: s.Endpoint, Region: Region, PathStyle: true, AccessKey: AccessKey, SecretKey: SecretKey}
}

// Env is the server's settings as the standard environment variables.
func (s *Server) Env() []string {
	return []string{"AWS_ENDPOINT_URL_S3=" + s.Endpoint, "AWS_REGION=" + Region,
		"AWS_ACCESS_KEY_ID=" + AccessKey, "AWS_SECRET_ACCESS_KEY=" + SecretKey}
}

var buckets atomic.Int64

// Bucket creates a new bucket and returns the store at s3://BUCKET/prefix.
func (s *Server) Bucket(t testing.TB, prefix string) *store.Store {
	t.Helper()
	st, err := s.NewBucket(prefix)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// NewBucket is Bucket for programs (the benchmarks).
func (s *Server) NewBucket(prefix string) (*store.Store, error) {
	name := fmt.Sprintf("facet-%d-%d", os.Getpid(), buckets.Add(1))
	loc, err := store.ParseLocation("s3://" + name + "/" + prefix)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(s.Settings(), loc)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := st.MakeBucket(ctx, Region); err != nil {
		return nil, err
	}
	return st, nil
}

// Launch starts weed from bin in the folder dir (for programs; tests use
// Start or Shared). Stop it when done.
func Launch(bin, dir string) (*Server, error) { return start(bin, dir) }

// Stop stops the server (a test of an unreachable store calls it early).
func (s *Server) Stop() {
	if !s.stopped.CompareAndSwap(false, true) {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.done
}

// Log is the server's output so far, for a failing test's message.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.log)
	return string(b)
}

// freePorts returns n distinct free loopback ports: every listener is
// held until all are chosen, so the system cannot hand one port out twice
// (weed, given the same port for two services, exits).
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// start runs weed in dir and waits until S3 answers. Another process may
// take one of the chosen ports before weed binds it: weed then exits
// saying so, and start tries again with other ports, up to three times.
func start(bin, dir string) (*Server, error) {
	var err error
	for range 3 {
		var s *Server
		if s, err = startOnce(bin, dir); err == nil || !strings.Contains(err.Error(), "address already in use") {
			return s, err
		}
	}
	return nil, err
}

// startOnce is one try of start.
func startOnce(bin, dir string) (*Server, error) {
	ports, err := freePorts(8)
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "s3.json")
	identities := `{"identities":[{"name":"facet","credentials":[{"accessKey":"` + AccessKey +
		`","secretKey":"` + SecretKey + `"}],"actions":["Admin","Read","Write","List","Tagging"]}]}`
	if err := os.WriteFile(cfg, []byte(identities), 0o600); err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if err := os.RemoveAll(data); err != nil { // a failed try's
		return nil, err
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, err
	}
	args := serverArgs(data, cfg, ports)
	s := &Server{Endpoint: "http://127.0.0.1:" + strconv.Itoa(ports[6]), dir: dir, done: make(chan struct{}),
		log: filepath.Join(dir, "weed.log")}
	logf, err := os.Create(s.log)
	if err != nil {
		return nil, err
	}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("s3test: start weed: %w", err)
	}
	go func() { _ = s.cmd.Wait(); logf.Close(); close(s.done) }()
	if err := s.wait(90 * time.Second); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w\n%s", err, s.Log())
	}
	return s, nil
}

// serverArgs are weed's arguments: master, volume, filer and S3 in one
// process, every port given (ports: master, its gRPC, volume, its gRPC,
// filer, its gRPC, S3, its gRPC).
func serverArgs(data, cfg string, p []int) []string {
	itoa := strconv.Itoa
	return []string{"server", "-dir=" + data, "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-master.port=" + itoa(p[0]), "-master.port.grpc=" + itoa(p[1]),
		"-volume.port=" + itoa(p[2]), "-volume.port.grpc=" + itoa(p[3]),
		"-filer", "-filer.port=" + itoa(p[4]), "-filer.port.grpc=" + itoa(p[5]),
		"-s3", "-s3.port=" + itoa(p[6]), "-s3.port.grpc=" + itoa(p[7]), "-s3.config=" + cfg,
		"-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
		"-volume.max=0", "-master.volumeSizeLimitMB=64"}
}

// wait polls the S3 port until it answers an HTTP request.
func (s *Server) wait(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	c := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return errors.New("s3test: weed exited")
		default:
		}
		resp, err := c.Get(s.Endpoint + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return errors.New("s3test: weed's S3 did not answer in time")
}
