"""The sandbox's candidate page (``<sandbox>/candidate#t=<token>``) and its options.

The page is always served; :class:`CandidatePageSettings` only changes it. Example (a short
interview of two questions, and a cap of one running interview per tenant, handy in tests)::

    from zenhire_nb.sandbox import CandidatePageSettings, Sandbox

    settings = CandidatePageSettings(questions=2, concurrency_cap=1)
    with Sandbox(candidate_page=settings) as sb:
        ...

:func:`configure_candidate_page` does the same as a plugin (``Sandbox(plugins=[...])``).
Inside: :mod:`.routes` (HTTP only), :mod:`.flow` (what each step does), :mod:`.live` (the
script and answers of a running interview), :mod:`.audio` (clips, uploads, the final mix),
:mod:`.gate` (the concurrency cap) and the page itself in ``static/``.

Microphone answers carry the transcript text :data:`MICROPHONE_TEXT` (the sandbox has no
speech-to-text); simulated answers carry the words that were spoken.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from zenhire_nb.contract.limits import Limits
from zenhire_nb.sandbox.candidate_page.live import MICROPHONE_TEXT, CandidatePageSettings

__all__ = ["MICROPHONE_TEXT", "CandidatePageSettings", "configure_candidate_page"]


def configure_candidate_page(
    *,
    questions: int | None = None,
    concurrency_cap: int = Limits.CONCURRENCY_CAP,
    max_answer_sec: float = 600.0,
) -> Callable[[FastAPI], None]:
    """A sandbox plugin setting the candidate page's options (see
    :class:`CandidatePageSettings`). Raises ``ValueError`` at once for a bad option."""
    settings = CandidatePageSettings(
        questions=questions, concurrency_cap=concurrency_cap, max_answer_sec=max_answer_sec
    )

    def plugin(app: FastAPI) -> None:
        from zenhire_nb.sandbox.app import sandbox_state  # the app imports this package

        sandbox_state(app).candidate_page = settings

    return plugin
