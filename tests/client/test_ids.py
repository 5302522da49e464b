"""Ids and arguments are checked before any request is sent."""

from __future__ import annotations

from typing import Any

import pytest

from zenhire_nb.client import InvalidArgumentError, InvalidIdError

BAD_IDS = [
    "",
    "a/b",
    "..",
    "a..b",
    " ses",
    "ses 1",
    "a\tb",
    "a?x=1",
    "a#frag",
    "a%2Fb",
    "a\\b",
    "a\nb",
]

ID_METHODS = [
    ("personas.get", {}),
    ("sessions.get", {}),
    ("sessions.wait", {}),
    ("sessions.recording", {}),
    ("sessions.transcript", {}),
    ("sessions.create", {"consent_mode": "explicit"}),
]


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize(("method", "kwargs"), ID_METHODS)
def test_bad_id_sends_nothing(
    driver: Any, method: str, kwargs: dict[str, Any], bad_id: str
) -> None:
    def handler(request: Any) -> Any:
        raise AssertionError(f"request sent: {request.url}")

    d = driver(handler)
    with pytest.raises(InvalidIdError) as info:
        d.call(method, bad_id, **kwargs)
    expected = (
        "persona_id"
        if method.startswith("personas") or method == "sessions.create"
        else "session_id"
    )
    assert info.value.argument == expected
    assert expected in str(info.value)
    assert isinstance(info.value, ValueError)
    assert d.requests == []


def test_non_string_id(driver: Any) -> None:
    d = driver(lambda request: None)
    with pytest.raises(InvalidIdError, match="session_id must be a string"):
        d.call("sessions.get", 42)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"tags": "senior"}, "tags"),
        ({"tags": [""]}, "tags"),
        ({"metadata": ["a"]}, "metadata"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 101}, "page_size"),
        ({"persona_id": "a/b"}, "persona_id"),
        ({"created_after": 5}, "created_after"),
    ],
)
def test_bad_list_filters_are_refused_eagerly(
    driver: Any, kwargs: dict[str, Any], argument: str
) -> None:
    d = driver(lambda request: None)
    with pytest.raises(InvalidArgumentError) as info:
        d.call("sessions.list", **kwargs)
    assert info.value.argument == argument
    assert d.requests == []


def test_recording_path_folder_must_exist(driver: Any, tmp_path: Any) -> None:
    d = driver(lambda request: None)
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        d.call("sessions.recording", "ses-1", path=tmp_path / "missing" / "a.wav")
    assert d.requests == []
