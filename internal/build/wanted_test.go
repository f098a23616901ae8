package build

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/facet-docs/facet/internal/manifest"
)

// writeWanted writes wanted.json into the published output as the gateway
// does, each combination last wanted at the given time.
func (s *testSite) writeWanted(at time.Time, combos ...[]string) {
	s.t.Helper()
	var w manifest.Wanted
	for _, c := range combos {
		w.Combinations = append(w.Combinations, manifest.WantedCombination{Groups: c, LastWanted: at.UTC().Format(time.RFC3339)})
	}
	b, err := json.Marshal(w)
	if err != nil {
		s.t.Fatal(err)
	}
	s.editFile("public/"+manifest.WantedFile, string(b))
}

// A combination the gateway wanted is built by every later build while it
// stays within manifest.WantedFor of its last wanting, and dropped after.
func TestWantedCombinationsStick(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := newTestSite(t, fixture)
	s.now = func() time.Time { return now }
	s.build()
	s.writeWanted(now, []string{"contractors", "eng"})
	for i := range 3 {
		s.build()
		if _, ok := s.audienceDirs()["groups:contractors+eng"]; !ok {
			t.Fatalf("build %d after the gateway wanted it: combination missing", i+1)
		}
		now = now.Add(manifest.WantedFor / 4)
	}
	now = now.Add(manifest.WantedFor)
	s.build()
	if _, ok := s.audienceDirs()["groups:contractors+eng"]; ok {
		t.Error("combination kept past the wanted period")
	}
	if _, err := os.Stat(filepath.Join(s.out, manifest.WantedFile)); err == nil {
		t.Error("wanted.json still lists an expired combination")
	}
}

// Of several wanted entries, those last wanted longer ago than the period
// are dropped at once; the others are built and carried.
func TestWantedExpiredDropped(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, age := range []time.Duration{manifest.WantedFor + time.Second, 2 * manifest.WantedFor, 365 * 24 * time.Hour} {
		s := newTestSite(t, fixture)
		s.now = func() time.Time { return now }
		s.build()
		s.writeWanted(now.Add(-age), []string{"contractors", "eng"})
		s.build()
		if _, ok := s.audienceDirs()["groups:contractors+eng"]; ok {
			t.Errorf("age %v: expired combination built", age)
		}
		s.writeWanted(now.Add(-manifest.WantedFor+time.Hour), []string{"contractors", "eng"})
		s.build()
		s.build()
		if _, ok := s.audienceDirs()["groups:contractors+eng"]; !ok {
			t.Errorf("age %v: combination within the period not kept", age)
		}
	}
}

// wanted.json in the form without times (a bare list of groups per
// combination) is read as wanted at the build's time.
func TestWantedLegacyForm(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, fixture).build()
	s.editFile("public/wanted.json", `{"combinations":[["contractors","eng"]]}`)
	s.build().build()
	if _, ok := s.audienceDirs()["groups:contractors+eng"]; !ok {
		t.Fatal("combination from the older form not kept")
	}
}
