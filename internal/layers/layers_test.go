package layers

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/facet-docs/facet"

// anything marks a package whose code may use any facet package that is
// not a test helper.
var anything = []string{"*"}

// allowed lists, for every package of the module, the facet packages its
// code may depend on (directly or not), as docs/ARCHITECTURE.md states
// them. A package missing here fails the test: a new package states its
// place when it is added.
var allowed = map[string][]string{
	"internal/access":      {},
	"internal/diag":        {},
	"internal/siteurl":     {},
	"internal/markdown":    {"internal/siteurl"},
	"internal/watch":       {},
	"internal/place":       {},
	"internal/verify":      {"internal/siteurl"},
	"internal/cache":       {},
	"internal/gitsnap":     {},
	"internal/scaffold":    {},
	"internal/ledger":      {},
	"internal/store":       {},
	"internal/layers":      {},
	"themes":               {},
	"internal/manifest":    {"internal/access"},
	"internal/tomlx":       {"internal/access", "internal/diag"},
	"internal/config":      {"internal/access", "internal/diag", "internal/tomlx"},
	"internal/content":     {"internal/access", "internal/diag", "internal/tomlx"},
	"internal/render":      {"internal/access", "internal/content", "internal/diag", "internal/markdown", "internal/siteurl", "internal/tomlx"},
	"internal/publish":     {"internal/access", "internal/manifest", "internal/store"},
	"gateway":              {"internal/access", "internal/config", "internal/manifest", "internal/diag", "internal/ledger", "internal/store", "internal/tomlx"},
	"internal/idptest":     {},
	"internal/browsertest": {},
	"internal/sitetest":    {},
	"internal/s3test":      {"internal/access", "internal/manifest", "internal/sitetest", "internal/store"},
	"internal/build":       anything,
	"internal/accessdiff":  anything,
	"internal/confluence":  anything,
	"internal/preview":     anything,
	"internal/report":      anything,
	"cmd/facet":            anything,
}

// testAlso lists what a package's tests may import beyond what its code
// may and the test helpers: the gateway's end-to-end tests build and
// publish real sites, and publish's tests build the output they upload.
var testAlso = map[string][]string{
	"gateway":              {"gateway", "internal/build", "internal/publish", "internal/report"},
	"internal/publish":     {"internal/build"},
	"internal/confluence":  {"internal/build"},
	"internal/render":      {"themes"},
	"internal/browsertest": {"gateway", "internal/build"},
}

// testHelpers run real services for tests (an OpenID provider, an object
// store, a browser) or write and read their sites. Only tests, other test
// helpers and the benchmark programs under bench/ may import them, so that
// their dependencies stay out of the facet binary.
var testHelpers = []string{"internal/idptest", "internal/s3test", "internal/browsertest", "internal/sitetest"}

// testModules are the third-party modules only the test helpers need
// (zitadel's provider with chi and OpenTelemetry, chromedp): no package of
// the binary may depend on them.
var testModules = []string{"github.com/zitadel/", "github.com/go-chi/", "go.opentelemetry.io/", "github.com/chromedp/"}

// pkg is one package of the module as go list sees it.
type pkg struct {
	path  string   // relative to the module
	deps  []string // every package its code depends on, directly or not
	tests []string // what its tests import directly (internal and external)
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	const format = `{{.ImportPath}}{{"\t"}}{{join .Deps " "}}{{"\t"}}{{join .TestImports " "}} {{join .XTestImports " "}}`
	// Only standard output is read: on a fresh machine go list reports
	// the modules it downloads on standard error.
	var stderr strings.Builder
	cmd := exec.Command("go", "list", "-f", format, module+"/...")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("go list line %q", line)
		}
		pkgs = append(pkgs, pkg{path: ours(f[0]), deps: strings.Fields(f[1]), tests: strings.Fields(f[2])})
	}
	return pkgs
}

// ours returns the path of a facet package relative to the module, else
// "".
func ours(imp string) string {
	if imp == module {
		return "."
	}
	rel, ok := strings.CutPrefix(imp, module+"/")
	if !ok {
		return ""
	}
	return rel
}

func TestDependencies(t *testing.T) {
	t.Parallel()
	pkgs := listPackages(t)
	seen := map[string]bool{}
	for _, p := range pkgs {
		seen[p.path] = true
		bench := strings.HasPrefix(p.path, "bench/")
		rule, listed := allowed[p.path]
		if !listed && !bench {
			t.Errorf("%s has no rule: add it to allowed here and to docs/ARCHITECTURE.md", p.path)
			continue
		}
		for _, dep := range p.deps {
			rel := ours(dep)
			switch {
			case rel == "" && !bench && !slices.Contains(testHelpers, p.path) && hasPrefix(dep, testModules):
				t.Errorf("%s depends on %s, which only the test helpers may", p.path, dep)
			case rel == "" || rel == p.path:
			case slices.Contains(testHelpers, rel) && !bench && !slices.Contains(testHelpers, p.path):
				t.Errorf("%s depends on the test helper %s outside its tests", p.path, rel)
			case !bench && !permits(rule, rel):
				t.Errorf("%s depends on %s, which it may not", p.path, rel)
			}
		}
		for _, imp := range p.tests {
			rel := ours(imp)
			if rel == "" || rel == p.path || bench || permits(rule, rel) || slices.Contains(testHelpers, rel) ||
				slices.Contains(testAlso[p.path], rel) {
				continue
			}
			t.Errorf("the tests of %s import %s, which they may not", p.path, rel)
		}
	}
	for path := range allowed {
		if !seen[path] {
			t.Errorf("allowed names %s, which is not a package of the module", path)
		}
	}
}

// permits reports whether a rule lets code depend on rel.
func permits(rule []string, rel string) bool {
	return slices.Equal(rule, anything) && !slices.Contains(testHelpers, rel) || slices.Contains(rule, rel)
}

func hasPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// TestBinaryLeavesTestModulesOut checks the facet command itself: the
// in-process provider's dependencies (zitadel, chi, OpenTelemetry) and the
// browser driver are not in its module graph.
func TestBinaryLeavesTestModulesOut(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", module+"/cmd/facet").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 || !slices.Contains(deps, module+"/gateway") {
		t.Fatalf("go list -deps cmd/facet gave %d packages without the gateway: not the command's graph", len(deps))
	}
	for _, dep := range deps {
		if hasPrefix(dep, testModules) || slices.Contains(testHelpers, ours(dep)) {
			t.Errorf("cmd/facet depends on %s", dep)
		}
	}
}
