"""ctypes binding to the eSpeak NG library shipped in the ``espeakng-loader`` wheel.

Private: use :mod:`.tts`. The library is loaded from the wheel's own
folder by absolute path, never from the system (Debian's ``libespeak-ng`` may exist with other
voice data; ``pip install`` alone must be enough), and initialised in synchronous mode: each
``espeak_Synth`` call delivers its samples to our callback before ``espeak_Synchronize`` returns.

The C library keeps process-wide state and is not thread-safe, so there is exactly one
:class:`_Engine` per process, and every call into it happens under its lock.
"""

from __future__ import annotations

import ctypes
import threading

import numpy as np

__all__ = ["ESPEAK_SAMPLE_RATE", "SpeechSynthesisError", "engine"]

ESPEAK_SAMPLE_RATE = 22050  # what espeak_Initialize reports for every shipped voice (Hz)

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_PARAM_RATE = 1  # words per minute
_PARAM_PITCH = 3  # 0..100, 50 is the voice's own
_PARAM_WORDGAP = 7  # extra pause between words, units of 10 ms at normal speed
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EE_OK = 0
_MIN_RATE_WPM, _MAX_RATE_WPM = 80, 450  # eSpeak clamps outside this range anyway

_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class SpeechSynthesisError(RuntimeError):
    """eSpeak NG could not be loaded, or refused a voice, parameter or text."""


class _Engine:
    """The one handle on the C library; lazily loaded on first use."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._lib: ctypes.CDLL | None = None
        self._chunks: list[np.ndarray] = []
        self._voice: str | None = None
        # Keep the callback object alive for as long as the library may call it.
        self._callback = _SYNTH_CALLBACK(self._collect)

    def _collect(self, wav: ctypes.c_void_p, numsamples: int, events: int) -> int:
        if numsamples > 0 and wav:
            raw = ctypes.string_at(wav, numsamples * 2)
            self._chunks.append(np.frombuffer(raw, dtype="<i2"))
        return 0  # 0 = continue synthesis

    def _load(self) -> ctypes.CDLL:
        if self._lib is not None:
            return self._lib
        try:
            import espeakng_loader

            library_path = espeakng_loader.get_library_path()
            data_path = espeakng_loader.get_data_path()
            lib = ctypes.CDLL(library_path)
        except (ImportError, OSError, RuntimeError) as exc:
            raise SpeechSynthesisError(
                "cannot load eSpeak NG from the 'espeakng-loader' wheel "
                f"({type(exc).__name__}: {exc}); install it with `pip install espeakng-loader`"
            ) from exc
        _declare(lib)
        # The wheel's build wants the espeak-ng-data folder itself (its parent finds no voices).
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(), 0)
        if rate != ESPEAK_SAMPLE_RATE:
            raise SpeechSynthesisError(
                f"eSpeak NG initialisation failed (returned {rate}, expected "
                f"{ESPEAK_SAMPLE_RATE} Hz) with data folder {data_path!r}"
            )
        lib.espeak_SetSynthCallback(self._callback)
        self._lib = lib
        return lib

    def synthesize(self, text: str, voice: str, rate_wpm: int, pitch: int | None) -> np.ndarray:
        """Raw int16 samples at 22050 Hz. Caller must hold ``self.lock``."""
        lib = self._load()
        if voice != self._voice:
            if lib.espeak_SetVoiceByName(voice.encode()) != _EE_OK:
                self._voice = None
                raise SpeechSynthesisError(f"eSpeak NG has no voice named {voice!r}")
            self._voice = voice
        rate = min(max(int(rate_wpm), _MIN_RATE_WPM), _MAX_RATE_WPM)
        _check(lib.espeak_SetParameter(_PARAM_RATE, rate, 0), "rate_wpm", rate_wpm)
        _check(lib.espeak_SetParameter(_PARAM_WORDGAP, 0, 0), "word gap", 0)
        pitch_value = 50 if pitch is None else int(pitch)
        _check(lib.espeak_SetParameter(_PARAM_PITCH, pitch_value, 0), "pitch", pitch)
        data = text.encode("utf-8") + b"\0"
        self._chunks = []
        status = lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        _check(status, "text", text[:60])
        _check(lib.espeak_Synchronize(), "text", text[:60])
        chunks, self._chunks = self._chunks, []
        if not chunks:
            return np.zeros(0, dtype=np.int16)
        return np.concatenate(chunks).astype(np.int16, copy=False)


def _check(status: int, what: str, value: object) -> None:
    if status != _EE_OK:
        raise SpeechSynthesisError(f"eSpeak NG rejected {what} {value!r} (error {status})")


def _declare(lib: ctypes.CDLL) -> None:
    """Declare argument and return types so ctypes does not guess (size_t, pointers)."""
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetSynthCallback.argtypes = [_SYNTH_CALLBACK]
    lib.espeak_SetSynthCallback.restype = None
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_SetParameter.restype = ctypes.c_int
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.POINTER(ctypes.c_uint),
        ctypes.c_void_p,
    ]
    lib.espeak_Synth.restype = ctypes.c_int
    lib.espeak_Synchronize.argtypes = []
    lib.espeak_Synchronize.restype = ctypes.c_int


# The C library is process-global state; one engine object mirrors that (see module docstring).
engine = _Engine()
