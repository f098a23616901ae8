package ledger

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAppendRotateRead(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ledger.jsonl")
	w, err := Open(path, 400, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if err := w.Append(Entry{Time: fmt.Sprintf("2026-01-01T00:00:%02dZ", i), Event: SignIn, Kind: "guest",
			Email: fmt.Sprintf("g%02d@partner.example", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + ".1", path + ".2"} {
		st, err := os.Stat(f)
		if err != nil || st.Size() > 400 {
			t.Errorf("%s: %v, size %d", f, err, st.Size())
		}
	}
	if _, err := os.Stat(path + ".3"); err == nil {
		t.Error("more rotated files than kept")
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || len(got) >= 20 {
		t.Fatalf("read %d entries, want the kept tail of 20", len(got))
	}
	for i, e := range got {
		want := fmt.Sprintf("g%02d@partner.example", 20-len(got)+i)
		if e.Email != want || e.Groups == nil {
			t.Errorf("entry %d: %+v, want %s in order", i, e, want)
		}
	}
}

// A reopened ledger appends (a gateway restart keeps the history), and a
// torn last line is skipped, not fatal.
func TestReopenAndTornLine(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ledger.jsonl")
	for range 2 {
		w, err := Open(path, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Append(Entry{Time: "2026-01-01T00:00:00Z", Event: SignOut, Kind: "member", Email: "a@example.com"}); err != nil {
			t.Fatal(err)
		}
		w.Close()
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"time":"2026-01-01T00:00:01Z","event":"sig`)
	f.Close()
	got, err := Read(path)
	if err != nil || len(got) != 2 {
		t.Fatalf("read %d entries (%v), want 2", len(got), err)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `"groups":[]`) {
		t.Errorf("groups not written as []: %s", data)
	}
	if _, err := Read(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("a missing ledger reads without error")
	}
}

// A line appended after a torn last line (a crash mid-write) is its own
// line: it must not be glued to the torn bytes and lost with them.
func TestAppendAfterTornLine(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ledger.jsonl")
	if err := os.WriteFile(path, []byte(`{"time":"2026-01-01T00:00:00Z","event":"sign-in","kind":"gu`), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := Open(path, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(Entry{Time: "2026-01-01T00:00:01Z", Event: SignIn, Kind: "guest", Email: "carol@partner.example"}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	got, err := Read(path)
	if err != nil || len(got) != 1 || got[0].Email != "carol@partner.example" {
		t.Fatalf("read %+v (%v), want carol's sign-in", got, err)
	}
}

// Two writers of one ledger (two gateway processes, or one that restarts
// while the old one drains): a writer whose file another has rotated away
// appends to the current file, never to a removed one.
func TestWriterFollowsRotationByAnother(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ledger.jsonl")
	entry := func(i int) Entry {
		return Entry{Time: fmt.Sprintf("2026-01-01T00:00:%02dZ", i), Event: SignIn, Kind: "guest", Email: fmt.Sprintf("g%02d@partner.example", i)}
	}
	line, _ := json.Marshal(entry(0))
	max := int64(len(line)+1)*5/2 + 1 // two lines fit, three do not
	a, err := Open(path, max, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path, max, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := a.Append(entry(1)); err != nil {
		t.Fatal(err)
	}
	for i := 2; i <= 6; i++ { // b rotates twice: a's file is removed
		if err := b.Append(entry(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Append(entry(7)); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[len(got)-1].Email != entry(7).Email {
		t.Errorf("read %+v, want the last entry g07", got)
	}
}

// A line longer than any buffer is read, and the lines after it too.
func TestReadLongLine(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "ledger.jsonl")
	w, err := Open(path, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	groups := make([]string, 80000)
	for i := range groups {
		groups[i] = fmt.Sprintf("group-%05d", i)
	}
	w.Append(Entry{Time: "2026-01-01T00:00:00Z", Event: SignIn, Kind: "member", Email: "a@example.com", Groups: groups})
	w.Append(Entry{Time: "2026-01-01T00:00:01Z", Event: SignOut, Kind: "member", Email: "a@example.com"})
	w.Close()
	got, err := Read(path)
	if err != nil || len(got) != 2 || len(got[0].Groups) != len(groups) {
		t.Fatalf("read %d entries (%v), want 2", len(got), err)
	}
}
