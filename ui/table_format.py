"""Labelled, Indonesian-formatted tables for ``st.dataframe`` (pure: pandas Styler, no streamlit).

Users never see raw column names: every column gets a label from
:mod:`ui.i18n` (``kol.<name>`` first, then the shell's ``col.<name>``).
Numbers stay numbers (sorting a column sorts by value); only their display
goes through :mod:`ui.fmt`. Booleans become "Ya"/"Tidak", months "Okt 2026".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final

import pandas as pd
from pandas.io.formats.style import Styler

from ui.fmt import MISSING, fmt_int, fmt_km, fmt_month
from ui.i18n import STRINGS, get_language, t

OWN_PREFIX: Final = "kol."
SHELL_PREFIX: Final = "col."
Formatter = Callable[[object], str]
MARKDOWN_SPECIALS: Final = frozenset("\\`*_{}[]()#+-.!|<>~$:")


def column_title(column: str, **fmt: object) -> str:
    """Label of ``column`` (KeyError when neither ``kol.`` nor ``col.`` has it)."""
    own = f"{OWN_PREFIX}{column}"
    return t(own if own in STRINGS else f"{SHELL_PREFIX}{column}", **fmt)


def yes_no(values: pd.Series) -> pd.Series:
    """Booleans as "Ya"/"Tidak" ("–" when unknown)."""
    yes, no = t("umum.ya"), t("umum.tidak")
    return values.astype("object").map(lambda v: MISSING if is_missing_bool(v) else (yes if bool(v) else no))


def is_missing_bool(value: object) -> bool:
    """True for None/NA/NaN."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def month_text(values: pd.Series) -> pd.Series:
    """``YYYY-MM`` as a short month name in the run's language ("–" when missing)."""
    lang = get_language()
    return values.astype("object").map(
        lambda m: MISSING if is_missing_bool(m) else fmt_month(str(m), lang=lang, short=True)
    )


def text_or_dash(value: object) -> str:
    """Any value as text, "–" when missing."""
    return MISSING if is_missing_bool(value) else str(value)


def plain_markdown(text: object) -> str:
    """User text shown through Markdown (labels, bullet lists) without being read as Markdown."""
    return "".join(f"\\{ch}" if ch in MARKDOWN_SPECIALS else ch for ch in str(text))


def labelled(frame: pd.DataFrame, columns: Sequence[str], *, titles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy with only ``columns``, renamed to their labels (``titles`` overrides some)."""
    names = {c: (titles or {}).get(c) or column_title(c) for c in columns}
    return frame.loc[:, list(columns)].rename(columns=names)


def styled(
    frame: pd.DataFrame,
    columns: Sequence[str],
    *,
    integers: Sequence[str] = (),
    km: Sequence[str] = (),
    titles: Mapping[str, str] | None = None,
    formats: Mapping[str, Formatter] | None = None,
) -> Styler:
    """The table for ``st.dataframe``: labelled columns, Indonesian number display.

    Parameters
    ----------
    frame
        The data (not modified).
    columns
        Which columns, in order.
    integers, km
        Columns shown with :func:`ui.fmt.fmt_int` / :func:`ui.fmt.fmt_km`.
    titles
        Label overrides (column -> label).
    formats
        Other display functions (column -> callable).
    """
    table = labelled(frame, columns, titles=titles)
    label_of = dict(zip(columns, table.columns, strict=True))
    shown: dict[str, Formatter] = {label_of[c]: fmt_int for c in integers}
    shown.update({label_of[c]: fmt_km for c in km})
    shown.update({label_of[c]: f for c, f in (formats or {}).items()})
    others = [label for c, label in label_of.items() if label not in shown]
    return table.style.format(shown).format(text_or_dash, subset=others)
