"""Indonesian number, percentage and month formatting (pure functions).

Every number the dashboard shows goes through here, so the whole interface
uses one style: ``.`` between thousands, ``,`` before decimals, ``%`` glued to
the number (``1.234``, ``56,7%``). Missing values (None, NaN, pandas NA)
become an en dash ``–`` instead of ``nan``. The English interface keeps the
Indonesian number style on purpose: the figures must read the same in every
report a dinas prints.
"""

from __future__ import annotations

import math
import re
from typing import Final

from loaders import model
from loaders.numbers import angka

MISSING: Final = "–"

_MONTHS_ID: Final = model.BULAN
_MONTHS_EN: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SHORT_ID: Final = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_SHORT_EN: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_RE: Final = re.compile(r"^(\d{4})-(\d{2})$")


def is_missing(value: object) -> bool:
    """Return True for None, NaN, pandas NA/NaT and other values that are not numbers."""
    if value is None:
        return True
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return math.isnan(number) or math.isinf(number)


def fmt_num(value: object, *, decimals: int = 0) -> str:
    """Format a number the Indonesian way.

    Parameters
    ----------
    value
        Any number (int, float, numpy or pandas scalar); missing -> ``–``.
    decimals
        Digits after the decimal comma.

    Examples
    --------
    >>> fmt_num(1234567)
    '1.234.567'
    >>> fmt_num(1234.5, decimals=1)
    '1.234,5'
    """
    if is_missing(value):
        return MISSING
    number = round(float(value), decimals)  # type: ignore[arg-type]
    if number == 0:
        number = 0.0  # no "-0"
    return angka(number, decimals)


def fmt_int(value: object) -> str:
    """Whole number with ``.`` thousands separators: ``1234`` -> ``1.234``."""
    return fmt_num(value, decimals=0)


def fmt_pct(value: object, *, decimals: int = 1) -> str:
    """Percentage (given 0-100) with a decimal comma: ``56.71`` -> ``56,7%``."""
    if is_missing(value):
        return MISSING
    return f"{fmt_num(value, decimals=decimals)}%"


def fmt_km(value: object, *, decimals: int = 1) -> str:
    """Distance in kilometres: ``3.25`` -> ``3,2 km`` (missing -> ``–``)."""
    if is_missing(value):
        return MISSING
    return f"{fmt_num(value, decimals=decimals)} km"


def fmt_delta(value: object, *, decimals: int = 0, unit: str = "") -> str | None:
    """Signed change for ``st.metric(delta=...)``: ``+3``, ``-1,5 poin``, ``0``.

    Returns None when the change is unknown (no previous month), so the
    metric shows no delta at all rather than a misleading zero. ``unit`` is
    appended after a space (e.g. ``poin`` for percentage points).
    """
    if is_missing(value):
        return None
    number = round(float(value), decimals)  # type: ignore[arg-type]
    sign = "+" if number > 0 else ""
    text = f"{sign}{fmt_num(number, decimals=decimals)}"
    return f"{text} {unit}" if unit else text


def parse_month(value: str) -> tuple[int, int] | None:
    """``'2026-10'`` -> ``(2026, 10)``; None when it is not a valid YYYY-MM."""
    match = _MONTH_RE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1900:
        return None
    return year, month


def fmt_month(value: object, *, lang: str = "id", short: bool = False) -> str:
    """``'2026-10'`` -> ``'Oktober 2026'`` (``'Okt 2026'`` when short; English with lang='en')."""
    parsed = parse_month(value) if isinstance(value, str) else None
    if parsed is None:
        return MISSING
    year, month = parsed
    if short:
        names = _SHORT_EN if lang == "en" else _SHORT_ID
    else:
        names = _MONTHS_EN if lang == "en" else _MONTHS_ID
    return f"{names[month - 1]} {year}"


def previous_month(month: str, months: tuple[str, ...] | list[str]) -> str | None:
    """Return the month just before ``month`` among ``months`` (sorted ascending), or None."""
    ordered = sorted(months)
    if month not in ordered:
        return None
    index = ordered.index(month)
    return ordered[index - 1] if index > 0 else None
