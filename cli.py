"""Peta ILP command line: import data, manage versions, compute coverage.

Run ``python cli.py --help`` (and ``python cli.py COMMAND --help``) for every
option. Exit codes: 0 success, 2 bad input (the Indonesian message is printed
on stderr, nothing is written), 1 a store that cannot be read or written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from loaders.exceptions import ImportCrashError, InputError, PetaIlpError, StoreWriteError, VersionNotFoundError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2

IMPORT_KINDS = ("boundaries", "facilities", "reports", "working-areas")


def _store_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="S",
        help="berkas GeoPackage penyimpanan (bawaan: $ILP_STORE, atau store/ilp.gpkg di folder proyek)",
    )


def _mapping(values: Sequence[str] | None) -> dict[str, str]:
    """Parse ``--map KOLOM=FIELD`` pairs."""
    mapping: dict[str, str] = {}
    for item in values or ():
        column, sep, target = item.partition("=")
        if not sep or not column.strip() or not target.strip():
            msg = f"--map '{item}' tidak sah: tulis sebagai KOLOM=FIELD, misalnya --map \"Nama Faskes=nama\"."
            raise InputError(msg)
        mapping[column.strip()] = target.strip()
    return mapping


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (documented in --help)."""
    parser = argparse.ArgumentParser(
        prog="python cli.py",
        description=(
            "Peta ILP: pemantauan cakupan pustu dan posyandu per desa (Integrasi Layanan Primer). "
            "Impor data kabupaten/kota ke satu GeoPackage, kelola versinya, dan hitung kesenjangan."
        ),
        epilog="Kode keluar: 0 berhasil, 2 masukan salah (pesan di stderr, penyimpanan tidak berubah), 1 galat penyimpanan.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="PERINTAH")

    imp = sub.add_parser(
        "import",
        help="impor batas desa, fasilitas, laporan posyandu, atau wilayah kerja",
        description=(
            "Impor satu berkas ke penyimpanan. boundaries: GeoJSON, Shapefile (.zip atau .shp), GeoPackage, KML, "
            "GeoParquet. facilities: XLSX (semua sheet; nama sheet Puskesmas/Pustu/Posyandu menentukan jenis) "
            "atau CSV. reports: laporan bulanan posyandu (CSV/XLSX, format panjang). working-areas: desa -> puskesmas."
        ),
    )
    imp.add_argument("kind", choices=IMPORT_KINDS, help="jenis data yang diimpor")
    imp.add_argument("file", type=Path, metavar="FILE", help="berkas sumber")
    _store_arg(imp)
    imp.add_argument("--sheet", metavar="NAME", help="hanya sheet ini dari berkas XLSX")
    imp.add_argument("--layer", metavar="NAME", help="lapisan GeoPackage yang dibaca (bawaan: dideteksi)")
    imp.add_argument(
        "--type",
        dest="jenis",
        choices=("puskesmas", "pustu", "posyandu"),
        help="jenis fasilitas bila tidak terbaca dari nama sheet/berkas",
    )
    imp.add_argument(
        "--map",
        action="append",
        metavar="COLUMN=FIELD",
        help='pemetaan kolom manual, boleh berulang, misalnya --map "Nama Faskes=nama"',
    )

    ver = sub.add_parser("versions", help="daftar versi data (log impor)")
    _store_arg(ver)

    res = sub.add_parser("restore", help="pulihkan versi data sebelumnya (sebagai versi baru)")
    res.add_argument("version", type=int, metavar="VERSION")
    _store_arg(res)

    demo = sub.add_parser(
        "demo",
        help="buat kabupaten contoh sintetis (deterministik) di penyimpanan",
        description="Membangun 'Data contoh (sintetis)': sekitar 200 desa, 15 kecamatan, 20 puskesmas, pustu, posyandu dan 22 bulan laporan.",
    )
    _store_arg(demo)
    demo.add_argument("--seed", type=int, default=2023, help="benih acak (bawaan 2023)")

    gaps = sub.add_parser("gaps", help="status setiap desa untuk satu bulan (kesenjangan pustu/posyandu)")
    _store_arg(gaps)
    gaps.add_argument("--month", required=True, metavar="YYYY-MM", help="bulan acuan")
    gaps.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv", help="format keluaran (bawaan csv)")
    gaps.add_argument("--out", type=Path, metavar="FILE", help="tulis ke berkas (bawaan: stdout; xlsx wajib --out)")
    gaps.add_argument(
        "--posyandu-min-bulan", type=int, metavar="N", help="minimal bulan buka dalam 12 bulan (bawaan 10)"
    )
    gaps.add_argument("--posyandu-jendela-bulan", type=int, metavar="N", help="panjang jendela dalam bulan (bawaan 12)")
    gaps.add_argument("--puskesmas-as-pustu", action="store_true", help="puskesmas di desa dihitung sebagai pustu")

    summ = sub.add_parser("summary", help="indikator per kecamatan, puskesmas atau kabupaten")
    _store_arg(summ)
    summ.add_argument("--month", required=True, metavar="YYYY-MM", help="bulan acuan")
    summ.add_argument("--by", choices=("kecamatan", "puskesmas", "kabupaten", "provinsi"), default="kecamatan")
    summ.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv")
    summ.add_argument("--out", type=Path, metavar="FILE")

    qual = sub.add_parser("quality", help="temuan mutu data (koordinat, duplikat, laporan, wilayah kerja)")
    _store_arg(qual)
    qual.add_argument("--month", metavar="YYYY-MM", help="bulan acuan (bawaan: bulan laporan terakhir)")
    qual.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv")
    qual.add_argument("--out", type=Path, metavar="FILE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = COMMANDS[args.command]
    try:
        return handler(args)
    except BrokenPipeError:
        # Output piped into a command that stopped reading (e.g. `| head`): not an error.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python from failing at exit
        return EXIT_OK
    except (InputError, VersionNotFoundError, StoreWriteError, ImportCrashError) as exc:  # the user can act on it
        print(f"Galat: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PetaIlpError as exc:
        print(f"Galat: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _cmd_import(args: argparse.Namespace) -> int:
    from loaders.importing import run_import
    from loaders.store import Store, resolve_store_path

    store = Store(resolve_store_path(args.store))
    report = run_import(
        args.kind,
        args.file,
        store=store,
        sheet=args.sheet,
        layer=args.layer,
        jenis=args.jenis,
        mapping=_mapping(args.map),
        isolated=True,
    )
    print(report.to_text())
    return EXIT_OK


def _cmd_versions(args: argparse.Namespace) -> int:
    from loaders.store import Store, resolve_store_path

    log = Store(resolve_store_path(args.store)).read_log()
    if log.empty:
        print("Belum ada versi data.")
        return EXIT_OK
    print(_versions_table(log))
    return EXIT_OK


def _versions_table(log: pd.DataFrame) -> str:
    """The import log as a narrow text table (checksum shortened, notes cut)."""
    table = log.assign(
        sha256=log["sha256"].fillna("").str.slice(0, 12),
        keterangan=log["keterangan"].fillna("").map(lambda text: text if len(text) <= 60 else text[:57] + "..."),
    )
    columns = [
        "versi",
        "waktu",
        "jenis_impor",
        "berkas",
        "sha256",
        "baris_dibaca",
        "diterima",
        "diperbaiki",
        "ditolak",
        "keterangan",
    ]
    return table[columns].to_string(index=False)


def _cmd_restore(args: argparse.Namespace) -> int:
    from loaders.store import Store, resolve_store_path

    store = Store(resolve_store_path(args.store))
    version = store.restore(args.version)
    print(f"Versi {args.version} dipulihkan sebagai versi data {version}.")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from loaders.demo import write_demo
    from loaders.store import Store, resolve_store_path

    store = Store(resolve_store_path(args.store))
    version = write_demo(store, seed=args.seed)
    print(f"Data contoh (sintetis) ditulis ke {store.path} sebagai versi data {version}.")
    return EXIT_OK


def _cmd_gaps(args: argparse.Namespace) -> int:
    from geo.commands import gaps

    return gaps(args)


def _cmd_summary(args: argparse.Namespace) -> int:
    from geo.commands import summary

    return summary(args)


def _cmd_quality(args: argparse.Namespace) -> int:
    from geo.commands import quality

    return quality(args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import": _cmd_import,
    "versions": _cmd_versions,
    "restore": _cmd_restore,
    "demo": _cmd_demo,
    "gaps": _cmd_gaps,
    "summary": _cmd_summary,
    "quality": _cmd_quality,
}


if __name__ == "__main__":
    sys.exit(main())
