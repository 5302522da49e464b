"""Speed of the speech-to-text engines on sandbox-like speech, measured side by side.

Synthesizes a ~90 s two-voice interview dialogue with the sandbox's text-to-speech, then
transcribes it with faster-whisper (tiny.en, int8, beam 5, 2 threads) and with openai-whisper
on the same weights converted from CTranslate2 (float32, beam 5, 2 threads), and with the
check's batched path for reference. Prints real-time factors (audio seconds per second of
compute), WER and the speed ratio. The eSpeak voices here vary their pitch between runs, so
the WER of one run moves by about a point; over 8 syntheses the sequential path averaged 0.057
and the batched one 0.074 on this clean dialogue (0.127 and 0.115 on the ground-truth
benchmark's varied voices, ``bench_stt_ground_truth.py``).

Target: faster-whisper at least 10x real time.  Run: ``python benchmarks/bench_stt_speed.py``
"""

from __future__ import annotations

import time

import numpy as np

from zenhire_nb.sandbox.simulation.interview.tts import synthesize
from zenhire_nb.stt import load_engine, word_error_rate
from zenhire_nb.stt._audio import prepare_audio

TARGET_RTF = 10.0
THREADS = 2
VOICES = {"interviewer": ("en-us", 165), "candidate": ("en-us+f2", 150)}
TURNS = [
    ("interviewer", "Thanks for joining today. Could you start by telling me about your role?"),
    (
        "candidate",
        "Sure. I lead a small analytics team at a logistics company, and we build "
        "dashboards for the operations group.",
    ),
    ("interviewer", "What does a typical week look like for you?"),
    (
        "candidate",
        "Most mornings I review pipeline alerts, then I spend the afternoon pairing "
        "with analysts on new reports.",
    ),
    ("interviewer", "Tell me about a project you are proud of."),
    (
        "candidate",
        "Last year we rebuilt our forecasting model, which cut late deliveries by "
        "about twelve percent.",
    ),
    ("interviewer", "How did you measure that improvement?"),
    (
        "candidate",
        "We ran the old and new models side by side for six weeks and compared them "
        "against actual arrivals.",
    ),
    ("interviewer", "What was the hardest part of that work?"),
    (
        "candidate",
        "Convincing the warehouse managers to trust the numbers was harder than the "
        "modelling itself.",
    ),
    ("interviewer", "How do you handle disagreement within your team?"),
    (
        "candidate",
        "I ask everyone to write down their assumptions first, because most arguments "
        "disappear once the assumptions are visible.",
    ),
    ("interviewer", "Why are you interested in this position?"),
    (
        "candidate",
        "I want to work closer to product decisions, and your team seems to use data "
        "in every planning meeting.",
    ),
    ("interviewer", "Do you have any questions for us?"),
    ("candidate", "Yes, I would like to know how the team decides which experiments to run."),
]


def dialogue() -> tuple[np.ndarray, int, str]:
    """(int16 samples, rate in Hz, reference text) with 0.8 s of silence between turns."""
    parts, rate = [], 22050
    for speaker, text in TURNS:
        voice, wpm = VOICES[speaker]
        samples, rate = synthesize(text, voice=voice, rate_wpm=wpm)
        parts += [np.asarray(samples), np.zeros(int(0.8 * rate), np.int16)]
    return np.concatenate(parts), rate, " ".join(text for _, text in TURNS)


def measure(engine, audio: np.ndarray) -> tuple[float, str]:
    """(seconds of compute, text) for one full transcription."""
    started = time.perf_counter()
    segments = engine.transcribe(audio)  # a list: the lazy generator is consumed inside
    return time.perf_counter() - started, " ".join(s.text for s in segments)


def main() -> None:
    samples, rate, reference = dialogue()
    audio = prepare_audio((samples, rate)).samples
    duration = audio.size / 16000
    engines = {
        "faster-whisper int8": load_engine(
            "faster-whisper", compute_type="int8", beam_size=5, threads=THREADS
        ),
        "openai-whisper float32": load_engine("openai-whisper", beam_size=5, threads=THREADS),
        # The check's default transcription (chunks at pauses, batched decoding), for reference.
        "faster-whisper batched": load_engine(
            "faster-whisper", compute_type="int8", beam_size=5, threads=THREADS, batched=True
        ),
    }
    warmup = audio[: 16000 * 3]
    rtf = {}
    print(f"audio: {duration:.1f} s of two-voice synthesized dialogue, {THREADS} threads, beam 5")
    for name, engine in engines.items():
        engine.transcribe(warmup)
        seconds, text = measure(engine, audio)
        rtf[name] = duration / seconds
        wer = word_error_rate(reference, text)
        print(f"{name:24s} {seconds:6.2f} s  {rtf[name]:5.1f}x real time  WER {wer:.3f}")
    ratio = rtf["faster-whisper int8"] / rtf["openai-whisper float32"]
    print(f"faster-whisper is {ratio:.2f}x faster than openai-whisper on the same weights")
    measured = rtf["faster-whisper int8"]
    verdict = "PASS" if measured >= TARGET_RTF else "FAIL"
    print(
        f"BENCH stt_faster_whisper_realtime: {measured:.1f}x (target >= {TARGET_RTF:.0f}x) "
        f"{verdict}"
    )


if __name__ == "__main__":
    main()
