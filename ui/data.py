"""Cached access to the active store and the coverage engine (streamlit-aware).

Which data: the store of :func:`loaders.store.resolve_store_path` (``ILP_STORE``
or ``store/ilp.gpkg``); when that file is missing or holds no desa, the
embedded synthetic demo ``data/demo.gpkg``, and every page then shows the
label "Data contoh (sintetis)". :func:`active_source` decides on every run
(one cheap SQLite query for the version).

Caching policy (why it is safe and bounded):

* Every cached function is keyed on scalars only: the store path (str), its
  data version (int) and file stamp (``st_mtime_ns``, int: a store replaced
  by another file with the same version still invalidates), the rules as a
  tuple of scalars (:func:`rules_key`), the month, and for filtered results
  the filter values (:func:`filter_key`: provinsi, kabupaten, the few chosen
  kecamatan, puskesmas, statuses). Never on a DataFrame, and never on a set
  of desa codes: hashing thousands of codes on every rerun costs seconds at
  province level, so a cached function computes its desa set itself from the
  filters (through the cached :func:`_filtered`).
  A new import or restore changes the version, so stale results are never
  served; old entries fall out through ``max_entries``.
* :class:`loaders.dataset.Dataset` (the layers read from the GeoPackage) is kept
  with ``st.cache_resource`` per (path, version, stamp), and
  :class:`geo.engine.Coverage` per (path, version, stamp, rules): both are
  objects holding frames, built once and shared read-only by every session
  (the engine never mutates them after ``__init__`` apart from its own
  internal per-month memo).
* Derived frames (desa tables, indicators) use ``st.cache_data``:
  each caller gets its own copy, so a page may modify what it receives.

Nothing here calls :func:`ui.i18n.t`: cached values must not depend on the
interface language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd
import streamlit as st

from geo.rules import RULES, Rules
from loaders.exceptions import StoreError
from loaders.store import Store, resolve_store_path
from ui import filters
from ui.state import FilterOptions, ViewState

if TYPE_CHECKING:
    from geo.engine import Coverage
    from loaders.dataset import Dataset

PROJECT_DIR: Final = Path(__file__).resolve().parent.parent
DEMO_STORE: Final = PROJECT_DIR / "data" / "demo.gpkg"
RulesKey = tuple[int | float | bool, ...]  # the Rules values in field order (geo.rules.RULES)
# The filter signature of a view state: (provinsi, kabupaten, kecamatan, puskesmas, status)
FilterKey = tuple[str | None, str | None, tuple[str, ...], str | None, tuple[str, ...]]
NO_FILTER: Final[FilterKey] = (None, None, (), None, ())


@dataclass(frozen=True)
class DataSource:
    """The store the dashboard reads in this run.

    ``path`` is empty when there is no data at all (no store, no demo);
    ``error`` holds the Indonesian message when the user's store exists but
    cannot be read (then nothing is shown rather than silently the demo).
    """

    path: str
    version: int = 0
    stamp: int = 0
    is_demo: bool = False
    error: str | None = None

    @property
    def available(self) -> bool:
        """True when there is a readable store to show."""
        return bool(self.path) and self.error is None


def rules_key(rules: Rules) -> RulesKey:
    """Return the rules as a tuple of scalars (a cache key), in :data:`geo.rules.RULES` order."""
    return tuple(getattr(rules, spec.field) for spec in RULES)


def filter_key(state: ViewState) -> FilterKey:
    """The desa filters of ``state`` as a short tuple of scalars (a cache key; month, language, mode left out)."""
    return (state.provinsi, state.kabupaten, tuple(state.kecamatan), state.puskesmas, tuple(state.status))


def rules_from_key(key: RulesKey) -> Rules:
    """Inverse of :func:`rules_key`."""
    return Rules(**{spec.field: value for spec, value in zip(RULES, key, strict=True)})


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@st.cache_data(max_entries=16, show_spinner=False)
def _has_desa(path: str, version: int, stamp: int) -> bool:
    return not Store(path).is_empty()


def _source_for(path: Path, *, is_demo: bool) -> DataSource | None:
    """A DataSource when ``path`` is a store with desa, None when it is absent or empty."""
    if not path.is_file():
        return None
    stamp = _stamp(path)
    try:
        version = Store(path).version()
        if not _has_desa(str(path), version, stamp):
            return None
    except StoreError as exc:
        return DataSource(path=str(path), is_demo=is_demo, error=str(exc))
    return DataSource(path=str(path), version=version, stamp=stamp, is_demo=is_demo)


def user_store() -> Store:
    """The user's own store (``ILP_STORE`` or ``store/ilp.gpkg``): where imports and restores write, never the demo."""
    return Store(resolve_store_path())


