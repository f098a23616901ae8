package publish

import (
	"context"
	"strings"
	"time"

	"github.com/facet-docs/facet/internal/store"
)

// collect removes, once the grace period has passed, the generations the
// pointer no longer lists (and those a failed publication left behind) and
// the objects no kept generation refers to. existing are the objects
// listed before this publication's uploads; objects it uploaded are the
// current generation's and stay.
func (o *Options) collect(ctx context.Context, ptr *store.Pointer, cur *local, existing []store.Object, res *Result) error {
	st := o.Store
	kept := map[string][]string{ptr.Generation: ptr.Builds}
	for _, h := range ptr.History {
		kept[h.Generation] = h.Builds
	}
	listed, err := st.List(ctx, store.GenerationsDir)
	if err != nil {
		return err
	}
	newest := map[string]int64{}
	keys := map[string][]string{}
	for _, ob := range listed {
		gen, _, _ := strings.Cut(strings.TrimPrefix(ob.Key, store.GenerationsDir), "/")
		newest[gen] = max(newest[gen], ob.Modified)
		keys[gen] = append(keys[gen], ob.Key)
	}
	var drop []string
	for gen, ks := range keys {
		if _, ok := kept[gen]; ok || !o.expired(newest[gen]) {
			continue
		}
		res.RemovedGenerations = append(res.RemovedGenerations, gen)
		drop = append(drop, ks...)
	}
	if err := st.Remove(ctx, drop); err != nil {
		return err
	}
	refs := map[string]bool{}
	for h := range cur.files {
		refs[h] = true
	}
	for gen, builds := range kept {
		if gen == ptr.Generation {
			continue
		}
		for _, dir := range builds {
			ix, err := st.ReadIndex(ctx, gen, dir)
			if err != nil {
				return err // a kept generation must stay whole: remove nothing
			}
			for _, e := range ix.Files {
				refs[e.Hash] = true
			}
		}
	}
	var orphans []string
	for _, ob := range existing {
		h := strings.TrimPrefix(ob.Key, store.ObjectsDir)
		if !refs[h] && o.expired(ob.Modified) {
			orphans = append(orphans, ob.Key)
		}
	}
	res.RemovedObjects = len(orphans)
	return st.Remove(ctx, orphans)
}

// expired reports whether something last written at modified (Unix
// seconds) is older than the grace period.
func (o *Options) expired(modified int64) bool {
	return o.Now().Sub(time.Unix(modified, 0)) >= o.Grace
}
