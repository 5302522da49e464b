"""Serving the sandbox in the foreground (``zenhire-nb sandbox``).

:func:`serve` prints the base URL and a ready API key, then runs uvicorn until interrupted.
:func:`add_arguments` declares the CLI options next to it, and ``python -m
zenhire_nb.sandbox`` runs the same thing without the console script.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import uvicorn

from zenhire_nb.sandbox._runner import bind_socket, ensure_default_tenant
from zenhire_nb.sandbox.app import create_app, sandbox_state

__all__ = ["add_arguments", "main", "serve"]

DEFAULT_CREDITS = 10_000


def serve(host: str = "127.0.0.1", port: int = 8765, *, api_key: str | None = None,
          credits: int = DEFAULT_CREDITS, db: str | Path | None = None,
          log_level: str = "info", out: TextIO | None = None) -> None:
    """Run a sandbox until interrupted (Ctrl-C / SIGTERM).

    Side effects: opens or creates ``db`` (in memory if None), prints the base URL, the
    default tenant's API key (the given one, or a new one) and the admin token to ``out``
    (stdout) — the caller asked for them — then blocks. ``port=0`` picks a free port.
    """
    out = out or sys.stdout
    app = create_app(db=db)
    state = sandbox_state(app)
    try:
        client_id, key = ensure_default_tenant(state, api_key, credits)
        sock = bind_socket(host, port)
        base_url = f"http://{host}:{sock.getsockname()[1]}"
        print(f"ZenHire sandbox: {base_url}", file=out)
        print(f"API key: {key}", file=out)
        print(f"Client id: {client_id}", file=out)
        print(f"Admin token: {state.admin_token}", file=out)
        print(f"Try: export ZENHIRE_BASE_URL={base_url} ZENHIRE_API_KEY={key}", file=out,
              flush=True)
        uvicorn.Server(uvicorn.Config(app, log_level=log_level, lifespan="off")).run(
            sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn has already shut down gracefully and re-raises the signal; Ctrl-C is the
        # normal way to stop, so end quietly.
        print("ZenHire sandbox stopped.", file=out, flush=True)
    finally:
        state.close()


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``sandbox`` command's options; :func:`serve` takes them by the same names."""
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (8765; 0 = any free)")
    parser.add_argument("--api-key", default=None,
                        help="API key for the default tenant (default: a new one)")
    parser.add_argument("--credits", type=int, default=DEFAULT_CREDITS,
                        help=f"opening balance of a new database ({DEFAULT_CREDITS})")
    parser.add_argument("--db", default=None,
                        help="SQLite file to keep data across runs (default: in memory)")
    parser.add_argument("--log-level", default="info", help="uvicorn log level (info)")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = add_arguments(argparse.ArgumentParser(prog="zenhire-nb sandbox")).parse_args(argv)
    serve(args.host, args.port, api_key=args.api_key, credits=args.credits, db=args.db,
          log_level=args.log_level)
