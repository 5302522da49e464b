"""A microphone answer in headless Chromium: the fake capture device plays a synthesized WAV,
the page records raw PCM through an AudioWorklet, and the audio lands in the recording."""

from __future__ import annotations

import io
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from zenhire_nb.sandbox import Sandbox
from zenhire_nb.sandbox.candidate_page import MICROPHONE_TEXT
from zenhire_nb.sandbox.simulation.interview.tts import synthesize
from zenhire_nb.sandbox.testing import API_PREFIX as API

pytestmark = pytest.mark.browser

RECORD_SEC = 3.0
FRAME_SEC = 0.05  # energy envelope resolution


def fake_microphone_wav(path: Path) -> np.ndarray:
    """Speech with pauses at 48 kHz, 16-bit mono (Chromium loops it); returns the samples."""
    speech = (
        synthesize(
            "One, two, three. I like working with data, and with people.",
            voice="en-us",
            rate_wpm=150,
        )
        .resampled(48_000)
        .samples
    )
    looped = np.concatenate([speech, np.zeros(24_000, np.int16)])
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(48_000)
        wav.writeframes(looped.astype("<i2").tobytes())
    return looped


def envelope(samples: np.ndarray, rate: int) -> np.ndarray:
    size = int(FRAME_SEC * rate)
    frames = samples[: len(samples) // size * size].astype(np.float64).reshape(-1, size)
    return np.sqrt((frames**2).mean(axis=1))


def best_correlation(recorded: np.ndarray, source: np.ndarray) -> float:
    """Highest correlation of the recorded envelope with the looped source at any offset."""
    tiled = np.tile(source, len(recorded) // len(source) + 2)
    scores = [
        np.corrcoef(recorded, tiled[lag : lag + len(recorded)])[0, 1] for lag in range(len(source))
    ]
    return float(np.nanmax(scores))


@pytest.fixture(scope="module")
def mic_page(
    tmp_path_factory: pytest.TempPathFactory, launch_chromium: Callable[..., Any]
) -> Iterator[tuple[Any, np.ndarray]]:
    """A page of a Chromium whose fake microphone plays synthesized speech, and that speech."""
    wav_path = tmp_path_factory.mktemp("microphone") / "answer.wav"
    source = fake_microphone_wav(wav_path)
    browser = launch_chromium(
        [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav_path}",
        ]
    )
    page = browser.new_context().new_page()
    page.set_default_timeout(30_000)
    yield page, source
    browser.close()


def test_microphone_answer_lands_in_recording(
    mic_page: tuple[Any, np.ndarray], page_sandbox: Sandbox, new_link: Callable[..., Any]
) -> None:
    page, source = mic_page
    link = new_link(consent_mode="integrator")
    page.goto(link.url)
    page.locator("#mic-start:not([disabled])").click()
    page.locator("#mic-stop").wait_for(state="visible")
    started = time.monotonic()
    time.sleep(RECORD_SEC)
    page.click("#mic-stop")
    held = time.monotonic() - started
    page.wait_for_function("document.getElementById('progress').textContent === 'Line 2 of 4'")
    page.click("#end")
    page.locator("#view-done").wait_for(state="visible", timeout=60_000)
    with page_sandbox.default_tenant.http(timeout=60) as http:
        transcript = http.get(f"{API}/sessions/{link.session_id}/transcript").json()
        recording = http.get(f"{API}/sessions/{link.session_id}/recording").content
    answer = transcript[1]
    assert (answer["speaker"], answer["text"]) == ("candidate", MICROPHONE_TEXT)
    length = answer["end"] - answer["start"]
    assert held - 1.0 < length < held + 1.0, (length, held)
    with wave.open(io.BytesIO(recording), "rb") as wav:
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), "<i2")
    segment = samples[int(answer["start"] * rate) : int(answer["end"] * rate)]
    loud = envelope(segment, rate)
    assert np.sqrt(np.mean(segment.astype(np.float64) ** 2)) > 300  # not silence
    # The recorded energy follows the looped speech: same words, same pauses.
    correlation = best_correlation(loud, envelope(source, 48_000))
    assert correlation > 0.6, correlation
