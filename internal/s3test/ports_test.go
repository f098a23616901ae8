package s3test

import "testing"

// freePorts hands out distinct ports: weed given one port for two of its
// services exits ("address already in use").
func TestFreePortsDistinct(t *testing.T) {
	ports, err := freePorts(64)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ports {
		if p <= 0 || seen[p] {
			t.Fatalf("port %d handed out twice or invalid: %v", p, ports)
		}
		seen[p] = true
	}
}
