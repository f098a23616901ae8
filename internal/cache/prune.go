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
	// Estimated is set when Entries and Bytes are not counted but bounded
	// from above: the last count plus what was written since (see Prune).
	Estimated bool
}

// usageFile, in the cache folder, holds the last count of the entries
// ("bytes entries unix-nanoseconds\n"): what Prune found when it last
// walked the entries, at that time, plus what was written since.
const usageFile = "usage"

// walkEvery is how long Prune trusts the last count before it walks the
// entries again, whatever its estimate.
const walkEvery = time.Hour

// readUsage returns the cache's last count and when it was made.
func (c *Cache) readUsage() (bytes int64, entries int, at time.Time, ok bool) {
	b, err := os.ReadFile(filepath.Join(c.dir, usageFile))
	if err != nil {
		return 0, 0, time.Time{}, false
	}
	var ns int64
	if n, err := fmt.Sscanf(string(b), "%d %d %d\n", &bytes, &entries, &ns); err != nil || n != 3 || bytes < 0 || entries < 0 {
		return 0, 0, time.Time{}, false
	}
	return bytes, entries, time.Unix(0, ns), true
}

func (c *Cache) writeUsage(bytes int64, entries int, at time.Time) {
	_ = writeAtomic(filepath.Join(c.dir, usageFile), fmt.Appendf(nil, "%d %d %d\n", bytes, entries, at.UnixNano()))
}

type entryInfo struct {
	path string
	size int64
	mod  time.Time
}

// Prune deletes leftover temporary files and, when the entries take more
// than the limit, the least recently used ones until they take at most
// nine tenths of it. Entries of other formats (other folders) go too.
//
// Walking every entry costs a large cache a second, so Prune walks only
// when it must: when the last count (the usage file) is missing, older
// than walkEvery, or with the bytes Put wrote since (an upper bound:
// an entry written again is counted twice) over nine tenths of the
// limit. Otherwise it returns that bound as an estimate and records it.
// Builds that write to one cache at once can each miss the other's
// writes in the bound; the walk within the hour counts them.
func (c *Cache) Prune() (PruneResult, error) {
	var res PruneResult
	if c == nil {
		return res, nil
	}
	if b, n, at, ok := c.readUsage(); ok && time.Since(at) < walkEvery && !at.After(time.Now()) {
		b += c.putBytes.Load()
		n += int(c.puts.Load())
		if b <= c.limit/10*9 {
			c.writeUsage(b, n, at)
			return PruneResult{Entries: n, Bytes: b, Estimated: true}, nil
		}
	}
	walked := time.Now()
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
		c.writeUsage(res.Bytes, res.Entries, walked)
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
	c.writeUsage(res.Bytes, res.Entries, walked)
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
