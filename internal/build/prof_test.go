package build

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestProfileCorpus(t *testing.T) {
	site := os.Getenv("FACET_PROFILE_SITE")
	if site == "" {
		t.Skip()
	}
	_, err := New(Options{Site: site, Out: filepath.Join(t.TempDir(), "out")}).Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
}
