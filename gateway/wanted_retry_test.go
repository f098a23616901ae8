package gateway

import (
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/manifest"
)

// A session that asks while another request's record of its combination
// is under way keeps no day's choice on it: when that write fails, a later
// request of the same session, the same day, records the combination.
func TestWantedRetriedAfterFailedWriteInOneSession(t *testing.T) {
	t.Parallel()
	s, _, clk := newFixtureServer(t, "https://docs.example.com")
	c := s.testCookie(t, "bob@example.com", true, "eng", "contractors")
	st := s.current.Load()
	calls := make(chan struct{}, 8)
	st.snap.wanted = func(func(*manifest.Wanted)) error {
		calls <- struct{}{}
		return nil
	}
	// Another session of the same groups has claimed today's record.
	key := wantedKey(st, []string{"contractors", "eng"}, clk.now())
	if claimed, _ := s.wanted.claim(key); !claimed {
		t.Fatal("the key was claimed before any request")
	}
	get(s, "/", cookies(c))
	s.wanted.release(key) // its write failed
	get(s, "/eng/", cookies(c))
	select {
	case <-calls:
	case <-time.After(5 * time.Second):
		t.Error("the session did not record the combination after the other write failed")
	}
}

// A slow write of wanted.json stalls no request: another member of two
// groups, whose claim comes while the write is under way, is answered.
func TestSlowWantedWriteStallsNoRequest(t *testing.T) {
	t.Parallel()
	s, _, _ := newFixtureServer(t, "https://docs.example.com")
	st := s.current.Load()
	started, release := make(chan struct{}, 8), make(chan struct{})
	st.snap.wanted = func(func(*manifest.Wanted)) error {
		started <- struct{}{}
		<-release
		return nil
	}
	defer close(release)
	get(s, "/", cookies(s.testCookie(t, "bob@example.com", true, "eng", "contractors")))
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the first combination was not written")
	}
	done := make(chan struct{})
	go func() {
		get(s, "/", cookies(s.testCookie(t, "carl@example.com", true, "eng", "staff")))
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a request waited for another combination's write")
	}
}
