package layers

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/facet-docs/facet"

// allowed lists, for each package, the facet packages it may import
// (directly or not). Packages not listed are unconstrained.
var allowed = map[string][]string{
	"internal/access":      {},
	"internal/manifest":    {"internal/access"},
	"internal/markdown":    {},
	"internal/diag":        {},
	"internal/verify":      {},
	"internal/browsertest": {},
	"internal/watch":       {},
	"internal/ledger":      {},
	"internal/tomlx":       {"internal/access", "internal/diag"},
	"internal/config":      {"internal/access", "internal/diag", "internal/tomlx"},
	"internal/content":     {"internal/access", "internal/diag", "internal/tomlx"},
	"internal/store":       {},
	"internal/publish":     {"internal/access", "internal/manifest", "internal/store"},
	"gateway":              {"internal/access", "internal/config", "internal/manifest", "internal/diag", "internal/ledger", "internal/store", "internal/tomlx"},
}

func TestDependencies(t *testing.T) {
	t.Parallel()
	for pkg, ok := range allowed {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", module+"/"+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			rel, isOurs := strings.CutPrefix(dep, module+"/")
			if !isOurs || rel == pkg {
				continue
			}
			found := false
			for _, a := range ok {
				found = found || a == rel
			}
			if !found {
				t.Errorf("%s imports %s, which it may not", pkg, rel)
			}
		}
	}
}
