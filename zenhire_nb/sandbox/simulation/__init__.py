"""Simulated interviews: the settings, the backend plugged into the interview seam, simulating
a stored session end to end, the demo cohort, and their admin routes. The simulator itself
(question banks, candidates, speech synthesis, recordings) is :mod:`.interview`."""

from zenhire_nb.sandbox.simulation.backend import (
    OUTCOMES,
    GroundTruthStore,
    SimulatedBackend,
    SimulationSettings,
)

__all__ = ["OUTCOMES", "GroundTruthStore", "SimulatedBackend", "SimulationSettings"]
