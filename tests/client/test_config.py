"""Configuration: key and base URL resolution, reprs that never show the key."""

from __future__ import annotations

import pickle

import pytest

from zenhire_nb.client import DEFAULT_BASE_URL, AsyncClient, Client, ConfigurationError

KEY = "zh_api_config_test_key_987654321"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZENHIRE_API_KEY", raising=False)
    monkeypatch.delenv("ZENHIRE_BASE_URL", raising=False)


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_missing_key_says_how_to_set_it(cls: type) -> None:
    with pytest.raises(ConfigurationError, match="ZENHIRE_API_KEY") as info:
        cls()
    assert "api_key=" in str(info.value)


def test_blank_key_is_missing() -> None:
    with pytest.raises(ConfigurationError):
        Client(api_key="   ")


def test_key_and_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZENHIRE_API_KEY", KEY)
    monkeypatch.setenv("ZENHIRE_BASE_URL", "http://127.0.0.1:8765/api/v1/interview/")
    with Client() as client:
        assert client.base_url == "http://127.0.0.1:8765"


def test_argument_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZENHIRE_BASE_URL", "http://env.example")
    with Client(api_key=KEY, base_url="http://arg.example") as client:
        assert client.base_url == "http://arg.example"


def test_default_base_url_is_the_hosted_platform() -> None:
    with Client(api_key=KEY) as client:
        assert client.base_url == DEFAULT_BASE_URL == "https://platform.zenhire.ai"


@pytest.mark.parametrize(
    "given",
    [
        "https://platform.zenhire.ai",
        "https://platform.zenhire.ai/",
        "https://platform.zenhire.ai/api/v1",
        "https://platform.zenhire.ai/api/v1/",
        "https://platform.zenhire.ai/api/v1/interview",
    ],
)
def test_base_url_suffixes_are_stripped(given: str) -> None:
    with Client(api_key=KEY, base_url=given) as client:
        assert client.base_url == "https://platform.zenhire.ai"


@pytest.mark.parametrize("bad", ["platform.zenhire.ai", "ftp://x", "http://", "http://u:p@host"])
def test_bad_base_url_is_refused(bad: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        Client(api_key=KEY, base_url=bad)
    assert "p@host" not in str(info.value)


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_repr_and_str_hide_the_key(cls: type) -> None:
    client = cls(api_key=KEY, base_url="http://127.0.0.1:1")
    for text in (
        repr(client),
        str(client),
        repr(vars(client)),
        repr(client.with_options(max_retries=0)),
    ):
        assert KEY not in text
    assert "***" in repr(client)


def test_client_is_not_picklable() -> None:
    with Client(api_key=KEY) as client, pytest.raises(TypeError):
        pickle.dumps(client)


def test_with_options_shares_connections_and_changes_retries() -> None:
    with Client(api_key=KEY, max_retries=3) as client:
        twin = client.with_options(max_retries=0, timeout=5)
        assert "max_retries=0" in repr(twin) and "timeout=5" in repr(twin)
        assert "max_retries=3" in repr(client)
        twin.close()  # does not close the shared connections
        assert not client._http.is_closed
        with pytest.raises(TypeError):
            client.with_options(retries=1)
