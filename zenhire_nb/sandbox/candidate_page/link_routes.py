"""Candidate-link routes, authorised by the link token alone (for the candidate page).

The token travels in the JSON body, never in a URL, so access logs never see it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, StrictBool, StrictStr

from zenhire_nb.sandbox.core.lifecycle import candidate_view, row_for_token, start_session
from zenhire_nb.sandbox.core.state import get_state

__all__ = ["router"]

router = APIRouter(prefix="/sandbox/candidate", tags=["sandbox candidate"])


class TokenBody(BaseModel):
    token: StrictStr = Field(min_length=1, max_length=200)


class StartBody(TokenBody):
    consent: StrictBool | None = None


@router.post("/session")
def candidate_session(body: TokenBody, request: Request) -> Any:
    """What the candidate page shows before the interview (role, consent mode, status)."""
    state = get_state(request)
    return candidate_view(row_for_token(state, body.token), state)


@router.post("/start")
def candidate_start(body: StartBody, request: Request) -> Any:
    """The candidate starts (after consent in explicit mode). Same rules as the admin start."""
    state = get_state(request)
    return start_session(state, row_for_token(state, body.token), body.consent)
