package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeVersion is the version of axe-core (the accessibility engine from
// the npm registry) that .ci/fetch-axe installs; keep the two alike.
const AxeVersion = "4.14.1"

// AxeScript returns the source of axe-core's axe.min.js: $FACET_AXE, else
// where .ci/fetch-axe installs it, under $(go env GOCACHE)/facet-axe/.
// Without it, it skips t, or fails it when FACET_REQUIRE_ALL=1. A file
// of another version fails t.
func AxeScript(t testing.TB) string {
	t.Helper()
	p := os.Getenv("FACET_AXE")
	if p == "" {
		if out, err := exec.Command("go", "env", "GOCACHE").Output(); err == nil {
			p = filepath.Join(strings.TrimSpace(string(out)), "facet-axe", AxeVersion, "node_modules", "axe-core", "axe.min.js")
		}
	}
	b, err := os.ReadFile(p)
	if err != nil || p == "" {
		msg := fmt.Sprintf("no axe-core %s (%v); run .ci/fetch-axe or set FACET_AXE to an axe.min.js", AxeVersion, err)
		if os.Getenv("FACET_REQUIRE_ALL") == "1" {
			t.Fatal(msg + ", and FACET_REQUIRE_ALL=1")
		}
		t.Skip(msg)
	}
	if !strings.Contains(string(b[:min(len(b), 200)]), "axe v"+AxeVersion) {
		t.Fatalf("%s is not axe-core %s", p, AxeVersion)
	}
	return string(b)
}

// axeRunJS runs axe-core over the document (WCAG 2.x A and AA rules and
// best practices) and lists each serious or critical violation with the
// elements it names.
const axeRunJS = `axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  return r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; }).map(function (v) {
    return v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 5).map(function (n) {
      return n.target.join(' ') + (n.failureSummary ? ' (' + n.failureSummary.replace(/\s+/g, ' ').slice(0, 200) + ')' : '');
    }).join('; ');
  });
})`

// Axe injects the axe-core source into the page open in ctx (through
// DevTools, so the page's Content-Security-Policy does not stop it) and
// returns its serious and critical violations.
func Axe(ctx context.Context, source string) ([]string, error) {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](source+"\n;undefined")); err != nil {
		return nil, fmt.Errorf("inject axe-core: %w", err)
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRunJS, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	return v, nil
}
