"""The one declaration of every data-quality finding kind, with its one severity.

The data-quality table (``cli.py quality``, the Kualitas data page) lists the
findings of the engine (:mod:`geo.quality`, recomputed from the stored layers
every time) and the findings importers kept in the ``catatan_impor`` layer
because only the import could see them (a report row the store merged, a
coordinate that could not be read, a boundary row refused). Each kind is
declared here once:

- ``tingkat``: its severity (``tinggi`` > ``sedang`` > ``rendah``), and
  ``lower``, the one documented lower severity the engine gives some rows
  (``di_luar_wilayah`` of a pustu/posyandu, ``desa_berbeda`` closer than
  100 m, ``desa_tanpa_wilayah_kerja`` with a derived working area);
- ``by_engine``: the engine recomputes it from the stored layers, so no
  importer stores it (an old store's rows of that kind are ignored);
- ``persisted_by``: the importer (``catatan_impor.sumber`` prefix) that stores it;
- ``aliases``: older codes of the kind, still read from old stores.

Import reports (:class:`~loaders.import_report.ImportReport`) still list
everything an import read and repaired; this module is only about what the
data-quality table shows. Every kind has the label ``kualitas.jenis.<code>``
in :mod:`ui.i18n` (checked by ``tests/test_registries.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

TINGGI: Final = "tinggi"
SEDANG: Final = "sedang"
RENDAH: Final = "rendah"
TINGKAT: Final[tuple[str, ...]] = (TINGGI, SEDANG, RENDAH)  # most severe first
TINGKAT_ORDER: Final[dict[str, int]] = {tingkat: rank for rank, tingkat in enumerate(TINGKAT)}

# Importers that store findings (the ``sumber`` of their catatan_impor rows starts with it)
FASILITAS: Final = "fasilitas"
LAPORAN: Final = "laporan"
WILAYAH_KERJA: Final = "wilayah_kerja"
BATAS: Final = "batas"


@dataclass(frozen=True)
class Finding:
    """One kind of data-quality finding (see the module docstring)."""

    code: str
    tingkat: str
    lower: str | None = None
    by_engine: bool = False
    persisted_by: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def label_key(self) -> str:
        """i18n key of the kind's name in the data-quality table."""
        return f"kualitas.jenis.{self.code}"


FINDINGS: Final[tuple[Finding, ...]] = (
    # recomputed by the engine (geo/quality.py) from the stored layers
    Finding("di_luar_wilayah", TINGGI, lower=SEDANG, by_engine=True, aliases=("luar_wilayah",)),
    Finding("koordinat_ditukar", RENDAH, by_engine=True, aliases=("koordinat_tertukar",)),
    Finding("tanpa_koordinat", SEDANG, by_engine=True),
    Finding("desa_berbeda", SEDANG, lower=RENDAH, by_engine=True),
    Finding("kode_desa_tidak_dikenal", SEDANG, by_engine=True),
    Finding("duplikat_kode", SEDANG, by_engine=True),
    Finding("duplikat_nama", RENDAH, by_engine=True),
    Finding("berhenti_lapor", SEDANG, by_engine=True),
    Finding("laporan_kode_tidak_dikenal", SEDANG, by_engine=True, aliases=("kode_posyandu_tidak_dikenal",)),
    Finding("desa_tanpa_wilayah_kerja", SEDANG, lower=RENDAH, by_engine=True),
    Finding("puskesmas_tanpa_desa", SEDANG, by_engine=True),
    # the engine finds duplicate report rows still in the store; only the import sees those the store merged
    Finding("laporan_duplikat", RENDAH, persisted_by=LAPORAN, aliases=("duplikat_laporan", "laporan_ganda")),
    # seen only by an import
    Finding("koordinat_tidak_sah", SEDANG, persisted_by=FASILITAS),
    Finding("laporan_kode_belum_diperiksa", RENDAH, persisted_by=LAPORAN),
    Finding("wilayah_duplikat", RENDAH, persisted_by=WILAYAH_KERJA),
    Finding("puskesmas_tidak_dikenal", SEDANG, persisted_by=WILAYAH_KERJA),
    # boundary rows refused (sedang) or repaired / kept with a warning (rendah)
    Finding("kode_kosong", SEDANG, persisted_by=BATAS),
    Finding("kode_tidak_sah", SEDANG, persisted_by=BATAS),
    Finding("nama_terlalu_panjang", SEDANG, persisted_by=BATAS),
    Finding("geometri_kosong", SEDANG, persisted_by=BATAS),
    Finding("bukan_poligon", SEDANG, persisted_by=BATAS),
    Finding("geometri_tidak_sah", SEDANG, persisted_by=BATAS),
    Finding("geometri_diperbaiki", RENDAH, persisted_by=BATAS),
    Finding("jenis_tidak_dikenal", RENDAH, persisted_by=BATAS),
    Finding("kode_wilayah_tidak_cocok", RENDAH, persisted_by=BATAS),
    Finding("penduduk_tidak_sah", RENDAH, persisted_by=BATAS),
)
BY_CODE: Final[dict[str, Finding]] = {f.code: f for f in FINDINGS}
ALIASES: Final[dict[str, str]] = {alias: f.code for f in FINDINGS for alias in f.aliases}
BY_ENGINE: Final[frozenset[str]] = frozenset(f.code for f in FINDINGS if f.by_engine)


def finding(code: str) -> Finding:
    """The kind registered as ``code`` or as one of its aliases (KeyError when unregistered)."""
    return BY_CODE[canonical(code)]


def canonical(code: str) -> str:
    """The registered code of ``code`` (an alias maps to its kind; any other code is returned as is)."""
    return ALIASES.get(code, code)


def tingkat(code: str, *, lower: bool = False) -> str:
    """Severity of ``code``; with ``lower``, its documented lower severity (ValueError when it has none)."""
    kind = finding(code)
    if not lower:
        return kind.tingkat
    if kind.lower is None:
        msg = f"{code} has no lower severity"
        raise ValueError(msg)
    return kind.lower


def persisted_by(importer: str) -> frozenset[str]:
    """Kinds the importer ``importer`` (``fasilitas``, ``laporan``, ...) stores in ``catatan_impor``."""
    return frozenset(f.code for f in FINDINGS if f.persisted_by == importer)
