package idptest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// ErrInvalidCredentials is returned (wrapped) by Login when the provider
// shows the login form again after the credentials were posted.
var ErrInvalidCredentials = errors.New("idptest: invalid username or password")

// maxSteps bounds the requests Login makes for one sign-in.
const maxSteps = 10

// Login drives the whole browserless sign-in: given the authorize URL the
// relying party redirected to (with state, nonce, PKCE), it GETs the login
// form with client (and so its cookie jar), fills in username and password,
// posts the form and follows redirects until one points at the redirect_uri
// of authorizeURL. It returns that callback URL (with code and state)
// without requesting it. A nil client is a fresh http.Client.
//
// When the provider redirects back with an error instead of a code, Login
// returns the callback URL together with an error naming it.
func (p *Provider) Login(client *http.Client, authorizeURL, username, password string) (*url.URL, error) {
	start, err := url.Parse(authorizeURL)
	if err != nil {
		return nil, fmt.Errorf("idptest: authorize URL: %w", err)
	}
	callback, err := url.Parse(start.Query().Get("redirect_uri"))
	if err != nil || callback.Host == "" {
		return nil, fmt.Errorf("idptest: authorize URL %q has no absolute redirect_uri", authorizeURL)
	}
	c := &http.Client{}
	if client != nil {
		*c = *client
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	req, err := http.NewRequest(http.MethodGet, start.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("idptest: %w", err)
	}
	posted := false
	for range maxSteps {
		resp, body, err := do(c, req)
		if err != nil {
			return nil, err
		}
		if loc, err := resp.Location(); err == nil {
			if sameEndpoint(loc, callback) {
				return callbackResult(loc)
			}
			if req, err = http.NewRequest(http.MethodGet, loc.String(), nil); err != nil {
				return nil, fmt.Errorf("idptest: %w", err)
			}
			continue
		}
		f, ok := findForm(body, resp.Request.URL)
		if !ok || (resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusUnauthorized) {
			return nil, fmt.Errorf("idptest: %s %s: status %d: %s", req.Method, req.URL, resp.StatusCode, snippet(body))
		}
		if posted {
			return nil, fmt.Errorf("%w (user %q)", ErrInvalidCredentials, username)
		}
		if req, err = f.submit(username, password); err != nil {
			return nil, err
		}
		posted = true
	}
	return nil, fmt.Errorf("idptest: sign-in took more than %d requests", maxSteps)
}

// do sends req and reads the whole (bounded) body.
func do(c *http.Client, req *http.Request) (*http.Response, []byte, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("idptest: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("idptest: read %s: %w", req.URL, err)
	}
	return resp, body, nil
}

// sameEndpoint compares scheme, host and path, ignoring query and fragment.
func sameEndpoint(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Host == b.Host && a.Path == b.Path
}

// callbackResult turns the redirect to the relying party into Login's result.
func callbackResult(u *url.URL) (*url.URL, error) {
	q := u.Query()
	if e := q.Get("error"); e != "" {
		return u, fmt.Errorf("idptest: provider answered %s: %s", e, q.Get("error_description"))
	}
	if q.Get("code") == "" {
		return u, fmt.Errorf("idptest: callback %s has no code", u)
	}
	return u, nil
}

// snippet shortens a response body for an error message.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// form is an HTML form as a browser would submit it.
type form struct {
	action *url.URL
	method string
	fields url.Values
}

// findForm parses the first form of an HTML page: its action (resolved
// against base), method and the names and values of its inputs.
func findForm(body []byte, base *url.URL) (form, bool) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return form{}, false
	}
	var f form
	found := false
	var walk func(n *html.Node, inForm bool)
	walk = func(n *html.Node, inForm bool) {
		if n.Type == html.ElementNode && n.Data == "form" && !found {
			found, inForm = true, true
			f = form{action: base, method: strings.ToUpper(attr(n, "method")), fields: url.Values{}}
			if a, err := base.Parse(attr(n, "action")); err == nil {
				f.action = a
			}
		}
		if inForm && n.Type == html.ElementNode && n.Data == "input" && attr(n, "name") != "" {
			f.fields.Set(attr(n, "name"), attr(n, "value"))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inForm)
		}
	}
	walk(doc, false)
	return f, found
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// submit fills in the credentials and builds the form's request.
func (f form) submit(username, password string) (*http.Request, error) {
	for _, name := range []string{"username", "password"} {
		if _, ok := f.fields[name]; !ok {
			return nil, fmt.Errorf("idptest: login form has no %s field", name)
		}
	}
	f.fields.Set("username", username)
	f.fields.Set("password", password)
	if f.method != http.MethodPost {
		u := *f.action
		u.RawQuery = f.fields.Encode()
		return http.NewRequest(http.MethodGet, u.String(), nil)
	}
	req, err := http.NewRequest(http.MethodPost, f.action.String(), strings.NewReader(f.fields.Encode()))
	if err != nil {
		return nil, fmt.Errorf("idptest: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req, nil
}
