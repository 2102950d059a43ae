// Package hostpage serves the pages a host organisation reaches through its
// secret link: the people offered to it, each with a profile and the
// reasons for the match, the places it has left in each round, and a form
// to accept or decline each offer with an optional reason; then a
// confirmation of what happened.
//
// The pages are server-rendered with html/template from files embedded in
// the binary, with one stylesheet and no script, so they work without a
// build step, on a phone and from the keyboard. They are written in
// Georgian and English, every string in one catalogue per language
// (messages.go); the language is chosen by ?lang=, then a cookie, then
// Accept-Language, Georgian by default.
//
// # Routes
//
//	GET  /host/{token}              the host's offers, grouped by round
//	GET  /host/{token}/offers/{id}  the result of an answer (a confirmation)
//	POST /host/{token}/offers/{id}  decision=accept|decline, reason (optional)
//	GET  /assets/{file}             the embedded stylesheet
//
// An answer is recorded by
// [github.com/khidi/khidi/internal/offers.Service.Decide] as the link's
// host and actor, and answered with 303 See Other to the confirmation, so
// reloading that page sends nothing again. Decide makes a second identical answer a no-op,
// refuses an acceptance beyond the host's places in the database itself
// (409 here, whatever the concurrency), and repairs the round after a
// decline in the decision's transaction. An answer after the offer's
// deadline is refused here (409), even before the expiry job has run.
//
// # What a link reveals
//
// A token that is unknown, malformed, expired or revoked, an offer id that
// is not a number, does not exist or belongs to another host: every one of
// these is the same 404 page, byte for byte, so a link learns nothing about
// other links or other hosts' offers. Pages are sent with Cache-Control:
// no-store and Referrer-Policy: no-referrer, since their address is the
// secret. Cross-site form posts are refused by the server's cross-origin
// protection before they reach these handlers.
package hostpage
