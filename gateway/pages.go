package gateway

import (
	"html"
	"log/slog"
	"net/http"
	"strconv"
)

// page writes a plain page of the gateway's own: fixed text, never an
// error's message, a token or a stack. Callers choose caching headers;
// without them the page is not stored.
func (s *Server) page(w http.ResponseWriter, status int, title, msg string, links ...link) {
	h := w.Header()
	if h.Get("Cache-Control") == "" {
		noStore(h)
	}
	body := "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
		"<title>" + html.EscapeString(title) + "</title></head>\n<body>\n<h1>" +
		html.EscapeString(title) + "</h1>\n<p>" + html.EscapeString(msg) + "</p>\n"
	for _, l := range links {
		body += "<p><a href=\"" + html.EscapeString(l.href) + "\">" + html.EscapeString(l.text) + "</a></p>\n"
	}
	body += "</body></html>\n"
	h["Content-Type"] = []string{"text/html; charset=utf-8"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	h.Del("Content-Encoding")
	h.Del("Etag")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// link is a link on a plain page.
type link struct{ href, text string }

// serverError logs err and answers with fixed text.
func (s *Server) serverError(w http.ResponseWriter, what string, err error) {
	s.log.Error(what, slog.Any("err", err))
	s.page(w, http.StatusInternalServerError, "Server error", "Something went wrong on our side. Please try again.")
}
