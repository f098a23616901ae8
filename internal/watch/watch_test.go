package watch

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeClock hands batch a timer the test fires by hand.
type fakeClock struct {
	fire chan time.Time
	asks chan time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{fire: make(chan time.Time), asks: make(chan time.Duration, 16)}
}

func (c *fakeClock) after(d time.Duration) <-chan time.Time {
	c.asks <- d
	return c.fire
}

// startBatch runs batch on fake events and returns its input and output.
func startBatch(t *testing.T, c *fakeClock) (chan<- event, <-chan []string) {
	t.Helper()
	in := make(chan event)
	out := make(chan []string)
	go batch(in, out, 42*time.Millisecond, c.after)
	t.Cleanup(func() { close(in) })
	return in, out
}

func recv(t *testing.T, out <-chan []string) []string {
	t.Helper()
	select {
	case b := <-out:
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no batch delivered")
		return nil
	}
}

func TestBatchSortsAndDeduplicates(t *testing.T) {
	t.Parallel()
	c := newFakeClock()
	in, out := startBatch(t, c)
	for _, p := range []string{"content/b.md", "content/a.md", "content/b.md", "config/site.toml"} {
		in <- event{path: p}
	}
	if d := <-c.asks; d != 42*time.Millisecond {
		t.Errorf("timer asked for %v, want the delay 42ms", d)
	}
	if n := len(c.asks); n != 0 {
		t.Errorf("%d more timers started for one batch, want 0", n)
	}
	c.fire <- time.Time{}
	want := []string{"config/site.toml", "content/a.md", "content/b.md"}
	if diff := cmp.Diff(want, recv(t, out)); diff != "" {
		t.Errorf("batch (-want +got):\n%s", diff)
	}
}

func TestBatchNothingBeforeTimer(t *testing.T) {
	t.Parallel()
	c := newFakeClock()
	in, out := startBatch(t, c)
	in <- event{path: "content/a.md"}
	<-c.asks
	select {
	case b := <-out:
		t.Fatalf("batch %v delivered before the delay", b)
	case <-time.After(20 * time.Millisecond):
	}
	c.fire <- time.Time{}
	if diff := cmp.Diff([]string{"content/a.md"}, recv(t, out)); diff != "" {
		t.Errorf("batch (-want +got):\n%s", diff)
	}
}

func TestBatchSeparateBatches(t *testing.T) {
	t.Parallel()
	c := newFakeClock()
	in, out := startBatch(t, c)
	in <- event{path: "content/a.md"}
	<-c.asks
	c.fire <- time.Time{}
	if diff := cmp.Diff([]string{"content/a.md"}, recv(t, out)); diff != "" {
		t.Errorf("first batch (-want +got):\n%s", diff)
	}
	in <- event{path: "content/b.md"}
	<-c.asks
	c.fire <- time.Time{}
	if diff := cmp.Diff([]string{"content/b.md"}, recv(t, out)); diff != "" {
		t.Errorf("second batch (-want +got):\n%s", diff)
	}
}

// A reader that is slow to take a batch gets the later events merged into
// it rather than lost.
func TestBatchSlowReaderMerges(t *testing.T) {
	t.Parallel()
	c := newFakeClock()
	in, out := startBatch(t, c)
	in <- event{path: "content/b.md"}
	<-c.asks
	c.fire <- time.Time{}
	in <- event{path: "content/a.md"}
	in <- event{path: "content/b.md"}
	<-c.asks
	c.fire <- time.Time{}
	want := []string{"content/a.md", "content/b.md"}
	if diff := cmp.Diff(want, recv(t, out)); diff != "" {
		t.Errorf("merged batch (-want +got):\n%s", diff)
	}
}

func TestBatchClosesOut(t *testing.T) {
	t.Parallel()
	in := make(chan event)
	out := make(chan []string)
	go batch(in, out, time.Millisecond, time.After)
	close(in)
	select {
	case _, ok := <-out:
		if ok {
			t.Fatal("batch sent after its input closed")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("out not closed")
	}
}

func TestSkip(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]bool{
		"content/a.md":               false,
		"config/site.toml":           false,
		"themes/x/layouts/page.html": false,
		"content/4913.md":            false,
		".git/index":                 true,
		"content/.a.md.swp":          true,
		"content/a.md~":              true,
		"content/#a.md#":             true,
		"content/a.md.swp":           true,
		"content/4913":               true,
		"content/a.md___jb_tmp___":   true,
		".public.staging-1/x.html":   true,
	} {
		if got := Skip(path); got != want {
			t.Errorf("Skip(%q) = %v, want %v", path, got, want)
		}
	}
}

// One real fsnotify run: a file in a folder created after the watch
// started is reported; ignored and temp files are not.
func TestWatcherReal(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, d := range []string{"content", "public"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w, err := New(root, func(p string) bool { return p == "public" }, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	write := func(name string) {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("public/index.html")
	write("content/a.md~")
	write("content/a.md")
	write("content/new/b.md")
	want := map[string]bool{"content/a.md": true, "content/new": true, "content/new/b.md": true}
	got := map[string]bool{}
	deadline := time.After(10 * time.Second)
	for len(got) < len(want) {
		select {
		case b := <-w.Events():
			for _, p := range b {
				if !want[p] {
					t.Errorf("reported %q", p)
				}
				got[p] = true
			}
		case err := <-w.Errors():
			t.Fatal(err)
		case <-deadline:
			t.Fatalf("reported %v, want %v", got, want)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-w.Events(); ok {
		t.Error("Events still open after Close")
	}
}
