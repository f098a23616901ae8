package themes

import (
	"io/fs"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Every token colour of the default syntax.css reads against its
// background, and against a highlighted line's, with a contrast of at
// least 4.5:1 (WCAG AA), in light and in both dark blocks, and every class the light block colours is coloured
// again in each dark block: a light colour left to apply in dark mode is
// near-black on near-black.
func TestSyntaxContrast(t *testing.T) {
	t.Parallel()
	b, err := fs.ReadFile(Default, "assets/syntax.css")
	if err != nil {
		t.Fatal(err)
	}
	css := string(b)
	media := strings.Index(css, "@media (prefers-color-scheme: dark)")
	forced := strings.Index(css, `:root[data-theme="dark"]`)
	if media < 0 || forced < 0 {
		t.Fatal("syntax.css has no dark blocks")
	}
	blocks := map[string]string{"light": css[:media], "dark (system)": css[media:forced], "dark (chosen)": css[forced:]}
	// A highlighted line (hl_lines) is drawn on the theme's soft accent
	// (features.css), unless syntax.css gives .hl a background of its own.
	theme, err := fs.ReadFile(Default, "assets/facet.css")
	if err != nil {
		t.Fatal(err)
	}
	softRE := regexp.MustCompile(`--fc-accent-soft: (#[0-9a-fA-F]{6})`)
	soft := softRE.FindAllStringSubmatch(string(theme), -1)
	if len(soft) != 2 {
		t.Fatalf("facet.css sets --fc-accent-soft %d times, want 2 (light, dark)", len(soft))
	}
	light := colours(blocks["light"])
	for name, block := range blocks {
		cs := colours(block)
		bg, ok := cs[""]
		if !ok {
			t.Fatalf("%s: no background for .chroma", name)
		}
		hl := soft[0][1]
		if name != "light" {
			hl = soft[1][1]
		}
		if m := hlRE.FindStringSubmatch(block); m != nil {
			hl = m[1]
		}
		for class := range light {
			if _, ok := cs[class]; class != "" && !ok && name != "light" {
				t.Errorf("%s: .%s keeps its light colour %s", name, class, light[class])
			}
		}
		for class, c := range cs {
			if class == "" || class == "err" || class == "hl" || class == "w" || class == "lnt" || class == "ln" {
				continue // the chroma background, errors with their own background, highlights, whitespace, line numbers
			}
			if r := contrast(c, bg); r < 4.5 {
				t.Errorf("%s: .%s %s on %s has contrast %.2f, want >= 4.5", name, class, c, bg, r)
			}
			if r := contrast(c, hl); r < 4.5 {
				t.Errorf("%s: .%s %s on a highlighted line's %s has contrast %.2f, want >= 4.5", name, class, c, hl, r)
			}
		}
	}
}

var ruleRE = regexp.MustCompile(`\.chroma(?: \.([a-z0-9]+))? \{([^}]*)\}`)
var colourRE = regexp.MustCompile(`(?:^|[ ;])color: (#[0-9a-fA-F]{6})`)
var hlRE = regexp.MustCompile(`\.chroma \.hl \{[^}]*background-color: (#[0-9a-fA-F]{6})`)
var bgRE = regexp.MustCompile(`background-color: (#[0-9a-fA-F]{6})`)

// colours maps each class of a block to its colour; "" is .chroma's
// background.
func colours(block string) map[string]string {
	out := map[string]string{}
	for _, m := range ruleRE.FindAllStringSubmatch(block, -1) {
		if m[1] == "" {
			if bg := bgRE.FindStringSubmatch(m[2]); bg != nil {
				out[""] = bg[1]
			}
			continue
		}
		if c := colourRE.FindStringSubmatch(m[2]); c != nil {
			out[m[1]] = c[1]
		}
	}
	return out
}

// contrast is the WCAG contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}
