package idptest

import (
	"html/template"
	"log/slog"
	"net/http"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// loginPage is the form shown at the authorize step. Field ids are stable so
// that browser tests can fill them: #username, #password, #submit; an error
// shows in #error.
var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in</title></head>
<body>
<main>
<h1>Sign in</h1>
{{if .Error}}<p id="error" role="alert">{{.Error}}</p>
{{end}}<form method="post" action="/login">
<input type="hidden" name="id" value="{{.ID}}">
<p><label for="username">Username</label> <input id="username" name="username" value="{{.Username}}" autocomplete="username" autofocus></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password"></p>
<p><button id="submit" type="submit">Sign in</button></p>
</form>
</main>
</body>
</html>
`))

// loginData fills loginPage.
type loginData struct {
	ID, Username, Error string
}

// serveLogin shows the login form for a pending authorization request (GET)
// and checks the credentials posted to it (POST). Success marks the request
// signed in and redirects to op's callback, which redirects to the relying
// party with the code; a wrong username or password shows the form again.
func (p *Provider) serveLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	id := r.Form.Get("id")
	if !p.storage.pendingRequest(id) {
		http.Error(w, "unknown or expired sign-in request", http.StatusBadRequest)
		return
	}
	if r.Method == http.MethodGet {
		renderLogin(w, http.StatusOK, loginData{ID: id})
		return
	}
	username := r.PostForm.Get("username")
	u, ok := p.storage.checkPassword(username, r.PostForm.Get("password"))
	if !ok {
		renderLogin(w, http.StatusUnauthorized, loginData{ID: id, Username: username, Error: "Invalid username or password."})
		return
	}
	if err := p.storage.completeRequest(id, u.Username); err != nil {
		http.Error(w, "unknown or expired sign-in request", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, op.AuthCallbackURL(p.op)(r.Context(), id), http.StatusSeeOther)
}

func renderLogin(w http.ResponseWriter, status int, d loginData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := loginPage.Execute(w, d); err != nil {
		slog.Error("idptest: render login form", "err", err)
	}
}
