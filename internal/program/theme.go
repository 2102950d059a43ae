package program

import (
	"fmt"
	"strings"
)

// MaxThemeLen is the longest theme slug accepted, in bytes.
const MaxThemeLen = 64

// NormalizeTheme returns the canonical slug for a theme: trimmed,
// lower-cased, with runs of spaces, '_' and '-' turned into a single '-',
// and no '-' at either end. "Youth Participation" becomes
// "youth-participation".
//
// Only ASCII letters and digits are accepted. Themes are a controlled
// English vocabulary that the matcher compares by equality; accepting
// Georgian (whose Mtavruli capitals lower-case to Mkhedruli) or other
// scripts would let one theme be spelled two ways, so those are rejected
// and the importer asks for the English slug. The error wraps ErrInvalid.
func NormalizeTheme(s string) (string, error) {
	slug, why := normalizeTheme(s)
	if why != "" {
		return "", fmt.Errorf("theme %q: %s: %w", s, why, ErrInvalid)
	}
	return slug, nil
}

// normalizeTheme returns the slug for s, or the reason it has none.
func normalizeTheme(s string) (slug, why string) {
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r == ' ' || r == '_' || r == '-' || r == '\t':
			dash = b.Len() > 0
			continue
		default:
			return "", fmt.Sprintf("%q is not an English letter, digit, space, '-' or '_'", r)
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteRune(r)
	}
	switch {
	case b.Len() == 0:
		return "", "it is empty"
	case b.Len() > MaxThemeLen:
		return "", fmt.Sprintf("it is longer than %d characters", MaxThemeLen)
	}
	return b.String(), ""
}
