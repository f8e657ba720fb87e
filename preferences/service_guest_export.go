package preferences

import (
	"context"
	"sort"
)

// GuestAudit returns the guest's audit entries, oldest first: the audit log's (a
// preference change with its old → new), and the housekeeping board's reads made while
// the guest was in house. The read is itself audited (audit.read), after the entries
// are gathered; reads still pending are written first, so they are listed.
func (s *Service) GuestAudit(ctx context.Context, actor Actor, id string) ([]AuditEntry, error) {
	if err := s.FlushAudit(ctx); err != nil {
		return nil, err
	}
	var out []AuditEntry
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		if _, err := tx.GuestByID(ctx, id); err != nil {
			return err
		}
		out, err = guestAudit(ctx, tx, id)
		return err
	})
	if err == nil {
		s.recordRead(actor, id, ActionAuditRead)
	}
	return out, err
}

// guestAudit gathers a guest's audit entries, oldest first.
func guestAudit(ctx context.Context, tx Tx, id string) ([]AuditEntry, error) {
	logged, err := tx.GuestAuditEntries(ctx, id)
	if err != nil {
		return nil, err
	}
	// A preference change's entry is its preference_changes row (with old → new); the
	// audit_log rows of that action are older duplicates, from before that was so.
	out := []AuditEntry{}
	for _, e := range logged {
		if e.Action != ActionPrefsChange {
			out = append(out, e)
		}
	}
	changes, err := tx.PreferenceChanges(ctx, id)
	if err != nil {
		return nil, err
	}
	boards, err := tx.BoardReadsInHouse(ctx, id)
	if err != nil {
		return nil, err
	}
	out = append(append(out, changes...), boards...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// ExportGuest gathers everything stored about the guest, for a subject-access request;
// the export is audited (guest.export).
func (s *Service) ExportGuest(ctx context.Context, actor Actor, id string) (GuestExport, error) {
	if err := s.FlushAudit(ctx); err != nil {
		return GuestExport{}, err
	}
	var ex GuestExport
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		if ex.Guest, err = tx.GuestByID(ctx, id); err != nil {
			return err
		}
		if ex.Preferences, err = tx.GuestPreferences(ctx, id); err != nil {
			return err
		}
		if ex.ConsentHistory, err = tx.ConsentEvents(ctx, id); err != nil {
			return err
		}
		if ex.PreferenceHistory, err = tx.PreferenceChanges(ctx, id); err != nil {
			return err
		}
		if ex.Audit, err = guestAudit(ctx, tx, id); err != nil {
			return err
		}
		records, err := tx.GuestRecords(ctx, id)
		ex.Extra = s.exportExtra(ex.Guest, records)
		if err != nil {
			return err
		}
		return exportContacts(ctx, tx, id, ex.Extra)
	})
	if err != nil {
		return GuestExport{}, err
	}
	ex.ExportedAt = s.Now()
	s.recordRead(actor, id, ActionExport)
	return ex, nil
}

// exportExtra lays out the guest's further records by name, as the export has always
// shown them.
func (s *Service) exportExtra(g Guest, r GuestRecords) map[string]any {
	stays := []map[string]any{}
	for _, st := range r.Stays {
		stays = append(stays, map[string]any{"id": st.ID, "room": st.Room, "check_in": st.CheckIn, "check_out": st.CheckOut,
			"nights": StayNights(st.CheckIn, st.CheckOut, st.PlannedNights, s.zone(st.PropertyZone)), "planned_nights": st.PlannedNights,
			"spend": st.Spend, "property": st.Property})
	}
	now, name := s.Now(), g.DisplayName()
	for i := range r.Feedback {
		f := &r.Feedback[i]
		f.AgeDays, f.GuestName = int(now.Sub(f.CreatedAt).Hours()/24), name
		for j := range r.FollowUps { // oldest first: the first is the feedback's follow-up
			if r.FollowUps[j].FeedbackID == f.ID {
				f.FollowUp = &r.FollowUps[j]
				break
			}
		}
	}
	return map[string]any{"stays": stays, "arrivals": r.Arrivals, "feedback": r.Feedback,
		"follow_ups": r.FollowUps, "notes": r.Notes, "outreach": r.Letters}
}
