""":class:`SandboxAdmin`: a small typed helper over the ``/sandbox`` admin routes.

Tests and notebooks use it to act for the platform operator (tenants, keys, credits), for the
candidate (start) and for the interview backend (complete, fail, time out). It speaks plain
httpx and never touches the sandbox's internals, so it works against a sandbox in another
process too.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from zenhire_nb.client import Client

__all__ = ["SandboxAdmin", "SandboxAdminError", "Tenant"]

ADMIN_HEADER = "X-Sandbox-Admin-Token"
_CHUNK = 1024 * 1024


class SandboxAdminError(RuntimeError):
    """An admin call answered 4xx/5xx. ``code`` is the envelope's ``error.code``."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any]) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.details = status, code, message, details


@dataclass(frozen=True)
class Tenant:
    """A sandbox client with one API key (kept out of ``repr``)."""

    client_id: str
    api_key: str = field(repr=False)
    base_url: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.api_key}

    def http(self, **kwargs: Any) -> httpx.Client:
        """A plain ``httpx.Client`` on the platform origin, sending this tenant's key
        (``headers=`` adds to or overrides it)."""
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return httpx.Client(base_url=self.base_url, headers=headers, **kwargs)

    def client(self, **kwargs: Any) -> Client:
        """A :class:`zenhire_nb.client.Client` for this tenant (``kwargs`` go to its
        constructor). Imported only here: the sandbox itself never needs the client."""
        from zenhire_nb.client import Client

        return Client(api_key=self.api_key, base_url=self.base_url, **kwargs)


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


