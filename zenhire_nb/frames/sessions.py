"""The sessions frame: one row per session, every SessionSummary field as a typed column.

Columns: ``SCHEMAS["sessions"]`` in :mod:`zenhire_nb.frames.schemas` (``id`` is named
``session_id`` so that every frame joins on the same column; the single-session ``persona``
fills ``role_name``/``language`` when the list-row fields are absent; ``feedback`` is flattened
into ``feedback_*``). With ``expand_metadata=True`` each metadata key also gets a column
``metadata.<key>``, appended in key order after the schema's columns (missing values NaN or NA).

``df.attrs``: ``frame``, ``schema_version`` and ``raw`` (``{session_id: the summary as a
dict}``, including fields the platform added that this version does not know).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from pydantic import ValidationError

from zenhire_nb.contract import SessionSummary
from zenhire_nb.frames._raw import RawDocuments
from zenhire_nb.frames.errors import FramesError, describe_subject
from zenhire_nb.frames.schemas import SCHEMA_VERSION, UTC_TIME, apply_schema, empty_frame

__all__ = ["sessions_frame"]

_TIMES = ("created_at", "started_at", "completed_at")


def sessions_frame(
    summaries: Iterable[SessionSummary | Mapping[str, Any]], *, expand_metadata: bool = False
) -> pd.DataFrame:
    """One row per session, in the order given.

    Args:
        summaries: :class:`SessionSummary` objects (as ``client.sessions.list()`` yields) or
            plain dicts in the contract's shape.
        expand_metadata: also add one ``metadata.<key>`` column per metadata key.

    Raises:
        FramesError: a dict is not a valid SessionSummary (names the session and the fields).

    Inputs are not modified: tags and metadata are copied into the frame.
    """
    models = [_model(item, position) for position, item in enumerate(summaries)]
    if models:
        rows = pd.DataFrame([_row(model) for model in models])
        for column in _TIMES:
            rows[column] = pd.to_datetime(rows[column], utc=True).astype(UTC_TIME)
        frame = apply_schema(rows, "sessions")
    else:
        frame = empty_frame("sessions")
    if expand_metadata:
        frame = _with_metadata_columns(frame)
    frame.attrs.update(
        frame="sessions",
        schema_version=SCHEMA_VERSION,
        raw=RawDocuments({m.id: m.model_dump(mode="json") for m in models}),
    )
    return frame


def _model(item: SessionSummary | Mapping[str, Any], position: int) -> SessionSummary:
    if isinstance(item, SessionSummary):
        return item
    if not isinstance(item, Mapping):
        found = type(item).__name__
        message = f"session summary {position}: expected SessionSummary or dict, got {found}"
        raise FramesError(message)
    try:
        return SessionSummary.model_validate(dict(item))
    except ValidationError as error:
        fields = sorted({".".join(map(str, e["loc"])) for e in error.errors()})
        name = describe_subject(item.get("id")) or f"session summary {position}"
        raise FramesError(f"invalid session summary; bad fields {fields}", subject=name) from None


def _row(model: SessionSummary) -> dict[str, Any]:
    persona = model.persona
    feedback = model.feedback
    return {
        "session_id": model.id,
        "client_id": model.client_id,
        "persona_id": model.persona_id,
        "candidate_ref": model.candidate_ref,
        "status": model.status,
        "consent_mode": model.consent_mode,
        "source": model.source,
        "project_id": model.project_id,
        "role_name": model.role_name or (persona.role_name if persona else None),
        "language": model.language or (persona.language if persona else None),
        "tags": list(model.tags) if model.tags is not None else None,
        "metadata": dict(model.metadata) if model.metadata is not None else None,
        "created_at": model.created_at,
        "started_at": model.started_at,
        "completed_at": model.completed_at,
        "duration_sec": model.duration_sec,
        "duration_min": model.duration_sec / 60.0 if model.duration_sec is not None else None,
        "credit_charged": model.credit_charged,
        "recording_s3_key": model.recording_s3_key,
        "transcript_s3_key": model.transcript_s3_key,
        "interview_svc_session_id": model.interview_svc_session_id,
        "error_code": model.error_code,
        "feedback_rating": feedback.rating if feedback else None,
        "feedback_negative": feedback.negative if feedback else None,
        "feedback_comment": feedback.comment if feedback else None,
    }


def _with_metadata_columns(frame: pd.DataFrame) -> pd.DataFrame:
    keys = sorted({key for meta in frame["metadata"] if meta for key in meta})
    columns = {
        f"metadata.{key}": pd.Series(
            [meta.get(key) if meta else None for meta in frame["metadata"]],
            index=frame.index,
            dtype=object,
        ).infer_objects()
        for key in keys
    }
    return pd.concat([frame, pd.DataFrame(columns, index=frame.index)], axis=1)
