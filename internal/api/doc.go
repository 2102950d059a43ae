// Package api is the manager API of `khidi serve`: JSON endpoints under
// /api/ through which a programme manager imports records, runs matching
// rounds of every kind, reads a proposal with its explanations, pins and
// excludes pairs and runs a round again, publishes it, follows the hosts'
// answers, lays out the year's schedule, reads calendars and manages
// access tokens. GET /openapi.json describes every endpoint (OpenAPI 3.1);
// a test keeps that document and the route table in step.
//
// The package only joins HTTP to the packages that do the work —
// internal/rounds, internal/offers, internal/ingest, internal/yearplan,
// internal/feed, internal/access — so the command line and the API cannot
// disagree about what a round, an import or a schedule is.
//
// # Authorization
//
// Every /api/ route requires an admin token (program.TokenAdmin) in
// Authorization: Bearer TOKEN, checked with access.Check. Every failure —
// no header, another scheme, a malformed, unknown, expired or revoked
// token, a wrong secret, a token of another kind — is the same 401
// {"error":{"code":"unauthorized",…}} with WWW-Authenticate: Bearer, so the
// answer never says whether a token exists. (A database that cannot be
// asked is a 500, as everywhere: the token may be fine.) The token's holder,
// access.Actor(token), is recorded wherever the store keeps an audit
// trail: publishing and closing rounds, withdrawing offers, revoking
// tokens. Only GET /openapi.json is public.
//
// # Errors
//
// Errors are JSON, {"error":{"code":"…","message":"…","details":[…]}},
// mapped from the domain's sentinel errors by one function:
//
//	400 bad_request      the body is not JSON, has an unknown field or a
//	                     value of the wrong type, or a query parameter is
//	                     malformed (details name the field and offset)
//	401 unauthorized     see Authorization
//	403 forbidden        program.ErrForbidden: outside the caller's rights
//	404 not_found        program.ErrNotFound: no such round, offer, person…
//	409 conflict         program.ErrConflict: the round's state forbids it
//	                     (publishing twice, re-running a published round),
//	                     or other layouts kept saving the schedule while
//	                     this one laid it out (after three attempts)
//	409 capacity         program.ErrCapacity: the host has no place left
//	413 body_too_large   the body is larger than the server's limit
//	415 unsupported_media_type  an import that is neither CSV nor JSON
//	422 invalid          program.ErrInvalid, or the matcher refusing a
//	                     round (no eligible pairs, a pin breaking a rule,
//	                     an infeasible quota); details list every input
//	                     problem with its file, line, field, id and hint
//	500 internal         anything else, logged; the message says no more
//
// The answers of /api/ routes carry Cache-Control: no-store: they hold
// programme data, and some hold secret links shown once.
package api
