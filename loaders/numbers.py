"""Indonesian number and byte-size text for messages: ``1.234.567``, ``1.234,5``, ``419,4 MB``.

One home for the formatting every loader message (and :mod:`geo.quality`,
:mod:`ui.fmt`) uses: ``.`` between thousands, ``,`` before decimals.
"""

from __future__ import annotations

from typing import Final

from loaders.limits import GIGABYTE, MEGABYTE

__all__ = ["angka", "ukuran"]

_SWAP: Final = str.maketrans({",": ".", ".": ","})


def angka(value: float, decimals: int = 0) -> str:
    """Format a number the Indonesian way.

    Parameters
    ----------
    value
        The number. A Python ``int`` with ``decimals=0`` is written exactly
        (no detour through ``float``).
    decimals
        Digits after the decimal comma.

    Returns
    -------
    str
        ``.`` between thousands, ``,`` before the decimals.

    Examples
    --------
    >>> angka(1000000)
    '1.000.000'
    >>> angka(1234.5, 1)
    '1.234,5'
    """
    text = f"{value:,}" if decimals == 0 and isinstance(value, int) else f"{value:,.{decimals}f}"
    return text.translate(_SWAP)


def ukuran(size: int) -> str:
    """Write a byte count as Indonesian text.

    Parameters
    ----------
    size
        Number of bytes.

    Returns
    -------
    str
        GB or MB with at most one decimal (``,0`` dropped), else whole bytes.

    Examples
    --------
    >>> ukuran(100 * 1024 * 1024)
    '100 MB'
    >>> ukuran(1024**3)
    '1 GB'
    >>> ukuran(439_770_000)
    '419,4 MB'
    >>> ukuran(2048)
    '2.048 byte'
    """
    for unit, name in ((GIGABYTE, "GB"), (MEGABYTE, "MB")):
        if size >= unit:
            text = f"{size / unit:.1f}".replace(".", ",").removesuffix(",0")
            return f"{text} {name}"
    return f"{angka(size)} byte"
