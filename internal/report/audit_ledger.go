package report

import (
	"slices"
	"strings"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/ledger"
)

// LedgerSummary is what the gateway's sign-in ledger says of the declared
// guests.
type LedgerSummary struct {
	// Guests are the declared guests with a sign-in under their address
	// (as the guest or not), by email.
	Guests []GuestSignIns `json:"guests"`
	// Never are the declared guests who never signed in as the guest.
	Never []string `json:"never"`
	// Entries is the number of ledger lines read.
	Entries int `json:"entries"`
}

// GuestSignIns is one guest's sign-ins in the ledger.
type GuestSignIns struct {
	Email string `json:"email"`
	// SignIns counts the sign-ins made as a guest; Last is the latest
	// one's time (RFC 3339), "" when none.
	SignIns int    `json:"sign_ins"`
	Last    string `json:"last"`
	// LastKind is "guest" (kept for format 1 readers).
	LastKind string `json:"last_kind"`
	// Outsider counts sign-ins with the guest's address that were not the
	// guest's: an unverified address, or the guest's access expired. They
	// give no page beyond anonymous, and are worth a look.
	Outsider int `json:"outsider_sign_ins"`
}

// AddLedger summarises the ledger entries for the audit's declared guests.
func (a *Audit) AddLedger(entries []ledger.Entry) {
	sum := &LedgerSummary{Guests: []GuestSignIns{}, Never: []string{}, Entries: len(entries)}
	byEmail := map[string]*GuestSignIns{}
	for _, e := range entries {
		if e.Event != ledger.SignIn {
			continue
		}
		email := access.NormEmail(e.Email)
		g := byEmail[email]
		if g == nil {
			g = &GuestSignIns{Email: email}
			byEmail[email] = g
		}
		if e.Kind != "guest" {
			g.Outsider++
			continue
		}
		g.SignIns++
		if e.Time >= g.Last { // RFC 3339 in UTC sorts as text
			g.Last, g.LastKind = e.Time, e.Kind
		}
	}
	for _, row := range a.Guests {
		g, ok := byEmail[row.Email]
		if ok {
			sum.Guests = append(sum.Guests, *g)
		}
		if !ok || g.SignIns == 0 {
			sum.Never = append(sum.Never, row.Email)
		}
	}
	slices.SortFunc(sum.Guests, func(x, y GuestSignIns) int { return strings.Compare(x.Email, y.Email) })
	a.Ledger = sum
}
