package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/facet-docs/facet/bench/internal/signin"
	"github.com/facet-docs/facet/gateway"
	"github.com/facet-docs/facet/internal/config"
	"github.com/facet-docs/facet/internal/idptest"
)

// mintPassword is the benchmark user's password at the in-process provider.
const mintPassword = "bench-password"

// mint signs the member email (in groups) in through a real code flow and
// prints ISSUER, COOKIE, KIND and BUILD as shell assignments.
func mint(site, out, email string, groups []string, w io.Writer) error {
	// The provider is not started yet: any issuer passes validation, and
	// it is replaced by the provider's below.
	cfg, err := config.LoadGateway(os.DirFS(site), os.Getenv, func(g *config.Gateway) {
		g.Issuer = "http://127.0.0.1:1"
	})
	if err != nil {
		return err
	}
	if !isLoopback(cfg.Listen) {
		return fmt.Errorf("listen %s: the benchmark runs on loopback only", cfg.Listen)
	}
	user := idptest.User{Username: "bench", Password: mintPassword, Email: email, EmailVerified: true, Groups: groups}
	idp, err := signin.Start(idptest.Client{
		ID: cfg.ClientID, Secret: cfg.ClientSecret,
		RedirectURIs:           []string{cfg.CallbackURL()},
		PostLogoutRedirectURIs: []string{cfg.PublicURL + "/"},
	}, []idptest.User{user}, idptest.Options{GroupsClaim: cfg.GroupsClaim.Name})
	if err != nil {
		return err
	}
	defer idp.Close()
	cfg.Issuer = idp.Issuer()

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := gateway.New(cfg, out, gateway.WithLogger(log))
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on the gateway's address: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	who, cookie, err := signin.SignIn(cfg.PublicURL, idp.Provider, user)
	if err == nil && who.Kind != "member" {
		err = fmt.Errorf("signed in as %s, not a member: is %s in a member domain?", who.Kind, user.Email)
	}
	cancel()
	if serr := <-done; err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "ISSUER=%s\nCOOKIE=%s\nKIND=%s\nBUILD=%s\n",
		shellQuote(cfg.Issuer), shellQuote(cookie), shellQuote(who.Kind), shellQuote(who.Build))
	return nil
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