class SandboxAdmin:
    """Admin calls against the sandbox at ``base_url`` (the platform origin).

    Every method raises :class:`SandboxAdminError` on a 4xx/5xx answer.
    """

    def __init__(self, base_url: str, admin_token: str, *, timeout: float = 600.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url, timeout=timeout, headers={ADMIN_HEADER: admin_token}
        )

    def __repr__(self) -> str:
        return f"SandboxAdmin(base_url={self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            try:
                error = response.json()["error"]
            except (ValueError, KeyError, TypeError):
                error = {"code": "UNKNOWN", "message": response.text[:200]}
            raise SandboxAdminError(
                response.status_code,
                error.get("code", "UNKNOWN"),
                error.get("message", ""),
                error.get("details") or {},
            )
        return response.json()

    def create_client(
        self,
        *,
        name: str | None = None,
        credits: int = 10_000,
        interview_permission: bool = True,
        active: bool = True,
        ip_allowlist: list[str] | None = None,
        rate_limit_per_minute: int | None = None,
    ) -> Tenant:
        """A new tenant with a fresh API key."""
        body = {
            "name": name,
            "credits": credits,
            "interview_permission": interview_permission,
            "active": active,
            "ip_allowlist": ip_allowlist,
            "rate_limit_per_minute": rate_limit_per_minute,
        }
        created = self._call("POST", "/sandbox/clients", json=body)
        return Tenant(created["client_id"], created["api_key"], self.base_url)

    def update_client(self, client_id: str, **changes: Any) -> dict[str, Any]:
        """Change ``credits`` (sets the balance; the difference goes to the ledger),
        ``interview_permission``, ``active``, ``ip_allowlist``, ``rate_limit_per_minute``."""
        result: dict[str, Any] = self._call("PATCH", f"/sandbox/clients/{client_id}", json=changes)
        return result

    def get_client(self, client_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", f"/sandbox/clients/{client_id}")
        return result

    def create_key(self, client_id: str, *, expires_at: datetime | None = None) -> str:
        body = {"expires_at": expires_at.isoformat() if expires_at else None}
        return str(self._call("POST", f"/sandbox/clients/{client_id}/keys", json=body)["api_key"])

    def ledger(self, client_id: str) -> dict[str, Any]:
        """``{"balance": int, "entries": [{at, delta, reason, session_id}, ...]}``."""
        result: dict[str, Any] = self._call("GET", f"/sandbox/clients/{client_id}/ledger")
        return result

    def start(
        self,
        session_id: str,
        *,
        consent: bool | None = None,
        wait_sec: float = 120.0,
        poll_sec: float = 0.25,
    ) -> dict[str, Any]:
        """The candidate starts (``consent=True`` is needed in explicit mode), under the
        tenant's concurrency cap as on the candidate page.

        While the cap is full the sandbox answers ``{"status": "waiting", "position": n}``;
        this call asks again every ``poll_sec`` (which keeps the place in line) until the
        session is active, for at most ``wait_sec`` seconds, then raises ``TimeoutError``
        naming the session. ``wait_sec=0`` returns the first answer, waiting or not.
        """
        deadline = time.monotonic() + wait_sec
        while True:
            result: dict[str, Any] = self._call(
                "POST", f"/sandbox/sessions/{session_id}/start", json={"consent": consent}
            )
            if result.get("status") != "waiting" or wait_sec <= 0:
                return result
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"session {session_id} still waits for a free interview slot after "
                    f"{wait_sec:g} s (place {result.get('position')} in line)"
                )
            time.sleep(poll_sec)

    def stage_recording(self, session_id: str, recording: Path | bytes | Iterable[bytes]) -> int:
        """Upload a WAV (file path, bytes or chunk iterator) streamed; returns its size."""
        content = _file_chunks(Path(recording)) if isinstance(recording, Path) else recording
        answer = self._call(
            "PUT",
            f"/sandbox/sessions/{session_id}/recording",
            content=content,
            headers={"Content-Type": "audio/wav"},
        )
        return int(answer["staged_bytes"])

    def complete(
        self,
        session_id: str,
        *,
        duration_sec: int,
        transcript: Any = None,
        recording: bytes | None = None,
        feedback: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Complete through the signed webhook; returns ``{"status", "charged"}``.

        ``recording`` (WAV bytes) is sent base64-encoded; for long files stage them with
        :meth:`stage_recording` first. Missing transcript/recording are generated.
        """
        body = {
            "duration_sec": duration_sec,
            "transcript": transcript,
            "feedback": feedback,
            "recording_b64": base64.b64encode(recording).decode() if recording else None,
        }
        result: dict[str, Any] = self._call(
            "POST", f"/sandbox/sessions/{session_id}/complete", json=body
        )
        return result

    def fail(self, session_id: str, *, error_code: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "POST", f"/sandbox/sessions/{session_id}/fail", json={"error_code": error_code}
        )
        return result

    def timeout(self, session_id: str) -> dict[str, Any]:
        """Close a live interview as ``failed`` with error code ``SESSION_TIMEOUT``."""
        result: dict[str, Any] = self._call("POST", f"/sandbox/sessions/{session_id}/timeout")
        return result

    def simulate(
        self, session_id: str, *, seed: int | str | None = None, **options: Any
    ) -> dict[str, Any]:
        """Run a whole simulated interview for the session and complete (or fail) it through
        the signed webhook; blocks until done (about 1 s per 3 minutes of interview).

        Starts an ``initiated`` session first, acting for the candidate (consent implied).
        ``options``: ``target_minutes``, ``mistake_rate``, ``failure_rate``, ``timeout_rate``,
        ``feedback_rate``, ``sample_rate``, ``channels``, ``transcript_shape``, ``outcome``
        ("completed", "failed", "timeout"), ``profile`` (dict of ``CandidateProfile`` fields);
        unset ones use the sandbox's defaults. Returns ``{session_id, status, charged, seed,
        outcome, duration_sec, error_code}``. Raises :class:`SandboxAdminError` (409
        ``SESSION_TERMINAL``, 410 ``LINK_EXPIRED``, 400 ``INVALID_INPUT``, 404 ``NOT_FOUND``).
        """
        result: dict[str, Any] = self._call(
            "POST", f"/sandbox/sessions/{session_id}/simulate", json={"seed": seed, **options}
        )
        return result

    def ground_truth(self, session_id: str) -> dict[str, Any]:
        """What really happened in a simulated session: ``true_turns``, ``served_turns``,
        ``mistakes`` (``turn``, ``kind``, ``position``, ``original``, ``replacement``),
        ``candidate`` traits, ``voices``, ``outcome``... 409 ``GROUND_TRUTH_UNAVAILABLE`` for a
        session that was not simulated."""
        result: dict[str, Any] = self._call("GET", f"/sandbox/sessions/{session_id}/ground-truth")
        return result

    def faults(self) -> dict[str, Any]:
        """The fault rules: ``{seed, rules, injected}`` (counts per rule since last set)."""
        result: dict[str, Any] = self._call("GET", "/sandbox/faults")
        return result

    def set_faults(
        self, rules: Iterable[str | dict[str, Any]], *, seed: int | None = None
    ) -> dict[str, Any]:
        """Replace the fault rules (text or JSON forms, see ``zenhire_nb.sandbox.faults.rules``);
        an empty list switches faults off. 400 ``INVALID_INPUT`` names a bad rule."""
        result: dict[str, Any] = self._call(
            "PUT", "/sandbox/faults", json={"seed": seed, "rules": list(rules)}
        )
        return result

    def candidate_start(self, token: str, *, consent: bool | None = None) -> dict[str, Any]:
        """Start as the candidate page does, with the link token (sent in the body): under
        the concurrency cap (the answer may be ``waiting``; call again to keep the place),
        and bound to this helper's browser cookie while the interview runs."""
        result: dict[str, Any] = self._call(
            "POST", "/sandbox/candidate/start", json={"token": token, "consent": consent}
        )
        return result
