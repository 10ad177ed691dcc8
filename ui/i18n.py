"""Every user-facing string of the dashboard, Indonesian first, English second.

Use :func:`t` for text (``t("filter.kecamatan")``, ``t("peta.count", n=3)``),
:func:`column_label` / :func:`label_columns` for table headers (users never
see raw column names), :func:`status_label` for desa statuses.

The current language is per script run (a :class:`contextvars.ContextVar`,
so two browser sessions never see each other's language): ``app.py`` calls
:func:`set_language` at the top of every run. Code outside a run (tests)
gets Indonesian unless it passes ``lang=``.

Adding a string: add one entry ``"area.name": ("Indonesia", "English")`` to
:data:`STRINGS`; placeholders ``{name}`` must be the same in both languages
(``tests/test_ui_i18n.py`` checks this and that every ``t("...")`` key used
in ``app.py``, ``ui/`` and ``pages/`` exists).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from typing import Final

import pandas as pd

from ui.state import LANGUAGES

_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("ilp_lang", default="id")

STRINGS: Final[dict[str, tuple[str, str]]] = {
    # -- application ----------------------------------------------------------
    "app.title": ("Peta ILP", "Peta ILP"),
    "app.subtitle": (
        "Cakupan pustu dan posyandu aktif per desa (Integrasi Layanan Primer)",
        "Active pustu and posyandu coverage per desa (Integrated Primary Care)",
    ),
    "page.ringkasan": ("Ringkasan", "Overview"),
    "page.peta": ("Peta Kesenjangan", "Gap Map"),
    "page.puskesmas": ("Puskesmas", "Puskesmas"),
    "page.desa": ("Desa", "Desa"),
    "page.data": ("Data", "Data"),
    "page.placeholder": ("Halaman ini sedang disiapkan.", "This page is being prepared."),
    # -- data source ------------------------------------------------------------
    "data.demo": ("Data contoh (sintetis)", "Sample data (synthetic)"),
    "data.demo_help": (
        "Belum ada data yang diimpor, jadi yang tampil adalah data contoh buatan, bukan data nyata. "
        "Impor data kabupaten/kota Anda di halaman Data.",
        "No data has been imported yet, so the dashboard shows made-up sample data, not real data. "
        "Import your district's data on the Data page.",
    ),
    "data.version": ("Versi data {versi}", "Data version {versi}"),
    "data.none.title": ("Belum ada data", "No data yet"),
    "data.none.body": (
        "Impor batas desa, fasilitas, wilayah kerja dan laporan posyandu di halaman Data, "
        "atau buat data contoh dengan perintah `python cli.py demo`.",
        "Import desa boundaries, facilities, working areas and posyandu reports on the Data page, "
        "or create sample data with the command `python cli.py demo`.",
    ),
    "data.no_reports": (
        "Belum ada laporan bulanan posyandu, jadi status desa belum dapat dihitung. "
        "Impor laporan posyandu di halaman Data.",
        "There are no monthly posyandu reports yet, so desa status cannot be computed. "
        "Import posyandu reports on the Data page.",
    ),
    "data.no_match": (
        "Tidak ada desa yang cocok dengan filter ini.",
        "No desa matches these filters.",
    ),
    "data.no_match_hint": (
        "Ubah pilihan di panel samping, atau hapus semua filter.",
        "Change the choices in the side panel, or clear all filters.",
    ),
    "data.error": (
        "Data tidak dapat dibaca: {pesan}",
        "The data cannot be read: {pesan}",
    ),
    # -- sidebar ----------------------------------------------------------------
    "sidebar.language": ("Bahasa / Language", "Bahasa / Language"),
    "sidebar.filters": ("Filter", "Filters"),
    "sidebar.presentasi": ("Mode presentasi", "Presentation mode"),
    "sidebar.presentasi_help": (
        "Menyembunyikan panel dan tombol, huruf besar, peta selebar layar; cocok untuk proyektor.",
        "Hides panels and controls, large type, full-width map; suited to a projector.",
    ),
    "sidebar.share": (
        "Alamat halaman ini menyimpan semua pilihan: salin alamatnya untuk membagikan tampilan yang sama.",
        "This page's address keeps every choice: copy it to share exactly this view.",
    ),
    "filter.kabupaten": ("Kabupaten/kota", "District/city"),
    "filter.kecamatan": ("Kecamatan", "Kecamatan (sub-district)"),
    "filter.puskesmas": ("Puskesmas", "Puskesmas"),
    "filter.status": ("Status desa", "Desa status"),
    "filter.bulan": ("Bulan", "Month"),
    "filter.all_kabupaten": ("Semua kabupaten/kota", "All districts/cities"),
    "filter.all_kecamatan": ("Semua kecamatan", "All kecamatan"),
    "filter.all_puskesmas": ("Semua puskesmas", "All puskesmas"),
    "filter.all_status": ("Semua status", "All statuses"),
    "filter.no_month": ("Belum ada bulan laporan", "No report month yet"),
    "filter.reset": ("Hapus filter", "Clear filters"),
    "presentasi.exit": ("Keluar dari mode presentasi", "Leave presentation mode"),
    # -- URL notes ----------------------------------------------------------------
    "note.title": (
        "Sebagian parameter di alamat halaman diabaikan:",
        "Some parameters in the page address were ignored:",
    ),
    "note.tidak_dikenal": ("`{key}` bukan parameter yang dikenal", "`{key}` is not a known parameter"),
    "note.tidak_sah": ("`{key}={value}` tidak sah", "`{key}={value}` is not valid"),
    "note.berulang": (
        "`{key}` diberikan beberapa kali ({value}); dipakai nilai terakhir",
        "`{key}` was given several times ({value}); the last value is used",
    ),
    "note.tidak_ada_di_data": (
        "`{key}={value}` tidak ada di data",
        "`{key}={value}` is not in the data",
    ),
    "note.dismiss": ("Tutup pesan", "Dismiss"),
    # -- statuses -------------------------------------------------------------------
    "status.lengkap": ("Lengkap", "Complete"),
    "status.tanpa_pustu": ("Tanpa pustu aktif", "No active pustu"),
    "status.tanpa_posyandu_aktif": ("Tanpa posyandu aktif", "No active posyandu"),
    "status.tanpa_keduanya": ("Tanpa keduanya", "Neither"),
    "status.lengkap.desc": (
        "ada pustu aktif dan posyandu aktif",
        "has an active pustu and an active posyandu",
    ),
    "status.tanpa_pustu.desc": ("posyandu aktif ada, pustu aktif tidak", "active posyandu, no active pustu"),
    "status.tanpa_posyandu_aktif.desc": (
        "pustu aktif ada, posyandu aktif tidak",
        "active pustu, no active posyandu",
    ),
    "status.tanpa_keduanya.desc": (
        "tidak ada pustu aktif maupun posyandu aktif",
        "neither an active pustu nor an active posyandu",
    ),
    "status.unknown": ("Tidak diketahui", "Unknown"),
    # -- indicator cards --------------------------------------------------------------
    "metric.desa": ("Jumlah desa", "Desa"),
    "metric.desa.help": (
        "Banyaknya desa/kelurahan yang cocok dengan filter.",
        "Number of desa/kelurahan matching the filters.",
    ),
    "metric.pct_desa_pustu_aktif": ("Desa dengan pustu aktif", "Desa with an active pustu"),
    "metric.pct_desa_pustu_aktif.help": (
        "Persen desa yang memiliki paling sedikit satu pustu berstatus aktif.",
        "Share of desa with at least one active pustu.",
    ),
    "metric.pct_desa_posyandu_aktif": ("Desa dengan posyandu aktif", "Desa with an active posyandu"),
    "metric.pct_desa_posyandu_aktif.help": (
        "Persen desa yang memiliki paling sedikit satu posyandu aktif (buka sesuai aturan di halaman Data).",
        "Share of desa with at least one active posyandu (open as set by the rules on the Data page).",
    ),
    "metric.desa_tanpa_keduanya": ("Desa tanpa keduanya", "Desa with neither"),
    "metric.desa_tanpa_keduanya.help": (
        "Desa tanpa pustu aktif dan tanpa posyandu aktif: prioritas utama.",
        "Desa with neither an active pustu nor an active posyandu: top priority.",
    ),
    "metric.pct_posyandu_aktif": ("Posyandu aktif", "Active posyandu"),
    "metric.pct_posyandu_aktif.help": (
        "Persen posyandu yang buka paling sedikit {min} dari {jendela} bulan terakhir.",
        "Share of posyandu open in at least {min} of the last {jendela} months.",
    ),
    "metric.pct_kelengkapan_laporan": ("Kelengkapan laporan", "Report completeness"),
    "metric.pct_kelengkapan_laporan.help": (
        "Persen posyandu yang mengirim laporan pada bulan terpilih.",
        "Share of posyandu that sent a report for the chosen month.",
    ),
    "metric.delta_unit": ("poin", "pts"),
    "metric.delta_note": (
        "Perubahan dibanding {bulan} dengan filter yang sama.",
        "Change against {bulan} with the same filters.",
    ),
    "metric.no_previous": (
        "Belum ada bulan sebelumnya untuk dibandingkan.",
        "There is no earlier month to compare with.",
    ),
    # -- shared captions -----------------------------------------------------------------
    "scope.all": ("Semua wilayah", "All areas"),
    "scope.kecamatan_n": ("{n} kecamatan", "{n} kecamatan"),
    "scope.status_n": ("status: {daftar}", "status: {daftar}"),
    "scope.line": ("{wilayah} · {bulan}", "{wilayah} · {bulan}"),
    # -- Ringkasan ------------------------------------------------------------------------
    "ringkasan.title": ("Ringkasan", "Overview"),
    "ringkasan.map": ("Status desa", "Desa status"),
    "ringkasan.bar": ("Kesenjangan per wilayah", "Gaps per area"),
    "ringkasan.group": ("Kelompokkan per", "Group by"),
    "ringkasan.trend": ("Tren indikator", "Indicator trend"),
    "ringkasan.trend_single": (
        "Baru ada satu bulan laporan; tren tampil setelah ada dua bulan atau lebih.",
        "There is only one report month; the trend appears once there are two or more.",
    ),
    "group.kecamatan": ("Kecamatan", "Kecamatan"),
    "group.puskesmas": ("Puskesmas", "Puskesmas"),
    "chart.desa": ("Jumlah desa", "Number of desa"),
    "chart.bulan": ("Bulan", "Month"),
    "chart.persen": ("Persen", "Percent"),
    "chart.indikator": ("Indikator", "Indicator"),
    "chart.status": ("Status desa", "Desa status"),
    "chart.kesenjangan": ("Desa dengan kesenjangan", "Desa with gaps"),
    # -- maps -----------------------------------------------------------------------------------
    "map.legend.title": ("Status desa", "Desa status"),
    "map.legend.facilities": ("Fasilitas", "Facilities"),
    "map.layer.desa": ("Desa", "Desa"),
    "map.layer.puskesmas": ("Puskesmas", "Puskesmas"),
    "map.layer.pustu": ("Pustu", "Pustu"),
    "map.layer.posyandu_aktif": ("Posyandu aktif", "Active posyandu"),
    "map.layer.posyandu_tidak_aktif": ("Posyandu tidak aktif", "Inactive posyandu"),
    "map.pustu_tidak_aktif": ("Pustu tidak aktif (garis)", "Inactive pustu (outline)"),
    "map.tip.jenis": ("Jenis", "Kind"),
    "map.tip.nama": ("Nama", "Name"),
    "map.tip.status": ("Status", "Status"),
    "map.tip.posyandu": ("Posyandu aktif / total", "Active / total posyandu"),
    "map.fac.aktif": ("Aktif", "Active"),
    "map.fac.tidak_aktif": ("Tidak aktif", "Inactive"),
    "map.tip.bulan_buka": ("Bulan buka", "Months open"),
    "map.no_geometry": (
        "Desa terpilih belum memiliki batas wilayah di data; peta tidak dapat digambar.",
        "The selected desa have no boundaries in the data; the map cannot be drawn.",
    ),
    "map.basemap_none": (
        "Tanpa peta dasar (luring). Atur variabel ILP_TILES untuk memakai peta dasar.",
        "No basemap (offline). Set the ILP_TILES variable to use a basemap.",
    ),
    # -- Peta Kesenjangan -------------------------------------------------------------------------
    "peta.title": ("Peta Kesenjangan", "Gap Map"),
    "peta.table": ("Desa dengan kesenjangan", "Desa with gaps"),
    "peta.help": (
        "Klik desa di peta atau pilih baris di tabel untuk membuka profil desa. "
        "Lapisan fasilitas dapat dinyalakan dan dimatikan di kotak lapisan pada peta.",
        "Click a desa on the map or pick a table row to open the desa profile. "
        "Facility layers can be switched on and off in the layer box on the map.",
    ),
    "peta.count": (
        "{n} dari {total} desa memiliki kesenjangan",
        "{n} of {total} desa have a gap",
    ),
    "peta.no_gaps": (
        "Semua desa yang terpilih sudah lengkap: ada pustu aktif dan posyandu aktif.",
        "Every selected desa is complete: it has an active pustu and an active posyandu.",
    ),
    # -- columns (users never see raw names) ---------------------------------------------------------
    "col.kode": ("Kode", "Code"),
    "col.nama": ("Nama", "Name"),
    "col.kode_desa": ("Kode desa", "Desa code"),
    "col.nama_desa": ("Desa", "Desa"),
    "col.kode_kecamatan": ("Kode kecamatan", "Kecamatan code"),
    "col.nama_kecamatan": ("Kecamatan", "Kecamatan"),
    "col.kode_kabupaten": ("Kode kabupaten/kota", "District code"),
    "col.nama_kabupaten": ("Kabupaten/kota", "District/city"),
    "col.kode_provinsi": ("Kode provinsi", "Province code"),
    "col.nama_provinsi": ("Provinsi", "Province"),
    "col.kode_puskesmas": ("Kode puskesmas", "Puskesmas code"),
    "col.nama_puskesmas": ("Puskesmas", "Puskesmas"),
    "col.puskesmas": ("Puskesmas", "Puskesmas"),
    "col.jenis": ("Jenis", "Kind"),
    "col.penduduk": ("Penduduk", "Population"),
    "col.pustu_aktif": ("Pustu aktif", "Active pustu"),
    "col.pustu_total": ("Pustu", "Pustu"),
    "col.pustu_standar": ("Pustu sesuai standar", "Pustu meeting standard"),
    "col.ada_puskesmas": ("Ada puskesmas", "Has a puskesmas"),
    "col.posyandu_total": ("Posyandu", "Posyandu"),
    "col.posyandu_aktif": ("Posyandu aktif", "Active posyandu"),
    "col.posyandu_lapor": ("Posyandu melapor", "Posyandu reporting"),
    "col.jarak_pustu_km": ("Jarak ke pustu aktif (km)", "Distance to active pustu (km)"),
    "col.status": ("Status", "Status"),
    "col.bulan": ("Bulan", "Month"),
    "col.desa": ("Desa", "Desa"),
    "col.desa_lengkap": ("Desa lengkap", "Complete desa"),
    "col.desa_tanpa_pustu": ("Desa tanpa pustu aktif", "Desa without active pustu"),
    "col.desa_tanpa_posyandu_aktif": ("Desa tanpa posyandu aktif", "Desa without active posyandu"),
    "col.desa_tanpa_keduanya": ("Desa tanpa keduanya", "Desa with neither"),
    "col.pct_lengkap": ("% desa lengkap", "% complete desa"),
    "col.pct_tanpa_pustu": ("% desa tanpa pustu aktif", "% desa without active pustu"),
    "col.pct_tanpa_posyandu_aktif": ("% desa tanpa posyandu aktif", "% desa without active posyandu"),
    "col.pct_tanpa_keduanya": ("% desa tanpa keduanya", "% desa with neither"),
    "col.desa_pustu_aktif": ("Desa dengan pustu aktif", "Desa with active pustu"),
    "col.pct_desa_pustu_aktif": ("% desa dengan pustu aktif", "% desa with active pustu"),
    "col.desa_posyandu_aktif": ("Desa dengan posyandu aktif", "Desa with active posyandu"),
    "col.pct_desa_posyandu_aktif": ("% desa dengan posyandu aktif", "% desa with active posyandu"),
    "col.pct_posyandu_aktif": ("% posyandu aktif", "% active posyandu"),
    "col.pct_kelengkapan_laporan": ("Kelengkapan laporan (%)", "Report completeness (%)"),
    "col.pct_pustu_standar": ("% pustu sesuai standar", "% pustu meeting standard"),
    "col.kesenjangan": ("Kesenjangan", "Gap"),
}

_COLUMN_PREFIX: Final = "col."


def set_language(lang: str) -> None:
    """Set the language of this script run (``id`` or ``en``; anything else -> ``id``)."""
    _LANG.set(lang if lang in LANGUAGES else "id")


def get_language() -> str:
    """The language of this script run."""
    return _LANG.get()


def t(key: str, /, *, lang: str | None = None, **fmt: object) -> str:
    """Return the text of ``key`` in the current language, formatted with ``fmt``.

    Parameters
    ----------
    key
        A key of :data:`STRINGS`; an unknown key raises KeyError (a bug the
        i18n test catches).
    lang
        Override the run's language.
    **fmt
        Values for ``{placeholders}``.
    """
    indonesian, english = STRINGS[key]
    text = english if (lang or _LANG.get()) == "en" else indonesian
    return text.format(**fmt) if fmt else text


def has_column_label(column: str) -> bool:
    """True when ``column`` has a user-facing label."""
    return f"{_COLUMN_PREFIX}{column}" in STRINGS


def column_label(column: str, *, lang: str | None = None) -> str:
    """User-facing label of a data column (KeyError for an unlabelled column)."""
    return t(f"{_COLUMN_PREFIX}{column}", lang=lang)


def label_columns(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Return a copy of ``frame`` with only ``columns`` (default: all), renamed to labels."""
    chosen = list(columns) if columns is not None else list(frame.columns)
    return frame.loc[:, chosen].rename(columns={c: column_label(c) for c in chosen})


def status_label(status: object, *, lang: str | None = None) -> str:
    """Label of a desa status code (``tanpa_pustu`` -> ``Tanpa pustu aktif``)."""
    key = f"status.{status}"
    return t(key, lang=lang) if key in STRINGS else t("status.unknown", lang=lang)
