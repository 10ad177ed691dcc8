"""Recognise the attribute columns of a village boundary file, with no manual mapping.

Known conventions (headers are matched case-insensitively, spaces and dashes
count as underscores, and Shapefile's 10-character truncation is understood):

- Peta ILP's own names: ``kode_desa``, ``nama_desa``, ``jenis``,
  ``kode_kecamatan``, ``nama_kecamatan``, ``kode_kabupaten``, ...
- Kemendagri: ``kode``, ``nama``.
- BIG RBI batas desa: ``KDEPUM`` (Kemendagri code), ``KDEBPS`` (BPS code),
  ``WADMKD``/``NAMOBJ`` (desa), ``WADMKC``, ``WADMKK``, ``WADMPR``, and
  ``KDCPUM``/``KDPKAB``/``KDPPUM``.
- OCHA/HDX COD-AB: ``ADM4_PCODE`` (``"ID"`` + BPS code), ``ADM4_EN``,
  ``ADM3_EN``, ``ADM2_EN``, ``ADM1_EN`` (``ADM3_PCODE``... are checked against
  the desa code).
- KML exports (QGIS, Google Earth): ``Name`` as desa name, ``description``
  holding the code, or an HTML attribute table in ``description`` (ArcGIS).

A Kemendagri code column wins over a BPS one. BPS codes cannot be turned into
Kemendagri codes by formula, so a file with BPS codes only is keyed by them
(``sistem_kode = "bps"``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import pandas as pd

from loaders import model
from loaders.exceptions import InputError

DBF_NAME_LENGTH: Final = 10

KODE_KEMENDAGRI: Final = "kode_desa"
KODE_BPS: Final = "kode_bps"
KML_DESCRIPTION: Final = "description"

ALIASES: Final[dict[str, tuple[str, ...]]] = {
    KODE_KEMENDAGRI: ("kode_desa", "kdepum", "kode", "kode_kemendagri", "kode_desa_kemendagri", "kd_desa"),
    KODE_BPS: ("kdebps", "kode_bps", "kode_desa_bps", "adm4_pcode"),
    "nama_desa": ("nama_desa", "nama", "wadmkd", "namobj", "adm4_en", "desa_kelurahan", "desa", "name"),
    "jenis": ("jenis", "jenis_desa", "tipe_desa"),
    "kode_kecamatan": ("kode_kecamatan", "kdcpum", "kode_kec", "kd_kec", "adm3_pcode"),
    "nama_kecamatan": ("nama_kecamatan", "wadmkc", "adm3_en", "kecamatan", "nama_kec"),
    "kode_kabupaten": ("kode_kabupaten", "kdpkab", "kode_kab", "kd_kab", "adm2_pcode"),
    "nama_kabupaten": ("nama_kabupaten", "wadmkk", "adm2_en", "kabupaten_kota", "kabupaten", "nama_kab"),
    "kode_provinsi": ("kode_provinsi", "kdppum", "kode_prov", "kd_prov", "adm1_pcode"),
    "nama_provinsi": ("nama_provinsi", "wadmpr", "adm1_en", "provinsi", "nama_prov"),
    "penduduk": ("penduduk", "jumlah_penduduk", "jml_penduduk", "population"),
}

RECOGNISED_CODE_NAMES: Final = (
    "kode_desa atau kode (kode Kemendagri), KDEPUM (BIG RBI), KDEBPS atau kode_bps (kode BPS), "
    "ADM4_PCODE (OCHA/HDX COD-AB), atau kode di kolom Description (KML)"
)
RECOGNISED_NAME_NAMES: Final = "nama_desa, nama, WADMKD, NAMOBJ, ADM4_EN, atau Name (KML)"

_HTML_ROW: Final = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>\s*<t[dh][^>]*>(.*?)</t[dh]>", re.IGNORECASE | re.DOTALL)
_TAG: Final = re.compile(r"<[^>]+>")
_SEPARATORS: Final = re.compile(r"[\s\-./]+")
_BPS_PREFIX: Final = re.compile(r"^ID", re.IGNORECASE)
_BPS_DIGITS: Final = re.compile(r"^\d{10}$")


@dataclass(frozen=True)
class ColumnMatch:
    """Which source column feeds which desa field, and the code system of the file.

    Attributes
    ----------
    fields
        Canonical field -> source column; the code column is under ``kode_desa``.
    sistem_kode
        ``kemendagri`` or ``bps``.
    frame
        The source attributes, with the columns of an HTML attribute table in a
        KML ``description`` added when that is where the code was found.
    notes
        Indonesian file-level notes (missing name column, ...).
    """

    fields: Mapping[str, str]
    sistem_kode: str
    frame: pd.DataFrame
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def mapping(self) -> dict[str, str]:
        """Source column -> canonical field, as the Data page shows it."""
        return {source: target for target, source in self.fields.items()}


def normalise_header(name: object) -> str:
    """``" Kode-Desa "`` -> ``"kode_desa"``: lower case, separators as underscores."""
    return _SEPARATORS.sub("_", str(name).strip().lower()).strip("_")


def text_value(value: object) -> str | None:
    """Return a cell as stripped text (None when empty); whole floats lose their ``.0``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def text_values(values: pd.Series) -> pd.Series:
    """:func:`text_value` of every cell, as an object Series (None, never NaN, when empty)."""
    return pd.Series([text_value(v) for v in values], index=values.index, dtype=object)


