"""Every bound on what Peta ILP reads or keeps, in one place.

A dinas server is shared by everyone in the office, so no file may make it
run out of memory, disk or time. Each reader checks its bound *before* or
*while* it reads (zip members by declared and actual size, XLSX sheets by
their dimension and XML size, CSV by line length, GeoPackage layers by kind
and row count, KML by size), and refuses with an Indonesian message that
names the file and the limit. Imports run in a child process with the memory
and time limits below, so even a parser this module did not foresee cannot
take the server down (:mod:`loaders.isolation`).

The README's table "Batas berkas" lists these values; ``tests/test_readme.py``
keeps the two in step.
"""

from __future__ import annotations

from typing import Final

MEGABYTE: Final = 1024 * 1024
GIGABYTE: Final = 1024 * MEGABYTE

# -- files as uploaded ------------------------------------------------------------------------
MAX_BYTES_TABEL: Final = 50 * MEGABYTE
"""Facility and working-area tables (XLSX/CSV), size on disk."""
MAX_BYTES_LAPORAN: Final = 200 * MEGABYTE
"""Monthly posyandu report tables (XLSX/CSV), size on disk."""
MAX_BYTES_BATAS: Final = 200 * MEGABYTE
"""Boundary files (GeoJSON, Shapefile ZIP, GeoPackage, KML/KMZ, GeoParquet), size on disk."""

# -- archives (ZIP, KMZ, XLSX containers) -------------------------------------------------------
MAX_UNCOMPRESSED_BYTES: Final = 1 * GIGABYTE
"""Total uncompressed content of one archive, as declared by its entries and as actually read."""
MAX_ZIP_ENTRIES: Final = 10_000
"""Entries in one archive."""
MAX_COMPRESSION_RATIO: Final = 200
"""Declared uncompressed size / compressed size of one archive entry larger than
:data:`COMPRESSION_RATIO_FROM_BYTES` (real Shapefile parts stay far below; a zip bomb is near 1,000)."""
COMPRESSION_RATIO_FROM_BYTES: Final = 10 * MEGABYTE
"""Entries smaller than this (declared) are not held to :data:`MAX_COMPRESSION_RATIO`."""
MAX_KML_BYTES: Final = 50 * MEGABYTE
"""One KML document (plain, or the documents inside a KMZ), checked before parsing. GDAL's KML reader
holds about ten times the document in memory (Jawa Barat's 5,957 desa: 25 MB of KML, 266 MB peak)."""
MAX_XLSX_SHEET_XML_BYTES: Final = 200 * MEGABYTE
"""One worksheet's uncompressed XML inside an XLSX (the zipped file can be far smaller); also any other part."""
MAX_XLSX_PART_XML_BYTES: Final = 20 * MEGABYTE
"""One XLSX part read whole into a tree by openpyxl (content types, workbook, its relationships, styles); sheets and
shared strings are streamed and bounded by MAX_XLSX_SHEET_XML_BYTES instead."""
MAX_XLSX_SHARED_STRINGS: Final = 2_000_000
"""Different texts in one XLSX's shared strings (a kabupaten's tables hold tens of thousands; each costs ~70 bytes)."""

# -- tables ------------------------------------------------------------------------------------
MAX_ROWS: Final = 1_000_000
"""Data rows in one CSV file or one XLSX sheet (a kabupaten's reports for two years are ~60,000)."""
MAX_COLUMNS: Final = 500
"""Columns in one table."""
MAX_CELL_CHARS: Final = 10_000
"""Characters in one cell (Excel itself stops at 32,767)."""
MAX_TABLE_CELLS: Final = 20_000_000
"""Cells (rows x columns, empty ones included) of one CSV file, or of all sheets read from one XLSX, so rows and
columns cannot both be at their maximum."""
MAX_LINE_BYTES: Final = 1 * MEGABYTE
"""Bytes in one CSV line."""
MAX_NAME_LENGTH: Final = 200
"""Characters in one name (desa, kecamatan, kabupaten, provinsi, facility)."""

# -- geometry ----------------------------------------------------------------------------------
MAX_FEATURES: Final = 200_000
"""Boundary features in one file (Indonesia has about 83,000 desa)."""
MAX_VERTICES: Final = 50_000_000
"""Vertices over all boundary features of one file."""

# -- the import child process -------------------------------------------------------------------
MAX_IMPORT_MEMORY_BYTES: Final = 6 * GIGABYTE
"""Address space of the child process that reads and validates one import."""
MAX_IMPORT_SECONDS: Final = 600
"""Wall time of that child process."""

# -- the store ---------------------------------------------------------------------------------
STORE_LOCK_SECONDS: Final = 120
"""How long a write waits for another write (import, restore) to finish before it gives up."""
SPARE_BYTES: Final = 1 * MEGABYTE
"""Room a write keeps free beyond its two copies of the store (staging and snapshot) before it starts."""

# -- users file (``pengguna.json``, server sign-in) ---------------------------------------------------
MAX_USERS_FILE_BYTES: Final = 1 * MEGABYTE
"""Size of the users file, checked before it is read (60 puskesmas heads and a few officers take ~30 KB)."""
MAX_USERS: Final = 2_000
"""Users in the users file."""
MIN_PASSWORD_CHARS: Final = 8
"""Shortest password accepted by ``python cli.py users add``."""
MAX_PASSWORD_BYTES: Final = 72
"""Longest password in UTF-8 bytes: bcrypt reads no further, so a longer one is refused rather than cut."""
MAX_LOGIN_FAILURES: Final = 5
"""Failed password sign-ins for one username before it is refused for :data:`LOGIN_LOCK_SECONDS`."""
LOGIN_LOCK_SECONDS: Final = 5 * 60
"""How long a username is refused after :data:`MAX_LOGIN_FAILURES` failed sign-ins."""
MAX_LOGIN_COUNTERS: Final = 10_000
"""Usernames whose failed sign-ins the server keeps counting at once (the oldest are forgotten first)."""

# -- targets (layer ``target``) -----------------------------------------------------------------
MAX_TARGETS: Final = 200
"""Rows of the targets table (indicator and month): a few per indicator is what a dinas sets."""
MAX_TARGET_NOTE_CHARS: Final = 200
"""Characters of a target's note."""

# -- the address (URL) of a page ----------------------------------------------------------------
MAX_URL_PARAMS: Final = 100
"""URL parameters read from one address; the rest are only counted (Streamlit itself drops an address
with more than 1,000 parameters or 512 Ki characters before the app sees it)."""
MAX_URL_VALUE_CHARS: Final = 2_000
"""Characters in one URL parameter value (a longer value is not valid)."""
MAX_URL_VALUES: Final = 100
"""Values read for one URL parameter (repeats and comma-separated items together)."""
MAX_URL_NOTES: Final = 8
"""Notes listed about ignored URL parameters; the rest are counted in one more line."""
