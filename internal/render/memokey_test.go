package render

import (
	"reflect"
	"testing"
)

// TestAppendValueTellsKindsApart: appendValue claims that two different
// values never encode alike, which is what lets a field added to Data
// later join the memo's keys unseen. A field of interface type (a map of
// frontmatter parameters, say) holds values of any type, which a template
// prints apart ("false", "0", ""), so their encodings must differ too.
func TestAppendValueTellsKindsApart(t *testing.T) {
	t.Parallel()
	type holder struct{ V any }
	values := []any{nil, false, true, 0, 1, uint(0), uint(1), "", "\x01", 0.0, []string{}, map[string]int{}, holder{}, &holder{}}
	seen := map[string]any{}
	for _, v := range values {
		enc := string(appendValue(nil, reflect.ValueOf(holder{V: v})))
		if w, ok := seen[enc]; ok {
			t.Errorf("%#v and %#v encode alike (%q)", w, v, enc)
		}
		seen[enc] = v
	}
	m1 := map[string]any{"draft": false}
	m2 := map[string]any{"draft": ""}
	if string(appendValue(nil, reflect.ValueOf(m1))) == string(appendValue(nil, reflect.ValueOf(m2))) {
		t.Errorf("%v and %v encode alike", m1, m2)
	}
}
