package ical

import "unicode/utf8"

// maxLine is the longest line RFC 5545 §3.1 allows, in octets, without the
// CRLF that ends it.
const maxLine = 75

// fold folds every CRLF-ended line of src longer than maxLine octets: it
// breaks the line before the octet that would exceed the limit, or earlier
// so as not to split a UTF-8 sequence, and starts each continuation line
// with a space, which counts towards that line's 75 octets.
func fold(src []byte) []byte {
	out := make([]byte, 0, len(src)+len(src)/maxLine*3)
	n := 0 // octets on the current output line
	for i := 0; i < len(src); {
		if src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n' {
			out = append(out, '\r', '\n')
			i += 2
			n = 0
			continue
		}
		size := 1
		if src[i] >= utf8.RuneSelf {
			_, size = utf8.DecodeRune(src[i:])
		}
		if n+size > maxLine {
			out = append(out, '\r', '\n', ' ')
			n = 1
		}
		out = append(out, src[i:i+size]...)
		n += size
		i += size
	}
	return out
}
