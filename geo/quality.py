"""Data-quality findings: one table, Indonesian messages, severity tinggi/sedang/rendah.

Every kind and its severity are declared once, in :data:`loaders.findings.FINDINGS`
(the lower severity where noted below is the kind's documented ``lower``).
Kinds (``jenis``) found by the engine:

==========================  =====================================================
jenis                       what
==========================  =====================================================
di_luar_wilayah             point in no desa polygon (puskesmas: excluded from the
                            working areas; pustu/posyandu: the lower severity)
koordinat_ditukar           lat/lon were swapped in the source (fixed on import)
tanpa_koordinat             no point
desa_berbeda                point lies in another desa than the declared one
                            (with the distance in metres to the declared desa;
                            lower severity when closer than 100 m: border noise)
kode_desa_tidak_dikenal     declared kode_desa not in the desa layer
duplikat_kode               one code on several rows (counted once)
duplikat_nama               same kind and name within ``duplikat_radius_m``
berhenti_lapor              posyandu without report in the last
                            ``laporan_berhenti_bulan`` months up to the month
laporan_kode_tidak_dikenal  report rows for a code that is no posyandu
laporan_duplikat            several report rows for one posyandu and month
desa_tanpa_wilayah_kerja    no puskesmas at all for the desa (lower severity:
                            missing from the given table, a derived one is used)
puskesmas_tanpa_desa        a puskesmas inside the district serves no desa
==========================  =====================================================

Findings recorded by imports (layer ``catatan_impor``) are added, with the
registry's severity and older codes mapped to their kind, unless their kind
is one the engine recomputes (``by_engine``: an old store's copy is stale) or
the engine found the same (jenis, subjek) itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.activity import MonthActivity, ReportMatrix, month_label
from geo.metric import point_xy, to_metric
from geo.placement import Placement
from geo.rules import Rules
from loaders import findings as fnd
from loaders import model
from loaders.findings import SEDANG, TINGKAT_ORDER
from loaders.numbers import angka

NEAR_BORDER_M: Final = 100.0  # desa_berbeda closer than this to the declared desa: rendah (border noise)
COLUMNS: Final = ("jenis", "tingkat", "jenis_fasilitas", "subjek", "nama", "kode_desa", "pesan")
CODE_MONTH: Final = r"^(\S+)\s+\d{4}-\d{2}$"
LABEL_JENIS: Final = {model.PUSKESMAS: "Puskesmas", model.PUSTU: "Pustu", model.POSYANDU: "Posyandu"}


@dataclass(frozen=True)
class QualityInputs:
    """What the findings are computed from (built by :class:`geo.engine.Coverage`)."""

    facilities: gpd.GeoDataFrame
    placement: Placement
    distance_m: np.ndarray
    crs: pyproj.CRS
    posyandu: np.ndarray
    posyandu_kode: np.ndarray
    activity: MonthActivity | None
    month: int | None
    matrix: ReportMatrix
    working_areas: pd.DataFrame
    wilayah_kerja_given: bool
    inside_puskesmas: np.ndarray
    inside_puskesmas_kode: np.ndarray
    desa: pd.DataFrame
    catatan: pd.DataFrame
    rules: Rules


def findings(inputs: QualityInputs) -> pd.DataFrame:
    """Every finding, most severe first, then by ``jenis`` and ``subjek``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS` (all string dtype).
    """
    parts = [
        _outside(inputs),
        _swapped(inputs),
        _without_point(inputs),
        _other_desa(inputs),
        _unknown_desa_code(inputs),
        _duplicate_code(inputs),
        _duplicate_name(inputs),
        _stopped_reporting(inputs),
        _unknown_report_codes(inputs),
        _duplicate_reports(inputs),
        _desa_without_area(inputs),
        _puskesmas_without_desa(inputs),
    ]
    engine = pd.concat([p for p in parts if not p.empty] or [empty()], ignore_index=True)
    recorded = _from_catatan(inputs, engine)
    table = pd.concat([engine, recorded], ignore_index=True) if not recorded.empty else engine
    rank = table["tingkat"].map(TINGKAT_ORDER).fillna(3)
    order = np.lexsort(
        (
            table["subjek"].fillna("").to_numpy(dtype=object).astype(str),
            table["jenis"].fillna("").to_numpy(dtype=object).astype(str),
            rank.to_numpy(),
        )
    )
    return table.iloc[order].reset_index(drop=True)


def empty() -> pd.DataFrame:
    """Return an empty findings table."""
    return pd.DataFrame({c: pd.Series(dtype="string") for c in COLUMNS})


def _frame(**columns: object) -> pd.DataFrame:
    frame = pd.DataFrame({c: columns[c] for c in COLUMNS})
    return frame.astype("string")


# -- facility findings ---------------------------------------------------------------
def _facility_frame(
    inputs: QualityInputs, rows: np.ndarray, jenis: str, tingkat: object, pesan: list[str]
) -> pd.DataFrame:
    fac = inputs.facilities
    return _frame(
        jenis=[jenis] * len(rows),
        tingkat=tingkat if not isinstance(tingkat, str) else [tingkat] * len(rows),
        jenis_fasilitas=_values(fac, "jenis", rows),
        subjek=_subject(fac, rows),
        nama=_values(fac, "nama", rows),
        kode_desa=_values(fac, "kode_desa_final", rows),
        pesan=pesan,
    )


def _values(fac: pd.DataFrame, column: str, rows: np.ndarray, *, missing: object = None) -> np.ndarray:
    """``fac[column]`` at positions ``rows`` as an object array (``missing`` for NA)."""
    return fac[column].iloc[rows].to_numpy(dtype=object, na_value=missing)


def _subject(fac: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Facility code, else the row id."""
    return fac["kode"].iloc[rows].fillna(fac["id_fasilitas"].iloc[rows]).to_numpy(dtype=object, na_value=None)


def _label(fac: pd.DataFrame, rows: np.ndarray) -> list[str]:
    jenis = _values(fac, "jenis", rows, missing="")
    nama = _values(fac, "nama", rows, missing="(tanpa nama)")
    return [facility_label(j, n) for j, n in zip(jenis, nama, strict=True)]


def facility_label(jenis: str, nama: str) -> str:
    """``Posyandu Mawar 3`` for (posyandu, "Mawar 3") and for (posyandu, "Posyandu Mawar 3") alike.

    Examples
    --------
    >>> facility_label("posyandu", "Posyandu Mawar 3")
    'Posyandu Mawar 3'
    >>> facility_label("pustu", "Sukamaju")
    'Pustu Sukamaju'
    """
    kind = LABEL_JENIS.get(jenis, "Fasilitas")
    if nama.casefold().startswith(kind.casefold() + " "):
        return nama
    return f"{kind} {nama}"


def _outside(inputs: QualityInputs) -> pd.DataFrame:
    fac, p = inputs.facilities, inputs.placement
    rows = np.flatnonzero(p.outside)
    lon, lat = point_xy(np.asarray(fac.geometry.values, dtype=object)[rows])
    jenis = _values(fac, "jenis", rows, missing="")
    messages = []
    for label, j, x, y, declared in zip(_label(fac, rows), jenis, lon, lat, p.declared[rows], strict=True):
        where = f"Titik {label} ({angka(y, 5)}; {angka(x, 5)}) berada di luar semua batas desa yang diimpor"
        if j == model.PUSKESMAS:
            consequence = "puskesmas ini tidak dipakai untuk menurunkan wilayah kerja. Periksa koordinatnya."
        elif declared >= 0:
            consequence = "tetap dihitung di desa yang dinyatakan. Periksa koordinatnya."
        else:
            consequence = "tidak dihitung di desa mana pun. Perbaiki koordinat atau isi Kode Desa."
        messages.append(f"{where}; {consequence}")
    severity = np.where(
        jenis == model.PUSKESMAS, fnd.tingkat("di_luar_wilayah"), fnd.tingkat("di_luar_wilayah", lower=True)
    )
    return _facility_frame(inputs, rows, "di_luar_wilayah", severity, messages)


def _swapped(inputs: QualityInputs) -> pd.DataFrame:
    fac = inputs.facilities
    rows = np.flatnonzero(fac["koordinat_ditukar"].fillna(False).to_numpy(dtype=bool))
    messages = [
        f"{label}: lintang dan bujur tertukar di berkas sumber dan sudah ditukar balik saat impor. "
        "Perbaiki juga di berkas sumber."
        for label in _label(fac, rows)
    ]
    return _facility_frame(inputs, rows, "koordinat_ditukar", fnd.tingkat("koordinat_ditukar"), messages)


def _without_point(inputs: QualityInputs) -> pd.DataFrame:
    fac, p = inputs.facilities, inputs.placement
    rows = np.flatnonzero(~p.has_point)
    messages = [
        f"{label} tidak punya koordinat; "
        + ("dihitung di desa yang dinyatakan." if declared >= 0 else "tidak dapat ditempatkan di desa mana pun.")
        + " Lengkapi Latitude/Longitude."
        for label, declared in zip(_label(fac, rows), p.declared[rows], strict=True)
    ]
    return _facility_frame(inputs, rows, "tanpa_koordinat", fnd.tingkat("tanpa_koordinat"), messages)


def _other_desa(inputs: QualityInputs) -> pd.DataFrame:
    fac, p = inputs.facilities, inputs.placement
    rows = np.flatnonzero((p.declared >= 0) & (p.located >= 0) & (p.located != p.declared))
    names = inputs.desa["nama_desa"].to_numpy(dtype=object, na_value="")
    codes = inputs.desa["kode_desa"].to_numpy(dtype=object)
    messages = []
    distances = inputs.distance_m[rows]
    for label, loc, dec, dist in zip(_label(fac, rows), p.located[rows], p.declared[rows], distances, strict=True):
        jarak = "kurang dari 1 m" if dist < 1 else f"{angka(dist)} m"
        messages.append(
            f"Titik {label} berada di desa {names[loc]} ({codes[loc]}), {jarak} dari desa yang "
            f"dinyatakan {names[dec]} ({codes[dec]}); dihitung di desa yang dinyatakan. Periksa koordinat "
            "atau Kode Desa."
        )
    severity = np.where(
        inputs.distance_m[rows] < NEAR_BORDER_M, fnd.tingkat("desa_berbeda", lower=True), fnd.tingkat("desa_berbeda")
    )
    return _facility_frame(inputs, rows, "desa_berbeda", severity, messages)


def _unknown_desa_code(inputs: QualityInputs) -> pd.DataFrame:
    fac, p = inputs.facilities, inputs.placement
    rows = np.flatnonzero(fac["kode_desa"].notna().to_numpy() & (p.declared < 0))
    declared = _values(fac, "kode_desa", rows)
    messages = [
        f"{label}: Kode Desa '{code}' tidak ada dalam batas desa yang diimpor; "
        + ("ditempatkan menurut titiknya." if loc >= 0 else "tidak dapat ditempatkan di desa mana pun.")
        for label, code, loc in zip(_label(fac, rows), declared, p.located[rows], strict=True)
    ]
    return _facility_frame(inputs, rows, "kode_desa_tidak_dikenal", fnd.tingkat("kode_desa_tidak_dikenal"), messages)


def _duplicate_code(inputs: QualityInputs) -> pd.DataFrame:
    fac = inputs.facilities
    coded = fac[fac["kode"].notna()]
    counts = coded.groupby(["jenis", "kode"], sort=True).size()
    counts = counts[counts > 1]
    if counts.empty:
        return empty()
    first_row = coded.reset_index().drop_duplicates(["jenis", "kode"]).set_index(["jenis", "kode"])["index"]
    rows = first_row.loc[counts.index].to_numpy(dtype="int64")
    messages = [
        f"Kode {kode} muncul {n} kali dalam daftar {jenis}; dihitung sekali. Hapus baris gandanya di berkas sumber."
        for (jenis, kode), n in counts.items()
    ]
    return _facility_frame(inputs, rows, "duplikat_kode", fnd.tingkat("duplikat_kode"), messages)


def _duplicate_name(inputs: QualityInputs) -> pd.DataFrame:
    """Find same kind and name, different identity, points within ``duplikat_radius_m`` (one bulk dwithin query)."""
    fac, p = inputs.facilities, inputs.placement
    rows = np.flatnonzero(p.has_point & fac["nama"].notna().to_numpy())
    if rows.size < 2:
        return empty()
    x, y = to_metric(*point_xy(np.asarray(fac.geometry.values, dtype=object)[rows]), inputs.crs)
    points = shapely.points(x, y)
    left, right = shapely.STRtree(points).query(points, predicate="dwithin", distance=inputs.rules.duplikat_radius_m)
    keep = left < right
    a, b = rows[left[keep]], rows[right[keep]]
    pairs = np.concatenate([a, b])
    nama = fac["nama"].iloc[pairs].str.strip().str.lower().to_numpy(dtype=object, na_value="").reshape(2, -1)
    jenis = _values(fac, "jenis", pairs, missing="").reshape(2, -1)
    kode = _values(fac, "kode", pairs, missing="").reshape(2, -1)
    same = (nama[0] == nama[1]) & (jenis[0] == jenis[1]) & ~((kode[0] == kode[1]) & (kode[0] != ""))
    a, b = a[same], b[same]
    dist = shapely.distance(points[np.searchsorted(rows, a)], points[np.searchsorted(rows, b)])
    messages = [
        f"Nama sama dengan {subject} ({name}) dan jaraknya hanya {angka(d)} m: "
        "mungkin fasilitas yang sama tercatat dua kali."
        for subject, name, d in zip(_subject(fac, a), _values(fac, "nama", a), dist, strict=True)
    ]
    return _facility_frame(inputs, b, "duplikat_nama", fnd.tingkat("duplikat_nama"), messages)


# -- report findings -------------------------------------------------------------------
def _stopped_reporting(inputs: QualityInputs) -> pd.DataFrame:
    activity, month = inputs.activity, inputs.month
    if activity is None or month is None or len(inputs.matrix.month_axis) == 0:
        return empty()
    units = np.flatnonzero(activity.berhenti)
    rows = inputs.posyandu[units]
    k = inputs.rules.laporan_berhenti_bulan
    messages = [
        f"Tidak ada laporan dalam {k} bulan terakhir sampai {month_label(month)} ("
        + (f"laporan terakhir {month_label(last)}" if last >= 0 else "belum pernah ada laporan")
        + "). Tanyakan ke kader atau puskesmas pembina."
        for last in activity.laporan_terakhir[units]
    ]
    return _facility_frame(inputs, rows, "berhenti_lapor", fnd.tingkat("berhenti_lapor"), messages)


def _unknown_report_codes(inputs: QualityInputs) -> pd.DataFrame:
    unknown = inputs.matrix.unknown_codes
    n = len(unknown)
    return _frame(
        jenis=["laporan_kode_tidak_dikenal"] * n,
        tingkat=[fnd.tingkat("laporan_kode_tidak_dikenal")] * n,
        jenis_fasilitas=[model.POSYANDU] * n,
        subjek=unknown["kode_posyandu"].to_numpy(dtype=object),
        nama=[None] * n,
        kode_desa=[None] * n,
        pesan=[
            f"{count} baris laporan memakai kode posyandu {code} yang tidak ada dalam daftar posyandu; "
            "laporan itu diabaikan. Periksa kodenya atau impor ulang daftar posyandu."
            for code, count in zip(unknown["kode_posyandu"], unknown["baris"], strict=True)
        ],
    )


def _duplicate_reports(inputs: QualityInputs) -> pd.DataFrame:
    dup = inputs.matrix.duplicate_rows
    n = len(dup)
    lookup = pd.Series(np.arange(len(inputs.posyandu_kode)), index=inputs.posyandu_kode)
    lookup = lookup[~lookup.index.duplicated()]
    unit = lookup.reindex(dup["kode_posyandu"].to_numpy(dtype=object)).to_numpy()
    fac = inputs.facilities
    has = ~np.isnan(unit)
    rows = np.where(has, inputs.posyandu[np.nan_to_num(unit).astype("int64")], -1) if n else np.empty(0, "int64")
    nama = np.where(rows >= 0, _values(fac, "nama", np.clip(rows, 0, None)), None) if n else []
    desa = np.where(rows >= 0, _values(fac, "kode_desa_final", np.clip(rows, 0, None)), None) if n else []
    return _frame(
        jenis=["laporan_duplikat"] * n,
        tingkat=[fnd.tingkat("laporan_duplikat")] * n,
        jenis_fasilitas=[model.POSYANDU] * n,
        subjek=dup["kode_posyandu"].to_numpy(dtype=object),
        nama=nama,
        kode_desa=desa,
        pesan=[
            f"Laporan posyandu {code} bulan {bulan} tercatat {count} kali; dihitung sekali."
            for code, bulan, count in zip(dup["kode_posyandu"], dup["bulan"], dup["baris"], strict=True)
        ],
    )


# -- working-area findings -------------------------------------------------------------
def _desa_without_area(inputs: QualityInputs) -> pd.DataFrame:
    areas = inputs.working_areas
    missing = areas["sumber"].isna().to_numpy()
    derived = (areas["sumber"] == "turunan").fillna(False).to_numpy(dtype=bool) & inputs.wilayah_kerja_given
    rows = np.flatnonzero(missing | derived)
    desa = inputs.desa
    names = desa["nama_desa"].to_numpy(dtype=object, na_value="")
    pusk = areas["nama_puskesmas"].to_numpy(dtype=object, na_value="")
    messages = [
        f"Desa {names[r]} tidak punya puskesmas: tidak ada puskesmas di dalam kabupaten/kota ini. "
        "Impor tabel wilayah kerja."
        if missing[r]
        else f"Desa {names[r]} tidak ada dalam tabel wilayah kerja; dipakai puskesmas terdekat ({pusk[r]}). "
        "Lengkapi tabel wilayah kerja."
        for r in rows
    ]
    return _frame(
        jenis=["desa_tanpa_wilayah_kerja"] * len(rows),
        tingkat=np.where(
            missing[rows], fnd.tingkat("desa_tanpa_wilayah_kerja"), fnd.tingkat("desa_tanpa_wilayah_kerja", lower=True)
        ),
        jenis_fasilitas=[None] * len(rows),
        subjek=desa["kode_desa"].to_numpy(dtype=object)[rows],
        nama=names[rows],
        kode_desa=desa["kode_desa"].to_numpy(dtype=object)[rows],
        pesan=messages,
    )


def _puskesmas_without_desa(inputs: QualityInputs) -> pd.DataFrame:
    fac = inputs.facilities
    served = set(inputs.working_areas["kode_puskesmas"].dropna().unique())
    idle = np.array([kode not in served for kode in inputs.inside_puskesmas_kode], dtype=bool)
    rows = inputs.inside_puskesmas[idle]
    messages = [
        f"{label} berada di dalam wilayah tetapi tidak melayani desa mana pun"
        + (" menurut tabel wilayah kerja." if inputs.wilayah_kerja_given else ".")
        + " Periksa tabel wilayah kerja."
        for label in _label(fac, rows)
    ]
    return _facility_frame(inputs, rows, "puskesmas_tanpa_desa", fnd.tingkat("puskesmas_tanpa_desa"), messages)


# -- findings recorded by imports ----------------------------------------------------------
def _from_catatan(inputs: QualityInputs, engine: pd.DataFrame) -> pd.DataFrame:
    catatan = inputs.catatan
    if catatan.empty:
        return empty()
    catatan = catatan.reset_index(drop=True)
    jenis = catatan["jenis"].astype("string").replace(fnd.ALIASES)
    current = ~jenis.isin(fnd.BY_ENGINE).to_numpy()  # the engine's own kinds: stored copies are stale
    if not current.any():
        return empty()
    catatan = catatan[current].reset_index(drop=True)
    jenis = jenis[current].reset_index(drop=True)
    registered = jenis.map({f.code: f.tingkat for f in fnd.FINDINGS})  # NA: a kind no longer registered
    fac = inputs.facilities
    by_code = fac[fac["kode"].notna()].drop_duplicates("kode").set_index("kode")
    # reports findings may name "CODE YYYY-MM": the subject is the posyandu code (the month stays in pesan)
    subjek = catatan["subjek"].astype("string").str.replace(CODE_MONTH, r"\1", regex=True)
    keys = subjek.to_numpy(dtype=object)
    frame = _frame(
        jenis=jenis,
        tingkat=registered.astype("string").fillna(catatan["tingkat"].astype("string")).fillna(SEDANG),
        jenis_fasilitas=[_kind_of_source(v) for v in catatan["sumber"].to_numpy(dtype=object, na_value="")],
        subjek=subjek,
        nama=by_code["nama"].reindex(keys).to_numpy(dtype=object, na_value=None),
        kode_desa=by_code["kode_desa_final"].reindex(keys).to_numpy(dtype=object, na_value=None),
        pesan=catatan["pesan"].astype("string"),
    )
    seen = pd.MultiIndex.from_frame(engine[["jenis", "subjek"]].fillna(""))
    mine = pd.MultiIndex.from_frame(frame[["jenis", "subjek"]].fillna(""))
    frame = frame[~mine.isin(seen)]
    return frame.drop_duplicates(ignore_index=True)


def _kind_of_source(sumber: str) -> str | None:
    """Facility kind of an import source: ``fasilitas:posyandu`` -> posyandu, ``laporan...`` -> posyandu."""
    kind = sumber.partition(":")[2].strip().lower()
    if kind in model.JENIS_FASILITAS:
        return kind
    if sumber.startswith("laporan"):
        return model.POSYANDU
    return None
