"""The one registry of import kinds: everything else reads it.

An import kind is what ``python cli.py import KIND FILE`` and the Data page's
"Jenis data" control offer. Each :class:`ImportKind` says which importer reads
it (:mod:`loaders.importing` dispatches on it), which options that importer
takes, which store layer it writes, its byte limit, its column-mapping target
and the one sentence of formats shown by ``cli.py import --help``. The CLI
choices, the Data page's options, the uploader's size texts, the column
mapping and the templates (:data:`loaders.templates.TEMPLATE_KINDS`) are all
derived from :data:`KINDS`, in its one order (the order the README recommends
importing in).

Adding an import format means one entry here, its importer function, its
template in :mod:`loaders.templates`, and its words in :mod:`ui.i18n`
(``impor.kind.<code>``, ``impor.kind_help.<code>``, ``impor.efek.<code>``);
``tests/test_registries.py`` checks the entry against all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from loaders import model
from loaders.columns import LAPORAN, WILAYAH_KERJA
from loaders.exceptions import InputError
from loaders.limits import MAX_BYTES_LAPORAN, MAX_BYTES_TABEL

BOUNDARIES: Final = "boundaries"
FACILITIES: Final = "facilities"
REPORTS: Final = "reports"
WORKING_AREAS: Final = "working-areas"


@dataclass(frozen=True)
class ImportKind:
    """One kind of import.

    Attributes
    ----------
    code
        CLI word, Data page option, template name and i18n key suffix (``boundaries``).
    label
        Indonesian noun for messages (``batas desa``).
    module, function
        The importer, ``module.function(path, *, store, **options)`` returning a
        :class:`~loaders.prepared.PreparedImport` (imported lazily).
    options
        Keyword options the importer accepts (keys of :data:`OPTION_FLAGS`).
    layer
        The store layer written (:data:`loaders.model.LAYER_DESA`, ...).
    max_bytes
        The importer's byte limit shown beside the uploader; None: only the
        server's upload limit applies.
    mapping_target
        Column-mapping target for every sheet (:data:`loaders.columns.LAPORAN`,
        ...); None: decided per sheet (facilities) or not tabular.
    tabular
        The file is a table whose columns the Data page lets the user map.
    formats
        One Indonesian sentence on the accepted files, for ``cli.py import --help``.
    """

    code: str
    label: str
    module: str
    function: str
    options: frozenset[str]
    layer: str
    max_bytes: int | None
    mapping_target: str | None
    tabular: bool
    formats: str

    @property
    def label_key(self) -> str:
        """i18n key of the kind's name (Data page option)."""
        return f"impor.kind.{self.code}"

    @property
    def help_key(self) -> str:
        """i18n key of the kind's explanation under the Data page option."""
        return f"impor.kind_help.{self.code}"

    @property
    def effect_key(self) -> str:
        """i18n key of the sentence on what a commit of this kind changes."""
        return f"impor.efek.{self.code}"


KINDS: Final[tuple[ImportKind, ...]] = (
    ImportKind(
        code=BOUNDARIES,
        label="batas desa",
        module="loaders.boundaries",
        function="prepare_boundaries",
        options=frozenset({"layer"}),
        layer=model.LAYER_DESA,
        max_bytes=None,  # the reader's MAX_BYTES_BATAS equals the server's upload limit
        mapping_target=None,
        tabular=False,
        formats="GeoJSON, Shapefile (.zip atau .shp), GeoPackage, KML, GeoParquet.",
    ),
    ImportKind(
        code=FACILITIES,
        label="fasilitas",
        module="loaders.facilities",
        function="prepare_facilities",
        options=frozenset({"sheet", "jenis", "mapping", "per"}),
        layer=model.LAYER_FASILITAS,
        max_bytes=MAX_BYTES_TABEL,
        mapping_target=None,
        tabular=True,
        formats=(
            "XLSX (semua sheet; nama sheet Puskesmas/Pustu/Posyandu menentukan jenis) atau CSV; "
            "--per YYYY-MM: bulan keadaan data (bawaan: bulan ini)."
        ),
    ),
    ImportKind(
        code=REPORTS,
        label="laporan posyandu",
        module="loaders.reports",
        function="prepare_reports",
        options=frozenset({"sheet", "mapping"}),
        layer=model.LAYER_LAPORAN,
        max_bytes=MAX_BYTES_LAPORAN,
        mapping_target=LAPORAN,
        tabular=True,
        formats="laporan bulanan posyandu (CSV/XLSX, format panjang).",
    ),
    ImportKind(
        code=WORKING_AREAS,
        label="wilayah kerja",
        module="loaders.working_areas",
        function="prepare_working_areas",
        options=frozenset({"sheet", "mapping"}),
        layer=model.LAYER_WILAYAH_KERJA,
        max_bytes=MAX_BYTES_TABEL,
        mapping_target=WILAYAH_KERJA,
        tabular=True,
        formats="desa -> puskesmas.",
    ),
)
CODES: Final[tuple[str, ...]] = tuple(kind.code for kind in KINDS)
BY_CODE: Final[dict[str, ImportKind]] = {kind.code: kind for kind in KINDS}

# Option name -> how the user gives it (CLI flag; the Data page has a field of the same meaning)
OPTION_FLAGS: Final[dict[str, str]] = {
    "sheet": "--sheet",
    "layer": "--layer",
    "jenis": "--type",
    "mapping": "--map",
    "per": "--per",  # the month a facility list describes (its snapshot), YYYY-MM
}

# Facility kinds a facilities import may be told (--type, the Data page select)
FACILITY_KINDS: Final[tuple[str, ...]] = model.JENIS_FASILITAS


def import_kind(code: str) -> ImportKind:
    """The kind registered as ``code``.

    Raises
    ------
    InputError
        Unknown code (the message lists the codes).
    """
    try:
        return BY_CODE[code]
    except KeyError:
        msg = f"Jenis impor '{code}' tidak dikenal. Pilih salah satu: {', '.join(CODES)}."
        raise InputError(msg) from None


def formats_text() -> str:
    """The formats of every kind in one text, ``code: formats`` in registry order (``cli.py import --help``)."""
    return " ".join(f"{kind.code}: {kind.formats}" for kind in KINDS)
