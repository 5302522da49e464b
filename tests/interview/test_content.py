"""Question banks, simulated candidates, mistakes and transcript shapes (no audio)."""

from __future__ import annotations

import random
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zenhire_nb.sandbox.simulation.interview.banks import available_banks, load_bank
from zenhire_nb.sandbox.simulation.interview.candidates import (
    CandidateProfile,
    compose_answer,
    sample_candidate,
)
from zenhire_nb.sandbox.simulation.interview.mistakes import apply_mistakes, inject_mistakes
from zenhire_nb.sandbox.simulation.interview.shapes import (
    SHAPES,
    canonical_turns,
    render_transcript,
)


@pytest.mark.parametrize(
    ("role", "bank"),
    [
        ("Software Engineer", "software_engineer"),
        ("Senior Backend Engineer (Remote)", "software_engineer"),
        ("data-analyst II", "data_analyst"),
        ("Sales Rep", "sales_representative"),
        ("Customer Support Specialist", "customer_support"),
        ("Customer Success Manager", "customer_support"),
        ("product owner", "product_manager"),
        ("Pastry Chef", "generic"),
        ("", "generic"),
    ],
)
def test_roles_match_loosely(role: str, bank: str) -> None:
    assert load_bank(role).name == bank


def test_every_shipped_bank_is_complete() -> None:
    names = available_banks()
    assert len(names) >= 6 and "generic" in names
    for name in names:
        bank = load_bank(name.replace("_", " ")) if name != "generic" else load_bank("")
        assert bank.name == name
        assert len(bank.questions) >= 5 and bank.opening and bank.closing
        assert all("{role}" in line for line in bank.opening)
        for pool in bank.phrases.values():
            for template in pool:
                for slot in _slots(template):
                    assert slot in bank.slots, f"{name}: slot {slot} has no values"


def _slots(template: str) -> list[str]:
    import re

    return re.findall(r"\{(\w+)\}", template)


def _cohort_answers(profile: CandidateProfile, seed: int) -> tuple[list[int], list[int], float]:
    rng = random.Random(seed)
    bank = load_bank("Data Analyst")
    lengths, rates, fillers, words = [], [], 0, 0
    for _ in range(40):
        candidate = sample_candidate(rng, profile)
        rates.append(candidate.rate_wpm)
        for _ in range(5):
            tokens = " ".join(compose_answer(rng, bank, candidate)).split()
            lengths.append(len(tokens))
            fillers += sum(t.strip(",") in ("um", "uh") for t in tokens)
            words += len(tokens)
    return lengths, rates, fillers / words


def test_cohorts_differ_measurably() -> None:
    terse = CandidateProfile(mean_answer_words=25, mean_rate_wpm=140, hesitation_rate=0.01)
    chatty = CandidateProfile(mean_answer_words=80, mean_rate_wpm=190, hesitation_rate=0.08)
    terse_lengths, terse_rates, terse_fillers = _cohort_answers(terse, 1)
    chatty_lengths, chatty_rates, chatty_fillers = _cohort_answers(chatty, 1)
    assert statistics.mean(chatty_lengths) > 2 * statistics.mean(terse_lengths)
    assert statistics.mean(chatty_rates) - statistics.mean(terse_rates) > 30
    assert chatty_fillers > 3 * terse_fillers


def test_answers_vary_in_content() -> None:
    rng = random.Random(4)
    bank = load_bank("Sales Representative")
    candidate = sample_candidate(rng, CandidateProfile())
    answers = {" ".join(compose_answer(rng, bank, candidate)) for _ in range(30)}
    assert len(answers) == 30


def test_profile_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="hesitation_rate"):
        CandidateProfile(hesitation_rate=2.0)
    with pytest.raises(ValueError, match="mean_rate_wpm"):
        CandidateProfile(mean_rate_wpm=20)


TEXTS = [
    "Hello, and thank you for joining us.",
    "We had their data in two places, so I wrote a test.",
    "Okay.",
]


@given(rate=st.floats(0.0, 1.0), seed=st.integers(0, 10_000))
def test_mistakes_are_recorded_exactly(rate: float, seed: int) -> None:
    served, mistakes = inject_mistakes(TEXTS, rate, random.Random(seed))
    assert apply_mistakes(TEXTS, mistakes) == served
    assert all(text.split() for text in served)  # no turn is emptied
    for mistake in mistakes:
        assert TEXTS[mistake.turn].split()[mistake.position] == mistake.original
        if mistake.kind == "substitution":
            assert mistake.replacement and mistake.replacement != mistake.original
        else:
            assert mistake.kind == "drop" and mistake.replacement is None


def test_no_mistakes_at_rate_zero_and_confusions_keep_case() -> None:
    assert inject_mistakes(TEXTS, 0.0, random.Random(1)) == (TEXTS, [])
    expected = {"Their": "There", "team.": "teen."}  # homophone table, case and punctuation kept
    for seed in range(10):
        _, mistakes = inject_mistakes(["Their team."], 1.0, random.Random(seed))
        for mistake in mistakes:
            if mistake.kind == "substitution":
                assert mistake.replacement == expected[mistake.original]
    with pytest.raises(ValueError, match="mistake_rate"):
        inject_mistakes(TEXTS, 1.5, random.Random(1))


_turn = st.fixed_dictionaries(
    {
        "speaker": st.sampled_from(["interviewer", "candidate"]),
        "text": st.text(min_size=1, max_size=40),
        "start": st.integers(0, 10**6).map(lambda ms: ms / 100),
        "end": st.integers(0, 10**6).map(lambda ms: ms / 100),
    }
)


@given(turns=st.lists(_turn, max_size=8), shape=st.sampled_from(SHAPES))
def test_shapes_round_trip(turns: list[dict[str, object]], shape: str) -> None:
    document = render_transcript(turns, shape)
    back = canonical_turns(document)
    if shape == "messages":
        assert [(t["speaker"], t["text"]) for t in back] == [
            (t["speaker"], t["text"]) for t in turns
        ]
        assert all(t["start"] is None for t in back)
    else:
        assert back == turns


def test_shapes_are_as_documented() -> None:
    turns = [{"speaker": "interviewer", "text": "Hi.", "start": 0.5, "end": 1.25}]
    assert render_transcript(turns) == turns
    assert render_transcript(turns, "turns") == {"turns": turns}
    assert render_transcript(turns, "segments") == {
        "segments": [{"speaker": "interviewer", "text": "Hi.", "start_ms": 500, "end_ms": 1250}]
    }
    assert render_transcript(turns, "utterances") == {
        "utterances": [{"role": "assistant", "content": "Hi.", "start": 0.5, "end": 1.25}]
    }
    candidate = [{**turns[0], "speaker": "candidate"}]
    assert render_transcript(candidate, "messages") == {
        "messages": [{"role": "human", "transcript": "Hi."}]
    }


def test_shape_errors_name_the_problem() -> None:
    with pytest.raises(ValueError, match="unknown transcript shape 'csv'"):
        render_transcript([], "csv")
    with pytest.raises(ValueError, match="turn 0 lacks end"):
        render_transcript([{"speaker": "candidate", "text": "x", "start": 0}], "array")
    with pytest.raises(ValueError, match="unknown speaker 'bot'"):
        render_transcript([{"speaker": "bot", "text": "x", "start": 0, "end": 1}])
