"""What every page needs in one object: data source, rules, filters, month.

``app.py`` builds the :class:`PageContext` once per run (:func:`prepare`)
before the page runs; a page calls :func:`current` and then, typically::

    ctx = context.current()
    layout.page_header(ctx, t("page.peta"))
    if not layout.require_data(ctx):       # explains "no data yet" / errors
        st.stop()
    kode = ctx.kode_desa()                 # desa matching the filters this month
    cov = ctx.coverage()                   # geo.engine.Coverage (cached, read-only)
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geo.rules import Rules
from loaders.exceptions import PetaIlpError
from ui import access as roles
from ui import auth, data, navigation, scope, session, upload_folder
from ui.access import LOCAL, Access
from ui.state import FilterOptions, Note, ViewState

if TYPE_CHECKING:
    from geo.engine import Coverage

_CURRENT: contextvars.ContextVar[PageContext | None] = contextvars.ContextVar("ilp_page_context", default=None)


@dataclass(frozen=True)
class PageContext:
    """The shared inputs of a page in this run.

    Attributes
    ----------
    source
        The active store (user data or the demo).
    rules
        Engine rules of this session.
    state
        Filters, month, language, mode, selected desa (already checked
        against the data).
    options
        What the data offers to this session's role (:func:`ui.access.restrict_options`; None without
        data or on a read error).
    error
        Indonesian message when the data could not be read/computed.
    access
        Who is signed in and what they may see and do (:mod:`ui.access`; :data:`~ui.access.LOCAL`
        in local mode). ``state`` is already clamped to it (:func:`ui.access.scope`).
    """

    source: data.DataSource
    rules: Rules
    state: ViewState
    options: FilterOptions | None = None
    error: str | None = None
    access: Access = LOCAL

    @property
    def has_data(self) -> bool:
        """True when there is data to show (possibly the demo)."""
        return self.source.available and self.options is not None and self.error is None

    @property
    def month(self) -> str | None:
        """The chosen month (the latest by default; None without reports)."""
        return self.state.bulan

    @property
    def is_demo(self) -> bool:
        """True when the embedded synthetic demo is shown."""
        return self.source.is_demo

    def coverage(self) -> Coverage:
        """The coverage engine for this data and these rules."""
        return data.coverage(self.source, self.rules)

    def kode_desa(self, month: str | None = None) -> tuple[str, ...]:
        """kode_desa matching every filter in ``month`` (default: the chosen month)."""
        chosen = month or self.month
        if chosen is None:
            return ()
        return data.filtered_desa(self.source, self.rules, chosen, self.state)

    def frame_desa_count(self) -> int:
        """How many desa the area of the filters holds (provinsi .. puskesmas; status and month left out)."""
        return data.frame_desa_count(self.source, self.rules, self.state)

    def drawn_level(self) -> str:
        """The level the map draws for this scope (:func:`ui.scope.drawn_level`): ``desa`` or a unit level."""
        return scope.drawn_level(self.state, n_desa=self.frame_desa_count())


def current_access() -> Access:
    """The session's role (:func:`ui.auth.current_access`: :data:`~ui.access.LOCAL` in local mode)."""
    return auth.current_access()


def _scoped(
    access: Access, source: data.DataSource, rules: Rules, state: ViewState, options: FilterOptions
) -> tuple[ViewState, FilterOptions, tuple[Note, ...]]:
    """``state`` clamped to ``access``, the options it may see, and the notes on what was changed."""
    base = roles.base_state(access, options)
    area = None if base is None else data.frame_desa(source, rules, base)
    allowed, notes = roles.scope(access, state, options, area=area)
    return allowed, roles.restrict_options(access, options, area=area), notes


def prepare(*, report_notes: bool) -> PageContext:
    """Build this run's context (called by ``app.py`` before the sidebar widgets exist).

    Reads the active source and rules, checks the session state against the
    data (:func:`ui.session.reconcile_with_data`; notes only when
    ``report_notes``), clamps it to the session's role (:func:`ui.access.scope`:
    the stored state too, so the URL written back is the allowed one; a note
    whenever a requested value was outside the role's area), restricts the
    options to the role and makes the context available to :func:`current`.
    """
    access = current_access()
    upload_folder.sweep_once()  # the first run of a server deletes upload folders of dead servers
    source = data.active_source()
    rules = session.rules()
    options: FilterOptions | None = None
    error = source.error
    if source.available:
        try:
            options = data.filter_options(source, rules)
        except PetaIlpError as exc:
            error = str(exc)
    state = session.reconcile_with_data(options, report=report_notes) if options else session.read_state()
    if options is not None:
        requested = state
        state, options, notes = _scoped(access, source, rules, state, options)
        if state != requested:
            session.write_state(state)
        if notes:
            session.add_notes(notes)
    ctx = PageContext(source=source, rules=rules, state=state, options=options, error=error, access=access)
    _CURRENT.set(ctx)
    return ctx


def refresh() -> PageContext:
    """Re-read the state after the sidebar widgets ran (same source/options)."""
    ctx = _CURRENT.get()
    if ctx is None:
        return prepare(report_notes=False)
    state = session.read_state()
    if ctx.options is not None and ctx.access.restricted:  # defence: anything set since prepare is clamped too
        state, _ = roles.scope(ctx.access, state, ctx.options, area=ctx.options.desa)
    fresh = PageContext(
        source=ctx.source, rules=ctx.rules, state=state, options=ctx.options, error=ctx.error, access=ctx.access
    )
    _CURRENT.set(fresh)
    return fresh


def current() -> PageContext:
    """The context of this run (reruns through ``app.py`` when a page was started alone)."""
    navigation.ensure_entrypoint()
    ctx = _CURRENT.get()
    return ctx if ctx is not None else prepare(report_notes=False)
