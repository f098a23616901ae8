package gateway

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// cookiesAsNetHTTP is what net/http reads: the reference namedCookies is
// held to.
func cookiesAsNetHTTP(lines []string, name string) []string {
	r := &http.Request{Header: http.Header{"Cookie": lines}}
	var out []string
	for _, c := range r.CookiesNamed(name) {
		out = append(out, c.Value)
	}
	return out
}

func TestNamedCookiesAsNetHTTP(t *testing.T) {
	many := strings.Repeat("a=1; ", maxRequestCookies) + "facet=late"
	cases := [][]string{
		nil,
		{""},
		{"facet=abc"},
		{"facet=abc; facet=def"},
		{" facet = abc ;other=1"},
		{"facet=\"quoted\""},
		{"facet=\"half"},
		{"facet=\""},
		{"facet=a\\b; facet=ok"},
		{"facet=a b"},
		{"facet=caf\u00e9; facet=x"},
		{"Facet=upper; facet_0=chunk"},
		{"facet"},
		{"facet="},
		{"=facet; facet=v"},
		{"other=1", "facet=second-line"},
		{"\tfacet=tab\t;\r\n facet=crlf"},
		{";;; facet=semis ;;"},
		{"facet=a=b=c"},
		{many},
		{strings.Repeat("a=1;", maxRequestCookies-1) + "facet=fits"},
	}
	for _, lines := range cases {
		want := cookiesAsNetHTTP(lines, "facet")
		got := slices.Collect(namedCookies(http.Header{"Cookie": lines}, "facet"))
		if !slices.Equal(got, want) {
			t.Errorf("Cookie %q: got %q, net/http reads %q", lines, got, want)
		}
		v, ok := cookieNamed(http.Header{"Cookie": lines}, "facet")
		if ok != (len(want) > 0) || ok && v != want[0] {
			t.Errorf("Cookie %q: first is %q %v, net/http reads %q", lines, v, ok, want)
		}
	}
}

// FuzzNamedCookies holds namedCookies to net/http's CookiesNamed on any
// pair of Cookie header lines.
func FuzzNamedCookies(f *testing.F) {
	f.Add("facet=abc; x=1", "facet=\"q\"", "facet")
	f.Add(" facet = a ;;", "", "facet_0")
	f.Add("a=\\;facet=\x7f", "facet=\"\"", "facet")
	f.Fuzz(func(t *testing.T, a, b, name string) {
		if name == "" {
			return // net/http takes "" as no filter
		}
		if !isTokenName(name) {
			return // the gateway's cookie names are tokens
		}
		lines := []string{a, b}
		want := cookiesAsNetHTTP(lines, name)
		got := slices.Collect(namedCookies(http.Header{"Cookie": lines}, name))
		if !slices.Equal(got, want) {
			t.Fatalf("Cookie %q name %q: got %q, net/http reads %q", lines, name, got, want)
		}
	})
}

// isTokenName reports an RFC 7230 token, as a cookie name must be.
func isTokenName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return s != ""
}

// TestNamedCookiesFollowCookieLimit holds namedCookies to net/http when
// the process sets net/http's cookie count limit (GODEBUG
// httpcookiemaxnum): a stricter limit reads no cookie from a request
// net/http refuses, and no limit reads one past the default bound.
func TestNamedCookiesFollowCookieLimit(t *testing.T) {
	for _, godebug := range []string{"httpcookiemaxnum=5", "httpcookiemaxnum=0", "httpcookiemaxnum=10000"} {
		t.Run(godebug, func(t *testing.T) {
			t.Setenv("GODEBUG", godebug)
			for _, lines := range [][]string{
				{strings.Repeat("a=1; ", 10) + "facet=over-five"},
				{"a=1; a=2; a=3", "a=4; facet=second-line"},
				{strings.Repeat("a=1; ", maxRequestCookies) + "facet=past-default"},
				{"facet=few"},
			} {
				want := cookiesAsNetHTTP(lines, "facet")
				got := slices.Collect(namedCookies(http.Header{"Cookie": lines}, "facet"))
				if !slices.Equal(got, want) {
					t.Errorf("Cookie of %d bytes: got %q, net/http reads %q", len(strings.Join(lines, "")), got, want)
				}
			}
		})
	}
}
