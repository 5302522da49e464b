"""The per-session summary: talk ratio, speaking time, answer length and latency, and more.

One row per session, joining what the caller has: the turns frame (required), and optionally
the answers, sessions and recordings frames. Columns: ``SCHEMAS["session_summary"]`` in
:mod:`zenhire_nb.frames.schemas`; columns whose source frame was not given are present and
empty (NaN/NaT), so the schema never depends on the arguments.

Rows: the sessions frame's sessions when given (a session without a transcript gets
``n_turns`` 0), then any session of the turns frame the sessions frame lacks (its session
columns empty), in order of first appearance.

Recording columns aggregate the channels: duration is the longest, speech seconds are summed
(with one speaker per channel that is total speaking time), RMS is the power mean, and the
silence ratio is ``1 - speech / duration`` clipped to 0..1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zenhire_nb.frames.answers import answers_frame
from zenhire_nb.frames.schemas import SCHEMA_VERSION, SCHEMAS, apply_schema, check_columns

__all__ = ["session_summary_frame"]

_FROM_SESSIONS = ("persona_id", "status", "created_at", "duration_min", "credit_charged")


def session_summary_frame(
    turns: pd.DataFrame,
    *,
    answers: pd.DataFrame | None = None,
    sessions: pd.DataFrame | None = None,
    recordings: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Summarise each session from the frames built by this package.

    Args:
        turns: the turns frame.
        answers: the answers frame; computed from ``turns`` when omitted.
        sessions: the sessions frame: selects the rows and adds session fields.
        recordings: the recordings frame: adds the ``recording_*`` columns.

    Raises:
        ValueError: a frame lacks the columns needed (named in the message).

    No input is modified.
    """
    check_columns(turns, "turns")
    answers = answers_frame(turns) if answers is None else answers
    check_columns(answers, "answers")
    ids = _session_ids(turns, sessions)
    # object dtype even when empty: an empty list would make a float column that cannot join.
    result = pd.DataFrame({"session_id": pd.Series(ids, dtype=object)})
    result = result.join(_from_turns(turns), on="session_id")
    result = result.join(_from_answers(answers), on="session_id")
    result = result.join(_from_sessions(sessions), on="session_id")
    result = result.join(_from_recordings(recordings), on="session_id")
    result = _fill(result)
    frame = apply_schema(result[list(SCHEMAS["session_summary"])], "session_summary")
    frame.attrs.update(frame="session_summary", schema_version=SCHEMA_VERSION)
    return frame


def _session_ids(turns: pd.DataFrame, sessions: pd.DataFrame | None) -> list[str]:
    with_turns = [str(sid) for sid in pd.unique(turns["session_id"].to_numpy(dtype=object))]
    if sessions is None:
        return with_turns
    check_columns(sessions, "sessions", needed=("session_id", *_FROM_SESSIONS))
    known = list(dict.fromkeys(str(sid) for sid in sessions["session_id"]))
    # A transcript whose session is missing from the sessions frame still gets its row.
    listed = set(known)
    return known + [sid for sid in with_turns if sid not in listed]


def _from_turns(turns: pd.DataFrame) -> pd.DataFrame:
    candidate = (turns["speaker"].astype(str) == "candidate").to_numpy()
    durations = turns["duration_sec"].to_numpy(dtype=np.float64)
    words = turns["words"].to_numpy(dtype=np.int64)
    parts = pd.DataFrame(
        {
            "session_id": turns["session_id"].to_numpy(dtype=object),
            "candidate_ref": turns["candidate_ref"].to_numpy(dtype=object),
            "role_name": turns["role_name"].to_numpy(dtype=object),
            "interviewer_sec": np.where(candidate, np.nan, durations),
            "candidate_sec": np.where(candidate, durations, np.nan),
            "candidate_words": np.where(candidate, words, 0),
        }
    )
    grouped = parts.groupby("session_id", sort=False)
    out = grouped.agg(
        candidate_ref=("candidate_ref", "first"),
        role_name=("role_name", "first"),
        n_turns=("candidate_words", "size"),
        candidate_words=("candidate_words", "sum"),
    )
    out["interviewer_speaking_sec"] = grouped["interviewer_sec"].sum(min_count=1)
    out["candidate_speaking_sec"] = grouped["candidate_sec"].sum(min_count=1)
    return out


def _from_answers(answers: pd.DataFrame) -> pd.DataFrame:
    asked = answers[answers["question_index"] >= 0]
    answered = asked[asked["answered"]]
    questions = asked.groupby("session_id", sort=False).size().rename("n_questions")
    means = answered.groupby("session_id", sort=False).agg(
        n_answered=("answered", "size"),
        mean_answer_words=("answer_words", "mean"),
        mean_answer_sec=("answer_sec", "mean"),
        mean_latency_sec=("latency_sec", "mean"),
    )
    return pd.concat([questions, means], axis=1)


def _from_sessions(sessions: pd.DataFrame | None) -> pd.DataFrame:
    if sessions is None:
        return pd.DataFrame(columns=list(_FROM_SESSIONS), index=pd.Index([], name="session_id"))
    picked = sessions[["session_id", *_FROM_SESSIONS, "candidate_ref", "role_name"]]
    picked = picked.rename(columns={"candidate_ref": "_ref", "role_name": "_role"})
    return picked.drop_duplicates("session_id").set_index("session_id")


def _from_recordings(recordings: pd.DataFrame | None) -> pd.DataFrame:
    names = ["recording_duration_sec", "recording_rms_dbfs", "recording_speech_sec"]
    if recordings is None or recordings.empty:
        return pd.DataFrame(columns=names, index=pd.Index([], name="session_id"), dtype=float)
    check_columns(recordings, "recordings")
    power = 10.0 ** (recordings["rms_dbfs"].to_numpy(dtype=np.float64) / 10.0)
    parts = recordings[["session_id", "duration_sec", "speech_sec"]].assign(_power=power)
    grouped = parts.groupby("session_id", sort=False)
    out = pd.DataFrame(
        {
            names[0]: grouped["duration_sec"].max(),
            names[1]: 10.0 * np.log10(grouped["_power"].mean()),
            names[2]: grouped["speech_sec"].sum(),
        }
    )
    return out


def _fill(result: pd.DataFrame) -> pd.DataFrame:
    """Derived columns, defaults for sessions without data, and session-level identity."""
    for column in ("n_turns", "n_questions", "n_answered", "candidate_words"):
        result[column] = result[column].fillna(0).astype(np.int64)
    if "_ref" in result.columns:  # the sessions frame knows every session, even without turns
        result["candidate_ref"] = result["_ref"].combine_first(result["candidate_ref"])
        result["role_name"] = result["_role"].combine_first(result["role_name"])
    both = result["candidate_speaking_sec"].fillna(0) + result["interviewer_speaking_sec"].fillna(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        result["talk_ratio"] = (result["candidate_speaking_sec"] / both).where(both > 0)
        minutes = result["candidate_speaking_sec"] / 60.0
        result["mean_words_per_minute"] = (result["candidate_words"] / minutes).where(minutes > 0)
    duration = result["recording_duration_sec"]
    silence = 1.0 - result["recording_speech_sec"] / duration.where(duration > 0)
    result["recording_silence_ratio"] = silence.clip(0.0, 1.0)
    return result
