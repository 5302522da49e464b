"""Run engine calls with numpy's BLAS on one thread, so results do not depend on the process.

Why: faster-whisper computes its log-Mel features with a numpy matrix product, and OpenBLAS
sums it differently on 1 and on 2 threads. The last-bit differences are enough to change
words where the decoder hesitates. Dask workers start with ``OMP_NUM_THREADS=1`` while a
notebook kernel uses every core, so the same recording gave different transcripts locally and
on a ``LocalCluster``. One BLAS thread everywhere makes them identical; the product is small,
so the cost is not measurable next to decoding.

The limit is process-wide while any engine call runs (a reference count, so concurrent calls
from several threads do not restore it under each other); other numpy code of the process
runs with one BLAS thread meanwhile. Without ``threadpoolctl`` the calls run unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["single_blas_thread"]

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {"depth": 0, "limit": None}


def _limit() -> Any:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: results may then differ between processes
        return None
    return threadpool_limits(limits=1, user_api="blas")


@contextmanager
def single_blas_thread() -> Iterator[None]:
    """Hold numpy's BLAS at one thread for the duration (nested and concurrent uses share
    one limit, restored when the last ends)."""
    with _LOCK:
        if _STATE["depth"] == 0:
            _STATE["limit"] = _limit()
        _STATE["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE["depth"] -= 1
            if _STATE["depth"] == 0 and _STATE["limit"] is not None:
                _STATE["limit"].restore_original_limits()
                _STATE["limit"] = None
