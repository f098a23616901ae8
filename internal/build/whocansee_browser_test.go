package build

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/browsertest"
)

// In a member build the theme shows who can see the page, under the
// gateway's Content-Security-Policy; a guest's build shows no such panel.
func TestBrowserWhoCanSee(t *testing.T) {
	if testing.Short() && os.Getenv("FACET_REQUIRE_ALL") != "1" {
		t.Skip("browser test in -short mode")
	}
	browsertest.Find(t)
	s := newTestSite(t, whoSite).build()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", gateway.ContentSecurityPolicy)
		http.FileServer(http.Dir(s.out)).ServeHTTP(w, r)
	}))
	defer srv.Close()
	ctx := browsertest.Start(t, time.Minute)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+filepath.Base(s.dirOf("group:eng"))+"/eng/api/"),
		chromedp.WaitVisible(`.fc-who li`)); err != nil {
		t.Fatal(err)
	}
	labels, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.fc-who li')).map(li => li.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Group: Engineering", "Guest: Carol Quill", "Member: boss@example.com"}
	if len(labels) != len(want) {
		t.Fatalf("panel lists %q, want %q", labels, want)
	}
	for i := range want {
		if labels[i] != want[i] {
			t.Errorf("panel lists %q, want %q", labels, want)
			break
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+filepath.Base(s.dirOf("user:carol@partner.example"))+"/eng/api/"),
		chromedp.WaitVisible(`.fc-sidebar a[aria-current="page"]`)); err != nil {
		t.Fatal(err)
	}
	panels, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.fc-who').length`))
	if err != nil {
		t.Fatal(err)
	}
	if panels != 0 {
		t.Errorf("the guest's build shows %d who-can-see panels", panels)
	}
}
