"""Real speech for the tests: the sandbox's TTS when importable, else eSpeak NG directly.

The fallback exists only so this suite can run while the sandbox's speech module is being
built; both produce int16 samples at 22050 Hz from the ``espeakng-loader`` wheel.
"""

from __future__ import annotations

import ctypes
import threading

import numpy as np

_LOCK = threading.Lock()
_STATE: dict[str, object] = {}
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


def _library() -> tuple[ctypes.CDLL, int]:
    if "lib" not in _STATE:
        import espeakng_loader

        lib = ctypes.cdll.LoadLibrary(str(espeakng_loader.get_library_path()))
        data = str(espeakng_loader.get_data_path()).encode()
        lib.espeak_Initialize.restype = ctypes.c_int
        rate = lib.espeak_Initialize(2, 0, ctypes.c_char_p(data), 0)
        chunks: list[np.ndarray] = []

        def collect(wav: ctypes.POINTER(ctypes.c_short), count: int, _events: int) -> int:
            if count > 0:
                chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
            return 0

        callback = _CALLBACK(collect)
        lib.espeak_SetSynthCallback(callback)
        _STATE.update(lib=lib, rate=rate, chunks=chunks, callback=callback)
    return _STATE["lib"], int(_STATE["rate"])  # type: ignore[return-value]


def _espeak(text: str, voice: str, rate_wpm: int) -> tuple[np.ndarray, int]:
    lib, rate = _library()
    chunks: list[np.ndarray] = _STATE["chunks"]  # type: ignore[assignment]
    chunks.clear()
    lib.espeak_SetVoiceByName(voice.encode())
    lib.espeak_SetParameter(1, rate_wpm, 0)
    data = text.encode("utf-8") + b"\0"
    lib.espeak_Synth(ctypes.c_char_p(data), len(data), 0, 0, 0, 0x01, None, None)
    lib.espeak_Synchronize()
    return np.concatenate(chunks) if chunks else np.zeros(0, np.int16), rate


def speak(text: str, *, voice: str = "en-us", rate_wpm: int = 160) -> tuple[np.ndarray, int]:
    """(int16 samples, sample rate in Hz) of ``text`` spoken by eSpeak NG."""
    with _LOCK:
        try:
            from zenhire_nb.sandbox.simulation.interview.tts import synthesize
        except ImportError:
            return _espeak(text, voice, rate_wpm)
        speech = synthesize(text, voice=voice, rate_wpm=rate_wpm)
        return np.asarray(speech[0]), int(speech[1])


def silence(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(int(seconds * rate), dtype=np.int16)