def parse_kode_bps(value: object) -> str | None:
    """Return a BPS desa code as 10 digits, or None.

    ``"ID3206012001"`` (OCHA/HDX ADM4_PCODE), ``"3206012001"`` and
    ``"32.06.012.001"`` all give ``"3206012001"``.
    """
    text = text_value(value)
    if text is None:
        return None
    digits = _SEPARATORS.sub("", _BPS_PREFIX.sub("", text))
    return digits if _BPS_DIGITS.match(digits) else None


def detect_columns(frame: pd.DataFrame, *, berkas: str) -> ColumnMatch:
    """Find the desa code, name and region columns of ``frame``.

    Parameters
    ----------
    frame
        Attributes as read from the file, without the geometry column.
    berkas
        File name, for messages.

    Returns
    -------
    ColumnMatch
        The detected columns and the code system.

    Raises
    ------
    InputError
        No recognised desa code column; the message lists the columns found and
        the names that are recognised.
    """
    attributes = frame
    found = _find_aliases(attributes.columns)
    code = _choose_code(attributes, found)
    if code is None:
        attributes = _with_description_table(attributes)
        found = _find_aliases(attributes.columns)
        code = _choose_code(attributes, found)
    if code is None:
        shown = ", ".join(str(c) for c in attributes.columns) or "(tidak ada kolom atribut)"
        msg = (
            f"Berkas {berkas} tidak punya kolom kode desa. Kolom yang ada: {shown}. Nama kolom kode yang dikenali: "
            f"{RECOGNISED_CODE_NAMES}; huruf besar/kecil tidak berpengaruh. Ganti nama kolom kode desa menjadi "
            "salah satu nama itu lalu ulangi."
        )
        raise InputError(msg)
    source, sistem = code
    others = {name: col for name, col in found.items() if name not in (KODE_KEMENDAGRI, KODE_BPS, KML_DESCRIPTION)}
    fields = {KODE_KEMENDAGRI: source, **others}
    return ColumnMatch(fields=fields, sistem_kode=sistem, frame=attributes, notes=_notes(fields, berkas=berkas))


def _aliases_of(field_name: str) -> tuple[str, ...]:
    names = ALIASES.get(field_name, (field_name,))
    truncated = tuple(n[:DBF_NAME_LENGTH] for n in names if len(n) > DBF_NAME_LENGTH)
    return names + truncated


def _find_aliases(columns: Sequence[object]) -> dict[str, str]:
    """Canonical field -> first source column matching one of its aliases (alias order wins)."""
    by_header: dict[str, str] = {}
    for column in columns:
        by_header.setdefault(normalise_header(column), str(column))
    found: dict[str, str] = {}
    taken: set[str] = set()
    for field_name in (*ALIASES, KML_DESCRIPTION):
        for alias in _aliases_of(field_name):
            column = by_header.get(alias)
            if column is not None and column not in taken:
                found[field_name] = column
                taken.add(column)
                break
    return found


def _choose_code(frame: pd.DataFrame, found: Mapping[str, str]) -> tuple[str, str] | None:
    """(source column, code system): Kemendagri when it has any valid code, else BPS, else KML description."""
    kemendagri = found.get(KODE_KEMENDAGRI)
    bps = found.get(KODE_BPS)
    if kemendagri is not None and (bps is None or _count_valid(frame[kemendagri], model.normalise_kode_desa)):
        return kemendagri, model.KEMENDAGRI
    if bps is not None:
        return bps, model.BPS
    description = found.get(KML_DESCRIPTION)
    if description is not None and _count_valid(frame[description], model.normalise_kode_desa):
        return description, model.KEMENDAGRI
    return None


def _count_valid(values: pd.Series, parse: object) -> int:
    return int(values.map(parse).notna().sum())  # type: ignore[arg-type]


def _with_description_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the fields of an HTML attribute table in a KML ``description`` (ArcGIS "Layer to KML")."""
    column = next((c for c in frame.columns if normalise_header(c) == KML_DESCRIPTION), None)
    if column is None:
        return frame
    table = pd.DataFrame([_html_fields(value) for value in frame[column]], index=frame.index)
    new = [c for c in table.columns if normalise_header(c) not in {normalise_header(o) for o in frame.columns}]
    if not new:
        return frame
    return frame.assign(**{c: table[c] for c in new})


def _html_fields(value: object) -> dict[str, str]:
    text = text_value(value)
    if text is None or "<" not in text:
        return {}
    pairs = ((_cell_text(k), _cell_text(v)) for k, v in _HTML_ROW.findall(text))
    return {key: val for key, val in pairs if key}


def _cell_text(cell: str) -> str:
    return html.unescape(_TAG.sub("", cell)).strip()


def _notes(fields: Mapping[str, str], *, berkas: str) -> tuple[str, ...]:
    if "nama_desa" in fields:
        return ()
    return (
        f"Berkas {berkas} tidak punya kolom nama desa (yang dikenali: {RECOGNISED_NAME_NAMES}); "
        "desa disimpan tanpa nama.",
    )
