"""The main job: the quickstart, end to end, against an embedded sandbox.

Every step goes through the public client over real HTTP, exactly as it would against the hosted
platform; only "the candidate takes the interview" is played by the sandbox's admin namespace.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from zenhire_nb.client import Client
from zenhire_nb.contract.models import mask_candidate_link

__all__ = ["run_demo", "run_quickstart"]


def _say(step: str, detail: str = "") -> None:
    print(f"  {step:<22} {detail}", flush=True)


def _show_transcript(session_id: str, transcript: object) -> None:
    """A few turns and the answers at a glance, read through the frames loaders."""
    from zenhire_nb.frames import answers_frame, turns_frame

    turns = turns_frame({session_id: transcript})
    answers = answers_frame(turns)
    for turn in turns.head(4).itertuples():
        text = turn.text if len(turn.text) <= 70 else turn.text[:67] + "..."
        print(f"    {turn.start_sec:6.1f}s {turn.speaker:<11} {text}", flush=True)
    answered = answers[answers["question_index"] >= 0]
    _say(
        "answers",
        f"{len(answered)} questions, {answered['answer_words'].mean():.0f} words and "
        f"{answered['answer_sec'].mean():.1f}s per answer on average, "
        f"{turns['duration_sec'].sum():.0f}s of speech in {len(turns)} turns",
    )


def run_quickstart(
    client: Client,
    candidate,  # SandboxAdmin-like: start(session_id, consent=...), simulate(session_id, seed=...)
    *,
    out_dir: Path,
    role_name: str,
    language: str,
    seed: int,
) -> dict[str, object]:
    """Persona → session → candidate interview → poll → recording + transcript on disk.

    Returns what happened (ids, status, duration, credits, file paths) for the caller to report.
    Raises the client's errors unchanged: a demo that hides a failure teaches the wrong thing.
    """
    balance_before = client.credits().balance
    persona = client.personas.create(role_name=role_name, language=language)
    _say("persona created", f"{persona.id}  ({persona.role_name}, {persona.language})")

    session = client.sessions.create(
        persona.id, consent_mode="explicit", candidate_ref="demo-candidate-001", tags=["demo"]
    )
    # The link is the candidate's admission ticket: show it masked, hand it over out of band.
    _say("session created", f"{session.id}  link {mask_candidate_link(session.candidate_link)}")

    candidate.start(session.id, consent=True)
    _say("candidate started", "consent given")
    candidate.simulate(session.id, seed=seed)
    _say("candidate finished", "interview backend sent the signed completion webhook")

    started = time.monotonic()
    final = client.sessions.wait(session.id, timeout=120, poll_interval=0.5)
    waited = time.monotonic() - started
    _say("session finished", f"status {final.status} after {waited:.1f}s of polling")

    out_dir.mkdir(parents=True, exist_ok=True)
    recording = client.sessions.recording(session.id, path=out_dir / f"{session.id}.wav")
    transcript = client.sessions.transcript(session.id)
    transcript_path = out_dir / f"{session.id}.transcript.json"
    transcript_path.write_text(json.dumps(transcript, indent=2), encoding="utf-8")
    balance_after = client.credits().balance
    _say("recording saved", f"{recording}  ({recording.stat().st_size:,} bytes)")
    _say("transcript saved", f"{transcript_path}")
    _show_transcript(session.id, transcript)
    _say(
        "credits",
        f"charged {final.credit_charged} for {final.duration_sec}s; "
        f"balance {balance_before} -> {balance_after}",
    )
    return {
        "persona_id": persona.id,
        "session_id": session.id,
        "status": final.status,
        "duration_sec": final.duration_sec,
        "credit_charged": final.credit_charged,
        "recording": recording,
        "transcript": transcript_path,
    }


def run_demo(*, out_dir: Path, role_name: str, language: str, seed: int) -> int:
    """Start an embedded sandbox, run :func:`run_quickstart`, print a summary. Returns 0."""
    from zenhire_nb.sandbox import Sandbox

    print("zenhire-nb demo: the quickstart against an embedded sandbox", flush=True)
    with Sandbox() as sandbox:
        _say("sandbox running", sandbox.base_url)
        with sandbox.client() as client:
            _say("platform health", client.health().status)
            run_quickstart(
                client,
                sandbox.admin,
                out_dir=out_dir,
                role_name=role_name,
                language=language,
                seed=seed,
            )
    print("done.", flush=True)
    return 0
