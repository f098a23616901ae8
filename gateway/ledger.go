package gateway

import (
	"log/slog"
	"time"

	"github.com/facet-docs/facet/internal/access"
	"github.com/facet-docs/facet/internal/ledger"
)

// openLedger opens the sign-in ledger named by the settings, if any.
func (s *Server) openLedger() error {
	if s.cfg.Ledger == "" {
		return nil
	}
	w, err := ledger.Open(s.cfg.Ledger, 0, 0)
	if err != nil {
		return err
	}
	s.ledger = w
	return nil
}

// record appends a sign-in or sign-out of sess to the ledger: the kind
// the session resolves to now, the groups that counted and the build it is
// served. A failure to write is logged; it never blocks the sign-in.
func (s *Server) record(event string, sess *session, now time.Time) {
	if s.ledger == nil || sess == nil {
		return
	}
	e := ledger.Entry{Time: ledger.Now(now), Event: event, Kind: "unknown", Email: sess.Email}
	if st := s.current.Load(); st != nil {
		id := st.identify(sess, now)
		e.Kind, e.Groups = string(id.Kind), id.Groups
		if id.Kind == access.Outsider {
			e.Kind, e.Groups = string(access.Outsider), nil
		}
		if i, _ := access.SelectFor(st.cands, id, st.rules.Visible(id)); i >= 0 {
			e.Build = st.builds[i].dir
		}
	}
	if err := s.ledger.Append(e); err != nil {
		s.log.Warn("sign-in ledger not written", slog.Any("err", err))
	}
}
