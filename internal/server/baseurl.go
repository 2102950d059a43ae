package server

import (
	"errors"
	"fmt"
	"net/url"
)

// baseURLWant says what ParseBaseURL accepts, for its errors.
const baseURLWant = "want an absolute http:// or https:// URL with a host and no user, query or fragment, such as https://khidi.example.org"

// ParseBaseURL parses the public address of the service, the one links in
// mail and calendar feeds point to: an absolute http or https URL with a
// host and optionally a path (when a proxy serves khidi under one), without
// user information, query or fragment. Its errors say what is accepted but
// do not repeat raw, so the caller quotes it as it was given.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without url.Error's own quoting of raw
		}
		return nil, fmt.Errorf("%w; %s", err, baseURLWant)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, errors.New(baseURLWant)
	}
	return u, nil
}
