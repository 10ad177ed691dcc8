"""Peta ILP command line: import data, manage versions, compute coverage.

Run ``python cli.py --help`` (and ``python cli.py COMMAND --help``) for every
option. Exit codes: 0 success, 2 bad input (the Indonesian message is printed
on stderr, nothing is written), 1 a store that cannot be read or written.

``gaps``, ``summary``, ``quality``, ``compare`` and ``export`` take every engine
rule as an option, generated from :data:`geo.rules.RULES`. ``--month`` defaults to
the latest report month; a month outside the reports is refused
(:meth:`geo.engine.Coverage.reported_month`). ``export`` renders one format of
:mod:`ui.exports` for the desa of ``--kecamatan`` / ``--puskesmas``. argparse's
own texts are Indonesian (:mod:`ui.cli_text`). Heavy modules (the engine, the
store, the renderers) are imported by the command that needs them, so
``--help`` stays quick.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo.rules import RULES, Rules, RuleSpec
from loaders import kinds
from loaders.exceptions import (
    ImportCrashError,
    InputError,
    NoDesaError,
    PetaIlpError,
    StoreWriteError,
    VersionNotFoundError,
)
from loaders.limits import MAX_PASSWORD_BYTES
from ui.cli_text import IndonesianParser
from ui.exports import CODES as EXPORT_CODES

if TYPE_CHECKING:
    from geo.engine import Coverage
    from loaders.store import Store
    from ui.exports import ExportRequest

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2

NO_DESA_HINT = (
    "Impor batas desa dulu (python cli.py import boundaries BERKAS) atau buat data contoh dengan python cli.py demo."
)


def _store_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="S",
        help="berkas GeoPackage penyimpanan (bawaan: $ILP_STORE, atau store/ilp.gpkg di folder proyek)",
    )


def _month_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--month",
        metavar="YYYY-MM",
        help="bulan acuan (bawaan: bulan laporan terakhir; bulan di luar rentang laporan ditolak)",
    )


def _lang_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=("id", "en"),
        default="id",
        help="bahasa isi berkas: judul kolom, label, judul (bawaan id; pesan di layar tetap bahasa Indonesia)",
    )


def _table_format_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("csv", "json", "xlsx"),
        default="csv",
        help=(
            "csv (bawaan): tabel untuk dibaca orang, judul kolom berlabel, koma desimal dan titik koma "
            "(bahasa id), Ya/Tidak, persen dibulatkan; xlsx: format laporan Excel, wajib --out; "
            "json: untuk program, kode kolom dan angka mentah"
        ),
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="tulis ke berkas (bawaan: stdout; xlsx wajib --out)")
    _lang_arg(parser)


def _rule_args(parser: argparse.ArgumentParser) -> None:
    """One option per engine rule (:data:`geo.rules.RULES`); the help states the default."""
    group = parser.add_argument_group("aturan perhitungan (bawaan: geo/rules.py)")
    for spec in RULES:
        if spec.kind is bool:
            group.add_argument(spec.cli_flag, dest=spec.field, action="store_const", const=True, help=_rule_help(spec))
            continue
        group.add_argument(spec.cli_flag, dest=spec.field, type=_rule_number(spec), metavar="N", help=_rule_help(spec))


def _rule_help(spec: RuleSpec) -> str:
    """Return the rule's Indonesian help, then its default and range (unless the help states the default)."""
    text = spec.help.help_id.replace("%", "%%")
    if "Bawaan" not in text:
        text += f" (bawaan {_rule_text(spec.default)}"
        text += f"; {_rule_text(spec.low)} sampai {_rule_text(spec.high)})" if spec.low is not None else ")"
    return text


