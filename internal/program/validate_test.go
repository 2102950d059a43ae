package program

import (
	"errors"
	"slices"
	"testing"
	_ "time/tzdata" // zones load on machines without a zone database, as in cmd/khidi
)

// mustFields validates v and returns the fields of the errors reported,
// checking that the error is an ErrorList wrapping ErrInvalid.
func mustFields(t *testing.T, v any) []string {
	t.Helper()
	err := Validate(v)
	if err == nil {
		return nil
	}
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("Validate(%T) = %v, which does not wrap ErrInvalid", v, err)
	}
	var l ErrorList
	if !errors.As(err, &l) {
		t.Fatalf("Validate(%T) = %T, want ErrorList", v, err)
	}
	var fields []string
	for _, e := range l {
		if e.Msg == "" {
			t.Errorf("Validate(%T): %q has no message", v, e.Field)
		}
		fields = append(fields, e.Field)
	}
	return fields
}

// checkFields reports when the fields named by Validate(v) are not want.
func checkFields(t *testing.T, v any, want ...string) {
	t.Helper()
	got := mustFields(t, v)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		err := Validate(v)
		t.Errorf("Validate(%+v) reported fields %q, want %q\n%v", v, got, want, err)
	}
}

func TestValidateEnumMessage(t *testing.T) {
	t.Parallel()
	o := newTestOrg()
	o.Sector = "ngo"
	var l ErrorList
	if !errors.As(Validate(o), &l) || len(l) != 1 {
		t.Fatalf("Validate = %v, want one error", l)
	}
	want := `id "org-1": field "sector": "ngo" is not one of cso, government, private, media, academia, international; fix the cell or remove the row`
	if got := l[0].Error(); got != want {
		t.Errorf("Error() = %q\nwant %q", got, want)
	}
}

func TestValidateEmailMessage(t *testing.T) {
	t.Parallel()
	p := newTestParticipant()
	p.Email = "x@"
	var l ErrorList
	if !errors.As(Validate(p), &l) || len(l) != 1 {
		t.Fatalf("Validate = %v, want one error", l)
	}
	l.At("participants.csv", 14)
	want := `participants.csv:14: id "p-1": field "email": "x@" is not an address; fix the cell or remove the row`
	if got := l[0].Error(); got != want {
		t.Errorf("Error() = %q\nwant %q", got, want)
	}
}

func TestValidateNil(t *testing.T) {
	t.Parallel()
	if err := Validate(nil); err == nil {
		t.Errorf("Validate(nil) = nil, want error")
	}
	if err := Validate((*Organization)(nil)); err == nil {
		t.Errorf("Validate((*Organization)(nil)) = nil, want error")
	}
}

func TestValidateNonStruct(t *testing.T) {
	t.Parallel()
	if err := Validate(Date{2026, 1, 1}); err != nil {
		t.Errorf("Validate(Date) = %v, want nil", err)
	}
}
