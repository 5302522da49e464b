"""The notebooks of ``notebooks/`` are executed documentation: each runs top to bottom in a real
kernel of this interpreter (nbclient), against a sandbox, and fails on any cell error; the
executed outputs (and the saved widget state) never carry an API key or a candidate link token.

By default a notebook starts its own embedded sandbox. One run points the quickstart at a
sandbox started here through ``ZENHIRE_BASE_URL`` / ``ZENHIRE_API_KEY``, as a user switches it to
the real platform, and checks that the interview happened there.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from zenhire_nb.sandbox import Sandbox  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL = "zenhire-nb-tests"
# A cell may take this long (the speech-to-text check transcribes audio on a busy machine).
CELL_TIMEOUT_SEC = 600
PLATFORM_ENV = ("ZENHIRE_BASE_URL", "ZENHIRE_API_KEY", "ZENHIRE_SANDBOX_ADMIN_TOKEN")
# What a leak looks like even when the test does not know the secret: a sandbox API key, and a
# candidate link whose token (after "#t=") is not masked as "***".
SANDBOX_KEY = re.compile(r"zh_api_[A-Za-z0-9_-]{8,}")
LINK_TOKEN = re.compile(r"#t=(?!\*\*\*)[A-Za-z0-9_-]{8,}")


@pytest.fixture
def kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A kernel spec that runs this very interpreter (so a clean venv needs no installed
    kernel), with Jupyter's, IPython's and zenhire-nb's files kept in ``tmp_path``. Returns the
    folder the notebooks run in."""
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "zenhire-nb tests", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    for name, folder in [
        ("JUPYTER_DATA_DIR", "jupyter-data"),
        ("JUPYTER_CONFIG_DIR", "jupyter-config"),
        ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
        ("IPYTHONDIR", "ipython"),
        ("ZENHIRE_CACHE_DIR", "zenhire-cache"),
        ("TMPDIR", "tmp"),  # the notebooks' temporary folders go with tmp_path
    ]:
        (tmp_path / folder).mkdir()
        monkeypatch.setenv(name, str(tmp_path / folder))
    for name in PLATFORM_ENV:  # the embedded sandbox unless a test says otherwise
        monkeypatch.delenv(name, raising=False)
    workdir = tmp_path / "work"
    workdir.mkdir()
    return workdir


def _parameters_index(notebook: Any) -> int:
    tagged = [
        index
        for index, cell in enumerate(notebook.cells)
        if "parameters" in cell.get("metadata", {}).get("tags", [])
    ]
    assert len(tagged) == 1, f"expected one cell tagged 'parameters', found {len(tagged)}"
    return tagged[0]


def _inject(notebook: Any, **values: Any) -> None:
    """Override parameters as papermill does: a cell tagged ``injected-parameters`` right after
    the ``parameters`` cell."""
    source = "\n".join(f"{name} = {value!r}" for name, value in values.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    notebook.cells.insert(_parameters_index(notebook) + 1, cell)


def _execute(path: Path, workdir: Path, **parameters: Any) -> tuple[Any, float]:
    notebook = nbformat.read(path, as_version=4)
    if parameters:
        _inject(notebook, **parameters)
    client = nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_SEC,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(workdir)}},
    )
    started = time.perf_counter()
    client.execute()  # raises CellExecutionError naming the cell on any error
    elapsed = time.perf_counter() - started
    print(f"{path.name}: executed in {elapsed:.1f} s")
    return notebook, elapsed


def _published(notebook: Any) -> str:
    """Everything an executed notebook would show or save: outputs and metadata."""
    outputs = [cell.get("outputs", []) for cell in notebook.cells]
    return json.dumps({"outputs": outputs, "metadata": notebook.metadata})


def _assert_no_secrets(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text, "a secret of the platform appears in the notebook's outputs"
    key = SANDBOX_KEY.search(text)
    assert key is None, "an API key appears in the outputs"
    token = LINK_TOKEN.search(text)
    assert token is None, "a candidate link with its token appears in the outputs"


def _figures(notebook: Any) -> int:
    """How many plotly figures the outputs hold (each also carries offline HTML)."""
    return sum(
        "application/vnd.plotly.v1+json" in output.get("data", {})
        and "text/html" in output.get("data", {})
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )


def _errors(notebook: Any) -> list[str]:
    return [
        f"{output.get('ename')}: {output.get('evalue')}"
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]


def test_every_notebook_is_here_with_its_parameters() -> None:
    names = sorted(path.name for path in NOTEBOOKS)
    assert names == ["cohort_analysis.ipynb", "quickstart.ipynb", "stt_check.ipynb"]
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert notebook.metadata["kernelspec"]["name"] == "python3", path.name
        index = _parameters_index(notebook)
        first_code = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code")
        assert index == first_code, f"{path.name}: the parameters cell comes first"
        assert notebook.cells[0].cell_type == "markdown", f"{path.name}: starts by explaining"


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "quickstart.ipynb",
        pytest.param("cohort_analysis.ipynb", marks=pytest.mark.stt),
        pytest.param("stt_check.ipynb", marks=pytest.mark.stt),
    ],
)
def test_notebook_runs_against_the_embedded_sandbox(name: str, kernel_env: Path) -> None:
    notebook, _ = _execute(ROOT / "notebooks" / name, kernel_env)
    assert _errors(notebook) == []
    published = _published(notebook)
    _assert_no_secrets(published)
    # What the notebook is for did happen (not only "no exception"): its key outputs are there.
    expected = {
        "quickstart.ipynb": ["candidate link:", "#t=***", "audio/x-wav", "completed"],
        "cohort_analysis.ipynb": ["Cohort(sessions=", "concise (n=", "nervous (n="],
        "stt_check.ipynb": ["recall (%)", "false flags (%)", "<audio"],
    }[name]
    for text in expected:
        assert text in published, f"{name}: {text!r} missing from the outputs"
    figures = {"quickstart.ipynb": 0, "cohort_analysis.ipynb": 11, "stt_check.ipynb": 2}[name]
    assert _figures(notebook) == figures, f"{name}: not every chart was drawn"
    # Nothing was written next to the notebooks or in the working folder by default.
    assert list(kernel_env.iterdir()) == []


@pytest.mark.slow
def test_quickstart_switches_to_a_platform_from_the_environment(
    kernel_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Sandbox(seed=21) as platform, platform.client() as client:
        monkeypatch.setenv("ZENHIRE_BASE_URL", platform.base_url)
        monkeypatch.setenv("ZENHIRE_API_KEY", platform.api_key)
        monkeypatch.setenv("ZENHIRE_SANDBOX_ADMIN_TOKEN", platform.admin_token)
        out_dir = kernel_env / "results"
        notebook, _ = _execute(
            ROOT / "notebooks" / "quickstart.ipynb",
            kernel_env,
            candidate_ref="nb-switch-001",
            out_dir=str(out_dir),
        )
        sessions = list(client.sessions.list(candidate_ref="nb-switch-001"))
    assert [s.status for s in sessions] == ["completed"]  # the interview ran on *that* platform
    session_id = sessions[0].id
    assert (out_dir / f"{session_id}.wav").stat().st_size > 0
    assert (out_dir / f"{session_id}.transcript.json").is_file()
    _assert_no_secrets(_published(notebook), platform.api_key, platform.admin_token)