def _rule_text(value: object) -> str:
    """Write a rule value as the help shows it: tidak/ya, whole numbers without decimals, decimal comma."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def _rule_number(spec: RuleSpec) -> Callable[[str], int | float]:
    """Return the argparse ``type`` of a numeric rule: a whole number, or a decimal (comma or point)."""

    def parse(text: str) -> int | float:
        try:
            return int(text) if spec.kind is int else float(text.replace(",", "."))
        except ValueError:
            kind = "bilangan bulat" if spec.kind is int else "angka"
            msg = f"{spec.cli_flag} '{text}' tidak sah: isi {kind}, misalnya {_rule_text(spec.default)}."
            raise argparse.ArgumentTypeError(msg) from None

    parse.__name__ = "int" if spec.kind is int else "float"
    return parse


def rules_from_args(args: argparse.Namespace) -> Rules:
    """Default rules with the rule options given on the command line (InputError when out of range)."""
    changes = {spec.field: getattr(args, spec.field) for spec in RULES if getattr(args, spec.field, None) is not None}
    rules = Rules().replace(**changes)  # the engine's own checks (minimum months within the window, ...)
    for spec in RULES:
        value = changes.get(spec.field)
        if value is not None and not spec.within(value):  # type: ignore[arg-type]
            msg = (
                f"{spec.cli_flag} {_rule_text(value)} di luar batas: isi nilai "
                f"{_rule_text(spec.low)} sampai {_rule_text(spec.high)}."
            )
            raise InputError(msg)
    return rules


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
    """Build the argument parser of every command (documented in --help)."""
    parser = IndonesianParser(
        prog="python cli.py",
        description=(
            "Peta ILP: pemantauan cakupan pustu dan posyandu per desa (Integrasi Layanan Primer). "
            "Impor data kabupaten/kota ke satu GeoPackage, kelola versinya, dan hitung kesenjangan."
        ),
        epilog=(
            "Kode keluar: 0 berhasil, 2 masukan salah (pesan di stderr, penyimpanan tidak berubah), "
            "1 galat penyimpanan."
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="PERINTAH")

    imp = sub.add_parser(
        "import",
        help="impor batas desa, fasilitas, laporan posyandu, atau wilayah kerja",
        description=f"Impor satu berkas ke penyimpanan. {kinds.formats_text()}",
    )
    imp.add_argument("kind", choices=kinds.CODES, help="jenis data yang diimpor")
    imp.add_argument("file", type=Path, metavar="FILE", help="berkas sumber")
    _store_arg(imp)
    imp.add_argument(kinds.OPTION_FLAGS["sheet"], metavar="NAME", help="hanya sheet ini dari berkas XLSX")
    imp.add_argument(
        kinds.OPTION_FLAGS["layer"], metavar="NAME", help="lapisan GeoPackage yang dibaca (bawaan: dideteksi)"
    )
    imp.add_argument(
        kinds.OPTION_FLAGS["jenis"],
        dest="jenis",
        choices=kinds.FACILITY_KINDS,
        help="jenis fasilitas bila tidak terbaca dari nama sheet/berkas",
    )
    imp.add_argument(
        kinds.OPTION_FLAGS["mapping"],
        action="append",
        metavar="COLUMN=FIELD",
        help='pemetaan kolom manual, boleh berulang, misalnya --map "Nama Faskes=nama"',
    )
    imp.add_argument(
        kinds.OPTION_FLAGS["per"],
        metavar="YYYY-MM",
        help=(
            "fasilitas: bulan keadaan data dalam berkas (bawaan: bulan ini). Data yang lebih baru menjadi data "
            "sekarang, data sebelumnya disimpan sebagai riwayat; data yang lebih lama masuk riwayat"
        ),
    )

    ver = sub.add_parser("versions", help="daftar versi data (log impor)")
    _store_arg(ver)

    res = sub.add_parser("restore", help="pulihkan versi data sebelumnya (sebagai versi baru)")
    res.add_argument("version", type=int, metavar="VERSION")
    _store_arg(res)

    demo = sub.add_parser(
        "demo",
        help="buat kabupaten contoh sintetis (deterministik) di penyimpanan",
        description=(
            "Membangun 'Data contoh (sintetis)': sekitar 200 desa, 15 kecamatan, 20 puskesmas, pustu, posyandu "
            "dan 22 bulan laporan."
        ),
    )
    _store_arg(demo)
    demo.add_argument("--seed", type=int, default=2023, help="benih acak (bawaan 2023)")

    gaps = sub.add_parser("gaps", help="status setiap desa untuk satu bulan (kesenjangan pustu/posyandu)")
    _store_arg(gaps)
    _month_arg(gaps)
    _table_format_args(gaps)
    _rule_args(gaps)

    summ = sub.add_parser("summary", help="indikator per kecamatan, puskesmas atau kabupaten")
    _store_arg(summ)
    _month_arg(summ)
    summ.add_argument(
        "--by",
        choices=("kecamatan", "puskesmas", "kabupaten", "provinsi"),
        default="kecamatan",
        help="tingkat pengelompokan (bawaan kecamatan)",
    )
    _table_format_args(summ)
    _rule_args(summ)

    qual = sub.add_parser("quality", help="temuan mutu data (koordinat, duplikat, laporan, wilayah kerja)")
    _store_arg(qual)
    _month_arg(qual)
    _table_format_args(qual)
    _rule_args(qual)

    exp = sub.add_parser(
        "export",
        help="ekspor laporan Excel, peta PNG/PDF, atau GeoJSON/GeoPackage desa untuk satu bulan",
        description=(
            "Ekspor desa pada filter yang dipilih (semua desa bila tanpa filter) untuk satu bulan: "
            "xlsx laporan Excel (ringkasan + satu sheet per puskesmas), png peta dengan legenda, "
            "pdf A4 mendatar (peta lalu tabel indikator), geojson dan gpkg desa dengan kolom statusnya. "
            "Berkas --out yang sudah ada ditimpa (ditulis utuh atau tidak sama sekali)."
        ),
    )
    exp.add_argument("--format", required=True, choices=EXPORT_CODES, help="format ekspor")
    _month_arg(exp)
    exp.add_argument(
        "--kecamatan",
        nargs="+",
        metavar="KODE",
        help="hanya desa kecamatan ini (boleh beberapa kode; daftar kode: python cli.py summary --by kecamatan)",
    )
    exp.add_argument(
        "--puskesmas",
        metavar="KODE",
        help="hanya wilayah kerja puskesmas ini (daftar kode: python cli.py summary --by puskesmas)",
    )
    _lang_arg(exp)
    _store_arg(exp)
    exp.add_argument("--out", required=True, type=Path, metavar="FILE", help="berkas hasil (wajib)")
    _rule_args(exp)

    comp = sub.add_parser(
        "compare",
        help="bandingkan status desa dua bulan: desa yang membaik, memburuk atau berubah",
        description=(
            "Daftar desa yang statusnya berbeda antara bulan --from (sebelum) dan bulan --to (sesudah), "
            "sama dengan tabel perubahan di halaman Bandingkan."
        ),
    )
    _store_arg(comp)
    comp.add_argument(
        "--from",
        dest="from_month",
        metavar="YYYY-MM",
        help="bulan sebelum (bawaan: bulan laporan sebelum --to, atau bulan laporan pertama)",
    )
    comp.add_argument("--to", dest="to_month", metavar="YYYY-MM", help="bulan sesudah (bawaan: bulan laporan terakhir)")
    comp.add_argument("--semua", action="store_true", help="semua desa, juga yang statusnya tetap")
    _table_format_args(comp)
    _rule_args(comp)
    _targets_parser(sub)
    _users_parser(sub)
    return parser


def _targets_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``targets set | list | remove``: the targets table of the store (see :mod:`loaders.targets`)."""
    from geo.targets import DEFAULT_HAMPIR_PCT, TARGET_INDICATORS

    codes = ", ".join(entry.code for entry in TARGET_INDICATORS)
    tgt = sub.add_parser(
        "targets",
        help="target indikator (nilai dan bulan tercapainya): tetapkan, lihat, hapus",
        description=(
            "Target indikator disimpan di penyimpanan bersama data (setiap perubahan = versi data baru). "
            f"Indikator yang bisa diberi target: {codes}."
        ),
    )
    action = tgt.add_subparsers(dest="target_action", required=True, metavar="AKSI")
    put = action.add_parser("set", help="tetapkan (atau ganti) target satu indikator untuk satu bulan")
    put.add_argument("--indikator", required=True, metavar="KODE", help=f"kode indikator: {codes}")
    put.add_argument("--nilai", required=True, metavar="PERSEN", help="nilai target 0-100 (persen), misalnya 80")
    put.add_argument("--bulan", required=True, metavar="YYYY-MM", help="bulan target harus tercapai, misalnya 2026-12")
    put.add_argument(
        "--hampir",
        metavar="PERSEN",
        help=f"lampu 'hampir' mulai dari persen target ini, 1-100 (bawaan {DEFAULT_HAMPIR_PCT:g})",
    )
    put.add_argument("--catatan", metavar="TEKS", help="catatan singkat (misalnya dasar target)")
    _store_arg(put)
    show = action.add_parser("list", help="daftar target di penyimpanan")
    _store_arg(show)
    drop = action.add_parser("remove", help="hapus target satu indikator untuk satu bulan")
    drop.add_argument("--indikator", required=True, metavar="KODE", help="kode indikator")
    drop.add_argument("--bulan", required=True, metavar="YYYY-MM", help="bulan target yang dihapus")
    _store_arg(drop)


