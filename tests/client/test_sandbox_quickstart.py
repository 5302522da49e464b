"""The seed quickstart end to end against the real sandbox over HTTP, sync and async.

Persona, session, candidate starts and completes (through ``sb.admin``), wait, save the
recording to a file, fetch the transcript, and check the credits charged (5 per started minute).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from zenhire_nb.client import ArtifactNotReadyError, AsyncClient, Client
from zenhire_nb.sandbox import Sandbox

DURATION_SEC = 742  # the quickstart's interview: ceil(742 / 60) = 13 minutes x 5 = 65 credits
CHARGE = 65


@pytest.fixture(scope="module")
def sb() -> Iterator[Any]:
    with Sandbox(credits=10_000) as sandbox:
        yield sandbox


def _check_recording(path: Path) -> None:
    data = path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE" and len(data) > 44
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary leftovers


def test_quickstart_sync(sb: Any, tmp_path: Path) -> None:
    with Client(api_key=sb.api_key, base_url=sb.base_url + "/api/v1/interview") as client:
        assert client.health().status == "ok"
        before = client.credits().balance
        persona = client.personas.create(role_name="Data analyst", language="en")
        assert persona.id in {p.id for p in client.personas.list()}
        assert client.personas.get(persona.id).system_prompt
        created = client.sessions.create(
            persona.id,
            consent_mode="explicit",
            candidate_ref="ats-sync-1",
            metadata={"team": "data", "round": 1},
            tags=["senior"],
        )
        assert created.candidate_link.startswith("http") and "#t=" in created.candidate_link
        assert client.sessions.get(created.id).status == "initiated"
        with pytest.raises(ArtifactNotReadyError) as info:
            client.sessions.transcript(created.id)
        assert info.value.session_status == "initiated"

        sb.admin.start(created.id, consent=True)
        assert client.sessions.get(created.id).status == "active"
        assert sb.admin.complete(created.id, duration_sec=DURATION_SEC)["charged"] == CHARGE

        session = client.sessions.wait(created.id, timeout=30, poll_interval=0.05)
        assert session.status == "completed" and session.duration_sec == DURATION_SEC
        assert session.credit_charged == CHARGE
        saved = client.sessions.recording(created.id, path=tmp_path / "interview.wav")
        _check_recording(saved)
        assert client.sessions.recording(created.id) == saved.read_bytes()
        transcript = client.sessions.transcript(created.id)
        assert transcript  # the document as served (the sandbox: a list of turns)
        assert client.credits().balance == before - CHARGE

        found = list(
            client.sessions.list(
                candidate_ref="ats-sync-1",
                tags=["senior"],
                metadata={"team": "data"},
                status="completed",
            )
        )
        assert [s.id for s in found] == [created.id]


def test_quickstart_async(sb: Any, tmp_path: Path) -> None:
    async def flow() -> None:
        async with AsyncClient(api_key=sb.api_key, base_url=sb.base_url) as client:
            assert (await client.health()).status == "ok"
            before = (await client.credits()).balance
            persona = await client.personas.create(role_name="Backend engineer", language="de")
            assert persona.id in {p.id for p in await client.personas.list()}
            created = await client.sessions.create(
                persona.id, consent_mode="integrator", candidate_ref="ats-async-1"
            )
            with pytest.raises(ArtifactNotReadyError):
                await client.sessions.recording(created.id)
            # The admin helper is synchronous: run it off the event loop.
            await asyncio.to_thread(sb.admin.start, created.id)
            await asyncio.to_thread(sb.admin.complete, created.id, duration_sec=DURATION_SEC)
            session = await client.sessions.wait(created.id, timeout=30, poll_interval=0.05)
            assert session.status == "completed" and session.credit_charged == CHARGE
            saved = await client.sessions.recording(created.id, path=tmp_path / "a.wav")
            _check_recording(saved)
            assert await client.sessions.transcript(created.id)
            assert (await client.credits()).balance == before - CHARGE
            rows = [s async for s in client.sessions.list(candidate_ref="ats-async-1")]
            assert [s.id for s in rows] == [created.id]

    asyncio.run(flow())


def test_paging_against_the_sandbox(sb: Any) -> None:
    with Client(api_key=sb.api_key, base_url=sb.base_url) as client:
        persona = client.personas.create(role_name="Pager", language="en")
        ids = {
            client.sessions.create(persona.id, consent_mode="integrator", tags=["paging"]).id
            for _ in range(5)
        }
        rows = list(client.sessions.list(persona_id=persona.id, page_size=2))
        assert {r.id for r in rows} == ids and len(rows) == 5
        assert [r.created_at for r in rows] == sorted((r.created_at for r in rows), reverse=True)
