"""check_cohort / check_session in this process over a simulated cohort (real HTTP)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from _simulated import THREADS, SimulatedCohort

from zenhire_nb.frames import CohortQuery, load_cohort
from zenhire_nb.stt import (
    CheckSettings,
    CohortCheck,
    CohortCheckWarning,
    SessionCheckError,
    check_cohort,
    check_session,
    engine_stats,
)

pytestmark = pytest.mark.stt


def _same_results(left: CohortCheck, right: CohortCheck) -> None:
    for name in ("sessions", "turns", "differences", "failures"):
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name))


def test_every_session_checked_once_with_one_engine(
    simulated: SimulatedCohort, local_check: CohortCheck
) -> None:
    sessions = local_check.sessions
    assert sorted(sessions["session_id"]) == sorted(simulated.session_ids)
    assert local_check.failures.empty
    assert (sessions["engine"] == "faster-whisper").all() and (sessions["threads"] == 1).all()
    assert (sessions["audio_sec"] > 10).all()
    turns_per_session = local_check.turns.groupby("session_id").size()
    assert dict(turns_per_session) == dict(
        zip(sessions["session_id"], sessions["turns"], strict=True)
    )
    tasks = local_check.tasks
    assert (tasks["pid"] == os.getpid()).all() and tasks["engine_used"].all()
    assert engine_stats()["loads"] == tasks["engine_loads"].iloc[0]  # loaded once, reused
    assert tasks["engine_loads"].nunique() == 1


def test_injected_mistakes_are_flagged(
    simulated: SimulatedCohort, local_check: CohortCheck
) -> None:
    turns = local_check.turns
    mistaken = [
        index in simulated.mistaken_turns[session]
        for session, index in zip(turns["session_id"], turns["turn_index"], strict=True)
    ]
    labels = pd.Series(mistaken, index=turns.index)
    assert labels.sum() >= 3, "the simulated cohort should carry injected mistakes"
    recall = turns["flagged"][labels].mean()
    false_flags = turns["flagged"][~labels].sum()
    assert recall >= 0.75, turns.loc[labels, ["session_id", "turn_index", "weakest_word"]]
    assert false_flags <= max(1, 0.2 * (~labels).sum())


def test_rerun_comes_from_the_cache(
    simulated: SimulatedCohort, local_check: CohortCheck, local_root: Path
) -> None:
    before = engine_stats()
    again = check_cohort(simulated.client, cache_dir=local_root, threads=THREADS, progress=False)
    assert engine_stats()["uses"] == before["uses"]  # no engine call at all
    assert not again.tasks["engine_used"].any()
    _same_results(local_check, again)


def test_thread_pool_executor_gives_the_same_results(
    simulated: SimulatedCohort, local_check: CohortCheck, local_root: Path
) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        pooled = check_cohort(
            simulated.client, executor=pool, cache_dir=local_root, threads=THREADS, progress=False
        )
    _same_results(local_check, pooled)


def test_one_broken_recording_is_reported_and_the_rest_checked(
    simulated: SimulatedCohort, local_check: CohortCheck, local_root: Path, tmp_path: Path
) -> None:
    cohort = load_cohort(simulated.client, cache=local_root, progress=False)
    broken_id = simulated.session_ids[1]
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x24\x00\x00\x00WAVEjunk" + bytes(40))
    cohort = replace(cohort, recording_paths={**cohort.recording_paths, broken_id: broken})
    with pytest.warns(CohortCheckWarning, match="1 of 3 sessions not checked"):
        checked = check_cohort(cohort, cache_dir=local_root, threads=THREADS, progress=False)
    assert list(checked.failures["session_id"]) == [broken_id]
    failure = checked.failures.iloc[0]
    assert failure["stage"] == "check" and broken_id in failure["message"]
    expected = local_check.sessions[local_check.sessions["session_id"] != broken_id]
    pd.testing.assert_frame_equal(checked.sessions, expected.reset_index(drop=True))
    assert broken.read_bytes().startswith(b"RIFF")  # the input is left as it was


def test_subset_of_a_loaded_cohort(simulated: SimulatedCohort, local_root: Path) -> None:
    cohort = load_cohort(simulated.client, cache=local_root, progress=False)
    wanted = simulated.session_ids[:1]
    checked = check_cohort(
        cohort, session_ids=wanted, cache_dir=local_root, threads=THREADS, progress=False
    )
    assert list(checked.sessions["session_id"]) == wanted
    with pytest.raises(ValueError, match="not in the cohort: ses_nope"):
        check_cohort(cohort, session_ids=["ses_nope"], cache_dir=local_root)
    with pytest.raises(TypeError, match="persona_id"):
        check_cohort(cohort, persona_id="p_1", cache_dir=local_root)


def test_bad_options_fail_before_any_request(simulated: SimulatedCohort, local_root: Path) -> None:
    with pytest.raises(ValueError, match="alignment"):
        check_cohort(simulated.client, alignment="diagonal", cache_dir=local_root)
    with pytest.raises(ValueError, match="beam_size"):
        check_session(simulated.client, simulated.session_ids[0], beam_size=0, cache_dir=local_root)
    with pytest.raises(ValueError, match="nothing to check"):
        check_cohort(simulated.client, tags=["no-such-tag"], cache_dir=local_root, progress=False)


def test_query_and_settings_objects_match_the_keywords(
    simulated: SimulatedCohort, local_check: CohortCheck, local_root: Path
) -> None:
    persona = simulated.client.sessions.get(simulated.session_ids[0]).persona_id
    by_objects = check_cohort(
        simulated.client,
        CohortQuery(persona_id=persona),
        settings=CheckSettings(threads=THREADS),
        cache_dir=local_root,
        progress=False,
    )
    by_keywords = check_cohort(
        simulated.client, persona_id=persona, threads=THREADS, cache_dir=local_root, progress=False
    )
    _same_results(by_objects, by_keywords)
    assert list(by_objects.sessions["session_id"]) == [simulated.session_ids[0]]
    assert not by_objects.tasks["engine_used"].any()  # the first run's cache entries hit
    expected = local_check.turns[local_check.turns["session_id"] == simulated.session_ids[0]]
    pd.testing.assert_frame_equal(by_objects.turns, expected.reset_index(drop=True))
    assert by_objects.settings["threads"] == THREADS


def test_unknown_keywords_are_a_type_error(simulated: SimulatedCohort, local_root: Path) -> None:
    with pytest.raises(TypeError, match="'persona'.*settings keywords are"):
        check_cohort(simulated.client, persona="p_1", cache_dir=local_root)
    with pytest.raises(TypeError, match="'beams'"):
        check_session(simulated.client, simulated.session_ids[0], beams=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="takes a CohortQuery"):
        check_cohort(simulated.client, {"persona_id": "p_1"}, cache_dir=local_root)  # type: ignore[arg-type]


def test_check_session_matches_the_cohort(
    simulated: SimulatedCohort, local_check: CohortCheck, local_root: Path
) -> None:
    session_id = simulated.session_ids[2]
    result = check_session(simulated.client, session_id, cache_dir=local_root, threads=THREADS)
    assert result.transcription.from_cache
    row = local_check.sessions.set_index("session_id").loc[session_id]
    assert result.summary["wer"] == row["wer"]
    assert result.summary["flagged_turns"] == row["flagged_turns"]


def test_check_session_names_a_session_that_is_not_completed(
    simulated: SimulatedCohort, local_root: Path
) -> None:
    persona = simulated.client.personas.create(role_name="Data Analyst", language="en")
    session = simulated.client.sessions.create(persona.id, consent_mode="integrator")
    with pytest.raises(SessionCheckError, match=f"session {session.id}: status: .*initiated"):
        check_session(simulated.client, session.id, cache_dir=local_root)