def _users_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``users add | remove | list | set-role``: the users file of a dinas server (see :mod:`loaders.users`)."""
    from loaders.users import ROLE_HELP

    usr = sub.add_parser(
        "users",
        help="pengguna server dinas (masuk dengan kata sandi atau OpenID Connect): tambah, hapus, daftar, ganti peran",
        description=(
            "Berkas pengguna pengguna.json ada di samping penyimpanan (atau $ILP_USERS); tidak pernah berisi "
            f"kata sandi polos, hanya hash bcrypt. Peran: {ROLE_HELP}. Setiap perubahan dicatat di log penyimpanan."
        ),
    )
    action = usr.add_subparsers(dest="user_action", required=True, metavar="AKSI")
    add = action.add_parser("add", help="tambah pengguna (kata sandi dibaca dari stdin atau ditanyakan)")
    add.add_argument("username", metavar="USERNAME", help="huruf kecil, angka, titik, garis bawah, minus")
    add.add_argument("--peran", required=True, metavar="PERAN", help=f"peran: {ROLE_HELP}")
    add.add_argument("--email", default="", metavar="EMAIL", help="email (wajib untuk masuk lewat OpenID Connect)")
    add.add_argument("--nama", default="", metavar="NAMA", help="nama lengkap yang ditampilkan")
    add.add_argument(
        "--sandi-dari-stdin",
        action="store_true",
        help=(
            "baca kata sandi dari baris pertama stdin (tanpa ini: ditanyakan tanpa ditampilkan di terminal; "
            "tanpa terminal: pengguna OpenID Connect tanpa kata sandi, perlu --email)"
        ),
    )
    add.add_argument(
        "--tanpa-sandi", action="store_true", help="tanpa kata sandi: hanya masuk lewat OpenID Connect (perlu --email)"
    )
    add.add_argument("--ganti", action="store_true", help="ganti pengguna yang sudah ada (misalnya kata sandi baru)")
    _store_arg(add)
    rem = action.add_parser("remove", help="hapus pengguna")
    rem.add_argument("username", metavar="USERNAME")
    _store_arg(rem)
    lst = action.add_parser("list", help="daftar pengguna (tanpa hash kata sandi)")
    _store_arg(lst)
    role = action.add_parser("set-role", help="ganti peran pengguna")
    role.add_argument("username", metavar="USERNAME")
    role.add_argument("peran", metavar="PERAN", help=f"peran: {ROLE_HELP}")
    _store_arg(role)


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


def cli_actor() -> str:
    """Who runs the CLI, for the import log: ``cli:<os user>``."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return f"cli:uid{os.getuid()}"


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
        per=args.per,
        isolated=True,
        oleh=cli_actor(),
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
    """Render the import log as a narrow text table (checksum shortened, notes cut)."""
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
        "oleh",
    ]
    return table[columns].fillna({"oleh": ""}).to_string(index=False)


