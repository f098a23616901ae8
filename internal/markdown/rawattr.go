package markdown

import (
	"strings"
	"unicode"
)

// attrKind says how raw HTML treats one attribute. Raw HTML is read
// through an allow-list: an attribute is a URL attribute (resolved as a
// slot), a known URL-free one (copied), or one whose value is checked:
// copied when it cannot carry a link of the site, refused otherwise.
type attrKind uint8

const (
	kindProbe  attrKind = iota // copied unless a word of it names the site
	kindText                   // known to hold no URL: copied
	kindURL                    // a URL attribute: role says how it drops
	kindCSS                    // copied unless it loads a URL
	kindRefuse                 // always refused (script, documents)
)

// urlRoles are the URL attributes of HTML and SVG and how a hidden target
// takes them out. Some depend on the element (see classify).
var urlRoles = map[string]attrRole{
	"href": roleLose, "xlink:href": roleLose, "action": roleLose, "formaction": roleLose,
	"cite": roleLose, "longdesc": roleLose, "background": roleLose, "manifest": roleLose,
	"icon": roleLose, "codebase": roleLose, "usemap": roleLose, "profile": roleLose,
	"classid": roleLose, "itemid": roleLose, "itemtype": roleLose,
	"ping": roleList, "archive": roleList,
	"src": roleRemove, "poster": roleRemove, "data-src": roleRemove, "lowsrc": roleRemove,
	"dynsrc": roleRemove,
	"srcset": roleSrcset, "imagesrcset": roleSrcset, "data-srcset": roleSrcset,
}

// embedsByHref are the elements whose href loads what it names.
var embedsByHref = map[string]bool{"link": true, "image": true, "use": true, "feimage": true, "script": true}

// animations are the SVG elements whose values/to/from/by set another
// attribute, named by attributeName.
var animations = map[string]bool{"animate": true, "set": true, "animatemotion": true, "animatetransform": true, "animatecolor": true}

// textAttrs are attributes that never hold a URL. Their values are the
// author's text, copied as written.
var textAttrs = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields(`id class title alt lang xml:lang dir hidden tabindex accesskey role
		slot part translate spellcheck contenteditable draggable inputmode enterkeyhint popover
		width height align valign colspan rowspan scope headers border cellpadding cellspacing span
		abbr nowrap color bgcolor face size frameborder scrolling allowfullscreen allow sandbox
		name type rel rev target method enctype charset hreflang media sizes crossorigin
		referrerpolicy loading decoding fetchpriority integrity nonce async defer nomodule
		controls autoplay loop muted playsinline preload kind srclang label default
		for form disabled checked selected readonly required multiple placeholder min max step
		maxlength minlength pattern cols rows wrap autocomplete autofocus open start reversed
		datetime download http-equiv itemscope itemprop shape coords ismap clear compact
		xmlns xmlns:xlink viewbox preserveaspectratio version d fill stroke stroke-width
		stroke-linecap stroke-linejoin opacity fill-opacity stroke-opacity transform
		x y x1 y1 x2 y2 cx cy r rx ry points dx dy rotate text-anchor font-size font-family
		font-weight attributename attributetype dur begin end repeatcount repeatdur keytimes
		keysplines calcmode additive accumulate values to from by value`) {
		m[k] = true
	}
	return m
}()

// classify returns how attribute key of element tag is treated, given
// the element's other attributes (get returns one by name, "" if absent).
// msg explains a refusal.
func classify(tag, key string, get func(string) string) (kind attrKind, role attrRole, msg string) {
	switch {
	case strings.HasPrefix(key, "on"):
		return kindRefuse, roleNone, "event handler attribute " + key + ": script can carry links facet cannot redact; move the script to the theme"
	case key == "srcdoc":
		return kindRefuse, roleNone, "srcdoc attribute: it holds a document whose links facet does not resolve; use src with a page or file"
	case key == "style":
		return kindCSS, roleNone, ""
	case key == "data" && tag == "object":
		return kindURL, roleRemove, ""
	case key == "content" && tag == "meta" && strings.EqualFold(strings.TrimSpace(get("http-equiv")), "refresh"):
		return kindURL, roleRefresh, ""
	case key == "value" && tag == "param":
		return kindProbe, roleNone, ""
	case animations[tag] && (key == "values" || key == "to" || key == "from" || key == "by"):
		target := strings.ToLower(strings.TrimSpace(get("attributename")))
		if _, isURL := urlRoles[strings.TrimPrefix(target, "xlink:")]; isURL || target == "" {
			return kindRefuse, roleNone, "<" + tag + "> animates the URL attribute " + quoteOr(target, "(unnamed)") + ": facet cannot redact the URLs it sets; link directly instead"
		}
		return kindText, roleNone, ""
	}
	if r, ok := urlRoles[key]; ok {
		if r == roleLose && (key == "href" || key == "xlink:href") && embedsByHref[tag] {
			r = roleRemove
		}
		return kindURL, r, ""
	}
	if textAttrs[key] || strings.HasPrefix(key, "aria-") {
		return kindText, roleNone, ""
	}
	return kindProbe, roleNone, ""
}

func quoteOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// probeWords splits an attribute value into the words that could be a
// link: runs between spaces, quotes, brackets and separators that hold a
// slash, a dot, a backslash, a percent sign or a colon.
func probeWords(v string) []string {
	words := strings.FieldsFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("\"'`()<>,;={}[]", r)
	})
	out := words[:0]
	for _, w := range words {
		if len(w) > 1 && strings.ContainsAny(w, `/.\%:`) {
			out = append(out, w)
		}
	}
	return out
}

// cssLoads returns the offset in css of the first construct that loads a
// URL (url(), image-set(), image(), cross-fade(), element(), src(),
// expression(), @import) or of a backslash (a CSS escape can spell any of
// them), or -1 when there is none.
func cssLoads(css string) int {
	l := strings.ToLower(css)
	first := -1
	for _, k := range []string{"url(", "image-set(", "image(", "cross-fade(", "element(", "src(", "expression(", "@import", `\`} {
		if i := strings.Index(l, k); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	return first
}

// cssMsg explains why CSS that loads a URL is refused.
const cssMsg = "loads a URL (url(), image-set(), @import): facet cannot redact links in CSS; use an <img> or put the rule in the theme's CSS"
