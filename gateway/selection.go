package gateway

import (
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/manifest"
)

// maxChoiceBytes bounds the accounted memory of the per-generation cache
// of build choices; beyond it choices are computed on every request
// instead of stored.
const maxChoiceBytes = 8 << 20

// choiceCost is the accounted memory of caching c under key.
func choiceCost(key string, c choice) int64 { return int64(128 + len(key) + len(c.audience)) }

// maxSeenBytes bounds the memory of wanted combinations remembered as
// written; past it they are forgotten (wanted.json still holds them).
const maxSeenBytes = 1 << 20

// choice is the build an identity is served.
type choice struct {
	// build is the index into generation.builds, -1 when no build may be shown.
	build int
	// exact is true when the build's visible set equals the identity's.
	exact bool
	// audience is the manifest audience the identity is served as.
	audience string
}

// choose picks the identity's build per ACCESS.md (access.Select): a build
// of the identity's kind whose visible set equals the identity's, else the
// largest build of that kind whose set is a subset of it, else the
// anonymous build if it is a subset, else none. It is cached per (kind, email, groups) for the life of
// the generation. report is called once per identity and generation when
// the choice is not exact.
func (st *generation) choose(id access.Identity, report func(access.Identity, choice)) choice {
	key := id.Key()
	if c, ok := st.choices.Load(key); ok {
		return c.(choice)
	}
	want := st.rules.Visible(id)
	idx, exact := access.SelectFor(st.cands, id, want)
	c := choice{build: idx, exact: exact}
	if idx >= 0 {
		c.audience = audienceFor(id, st.builds[idx].audiences)
	}
	cost := choiceCost(key, c)
	if st.choiceBytes.Add(cost) > maxChoiceBytes {
		st.choiceBytes.Add(-cost)
		if !exact {
			report(id, c)
		}
		return c
	}
	if _, loaded := st.choices.LoadOrStore(key, c); loaded {
		st.choiceBytes.Add(-cost)
	} else {
		if !exact {
			report(id, c)
		}
	}
	return c
}

// anonymous is choose for the anonymous identity, kept for the life of
// the generation: a visitor who is not signed in costs no lookup.
func (st *generation) anonymous(report func(access.Identity, choice)) choice {
	if c := st.anon.Load(); c != nil {
		return *c
	}
	c := st.choose(access.Identity{Kind: access.Anonymous}, report)
	st.anon.Store(&c)
	return c
}

// audienceFor names the audience an identity is served as: its own
// audience id when the build lists it, else the build's first audience.
func audienceFor(id access.Identity, audiences []string) string {
	own := ownAudience(id)
	if slices.Contains(audiences, own) {
		return own
	}
	if len(audiences) > 0 {
		return audiences[0]
	}
	return ""
}

// ownAudience is the audience id ACCESS.md's generator would give the
// identity if it had a build of its own.
func ownAudience(id access.Identity) string { return access.OwnAudience(id) }

// chooseFor picks the identity's build (generation.choose) and records, at most
// once a day per generation, the group combination of a member of two
// groups or more in wanted.json when the member is served a smaller build
// (so that the next build adds it) or the combination's own build (so that
// builds keep making it until nobody has been served it for
// manifest.WantedFor). A combination declared in access.toml needs no
// record. With the memo of a signed-in session's identity (m, or nil),
// the choice is kept there for the day.
func (s *Server) chooseFor(st *generation, id access.Identity, m *identityMemo) choice {
	now := s.now()
	day := now.Unix() / 86400
	if m != nil {
		if p := m.picked.Load(); p != nil && p.day == day {
			return p.c
		}
	}
	c, settled := s.chooseOnce(st, id, now)
	if m != nil && settled {
		m.picked.Store(&picked{c: c, day: day})
	}
	return c
}

