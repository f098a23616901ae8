package siteurl

import "testing"

// Spellings a browser reads as the site's own URL that Local once took for
// another site's, leaving a live link to a hidden page.
func TestLocalAdversarialSpellings(t *testing.T) {
	s := New("https://example.com/docs/", []string{"intranet:8443"})
	for _, ref := range []string{
		"https://example.com:0443/docs/x/",
		"http://example.com:00080/docs/x/",
		"https://intranet:08443/docs/x/",
		"https://ex%61mple.com/docs/x/",
		"https://EX%41MPLE.COM/docs/x/",
		"https://example%2Ecom/docs/x/",
		"///example.com/docs/x/",
		`\\\example.com\docs\x\`,
		`/\example.com/docs/x/`,
		"https:////example.com/docs/x/",
		"https://example.com:/docs/x/",
	} {
		if p, _, ok := s.Local(ref); !ok || p != "/x/" {
			t.Errorf("Local(%q) = %q, %v; want /x/, true", ref, p, ok)
		}
	}
	for _, ref := range []string{
		"https://example.com:4430/docs/x/",
		"https://example.com:44/docs/x/",
		"https://ex%62mple.com/docs/x/",
		"/docs/x/",
		"/x/",
	} {
		if p, _, ok := s.Local(ref); ok {
			t.Errorf("Local(%q) = %q, true; want not the site", ref, p)
		}
	}
}
