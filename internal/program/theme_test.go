package program

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeTheme(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"youth-participation", "youth-participation", false},
		{"Youth Participation", "youth-participation", false},
		{"  youth_participation ", "youth-participation", false},
		{"Youth -- _ Participation", "youth-participation", false},
		{"-edge-", "edge", false},
		{"EU2030", "eu2030", false},
		{"", "", true},
		{"  -_ ", "", true},
		{"ახალგაზრდობა", "", true},
		{"café", "", true},
		{"media/literacy", "", true},
		{strings.Repeat("a", MaxThemeLen), strings.Repeat("a", MaxThemeLen), false},
		{strings.Repeat("a", MaxThemeLen+1), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeTheme(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("NormalizeTheme(%q) = %q, %v; want error %v", tt.in, got, err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("NormalizeTheme(%q) error %v does not wrap ErrInvalid", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("NormalizeTheme(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLanguages(t *testing.T) {
	t.Parallel()
	codes := Languages()
	if len(codes) != 184 {
		t.Errorf("len(Languages()) = %d, want 184", len(codes))
	}
	for i := 1; i < len(codes); i++ {
		if codes[i-1] >= codes[i] {
			t.Errorf("Languages not sorted at %d: %q, %q", i, codes[i-1], codes[i])
		}
	}
	for _, tt := range []struct {
		code string
		want bool
	}{{"ka", true}, {"en", true}, {"ru", true}, {"hy", true}, {"aa", true}, {"zu", true},
		{"KA", false}, {"geo", false}, {"xx", false}, {"", false}} {
		if got := ValidLanguage(tt.code); got != tt.want {
			t.Errorf("ValidLanguage(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}
