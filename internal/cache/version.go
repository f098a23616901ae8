package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"
)

// Version returns the version key of the running facet: what an entry
// written by another facet must not be taken for.
//
// A release (a module version from debug.ReadBuildInfo, not a "(devel)"
// or "+dirty" build) is named by its build information: the module
// version, every dependency's version and sum, the Go version and build
// settings. Anything else (a development build, a test binary, an
// uncommitted change) is named by the SHA-256 of its own executable, so
// that a code change never reuses an entry an older build wrote. When
// neither can be had, Version returns "" and callers should not cache.
var Version = sync.OnceValue(version)

func version() string {
	bi, ok := debug.ReadBuildInfo()
	if ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" &&
		!strings.Contains(bi.Main.Version, "dirty") && !modified(bi) {
		return "release\x00" + bi.String()
	}
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return "executable\x00" + hex.EncodeToString(h.Sum(nil))
}

// modified reports whether the build information says the source had
// uncommitted changes.
func modified(bi *debug.BuildInfo) bool {
	for _, s := range bi.Settings {
		if s.Key == "vcs.modified" && s.Value == "true" {
			return true
		}
	}
	return false
}
