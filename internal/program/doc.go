// Package program is khidi's domain: the organisations, participants and
// communities of the exchange programme, the rounds that match them, the
// matches and offers a round produces, and the calendar events that follow.
//
// The package does no I/O and reads no clock, environment or configuration:
// every instant it stores is passed in by the caller. It holds only types
// that two or more packages share, their enums, the sentinel errors every
// layer tests for (ErrNotFound, ErrInvalid, ErrConflict, ErrForbidden,
// ErrCapacity), and validation.
//
// # Identifiers
//
// Records imported from the programme's spreadsheets keep the programme's own
// text identifiers (OrgID, ParticipantID, CommunityID), so a re-import can
// upsert by id. Records khidi itself creates (RoundID, MatchID, EventID) use
// database ids. Each is a distinct named type so that a participant id cannot
// be passed where a host id is expected.
//
// # Validation
//
// Validate checks a record's struct tags (github.com/go-playground/validator)
// and then its cross-field rules (the Check methods), and reports every
// problem at once as an ErrorList of *InputError, each naming the field by
// its CSV/JSON column name. The importer fills in the file and line with
// ErrorList.At. Every InputError unwraps to ErrInvalid.
//
// Decisions recorded here so that callers need not rediscover them:
//
//   - Themes are English slugs ("youth-participation") from a controlled
//     vocabulary compared by equality; NormalizeTheme accepts only ASCII
//     letters, digits, spaces, '-' and '_', and rejects Georgian or other
//     scripts rather than guessing a transliteration.
//   - Languages are ISO 639-1 two-letter codes (ValidLanguage).
//   - A participant may list their own organisation among their preferences;
//     CheckPreferences allows it, since whether a home placement is
//     acceptable is a matching rule for the round kind, not a data error.
//   - A round may move back from proposed to draft so that its proposal can be
//     discarded and the matcher re-run; nothing moves back once published.
package program
