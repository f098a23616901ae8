package manifest

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/facet-docs/facet/internal/access"
)

// AnonymousDir is the anonymous build's folder, present in every output.
const AnonymousDir = "anonymous"

// maxMeta bounds manifest.json and rules.json.
const maxMeta = 256 << 20

// Load reads the published output through root and checks it as one
// generation: both files of the supported format and of the same build,
// rules.json compiled back into access values (principals, chains,
// expiries, visible sets), every build folder a plain relative folder
// listed once, an anonymous build, every audience in a listed build, and
// every build's kind the same in both files (a build that rules.json
// gives no kind takes its audiences'). It is the only reader of the
// published output: the gateway through LoadFS (on disk and from a
// store), facet serve, publish, diff and the tests through Read.
// A missing file wraps fs.ErrNotExist.
func Load(root *os.Root) (*Manifest, *Rules, error) {
	return LoadFS(root.FS())
}

// LoadFS is Load over any file system holding manifest.json and rules.json
// at its root: an output folder's root, or a generation read from an
// object store (internal/store).
func LoadFS(root fs.FS) (*Manifest, *Rules, error) {
	m, err := readManifest(root)
	if err != nil {
		return nil, nil, err
	}
	var f rulesFile
	if err := readJSON(root, RulesFile, &f); err != nil {
		return nil, nil, err
	}
	if f.Format != Format {
		return nil, nil, fmt.Errorf("manifest: %s: unsupported format %d (want %d)", RulesFile, f.Format, Format)
	}
	if f.Generation != m.Generation {
		return nil, nil, fmt.Errorf("manifest: %s and %s are from different builds (generations %q and %q)",
			ManifestFile, RulesFile, m.Generation, f.Generation)
	}
	r, err := decodeRules(&f)
	if err != nil {
		return nil, nil, fmt.Errorf("manifest: %s: %w", RulesFile, err)
	}
	if err := checkBuilds(m, r); err != nil {
		return nil, nil, err
	}
	return m, r, nil
}

// Read is Load on the output folder at dir.
func Read(dir string) (*Manifest, *Rules, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("manifest: %w", err)
	}
	defer root.Close()
	return Load(root)
}

// ReadGeneration reads only the generation of the manifest at dir, through
// a fresh open of the folder: a cheap check for a new publication. It
// checks the format as Load does; the rest is Load's.
func ReadGeneration(dir string) (string, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return "", fmt.Errorf("manifest: %w", err)
	}
	defer root.Close()
	m, err := readManifest(root.FS())
	if err != nil {
		return "", err
	}
	return m.Generation, nil
}

// readManifest reads manifest.json and checks its format and generation.
func readManifest(root fs.FS) (*Manifest, error) {
	var m Manifest
	if err := readJSON(root, ManifestFile, &m); err != nil {
		return nil, err
	}
	if m.Format != Format {
		return nil, fmt.Errorf("manifest: %s: unsupported format %d (want %d)", ManifestFile, m.Format, Format)
	}
	if m.Generation == "" {
		return nil, fmt.Errorf("manifest: %s: no generation", ManifestFile)
	}
	return &m, nil
}

// checkBuilds checks rules.json's builds against manifest.json's audiences
// and completes each build's kind from them.
func checkBuilds(m *Manifest, r *Rules) error {
	byDir := map[string]int{}
	for i, b := range r.Builds {
		if _, dup := byDir[b.Dir]; dup {
			return fmt.Errorf("manifest: %s: build folder %q listed twice", RulesFile, b.Dir)
		}
		byDir[b.Dir] = i
	}
	if _, ok := byDir[AnonymousDir]; !ok {
		return fmt.Errorf("manifest: %s: no anonymous build", RulesFile)
	}
	for _, a := range m.Audiences {
		i, ok := byDir[a.Dir]
		if !ok {
			return fmt.Errorf("manifest: %s: audience %s: unknown build folder %q", ManifestFile, a.ID, a.Dir)
		}
		kind := access.Kind(a.Kind)
		b := &r.Builds[i]
		switch {
		case !servable(kind):
			return fmt.Errorf("manifest: %s: audience %s: unknown kind %q", ManifestFile, a.ID, a.Kind)
		case b.Kind != "" && b.Kind != kind:
			return fmt.Errorf("manifest: %s: audience %s: kind %s, but build %s serves %s", ManifestFile, a.ID, kind, b.Dir, b.Kind)
		}
		b.Kind = kind
	}
	return nil
}

func readJSON(root fs.FS, name string, v any) error {
	f, err := root.Open(name)
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxMeta+1))
	if err != nil {
		return fmt.Errorf("manifest: read %s: %w", name, err)
	}
	if len(b) > maxMeta {
		return fmt.Errorf("manifest: %s: larger than %d bytes", name, maxMeta)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("manifest: %s: %w", name, err)
	}
	return nil
}
