package diag

import "testing"

func TestClosest(t *testing.T) {
	t.Parallel()
	keys := []string{"title", "tags", "url", "access", "page_access"}
	tests := []struct{ in, want string }{
		{"titel", "title"},
		{"tag", "tags"},
		{"acess", "access"},
		{"page-access", "page_access"},
		{"colour", ""},
		{"", ""},
		{"TITLE", ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.in, keys); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
