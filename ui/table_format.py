"""Labelled, Indonesian-formatted tables for ``st.dataframe`` (pure: pandas Styler, no streamlit).

Users never see raw column names: every column gets a label from
:mod:`ui.i18n` (``kol.<name>`` first, then the shell's ``col.<name>``).
Numbers stay numbers (sorting a column sorts by value); only their display
goes through :mod:`ui.fmt`. Booleans become "Ya"/"Tidak", months "Okt 2026".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import pandas as pd
from pandas.io.formats.style import Styler

from ui.fmt import MISSING, fmt_int, fmt_km, fmt_month
from ui.i18n import STRINGS, get_language, t

OWN_PREFIX: Final = "kol."
SHELL_PREFIX: Final = "col."
Formatter = Callable[[object], str]
# Characters that open a Markdown/HTML construct wherever they stand: escapes, code, emphasis,
# strikethrough, links, images, footnotes, autolinks, HTML, headings, quotes, tables, LaTeX, entities.
# ("_" between two letters or digits opens nothing and stays as typed: kode_desa.)
MARKDOWN_SPECIALS: Final = frozenset("\\`*_[]<>!#|~$&")
# Only at the start of a block: list items, setext lines ("- x", "+ x", "= x", "1. x", "2) x").
_BLOCK_START: Final = re.compile(r"^(\s*)([-+=]|\d{1,9}[.)](?=\s|$))")
WORD_JOINER: Final = "\u2060"  # invisible, no line break: splits what Streamlit rewrites after parsing
# Streamlit rewrites text *after* Markdown parsing (escapes are gone by then): GFM autolink literals
# (http://, https://, www., user@host.tld), :emoji:, :material/icon: and :streamlit: shortcodes,
# typographic arrows (->, <=, --); and it reads :name[...] directives (colours, badges). A word
# joiner after the ":" or "@" or inside the pair breaks each pattern without changing what is read.
_AUTOLINK_SCHEME: Final = re.compile(r"(?i)(?:https?|ftp|mailto|xmpp)(?=:)|www(?=\.)")
_AFTER_AT_OR_COLON: Final = re.compile(r"(?<=[@:])(?=[\w+-])")
_ARROW_PAIR: Final = re.compile(r"(?<=[-<>~=])(?=[-<>=])")
_LINE_BREAKS: Final = re.compile(r"[\r\n\t\v\f\x00-\x08\x0e-\x1f\x7f\x85\u2028\u2029]")


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
    r"""User text (a name, a file name, a column header, a message quoting them) made inert for Markdown.

    Use it wherever such text reaches a Streamlit element that parses Markdown:
    ``st.markdown``, ``st.caption``, ``st.error``/``warning``/``info``/``success``,
    ``st.title``/``header``/``subheader``, widget labels and help texts, tab,
    expander and metric labels, radio/segmented-control/pills option labels.
    (``st.selectbox``/``st.multiselect`` options and ``st.dataframe`` cells are
    plain text: do not escape there.) The text reads the same; nothing in it
    becomes an image, a link, HTML, a heading, a list, LaTeX, a colour, an icon
    or an emoji:

    * ``\ ` * _ [ ] < > ! # | ~ $ &`` are backslash-escaped (``_`` only where
      it could open emphasis), and so is a leading list or setext marker
      (``-``, ``+``, ``=``, ``1.``, ``1)``);
    * line breaks, tabs and control characters become spaces (no new block);
    * an invisible word joiner (U+2060) splits what Streamlit rewrites after
      parsing or reads as a directive: ``http://``, ``www.``, ``a@b.id``,
      ``:name:``, ``:red[..]``, ``->``.

    Examples
    --------
    >>> plain_markdown("**Desa** [x](y) kode_desa")
    '\\*\\*Desa\\*\\* \\[x\\](y) kode_desa'
    """
    flat = _LINE_BREAKS.sub(" ", str(text))
    broken = _ARROW_PAIR.sub(WORD_JOINER, _AFTER_AT_OR_COLON.sub(WORD_JOINER, flat))
    broken = _AUTOLINK_SCHEME.sub(lambda m: m.group(0) + WORD_JOINER, broken)
    escaped = "".join(f"\\{ch}" if _opens(broken, i) else ch for i, ch in enumerate(broken))
    return _BLOCK_START.sub(_escape_marker, escaped, count=1)


def _escape_marker(match: re.Match[str]) -> str:
    r"""``- x`` -> ``\- x``, ``1. x`` -> ``1\. x`` (a list marker read as text)."""
    space, marker = match.group(1), match.group(2)
    return f"{space}\\{marker}" if len(marker) == 1 and not marker.isdigit() else f"{space}{marker[:-1]}\\{marker[-1]}"


def _opens(text: str, index: int) -> bool:
    """True when ``text[index]`` could start Markdown (an intraword ``_`` cannot)."""
    char = text[index]
    if char != "_":
        return char in MARKDOWN_SPECIALS
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return not (before.isalnum() and after.isalnum())


def plain_code(text: object, *, max_chars: int | None = None) -> str:
    """User text (a path, a URL parameter) made safe inside a Markdown code span (between backticks).

    A code span shows its content literally (no escapes needed, none applied),
    so only what could end or break it goes: backticks become ``'``, control
    characters and line breaks are dropped. ``max_chars`` shortens it with "…".
    """
    cleaned = "".join(ch for ch in str(text) if ch.isprintable()).replace("`", "'")
    if max_chars is None or len(cleaned) <= max_chars:
        return cleaned
    return cleaned[: max_chars - 1] + "…"


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
