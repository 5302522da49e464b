"""The session launcher: persona, candidates, consent, tags and metadata; check, then start.

A thin view over :mod:`.logic.candidates` and :mod:`.logic.batch`. Flow: fill the form, press
"Check" (balance, sessions to start, credits needed, open sessions of these candidates), then
"Start". Starting runs in the background with a progress bar and a cancel button; the links
table fills as sessions start. Changing the form after a check asks for a new check.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from zenhire_nb.client import Client
from zenhire_nb.widgets._common import MessageArea, TaskPanel, guarded
from zenhire_nb.widgets._views import LinksView
from zenhire_nb.widgets.logic.batch import Batch, BatchPlan, plan_batch
from zenhire_nb.widgets.logic.candidates import (
    Candidate,
    CandidateList,
    merge_candidates,
    parse_csv,
    parse_pasted,
)
from zenhire_nb.widgets.logic.table import parse_metadata_filter

__all__ = ["SessionLauncher"]

_NEW = "__new__"
_SOURCES = ("One candidate", "Paste a list", "Upload a CSV")


class SessionLauncher(w.VBox):
    """Start interview sessions for one candidate or many and collect their links.

    Args:
        client: a :class:`~zenhire_nb.Client` (``None`` reads the environment like ``Client()``).
        max_concurrency: sessions created at once.

    Attributes of interest: ``batch`` (the last :class:`~.logic.batch.Batch`), ``plan``,
    ``uploaded`` (the name of the CSV file read and its candidates; the upload control itself
    is emptied once the file is read, so its bytes never reach a saved notebook).
    """

    def __init__(self, client: Client | None = None, *, max_concurrency: int = 4) -> None:
        self._client = client if client is not None else Client()
        self.max_concurrency = max_concurrency
        self.plan: BatchPlan | None = None
        self.batch: Batch | None = None
        # The candidates read from the uploaded CSV (the file's name, what it held). The file's
        # bytes do not stay in the FileUpload: its value is synced state, saved in the notebook.
        self.uploaded: tuple[str, CandidateList] | None = None
        self.messages = MessageArea()
        self._build()
        super().__init__(self._layout(), layout=w.Layout(max_width="980px"))
        self.add_class("zh-launcher")
        self.refresh_personas()

    def __repr__(self) -> str:
        return "SessionLauncher()"

    # -- the form ----------------------------------------------------------------------------

    def _build(self) -> None:
        wide = w.Layout(width="420px")
        self.persona = w.Dropdown(description="Persona", options=[], layout=wide)
        self.refresh_button = w.Button(
            description="Reload", icon="refresh", layout=w.Layout(width="90px")
        )
        self.role = w.Text(description="Role", placeholder="e.g. Data Analyst", layout=wide)
        self.language = w.Text(description="Language", value="en", layout=wide)
        self.system_prompt = w.Textarea(
            description="Prompt",
            placeholder="optional system prompt",
            layout=w.Layout(width="420px", height="60px"),
        )
        self.create_persona_button = w.Button(
            description="Create persona", icon="plus", layout=w.Layout(width="auto")
        )
        self.persona_messages = MessageArea()
        self.new_persona = w.VBox(
            [
                self.role,
                self.language,
                self.system_prompt,
                self.create_persona_button,
                self.persona_messages,
            ],
            layout=w.Layout(display="none", margin="0 0 0 20px"),
        )

        self.source = w.ToggleButtons(options=_SOURCES, description="Candidates")
        self.one = w.Text(
            description="Reference", placeholder="candidate reference (ATS id)", layout=wide
        )
        self.pasted = w.Textarea(
            description="References",
            placeholder="one per line (or comma separated)",
            layout=w.Layout(width="420px", height="90px"),
        )
        self.upload = w.FileUpload(accept=".csv", multiple=False, description="Choose CSV")
        self.upload_help = w.HTML(
            "<small>Columns: <code>candidate_ref</code> (or the first column), optional "
            "<code>tags</code> (separated by ;), others become metadata.</small>"
        )
        self.source_box = w.VBox([self.one])
        self.candidate_messages = MessageArea()

        self.consent = w.ToggleButtons(
            options=[
                ("Explicit (candidate consents on the page)", "explicit"),
                ("Integrator (you hold consent)", "integrator"),
            ],
            description="Consent",
            style={"button_width": "auto"},  # the labels are sentences: never cut them off
        )
        self.tags = w.Text(
            description="Tags", placeholder="comma separated, for the whole batch", layout=wide
        )
        self.metadata = w.Text(
            description="Metadata", placeholder="key=value, key2=value2", layout=wide
        )
        self.batch_messages = MessageArea()

        self.check_button = w.Button(
            description="Check",
            icon="check",
            button_style="info",
            tooltip="Check balance and open sessions before starting",
        )
        self.start_button = w.Button(
            description="Start",
            icon="play",
            button_style="success",
            disabled=True,
            layout=w.Layout(width="auto"),  # "Start 25 session(s)" fits
        )
        self.plan_box = MessageArea()
        self.task = TaskPanel("Starting sessions", describe_item=lambda ref: f"candidate {ref!r}")
        self.task.on_retry = self.retry
        self.links = LinksView()
        self.links.link_of = lambda sid: self._batch().link(sid)
        self.links.csv_of = lambda: self._batch().csv_text()
        self.links.on_error = self.messages.error

        self.upload.observe(self._file_chosen, names=["value"])
        self.persona.observe(self._persona_changed, names=["value"])
        self.source.observe(self._source_changed, names=["value"])
        for control in (
            self.persona,
            self.one,
            self.pasted,
            self.upload,
            self.consent,
            self.tags,
            self.metadata,
            self.source,
        ):
            control.observe(self._form_changed, names=["value"])
        self.refresh_button.on_click(lambda _: self.refresh_personas())
        self.create_persona_button.on_click(lambda _: self.create_persona())
        self.check_button.on_click(lambda _: self.check())
        self.start_button.on_click(lambda _: self.start())

    def _layout(self) -> list[w.Widget]:
        title = w.HTML("<h3 style='margin:4px 0'>Start interviews</h3>")
        return [
            title,
            w.HBox([self.persona, self.refresh_button]),
            self.new_persona,
            self.source,
            self.source_box,
            self.candidate_messages,
            self.consent,
            self.tags,
            self.metadata,
            self.batch_messages,
            w.HBox([self.check_button, self.start_button]),
            self.plan_box,
            self.task,
            self.links,
            self.messages,
        ]

    def _batch(self) -> Batch:
        if self.batch is None:
            raise RuntimeError("no sessions were started yet")
        return self.batch

    # -- actions -----------------------------------------------------------------------------

    @guarded()
    def refresh_personas(self) -> None:
        """Reload the persona list from the platform."""
        personas = self._client.personas.list()
        options = [(f"{p.role_name} · {p.language} ({p.id[:8]})", p.id) for p in personas]
        keep = self.persona.value
        self.persona.options = [*options, ("➕ New persona…", _NEW)]
        ids = [pid for _, pid in options]
        self.persona.value = keep if keep in ids else (ids[0] if ids else _NEW)

    @guarded("persona_messages")
    def create_persona(self) -> None:
        role, language = self.role.value.strip(), self.language.value.strip()
        if not role or not language:
            raise ValueError("enter the role and the language of the new persona")
        created = self._client.personas.create(
            role_name=role,
            language=language,
            system_prompt=self.system_prompt.value.strip() or None,
        )
        self.persona_messages.show("ok", f"Created persona {created.role_name} ({created.id}).")
        self.refresh_personas()
        self.persona.value = created.id

    def candidates(self) -> CandidateList:
        """The candidates entered in the chosen way.

        Raises:
            ValueError: nothing entered, or a bad CSV (naming the file and line).
        """
        source = self.source.value
        if source == _SOURCES[0]:
            ref = self.one.value.strip()
            found = merge_candidates([Candidate(ref)] if ref else [])
        elif source == _SOURCES[1]:
            found = parse_pasted(self.pasted.value)
        else:
            if self.uploaded is None:
                raise ValueError("choose a CSV file first")
            found = self.uploaded[1]
        if not len(found):
            raise ValueError("enter at least one candidate reference")
        return found

    def check(self) -> BatchPlan | None:
        """Plan the batch: balance, count, credits needed, warnings. Enables Start."""
        self.plan = None
        self.start_button.disabled = True
        for area in (self.candidate_messages, self.batch_messages, self.plan_box, self.messages):
            area.clear()
        try:
            candidates = self.candidates()
        except ValueError as error:
            self.candidate_messages.error(error)
            return None
        try:
            tags = [t.strip() for t in self.tags.value.split(",") if t.strip()]
            metadata = parse_metadata_filter(self.metadata.value)
        except ValueError as error:
            self.batch_messages.error(error)
            return None
        try:
            persona = self.persona.value if self.persona.value != _NEW else ""
            self.plan = plan_batch(
                self._client,
                persona,
                candidates,
                consent_mode=self.consent.value,
                tags=tags,
                metadata=metadata,
            )
        except Exception as error:
            self.plan_box.error(error)
            return None
        kind = "warning" if self.plan.warnings() else "info"
        self.plan_box.show(kind, self.plan.summary(), *self.plan.warnings())
        self.start_button.description = f"Start {self.plan.count} session(s)"
        self.start_button.disabled = False
        return self.plan

    @guarded()
    def start(self) -> Batch | None:
        """Start the checked batch in the background (see ``batch.run`` to wait)."""
        if self.plan is None:
            raise ValueError("press Check first: it shows the balance and open sessions")
        self.batch = Batch(self._client, self.plan, max_workers=self.max_concurrency)
        self.start_button.disabled = True
        self.check_button.disabled = True
        self._show_rows(self.batch)
        run = self.batch.start(on_update=self._progress)
        self.task.attach(run)
        return self.batch

    @guarded()
    def retry(self) -> None:
        """Start again the candidates whose start failed for sure (not the unsure ones)."""
        run = self._batch().retry(on_update=self._progress)
        self.task.attach(run)

    def _progress(self, batch: Batch) -> None:
        self._show_rows(batch)
        self.task.update()
        run = batch.run
        if run is not None and run.finished:
            self.check_button.disabled = False
            counts = batch.counts()
            lines = [", ".join(f"{n} {state}" for state, n in counts.items())]
            if counts.get("unsure"):
                lines.append(
                    "Unsure rows may have been created: look them up in the results browser "
                    "before starting them again; Retry skips them."
                )
            self.messages.show(
                "warning" if len(counts) > 1 or "started" not in counts else "ok", *lines
            )

    def _show_rows(self, batch: Batch) -> None:
        self.links.rows = batch.rows()

    # -- form reactions ----------------------------------------------------------------------

    def _file_chosen(self, change: dict[str, Any]) -> None:
        files = list(change["new"])
        if not files:
            return  # our own clearing below
        upload = files[0]
        name = str(upload.get("name") or "the CSV file")
        self.uploaded = None
        try:
            self.uploaded = (name, parse_csv(bytes(upload["content"]), filename=name))
        except ValueError as error:
            self.candidate_messages.error(error)
        else:
            count = len(self.uploaded[1])
            self.candidate_messages.show("ok", f"{name}: {count} candidate(s) read.")
        finally:
            # Forget the bytes at once (in the kernel and the browser's widget state): else
            # the whole file is saved into the notebook with the widget state.
            self.upload.value = ()

    def _persona_changed(self, change: dict[str, Any]) -> None:
        self.new_persona.layout.display = None if change["new"] == _NEW else "none"

    def _source_changed(self, change: dict[str, Any]) -> None:
        index = _SOURCES.index(change["new"])
        self.source_box.children = [[self.one], [self.pasted], [self.upload, self.upload_help]][
            index
        ]

    def _form_changed(self, _change: dict[str, Any]) -> None:
        if self.plan is not None and (self.batch is None or self.batch.plan is not self.plan):
            self.plan_box.show("info", "The form changed: press Check again before starting.")
        self.plan = None
        self.start_button.disabled = True
