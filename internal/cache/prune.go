package cache

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// staleTemp is how old a temporary file must be before Prune takes it for
// the leftover of a build that stopped mid-write.
const staleTemp = time.Hour

// PruneResult says what Prune found and did.
type PruneResult struct {
	// Entries and Bytes are what the cache holds after pruning.
	Entries int
	Bytes   int64
	// Removed counts the entries deleted.
	Removed int
}

type entryInfo struct {
	path string
	size int64
	mod  time.Time
}

// Prune deletes leftover temporary files and, when the entries take more
// than the limit, the least recently used ones until they take at most
// nine tenths of it. Entries of other formats (other folders) go too.
func (c *Cache) Prune() (PruneResult, error) {
	var res PruneResult
	if c == nil {
		return res, nil
	}
	if err := c.removeOtherFormats(); err != nil {
		return res, err
	}
	var all []entryInfo
	now := time.Now()
	root := filepath.Join(c.dir, entriesDir)
	shards, err := os.ReadDir(root)
	if err != nil {
		return res, fmt.Errorf("prune cache: %w", err)
	}
	for _, sh := range shards {
		if !sh.IsDir() {
			continue
		}
		dir := filepath.Join(root, sh.Name())
		files, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, f := range files {
			info, err := f.Info()
			if err != nil || !info.Mode().IsRegular() {
				continue
			}
			p := filepath.Join(dir, f.Name())
			if strings.HasPrefix(f.Name(), ".tmp-") {
				if now.Sub(info.ModTime()) > staleTemp {
					os.Remove(p)
				}
				continue
			}
			all = append(all, entryInfo{p, info.Size(), info.ModTime()})
			res.Bytes += info.Size()
		}
	}
	res.Entries = len(all)
	if res.Bytes <= c.limit {
		return res, nil
	}
	slices.SortFunc(all, func(a, b entryInfo) int { return a.mod.Compare(b.mod) })
	for _, e := range all {
		if res.Bytes <= c.limit/10*9 {
			break
		}
		if err := os.Remove(e.path); err != nil && !os.IsNotExist(err) {
			continue
		}
		res.Bytes -= e.size
		res.Entries--
		res.Removed++
	}
	return res, nil
}

// removeOtherFormats deletes the entry folders of other cache formats.
func (c *Cache) removeOtherFormats() error {
	list, err := os.ReadDir(c.dir)
	if err != nil {
		return fmt.Errorf("prune cache: %w", err)
	}
	for _, e := range list {
		n := e.Name()
		if e.IsDir() && n != entriesDir && len(n) > 1 && n[0] == 'v' && strings.Trim(n[1:], "0123456789") == "" {
			os.RemoveAll(filepath.Join(c.dir, n))
		}
	}
	return nil
}