def _cmd_restore(args: argparse.Namespace) -> int:
    from loaders.store import Store, resolve_store_path

    store = Store(resolve_store_path(args.store))
    version = store.restore(args.version, oleh=cli_actor())
    print(f"Versi {args.version} dipulihkan sebagai versi data {version}.")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from loaders.demo import write_demo
    from loaders.store import Store, resolve_store_path

    store = Store(resolve_store_path(args.store))
    version = write_demo(store, seed=args.seed, oleh=cli_actor())
    print(f"Data contoh (sintetis) ditulis ke {store.path} sebagai versi data {version}.")
    return EXIT_OK


# -- gaps / summary / quality ------------------------------------------------------
def load_coverage(args: argparse.Namespace) -> Coverage:
    """Coverage of the store named by ``--store`` (or ``$ILP_STORE``, or the default), under the rule options.

    Raises
    ------
    InputError
        Invalid rule options, or a store without desa (the message says which command adds them).
    """
    from geo.engine import Coverage
    from loaders.dataset import read_dataset
    from loaders.store import Store, resolve_store_path

    rules = rules_from_args(args)
    store = Store(resolve_store_path(getattr(args, "store", None)))
    try:
        if store.is_empty():
            raise NoDesaError
        return Coverage(read_dataset(store), rules=rules)
    except NoDesaError as exc:
        raise InputError(f"{exc} {NO_DESA_HINT}") from exc


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
    write_atomically(Path(out), data)
    print(f"{rows} baris ditulis ke {out}.", file=sys.stderr)


