package storetest

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/khidi/khidi/internal/program"
	"github.com/khidi/khidi/store"
)

// runRepropose is the part of the suite about re-running a proposed round
// with new settings (the manager API's POST /api/rounds/{id}/rerun).
func runRepropose(t *testing.T, open func(testing.TB) *store.DB) {
	t.Run("ReproposeReplacesProposalAndSettings", func(t *testing.T) {
		t.Parallel()
		db, round := seededRound(t, open, 2, 3)
		ctx := t.Context()
		if err := db.SaveProposal(ctx, round.ID, bigProposal(3, 2)); err != nil {
			t.Fatal(err)
		}
		weights := map[string]float64{"theme": 1, "language": 4}
		settings := json.RawMessage(`{"threshold":0.3,"pins":["p-1:o-2"],"exclusions":["p-2:o-1"]}`)
		again := store.Proposal{
			InputHash:     "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
			SolverVersion: "khidi-test 2",
			Places:        []program.Place{{ID: "o-2", Capacity: 1}},
			Matches:       []program.Match{{ParticipantID: "p-1", HostID: "o-2", Status: program.OfferProposed, Score: 0.5}},
		}
		if err := db.ReproposeRound(ctx, round.ID, weights, settings, again); err != nil {
			t.Fatal(err)
		}
		got, err := db.Round(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := round
		want.Status, want.Weights, want.Settings = program.RoundProposed, weights, settings
		want.InputHash, want.SolverVersion, want.UpdatedAt = again.InputHash, again.SolverVersion, got.UpdatedAt
		check(t, "Round after ReproposeRound", got, want)
		ms, err := db.RoundMatches(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || ms[0].ParticipantID != "p-1" || ms[0].HostID != "o-2" {
			t.Errorf("RoundMatches after ReproposeRound = %+v, want only p-1 at o-2", ms)
		}
		places, err := db.RoundPlaces(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "RoundPlaces after ReproposeRound", places, again.Places)
	})

	t.Run("ReproposeRefusesPublishedRound", func(t *testing.T) {
		t.Parallel()
		db, round := seededRound(t, open, 2, 3)
		ctx := t.Context()
		offers := publish(t, db, round.ID, bigProposal(3, 2))
		err := db.ReproposeRound(ctx, round.ID, map[string]float64{"theme": 1}, json.RawMessage(`{}`), bigProposal(2, 1))
		if !errors.Is(err, program.ErrConflict) {
			t.Fatalf("ReproposeRound of a published round = %v, want program.ErrConflict", err)
		}
		got, err := db.Round(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "settings after a refused ReproposeRound", got.Settings, round.Settings)
		ms, err := db.RoundMatches(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "offers after a refused ReproposeRound", ms, offers)

		if err := db.ReproposeRound(ctx, round.ID+1000, nil, nil, bigProposal(1, 1)); !errors.Is(err, program.ErrNotFound) {
			t.Errorf("ReproposeRound of an unknown round = %v, want program.ErrNotFound", err)
		}
	})
}
