package main

import (
	"math/rand/v2"
	"strings"
)

// The fixed vocabulary the prose is made of. Prose uses nouns, adjectives
// and third-person verbs; page titles use gerunds, base verbs and kinds
// ("reference", "primer") that prose never uses, so that a page's title does
// not turn up by chance in another page's text.
var (
	nouns = []string{
		"gateway", "build", "audience", "token", "session", "release", "pipeline",
		"cluster", "service", "dashboard", "runbook", "incident", "deployment",
		"database", "backup", "certificate", "contract", "invoice", "account",
		"customer", "ticket", "report", "schedule", "budget", "forecast",
		"template", "workflow", "request", "response", "endpoint", "cache",
		"index", "queue", "worker", "node", "region", "quota", "metric", "alert",
		"trace", "rollout", "migration", "schema", "feature", "experiment",
		"dataset", "model", "benchmark", "checklist", "vendor", "license",
		"permission", "role", "project", "milestone", "roadmap", "sprint",
		"proposal", "specification", "interface", "library", "module", "fixture",
		"payroll", "expense", "renewal", "escalation", "handover", "outage",
		"firewall", "bucket", "secret", "key", "manifest", "sitemap", "search",
		"feed", "storage", "network", "proxy", "mailbox", "calendar", "laptop",
	}
	adjectives = []string{
		"primary", "secondary", "internal", "external", "weekly", "quarterly",
		"annual", "shared", "private", "public", "stable", "experimental",
		"legacy", "current", "regional", "global", "automated", "manual",
		"critical", "optional", "default", "custom", "signed", "verified",
		"encrypted", "archived", "pending", "approved", "detailed", "temporary",
		"permanent", "nightly", "staged", "upstream", "downstream", "isolated",
		"redundant", "scheduled", "monthly", "local",
	}
	verbs = []string{
		"validates", "updates", "describes", "lists", "records", "checks",
		"publishes", "rotates", "stores", "schedules", "approves", "tracks",
		"explains", "replaces", "reviews", "deploys", "monitors", "restores",
		"collects", "signs", "renews", "limits", "exports", "imports", "merges",
		"reports", "caches", "retries", "notifies", "summarizes",
	}
	actors = []string{
		"the ops team", "each owner", "the on-call engineer", "support",
		"the reviewer", "the release manager", "every team", "the account owner",
		"the service desk", "a new hire", "the security team", "a maintainer",
	}
	preps = []string{
		"before each", "after every", "during the", "for every", "within the",
		"across the", "behind the", "next to the", "instead of the", "through the",
	}
	clauses = []string{
		"unless the %a %n is %a", "when the %n changes", "as the %a %n requires",
		"so that %c can act on it", "if the %n fails twice", "once %c approves the %n",
		"while the %a %n is %a", "before %c closes the %n",
	}
	inlineCode = []string{
		"facet build", "config/site.toml", "--out", "retry_limit", "200 OK",
		"/healthz", "timeout = \"30s\"", "make deploy", "X-Request-ID",
		"max_connections", "backup.sh", "GET /v1/status", "ttl", "replicas: 3",
		"git tag", "DATABASE_URL", "--dry-run", "journalctl -u gateway",
	}
	gerunds = []string{
		"Rotating", "Configuring", "Deploying", "Monitoring", "Reviewing",
		"Restoring", "Updating", "Planning", "Tracking", "Migrating", "Scaling",
		"Testing", "Publishing", "Approving", "Archiving", "Auditing", "Tuning",
		"Provisioning", "Retiring", "Securing",
	}
	baseVerbs = []string{
		"rotate", "configure", "deploy", "monitor", "review", "restore",
		"update", "plan", "track", "migrate", "scale", "test", "publish",
		"approve", "archive", "audit", "tune", "provision", "retire", "secure",
	}
	titleKinds = []string{
		"reference", "overview", "primer", "walkthrough", "FAQ", "cheat sheet",
		"playbook", "handbook",
	}
	sectionKinds  = []string{"hub", "corner", "lab", "program", "studio", "forum"}
	fixedHeadings = []string{
		"Before you start", "How it works", "Troubleshooting", "Known limits",
		"Next steps", "Background", "Ownership", "Rollback", "Costs", "Glossary",
	}
	tags = []string{
		"api", "security", "onboarding", "deploy", "monitoring", "billing",
		"legal", "hiring", "release", "incident", "backup", "database",
		"frontend", "backend", "networking", "compliance", "pricing",
		"contracts", "training", "benefits", "support", "escalation",
		"research", "experiment", "performance", "cost", "roadmap",
		"partners", "policy", "tooling",
	}
	externalLinks = []string{
		"https://go.dev/doc/",
		"https://www.rfc-editor.org/rfc/rfc6749",
		"https://openid.net/specs/openid-connect-core-1_0.html",
		"https://example.org/status",
		"https://example.net/partners/portal",
		"https://developer.mozilla.org/en-US/docs/Web/HTTP",
		"https://toml.io/en/v1.0.0",
		"https://commonmark.org/help/",
	}
)

