package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"facet": func() {
			if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
				var exit exitError
				if errors.As(err, &exit) {
					os.Exit(exit.code)
				}
				if err != errReported {
					os.Stderr.WriteString("facet: " + err.Error() + "\n")
				}
				os.Exit(1)
			}
		},
	})
}

// TestScripts runs the script tests in testdata/script: each is a site and
// the facet commands run on it, with the output they must print.
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		// FACET_UPDATE_SCRIPTS=1 rewrites the files that cmp compares
		// with in the scripts: review the diff before committing it.
		UpdateScripts: os.Getenv("FACET_UPDATE_SCRIPTS") == "1",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"snapshot":  cmdSnapshot,
			"unchanged": cmdUnchanged,
			"badbytes":  cmdBadBytes,
		},
	})
}

// treeHash hashes every path, mode and file content under dir.
func treeHash(ts *testscript.TestScript, dir string) string {
	h := sha256.New()
	err := filepath.WalkDir(ts.MkAbs(dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		h.Write([]byte(p + "\x00" + d.Type().String() + "\x00"))
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(b)
		}
		return nil
	})
	ts.Check(err)
	return hex.EncodeToString(h.Sum(nil))
}

// cmdSnapshot records a hash of a folder tree: snapshot DIR.
func cmdSnapshot(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: snapshot DIR")
	}
	ts.Setenv("SNAPSHOT_"+filepath.Base(args[0]), treeHash(ts, args[0]))
}

// cmdUnchanged checks a folder tree against its snapshot: unchanged DIR.
func cmdUnchanged(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: unchanged DIR")
	}
	same := ts.Getenv("SNAPSHOT_"+filepath.Base(args[0])) == treeHash(ts, args[0])
	if same == neg {
		ts.Fatalf("%s changed: %v", args[0], !same)
	}
}

// cmdBadBytes writes a file holding invalid UTF-8 on its second line:
// badbytes FILE.
func cmdBadBytes(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: badbytes FILE")
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte("+++\ntitle = \"Bad\"\n+++\nfine\n\xff\xfe broken\n"), 0o644))
}
