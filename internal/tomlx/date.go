package tomlx

import (
	"fmt"
	"time"
)

// Date is a TOML date or datetime value.
type Date struct {
	// Time is the instant; a local date or datetime (no offset) is taken as UTC.
	Time time.Time
	// DateOnly is true for a date without a time of day.
	DateOnly bool
	// Written is the value in a fixed form: "2026-12-31" for a date,
	// RFC 3339 otherwise.
	Written string
}

// Date returns the date or datetime at key: a TOML date, local datetime or
// offset datetime, or a string in one of those forms.
func (t *Table) Date(key string) (Date, bool) {
	v, ok := t.get(key)
	if !ok {
		return Date{}, false
	}
	var d Date
	switch v := v.(type) {
	case time.Time:
		d, ok = fromTOMLTime(v)
	case string:
		d, ok = parseDate(v)
	default:
		ok = false
	}
	if !ok {
		t.wrongType(key, "a date (2026-12-31) or datetime (2026-12-31T18:00:00Z)", v)
	}
	return d, ok
}

func fromTOMLTime(v time.Time) (Date, bool) {
	switch v.Location().String() {
	case "time-local":
		return Date{}, false
	case "date-local":
		u := time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)
		return Date{Time: u, DateOnly: true, Written: u.Format(time.DateOnly)}, true
	case "datetime-local":
		v = time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC)
	}
	return Date{Time: v, Written: v.Format(time.RFC3339Nano)}, true
}

func parseDate(s string) (Date, bool) {
	if u, err := time.Parse(time.DateOnly, s); err == nil {
		return Date{Time: u, DateOnly: true, Written: s}, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"} {
		if u, err := time.Parse(layout, s); err == nil {
			return Date{Time: u, Written: u.Format(time.RFC3339Nano)}, true
		}
	}
	return Date{}, false
}

func typeName(v any) string {
	switch v := v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time:
		if v.Location().String() == "time-local" {
			return "a time of day"
		}
		return "a datetime"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}