// chooseOnce is chooseFor without the memo. It reports whether the
// choice is settled for the day: false while the combination is being
// recorded, which a failed write undoes (a later request tries again).
func (s *Server) chooseOnce(st *generation, id access.Identity, now time.Time) (choice, bool) {
	var c choice
	if id.Kind == access.Anonymous {
		c = st.anonymous(s.reportInexact(st))
	} else {
		c = st.choose(id, s.reportInexact(st))
	}
	// One group alone always has its own build; a smaller build for it
	// comes from user rules, which a combination cannot fix.
	if id.Kind != access.Member || len(id.Groups) < 2 || (c.exact && c.audience != ownAudience(id)) {
		return c, true
	}
	key := wantedKey(st, id.Groups, now)
	if claimed, pending := s.wanted.claim(key); !claimed {
		// Settled once written: a write under way may fail and be released.
		return c, !pending
	}
	if st.declares(id.Groups) {
		s.wanted.finish(key)
		return c, true // claimed, so the check is not repeated today
	}
	go func() {
		if err := s.wanted.record(st, id.Groups, now); err != nil {
			s.wanted.release(key)
			s.log.Warn("cannot record wanted combination", slog.Any("err", err))
			return
		}
		s.wanted.finish(key)
	}()
	return c, false
}

// declares reports whether groups are a combination declared in
// access.toml (Directory.Combinations, each sorted like groups).
func (st *generation) declares(groups []string) bool {
	return slices.ContainsFunc(st.dir.Combinations, func(c []string) bool { return slices.Equal(c, groups) })
}

// wantedKey is the once-a-day key of recording groups in a generation.
func wantedKey(st *generation, groups []string, now time.Time) string {
	return st.gen + "\x00" + now.UTC().Format(time.DateOnly) + "\x00" + strings.Join(groups, "\x00")
}

// wanted records, in the output's wanted.json, group combinations that
// members were served without an exact build, so that the next build adds
// them. Writes go through the generation's root handle, atomically.
type wanted struct {
	// writing orders the writes of wanted.json (each reads it and writes
	// it back); mu guards the rest, never held while writing, so a slow
	// write stalls no request that only claims.
	writing   sync.Mutex
	mu        sync.Mutex
	seen      map[string]bool
	seenBytes int
	// busy counts, by key, the claims whose check or write is under way
	// (an entry per running write at most).
	busy map[string]int
}

// reportInexact logs an identity served a smaller build and counts it.
func (s *Server) reportInexact(st *generation) func(access.Identity, choice) {
	return func(id access.Identity, c choice) {
		s.metrics.inexact.Inc()
		build := "none"
		if c.build >= 0 {
			build = st.builds[c.build].dir
		}
		s.log.Info("no build matches this identity exactly; serving the largest subset",
			slog.String("kind", string(id.Kind)), slog.Any("groups", id.Groups), slog.String("build", build))
	}
}

// record marks groups wanted at now where the generation's source keeps
// wanted combinations (wanted.json in the output folder, or the replica's
// file in the store). Callers claim the day's key first, so that a
// combination is written at most once a day per generation.
func (w *wanted) record(st *generation, groups []string, now time.Time) error {
	w.writing.Lock()
	defer w.writing.Unlock()
	return st.snap.wanted(func(cur *manifest.Wanted) { cur.Touch(groups, now) })
}

// claim marks key as being written and reports whether it was not
// already, and if it was, whether that claim is still under way. The
// claimer calls finish, or release, when its check or write is over.
func (w *wanted) claim(key string) (claimed, pending bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seen[key] {
		return false, w.busy[key] > 0
	}
	w.remember(key)
	if w.busy == nil {
		w.busy = map[string]int{}
	}
	w.busy[key]++
	return true, false
}

// finish ends a claim of key whose write is done (or not needed).
func (w *wanted) finish(key string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done(key)
}

// done ends a claim of key. w.mu is held.
func (w *wanted) done(key string) {
	if w.busy[key] > 1 {
		w.busy[key]--
	} else {
		delete(w.busy, key)
	}
}

// release forgets key after a failed write, so that a later request tries
// again, and ends the claim.
func (w *wanted) release(key string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seen[key] {
		delete(w.seen, key)
		w.seenBytes -= 64 + len(key)
	}
	w.done(key)
}

// remember marks key as written, forgetting every other key first when
// the bound would be passed. w.mu is held.
func (w *wanted) remember(key string) {
	if w.seen[key] {
		return
	}
	if w.seen == nil || w.seenBytes+64+len(key) > maxSeenBytes {
		w.seen, w.seenBytes = map[string]bool{}, 0
	}
	w.seen[key] = true
	w.seenBytes += 64 + len(key)
}
