package sqlstore

import (
	"fmt"
	"time"
)

// TimeLayout is how the SQLite engine stores instants: UTC, fixed width, so text order
// is time order. PostgreSQL stores timestamptz.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// instant scans a stored instant from either engine into *t; NULL leaves the zero time.
type instant struct{ t *time.Time }

func (s instant) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*s.t = time.Time{}
	case time.Time:
		*s.t = v.UTC()
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	default:
		return fmt.Errorf("sqlstore: an instant stored as %T", v)
	}
	return nil
}

func (s instant) parse(v string) error {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return fmt.Errorf("sqlstore: a stored instant %q: %w", v, err)
	}
	*s.t = t.UTC()
	return nil
}

// scanAt scans an instant column into *t.
func scanAt(t *time.Time) instant { return instant{t} }

// nullInstant scans a nullable instant into *p: nil for NULL.
type nullInstant struct{ p **time.Time }

func (s nullInstant) Scan(v any) error {
	if v == nil {
		*s.p = nil
		return nil
	}
	var t time.Time
	if err := (instant{&t}).Scan(v); err != nil {
		return err
	}
	*s.p = &t
	return nil
}

// scanAtOrNil scans a nullable instant column into *p.
func scanAtOrNil(p **time.Time) nullInstant { return nullInstant{p} }
