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

// A browser maps a host through IDNA (UTS #46) before it compares it: full
// width letters, an ideographic full stop, a soft hyphen or a look-alike
// letter that maps to ASCII spell the site's own host.
func TestLocalIDNAHostSpellings(t *testing.T) {
	s := New("https://example.com/docs/", []string{"intranet:8443", "b\u00fccher.example"})
	for _, ref := range []string{
		"https://\uff45xample.com/docs/x/", // fullwidth e
		"https://example\u3002com/docs/x/", // ideographic full stop
		"https://example.\uff43\uff4f\uff4d/docs/x/",
		"https://exam\u00adple.com/docs/x/", // soft hyphen
		"https://exampl\u212f.com/docs/x/",  // script small e
		"//EXAMPLE\uff0eCOM./docs/x/",       // fullwidth full stop
		"https://\uff49ntranet:8443/docs/x/",
		"https://xn--bcher-kva.example/docs/x/", // the punycode of a unicode host
		"https://B\u00dcCHER.example/docs/x/",
	} {
		if p, _, ok := s.Local(ref); !ok || p != "/x/" {
			t.Errorf("Local(%q) = %q, %v; want /x/, true", ref, p, ok)
		}
	}
	for _, ref := range []string{
		"https://examp1e.com/docs/x/",
		"https://\u0435xample.com/docs/x/", // Cyrillic e: another host
	} {
		if p, _, ok := s.Local(ref); ok {
			t.Errorf("Local(%q) = %q, true; want not the site", ref, p)
		}
	}
}