// words draws prose from the vocabulary with one random source.
type words struct {
	r *rand.Rand
}

func (w words) pick(list []string) string { return list[w.r.IntN(len(list))] }

// chance reports true with probability p.
func (w words) chance(p float64) bool { return w.r.Float64() < p }

// between returns an int in [lo, hi].
func (w words) between(lo, hi int) int { return lo + w.r.IntN(hi-lo+1) }

// fill replaces %n, %a and %c in a pattern with a noun, an adjective and an actor.
func (w words) fill(pattern string) string {
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		if pattern[i] != '%' || i+1 == len(pattern) {
			b.WriteByte(pattern[i])
			continue
		}
		i++
		switch pattern[i] {
		case 'n':
			b.WriteString(w.pick(nouns))
		case 'a':
			b.WriteString(w.pick(adjectives))
		case 'c':
			b.WriteString(w.pick(actors))
		default:
			b.WriteByte('%')
			b.WriteByte(pattern[i])
		}
	}
	return b.String()
}

// phrase is a noun phrase, sometimes decorated with emphasis or inline code.
func (w words) phrase() string {
	switch w.r.IntN(12) {
	case 0:
		return "the *" + w.pick(adjectives) + "* " + w.pick(nouns)
	case 1:
		return "the **" + w.pick(nouns) + "**"
	case 2:
		return "`" + w.pick(inlineCode) + "`"
	case 3, 4, 5:
		return "the " + w.pick(nouns)
	}
	return "the " + w.pick(adjectives) + " " + w.pick(nouns)
}

// sentence is one sentence of 6 to 20 words, capitalized, with a final period.
func (w words) sentence() string {
	var s string
	switch w.r.IntN(5) {
	case 0:
		s = w.phrase() + " " + w.pick(verbs) + " " + w.phrase() + " " + w.pick(preps) + " " + w.pick(nouns)
	case 1:
		s = w.pick(actors) + " " + w.pick(verbs) + " " + w.phrase() + ", " + w.fill(w.pick(clauses))
	case 2:
		s = "in most cases " + w.phrase() + " " + w.pick(verbs) + " " + w.phrase()
	case 3:
		s = w.phrase() + " " + w.pick(verbs) + " " + w.phrase() + " and " + w.pick(verbs) + " " + w.phrase()
	default:
		s = w.phrase() + " " + w.pick(verbs) + " " + w.phrase() + " " + w.fill(w.pick(clauses))
	}
	return capitalize(s) + "."
}

// linkText is what an author writes inside a link: never a page's title.
func (w words) linkText() string {
	switch w.r.IntN(5) {
	case 0:
		return "the " + w.pick(nouns) + " notes"
	case 1:
		return w.pick(adjectives) + " " + w.pick(nouns) + " details"
	case 2:
		return "this page"
	case 3:
		return "the " + w.pick(nouns) + " guide"
	}
	return "more on the " + w.pick(nouns)
}

// title is a page title of three words or more.
func (w words) title() string {
	switch w.r.IntN(3) {
	case 0:
		return w.pick(gerunds) + " the " + w.pick(adjectives) + " " + w.pick(nouns)
	case 1:
		return "How to " + w.pick(baseVerbs) + " the " + w.pick(adjectives) + " " + w.pick(nouns)
	}
	return capitalize(w.pick(adjectives)) + " " + w.pick(nouns) + " " + w.pick(titleKinds)
}

// heading is a heading inside a page: a fixed one or an adjective and a noun.
func (w words) heading() string {
	if w.chance(0.3) {
		return w.pick(fixedHeadings)
	}
	return capitalize(w.pick(adjectives)) + " " + w.pick(nouns)
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// slug turns a title into a file or folder name: lower case, words joined
// with hyphens, only letters and digits kept.
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(title) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(c)
		default:
			dash = true
		}
	}
	return b.String()
}