def write_atomically(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` whole or not at all: a temporary file beside it, then ``os.replace``.

    An existing file is replaced (exports are made again and again); a failed
    write leaves the old file, or none, and no temporary file.

    Raises
    ------
    InputError
        When the folder cannot be written (the message names the file).
    """
    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, out)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        msg = f"Berkas keluaran {out} tidak dapat ditulis ({exc.strerror}). Periksa folder dan izinnya."
        raise InputError(msg) from exc


def _report_month(coverage: Coverage, args: argparse.Namespace) -> str:
    """``--month`` checked against the report range, or the latest report month (said on stderr)."""
    asked = getattr(args, "month", None)
    month = coverage.reported_month(asked)
    if asked is None:
        print(f"Bulan: {month} (bulan laporan terakhir).", file=sys.stderr)
    return month


def _parse_month_arg(args: argparse.Namespace) -> None:
    """Refuse a malformed ``--month`` before the store is read."""
    from geo.activity import parse_month

    if getattr(args, "month", None) is not None:
        parse_month(args.month)


def data_version(store: Store, *, lang: str) -> str:
    """The store's data version as a person reads it (:func:`ui.report_book.data_version_text`).

    A store whose latest version was written by ``python cli.py demo`` is labelled as the synthetic demo.
    """
    from loaders.demo import JENIS_IMPOR as DEMO_IMPORT
    from ui.report_book import data_version_text

    log = store.read_log()
    is_demo = not log.empty and str(log["jenis_impor"].iloc[-1]) == DEMO_IMPORT
    return data_version_text(store.path, is_demo=is_demo, lang=lang)


def _title_lines(coverage: Coverage, month: str, *, store: Store, lang: str) -> tuple[str, ...]:
    """The lines above a table: month, the rules used, the data version (as the Excel report writes them)."""
    from ui.fmt import fmt_month
    from ui.i18n import t
    from ui.report_book import rules_lines

    return (
        t("laporan.bulan", lang=lang, bulan=fmt_month(month, lang=lang)),
        *rules_lines(coverage.rules, lang=lang),
        t("laporan.versi", lang=lang, versi=data_version(store, lang=lang)),
    )


def _table_bytes(table: pd.DataFrame, args: argparse.Namespace, *, title: tuple[str, ...], sheet: str) -> bytes:
    """json: codes and raw numbers; csv and xlsx: the person-readable form of :mod:`ui.report_book`."""
    from geo.export import frame_to_bytes

    fmt = args.format
    if fmt == "json":
        return frame_to_bytes(table, "json")
    from ui.report_book import table_csv, table_xlsx

    if fmt == "csv":
        return table_csv(table, lang=args.lang)
    return table_xlsx(table, lang=args.lang, title_lines=title, sheet=sheet)


def _store_of(args: argparse.Namespace) -> Store:
    from loaders.store import Store, resolve_store_path

    return Store(resolve_store_path(getattr(args, "store", None)))


def _cmd_gaps(args: argparse.Namespace) -> int:
    """``gaps [--month YYYY-MM]``: one record per desa with exactly the 12 status fields."""
    from geo.status import DESA_STATUS_COLUMNS

    _check_output(args)
    _parse_month_arg(args)
    coverage = load_coverage(args)
    month = _report_month(coverage, args)
    table = coverage.desa_table(month).loc[:, list(DESA_STATUS_COLUMNS)]
    title = _title_lines(coverage, month, store=_store_of(args), lang=args.lang)
    _emit(_table_bytes(table, args, title=title, sheet="Desa"), args.out, rows=len(table))
    return EXIT_OK


def _cmd_summary(args: argparse.Namespace) -> int:
    """``summary [--month YYYY-MM] --by kecamatan|puskesmas|kabupaten|provinsi``: indicators."""
    _check_output(args)
    _parse_month_arg(args)
    coverage = load_coverage(args)
    month = _report_month(coverage, args)
    by = getattr(args, "by", None) or "kecamatan"
    table = coverage.indicators(month, by=by)
    title = _title_lines(coverage, month, store=_store_of(args), lang=args.lang)
    _emit(_table_bytes(table, args, title=title, sheet=by.capitalize()), args.out, rows=len(table))
    return EXIT_OK


def _cmd_quality(args: argparse.Namespace) -> int:
    """``quality [--month YYYY-MM]``: data-quality findings (default month: latest report month).

    csv/xlsx: the Data page's findings table (:mod:`ui.quality_table`: place names, labelled kinds and
    severities, headers in ``--lang``); json: the engine's findings as they are (codes).
    """
    from geo.export import frame_to_bytes
    from ui.i18n import set_language
    from ui.quality_table import file_titles, findings_file, with_places
    from ui.report_book import table_csv, table_xlsx

    fmt = _check_output(args)
    _parse_month_arg(args)
    coverage = load_coverage(args)
    month = _report_month(coverage, args) if args.month is not None or coverage.months else None
    table = coverage.quality(month)
    if fmt == "json":
        _emit(frame_to_bytes(table, fmt), args.out, rows=len(table))
        return EXIT_OK
    set_language(args.lang)  # the labels of kinds and severities (ui.quality_table reads the current language)
    shown = findings_file(with_places(table, coverage.dataset.desa))
    titles = file_titles(lang=args.lang)
    if fmt == "csv":
        data = table_csv(shown, lang=args.lang, titles=titles)
    else:
        lines = _title_lines(coverage, month, store=_store_of(args), lang=args.lang) if month else ()
        data = table_xlsx(shown, lang=args.lang, title_lines=lines, sheet="Temuan", titles=titles)
    _emit(data, args.out, rows=len(shown))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    """``export --format F --out FILE [--month] [--kecamatan ...] [--puskesmas]``: one file of :mod:`ui.exports`."""
    import time

    from ui import exports

    started = time.perf_counter()
    _parse_month_arg(args)
    folder = Path(args.out).absolute().parent
    if not folder.is_dir():
        msg = f"Folder {folder} untuk --out {args.out} tidak ada. Buat foldernya dulu atau pilih berkas lain."
        raise InputError(msg)
    coverage = load_coverage(args)
    month = _report_month(coverage, args)
    request = export_request(coverage, args, month=month)
    data = exports.render(request, args.format)
    write_atomically(Path(args.out), data)
    print(
        f"Ekspor {args.format} ({request.area}, {month}, {len(request.kode_desa)} desa) ditulis ke {args.out} "
        f"dalam {time.perf_counter() - started:.1f} detik.",
        file=sys.stderr,
    )
    return EXIT_OK


def export_request(coverage: Coverage, args: argparse.Namespace, *, month: str) -> ExportRequest:
    """The :class:`~ui.exports.ExportRequest` of the command line's filters.

    Raises
    ------
    InputError
        For a kecamatan or puskesmas code the data does not hold (the message says how to list them),
        or filters that leave no desa.
    """
    from ui import scope
    from ui.exports import ExportRequest
    from ui.filters import options_from_tables, select_desa
    from ui.state import ViewState

    options = options_from_tables(coverage.dataset.desa, coverage.working_areas, coverage.months)
    kecamatan = tuple(args.kecamatan or ())
    for kode in kecamatan:
        if kode not in options.kecamatan:
            msg = (
                f"Kecamatan {kode} tidak ada di data. Lihat kode kecamatan yang ada dengan: "
                "python cli.py summary --by kecamatan."
            )
            raise InputError(msg)
    puskesmas = args.puskesmas
    if puskesmas is not None and puskesmas not in options.puskesmas:
        msg = (
            f"Puskesmas {puskesmas} tidak ada di data (wilayah kerja). Lihat kode puskesmas yang ada dengan: "
            "python cli.py summary --by puskesmas."
        )
        raise InputError(msg)
    kode_desa = select_desa(coverage.desa_table(month), kecamatan=kecamatan, puskesmas=puskesmas)
    if not kode_desa:
        msg = (
            f"Tidak ada desa pada kecamatan {', '.join(kecamatan)} di wilayah kerja puskesmas {puskesmas}. "
            "Periksa --kecamatan dan --puskesmas."
        )
        raise InputError(msg)
    state = ViewState(kecamatan=kecamatan, puskesmas=puskesmas, bulan=month, lang=args.lang)
    return ExportRequest(
        coverage=coverage,
        month=month,
        kode_desa=kode_desa,
        area=scope.area_name(state, options, lang=args.lang),
        rules=coverage.rules,
        data_version=data_version(_store_of(args), lang=args.lang),
        lang=args.lang,
        kode_puskesmas=puskesmas,
    )


def _cmd_compare(args: argparse.Namespace) -> int:
    """``compare --from YYYY-MM --to YYYY-MM``: the desa whose status differs between the two months."""
    from geo import compare
    from geo.export import frame_to_bytes

    fmt = _check_output(args)
    coverage = load_coverage(args)
    try:
        after = coverage.reported_month(args.to_month)
    except InputError as exc:
        raise InputError(f"--to: {exc}") from exc
    try:
        before = coverage.reported_month(args.from_month or compare.default_before(coverage.months, after))
    except InputError as exc:
        raise InputError(f"--from: {exc}") from exc
    table = compare.compare_months(coverage, before=before, after=after)
    if not args.semua:
        table = compare.changed_rows(table)
    data = (
        frame_to_bytes(table, fmt)
        if fmt == "json"
        else _compare_file(table, args, coverage, before=before, after=after)
    )
    _emit(data, args.out, rows=len(table))
    return EXIT_OK


def _compare_file(
    table: pd.DataFrame, args: argparse.Namespace, coverage: Coverage, *, before: str, after: str
) -> bytes:
    """The comparison as CSV or XLSX for a person: labelled headers naming the months, status and change labels."""
    from ui.fmt import fmt_month
    from ui.i18n import change_label, status_label, t
    from ui.report_book import table_csv, table_xlsx

    lang = args.lang
    shown = table.assign(
        status_sebelum=table["status_sebelum"].map(lambda code: status_label(code, lang=lang)),
        status_sesudah=table["status_sesudah"].map(lambda code: status_label(code, lang=lang)),
        perubahan=table["perubahan"].map(lambda code: change_label(code, lang=lang)),
    )
    status, aktif = t("col.status", lang=lang), t("col.posyandu_aktif", lang=lang)
    titles = {
        "status_sebelum": f"{status} {before}",
        "status_sesudah": f"{status} {after}",
        "posyandu_aktif_sebelum": f"{aktif} {before}",
        "posyandu_aktif_sesudah": f"{aktif} {after}",
    }
    if args.format == "csv":
        return table_csv(shown, lang=lang, titles=titles)
    months = {"sebelum": fmt_month(before, lang=lang), "sesudah": fmt_month(after, lang=lang)}
    lines = (
        t("banding.change_map", lang=lang, **months),
        *_title_lines(coverage, after, store=_store_of(args), lang=lang),
    )
    return table_xlsx(shown, lang=lang, title_lines=lines, sheet="perubahan", titles=titles)


def _cmd_targets(args: argparse.Namespace) -> int:
    """``targets set | list | remove`` (exit 2 with the Indonesian message on bad input; nothing written)."""
    from loaders import targets

    store = _store_of(args)
    if args.target_action == "list":
        table = targets.read_targets(store)
        if table.empty:
            print(f"Belum ada target di {store.path}. Tetapkan dengan: python cli.py targets set ...")
            return EXIT_OK
        print(table.fillna("").to_string(index=False))
        return EXIT_OK
    if args.target_action == "set":
        target = targets.parse_target(
            indikator=args.indikator,
            nilai=args.nilai,
            bulan=args.bulan,
            hampir_pct=args.hampir,
            catatan=args.catatan,
            names=targets.CLI_FIELD_NAMES,
        )
        result = targets.set_target(store, target, oleh=cli_actor())
    else:
        result = targets.remove_target(store, indikator=args.indikator, bulan=args.bulan, oleh=cli_actor())
    if result.changed:
        print(f"{result.keterangan} Versi data {result.version}.")
    else:
        print(f"{result.keterangan} Versi data tetap {result.version}.")
    return EXIT_OK


def _read_password(args: argparse.Namespace) -> str | None:
    """The new password: first line of stdin (``--sandi-dari-stdin``), else asked twice without echo.

    None (an OpenID Connect user, which needs ``--email``): ``--tanpa-sandi``, no terminal to ask on,
    or an empty answer when an email is given.
    """
    import getpass

    if args.tanpa_sandi:
        return None
    if args.sandi_dari_stdin:
        line = sys.stdin.readline(MAX_PASSWORD_BYTES * 4 + 2)
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        return None
    hint = " (kosongkan: hanya masuk lewat OpenID Connect)" if args.email else ""
    first = getpass.getpass(f"Kata sandi baru{hint}: ")
    if not first and args.email:
        return None
    if getpass.getpass("Ulangi kata sandi: ") != first:
        raise InputError("Kedua kata sandi tidak sama; tidak ada yang berubah. Jalankan perintahnya lagi.")
    return first


def _cmd_users(args: argparse.Namespace) -> int:
    """``users add | remove | list | set-role`` (exit 2 with the Indonesian message on bad input; nothing written)."""
    from loaders import users
    from loaders.store import Store, resolve_store_path

    path = users.users_path(args.store)
    store = Store(resolve_store_path(args.store))
    if args.user_action == "list":
        entries = users.read_users(path)
        if not entries:
            print(f"Belum ada pengguna di {path}. Tambah dengan: python cli.py users add USERNAME --peran admin")
            return EXIT_OK
        rows = [
            {
                "pengguna": u.username,
                "peran": u.peran,
                "nama": u.nama,
                "email": u.email,
                "masuk": "kata sandi" if u.has_password else "OpenID Connect",
            }
            for u in entries.values()
        ]
        print(f"Berkas pengguna: {path}")
        print(pd.DataFrame(rows).to_string(index=False))
        return EXIT_OK
    if args.user_action == "remove":
        user = users.remove_user(path, args.username)
        text = f"Pengguna {user.username} dihapus (peran {user.peran})."
    elif args.user_action == "set-role":
        user = users.set_role(path, args.username, args.peran, known=users.known_codes(store))
        text = f"Peran pengguna {user.username} menjadi {user.peran}."
    else:
        users.check_role(args.peran, known=users.known_codes(store))  # refuse before asking for a password
        password = _read_password(args)
        user = users.add_user(
            path,
            args.username,
            peran=args.peran,
            email=args.email,
            nama=args.nama,
            password=password,
            known=users.known_codes(store),
            replace_existing=args.ganti,
        )
        verb = "diganti" if args.ganti else "ditambahkan"
        way = "kata sandi" if user.has_password else "OpenID Connect"
        text = f"Pengguna {user.username} {verb} (peran {user.peran}, masuk dengan {way})."
    print(f"{text} Berkas pengguna: {path}.")
    audit = users.audit_store(path, args.store)
    if audit is None:
        print("Catatan: tidak ada penyimpanan di samping berkas pengguna, jadi perubahan ini tidak dicatat di log.")
        return EXIT_OK
    version = users.record_change(audit, text, oleh=cli_actor())
    print(f"Dicatat di log penyimpanan {audit.path} sebagai versi data {version}.")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import": _cmd_import,
    "versions": _cmd_versions,
    "restore": _cmd_restore,
    "demo": _cmd_demo,
    "gaps": _cmd_gaps,
    "summary": _cmd_summary,
    "quality": _cmd_quality,
    "compare": _cmd_compare,
    "export": _cmd_export,
    "targets": _cmd_targets,
    "users": _cmd_users,
}


if __name__ == "__main__":
    sys.exit(main())
