// Package store is the only package of khidi that speaks SQL: it persists
// the programme's organisations, people, rounds, offers and events in
// PostgreSQL or an embedded SQLite database. It arrives with issue 3; until
// then the package holds only this description of its role.
package store
