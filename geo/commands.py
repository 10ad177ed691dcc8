"""Command-line handlers ``gaps``, ``summary`` and ``quality`` (dispatched by ``cli.py``).

Each returns the exit code (0) and raises :class:`~loaders.exceptions.InputError`
for bad input (``cli.py`` prints it and exits with 2): an empty store, a month
not written YYYY-MM, ``--format xlsx`` without ``--out``, invalid rule values.
Output goes to ``--out`` or to stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.activity import parse_month
from geo.engine import EMPTY_STORE_MESSAGE, Coverage, Dataset
from geo.export import frame_to_bytes
from geo.rules import Rules
from geo.status import DESA_STATUS_COLUMNS
from loaders.exceptions import InputError
from loaders.store import Store, resolve_store_path

EXIT_OK = 0


def rules_from_args(args: argparse.Namespace) -> Rules:
    """Default rules with the CLI overrides applied (validated by :class:`Rules`)."""
    changes: dict[str, object] = {}
    if getattr(args, "posyandu_min_bulan", None) is not None:
        changes["posyandu_min_bulan"] = args.posyandu_min_bulan
    if getattr(args, "posyandu_jendela_bulan", None) is not None:
        changes["posyandu_jendela_bulan"] = args.posyandu_jendela_bulan
    if getattr(args, "puskesmas_as_pustu", False):
        changes["puskesmas_sebagai_pustu"] = True
    return Rules().replace(**changes)


def load_coverage(args: argparse.Namespace) -> Coverage:
    """Coverage of the store named by ``--store`` (or ``$ILP_STORE``, or the default)."""
    rules = rules_from_args(args)
    store = Store(resolve_store_path(getattr(args, "store", None)))
    if store.is_empty():
        raise InputError(EMPTY_STORE_MESSAGE)
    return Coverage(Dataset.from_store(store), rules=rules)


def _check_output(args: argparse.Namespace) -> str:
    fmt = getattr(args, "format", None) or "csv"
    if fmt == "xlsx" and getattr(args, "out", None) is None:
        msg = "Format xlsx harus ditulis ke berkas: tambahkan --out BERKAS.xlsx."
        raise InputError(msg)
    return fmt


def _emit(data: bytes, out: Path | None, *, rows: int) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        Path(out).write_bytes(data)
    except OSError as exc:
        msg = f"Berkas keluaran {out} tidak dapat ditulis ({exc.strerror}). Periksa folder dan izinnya."
        raise InputError(msg) from exc
    print(f"{rows} baris ditulis ke {out}.", file=sys.stderr)


def gaps(args: argparse.Namespace) -> int:
    """``gaps --month YYYY-MM``: one record per desa with exactly the 12 status fields."""
    fmt = _check_output(args)
    parse_month(args.month)
    table = load_coverage(args).desa_table(args.month).loc[:, list(DESA_STATUS_COLUMNS)]
    _emit(frame_to_bytes(table, fmt), args.out, rows=len(table))
    return EXIT_OK


def summary(args: argparse.Namespace) -> int:
    """``summary --month YYYY-MM --by kecamatan|puskesmas|kabupaten|provinsi``: indicators."""
    fmt = _check_output(args)
    parse_month(args.month)
    table = load_coverage(args).indicators(args.month, by=getattr(args, "by", None) or "kecamatan")
    _emit(frame_to_bytes(table, fmt), args.out, rows=len(table))
    return EXIT_OK


def quality(args: argparse.Namespace) -> int:
    """``quality [--month YYYY-MM]``: data-quality findings (default month: latest report month)."""
    fmt = _check_output(args)
    month = getattr(args, "month", None)
    if month is not None:
        parse_month(month)
    table = load_coverage(args).quality(month)
    _emit(frame_to_bytes(table, fmt), args.out, rows=len(table))
    return EXIT_OK
