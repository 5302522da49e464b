"""The WAV really contains the turns where the transcript says they are."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from zenhire_nb.sandbox.simulation.interview import recording as recording_module
from zenhire_nb.sandbox.simulation.interview.simulate import SimulatedInterview, simulate_interview
from zenhire_nb.sandbox.simulation.interview.tts import SpeechSynthesisError

TOLERANCE_SEC = 0.3
FRAME_SEC = 0.01
LOUD = 300  # peak |int16| of a 10 ms frame that counts as speech


def _read(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return data.reshape(-1, wav.getnchannels()), wav.getframerate()


def _loud_frames(samples: np.ndarray, rate: int) -> np.ndarray:
    """Per 10 ms frame: True where the peak amplitude is above LOUD."""
    size = int(FRAME_SEC * rate)
    count = len(samples) // size
    frames = np.abs(samples[: count * size].astype(np.int32)).reshape(count, size)
    return frames.max(axis=1) > LOUD


def _window(loud: np.ndarray, start: float, end: float) -> np.ndarray:
    return loud[max(int(start / FRAME_SEC), 0) : max(int(end / FRAME_SEC), 0)]


def test_header_and_duration(one_minute_interview: SimulatedInterview) -> None:
    assert one_minute_interview.outcome == "completed"
    samples, rate = _read(one_minute_interview.recording)
    assert rate == 16000 and samples.shape[1] == 1
    seconds = len(samples) / rate
    assert abs(one_minute_interview.duration_sec - seconds) <= 0.5
    assert 36 <= seconds <= 84  # one minute targeted; short targets land within about 40%
    assert one_minute_interview.transcript[-1]["end"] <= seconds


def test_turn_times_match_speech(one_minute_interview: SimulatedInterview) -> None:
    samples, rate = _read(one_minute_interview.recording)
    loud = _loud_frames(samples[:, 0], rate)
    turns = one_minute_interview.ground_truth["turns"]
    for index, turn in enumerate(turns):
        # speech right after the start and right before the end
        assert _window(loud, turn["start"], turn["start"] + TOLERANCE_SEC).any(), index
        assert _window(loud, turn["end"] - TOLERANCE_SEC, turn["end"]).any(), index
        # silence just outside the turn (no speech starts earlier or ends later than claimed)
        assert not _window(loud, turn["start"] - 0.2, turn["start"] - 0.02).any(), index
        assert not _window(loud, turn["end"] + 0.02, turn["end"] + 0.2).any(), index
        assert _window(loud, turn["start"], turn["end"]).mean() > 0.5, index
    for before, after in zip(turns, turns[1:], strict=False):
        gap = _window(loud, before["end"] + 0.02, after["start"] - 0.02)
        assert not gap.any()  # silence between turns


def test_stereo_separates_speakers(stereo_interview: SimulatedInterview) -> None:
    samples, rate = _read(stereo_interview.recording)
    assert rate == 24000 and samples.shape[1] == 2
    for turn in stereo_interview.transcript:
        span = samples[int(turn["start"] * rate) : int(turn["end"] * rate)]
        own, other = (0, 1) if turn["speaker"] == "interviewer" else (1, 0)
        assert np.abs(span[:, own]).max() > 5000
        assert not span[:, other].any()


def _speaker_audio(interview: SimulatedInterview, speaker: str) -> tuple[np.ndarray, int]:
    """Every turn of ``speaker`` cut from the recording and joined (channels summed), int32."""
    samples, rate = _read(interview.recording)
    spans = [
        samples[int(turn["start"] * rate) : int(turn["end"] * rate)].astype(np.int32).sum(axis=1)
        for turn in interview.transcript
        if turn["speaker"] == speaker
    ]
    return np.concatenate(spans), rate


def _pitch_track(samples: np.ndarray, rate: int) -> np.ndarray:
    """Fundamental frequency (Hz) of each loud 40 ms frame, by autocorrelation over 60-400 Hz."""
    frame = int(0.04 * rate)
    lags = np.arange(rate // 400, rate // 60)
    estimates = []
    for start in range(0, len(samples) - frame - lags[-1], frame):
        window = samples[start : start + frame + lags[-1]].astype(np.float64)
        if np.sqrt(np.mean(window[:frame] ** 2)) < 2000:  # pauses and breath: no pitch
            continue
        scores = [np.dot(window[:frame], window[lag : lag + frame]) for lag in lags]
        estimates.append(rate / lags[int(np.argmax(scores))])
    return np.asarray(estimates)


@pytest.mark.parametrize("which", ["one_minute_interview", "stereo_interview"])
def test_voices_clearly_differ(which: str, request: pytest.FixtureRequest) -> None:
    # Measured in the audio, not read from the voice names: a synthesis change that made both
    # speakers sound alike (same pitch, variant ignored) must fail here.
    interview: SimulatedInterview = request.getfixturevalue(which)
    interviewer = _pitch_track(*_speaker_audio(interview, "interviewer"))
    candidate = _pitch_track(*_speaker_audio(interview, "candidate"))
    assert len(interviewer) >= 50 and len(candidate) >= 50  # enough voiced frames to judge
    high, low = float(np.median(interviewer)), float(np.median(candidate))
    assert high > 1.3 * low, f"median pitch: interviewer {high:.0f} Hz, candidate {low:.0f} Hz"
    # Not just the middles: the bulk of the two pitch ranges do not overlap.
    assert np.percentile(interviewer, 25) > np.percentile(candidate, 75)


def test_failure_mid_recording_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real = recording_module.synthesize

    def flaky(text: str, **kwargs: object):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 4:
            raise SpeechSynthesisError("simulated failure")
        return real(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(recording_module, "synthesize", flaky)
    out = tmp_path / "broken.wav"
    with pytest.raises(SpeechSynthesisError):
        simulate_interview("Sales", "en", seed=1, out_path=out, target_minutes=0.5)
    assert list(tmp_path.iterdir()) == []


def test_bad_recording_options_are_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="channels"):
        simulate_interview("Sales", "en", seed=1, out_path=tmp_path / "x.wav", channels=3)
    with pytest.raises(ValueError, match="sample_rate"):
        simulate_interview("Sales", "en", seed=1, out_path=tmp_path / "x.wav", sample_rate=96000)
    assert list(tmp_path.iterdir()) == []
