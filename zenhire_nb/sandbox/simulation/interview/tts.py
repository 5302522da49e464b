"""Offline speech synthesis with eSpeak NG (from the ``espeakng-loader`` wheel, through ctypes).

No system package and no download is involved: the wheel ships the library and its voice data.
Synthesis is serialised by one process-wide lock because the C API is not thread-safe; the
library is loaded on the first call, not at import.

Voices are eSpeak names: a language (``en-us``, ``en-gb``, ``de``, ``fr``…) optionally followed
by a variant (``+f3`` female, ``+m3`` male…). :func:`voice_for_language` maps a persona's
free-text language to the eSpeak language that speaks it, when eSpeak has one.

Reproducibility: eSpeak's pitch "flutter" (and "roughness") carry state across calls inside the
C library that neither a voice change nor re-initialisation resets, so the same text can come
out a few samples different depending on what was spoken before. Variants that switch both off
(:data:`REPRODUCIBLE_VARIANTS`) give bit-identical samples for the same arguments; use them
wherever output must be reproducible (the simulated interviews do).

Example::

    speech = synthesize("Tell me about yourself.", voice="en-gb+f3", rate_wpm=160)
    speech.duration_sec, speech.sample_rate        # (≈1.6, 22050)
    pcm16k = speech.trimmed().resampled(16000).samples
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from zenhire_nb import _io
from zenhire_nb.sandbox.simulation.interview._espeak import (
    ESPEAK_SAMPLE_RATE,
    SpeechSynthesisError,
    engine,
)

__all__ = [
    "ESPEAK_SAMPLE_RATE",
    "REPRODUCIBLE_VARIANTS",
    "Speech",
    "SpeechSynthesisError",
    "resample",
    "resolve_voice",
    "synthesize",
    "voice_for_language",
]

_SILENCE_THRESHOLD = 200  # |int16| below this (≈ -44 dBFS) counts as silence when trimming
_TRIM_MARGIN_SEC = 0.01  # keep a little of the onset/decay so consonants are not clipped

# Common language names and country-style codes, mapped to eSpeak language names.
_LANGUAGE_NAMES = {
    "english": "en-us", "american": "en-us", "british": "en-gb", "german": "de",
    "deutsch": "de", "french": "fr", "francais": "fr", "français": "fr", "spanish": "es",
    "espanol": "es", "español": "es", "italian": "it", "italiano": "it", "portuguese": "pt",
    "dutch": "nl", "nederlands": "nl", "polish": "pl", "polski": "pl", "swedish": "sv",
    "danish": "da", "norwegian": "nb", "finnish": "fi", "czech": "cs", "greek": "el",
    "turkish": "tr", "russian": "ru", "ukrainian": "uk", "hindi": "hi", "japanese": "ja",
    "korean": "ko", "chinese": "cmn", "mandarin": "cmn", "cantonese": "yue", "arabic": "ar",
    "hebrew": "he", "romanian": "ro", "hungarian": "hu", "indonesian": "id", "vietnamese": "vi",
}  # fmt: skip
# Shipped variants with "flutter 0" and "roughness 0": stateless, so bit-reproducible.
REPRODUCIBLE_VARIANTS = (
    "shelby",
    "michel",
    "miguel",
    "Diogo",
    "Henrique",
    "Hugo",
    "Denis",
    "Storm",
)

# eSpeak looks voices up by file name; British English is the file "en", not "en-gb".
_VOICE_FILE_ALIASES = {"en-gb": "en", "en-uk": "en"}


class Speech(NamedTuple):
    """Synthesized mono speech: ``samples`` int16, ``sample_rate`` in Hz.

    A tuple, so ``samples, rate = synthesize(...)`` also works.
    """

    samples: np.ndarray
    sample_rate: int

    @property
    def duration_sec(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.sample_rate

    def trimmed(self, threshold: int = _SILENCE_THRESHOLD) -> Speech:
        """Drop leading and trailing silence (eSpeak pads each utterance), keeping 10 ms."""
        loud = np.flatnonzero(np.abs(self.samples.astype(np.int32)) >= threshold)
        if len(loud) == 0:
            return Speech(self.samples[:0], self.sample_rate)
        margin = int(_TRIM_MARGIN_SEC * self.sample_rate)
        first = max(int(loud[0]) - margin, 0)
        last = min(int(loud[-1]) + margin + 1, len(self.samples))
        return Speech(self.samples[first:last], self.sample_rate)

    def resampled(self, sample_rate: int) -> Speech:
        """The same speech at ``sample_rate`` Hz (band-limited, see :func:`resample`)."""
        return Speech(resample(self.samples, self.sample_rate, sample_rate), sample_rate)


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resample mono int16 ``samples`` from ``from_rate`` Hz to ``to_rate`` Hz for a recording.

    The shared resampler (:mod:`zenhire_nb._io.resample`) with the synthesis filter: returns a
    new int16 array of ``floor(len * to_rate / from_rate)`` samples, rounded and clipped.

    Raises:
        ValueError: a rate is not positive, or ``samples`` is not one-dimensional (mono).
    """
    return _io.resample(samples, from_rate, to_rate, quality=_io.SYNTHESIS_QUALITY, length="floor")


