"""Two months side by side: how the status of each desa changed (pure: no streamlit).

The status of each month comes from :meth:`geo.engine.Coverage.desa_table`; this module only
compares. Each kind of change is declared once here (:data:`CHANGES`), like the statuses in
:mod:`geo.statuses`, with its map colour and its i18n keys:

* ``memburuk``: the desa lacks strictly more in the later month (e.g. ``lengkap`` ->
  ``tanpa_pustu``, ``tanpa_pustu`` -> ``tanpa_keduanya``);
* ``berubah``: it lacks something else, neither more nor less (``tanpa_pustu`` ->
  ``tanpa_posyandu_aktif``);
* ``membaik``: it lacks strictly less (``tanpa_keduanya`` -> ``tanpa_pustu`` or ``lengkap``);
* ``tetap``: the same status in both months;
* ``tanpa_data``: no facility data in one of the months (no status is judged, so nothing is
  compared).

What a desa lacks is read from the statuses' ``needs_pustu`` / ``needs_posyandu``, so a new
status is compared correctly without a change here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pandas as pd

from geo import statuses

if TYPE_CHECKING:
    from geo.engine import Coverage


@dataclass(frozen=True)
class Change:
    """One kind of change of a desa's status between two months.

    ``colour``: its fill on the change map (Okabe-Ito and greys: distinct for the common forms
    of colour blindness); ``changed``: the status differs (the desa is listed in the table of
    changes).
    """

    code: str
    colour: str
    changed: bool

    @property
    def label_key(self) -> str:
        """i18n key of the short label."""
        return f"perubahan.{self.code}"

    @property
    def desc_key(self) -> str:
        """i18n key of the one-line meaning."""
        return f"perubahan.{self.code}.desc"


MEMBURUK: Final = "memburuk"
BERUBAH: Final = "berubah"
MEMBAIK: Final = "membaik"
TETAP: Final = "tetap"
TANPA_DATA: Final = "tanpa_data"

CHANGES: Final[tuple[Change, ...]] = (
    Change(code=MEMBURUK, colour="#D55E00", changed=True),  # vermillion
    Change(code=BERUBAH, colour="#CC79A7", changed=True),  # reddish purple
    Change(code=MEMBAIK, colour="#0072B2", changed=True),  # blue
    Change(code=TETAP, colour="#E0E0E0", changed=False),  # light grey: nothing to look at
    Change(code=TANPA_DATA, colour="#8C8C8C", changed=False),  # grey, as the status tanpa_data
)
CODES: Final[tuple[str, ...]] = tuple(c.code for c in CHANGES)
CHANGED_CODES: Final[tuple[str, ...]] = tuple(c.code for c in CHANGES if c.changed)
BY_CODE: Final[dict[str, Change]] = {c.code: c for c in CHANGES}

KEY_COLUMNS: Final = ("kode_desa", "nama_desa", "kode_kecamatan", "nama_kecamatan", "kode_puskesmas", "puskesmas")
MONTH_COLUMNS: Final = ("status", "posyandu_aktif")
COMPARE_COLUMNS: Final = (
    *KEY_COLUMNS,
    "status_sebelum",
    "status_sesudah",
    "posyandu_aktif_sebelum",
    "posyandu_aktif_sesudah",
    "perubahan",
)


def change(code: str) -> Change:
    """Return the registered change ``code`` (KeyError for an unknown code)."""
    return BY_CODE[code]


def _lacks(code: str) -> frozenset[str]:
    status = statuses.status(code)
    needs = (("pustu", status.needs_pustu), ("posyandu", status.needs_posyandu))
    return frozenset(name for name, need in needs if need)


def classify(before: str, after: str) -> str:
    """The change (a :data:`CODES` code) from status ``before`` to status ``after``.

    Raises
    ------
    KeyError
        For a status that is not registered (:mod:`geo.statuses`).
    """
    was, now = statuses.status(before), statuses.status(after)
    if not (was.has_data and now.has_data):
        return TANPA_DATA
    if before == after:
        return TETAP
    lacked, lacks = _lacks(before), _lacks(after)
    if lacks < lacked:
        return MEMBAIK
    if lacks > lacked:
        return MEMBURUK
    return BERUBAH


# Every pair of statuses, computed once from the registry.
CHANGE_OF: Final[dict[tuple[str, str], str]] = {(b, a): classify(b, a) for b in statuses.CODES for a in statuses.CODES}


def default_before(months: Sequence[str], after: str | None) -> str | None:
    """The month to compare ``after`` with by default: the report month just before it, else the earliest.

    ``months``: the report months, ascending (``Coverage.months``); None when there are none.
    """
    if not months:
        return None
    earlier = [m for m in months if after is not None and m < after]
    return earlier[-1] if earlier else months[0]


def compare_months(
    coverage: Coverage, *, before: str, after: str, kode_desa: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per desa: its status in ``before`` and in ``after`` and the change between them.

    Parameters
    ----------
    coverage
        The engine; each month's status is its :meth:`~geo.engine.Coverage.desa_table`.
    before, after
        ``YYYY-MM``: the earlier month (compared against) and the later one.
    kode_desa
        Only these desa (unknown codes are ignored); None: every desa.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPARE_COLUMNS`, sorted by ``kode_desa``.

    Raises
    ------
    InputError
        When a month is not ``YYYY-MM`` or lies outside the report months
        (:meth:`~geo.engine.Coverage.reported_month`: the message names the range).
    """
    before, after = coverage.reported_month(before), coverage.reported_month(after)
    was = coverage.desa_table(before, kode_desa=kode_desa)
    now = coverage.desa_table(after, kode_desa=kode_desa)
    status_before = was["status"].astype("object").to_numpy()
    status_after = now["status"].astype("object").to_numpy()
    changes = [CHANGE_OF[(b, a)] for b, a in zip(status_before, status_after, strict=True)]
    table = was.loc[:, list(KEY_COLUMNS)].assign(
        status_sebelum=was["status"].astype("string"),
        status_sesudah=now["status"].astype("string").to_numpy(),
        posyandu_aktif_sebelum=was["posyandu_aktif"].astype("int64"),
        posyandu_aktif_sesudah=now["posyandu_aktif"].astype("int64").to_numpy(),
        perubahan=pd.Series(changes, index=was.index, dtype="string"),
    )
    return table.loc[:, list(COMPARE_COLUMNS)].reset_index(drop=True)


def changed_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`compare_months` whose status changed, worst change first, then by ``kode_desa``."""
    rank = {code: i for i, code in enumerate(CODES)}
    chosen = table[table["perubahan"].astype("object").isin(CHANGED_CODES).to_numpy(dtype=bool)]
    order = chosen["perubahan"].astype("object").map(rank)
    return (
        chosen.assign(_rank=order.to_numpy())
        .sort_values(["_rank", "kode_desa"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def change_counts(table: pd.DataFrame) -> pd.Series:
    """How many desa of :func:`compare_months` each change has, in :data:`CODES` order (zeros included)."""
    counts = table["perubahan"].astype("object").value_counts()
    return pd.Series([int(counts.get(code, 0)) for code in CODES], index=list(CODES), dtype="int64", name="desa")
