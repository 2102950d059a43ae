package program

import (
	"errors"
	"testing"
)

func TestInputErrorError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		e    InputError
		want string
	}{
		{"full", InputError{File: "participants.csv", Line: 14, Field: "email", Msg: `"x@" is not an address`, Hint: "fix the cell or remove the row"},
			`participants.csv:14: field "email": "x@" is not an address; fix the cell or remove the row`},
		{"with id", InputError{File: "o.csv", Line: 2, ID: "org-1", Field: "lat", Msg: "bad"},
			`o.csv:2: id "org-1": field "lat": bad`},
		{"file only", InputError{File: "o.csv", Msg: "empty file"}, `o.csv: empty file`},
		{"line only", InputError{Line: 3, Msg: "bad"}, `line 3: bad`},
		{"message only", InputError{Msg: "bad"}, `bad`},
		{"nothing", InputError{}, `invalid`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			if !errors.Is(&tt.e, ErrInvalid) {
				t.Errorf("errors.Is(%v, ErrInvalid) = false", &tt.e)
			}
		})
	}
}

func TestErrorList(t *testing.T) {
	t.Parallel()
	var empty ErrorList
	if err := empty.Err(); err != nil {
		t.Errorf("empty.Err() = %v, want nil", err)
	}
	if got, want := empty.Error(), "no errors"; got != want {
		t.Errorf("empty.Error() = %q, want %q", got, want)
	}

	l := ErrorList{
		{File: "b.csv", Line: 1, Field: "a", Msg: "m"},
		{File: "a.csv", Line: 10, Field: "b", Msg: "m"},
		{File: "a.csv", Line: 2, Field: "z", Msg: "m"},
		{File: "a.csv", Line: 2, Field: "c", Msg: "m"},
	}
	l.Sort()
	want := []string{"a.csv:2:c", "a.csv:2:z", "a.csv:10:b", "b.csv:1:a"}
	for i, e := range l {
		if got := e.File + ":" + itoa(e.Line) + ":" + e.Field; got != want[i] {
			t.Errorf("after Sort, l[%d] = %s, want %s", i, got, want[i])
		}
	}
	if got, want := l.Error(), `a.csv:2: field "c": m (and 3 more)`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := l[:1].Error(), `a.csv:2: field "c": m`; got != want {
		t.Errorf("one-entry Error() = %q, want %q", got, want)
	}
	err := l.Err()
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("errors.Is(list, ErrInvalid) = false")
	}
	var ie *InputError
	if !errors.As(err, &ie) || ie != l[0] {
		t.Errorf("errors.As(list, *InputError) = %v, want first entry", ie)
	}
	var back ErrorList
	if !errors.As(err, &back) || len(back) != 4 {
		t.Errorf("errors.As(list, ErrorList) gave %d entries, want 4", len(back))
	}
}

func TestErrorListAtAndAdd(t *testing.T) {
	t.Parallel()
	var l ErrorList
	l.Add("email", "bad", "")
	l = append(l, &InputError{File: "x.csv", Line: 9, Msg: "kept"})
	l.At("p.csv", 3)
	if l[0].File != "p.csv" || l[0].Line != 3 {
		t.Errorf("At set %s:%d, want p.csv:3", l[0].File, l[0].Line)
	}
	if l[1].File != "x.csv" || l[1].Line != 9 {
		t.Errorf("At overwrote %s:%d, want x.csv:9", l[1].File, l[1].Line)
	}
}

func TestSentinels(t *testing.T) {
	t.Parallel()
	for _, err := range []error{ErrNotFound, ErrInvalid, ErrConflict, ErrForbidden, ErrCapacity} {
		for _, other := range []error{ErrNotFound, ErrInvalid, ErrConflict, ErrForbidden, ErrCapacity} {
			if (err == other) != errors.Is(err, other) {
				t.Errorf("errors.Is(%v, %v) = %v", err, other, errors.Is(err, other))
			}
		}
	}
	if got, want := ErrCapacity.Error(), "capacity exhausted"; got != want {
		t.Errorf("ErrCapacity = %q, want %q", got, want)
	}
}