def synthesize(
    text: str, *, voice: str = "en-us", rate_wpm: int = 170, pitch: int | None = None
) -> Speech:
    """Speak ``text`` with eSpeak NG; returns int16 mono samples at 22050 Hz.

    Args:
        text: UTF-8 text; punctuation shapes the prosody (commas and full stops pause).
        voice: eSpeak voice name, optionally with a variant (``"en-gb+f3"``).
        rate_wpm: speaking rate in words per minute (clamped by eSpeak to 80..450).
        pitch: base pitch 0..100 (50 = the voice's own); ``None`` keeps the voice's pitch.

    Raises:
        SpeechSynthesisError: the library cannot be loaded, the voice is unknown, or eSpeak
            rejects the text or a parameter.
        ValueError: ``text`` is empty or only whitespace.

    Side effects: loads the library on first use; holds the process-wide synthesis lock.
    """
    if not text or not text.strip():
        raise ValueError("synthesize needs non-empty text")
    if pitch is not None and not 0 <= pitch <= 100:
        raise ValueError(f"pitch must be within 0..100, got {pitch}")
    resolved = resolve_voice(voice)
    with engine.lock:
        samples = engine.synthesize(text, resolved, rate_wpm, pitch)
    return Speech(samples, ESPEAK_SAMPLE_RATE)


def resolve_voice(voice: str) -> str:
    """The eSpeak voice name to load for ``voice`` (``"en-gb+f3"`` → ``"en+f3"``).

    The language part is matched case-insensitively against the voices the wheel ships, then
    by its primary subtag (``"fr-fr"`` → ``"fr"``); the ``+variant`` part is kept as is.

    Raises:
        SpeechSynthesisError: no shipped voice matches the language part.
    """
    base, plus, variant = voice.strip().partition("+")
    key = _VOICE_FILE_ALIASES.get(base.lower(), base.lower())
    known = _shipped_languages()
    if not known:  # data folder unreadable: let the engine report the real problem
        return voice
    for candidate in (key, key.split("-", 1)[0]):
        if candidate in known:
            return candidate + plus + variant
    raise SpeechSynthesisError(f"eSpeak NG has no voice named {voice!r}")


def voice_for_language(language: str) -> str | None:
    """The eSpeak language voice for a persona's free-text ``language``, or ``None``.

    Accepts codes (``"de"``, ``"de-DE"``, ``"pt_BR"``, ``"en-GB"``) and English or native names
    (``"German"``, ``"Deutsch"``). The full tag is tried first, then its primary subtag; a plain
    ``"en"`` is American English. ``None`` means eSpeak has no voice for it.
    """
    text = language.strip().lower().replace("_", "-")
    if not text:
        return None
    if text in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[text]
    known = _shipped_languages()
    primary = re.split(r"[-\s(]", text, maxsplit=1)[0]
    for candidate in (text, primary):
        if candidate in _VOICE_FILE_ALIASES:
            return "en-gb"
        if candidate == "en":
            return "en-us"
        if candidate in known:
            return candidate
        if candidate in _LANGUAGE_NAMES:
            return _LANGUAGE_NAMES[candidate]
    return None


@lru_cache(maxsize=1)
def _shipped_languages() -> frozenset[str]:
    """Language voice names present in the wheel's data folder (file names under ``lang/``)."""
    try:
        import espeakng_loader

        lang_dir = Path(espeakng_loader.get_data_path()) / "lang"
    except (ImportError, RuntimeError):
        return frozenset()
    return frozenset(path.name.lower() for path in lang_dir.rglob("*") if path.is_file())