def active_source(*, demo_store: Path | None = None) -> DataSource:
    """The user's store when it has desa, else the embedded demo (:data:`DEMO_STORE`), else no data."""
    source = _source_for(resolve_store_path(), is_demo=False)
    if source is not None:
        return source
    demo = _source_for(demo_store if demo_store is not None else DEMO_STORE, is_demo=True)
    return demo if demo is not None else DataSource(path="")


# -- engine objects (cache_resource) -------------------------------------------------
@st.cache_resource(max_entries=2, show_spinner=False)
def _dataset(path: str, version: int, stamp: int) -> Dataset:
    from loaders.dataset import read_dataset

    return read_dataset(Store(path))


@st.cache_resource(max_entries=4, show_spinner=False)
def _coverage(path: str, version: int, stamp: int, rules: RulesKey) -> Coverage:
    from geo.engine import Coverage

    return Coverage(_dataset(path, version, stamp), rules=rules_from_key(rules))


def coverage(source: DataSource, rules: Rules) -> Coverage:
    """The (shared, read-only) :class:`geo.engine.Coverage` of ``source`` under ``rules``."""
    return _coverage(source.path, source.version, source.stamp, rules_key(rules))


# -- derived frames (cache_data) ------------------------------------------------------
@st.cache_data(max_entries=8, show_spinner=False)
def _filter_options(path: str, version: int, stamp: int, rules: RulesKey) -> FilterOptions:
    cov = _coverage(path, version, stamp, rules)
    return filters.options_from_tables(cov.dataset.desa, cov.working_areas, cov.months)


def filter_options(source: DataSource, rules: Rules) -> FilterOptions:
    """What the data offers to filter on (provinsi, kabupaten, kecamatan, puskesmas, months, desa)."""
    return _filter_options(source.path, source.version, source.stamp, rules_key(rules))


@st.cache_data(max_entries=48, show_spinner=False)
def _desa_table(path: str, version: int, stamp: int, rules: RulesKey, month: str) -> pd.DataFrame:
    return _coverage(path, version, stamp, rules).desa_table(month)


def desa_table(source: DataSource, rules: Rules, month: str) -> pd.DataFrame:
    """``Coverage.desa_table(month)`` for every desa (a copy; filter it yourself)."""
    return _desa_table(source.path, source.version, source.stamp, rules_key(rules), month)


@st.cache_data(max_entries=128, show_spinner=False)
def _filtered(
    path: str,
    version: int,
    stamp: int,
    rules: RulesKey,
    month: str,
    provinsi: str | None,
    kabupaten: str | None,
    kecamatan: tuple[str, ...],
    puskesmas: str | None,
    status: tuple[str, ...],
) -> tuple[str, ...]:
    table = _desa_table(path, version, stamp, rules, month)
    return filters.select_desa(
        table, provinsi=provinsi, kabupaten=kabupaten, kecamatan=kecamatan, puskesmas=puskesmas, status=status
    )


def filtered_desa(source: DataSource, rules: Rules, month: str, state: ViewState) -> tuple[str, ...]:
    """kode_desa matching every filter of ``state`` in ``month`` (status is evaluated in that month)."""
    return _filtered(source.path, source.version, source.stamp, rules_key(rules), month, *filter_key(state))


def _chosen(path: str, version: int, stamp: int, rules: RulesKey, month: str, key: FilterKey) -> tuple[str, ...] | None:
    """The desa of filter signature ``key`` in ``month`` (None: no filter, every desa)."""
    return None if key == NO_FILTER else _filtered(path, version, stamp, rules, month, *key)


@st.cache_data(max_entries=256, show_spinner=False)
def _headline(
    path: str,
    version: int,
    stamp: int,
    rules: RulesKey,
    month: str,
    provinsi: str | None,
    kabupaten: str | None,
    kecamatan: tuple[str, ...],
    puskesmas: str | None,
    status: tuple[str, ...],
) -> pd.Series | None:
    key = (provinsi, kabupaten, kecamatan, puskesmas, status)
    kode_desa = _chosen(path, version, stamp, rules, month, key)
    if kode_desa is not None and not kode_desa:
        return None
    return filters.overall_indicators(_coverage(path, version, stamp, rules), month, kode_desa=kode_desa)


def headline(source: DataSource, rules: Rules, month: str, state: ViewState) -> pd.Series | None:
    """One row of indicators over the desa matching the filters of ``state`` in ``month``; None when none match.

    Equal to ``Coverage.indicators(month, by='kabupaten', kode_desa=<those desa>)``
    when those desa lie in one kabupaten (see :func:`ui.filters.overall_indicators`).
    Cached on the filter values (:func:`filter_key`), never on the desa codes.
    """
    return _headline(source.path, source.version, source.stamp, rules_key(rules), month, *filter_key(state))


def area_headline(source: DataSource, rules: Rules, month: str, kode_puskesmas: str) -> pd.Series | None:
    """One row of indicators over the working area of ``kode_puskesmas`` in ``month`` (every other filter off).

    The working area is the desa ``Coverage.working_areas`` gives the puskesmas (the same set as
    the puskesmas filter); None when it has no desa. Cached on the puskesmas code.
    """
    return headline(source, rules, month, ViewState(puskesmas=kode_puskesmas))


