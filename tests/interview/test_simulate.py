"""simulate_interview: reproducibility, outcomes, feedback, ground truth and mistakes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from zenhire_nb.sandbox.simulation.interview.mistakes import Mistake, apply_mistakes
from zenhire_nb.sandbox.simulation.interview.simulate import SimulatedInterview, simulate_interview


def _run(tmp_path: Path, name: str, **kwargs: object) -> SimulatedInterview:
    options: dict[str, object] = {"seed": 3, "target_minutes": 0.5, **kwargs}
    return simulate_interview("Product Owner", "en", out_path=tmp_path / name, **options)  # type: ignore[arg-type]


def test_same_seed_same_transcript_and_bytes(tmp_path: Path) -> None:
    first = _run(tmp_path, "a.wav", mistake_rate=0.1)
    # something else spoken in between must not change the audio
    _run(tmp_path, "other.wav", seed=99)
    second = _run(tmp_path, "b.wav", mistake_rate=0.1)
    assert first.transcript == second.transcript
    assert first.ground_truth == second.ground_truth
    assert first.recording.read_bytes() == second.recording.read_bytes()  # type: ignore[union-attr]


def test_different_seeds_differ(tmp_path: Path) -> None:
    first, second = _run(tmp_path, "a.wav", seed=1), _run(tmp_path, "b.wav", seed=2)
    assert first.transcript != second.transcript
    assert first.recording.read_bytes() != second.recording.read_bytes()  # type: ignore[union-attr]


def test_mistake_rate_changes_only_the_served_text(tmp_path: Path) -> None:
    clean, noisy = _run(tmp_path, "a.wav"), _run(tmp_path, "b.wav", mistake_rate=0.2)
    assert clean.ground_truth["turns"] == noisy.ground_truth["turns"]
    assert clean.recording.read_bytes() == noisy.recording.read_bytes()  # type: ignore[union-attr]
    assert clean.transcript == clean.ground_truth["turns"]
    assert noisy.transcript != noisy.ground_truth["turns"]


def test_recorded_mistakes_explain_the_served_transcript(
    one_minute_interview: SimulatedInterview,
) -> None:
    truth = one_minute_interview.ground_truth
    mistakes = [Mistake(**m) for m in truth["mistakes"]]
    assert mistakes, "mistake_rate 0.08 on a minute of speech should inject some"
    true_texts = [t["text"] for t in truth["turns"]]
    served = one_minute_interview.transcript
    assert apply_mistakes(true_texts, mistakes) == [t["text"] for t in served]
    for mistake in mistakes:
        assert true_texts[mistake.turn].split()[mistake.position] == mistake.original
    # times and speakers are never altered, only words
    for true, shown in zip(truth["turns"], served, strict=True):
        assert (true["speaker"], true["start"], true["end"]) == (
            shown["speaker"],
            shown["start"],
            shown["end"],
        )


def test_transcript_turns_are_canonical(one_minute_interview: SimulatedInterview) -> None:
    turns = one_minute_interview.transcript
    assert turns[0]["speaker"] == "interviewer" and turns[-1]["speaker"] == "candidate"
    for turn in turns:
        assert set(turn) == {"speaker", "text", "start", "end"}
        assert turn["start"] < turn["end"] and turn["text"]
        assert round(turn["start"], 2) == turn["start"]
    assert all(a["end"] <= b["start"] for a, b in zip(turns, turns[1:], strict=False))


def test_failures_and_timeouts_write_nothing(tmp_path: Path) -> None:
    outcomes = []
    for seed in range(30):
        result = simulate_interview(
            "Sales", "en", seed=seed, out_path=tmp_path / f"{seed}.wav", target_minutes=0.2,
            failure_rate=0.3, timeout_rate=0.3, feedback_rate=0.0,
        )  # fmt: skip
        outcomes.append(result.outcome)
        if result.outcome == "timeout":
            assert result.error_code == "SESSION_TIMEOUT" and result.duration_sec == 5400
        if result.outcome != "completed":
            assert result.recording is None and result.transcript == []
            assert not (tmp_path / f"{seed}.wav").exists()
    assert {"completed", "failed", "timeout"} <= set(outcomes)


def test_feedback_rate_and_shape(tmp_path: Path) -> None:
    none = _run(tmp_path, "a.wav", feedback_rate=0.0)
    assert none.feedback is None
    ratings = []
    for seed in range(8):
        result = _run(tmp_path, "b.wav", seed=seed, feedback_rate=1.0, target_minutes=0.1)
        assert result.feedback is not None
        assert 1 <= result.feedback.rating <= 5
        assert result.feedback.negative == (result.feedback.rating <= 2)
        ratings.append(result.feedback.rating)
    assert len(set(ratings)) > 1


def test_language_picks_the_voice(tmp_path: Path) -> None:
    english = _run(tmp_path, "en.wav", target_minutes=0.1).ground_truth
    assert english["voices"]["candidate"].startswith("en-us+")
    assert english["voices"]["interviewer"].startswith("en-gb+")
    result = simulate_interview(
        "Data Analyst", "Deutsch", seed=1, out_path=tmp_path / "x.wav", target_minutes=0.1
    )
    assert result.ground_truth["voices"]["interviewer"].startswith("de+")
    assert result.ground_truth["voices"]["candidate"].startswith("de+")
    unknown = simulate_interview(
        "Data Analyst", "Klingon", seed=1, out_path=tmp_path / "y.wav", target_minutes=0.1
    )
    assert unknown.ground_truth["voices"]["candidate"].startswith("en-us+")


@pytest.mark.parametrize(
    ("option", "value"),
    [("mistake_rate", 1.5), ("failure_rate", -0.1), ("feedback_rate", 2), ("target_minutes", 0)],
)
def test_bad_options_are_named(tmp_path: Path, option: str, value: float) -> None:
    with pytest.raises(ValueError, match=option):
        _run(tmp_path, "x.wav", **{option: value})
    assert list(tmp_path.iterdir()) == []


def test_rng_streams_are_independent_of_global_random(tmp_path: Path) -> None:
    random.seed(1)
    first = _run(tmp_path, "a.wav", target_minutes=0.1).transcript
    random.seed(2)
    assert _run(tmp_path, "b.wav", target_minutes=0.1).transcript == first
