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

from geo.rules import RULE_BY_FIELD
from ui.state import LANGUAGES

_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("ilp_lang", default="id")
_MIN_RULE: Final = RULE_BY_FIELD["posyandu_min_bulan"]
_WINDOW_RULE: Final = RULE_BY_FIELD["posyandu_jendela_bulan"]
# Placeholders :func:`t` fills itself, from the rule registry (so no default is written here as a literal).
FIXED_VALUES: Final[dict[str, dict[str, object]]] = {
    "note.aturan_bentrok": {
        "min_key": _MIN_RULE.url_key,
        "min_default": _MIN_RULE.default,
        "jendela_key": _WINDOW_RULE.url_key,
        "jendela_default": _WINDOW_RULE.default,
    },
}

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
    "page.bandingkan": ("Bandingkan", "Compare"),
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
        "Menyembunyikan panel samping; filter ringkas di atas halaman, huruf besar, peta lebar; cocok untuk "
        "proyektor. Tombol panah kiri dan kanan mengganti bulan.",
        "Hides the side panel; compact filters above the page, large type, a wide map; suited to a projector. "
        "The left and right arrow keys change the month.",
    ),
    "sidebar.share": (
        "Alamat halaman ini menyimpan semua pilihan: salin alamatnya untuk membagikan tampilan yang sama.",
        "This page's address keeps every choice: copy it to share exactly this view.",
    ),
    "filter.provinsi": ("Provinsi", "Province"),
    "filter.all_provinsi": ("Semua provinsi", "All provinces"),
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
    "presentasi.halaman": ("Halaman", "Page"),
    "presentasi.filter": ("Filter tampilan", "View filters"),
    "presentasi.bulan_sebelum": ("Bulan sebelumnya (tombol panah kiri)", "Previous month (left arrow key)"),
    "presentasi.bulan_berikut": ("Bulan berikutnya (tombol panah kanan)", "Next month (right arrow key)"),
    "presentasi.status_n": ("{n} status", "{n} statuses"),
    # -- URL notes ----------------------------------------------------------------
    "note.title": (
        "Sebagian parameter di alamat halaman diabaikan:",
        "Some parameters in the page address were ignored:",
    ),
    "note.tidak_dikenal": ("`{key}` bukan parameter yang dikenal", "`{key}` is not a known parameter"),
    "note.tidak_sah": ("`{key}={value}` tidak sah", "`{key}={value}` is not valid"),
    "note.berulang": (
        "`{key}` diberikan beberapa kali (`{value}`); dipakai nilai terakhir",
        "`{key}` was given several times (`{value}`); the last value is used",
    ),
    "note.tidak_ada_di_data": (
        "`{key}={value}` tidak ada di data",
        "`{key}={value}` is not in the data",
    ),
    "note.aturan_bentrok": (
        "`{key}={value}` tidak dipakai: minimal bulan buka posyandu (`{min_key}`, bawaan {min_default}) tidak "
        "boleh lebih dari jendela (`{jendela_key}`, bawaan {jendela_default}); keduanya memakai nilai bawaan",
        "`{key}={value}` is not used: the posyandu minimum months open (`{min_key}`, default {min_default}) cannot "
        "exceed the window (`{jendela_key}`, default {jendela_default}); both keep their defaults",
    ),
    "note.lainnya": ("… dan {value} lagi yang diabaikan", "… and {value} more ignored"),
    "note.di_luar_wilayah": (
        "`{key}` di luar wilayah Anda tidak dipakai: Anda hanya dapat melihat wilayah {value}",
        "`{key}` outside your area is not used: you can only see the area of {value}",
    ),
    "access.tulis_ditolak": (
        "Hanya admin yang dapat mengubah data (impor, pulihkan versi, aturan, target). Peran Anda: {peran}. "
        "Minta admin dinas kesehatan untuk melakukannya.",
        "Only an admin can change data (import, restore, rules, targets). Your role: {peran}. "
        "Ask the dinas kesehatan admin to do it.",
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
    "status.tanpa_data": ("Belum ada data", "No data yet"),
    "status.tanpa_data.desc": (
        "kabupaten/kota desa ini belum punya data fasilitas; tidak dihitung dalam persen",
        "its kabupaten/kota has no facility data yet; left out of every percentage",
    ),
    "status.unknown": ("Tidak diketahui", "Unknown"),
    # -- two months compared (geo.compare: one label and meaning per change) -------------
    "perubahan.memburuk": ("Memburuk", "Worse"),
    "perubahan.memburuk.desc": ("kekurangannya bertambah", "it lacks more than before"),
    "perubahan.berubah": ("Berubah", "Changed"),
    "perubahan.berubah.desc": (
        "kekurangannya lain, tidak bertambah dan tidak berkurang",
        "it lacks something else, neither more nor less",
    ),
    "perubahan.membaik": ("Membaik", "Improved"),
    "perubahan.membaik.desc": ("kekurangannya berkurang", "it lacks less than before"),
    "perubahan.tetap": ("Tetap", "Unchanged"),
    "perubahan.tetap.desc": ("status sama di kedua bulan", "the same status in both months"),
    "perubahan.tanpa_data": ("Belum ada data", "No data yet"),
    "perubahan.tanpa_data.desc": (
        "kabupaten/kotanya belum punya data fasilitas, jadi tidak dibandingkan",
        "its kabupaten/kota has no facility data yet, so it is not compared",
    ),
    "banding.title": ("Bandingkan dua bulan", "Compare two months"),
    "banding.help": (
        "Status desa bulan {sebelum} dan {sesudah} berdampingan; kedua peta bergeser dan diperbesar bersama. "
        "Bulan {sesudah} dipilih di filter bulan, bulan pembanding di sini.",
        "Desa status in {sebelum} and {sesudah} side by side; both maps pan and zoom together. "
        "{sesudah} is chosen in the month filter, the month compared with here.",
    ),
    "banding.picker": ("Dibandingkan dengan bulan", "Compared with month"),
    "banding.later": (
        "Bulan pembanding ({sebelum}) sesudah bulan yang dipilih ({sesudah}): perubahan dibaca dari {sebelum} ke "
        "{sesudah}.",
        "The month compared with ({sebelum}) is after the chosen month ({sesudah}): changes are read from "
        "{sebelum} to {sesudah}.",
    ),
    "banding.status_map": ("Status desa {bulan}", "Desa status {bulan}"),
    "banding.change_map": ("Perubahan status {sebelum} → {sesudah}", "Status change {sebelum} → {sesudah}"),
    "banding.cards": ("Jumlah desa per perubahan", "Desa per change"),
    "banding.table": ("Desa yang statusnya berubah", "Desa whose status changed"),
    "banding.count": (
        "{n} dari {total} desa berubah status antara {sebelum} dan {sesudah}.",
        "{n} of {total} desa changed status between {sebelum} and {sesudah}.",
    ),
    "banding.no_changes": (
        "Tidak ada desa yang statusnya berubah antara {sebelum} dan {sesudah}.",
        "No desa changed status between {sebelum} and {sesudah}.",
    ),
    "banding.large_scope": (
        "Wilayah ini memuat {n} desa, lebih dari {batas}: peta perubahan hanya digambar per desa. "
        "Pilih kabupaten/kota atau kecamatan di filter untuk melihatnya; tabel di bawah memuat semua desa.",
        "This area holds {n} desa, more than {batas}: the change map is drawn by desa only. "
        "Choose a kabupaten/kota or kecamatan in the filters to see it; the table below holds every desa.",
    ),
    "banding.status_filter": (
        "Filter status tidak dipakai di halaman ini: semua desa wilayah ini dibandingkan.",
        "The status filter does not apply on this page: every desa of the area is compared.",
    ),
    "banding.tip.change": ("Perubahan", "Change"),
    # -- indicator cards --------------------------------------------------------------
    "metric.desa": ("Jumlah desa", "Desa"),
    "metric.desa.help": (
        "Banyaknya desa/kelurahan yang cocok dengan filter.",
        "Number of desa/kelurahan matching the filters.",
    ),
    "metric.pct_desa_pustu_aktif": ("Desa dengan pustu aktif", "Desa with an active pustu"),
    "metric.pct_desa_pustu_aktif.help": (
        "Persen desa (yang sudah ada data fasilitas) yang memiliki paling sedikit satu pustu berstatus aktif.",
        "Share of desa (with facility data) with at least one active pustu.",
    ),
    "metric.pct_desa_posyandu_aktif": ("Desa dengan posyandu aktif", "Desa with an active posyandu"),
    "metric.pct_desa_posyandu_aktif.help": (
        "Persen desa yang memiliki paling sedikit satu posyandu aktif (buka sesuai aturan di halaman Data), "
        "dari desa di kabupaten/kota yang sudah ada laporan posyandu.",
        "Share of desa with at least one active posyandu (open as set by the rules on the Data page), "
        "of the desa in kabupaten/kota with posyandu reports.",
    ),
    "metric.desa_tanpa_keduanya": ("Desa tanpa keduanya", "Desa with neither"),
    "metric.desa_tanpa_keduanya.help": (
        "Desa tanpa pustu aktif dan tanpa posyandu aktif: prioritas utama.",
        "Desa with neither an active pustu nor an active posyandu: top priority.",
    ),
    "metric.pct_posyandu_aktif": ("Posyandu aktif", "Active posyandu"),
    "metric.pct_posyandu_aktif.help": (
        "Persen posyandu yang buka paling sedikit {min} dari {jendela} bulan terakhir (posyandu di "
        "kabupaten/kota tanpa laporan sama sekali belum melapor dan tidak dihitung).",
        "Share of posyandu open in at least {min} of the last {jendela} months (posyandu of a "
        "kabupaten/kota with no reports at all have not reported yet and are left out).",
    ),
    "metric.pct_kelengkapan_laporan": ("Kelengkapan laporan", "Report completeness"),
    "metric.pct_kelengkapan_laporan.help": (
        "Persen posyandu yang mengirim laporan pada bulan terpilih.",
        "Share of posyandu that sent a report for the chosen month.",
    ),
    "metric.pct_pustu_standar": ("Pustu dengan tenaga lengkap", "Pustu fully staffed"),
    "metric.pct_pustu_standar.help": (
        "1 perawat + 1 bidan: persen pustu aktif yang punya paling sedikit satu perawat dan satu bidan.",
        "1 nurse + 1 midwife: share of active pustu with at least one perawat (nurse) and one bidan (midwife).",
    ),
    "metric.desa_tanpa_data": ("Belum ada data", "No data yet"),
    "metric.desa_tanpa_data.value": ("{desa} desa · {kab} kab/kota", "{desa} desa · {kab} kab/kota"),
    "metric.desa_tanpa_data.help": (
        "Desa dan kabupaten/kota yang belum punya data fasilitas di penyimpanan. Desa itu berstatus "
        "'Belum ada data' dan tidak dihitung dalam persen mana pun.",
        "Desa and kabupaten/kota with no facility data in the store yet. Those desa have the status "
        "'No data yet' and are left out of every percentage.",
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
    "scope.nasional": ("Indonesia", "Indonesia"),
    "level.provinsi": ("Provinsi", "Province"),
    "level.kabupaten": ("Kabupaten/kota", "District/city"),
    "level.kecamatan": ("Kecamatan", "Kecamatan (sub-district)"),
    "level.desa": ("Desa/kelurahan", "Desa/kelurahan (village)"),
    # Map image and PDF exports (ui/report_map.py)
    "peta_ekspor.judul": ("Status layanan ILP per desa", "ILP service status per desa"),
    "peta_ekspor.judul_puskesmas": (
        "Status layanan ILP per desa, wilayah kerja Puskesmas {nama}",
        "ILP service status per desa, working area of Puskesmas {nama}",
    ),
    "peta_ekspor.subjudul": ("{area} · {bulan}", "{area} · {bulan}"),
    "peta_ekspor.legenda": ("Status desa", "Desa status"),
    "peta_ekspor.legenda_item": ("{label} ({n} desa)", "{label} ({n} desa)"),
    "peta_ekspor.jumlah": ("Jumlah: {n} desa", "Total: {n} desa"),
    "peta_ekspor.batas_desa": ("Batas desa", "Desa border"),
    "peta_ekspor.batas.kecamatan": ("Batas kecamatan", "Kecamatan border"),
    "peta_ekspor.batas.kabupaten": ("Batas kabupaten/kota", "District/city border"),
    "peta_ekspor.batas.provinsi": ("Batas provinsi", "Province border"),
    "peta_ekspor.utara": ("U", "N"),
    "peta_ekspor.dibuat": ("Dibuat {tanggal}", "Made {tanggal}"),
    "peta_ekspor.aturan": (
        "Posyandu aktif: buka paling sedikit {min} dari {jendela} bulan terakhir",
        "Active posyandu: open in at least {min} of the last {jendela} months",
    ),
    "peta_ekspor.sumber": (
        "Sumber: Peta ILP; batas desa dari berkas batas wilayah yang diimpor dinas kesehatan; "
        "data fasilitas dan laporan dinas kesehatan",
        "Source: Peta ILP; desa boundaries from the boundary file imported by the health office; "
        "facility data and reports of the health office",
    ),
    "peta_ekspor.tabel.kecamatan": ("Indikator per kecamatan, {bulan}", "Indicators per kecamatan, {bulan}"),
    "peta_ekspor.tabel.puskesmas": ("Indikator per puskesmas, {bulan}", "Indicators per puskesmas, {bulan}"),
    "peta_ekspor.tabel.desa": (
        "Desa di wilayah kerja Puskesmas {nama}, {bulan}",
        "Desa in the working area of Puskesmas {nama}, {bulan}",
    ),
    "peta_ekspor.lanjutan": ("(lanjutan)", "(continued)"),
    "peta_ekspor.halaman": ("Halaman {n} dari {total}", "Page {n} of {total}"),
    "scope.kecamatan_n": ("{n} kecamatan", "{n} kecamatan"),
    "scope.status_n": ("status: {daftar}", "status: {daftar}"),
    "scope.line": ("{wilayah} · {bulan}", "{wilayah} · {bulan}"),
    "scope.aturan": ("aturan: {daftar}", "rules: {daftar}"),
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
    "ringkasan.trend_incomplete": (
        "Posyandu aktif dan desa dengan posyandu aktif dikosongkan untuk {dari}–{sampai}: jendela {jendela} bulan "
        "belum lengkap (laporan baru ada sejak {awal}).",
        "Active posyandu and desa with an active posyandu are left blank for {dari}–{sampai}: the {jendela}-month "
        "window is not complete yet (reports start in {awal}).",
    ),
    "ringkasan.pustu_tanpa_tanggal": (
        "Status pustu tidak bertanggal: dianggap tetap sepanjang waktu, jadi garis desa dengan pustu aktif datar. "
        "Agar trennya nyata, impor daftar pustu dengan kolom Tanggal Aktif/Tanggal Nonaktif, atau impor ulang "
        "setiap bulan atau triwulan dengan bulan keadaannya (halaman Data, atau --per di CLI).",
        "Pustu status has no dates: it is held constant over time, so the line of desa with an active pustu is flat. "
        "For a real trend, import the pustu list with Tanggal Aktif/Tanggal Nonaktif columns, or re-import it every "
        "month or quarter with the month it describes (Data page, or --per in the CLI).",
    ),
    "ringkasan.pustu_awal": (
        "Status pustu {dari}–{sampai} memakai keadaan paling awal yang diketahui (daftar per {awal}): belum ada "
        "data pustu bertanggal untuk bulan-bulan itu.",
        "Pustu status for {dari}–{sampai} uses the earliest known state (the list as of {awal}): there is no dated "
        "pustu data for those months yet.",
    ),
    "ringkasan.bar_top": (
        "{n} dari {total} {kelompok} dengan desa berkesenjangan terbanyak.",
        "The {n} of {total} {kelompok} with the most desa with gaps.",
    ),
    "ringkasan.bar_all_shown": (
        "Semua {total} {kelompok}, diurutkan dari desa berkesenjangan terbanyak; gulir untuk melihat semuanya.",
        "All {total} {kelompok}, most desa with gaps first; scroll to see them all.",
    ),
    "ringkasan.bar_show_all": ("Semua ({total})", "All ({total})"),
    "group.provinsi": ("Provinsi", "Province"),
    "group.kabupaten": ("Kabupaten/kota", "District/city"),
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
    "map.legend.gap_share": ("Desa berkesenjangan", "Desa with a gap"),
    "map.legend.staffing": ("Tenaga pustu desa", "Pustu staffing of the desa"),
    "map.legend.staffing_share": ("% pustu dengan tenaga lengkap", "% pustu fully staffed"),
    "map.tip.staffing": ("Tenaga pustu", "Pustu staffing"),
    "staffing.tenaga_lengkap": ("Tenaga lengkap", "Fully staffed"),
    "staffing.tenaga_lengkap.desc": (
        "Ada pustu aktif dengan paling sedikit 1 perawat dan 1 bidan.",
        "An active pustu with at least 1 perawat (nurse) and 1 bidan (midwife).",
    ),
    "staffing.belum_lengkap": ("Pustu aktif, tenaga belum lengkap", "Active pustu, staffing incomplete"),
    "staffing.belum_lengkap.desc": (
        "Ada pustu aktif, tetapi tidak satu pun punya 1 perawat dan 1 bidan.",
        "Active pustu, but none has 1 perawat and 1 bidan.",
    ),
    "staffing.tanpa_pustu_aktif": ("Tidak ada pustu aktif", "No active pustu"),
    "staffing.tanpa_pustu_aktif.desc": (
        "Tidak ada pustu aktif, jadi belum ada tenaga pustu untuk dinilai.",
        "No active pustu, so there is no pustu staffing to judge.",
    ),
    "staffing.tanpa_data": ("Belum ada data", "No data yet"),
    "staffing.tanpa_data.desc": (
        "Kabupaten/kota ini belum punya data fasilitas di penyimpanan.",
        "This kabupaten/kota has no facility data in the store yet.",
    ),
    "map.tip.gap_share": ("Desa berkesenjangan", "Desa with a gap"),
    "map.tip.desa": ("Jumlah desa", "Desa"),
    "map.tip.desa_tanpa_data": ("Desa belum ada data", "Desa without data"),
    "map.tip.drill": ("Klik untuk masuk ke wilayah ini", "Click to open this area"),
    "map.level_note": (
        "Peta menampilkan {n} {tingkat} (lebih dari {batas} desa dalam cakupan ini); klik wilayah untuk masuk.",
        "The map shows {n} {tingkat} (more than {batas} desa in this scope); click an area to open it.",
    ),
    "map.layer.desa": ("Desa", "Desa"),
    "map.layer.puskesmas": ("Puskesmas", "Puskesmas"),
    "map.layer.pustu": ("Pustu", "Pustu"),
    "map.layer.posyandu_aktif": ("Posyandu aktif", "Active posyandu"),
    "map.layer.posyandu_tidak_aktif": ("Posyandu tidak aktif", "Inactive posyandu"),
    "map.layer.posyandu_belum_melapor": ("Posyandu belum melapor", "Posyandu not reported yet"),
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
    "peta.unit_table": ("Kesenjangan per {tingkat}", "Gaps per {tingkat}"),
    "peta.unit_help": (
        "Persentase dihitung dari desa yang sudah ada datanya. Pilih baris, atau klik wilayah di peta, untuk "
        "masuk ke wilayah itu.",
        "Shares are of the desa with data. Select a row, or click an area on the map, to open that area.",
    ),
    "peta.help": (
        "Klik desa di peta atau pilih baris di tabel untuk membuka profil desa. "
        "Lapisan fasilitas dapat dinyalakan dan dimatikan lewat tombol lapisan di pojok kanan atas peta.",
        "Click a desa on the map or pick a table row to open the desa profile. "
        "Facility layers can be switched on and off with the layers button in the map's top-right corner.",
    ),
    "peta.count": (
        "{n} dari {total} desa memiliki kesenjangan",
        "{n} of {total} desa have a gap",
    ),
    "peta.col.pustu": ("Pustu aktif", "Active pustu"),
    "peta.col.pustu_standar": ("Tenaga lengkap", "Fully staffed"),
    "peta.warna": ("Warnai peta menurut", "Colour the map by"),
    "peta.warna.status": ("Status desa", "Desa status"),
    "peta.warna.tenaga": ("Tenaga pustu", "Pustu staffing"),
    "peta.warna.help": (
        "Status desa: pustu dan posyandu aktif. Tenaga pustu: desa menurut pustu aktif dengan 1 perawat + 1 bidan; "
        "wilayah menurut persen pustu dengan tenaga lengkap.",
        "Desa status: active pustu and posyandu. Pustu staffing: desa by active pustu with 1 perawat + 1 bidan; "
        "areas by the share of pustu fully staffed.",
    ),
    "peta.col.posyandu": ("Posyandu aktif", "Active posyandu"),
    "peta.col.jarak": ("Jarak pustu", "Pustu distance"),  # values carry "km"
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
    "col.pustu_standar": ("Pustu dengan tenaga lengkap", "Pustu fully staffed"),
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
    "col.desa_tanpa_data": ("Desa belum ada data", "Desa without data"),
    "col.pct_tanpa_data": ("% desa belum ada data", "% desa without data"),
    "col.desa_ada_data": ("Desa dengan data fasilitas", "Desa with facility data"),
    "col.desa_ada_laporan": ("Desa dengan laporan posyandu", "Desa with posyandu reports"),
    "col.kabupaten_tanpa_data": ("Kab/kota belum ada data", "Districts without data"),
    "col.posyandu_dinilai": ("Posyandu dengan laporan kab/kota", "Posyandu in districts with reports"),
    "col.ada_data": ("Ada data fasilitas", "Has facility data"),
    "col.ada_laporan": ("Ada laporan posyandu", "Has posyandu reports"),
    "col.belum_melapor": ("Belum melapor", "Not reported yet"),
    "col.desa_kesenjangan": ("Desa berkesenjangan", "Desa with a gap"),
    "col.pct_kesenjangan": ("% desa berkesenjangan", "% desa with a gap"),
    "col.desa_pustu_aktif": ("Desa dengan pustu aktif", "Desa with active pustu"),
    "col.pct_desa_pustu_aktif": ("% desa dengan pustu aktif", "% desa with active pustu"),
    "col.desa_posyandu_aktif": ("Desa dengan posyandu aktif", "Desa with active posyandu"),
    "col.pct_desa_posyandu_aktif": ("% desa dengan posyandu aktif", "% desa with active posyandu"),
    "col.pct_posyandu_aktif": ("% posyandu aktif", "% active posyandu"),
    "col.pct_kelengkapan_laporan": ("Kelengkapan laporan (%)", "Report completeness (%)"),
    "col.pct_pustu_standar": ("% pustu dengan tenaga lengkap", "% pustu fully staffed"),  # 1 perawat + 1 bidan
    "col.kesenjangan": ("Kesenjangan", "Gap"),
    # -- shared (Puskesmas, Desa and Data pages) -------------------------------------------------------
    "umum.ya": ("Ya", "Yes"),
    "umum.tidak": ("Tidak", "No"),
    "tindakan.pustu_dan_posyandu": ("Pustu dan posyandu", "Pustu and posyandu"),
    "tindakan.posyandu": ("Posyandu aktif", "Active posyandu"),
    "tindakan.pustu": ("Pustu aktif", "Active pustu"),
    "siklus.balita": ("Balita", "Under-fives"),
    "siklus.ibu_hamil": ("Ibu hamil", "Pregnant women"),
    "siklus.usia_sekolah_remaja": ("Usia sekolah dan remaja", "School-age children and adolescents"),
    "siklus.usia_produktif": ("Usia produktif", "Working-age adults"),
    "siklus.lansia": ("Lansia", "Older people"),
    "kol.peringkat": ("No.", "No."),
    "kol.jarak_pustu_km": ("Jarak ke pustu aktif", "Distance to active pustu"),  # the values carry "km"
    "kol.tindakan": ("Yang perlu dibenahi", "What to fix"),
    "kol.alasan": ("Kesenjangan", "Gap"),
    "kol.nama_pustu": ("Pustu", "Pustu"),
    "kol.nama_posyandu": ("Posyandu", "Posyandu"),
    "kol.kode_posyandu": ("Kode posyandu", "Posyandu code"),
    "kol.aktif": ("Aktif", "Active"),
    "kol.perawat": ("Perawat", "Nurses"),
    "kol.bidan": ("Bidan", "Midwives"),
    "kol.sesuai_standar": ("Sesuai standar", "Meets standard"),
    "kol.bulan_buka": ("Bulan buka ({jendela} bln terakhir)", "Months open (last {jendela})"),
    "kol.laporan_terakhir": ("Laporan terakhir", "Last report"),
    "kol.lapor_bulan_ini": ("Lapor bulan ini", "Reported this month"),
    "kol.tingkat": ("Tingkat", "Severity"),
    "kol.jenis_temuan": ("Temuan", "Finding"),
    "kol.jenis_fasilitas": ("Fasilitas", "Facility"),
    "kol.subjek": ("Kode/subjek", "Code/subject"),
    "kol.pesan": ("Keterangan", "Details"),
    "kol.status_sebelum": ("Status sebelum", "Status before"),
    "kol.status_sesudah": ("Status sesudah", "Status after"),
    "kol.posyandu_aktif_sebelum": ("Posyandu aktif sebelum", "Active posyandu before"),
    "kol.posyandu_aktif_sesudah": ("Posyandu aktif sesudah", "Active posyandu after"),
    "kol.perubahan": ("Perubahan", "Change"),
    "kol.baris": ("Baris", "Row"),
    "kol.kolom": ("Kolom", "Column"),
    "kol.tindakan_impor": ("Tindakan", "Action"),
    "kol.jenis_masalah": ("Masalah", "Issue"),
    "kol.alasan_impor": ("Alasan", "Reason"),
    "kol.versi": ("Versi", "Version"),
    "kol.waktu": ("Waktu", "Time"),
    "kol.jenis_impor": ("Jenis", "Kind"),
    "kol.berkas": ("Berkas", "File"),
    "kol.baris_dibaca": ("Baris dibaca", "Rows read"),
    "kol.diterima": ("Diterima", "Accepted"),
    "kol.diperbaiki": ("Diperbaiki", "Repaired"),
    "kol.ditolak": ("Ditolak", "Rejected"),
    "kol.keterangan": ("Keterangan", "Notes"),
    "kol.oleh": ("Oleh", "By"),
    # -- Puskesmas page ------------------------------------------------------------------------------------
    "pkm.pilih": ("Pilih puskesmas", "Choose a puskesmas"),
    "pkm.pilih_help": (
        "Pilihan ini juga menjadi filter puskesmas di panel samping dan tersimpan di alamat halaman.",
        "This choice also becomes the puskesmas filter in the side panel and is kept in the page address.",
    ),
    "pkm.none": (
        "Belum ada puskesmas dengan wilayah kerja di data ini. Impor data puskesmas (dan wilayah kerja) di "
        "halaman Data.",
        "There is no puskesmas with a working area in this data yet. Import puskesmas (and working areas) "
        "on the Data page.",
    ),
    "pkm.no_desa": (
        "Puskesmas ini belum melayani satu desa pun menurut wilayah kerja.",
        "According to the working areas, this puskesmas serves no desa yet.",
    ),
    "pkm.kode": ("Kode {kode}", "Code {kode}"),
    "pkm.lokasi": ("berdiri di {desa}", "located in {desa}"),
    "pkm.jumlah_desa": ("{n} desa dalam wilayah kerja", "{n} desa in the working area"),
    "pkm.sumber.tabel": ("wilayah kerja dari tabel yang diimpor", "working area from the imported table"),
    "pkm.sumber.turunan": (
        "wilayah kerja diturunkan dari letak puskesmas (belum ada tabel wilayah kerja)",
        "working area derived from puskesmas locations (no working-area table yet)",
    ),
    "pkm.sumber.campuran": (
        "wilayah kerja sebagian dari tabel, sebagian diturunkan",
        "working area partly from the table, partly derived",
    ),
    "pkm.filter_note": (
        "Halaman ini menampilkan seluruh wilayah kerja; filter kecamatan dan status di panel samping tidak "
        "dipakai di sini.",
        "This page shows the whole working area; the kecamatan and status filters of the side panel do not apply here.",
    ),
    "pkm.map": ("Wilayah kerja", "Working area"),
    "pkm.prioritas": ("Prioritas perbaikan", "What to fix first"),
    "pkm.prioritas_help": (
        "Urutan: desa tanpa keduanya, lalu tanpa posyandu aktif, lalu tanpa pustu aktif; di dalam tiap kelompok "
        "kesenjangan terbesar dulu (pustu aktif terjauh, posyandu tidak aktif terbanyak, penduduk terbanyak). "
        "Pilih baris untuk membuka profil desa.",
        "Order: desa with neither first, then without an active posyandu, then without an active pustu; within "
        "each group the largest gap first (farthest active pustu, most inactive posyandu, most people). "
        "Pick a row to open the desa profile.",
    ),
    "pkm.prioritas_none": (
        "Semua desa di wilayah kerja ini sudah lengkap.",
        "Every desa in this working area is complete.",
    ),
    "pkm.alasan.jarak": ("pustu aktif terdekat {jarak}", "nearest active pustu {jarak}"),
    "pkm.alasan.tanpa_pustu_data": ("belum ada pustu aktif di data", "no active pustu in the data"),
    "pkm.alasan.posyandu": ("{n} dari {total} posyandu tidak aktif", "{n} of {total} posyandu inactive"),
    "pkm.alasan.tanpa_posyandu": ("belum ada posyandu", "no posyandu yet"),
    "pkm.alasan.penduduk": ("{n} penduduk", "population {n}"),
    "pkm.tab.desa": ("Desa ({n})", "Desa ({n})"),
    "pkm.tab.pustu": ("Pustu ({n})", "Pustu ({n})"),
    "pkm.tab.posyandu": ("Posyandu ({n})", "Posyandu ({n})"),
    "pkm.tab.berhenti": ("Berhenti lapor ({n})", "Stopped reporting ({n})"),
    "pkm.pustu_none": ("Belum ada pustu di wilayah kerja ini.", "There is no pustu in this working area yet."),
    "pkm.pustu_standar": (
        "{n} dari {total} pustu aktif dengan tenaga lengkap (paling sedikit 1 perawat dan 1 bidan).",
        "{n} of {total} active pustu fully staffed (at least 1 perawat (nurse) and 1 bidan (midwife)).",
    ),
    "pkm.posyandu_none": ("Belum ada posyandu di wilayah kerja ini.", "There is no posyandu in this working area yet."),
    "pkm.posyandu_ringkas": (
        "{aktif} dari {total} posyandu aktif (buka paling sedikit {min} dari {jendela} bulan terakhir).",
        "{aktif} of {total} posyandu active (open in at least {min} of the last {jendela} months).",
    ),
    "pkm.berhenti_help": (
        "Posyandu tanpa laporan dalam {n} bulan terakhir sampai {bulan}.",
        "Posyandu without a report in the last {n} months up to {bulan}.",
    ),
    "pkm.berhenti_none": ("Semua posyandu masih melapor.", "Every posyandu is still reporting."),
    # -- Desa page -----------------------------------------------------------------------------------------
    "desap.pilih": ("Pilih desa", "Choose a desa"),
    "desap.pilih_placeholder": ("Ketik nama desa…", "Type a desa name…"),
    "desap.none": (
        "Pilih desa di atas, atau klik desa di Peta Kesenjangan.",
        "Choose a desa above, or click a desa on the Gap Map.",
    ),
    "desap.kode": ("Kode {kode}", "Code {kode}"),
    "desap.kecamatan": ("Kecamatan {nama}", "Kecamatan {nama}"),
    "desap.puskesmas": ("Puskesmas {nama}", "Puskesmas {nama}"),
    "desap.status": ("Status", "Status"),
    "desap.pustu_help": ("Pustu di desa ini seluruhnya: {total}.", "All pustu in this desa: {total}."),
    "desap.jarak": ("Jarak ke pustu aktif terdekat", "Distance to the nearest active pustu"),
    "desap.jarak_help": (
        "Garis lurus dari titik tengah desa ke pustu aktif terdekat, di desa mana pun.",
        "Straight line from the desa's centre point to the nearest active pustu, in any desa.",
    ),
    "desap.jarak_none": ("Tidak ada pustu aktif", "No active pustu"),
    "desap.jauh": (
        "Pustu aktif terdekat berjarak {jarak}, melebihi batas {maks} (aturan di halaman Data).",
        "The nearest active pustu is {jarak} away, beyond the limit of {maks} (rules on the Data page).",
    ),
    "desap.ada_puskesmas": (
        "Ada puskesmas di desa ini (tidak dihitung sebagai pustu menurut aturan saat ini).",
        "A puskesmas stands in this desa (not counted as a pustu under the current rules).",
    ),
    "desap.ada_puskesmas_pustu": (
        "Ada puskesmas di desa ini; menurut aturan saat ini puskesmas dihitung sebagai pustu.",
        "A puskesmas stands in this desa; under the current rules it counts as a pustu.",
    ),
    "desap.map": ("Desa dan fasilitasnya", "The desa and its facilities"),
    "desap.map_help": (
        "Garis putus-putus: ke pustu aktif terdekat ({nama}, {jarak}). Garis abu-abu tipis: desa tetangga.",
        "Dashed line: to the nearest active pustu ({nama}, {jarak}). Thin grey outlines: neighbouring desa.",
    ),
    "desap.map.luar_wilayah": ("Desa di luar wilayah Anda", "A desa outside your area"),
    "desap.map_help_luar": (
        "Pustu aktif terdekat ada di luar wilayah Anda, {jarak} dari desa ini (nama dan letaknya tidak ditampilkan). "
        "Garis abu-abu tipis: desa tetangga.",
        "The nearest active pustu lies outside your area, {jarak} from this desa (its name and place are not shown). "
        "Thin grey outlines: neighbouring desa.",
    ),
    "desap.map_help_none": (
        "Tidak ada pustu aktif di data bulan ini, jadi tidak ada garis ke pustu terdekat. "
        "Garis abu-abu tipis: desa tetangga.",
        "There is no active pustu in this month's data, so no line to a nearest pustu. "
        "Thin grey outlines: neighbouring desa.",
    ),
    "desap.map.terdekat": ("Pustu aktif terdekat", "Nearest active pustu"),
    "desap.map.jarak": ("Jarak", "Distance"),
    "desap.map.tetangga": ("Desa tetangga", "Neighbouring desa"),
    "desap.pustu": ("Pustu ({n})", "Pustu ({n})"),
    "desap.pustu_none": ("Tidak ada pustu di desa ini.", "There is no pustu in this desa."),
    "desap.posyandu": ("Posyandu ({n})", "Posyandu ({n})"),
    "desap.posyandu_none": ("Tidak ada posyandu di desa ini.", "There is no posyandu in this desa."),
    "desap.chart": ("Kegiatan posyandu per bulan", "Posyandu activity per month"),
    "desap.chart_help": (
        "Kunjungan per kelompok siklus hidup (batang, bertumpuk) dan banyaknya posyandu yang buka (garis).",
        "Visits per life-cycle group (stacked bars) and the number of posyandu that opened (line).",
    ),
    "desap.chart_none": (
        "Belum ada laporan posyandu untuk desa ini.",
        "There are no posyandu reports for this desa yet.",
    ),
    "desap.chart.kunjungan": ("Kunjungan", "Visits"),
    "desap.chart.buka": ("Posyandu buka", "Posyandu open"),
    "desap.kualitas": ("Catatan kualitas data ({n})", "Data-quality notes ({n})"),
    "desap.kualitas_none": (
        "Tidak ada catatan kualitas data untuk desa ini dan fasilitasnya.",
        "There are no data-quality notes for this desa and its facilities.",
    ),
    # -- Data page ------------------------------------------------------------------------------------------
    "dataimp.demo": (
        "Yang tampil sekarang adalah data contoh (sintetis). Impor pertama membuat penyimpanan baru di `{path}`; "
        "data contoh tidak diubah. Urutan yang disarankan: batas desa, fasilitas, wilayah kerja, laporan posyandu.",
        "The dashboard now shows sample (synthetic) data. The first import creates a new store at `{path}`; "
        "the sample data stays untouched. Suggested order: desa boundaries, facilities, working areas, "
        "posyandu reports.",
    ),
    "dataimp.store": ("Penyimpanan: `{path}` · versi data {versi}", "Store: `{path}` · data version {versi}"),
    "dataimp.tab.impor": ("Impor data", "Import data"),
    "dataimp.tab.riwayat": ("Riwayat versi", "Version history"),
    "dataimp.tab.templat": ("Templat", "Templates"),
    "dataimp.tab.kualitas": ("Kualitas data", "Data quality"),
    "dataimp.tab.aturan": ("Aturan", "Rules"),
    "dataimp.tab.target": ("Target", "Targets"),
    # -- targets (geo/targets.py, ui/targets_form.py) --------------------------
    "target.lampu.tercapai": ("Tercapai", "Reached"),
    "target.lampu.hampir": ("Hampir", "Nearly"),
    "target.lampu.belum": ("Belum", "Not yet"),
    "target.kartu": ("Target {nilai} ({bulan})", "Target {nilai} ({bulan})"),
    "target.kartu_maks": ("Target maks. {nilai} ({bulan})", "Target at most {nilai} ({bulan})"),
    "target.kartu_help": (
        "Target {nilai} paling lambat {bulan}. Tercapai: {arah} target; Hampir: {hampir} target; Belum: selebihnya.",
        "Target {nilai} by {bulan}. Reached: {arah} the target; Nearly: {hampir} of it; Not yet: the rest.",
    ),
    "target.arah_naik": ("sama dengan atau di atas", "at or above"),
    "target.arah_turun": ("sama dengan atau di bawah", "at or below"),
    "target.hampir_naik": ("minimal {pct}% dari", "at least {pct}%"),
    "target.hampir_turun": ("{pct}% nilainya paling banyak", "{pct}% of the value at most"),
    "target.garis": ("Target {label}: {nilai} ({bulan})", "Target {label}: {nilai} ({bulan})"),
    "target.urut": ("Urutkan", "Sort"),
    "target.urut_kesenjangan": ("Kesenjangan terbanyak", "Most gaps"),
    "target.urut_jarak": ("Terjauh dari target: {label}", "Furthest from target: {label}"),
    "target.urut_catatan": (
        "Diurutkan menurut jarak ke target {label} {nilai} ({bulan}): yang paling jauh di atas.",
        "Sorted by distance to the target {label} {nilai} ({bulan}): furthest first.",
    ),
    "target.form_help": (
        "Target indikator dan bulan tercapainya. Untuk satu bulan berlaku target dengan bulan terdekat "
        "sesudahnya (atau bulan itu); bila semua sudah lewat, target terakhir. Lampu Hampir mulai dari "
        "'Hampir (%)' persen target (bawaan {bawaan}). Simpan menulis versi data baru.",
        "Indicator targets and the month by which they should be reached. A month uses the target of the "
        "nearest month at or after it; when all have passed, the last one. The Nearly light starts at "
        "'Nearly (%)' percent of the target (default {bawaan}). Saving writes a new data version.",
    ),
    "target.form_demo": (
        "Data contoh ditampilkan; target disimpan ke penyimpanan Anda ({path}) dan tampil setelah data Anda diimpor.",
        "The sample data is shown; targets are saved to your store ({path}) and show once your data is imported.",
    ),
    "target.kol.indikator": ("Indikator", "Indicator"),
    "target.kol.nilai": ("Target (%)", "Target (%)"),
    "target.kol.bulan": ("Bulan (YYYY-MM)", "Month (YYYY-MM)"),
    "target.kol.hampir_pct": ("Hampir (%)", "Nearly (%)"),
    "target.kol.catatan": ("Catatan", "Note"),
    "target.simpan": ("Simpan target", "Save targets"),
    "target.disimpan": (
        "Target disimpan sebagai versi data {versi}. {keterangan}",
        "Targets saved as data version {versi}. {keterangan}",
    ),
    "target.sama": (
        "Target tidak berubah; tidak ada yang ditulis.",
        "The targets did not change; nothing was written.",
    ),
    "target.tidak_sah": (
        "Target tidak disimpan (tidak ada yang ditulis): {pesan}",
        "Targets not saved (nothing written): {pesan}",
    ),
    "target.tanpa": ("Belum ada target.", "No targets yet."),
    "laporan.target_judul": ("Target", "Targets"),
    "kol.target_indikator": ("Indikator", "Indicator"),
    "kol.pct_target": ("Target (%)", "Target (%)"),
    "kol.target_bulan": ("Bulan target", "Target month"),
    "kol.pct_target_sekarang": ("Nilai bulan ini (%)", "Value this month (%)"),
    "kol.target_lampu": ("Lampu", "Light"),
    "impor.jenis": ("Jenis data", "Kind of data"),
    "impor.kind.boundaries": ("Batas desa", "Desa boundaries"),
    "impor.kind.facilities": ("Fasilitas", "Facilities"),
    "impor.kind.working-areas": ("Wilayah kerja", "Working areas"),
    "impor.kind.reports": ("Laporan posyandu", "Posyandu reports"),
    "impor.kind_help.boundaries": (
        "Berkas peta batas desa/kelurahan: GeoJSON, Shapefile (.zip), GeoPackage, KML/KMZ atau GeoParquet. "
        "Kolom dikenali otomatis (nama Peta ILP, Kemendagri, BIG RBI, OCHA). Desa kabupaten yang sama diganti.",
        "A desa/kelurahan boundary map file: GeoJSON, Shapefile (.zip), GeoPackage, KML/KMZ or GeoParquet. "
        "Columns are recognised automatically (Peta ILP, Kemendagri, BIG RBI, OCHA names). Desa of the same "
        "district are replaced.",
    ),
    "impor.kind_help.facilities": (
        "Tabel puskesmas, pustu dan posyandu (XLSX: satu sheet per jenis, atau CSV). Fasilitas sejenis di "
        "kabupaten yang sama diganti isi berkas ini.",
        "A table of puskesmas, pustu and posyandu (XLSX: one sheet per kind, or CSV). Facilities of the same "
        "kind in the same district are replaced by this file.",
    ),
    "impor.kind_help.working-areas": (
        "Tabel desa -> puskesmas (XLSX atau CSV). Impor batas desa dulu.",
        "A desa -> puskesmas table (XLSX or CSV). Import desa boundaries first.",
    ),
    "impor.kind_help.reports": (
        "Laporan bulanan posyandu, satu baris per posyandu per bulan (XLSX atau CSV). Laporan bulan yang sama "
        "menggantikan laporan lama.",
        "Monthly posyandu reports, one row per posyandu per month (XLSX or CSV). Reports for the same month "
        "replace older ones.",
    ),
    "impor.berkas": ("Unggah berkas", "Upload a file"),
    "unggah.pilih": ("Pilih berkas", "Choose a file"),
    "unggah.batas": ("Seret berkas ke sini · maks. {mb} MB per berkas", "Drag a file here · max. {mb} MB per file"),
    "unggah.lepas": ("Lepaskan berkas di sini", "Drop the file here"),
    "unggah.ditolak": (
        "Berkas ditolak: lebih dari {mb} MB. Pecah menjadi beberapa berkas (misalnya satu per tahun).",
        "File refused: larger than {mb} MB. Split it into several files (e.g. one per year).",
    ),
    "impor.berkas_help": (
        "Berkas diperiksa lebih dulu; tidak ada yang disimpan sebelum Anda menekan Simpan.",
        "The file is checked first; nothing is saved before you press Save.",
    ),
    "impor.store_rusak": (
        "Penyimpanan tidak dapat dibaca, jadi impor tidak dapat diperiksa: {pesan}",
        "The store cannot be read, so the import cannot be checked: {pesan}",
    ),
    "impor.sheet": ("Sheet", "Sheet"),
    "impor.sheet_semua": ("Semua sheet", "All sheets"),
    "impor.jenis_fasilitas": ("Jenis fasilitas", "Facility kind"),
    "impor.jenis_fasilitas_help": (
        "Dipakai bila nama sheet/berkas tidak menyebut Puskesmas, Pustu atau Posyandu.",
        "Used when the sheet/file name does not say Puskesmas, Pustu or Posyandu.",
    ),
    "impor.jenis_otomatis": ("Otomatis (dari nama sheet/berkas)", "Automatic (from the sheet/file name)"),
    "impor.per": ("Data ini keadaan per bulan (YYYY-MM)", "This data describes the month (YYYY-MM)"),
    "impor.per_help": (
        "Bulan yang digambarkan daftar fasilitas ini; bawaan bulan ini. Daftar yang lebih baru menjadi data "
        "sekarang dan daftar sebelumnya disimpan sebagai riwayat; daftar bulan yang lebih lama masuk riwayat.",
        "The month this facility list describes; this month by default. A newer list becomes the current data and "
        "the previous one is kept as history; a list of an older month goes to the history.",
    ),
    "impor.layer": ("Lapisan (opsional)", "Layer (optional)"),
    "impor.layer_help": (
        "Nama lapisan GeoPackage/KML atau nama Shapefile di dalam .zip; kosongkan agar dipilih otomatis.",
        "GeoPackage/KML layer or Shapefile name inside the .zip; leave empty to detect it.",
    ),
    "impor.memeriksa": ("Memeriksa berkas…", "Checking the file…"),
    "impor.gagal": ("Berkas tidak dapat diimpor: {pesan}", "The file cannot be imported: {pesan}"),
    "impor.tidak_ditulis": (
        "Tidak ada yang ditulis ke penyimpanan. Perbaiki berkas (atau pemetaan kolom) lalu unggah lagi.",
        "Nothing was written to the store. Fix the file (or the column mapping) and upload it again.",
    ),
    "impor.pratinjau": ("Pratinjau", "Preview"),
    "impor.pratinjau_none": ("Tidak ada baris untuk dipratinjau.", "There are no rows to preview."),
    "impor.pratinjau_sheet": ("{sheet}: {n} baris (10 pertama)", "{sheet}: {n} rows (first 10)"),
    "impor.pratinjau_batas": (
        "Lapisan desa setelah impor: {n} desa (10 pertama).",
        "Desa layer after the import: {n} desa (first 10).",
    ),
    "impor.baris_berkas": ("Baris", "Row"),
    "impor.laporan": ("Hasil pemeriksaan", "Validation report"),
    "impor.dibaca": ("Baris dibaca", "Rows read"),
    "impor.diterima": ("Diterima", "Accepted"),
    "impor.diperbaiki": ("Diperbaiki otomatis", "Repaired"),
    "impor.ditolak": ("Ditolak", "Rejected"),
    "impor.masalah": ("{n} catatan per baris:", "{n} row notes:"),
    "impor.tanpa_masalah": ("Tidak ada baris yang ditolak atau diperbaiki.", "No row was rejected or repaired."),
    "impor.tindakan.ditolak": ("Ditolak", "Rejected"),
    "impor.tindakan.diperbaiki": ("Diperbaiki", "Repaired"),
    "impor.tindakan.peringatan": ("Peringatan", "Warning"),
    "impor.efek.boundaries": (
        "Setelah disimpan: {sesudah} desa (sekarang {sebelum}).",
        "After saving: {sesudah} desa (now {sebelum}).",
    ),
    "impor.efek.facilities": (
        "Setelah disimpan: {sesudah} fasilitas (sekarang {sebelum}).",
        "After saving: {sesudah} facilities (now {sebelum}).",
    ),
    "impor.efek.working-areas": (
        "Setelah disimpan: {sesudah} baris wilayah kerja (sekarang {sebelum}).",
        "After saving: {sesudah} working-area rows (now {sebelum}).",
    ),
    "impor.efek.reports": (
        "Setelah disimpan: {sesudah} laporan (sekarang {sebelum}).",
        "After saving: {sesudah} reports (now {sebelum}).",
    ),
    "impor.simpan": ("Simpan sebagai versi data baru", "Save as a new data version"),
    "impor.berubah": (
        "Data berubah sejak pratinjau (impor atau pemulihan lain tersimpan lebih dulu); periksa lagi. Berkas ini "
        "sudah diperiksa ulang terhadap data terbaru dan belum ditulis: lihat hasilnya lalu tekan Simpan lagi.",
        "The data changed since the preview (another import or restore was saved first); check again. This file "
        "was checked again against the latest data and nothing was written: review the result and save again.",
    ),
    "impor.gagal_simpan": (
        "Penyimpanan gagal; data tidak berubah: {pesan}",
        "Saving failed; the data is unchanged: {pesan}",
    ),
    "impor.sukses": (
        "{berkas} tersimpan sebagai versi data {versi} ({diterima} baris diterima). Semua halaman kini "
        "memakai data ini.",
        "{berkas} was saved as data version {versi} ({diterima} rows accepted). Every page now uses this data.",
    ),
    "peta_kolom.judul": ("Pemetaan kolom", "Column mapping"),
    "peta_kolom.judul_batas": ("Kolom yang dikenali", "Recognised columns"),
    "peta_kolom.help": (
        "Setiap kolom berkas dipetakan ke isian Peta ILP menurut judulnya. Bila salah atau kosong, pilih isian "
        "yang benar lalu tekan Terapkan: berkas diperiksa ulang dengan pemetaan itu.",
        "Each column of the file is mapped to a Peta ILP field by its header. When that is wrong or missing, "
        "choose the right field and press Apply: the file is checked again with that mapping.",
    ),
    "peta_kolom.tidak_dipakai": ("(tidak dipakai)", "(not used)"),
    "peta_kolom.terapkan": ("Terapkan pemetaan", "Apply mapping"),
    "peta_kolom.reset": ("Kembali ke deteksi otomatis", "Back to automatic detection"),
    "peta_kolom.wajib_kurang": ("Kolom wajib belum dipetakan: {daftar}", "Required columns not mapped yet: {daftar}"),
    "peta_kolom.jenis_tidak_dikenal": (
        "Jenis fasilitas sheet ini tidak dikenali; pilih jenis fasilitas di atas atau beri nama sheet "
        "Puskesmas/Pustu/Posyandu.",
        "The facility kind of this sheet is unknown; choose the facility kind above or name the sheet "
        "Puskesmas/Pustu/Posyandu.",
    ),
    "peta_kolom.ganda": (
        "Sheet {sheet}: isian {field} dipilih untuk dua kolom ({a} dan {b}); pilih satu saja.",
        "Sheet {sheet}: field {field} is chosen for two columns ({a} and {b}); choose one.",
    ),
    "peta_kolom.beda_sheet": (
        "Kolom {kolom} dipetakan berbeda di dua sheet; pemetaan berlaku untuk semua sheet yang memuat kolom itu.",
        "Column {kolom} is mapped differently in two sheets; a mapping applies to every sheet with that column.",
    ),
    "peta_kolom.tetap": (
        "Kolom yang dikenali otomatis tidak dapat dimatikan lewat pemetaan ({daftar}); ganti judul kolomnya di "
        "berkas bila kolom itu tidak boleh dipakai.",
        "Automatically recognised columns cannot be switched off by the mapping ({daftar}); rename the column "
        "header in the file if it must not be used.",
    ),
    "peta_kolom.target.puskesmas": ("data puskesmas", "puskesmas data"),
    "peta_kolom.target.pustu": ("data pustu", "pustu data"),
    "peta_kolom.target.posyandu": ("data posyandu", "posyandu data"),
    "peta_kolom.target.laporan": ("laporan posyandu", "posyandu reports"),
    "peta_kolom.target.wilayah_kerja": ("wilayah kerja", "working areas"),
    "peta_kolom.target.none": ("jenis tidak dikenali (dilewati)", "unknown kind (skipped)"),
    "peta_kolom.kolom_berkas": ("Kolom di berkas", "Column in the file"),
    "peta_kolom.dipakai_sebagai": ("Dipakai sebagai", "Used as"),
    "riwayat.kosong": (
        "Belum ada riwayat impor: penyimpanan `{path}` belum dibuat.",
        "There is no import history yet: the store `{path}` has not been created.",
    ),
    "riwayat.gagal_baca": ("Riwayat tidak dapat dibaca: {pesan}", "The history cannot be read: {pesan}"),
    "riwayat.help": (
        "Versi data sekarang: {versi}. Setiap impor dan pemulihan menambah satu versi ({n} sejauh ini).",
        "Current data version: {versi}. Every import and restore adds one version ({n} so far).",
    ),
    "riwayat.pulihkan": ("Pulihkan versi sebelumnya", "Restore an earlier version"),
    "riwayat.satu_versi": (
        "Baru ada satu versi; belum ada yang dapat dipulihkan.",
        "There is only one version; nothing to restore yet.",
    ),
    "riwayat.pilih": ("Versi yang dipulihkan", "Version to restore"),
    "riwayat.pilihan": (
        "Versi {versi} · {jenis} · {berkas} · {waktu}",
        "Version {versi} · {jenis} · {berkas} · {waktu}",
    ),
    "riwayat.yakin": (
        "Saya yakin: isi versi {versi} menjadi data aktif sebagai versi baru {baru} (riwayat tidak dihapus).",
        "I am sure: the content of version {versi} becomes the active data as new version {baru} (history is kept).",
    ),
    "riwayat.tombol": ("Pulihkan versi {versi}", "Restore version {versi}"),
    "riwayat.gagal": ("Pemulihan gagal; data tidak berubah: {pesan}", "Restore failed; the data is unchanged: {pesan}"),
    "riwayat.sukses": (
        "Versi {versi} dipulihkan sebagai versi data {baru}.",
        "Version {versi} was restored as data version {baru}.",
    ),
    "riwayat.jenis.batas": ("Batas desa", "Desa boundaries"),
    "riwayat.jenis.fasilitas": ("Fasilitas", "Facilities"),
    "riwayat.jenis.laporan": ("Laporan posyandu", "Posyandu reports"),
    "riwayat.jenis.wilayah_kerja": ("Wilayah kerja", "Working areas"),
    "riwayat.jenis.pulihkan": ("Pemulihan", "Restore"),
    "riwayat.jenis.demo": ("Data contoh", "Sample data"),
    "riwayat.jenis.target": ("Target", "Targets"),
    "riwayat.jenis.pengguna": ("Pengguna", "Users"),
    "templat.help": (
        "Templat XLSX berisi judul kolom yang langsung dikenali, satu baris contoh, dan sheet Petunjuk yang "
        "menjelaskan setiap kolom. Hapus baris contoh sebelum mengisi data Anda.",
        "XLSX templates with column headers that are recognised as is, one example row, and a Petunjuk sheet "
        "explaining every column. Delete the example row before filling in your data.",
    ),
    "templat.unduh": ("Unduh {berkas}", "Download {berkas}"),
    "templat.isi.boundaries": (
        "Batas desa diimpor dari berkas peta. Templat ini menjelaskan kolom atributnya; contoh GeoJSON satu desa "
        "dapat langsung diimpor.",
        "Boundaries are imported from a map file. This template explains its attribute columns; the one-desa "
        "GeoJSON example imports as is.",
    ),
    "templat.isi.facilities": (
        "Sheet Puskesmas, Pustu dan Posyandu: kode, nama, desa, koordinat, status, tenaga (pustu), strata "
        "dan kader (posyandu).",
        "Sheets Puskesmas, Pustu and Posyandu: code, name, desa, coordinates, status, staff (pustu), strata and "
        "cadres (posyandu).",
    ),
    "templat.isi.working-areas": ("Desa dan puskesmas yang melayaninya.", "Each desa and the puskesmas serving it."),
    "templat.isi.reports": (
        "Satu baris per posyandu per bulan: buka/tidak dan kunjungan per kelompok siklus hidup.",
        "One row per posyandu per month: open or not, and visits per life-cycle group.",
    ),
    "kualitas.no_data": ("Belum ada data untuk diperiksa.", "There is no data to check yet."),
    "kualitas.help": (
        "Temuan pemeriksaan data untuk {bulan} (berhenti lapor: tanpa laporan {n} bulan terakhir). Perbaiki di "
        "berkas sumber lalu impor ulang.",
        "Data checks for {bulan} (stopped reporting: no report in the last {n} months). Fix them in the source "
        "file and import again.",
    ),
    "kualitas.none": ("Tidak ada temuan kualitas data.", "There are no data-quality findings."),
    "kualitas.filter.jenis": ("Temuan", "Finding"),
    "kualitas.filter.tingkat": ("Tingkat", "Severity"),
    "kualitas.filter.kecamatan": ("Kecamatan", "Kecamatan"),
    "kualitas.semua": ("Semua", "All"),
    "kualitas.jumlah": (
        "{n} dari {total} temuan (tinggi {tinggi}, sedang {sedang}, rendah {rendah}).",
        "{n} of {total} findings (high {tinggi}, medium {sedang}, low {rendah}).",
    ),
    "kualitas.tingkat.tinggi": ("Tinggi", "High"),
    "kualitas.tingkat.sedang": ("Sedang", "Medium"),
    "kualitas.tingkat.rendah": ("Rendah", "Low"),
    "kualitas.fasilitas.puskesmas": ("Puskesmas", "Puskesmas"),
    "kualitas.fasilitas.pustu": ("Pustu", "Pustu"),
    "kualitas.fasilitas.posyandu": ("Posyandu", "Posyandu"),
    "kualitas.jenis.di_luar_wilayah": ("Titik di luar wilayah", "Point outside the district"),
    "kualitas.jenis.koordinat_ditukar": ("Lintang/bujur tertukar", "Latitude/longitude swapped"),
    "kualitas.jenis.tanpa_koordinat": ("Tanpa koordinat", "No coordinates"),
    "kualitas.jenis.desa_berbeda": ("Titik di desa lain", "Point in another desa"),
    "kualitas.jenis.kode_desa_tidak_dikenal": ("Kode desa tidak dikenal", "Unknown desa code"),
    "kualitas.jenis.duplikat_kode": ("Kode ganda", "Duplicate code"),
    "kualitas.jenis.duplikat_nama": ("Nama ganda berdekatan", "Duplicate name nearby"),
    "kualitas.jenis.berhenti_lapor": ("Berhenti melapor", "Stopped reporting"),
    "kualitas.jenis.laporan_kode_tidak_dikenal": ("Laporan dengan kode tidak dikenal", "Report with an unknown code"),
    "kualitas.jenis.laporan_duplikat": ("Laporan ganda", "Duplicate report"),
    "kualitas.jenis.desa_tanpa_wilayah_kerja": ("Desa tanpa wilayah kerja", "Desa without a working area"),
    "kualitas.jenis.puskesmas_tanpa_desa": ("Puskesmas tanpa desa", "Puskesmas serving no desa"),
    "kualitas.jenis.koordinat_tidak_sah": ("Koordinat tidak terbaca", "Unreadable coordinates"),
    "kualitas.jenis.laporan_kode_belum_diperiksa": ("Kode laporan belum diperiksa", "Report codes not checked yet"),
    "kualitas.jenis.wilayah_duplikat": ("Wilayah kerja ganda", "Duplicate working area"),
    "kualitas.jenis.puskesmas_tidak_dikenal": ("Puskesmas tidak dikenal", "Unknown puskesmas"),
    "kualitas.jenis.kode_kosong": ("Kode desa kosong", "Empty desa code"),
    "kualitas.jenis.kode_tidak_sah": ("Kode desa tidak sah", "Invalid desa code"),
    "kualitas.jenis.nama_terlalu_panjang": ("Nama terlalu panjang", "Name too long"),
    "kualitas.jenis.geometri_kosong": ("Batas desa kosong", "Empty boundary"),
    "kualitas.jenis.bukan_poligon": ("Batas desa bukan poligon", "Boundary is not a polygon"),
    "kualitas.jenis.geometri_tidak_sah": ("Batas desa tidak sah", "Invalid boundary"),
    "kualitas.jenis.geometri_diperbaiki": ("Batas desa diperbaiki", "Boundary repaired"),
    "kualitas.jenis.jenis_tidak_dikenal": ("Jenis desa/kelurahan tidak dikenal", "Unknown desa/kelurahan type"),
    "kualitas.jenis.kode_wilayah_tidak_cocok": ("Kode wilayah tidak cocok", "Area code mismatch"),
    "kualitas.jenis.penduduk_tidak_sah": ("Jumlah penduduk tidak sah", "Invalid population"),
    "aturan.help": (
        "Aturan ini dipakai semua halaman. Aturan yang berbeda dari bawaan ikut tersimpan di alamat halaman, "
        "jadi tautan yang dibagikan menghitung dengan aturan yang sama.",
        "These rules apply to every page. Rules that differ from the defaults are kept in the page address, so "
        "a shared link computes with the same rules.",
    ),
    "aturan.berubah": ("Berbeda dari bawaan: {daftar}", "Different from the defaults: {daftar}"),
    "aturan.terapkan": ("Terapkan aturan", "Apply rules"),
    "aturan.bawaan": ("Kembalikan aturan bawaan", "Restore the default rules"),
    "aturan.tidak_sah": ("Aturan tidak diterapkan: {pesan}", "Rules not applied: {pesan}"),
    "aturan.sama": ("Aturan tidak berubah.", "The rules did not change."),
    "aturan.diterapkan": ("Aturan baru diterapkan di semua halaman.", "The new rules now apply to every page."),
    "aturan.dikembalikan": ("Aturan bawaan dipakai lagi.", "The default rules apply again."),
    "dataimp.kosong": (
        "Belum ada data. Impor pertama membuat penyimpanan di `{path}`. Urutan yang disarankan: batas desa, "
        "fasilitas, wilayah kerja, laporan posyandu.",
        "There is no data yet. The first import creates the store at `{path}`. Suggested order: desa boundaries, "
        "facilities, working areas, posyandu reports.",
    ),
    "aturan.bawaan_nilai": ("Bawaan: {nilai}.", "Default: {nilai}."),
    "kol.bulan_buka_dari": ("Bulan buka", "Months open"),
    # -- exports: the report, table downloads, export buttons (ui.report_book, ui.downloads) ----------
    "export.xlsx": ("Laporan Excel", "Excel report"),
    "export.png": ("Peta (PNG)", "Map (PNG)"),
    "export.pdf": ("Laporan PDF", "PDF report"),
    "export.geojson": ("GeoJSON", "GeoJSON"),
    "export.gpkg": ("GeoPackage", "GeoPackage"),
    "export.judul": ("Unduh", "Download"),
    "export.belum_ada": (
        "Format {format} belum tersedia di versi ini.",
        "The {format} format is not available in this version.",
    ),
    "unduh.csv": ("Unduh CSV", "Download CSV"),
    "unduh.xlsx": ("Unduh XLSX", "Download XLSX"),
    "unduh.csv_help": ("Unduh tabel ini sebagai CSV", "Download this table as CSV"),
    "unduh.xlsx_help": ("Unduh tabel ini sebagai Excel (XLSX)", "Download this table as Excel (XLSX)"),
    "laporan.judul": ("Laporan cakupan pustu dan posyandu aktif", "Active pustu and posyandu coverage report"),
    "laporan.wilayah": ("Wilayah: {area}", "Area: {area}"),
    "laporan.bulan": ("Bulan: {bulan}", "Month: {bulan}"),
    "laporan.aturan": ("Aturan: {daftar}", "Rules: {daftar}"),
    "laporan.aturan_judul": ("Aturan yang dipakai", "Rules used"),
    "laporan.aturan_daftar": ("Aturan yang dipakai:", "Rules used:"),
    "laporan.aturan_baris": ("{label}: {nilai}. {penjelasan}", "{label}: {nilai}. {penjelasan}"),
    "laporan.versi": ("Versi data: {versi}", "Data version: {versi}"),
    "laporan.dibuat": ("Dibuat {waktu} dengan Peta ILP", "Made {waktu} with Peta ILP"),
    "laporan.ringkasan": ("Ringkasan", "Summary"),
    "laporan.per_kecamatan": ("Indikator per kecamatan", "Indicators per kecamatan"),
    "laporan.per_puskesmas": ("Indikator per puskesmas", "Indicators per puskesmas"),
    "laporan.puskesmas": ("{judul}: {nama} (kode {kode})", "{judul}: {nama} (code {kode})"),
    "laporan.gap_desa": ("Desa berkesenjangan", "Desa with a gap"),
    "laporan.posyandu": (
        "Posyandu tidak aktif atau berhenti melapor",
        "Posyandu not active or stopped reporting",
    ),
    "laporan.pustu": (
        "Pustu aktif di bawah standar tenaga (paling sedikit 1 perawat dan 1 bidan)",
        "Active pustu below the staffing standard (at least 1 nurse and 1 midwife)",
    ),
    "laporan.kosong": ("Tidak ada.", "None."),
    "laporan.versi_data": ("versi data {versi}, {waktu}", "data version {versi}, {waktu}"),
    "col.berhenti_lapor": ("Berhenti melapor", "Stopped reporting"),
    "col.aturan": ("Aturan", "Rule"),
    "col.nilai": ("Nilai", "Value"),
    "col.penjelasan": ("Penjelasan", "Explanation"),
    "area.provinsi": ("Provinsi {nama}", "{nama} Province"),
    "area.kecamatan": ("Kecamatan {nama}", "Kecamatan {nama}"),
    "area.puskesmas": ("Puskesmas {nama}", "Puskesmas {nama}"),
    "area.dan": ("{a} dan {b}", "{a} and {b}"),
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
        Values for ``{placeholders}`` (those of :data:`FIXED_VALUES` are filled in already).
    """
    indonesian, english = STRINGS[key]
    text = english if (lang or _LANG.get()) == "en" else indonesian
    values = {**FIXED_VALUES.get(key, {}), **fmt}
    return text.format(**values) if values else text


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


def change_label(change: object, *, lang: str | None = None) -> str:
    """Label of a change between two months (:mod:`geo.compare`: ``membaik`` -> ``Membaik``)."""
    key = f"perubahan.{change}"
    return t(key, lang=lang) if key in STRINGS else t("status.unknown", lang=lang)


def status_label(status: object, *, lang: str | None = None) -> str:
    """Label of a desa status code (``tanpa_pustu`` -> ``Tanpa pustu aktif``)."""
    key = f"status.{status}"
    return t(key, lang=lang) if key in STRINGS else t("status.unknown", lang=lang)