@st.cache_data(max_entries=64, show_spinner=False)
def _group_indicators(
    path: str,
    version: int,
    stamp: int,
    rules: RulesKey,
    month: str,
    by: str,
    provinsi: str | None,
    kabupaten: str | None,
    kecamatan: tuple[str, ...],
    puskesmas: str | None,
    status: tuple[str, ...],
) -> pd.DataFrame:
    key = (provinsi, kabupaten, kecamatan, puskesmas, status)
    kode_desa = _chosen(path, version, stamp, rules, month, key)
    cov = _coverage(path, version, stamp, rules)
    return cov.indicators(month, by=by, kode_desa=None if kode_desa is None else list(kode_desa))


def group_indicators(source: DataSource, rules: Rules, month: str, *, by: str, state: ViewState) -> pd.DataFrame:
    """``Coverage.indicators(month, by=by, kode_desa=<the desa of state's filters>)`` (kecamatan, puskesmas, ...).

    Cached on the filter values (:func:`filter_key`), never on the desa codes.
    """
    return _group_indicators(source.path, source.version, source.stamp, rules_key(rules), month, by, *filter_key(state))


def trend(source: DataSource, rules: Rules, state: ViewState) -> pd.DataFrame:
    """Headline indicators for every report month, the filters applied in each month.

    One row per month with a leading ``bulan`` column (the status filter is
    re-evaluated per month, like the metric deltas); a month where no desa
    matches is left out.
    """
    options = filter_options(source, rules)
    rows = []
    for month in options.months:
        row = headline(source, rules, month, state)
        if row is not None:
            rows.append(row.to_frame().T.assign(bulan=month))
    if not rows:
        return pd.DataFrame(columns=["bulan"])
    frame = pd.concat(rows, ignore_index=True)
    return frame.loc[:, ["bulan", *[c for c in frame.columns if c != "bulan"]]]


# -- the area of the scope (month independent: no status filter) ----------------------
@st.cache_data(max_entries=4, show_spinner=False)
def _frame_table(path: str, version: int, stamp: int, rules: RulesKey) -> pd.DataFrame:
    cov = _coverage(path, version, stamp, rules)
    return filters.frame_table(cov.dataset.desa, cov.working_areas)


@st.cache_data(max_entries=64, show_spinner=False)
def _frame_desa(
    path: str,
    version: int,
    stamp: int,
    rules: RulesKey,
    provinsi: str | None,
    kabupaten: str | None,
    kecamatan: tuple[str, ...],
    puskesmas: str | None,
) -> tuple[str, ...]:
    table = _frame_table(path, version, stamp, rules)
    return filters.select_desa(table, provinsi=provinsi, kabupaten=kabupaten, kecamatan=kecamatan, puskesmas=puskesmas)


@st.cache_data(max_entries=256, show_spinner=False)
def _frame_desa_count(
    path: str,
    version: int,
    stamp: int,
    rules: RulesKey,
    provinsi: str | None,
    kabupaten: str | None,
    kecamatan: tuple[str, ...],
    puskesmas: str | None,
) -> int:
    return len(_frame_desa(path, version, stamp, rules, provinsi, kabupaten, kecamatan, puskesmas))


def frame_desa(source: DataSource, rules: Rules, state: ViewState) -> tuple[str, ...]:
    """kode_desa of the area of ``state``: its provinsi, kabupaten, kecamatan and puskesmas filters.

    No status filter and no month: the frame the map fits and draws, whatever the
    statuses. In the desa layer's order. Cached on the filter values.
    """
    provinsi, kabupaten, kecamatan, puskesmas, _ = filter_key(state)
    return _frame_desa(
        source.path, source.version, source.stamp, rules_key(rules), provinsi, kabupaten, kecamatan, puskesmas
    )


def frame_desa_count(source: DataSource, rules: Rules, state: ViewState) -> int:
    """How many desa :func:`frame_desa` holds (cached on its own: an int, cheap to hand out on every rerun)."""
    provinsi, kabupaten, kecamatan, puskesmas, _ = filter_key(state)
    return _frame_desa_count(
        source.path, source.version, source.stamp, rules_key(rules), provinsi, kabupaten, kecamatan, puskesmas
    )


@st.cache_data(max_entries=24, show_spinner=False)
def _posyandu_activity(path: str, version: int, stamp: int, rules: RulesKey, month: str) -> pd.DataFrame:
    return _coverage(path, version, stamp, rules).posyandu_activity(month)


def posyandu_activity(source: DataSource, rules: Rules, month: str) -> pd.DataFrame:
    """``Coverage.posyandu_activity(month)``."""
    return _posyandu_activity(source.path, source.version, source.stamp, rules_key(rules), month)
