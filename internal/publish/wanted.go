package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/facet-docs/facet/internal/manifest"
	"github.com/facet-docs/facet/internal/store"
)

// MergeWanted merges the wanted combinations every gateway replica
// recorded in the store (wanted/*.json) into the output folder's
// wanted.json, keeping each combination's latest time, so that the next
// facet build into that folder builds them. It returns how many
// combinations the file holds after.
func MergeWanted(ctx context.Context, st *store.Store, out string) (int, error) {
	obs, err := st.List(ctx, store.WantedDir)
	if err != nil {
		return 0, err
	}
	path := filepath.Join(out, manifest.WantedFile)
	var cur manifest.Wanted
	switch b, err := os.ReadFile(path); {
	case err == nil:
		if json.Unmarshal(b, &cur) != nil {
			cur = manifest.Wanted{}
		}
	case !errors.Is(err, fs.ErrNotExist):
		return 0, fmt.Errorf("publish: %w", err)
	}
	for _, ob := range obs {
		b, err := st.Get(ctx, ob.Key)
		if err != nil {
			return 0, err
		}
		var w manifest.Wanted
		if json.Unmarshal(b, &w) != nil {
			continue // a damaged replica file adds nothing
		}
		merge(&cur, &w)
	}
	b, err := json.MarshalIndent(cur, "", "  ")
	if err != nil {
		return 0, fmt.Errorf("publish: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return 0, fmt.Errorf("publish: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return 0, fmt.Errorf("publish: %w", err)
	}
	return len(cur.Combinations), nil
}

// merge adds w's combinations to cur, each at its latest time (RFC 3339
// in UTC compares as text).
func merge(cur, w *manifest.Wanted) {
	for _, c := range w.Combinations {
		found := false
		for i := range cur.Combinations {
			if slices.Equal(cur.Combinations[i].Groups, c.Groups) {
				found = true
				if c.LastWanted > cur.Combinations[i].LastWanted {
					cur.Combinations[i].LastWanted = c.LastWanted
				}
			}
		}
		if !found {
			cur.Combinations = append(cur.Combinations, c)
		}
	}
	cur.Sort()
}
