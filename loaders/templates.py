"""Input templates for the Data page: one XLSX workbook per kind of import.

Each workbook has the data sheet(s) with a header row of the canonical
Indonesian column names (recognised by :func:`loaders.columns.detect_mapping`)
and one example row, and a ``Petunjuk`` sheet explaining every column (help
text from :data:`loaders.columns.FIELDS`). A filled-in template imports as is.

Kinds (those of :data:`loaders.kinds.KINDS`):

- ``facilities``: sheets Puskesmas, Pustu, Posyandu (the sheet name tells the kind);
- ``reports``: sheet Laporan (one row per posyandu per month);
- ``working-areas``: sheet Wilayah Kerja (desa -> puskesmas);
- ``boundaries``: village boundaries are a map file (GeoJSON, Shapefile, ...),
  not a spreadsheet. Its workbook lists the attribute columns (sheet Atribut,
  to prepare a Shapefile's attribute table) and :func:`boundary_example_geojson`
  gives a small GeoJSON with the same attributes that imports as is.

The ``Petunjuk`` sheet is laid out so the importers skip it: no row of it
holds two recognised header names (column names are in one column, examples
inside the explanation text).
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import xlsxwriter

from loaders.columns import FIELDS, LAPORAN, POSYANDU, PUSKESMAS, PUSTU, REQUIRED_GROUPS, WILAYAH_KERJA
from loaders.exceptions import InputError
from loaders.kinds import BOUNDARIES, CODES, FACILITIES, REPORTS, WORKING_AREAS

TEMPLATE_KINDS: Final = CODES  # one template per import kind, in the registry's order
PETUNJUK: Final = "Petunjuk"
BOUNDARY_TARGET: Final = "batas_desa"
FIXED_TIME: Final = datetime(2026, 1, 1)  # workbook metadata, so the bytes do not change run to run

# Headers every facility sheet has after its own kode/nama, in this order,
# and the parent-puskesmas headers of the pustu and posyandu sheets.
_FACILITY_PLACE_HEADERS: Final = {
    "kode_desa": "Kode Desa",
    "nama_desa": "Nama Desa",
    "nama_kecamatan": "Kecamatan",
    "lat": "Latitude",
    "lon": "Longitude",
    "status": "Status",
    "tanggal_aktif": "Tanggal Aktif",
    "tanggal_nonaktif": "Tanggal Nonaktif",
    "alamat": "Alamat",
}
_INDUK_HEADERS: Final = {
    "nama_puskesmas_induk": "Puskesmas Induk",
    "kode_puskesmas": "Kode Puskesmas Induk",
}

# Canonical column header of each field, per target (what the template writes).
HEADERS: Final[dict[str, dict[str, str]]] = {
    PUSKESMAS: {
        "kode": "Kode Puskesmas",
        "nama": "Nama Puskesmas",
        **_FACILITY_PLACE_HEADERS,
    },
    PUSTU: {
        "kode": "Kode Pustu",
        "nama": "Nama Pustu",
        **_FACILITY_PLACE_HEADERS,
        **_INDUK_HEADERS,
        "perawat": "Perawat",
        "bidan": "Bidan",
    },
    POSYANDU: {
        "kode": "Kode Posyandu",
        "nama": "Nama Posyandu",
        **_FACILITY_PLACE_HEADERS,
        **_INDUK_HEADERS,
        "strata": "Strata",
        "jumlah_kader": "Jumlah Kader",
    },
    LAPORAN: {
        "kode_posyandu": "Kode Posyandu",
        "bulan": "Bulan",
        "buka": "Buka",
        "kader_hadir": "Kader Hadir",
        "balita": "Balita",
        "ibu_hamil": "Ibu Hamil",
        "usia_sekolah_remaja": "Usia Sekolah dan Remaja",
        "usia_produktif": "Usia Produktif",
        "lansia": "Lansia",
    },
    WILAYAH_KERJA: {
        "kode_desa": "Kode Desa",
        "nama_desa": "Nama Desa",
        "nama_kecamatan": "Kecamatan",
        "kode_puskesmas": "Kode Puskesmas",
        "nama_puskesmas": "Nama Puskesmas",
    },
    BOUNDARY_TARGET: {
        "kode_desa": "kode_desa",
        "nama_desa": "nama_desa",
        "jenis": "jenis",
        "kode_kecamatan": "kode_kecamatan",
        "nama_kecamatan": "nama_kecamatan",
        "kode_kabupaten": "kode_kabupaten",
        "nama_kabupaten": "nama_kabupaten",
        "kode_provinsi": "kode_provinsi",
        "nama_provinsi": "nama_provinsi",
        "penduduk": "penduduk",
    },
}

# Help of the boundary attributes (the tabular kinds take theirs from FIELDS).
BOUNDARY_HELP: Final[dict[str, tuple[bool, str]]] = {
    "kode_desa": (True, "Kode Kemendagri desa/kelurahan, misalnya 32.06.01.2001 (atau KDEPUM, ADM4_PCODE, kode_bps)."),
    "nama_desa": (True, "Nama desa/kelurahan (atau nama, WADMKD, NAMOBJ)."),
    "jenis": (False, "desa atau kelurahan; bila kosong diturunkan dari kode (digit desa diawali 1 = kelurahan)."),
    "kode_kecamatan": (False, "Kode kecamatan, misalnya 32.06.01; bila kosong diturunkan dari kode desa."),
    "nama_kecamatan": (False, "Nama kecamatan (atau WADMKC)."),
    "kode_kabupaten": (False, "Kode kabupaten/kota, misalnya 32.06; bila kosong diturunkan dari kode desa."),
    "nama_kabupaten": (False, "Nama kabupaten/kota (atau WADMKK)."),
    "kode_provinsi": (False, "Kode provinsi, misalnya 32; bila kosong diturunkan dari kode desa."),
    "nama_provinsi": (False, "Nama provinsi (atau WADMPR)."),
    "penduduk": (False, "Jumlah penduduk (bilangan bulat); dipakai untuk mengurutkan prioritas."),
}

# One consistent example across every template (a desa, its puskesmas, a pustu, a posyandu, a report).
EXAMPLE_DESA: Final = {
    "kode_desa": "32.06.01.2001",
    "nama_desa": "Desa Contoh",
    "jenis": "desa",
    "kode_kecamatan": "32.06.01",
    "nama_kecamatan": "Kecamatan Contoh",
    "kode_kabupaten": "32.06",
    "nama_kabupaten": "Kabupaten Contoh",
    "kode_provinsi": "32",
    "nama_provinsi": "Provinsi Contoh",
    "penduduk": 2500,
}
EXAMPLE_LON: Final = 108.0
EXAMPLE_LAT: Final = -7.7
_DESA_SIDE: Final = 0.02  # degrees, the example desa is a small square around the point
EXAMPLES: Final[dict[str, dict[str, object]]] = {
    PUSKESMAS: {
        "kode": "P3206010101",
        "nama": "Puskesmas Contoh",
        "kode_desa": EXAMPLE_DESA["kode_desa"],
        "nama_desa": EXAMPLE_DESA["nama_desa"],
        "nama_kecamatan": EXAMPLE_DESA["nama_kecamatan"],
        "lat": EXAMPLE_LAT,
        "lon": EXAMPLE_LON,
        "status": "Aktif",
        "tanggal_aktif": "2015-01",
        "tanggal_nonaktif": "",
        "alamat": "Jl. Raya Contoh No. 1",
    },
    PUSTU: {
        "kode": "",
        "nama": "Pustu Contoh",
        "kode_desa": EXAMPLE_DESA["kode_desa"],
        "nama_desa": EXAMPLE_DESA["nama_desa"],
        "nama_kecamatan": EXAMPLE_DESA["nama_kecamatan"],
        "lat": EXAMPLE_LAT + 0.004,
        "lon": EXAMPLE_LON + 0.003,
        "status": "Aktif",
        "tanggal_aktif": "2025-06",
        "tanggal_nonaktif": "",
        "alamat": "Kampung Contoh RT 01/RW 02",
        "nama_puskesmas_induk": "Puskesmas Contoh",
        "kode_puskesmas": "P3206010101",
        "perawat": 1,
        "bidan": 1,
    },
    POSYANDU: {
        "kode": "PSY-3206-00001",
        "nama": "Posyandu Contoh",
        "kode_desa": EXAMPLE_DESA["kode_desa"],
        "nama_desa": EXAMPLE_DESA["nama_desa"],
        "nama_kecamatan": EXAMPLE_DESA["nama_kecamatan"],
        "lat": EXAMPLE_LAT - 0.003,
        "lon": EXAMPLE_LON - 0.004,
        "status": "Aktif",
        "tanggal_aktif": "2020-03",
        "tanggal_nonaktif": "",
        "alamat": "Balai Desa Contoh",
        "nama_puskesmas_induk": "Puskesmas Contoh",
        "kode_puskesmas": "P3206010101",
        "strata": "Madya",
        "jumlah_kader": 5,
    },
    LAPORAN: {
        "kode_posyandu": "PSY-3206-00001",
        "bulan": "2026-10",
        "buka": "ya",
        "kader_hadir": 5,
        "balita": 32,
        "ibu_hamil": 4,
        "usia_sekolah_remaja": 12,
        "usia_produktif": 15,
        "lansia": 18,
    },
    WILAYAH_KERJA: {
        "kode_desa": EXAMPLE_DESA["kode_desa"],
        "nama_desa": EXAMPLE_DESA["nama_desa"],
        "nama_kecamatan": EXAMPLE_DESA["nama_kecamatan"],
        "kode_puskesmas": "P3206010101",
        "nama_puskesmas": "Puskesmas Contoh",
    },
    BOUNDARY_TARGET: dict(EXAMPLE_DESA),
}

# Drop-down lists offered in the data cells (Excel data validation; other values stay allowed).
CHOICES: Final[dict[str, tuple[str, ...]]] = {
    "status": ("Aktif", "Tidak aktif"),
    "buka": ("ya", "tidak"),
    "strata": ("Pratama", "Madya", "Purnama", "Mandiri"),
    "jenis": ("desa", "kelurahan"),
}
TEXT_FIELDS: Final = frozenset(
    {"kode", "kode_desa", "kode_puskesmas", "kode_posyandu", "bulan", "tanggal_aktif", "tanggal_nonaktif"}
    | {"kode_kecamatan", "kode_kabupaten", "kode_provinsi"}
)
TEMPLATE_ROWS: Final = 500  # rows formatted (text cells, drop-downs) below the header


@dataclass(frozen=True)
class TemplateSheet:
    """One data sheet of a template: its name, import target and columns (field names, in order)."""

    name: str
    target: str
    fields: tuple[str, ...]

    def headers(self) -> list[str]:
        """The header row."""
        return [HEADERS[self.target][f] for f in self.fields]

    def example(self) -> list[object]:
        """The example row, in column order."""
        return [EXAMPLES[self.target][f] for f in self.fields]


@dataclass(frozen=True)
class Template:
    """One downloadable workbook."""

    kind: str
    filename: str
    title: str
    sheets: tuple[TemplateSheet, ...]
    notes: tuple[str, ...]


def _sheet(name: str, target: str) -> TemplateSheet:
    return TemplateSheet(name, target, tuple(HEADERS[target]))


TEMPLATES: Final[dict[str, Template]] = {
    FACILITIES: Template(
        FACILITIES,
        "templat_fasilitas.xlsx",
        "Templat fasilitas: puskesmas, pustu dan posyandu",
        (_sheet("Puskesmas", PUSKESMAS), _sheet("Pustu", PUSTU), _sheet("Posyandu", POSYANDU)),
        (
            "Satu baris per fasilitas. Nama sheet menentukan jenisnya (Puskesmas, Pustu, Posyandu); "
            "sheet yang tidak dipakai boleh dihapus.",
            "Koordinat boleh juga ditulis dalam satu kolom 'Koordinat' berisi \"lintang, bujur\" "
            "sebagai pengganti kolom Latitude dan Longitude.",
            "Pustu tidak punya kode resmi: Nama Pustu bersama Kode Desa menjadi pengenalnya.",
            "Tanggal Aktif dan Tanggal Nonaktif (boleh kosong) ditulis YYYY-MM, misalnya 2025-06, atau sebagai "
            "tanggal (2025-06-15, 15/06/2025); yang disimpan hanya bulannya. Tanggal Nonaktif adalah bulan pertama "
            "fasilitas tidak aktif lagi dan tidak boleh lebih awal dari Tanggal Aktif.",
            "Daftar yang diimpor ulang setiap bulan atau triwulan: sebutkan bulan keadaan datanya saat impor "
            "(kolom 'Data ini keadaan per bulan' di halaman Data, atau --per YYYY-MM). Daftar sebelumnya "
            "disimpan sebagai riwayat.",
            "Hapus baris contoh sebelum mengisi data Anda.",
        ),
    ),
    REPORTS: Template(
        REPORTS,
        "templat_laporan_posyandu.xlsx",
        "Templat laporan bulanan posyandu",
        (_sheet("Laporan", LAPORAN),),
        (
            "Satu baris per posyandu per bulan (format panjang). Bulan ditulis YYYY-MM, misalnya 2026-10.",
            "Kode Posyandu harus sama dengan kode di data fasilitas posyandu.",
            "Laporan untuk posyandu dan bulan yang sudah ada akan menggantikan laporan lama.",
            "Hapus baris contoh sebelum mengisi data Anda.",
        ),
    ),
    WORKING_AREAS: Template(
        WORKING_AREAS,
        "templat_wilayah_kerja.xlsx",
        "Templat wilayah kerja puskesmas",
        (_sheet("Wilayah Kerja", WILAYAH_KERJA),),
        (
            "Satu baris per desa: desa itu dilayani puskesmas mana. Impor batas desa lebih dulu.",
            "Isi Kode Desa atau Nama Desa (dengan Kecamatan), dan Kode Puskesmas atau Nama Puskesmas.",
            "Bila wilayah kerja tidak diimpor, aplikasi menurunkannya dari letak puskesmas.",
            "Hapus baris contoh sebelum mengisi data Anda.",
        ),
    ),
    BOUNDARIES: Template(
        BOUNDARIES,
        "templat_batas_desa.xlsx",
        "Templat atribut batas desa",
        (_sheet("Atribut", BOUNDARY_TARGET),),
        (
            "Batas desa diimpor dari berkas peta: GeoJSON, Shapefile (.zip), GeoPackage, KML/KMZ atau GeoParquet, "
            "bukan dari lembar kerja ini.",
            "Sheet Atribut menunjukkan nama kolom atribut yang dikenali; gabungkan (join) ke tabel atribut peta "
            "Anda di QGIS bila kolomnya belum ada. Nama kolom BIG RBI (KDEPUM, WADMKD, ...) dan OCHA "
            "(ADM4_PCODE, ...) juga dikenali.",
            "Contoh berkas yang langsung dapat diimpor: unduh 'contoh_batas_desa.geojson' di halaman Data.",
        ),
    ),
}
BOUNDARY_EXAMPLE_FILENAME: Final = "contoh_batas_desa.geojson"


def template(kind: str) -> Template:
    """The template description of ``kind`` (InputError for an unknown kind)."""
    try:
        return TEMPLATES[kind]
    except KeyError:
        msg = f"Templat '{kind}' tidak dikenal. Pilihan: {', '.join(TEMPLATE_KINDS)}."
        raise InputError(msg) from None


def column_header(target: str, field: str) -> str:
    """Canonical header of ``field`` for ``target`` (e.g. posyandu ``kode`` -> ``Kode Posyandu``).

    Fields without a template column (such as ``koordinat``) get their first synonym, capitalised.
    """
    header = HEADERS.get(target, {}).get(field)
    if header is not None:
        return header
    spec = FIELDS.get(target, {}).get(field)
    first = spec.synonyms[0] if spec and spec.synonyms else field.replace("_", " ")
    return first[:1].upper() + first[1:]


def _required(target: str, field: str) -> str:
    if target == BOUNDARY_TARGET:
        return "Ya" if BOUNDARY_HELP[field][0] else "Tidak"
    if FIELDS[target][field].required:
        return "Ya"
    for group in REQUIRED_GROUPS.get(target, ()):
        if field in group:
            others = " / ".join(column_header(target, f) for f in group)
            return f"Salah satu: {others}"
    return "Tidak"


def _help(target: str, field: str) -> str:
    if target == BOUNDARY_TARGET:
        return BOUNDARY_HELP[field][1]
    return FIELDS[target][field].bantuan


def _example_text(value: object) -> str:
    if value == "" or value is None:
        return "(boleh kosong)"
    if isinstance(value, float):
        return f"{value:.4f}".replace(".", ",")
    return str(value)


def petunjuk_rows(kind: str) -> list[list[object]]:
    """The rows of the Petunjuk sheet: title, notes, then per sheet a section of columns.

    Rows with several cells hold at most one recognised header name, so the
    importers never read this sheet as data.
    """
    spec = template(kind)
    rows: list[list[object]] = [[spec.title], *[[note] for note in spec.notes], []]
    rows.append(["No", "Nama kolom", "Wajib diisi", "Penjelasan"])
    number = 0
    for sheet in spec.sheets:
        rows.append([f"Sheet {sheet.name}"])
        for field, example in zip(sheet.fields, sheet.example(), strict=True):
            number += 1
            explanation = f"{_help(sheet.target, field)} Contoh: {_example_text(example)}"
            rows.append([number, column_header(sheet.target, field), _required(sheet.target, field), explanation])
    return rows


def template_bytes(kind: str) -> bytes:
    """The XLSX workbook of ``kind``: data sheet(s) with header + example row, and Petunjuk.

    Raises
    ------
    InputError
        For an unknown kind.
    """
    spec = template(kind)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": spec.title, "author": "Peta ILP", "created": FIXED_TIME})
    styles = _styles(workbook)
    for sheet in spec.sheets:
        _write_data_sheet(workbook, sheet, styles)
    _write_petunjuk(workbook, kind, styles)
    workbook.close()
    return buffer.getvalue()


def _styles(workbook: xlsxwriter.Workbook) -> Mapping[str, object]:
    return {
        "header": workbook.add_format({"bold": True, "bg_color": "#D9E8F5", "border": 1, "text_wrap": True}),
        "text": workbook.add_format({"num_format": "@"}),
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "top": workbook.add_format({"valign": "top"}),
        "section": workbook.add_format({"bold": True, "bg_color": "#EEEEEE"}),
    }


def _write_data_sheet(workbook: xlsxwriter.Workbook, sheet: TemplateSheet, styles: Mapping[str, object]) -> None:
    worksheet = workbook.add_worksheet(sheet.name)
    for col, (field, header, value) in enumerate(zip(sheet.fields, sheet.headers(), sheet.example(), strict=True)):
        is_text = field in TEXT_FIELDS
        worksheet.set_column(col, col, max(12, len(header) + 4), styles["text"] if is_text else None)
        worksheet.write_string(0, col, header, styles["header"])
        if isinstance(value, int | float) and not isinstance(value, bool):
            worksheet.write_number(1, col, value)
        elif value != "":
            worksheet.write_string(1, col, str(value), styles["text"] if is_text else None)
        choices = CHOICES.get(field)
        if choices:
            worksheet.data_validation(
                1, col, TEMPLATE_ROWS, col, {"validate": "list", "source": list(choices), "error_type": "information"}
            )
    worksheet.freeze_panes(1, 0)


def _write_petunjuk(workbook: xlsxwriter.Workbook, kind: str, styles: Mapping[str, object]) -> None:
    worksheet = workbook.add_worksheet(PETUNJUK)
    worksheet.set_column(0, 0, 6)
    worksheet.set_column(1, 1, 26)
    worksheet.set_column(2, 2, 16)
    worksheet.set_column(3, 3, 90)
    for row, cells in enumerate(petunjuk_rows(kind)):
        if len(cells) == 1:
            is_title = row == 0
            is_section = str(cells[0]).startswith("Sheet ")
            style = styles["title"] if is_title else styles["section"] if is_section else None
            worksheet.write_string(row, 0, str(cells[0]), style)
            continue
        if cells and cells[0] == "No":
            for col, value in enumerate(cells):
                worksheet.write_string(row, col, str(value), styles["header"])
            continue
        for col, value in enumerate(cells):
            style = styles["wrap"] if col == 3 else styles["top"]
            if isinstance(value, int):
                worksheet.write_number(row, col, value, style)
            else:
                worksheet.write_string(row, col, str(value), style)


def template_filename(kind: str) -> str:
    """File name of the workbook of ``kind`` (e.g. ``templat_fasilitas.xlsx``)."""
    return template(kind).filename


def boundary_example_geojson() -> bytes:
    """A one-desa GeoJSON (a small square) with the canonical attributes; it imports as is."""
    half = _DESA_SIDE / 2
    x0, x1 = EXAMPLE_LON - half, EXAMPLE_LON + half
    y0, y1 = EXAMPLE_LAT - half, EXAMPLE_LAT + half
    feature = {
        "type": "Feature",
        "properties": dict(EXAMPLE_DESA),
        "geometry": {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]},
    }
    collection = {"type": "FeatureCollection", "features": [feature]}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")
