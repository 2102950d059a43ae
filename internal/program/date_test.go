package program

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"
	"time"
)

func itoa(i int) string { return strconv.Itoa(i) }

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"2026-03-01", Date{2026, time.March, 1}, false},
		{"2024-02-29", Date{2024, time.February, 29}, false},
		{"0001-01-01", Date{1, time.January, 1}, false},
		{"2025-02-29", Date{}, true},
		{"2026-13-01", Date{}, true},
		{"2026-3-1", Date{}, true},
		{"01.03.2026", Date{}, true},
		{"2026-03-01T00:00:00Z", Date{}, true},
		{"", Date{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDate(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("ParseDate(%q) error %v does not wrap ErrInvalid", tt.in, err)
				}
				return
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("ParseDate(%q).String() = %q", tt.in, s)
			}
		})
	}
}

func TestDateText(t *testing.T) {
	t.Parallel()
	type doc struct {
		D Date `json:"d"`
	}
	for _, in := range []string{`{"d":"2026-11-25"}`, `{"d":""}`} {
		var v doc
		if err := json.Unmarshal([]byte(in), &v); err != nil {
			t.Fatalf("Unmarshal(%s): %v", in, err)
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != in {
			t.Errorf("round trip of %s = %s", in, out)
		}
	}
	var v doc
	if err := json.Unmarshal([]byte(`{"d":"2026-02-30"}`), &v); !errors.Is(err, ErrInvalid) {
		t.Errorf("Unmarshal of 2026-02-30: error %v, want ErrInvalid", err)
	}
}

func TestDateScanValue(t *testing.T) {
	t.Parallel()
	d := Date{2026, time.May, 26}
	tests := []struct {
		name string
		src  any
		want Date
	}{
		{"string", "2026-05-26", d},
		{"bytes", []byte("2026-05-26"), d},
		{"time", time.Date(2026, 5, 26, 0, 0, 0, 0, time.UTC), d},
		{"null", nil, Date{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Date
			if err := got.Scan(tt.src); err != nil || got != tt.want {
				t.Errorf("Scan(%v) = %v, %v; want %v", tt.src, got, err, tt.want)
			}
		})
	}
	var got Date
	if err := got.Scan(42); !errors.Is(err, ErrInvalid) {
		t.Errorf("Scan(42) error = %v, want ErrInvalid", err)
	}
	if v, err := d.Value(); v != "2026-05-26" || err != nil {
		t.Errorf("Value() = %v, %v", v, err)
	}
	if v, err := (Date{}).Value(); v != nil || err != nil {
		t.Errorf("zero Value() = %v, %v; want nil", v, err)
	}
}

func TestDateCompareAndWindow(t *testing.T) {
	t.Parallel()
	a, b := Date{2026, 1, 31}, Date{2026, 2, 1}
	if !a.Before(b) || b.Before(a) || !b.After(a) || a.Compare(a) != 0 {
		t.Errorf("ordering of %v and %v is wrong", a, b)
	}
	if !(Date{2026, 2, 28}).Valid() || (Date{2026, 2, 29}).Valid() || (Date{}).Valid() {
		t.Errorf("Valid wrong")
	}
	tests := []struct {
		name    string
		w       Window
		d       Date
		in, ord bool
	}{
		{"inside", Window{a, b}, a, true, true},
		{"after", Window{a, a}, b, false, true},
		{"open end", Window{From: a}, b, true, true},
		{"open start", Window{To: a}, b, false, true},
		{"reversed", Window{b, a}, a, false, false},
		{"open", Window{}, a, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.w.Contains(tt.d); got != tt.in {
				t.Errorf("%v.Contains(%v) = %v, want %v", tt.w, tt.d, got, tt.in)
			}
			if got := tt.w.Ordered(); got != tt.ord {
				t.Errorf("%v.Ordered() = %v, want %v", tt.w, got, tt.ord)
			}
		})
	}
}

func TestAddDays(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		d    string
		n    int
		want string
	}{
		{"2027-01-31", 1, "2027-02-01"},
		{"2028-02-28", 1, "2028-02-29"}, // a leap year
		{"2027-12-31", 1, "2028-01-01"},
		{"2027-03-01", -1, "2027-02-28"},
		{"2027-05-02", 0, "2027-05-02"},
		{"2027-01-01", 365, "2028-01-01"},
	} {
		d, err := ParseDate(tt.d)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.AddDays(tt.n).String(); got != tt.want {
			t.Errorf("%s.AddDays(%d) = %s, want %s", tt.d, tt.n, got, tt.want)
		}
	}
}
