"""Time slices of a sliced listing: they cover every instant, and merging restores the order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from zenhire_nb.contract import SessionSummary
from zenhire_nb.frames._listing import merge_slices, plan_slices

START = datetime(2026, 1, 1, tzinfo=UTC)
offsets_ms = st.lists(st.integers(min_value=0, max_value=5_000), min_size=0, max_size=400)


def _inside(moment: datetime, after: datetime | None, before: datetime | None) -> bool:
    # Strict bounds: the strictest reading a platform could give created_after/_before.
    return (after is None or moment > after) and (before is None or moment < before)


@given(offsets_ms, st.integers(min_value=1, max_value=100), st.integers(-10_000, 10_000))
def test_every_instant_is_in_some_slice(offsets, page_size, probe_us) -> None:
    created = [START + timedelta(milliseconds=ms) for ms in offsets]
    slices = plan_slices(created, page_size)
    assert slices[0][1] is None and slices[-1][0] is None  # open at both ends
    probes = [*created, START + timedelta(microseconds=probe_us * 500)]
    for after, before in slices:  # each cut's two bounds are probed too
        probes += [moment for moment in (after, before) if moment is not None]
    for moment in probes:
        assert any(_inside(moment, after, before) for after, before in slices), moment


@given(
    st.sets(st.integers(min_value=0, max_value=5_000), max_size=400),
    st.integers(min_value=1, max_value=100),
)
def test_slices_hold_at_most_three_quarters_of_a_page(offsets, page_size) -> None:
    created = [START + timedelta(milliseconds=ms) for ms in offsets]  # distinct times
    slices = plan_slices(created, page_size)
    target = max(1, int(page_size * 0.75))
    for after, before in slices:
        assert sum(_inside(moment, after, before) for moment in created) <= target
    assert len(slices) == max(1, -(-len(created) // target))


def _summary(index: int, created: datetime) -> SessionSummary:
    return SessionSummary.model_validate(
        {
            "id": f"s{index}",
            "client_id": "c1",
            "persona_id": "p1",
            "status": "completed",
            "consent_mode": "integrator",
            "created_at": created.isoformat(),
        }
    )


def test_merge_keeps_each_session_once_newest_first_stable_on_ties() -> None:
    rows = [_summary(i, START + timedelta(seconds=i // 2)) for i in range(6)]
    newest_first = sorted(rows, key=lambda s: s.created_at, reverse=True)
    # Two overlapping slices: s3 and s2 are listed by both.
    merged = merge_slices([newest_first[:4], newest_first[2:]])
    assert [s.id for s in merged] == [s.id for s in newest_first]
    assert merge_slices([]) == []
