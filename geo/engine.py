"""The coverage engine facade: :class:`Dataset` in, per-desa status out.

Everything that does not depend on the month (placing facilities, working
areas, metric coordinates, the posyandu x month report matrix, distances to
the nearest active pustu, the month-independent desa table) is computed once
in :class:`Coverage`'s constructor; a month then costs a few array
subtractions and one ``bincount`` over the posyandu.

Dated facility status (issue 11, rule in :mod:`geo.dating`): when pustu or
puskesmas rows carry earlier snapshots (``Dataset.riwayat_fasilitas``) or date
columns (``tanggal_aktif``/``tanggal_nonaktif``), the pustu columns of the desa
table (``pustu_aktif``, ``pustu_total``, ``pustu_standar``, ``jarak_pustu_km``)
and ``ada_puskesmas`` depend on the month: the history rows are placed once,
the months fall into a few epochs (ranges sharing the same rows in force and
date outcomes) and those columns are computed once per epoch. Without any
date the constructor does nothing more than before and every month uses the
same month-independent table (the code path of undated data is unchanged).
What stays the latest state: working areas (the desa -> puskesmas map),
``ada_data``, :attr:`Coverage.facilities`. Posyandu rows are not dated: their
activity in a month comes from the reports. The rules live in
:mod:`geo.placement`, :mod:`geo.working_areas`, :mod:`geo.activity`,
:mod:`geo.status`; the output contract is :data:`geo.status.DESA_STATUS_COLUMNS`
and the rules are explained in the README section "Aturan".

:class:`~loaders.dataset.Dataset` (re-exported here) is read from the store by
:func:`loaders.dataset.read_dataset`; the engine never touches the store.
An empty desa layer raises :class:`~loaders.exceptions.NoDesaError`, which says
what is missing; the caller says how to add it (the CLI names the command).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import activity as act
from geo import dating
from geo import quality as qual
from geo import status as st
from geo import working_areas as wa
from geo.indicators import summarise
from geo.lookup import first_occurrence, map_distinct
from geo.metric import metric_crs, nearest_distance, point_xy, to_metric
from geo.placement import Placement, complete, declared_distance, place, placement_columns, sorted_desa
from geo.rules import Rules
from loaders import model
from loaders.dataset import Dataset
from loaders.exceptions import InputError

STATUSES: Final = st.STATUSES
METRES_PER_DEGREE: Final = 111_320.0
JUDGEMENT_COLUMNS: Final = ("aktif", "dihitung", "sesuai_standar")  # Coverage.facilities, after the placement
PLACE_COLUMNS: Final = (*model.AREA_COLUMNS, "kode_puskesmas", "puskesmas")  # Coverage.desa_places
DATED_KINDS: Final = (model.PUSTU, model.PUSKESMAS)  # facility kinds whose status follows snapshots and dates
DATE_COLUMNS: Final = ("tanggal_aktif", "tanggal_nonaktif")
DATED_COLUMNS: Final = ("pustu_aktif", "pustu_total", "pustu_standar", "jarak_pustu_km", "ada_puskesmas")
EPOCH_CACHE_SIZE: Final = 48  # dated columns kept for this many epochs (5 arrays of one value per desa each)
FacilityDating = dating.FacilityDating

__all__ = ["STATUSES", "Coverage", "Dataset", "FacilityDating"]


@dataclass(frozen=True)
class _Units:
    """Unique facilities as positions into ``Coverage.facilities`` (ascending), with their identity keys.

    ``inside_puskesmas`` are the unique puskesmas inside the district, sorted by code.
    """

    posyandu: np.ndarray
    posyandu_kode: pd.Series
    pustu: np.ndarray
    puskesmas: np.ndarray
    inside_puskesmas: np.ndarray
    inside_puskesmas_kode: np.ndarray


@dataclass(frozen=True)
class _DatedPool:
    """Pustu and puskesmas rows of every snapshot (current rows first, then history), placed once.

    Arrays are per pool row; ``epochs`` holds the rule's masks (:mod:`geo.dating`).
    """

    jenis: np.ndarray
    final: np.ndarray
    outside: np.ndarray
    x: np.ndarray
    y: np.ndarray
    keys: pd.Series
    active: np.ndarray
    staffed: np.ndarray
    history: np.ndarray
    group: np.ndarray
    per: np.ndarray
    aktif: np.ndarray
    nonaktif: np.ndarray
    epochs: dating.Epochs


class Coverage:
    """Coverage of every desa; month-independent work is done once here.

    Parameters
    ----------
    dataset
        The layers to compute on.
    rules
        Engine settings (:class:`geo.rules.Rules`).

    Raises
    ------
    NoDesaError
        When the desa layer is empty (an :class:`~loaders.exceptions.InputError`).
    """

    def __init__(self, dataset: Dataset, *, rules: Rules = Rules()) -> None:
        self.rules = rules
        self.dataset = dataset
        self._desa = sorted_desa(dataset.desa)
        self._desa_index = pd.Index(self._desa["kode_desa"].to_numpy(dtype=object))
        self._polygons = np.asarray(self._desa.geometry.values, dtype=object)
        self._crs = metric_crs(self._desa.total_bounds)
        self._desa_x, self._desa_y = to_metric(*point_xy(shapely.point_on_surface(self._polygons)), self._crs)

        self._fac = _normalised_facilities(dataset.fasilitas)
        self._points = np.asarray(self._fac.geometry.values, dtype=object)
        # Posyandu with a valid declared desa count there whatever their point says: their
        # points are located only when the facilities table or the quality findings are asked for.
        defer = (self._fac["jenis"] == model.POSYANDU).to_numpy(dtype=bool, na_value=False)
        self._placement: Placement = place(self._fac, self._desa_index, self._polygons, defer=defer)
        self._full_placement: Placement | None = None
        self._final_kode = pd.Series(_codes_at(self._desa_index, self._placement.final))
        self._fac_x, self._fac_y = self._facility_metric_xy()
        self._units = _unique_units(self._fac, self._final_kode, self._placement)
        self._judged = _judgements(self._fac, self._units)
        self._matrix = act.build_report_matrix(dataset.laporan, self._units.posyandu_kode)
        self.months: list[str] = self._matrix.months
        self.latest_month: str | None = self.months[-1] if self.months else None

        self.working_areas: pd.DataFrame = self._working_areas()
        self._ada_data, self._ada_laporan = self._data_present()
        self._judged = _judged_within_dates(self._judged, self._fac, self.latest_month)
        self._base = self._static_table()
        self._dated: _DatedPool | None = self._dated_pool()
        self._epoch_cache: dict[int, dict[str, np.ndarray]] = {}
        self._activity_cache: dict[int, act.MonthActivity] = {}
        self._dating_cache: dict[str, dating.FacilityDating] = {}
        self._quality_cache: dict[int | None, pd.DataFrame] = {}
        self._facilities: gpd.GeoDataFrame | None = None
        self._geometry_cache: dict[float, gpd.GeoDataFrame] = {}
        self._distance_m: np.ndarray | None = None

    @property
    def facilities(self) -> gpd.GeoDataFrame:
        """``fasilitas`` + placement columns + the engine's judgements of each row.

        Placement (:data:`geo.placement.PLACEMENT_COLUMNS`): ``kode_desa_lokasi``, ``kode_desa_final``,
        ``cara_penempatan``, ``jarak_deklarasi_m``, ``di_luar_wilayah``. Judgements
        (:data:`JUDGEMENT_COLUMNS`, computed once in the constructor and counted in the desa table):
        ``aktif`` (boolean; puskesmas and pustu: status ``aktif``; NA for posyandu, whose activity
        depends on the month: :meth:`posyandu_activity`), ``dihitung`` (bool: the row is the unique
        unit the engine counts, one per identity) and ``sesuai_standar`` (boolean; pustu: active with
        >= 1 perawat and >= 1 bidan; NA for other kinds).

        Built on first use: locating the points of posyandu with a valid declared desa and their
        distances to it are not needed for the status, so they are computed only here (and for
        :meth:`quality`), once.

        Always the latest state (the rows of ``fasilitas``; earlier snapshots are not listed): the
        list every page shows as "now". A row with ``tanggal_aktif``/``tanggal_nonaktif`` is judged
        ``aktif`` (and ``sesuai_standar``) as of the latest report month: active only within its
        dates. What was in force in another month, and counted, is in :meth:`desa_table` (rule:
        :mod:`geo.dating`); :meth:`facility_dating` says how dated it is. No ``month=`` here: the
        pages list the facilities of today, and the month's figures come from the desa table.
        """
        if self._facilities is None:
            extra = placement_columns(self._located_placement(), self._desa_index, self._declared_distance())
            frame = pd.concat([pd.DataFrame(self._fac.drop(columns="geometry")), extra, self._judged], axis=1)
            self._facilities = gpd.GeoDataFrame(frame, geometry=self._fac.geometry.values, crs=model.CRS)
        return self._facilities

    def _declared_distance(self) -> np.ndarray:
        if self._distance_m is None:
            placement = self._located_placement()
            self._distance_m = declared_distance(self._points, self._polygons, placement, crs=self._crs)
        return self._distance_m

    def _located_placement(self) -> Placement:
        """The placement with every point located (the deferred ones on first use)."""
        if self._full_placement is None:
            self._full_placement = complete(self._placement, self._points, self._polygons)
        return self._full_placement

    # -- construction helpers --------------------------------------------------
    def _facility_metric_xy(self) -> tuple[np.ndarray, np.ndarray]:
        """Metric point of each pustu and puskesmas (posyandu need none: NaN).

        Its own point when inside the district, else the representative point
        of the desa it counts in, else NaN.
        """
        n = len(self._fac)
        x, y = np.full(n, np.nan), np.full(n, np.nan)
        rows = np.flatnonzero((self._fac["jenis"] != model.POSYANDU).to_numpy(dtype=bool, na_value=True))
        p = self._placement
        own = rows[p.located[rows] >= 0]
        lon, lat = point_xy(self._points[own])
        x[own], y[own] = to_metric(lon, lat, self._crs)
        by_desa = rows[(p.located[rows] < 0) & (p.final[rows] >= 0)]
        x[by_desa] = self._desa_x[p.final[by_desa]]
        y[by_desa] = self._desa_y[p.final[by_desa]]
        return x, y

    def _working_areas(self) -> pd.DataFrame:
        inside = self._units.inside_puskesmas
        desa = wa.DesaPoints(
            kode_desa=self._desa_index.to_numpy(),
            kecamatan=pd.factorize(self._desa["kode_kecamatan"])[0],
            kabupaten=pd.factorize(self._desa["kode_kabupaten"])[0],
            x=self._desa_x,
            y=self._desa_y,
        )
        puskesmas = wa.PuskesmasPoints(
            kode=self._units.inside_puskesmas_kode,
            nama=self._fac["nama"].iloc[inside].to_numpy(dtype=object, na_value=None),
            desa=self._placement.final[inside],
            x=self._fac_x[inside],
            y=self._fac_y[inside],
        )
        return wa.assign(desa, puskesmas, self.dataset.wilayah_kerja)

    def _data_present(self) -> tuple[np.ndarray, np.ndarray]:
        """Per desa: its kabupaten/kota has facility data / has reports (README "Aturan", ``geo.status``).

        Facility data: at least one facility row (any kind, any status) counts in one of its desa.
        Reports: at least one report row (any month) of a posyandu counting in one of its desa.
        """
        kabupaten, names = pd.factorize(self._desa["kode_kabupaten"], use_na_sentinel=False)
        final = self._placement.final
        with_facility = np.zeros(len(names), dtype=bool)
        with_facility[kabupaten[final[final >= 0]]] = True
        desa_of = final[self._units.posyandu]
        last = self._matrix.last_report
        reported = last[:, -1] >= 0 if last.shape[1] else np.zeros(len(desa_of), dtype=bool)
        with_reports = np.zeros(len(names), dtype=bool)
        with_reports[kabupaten[desa_of[reported & (desa_of >= 0)]]] = True
        return with_facility[kabupaten], with_reports[kabupaten]

    def _static_table(self) -> pd.DataFrame:
        """The month-independent columns of the desa table, one row per desa (sorted by kode)."""
        n = len(self._desa)
        final = self._placement.final
        pustu = self._units.pustu
        pustu_active = self._judged["aktif"].to_numpy(dtype=bool, na_value=False)[pustu]
        pustu_standard = self._judged["sesuai_standar"].to_numpy(dtype=bool, na_value=False)[pustu]
        inside_pusk = self._units.inside_puskesmas
        active_pustu = pustu[pustu_active]
        jarak_m = nearest_distance(self._desa_x, self._desa_y, self._fac_x[active_pustu], self._fac_y[active_pustu])
        desa = self._desa
        return pd.DataFrame(
            {
                "kode_desa": desa["kode_desa"],
                "nama_desa": desa["nama_desa"],
                "kode_kecamatan": desa["kode_kecamatan"],
                "nama_kecamatan": desa["nama_kecamatan"],
                "puskesmas": self.working_areas["nama_puskesmas"],
                "pustu_aktif": st.count_per_desa(final[pustu], n, mask=pustu_active),
                "ada_puskesmas": st.count_per_desa(final[inside_pusk], n) > 0,
                "posyandu_total": st.count_per_desa(final[self._units.posyandu], n),
                "jarak_pustu_km": jarak_m / 1000.0,
                "kode_puskesmas": self.working_areas["kode_puskesmas"],
                "kode_kabupaten": desa["kode_kabupaten"],
                "nama_kabupaten": desa["nama_kabupaten"],
                "kode_provinsi": desa["kode_provinsi"],
                "nama_provinsi": desa["nama_provinsi"],
                "pustu_total": st.count_per_desa(final[pustu], n),
                "pustu_standar": st.count_per_desa(final[pustu], n, mask=pustu_standard),
                "jenis": desa["jenis"],
                "ada_data": self._ada_data,
                "ada_laporan": self._ada_laporan,
            }
        )

    # -- dated facility status (geo.dating) -------------------------------------------
    def _dated_pool(self) -> _DatedPool | None:
        """The pustu and puskesmas rows of every snapshot with the rule's epochs; None when nothing is dated.

        Nothing is dated when there is no history row of those kinds and no date-column value on
        their current rows: then the month-independent table holds for every month (no extra work).
        """
        fac = self._fac
        history = _history_rows(self.dataset.riwayat_fasilitas)
        everywhere = np.arange(len(fac))
        if history is None and not any(_has_values(fac, column, everywhere) for column in DATE_COLUMNS):
            return None  # the undated path: two column checks, nothing per row
        current = np.flatnonzero(fac["jenis"].isin(DATED_KINDS).to_numpy(dtype=bool, na_value=False))
        if history is None and not any(_has_values(fac, column, current) for column in DATE_COLUMNS):
            return None
        frames = [fac.iloc[current]] + ([history] if history is not None else [])
        pool = pd.concat(frames, ignore_index=True)
        p = self._placement
        final, outside = p.final[current], p.outside[current]
        x, y = self._fac_x[current], self._fac_y[current]
        if history is not None:
            placed = place(history, self._desa_index, self._polygons)
            hx, hy = _metric_points(
                placed, np.asarray(history.geometry.values, dtype=object), self._desa_x, self._desa_y, self._crs
            )
            final = np.concatenate([final, placed.final])
            outside = np.concatenate([outside, placed.outside])
            x, y = np.concatenate([x, hx]), np.concatenate([y, hy])
        n = len(pool)
        jenis = pool["jenis"].to_numpy(dtype=object, na_value=None)
        final_kode = pd.Series(_codes_at(self._desa_index, final))
        keys = pd.Series(pd.array([None] * n, dtype=model.STR))
        for kind in DATED_KINDS:
            pos = np.flatnonzero(jenis == kind)
            keys.iloc[pos] = _identity(pool, final_kode, pos, kind).to_numpy(dtype=object, na_value=None)
        group = _groups(jenis, final_kode, pool["kode_desa"])
        per = dating.month_values(pool["per"] if "per" in pool.columns else None, n)
        aktif, nonaktif = (dating.month_values(pool[c] if c in pool.columns else None, n) for c in DATE_COLUMNS)
        return _DatedPool(
            jenis=jenis,
            final=final,
            outside=outside,
            x=x,
            y=y,
            keys=keys,
            active=(pool["status"] == model.AKTIF).to_numpy(dtype=bool, na_value=False),
            staffed=_staffed(pool),
            history=np.arange(n) >= len(current),
            group=group,
            per=per,
            aktif=aktif,
            nonaktif=nonaktif,
            epochs=dating.epochs(per, group, aktif, nonaktif),
        )

    def _epoch_columns(self, epoch: int) -> dict[str, np.ndarray]:
        """The dated columns (:data:`DATED_COLUMNS`) of one epoch, per desa in table order; cached."""
        pool = self._dated
        if pool is None:
            return {}
        if epoch not in self._epoch_cache:
            if len(self._epoch_cache) >= EPOCH_CACHE_SIZE:
                self._epoch_cache.clear()
            force, within = pool.epochs.in_force[epoch], pool.epochs.within[epoch]
            n = len(self._desa)
            pustu = _unique_rows(pool, force & (pool.jenis == model.PUSTU))
            active = pool.active[pustu] & within[pustu]
            standard = active & pool.staffed[pustu]
            active_pustu = pustu[active]
            jarak_m = nearest_distance(self._desa_x, self._desa_y, pool.x[active_pustu], pool.y[active_pustu])
            puskesmas = _unique_rows(pool, force & within & (pool.jenis == model.PUSKESMAS))
            inside = puskesmas[~pool.outside[puskesmas] & (pool.final[puskesmas] >= 0)]
            self._epoch_cache[epoch] = {
                "pustu_aktif": st.count_per_desa(pool.final[pustu], n, mask=active),
                "ada_puskesmas": st.count_per_desa(pool.final[inside], n) > 0,
                "jarak_pustu_km": jarak_m / 1000.0,
                "pustu_total": st.count_per_desa(pool.final[pustu], n),
                "pustu_standar": st.count_per_desa(pool.final[pustu], n, mask=standard),
            }
        return self._epoch_cache[epoch]

    def facility_dating(self, kind: str = model.PUSTU) -> dating.FacilityDating:
        """How dated the status of ``kind`` is, for the notes under the trend charts.

        ``dated``: some row of the kind carries an earlier snapshot or a date-column value;
        ``first_month``: the first month with dated information; ``held_months``: the report
        months (:attr:`months`) that used a state not describing them (before the first snapshot
        of a group without date columns: the earliest known state). Posyandu are never dated
        (their activity comes from the reports).

        Raises
        ------
        InputError
            For an unknown kind.
        """
        if kind not in model.JENIS_FASILITAS:
            msg = f"Jenis fasilitas '{kind}' tidak dikenal; pilih salah satu: {', '.join(model.JENIS_FASILITAS)}."
            raise InputError(msg)
        if kind not in self._dating_cache:  # the Ringkasan trend asks on every rerun; the data never changes
            self._dating_cache[kind] = self._facility_dating(kind)
        return self._dating_cache[kind]

    def _facility_dating(self, kind: str) -> dating.FacilityDating:
        pool = self._dated
        undated = dating.FacilityDating(dated=False, first_month=None, held_months=())
        if pool is None or kind not in DATED_KINDS:
            return undated
        rows = pool.jenis == kind
        with_dates = rows & np.array(
            [a is not None or e is not None for a, e in zip(pool.aktif, pool.nonaktif, strict=True)]
        )
        with_history = rows & pool.history
        if not (with_dates.any() or with_history.any()):
            return undated
        history_groups = set(pool.group[with_history])
        snapshot_rows = rows & np.isin(pool.group, list(history_groups))
        candidates = [
            *(m for m in pool.per[snapshot_rows] if m is not None),
            *(m for m in pool.aktif[with_dates] if m is not None),
            *(m for m in pool.nonaktif[with_dates] if m is not None),
        ]
        epochs = pool.epochs
        held = tuple(m for m in self.months if (epochs.held[epochs.epoch(m)] & rows).any())
        return dating.FacilityDating(dated=True, first_month=min(candidates, default=None), held_months=held)

    # -- per month ---------------------------------------------------------------
    def reported_month(self, month: str | None = None) -> str:
        """The month to report on: ``month`` when it lies within the report months, else the latest one.

        The one home of "which months are valid" for the CLI (the pages offer
        only :attr:`months`). A month inside the range without reports of its
        own is valid (the activity window reaches back over it).

        Raises
        ------
        InputError
            When ``month`` is not ``YYYY-MM``, lies outside the first to the latest
            report month (the message names the range), or there are no reports at all.
        """
        if month is not None:
            act.parse_month(month)
        if not self.months:
            asked = f"Bulan {month} tidak dapat dinilai: " if month is not None else ""
            msg = f"{asked}belum ada laporan posyandu. Impor laporan posyandu dulu."
            raise InputError(msg[0].upper() + msg[1:])
        if month is None:
            return self.months[-1]
        first, last = self.months[0], self.months[-1]
        if not first <= month <= last:
            msg = (
                f"Bulan {month} di luar rentang laporan: {first} sampai {last}. "
                f"Pilih bulan dalam rentang itu (bawaan: bulan terakhir, {last})."
            )
            raise InputError(msg)
        return month

    def _activity(self, month: str) -> tuple[int, act.MonthActivity]:
        index = act.parse_month(month)
        if index not in self._activity_cache:
            if len(self._activity_cache) >= 48:
                self._activity_cache.clear()
            self._activity_cache[index] = act.activity_for_month(self._matrix, index, rules=self.rules)
        return index, self._activity_cache[index]

    def _positions(self, kode_desa: Sequence[str] | None) -> np.ndarray | None:
        if kode_desa is None:
            return None
        pos = self._desa_index.get_indexer(pd.Index(list(kode_desa), dtype=object))
        return np.unique(pos[pos >= 0])

    def desa_table(self, month: str, *, kode_desa: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per desa (sorted by ``kode_desa``) with the status fields and extras.

        Parameters
        ----------
        month
            ``YYYY-MM``; any valid month (before the first report: no posyandu active). With dated
            facility status the pustu columns and ``ada_puskesmas`` are those of the month (rule:
            :mod:`geo.dating`); without, the same in every month.
        kode_desa
            Only these desa (unknown codes are ignored).

        Returns
        -------
        pandas.DataFrame
            Columns :data:`geo.status.DESA_TABLE_COLUMNS`.

        Raises
        ------
        InputError
            When ``month`` is not ``YYYY-MM``.
        """
        _, activity = self._activity(month)
        posyandu = self._units.posyandu
        desa_of = self._placement.final[posyandu]
        n = len(self._desa)
        aktif = st.count_per_desa(desa_of, n, mask=activity.aktif)
        lapor = st.count_per_desa(desa_of, n, mask=activity.lapor)
        base = self._base
        positions = self._positions(kode_desa)
        if positions is not None:
            base, aktif, lapor = base.iloc[positions], aktif[positions], lapor[positions]
        if self._dated is not None:  # dated facility status: this month's epoch (geo.dating)
            dated_columns = self._epoch_columns(self._dated.epochs.epoch(month))
            base = base.assign(**{k: v if positions is None else v[positions] for k, v in dated_columns.items()})
        table = st.month_table(
            base,
            posyandu_aktif=aktif,
            posyandu_lapor=lapor,
            puskesmas_sebagai_pustu=self.rules.puskesmas_sebagai_pustu,
        )
        return table.reset_index(drop=True)

    def desa_places(self) -> pd.DataFrame:
        """Where each desa lies, month independent: its codes and names of every level and its puskesmas.

        Columns :data:`PLACE_COLUMNS`, one row per desa in desa-table order (a copy).
        """
        return self._base.loc[:, list(PLACE_COLUMNS)].copy()

    def desa_status(self, month: str) -> pd.DataFrame:
        """Exactly the 12 status fields (:data:`geo.status.DESA_STATUS_COLUMNS`) for every desa."""
        return self.desa_table(month).loc[:, list(st.DESA_STATUS_COLUMNS)]

    def desa_geometries(self, *, simplify_m: float | None = None) -> gpd.GeoDataFrame:
        """``kode_desa`` + geometry, in desa-table order.

        ``simplify_m`` simplifies for display (tolerance converted at 111,320 m
        per degree): plain Douglas-Peucker first, and the topology-preserving
        simplifier for any polygon that came out invalid or empty, so every
        result is a valid polygon (about 4x faster than simplifying all with
        topology preservation). Cached per tolerance.
        """
        key = float(simplify_m or 0.0)
        if key not in self._geometry_cache:
            geometry = self._polygons
            if key > 0:
                geometry = _simplified(geometry, key / METRES_PER_DEGREE)
            self._geometry_cache[key] = gpd.GeoDataFrame(
                {"kode_desa": self._desa["kode_desa"].reset_index(drop=True)},
                geometry=gpd.GeoSeries(geometry, crs=model.CRS),
                crs=model.CRS,
            )
        return self._geometry_cache[key].copy()

    def posyandu_activity(self, month: str) -> pd.DataFrame:
        """One row per unique posyandu with its activity for ``month`` (code, name, desa, activity, point).

        ``belum_melapor``: the posyandu's kabupaten/kota has no report at all (a posyandu counting
        in no desa: no kabupaten/kota has reports); such a posyandu is not active (``aktif`` False)
        but is not to be called inactive either (README "Aturan").
        """
        _, activity = self._activity(month)
        pos = self._units.posyandu
        desa_of = self._placement.final[pos]
        no_reports = not self._ada_laporan.any()
        belum = np.where(desa_of >= 0, ~self._ada_laporan[np.maximum(desa_of, 0)], no_reports)
        fac = self._fac
        lon, lat = point_xy(self._points[pos])
        distinct, which = np.unique(activity.laporan_terakhir, return_inverse=True)
        labels = np.array([act.month_label(m) if m >= 0 else None for m in distinct], dtype=object)[which]
        return pd.DataFrame(
            {
                "kode": self._units.posyandu_kode.array,
                "nama": fac["nama"].iloc[pos].to_numpy(dtype=object, na_value=None),
                "kode_desa": self._final_kode.iloc[pos].to_numpy(dtype=object, na_value=None),
                "status": fac["status"].iloc[pos].to_numpy(dtype=object, na_value=None),
                "bulan_buka": activity.bulan_buka,
                "aktif": activity.aktif,
                "lapor_bulan_ini": activity.lapor,
                "laporan_terakhir": labels,
                "berhenti_lapor": activity.berhenti,
                "belum_melapor": np.asarray(belum, dtype=bool),
                "lat": lat,
                "lon": lon,
            }
        ).astype(
            {
                "kode": "string",
                "nama": "string",
                "kode_desa": "string",
                "status": "string",
                "laporan_terakhir": "string",
                "lat": "Float64",
                "lon": "Float64",
            }
        )

    def posyandu_monthly(self, *, kode_desa: str | None = None) -> pd.DataFrame:
        """Report rows (the first row per known posyandu and month) with the posyandu's ``kode_desa``.

        Sorted by ``kode_posyandu`` then ``bulan``; only the posyandu of ``kode_desa`` when given.
        """
        desa_of_unit = self._placement.final[self._units.posyandu]
        units = None
        if kode_desa is not None:
            target = self._desa_index.get_indexer(pd.Index([kode_desa], dtype=object))[0]
            units = np.flatnonzero(desa_of_unit == target) if target >= 0 else np.empty(0, dtype="int64")
        rows = self._matrix.first_rows(units)
        desa_of = desa_of_unit[self._matrix.row_cell[rows] // max(len(self.months), 1)]
        kode = np.full(len(rows), None, dtype=object)
        kode[desa_of >= 0] = self._desa_index.to_numpy()[desa_of[desa_of >= 0]]
        frame = self.dataset.laporan.iloc[rows].reset_index(drop=True)
        frame = frame.assign(kode_desa=pd.Series(kode, dtype="string"))
        return frame.sort_values(["kode_posyandu", "bulan"], ignore_index=True)

    def indicators(self, month: str, *, by: str, kode_desa: Sequence[str] | None = None) -> pd.DataFrame:
        """``summarise(desa_table(month) of kode_desa, by=by)``."""
        return summarise(self.desa_table(month, kode_desa=kode_desa), by=by)

    def indicator_trend(self, *, by: str, kode_desa: Sequence[str] | None = None) -> pd.DataFrame:
        """Indicators for every month in :attr:`months`, with a leading ``bulan`` column."""
        frames = [self.indicators(month, by=by, kode_desa=kode_desa).assign(bulan=month) for month in self.months]
        if not frames:
            empty = summarise(self.desa_table("2000-01", kode_desa=[]), by=by).assign(bulan=pd.Series(dtype="string"))
            frames = [empty]
        trend = pd.concat(frames, ignore_index=True)
        trend["bulan"] = trend["bulan"].astype("string")
        return trend.loc[:, ["bulan", *[c for c in trend.columns if c != "bulan"]]]

    def quality(self, month: str | None = None) -> pd.DataFrame:
        """Data-quality findings (see :mod:`geo.quality`); ``month`` defaults to the latest report month."""
        chosen = month if month is not None else self.latest_month
        index, activity = self._activity(chosen) if chosen is not None else (None, None)
        if index not in self._quality_cache:
            self._quality_cache[index] = self._build_quality(index, activity)
        return self._quality_cache[index].copy()

    def _build_quality(self, month: int | None, activity: act.MonthActivity | None) -> pd.DataFrame:
        inputs = qual.QualityInputs(
            facilities=self.facilities,
            placement=self._located_placement(),
            distance_m=self._declared_distance(),
            crs=self._crs,
            posyandu=self._units.posyandu,
            posyandu_kode=self._units.posyandu_kode.to_numpy(dtype=object),
            activity=activity,
            month=month,
            matrix=self._matrix,
            working_areas=self.working_areas,
            wilayah_kerja_given=not self.dataset.wilayah_kerja.empty,
            inside_puskesmas=self._units.inside_puskesmas,
            inside_puskesmas_kode=self._units.inside_puskesmas_kode,
            desa=self._desa,
            catatan=self.dataset.catatan,
            rules=self.rules,
        )
        return qual.findings(inputs)


# -- module helpers ----------------------------------------------------------------
def _normalised_facilities(fasilitas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Facilities with ``jenis`` and ``status`` lower-cased and stripped, index reset (input untouched)."""
    out = fasilitas.reset_index(drop=True)
    return out.assign(jenis=_normalised_text(out["jenis"]), status=_normalised_text(out["status"]))


def _normalised_text(values: pd.Series) -> pd.Series:
    """Lower-case, stripped text, computed once per distinct value."""
    return map_distinct(values, lambda v: str(v).strip().lower(), dtype=model.STR)


def _simplified(polygons: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker, redone with topology preservation where the fast result is invalid or empty."""
    fast = shapely.simplify(polygons, tolerance, preserve_topology=False)
    bad = np.flatnonzero(~shapely.is_valid(fast) | shapely.is_empty(fast))
    if bad.size:
        fast[bad] = shapely.simplify(polygons[bad], tolerance, preserve_topology=True)
    return fast


def _codes_at(desa_index: pd.Index, positions: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``kode_desa`` at each desa position (NA for -1), as a string array."""
    codes = pd.array(np.asarray(desa_index, dtype=object), dtype=model.STR)
    return codes.take(positions, allow_fill=True)


def _identity(fac: pd.DataFrame, final_kode: pd.Series, pos: np.ndarray, kind: str) -> pd.Series:
    """Identity keys (string Series, index 0..n-1) of the rows ``pos`` of one kind.

    posyandu: ``kode``; puskesmas: ``kode``, else ``kode_puskesmas``; both else
    ``id:<id_fasilitas>``. Pustu have no code: lower-cased name + final desa.
    """

    def _column(name: str) -> pd.Series:
        return fac[name].iloc[pos].reset_index(drop=True).astype(model.STR)

    if kind == model.PUSTU:
        desa = final_kode.iloc[pos].reset_index(drop=True)
        desa = desa.fillna("id:" + _column("id_fasilitas").fillna("")) if desa.isna().any() else desa
        return _column("nama").fillna("").str.strip().str.lower() + "|" + desa
    key = _column("kode")
    if kind == model.PUSKESMAS and key.isna().any():
        key = key.fillna(_column("kode_puskesmas"))
    if key.isna().any():
        key = key.fillna("id:" + _column("id_fasilitas").fillna(""))
    return key


def _judgements(fac: gpd.GeoDataFrame, units: _Units) -> pd.DataFrame:
    """The engine's judgement of each facility row (:data:`JUDGEMENT_COLUMNS`, index 0..n-1).

    ``aktif``: puskesmas and pustu with status ``aktif`` (NA for other kinds: a posyandu's
    activity depends on the month); ``dihitung``: the row is one of the unique units counted;
    ``sesuai_standar``: an active pustu with >= 1 perawat and >= 1 bidan (NA for other kinds).
    """
    n = len(fac)
    jenis = fac["jenis"].to_numpy(dtype=object, na_value=None)
    static = (jenis == model.PUSKESMAS) | (jenis == model.PUSTU)
    is_pustu = jenis == model.PUSTU
    active = (fac["status"] == model.AKTIF).to_numpy(dtype=bool, na_value=False)
    staffed = _staffed(fac)
    counted = np.zeros(n, dtype=bool)
    counted[np.concatenate([units.posyandu, units.pustu, units.puskesmas])] = True
    aktif = pd.Series(active, dtype="boolean")
    aktif[~static] = pd.NA
    standard = pd.Series(active & staffed, dtype="boolean")
    standard[~is_pustu] = pd.NA
    return pd.DataFrame({"aktif": aktif, "dihitung": counted, "sesuai_standar": standard})


def _judged_within_dates(judged: pd.DataFrame, fac: pd.DataFrame, month: str | None) -> pd.DataFrame:
    """``judged`` with ``aktif``/``sesuai_standar`` False for rows outside their dates in ``month`` (a new frame).

    ``judged`` itself when no row carries a date or there is no month (the undated path).
    """
    if month is None or not any(_has_values(fac, column, np.arange(len(fac))) for column in DATE_COLUMNS):
        return judged
    aktif, nonaktif = (dating.month_values(fac[c] if c in fac.columns else None, len(fac)) for c in DATE_COLUMNS)
    outside = ~dating.within_dates(aktif, nonaktif, month)
    out = judged.copy()
    for column in ("aktif", "sesuai_standar"):
        values = out[column].copy()
        values[outside & values.notna().to_numpy(dtype=bool)] = False
        out[column] = values
    return out


def _unique_units(fac: gpd.GeoDataFrame, final_kode: pd.Series, placement: Placement) -> _Units:
    """One row per unique facility of each kind; a row placed in a desa is preferred, then the first."""
    unplaced = placement.final < 0

    def _unique(kind: str) -> tuple[np.ndarray, pd.Series]:
        pos = np.flatnonzero((fac["jenis"] == kind).to_numpy(dtype=bool, na_value=False))
        keys = _identity(fac, final_kode, pos, kind)
        if unplaced[pos].any():
            order = np.argsort(unplaced[pos], kind="stable")  # placed rows first, then file order
            first = first_occurrence(keys.iloc[order])
        else:
            order, first = np.arange(len(pos)), first_occurrence(keys)
        chosen = np.sort(order[first])
        return pos[chosen], keys.iloc[chosen].reset_index(drop=True)

    posyandu, posyandu_kode = _unique(model.POSYANDU)
    pustu, _ = _unique(model.PUSTU)
    puskesmas, puskesmas_kode = _unique(model.PUSKESMAS)
    inside = (~placement.outside[puskesmas]) & (placement.final[puskesmas] >= 0)
    inside_kode = puskesmas_kode.to_numpy(dtype=object)[inside]
    by_code = np.argsort(inside_kode.astype(str), kind="stable")
    return _Units(
        posyandu=posyandu,
        posyandu_kode=posyandu_kode,
        pustu=pustu,
        puskesmas=puskesmas,
        inside_puskesmas=puskesmas[inside][by_code],
        inside_puskesmas_kode=inside_kode[by_code],
    )


# -- dated facility status helpers ---------------------------------------------------
def _has_values(fac: pd.DataFrame, column: str, rows: np.ndarray) -> bool:
    """Whether ``column`` exists and holds a value on one of ``rows`` (vectorised: no per-row work)."""
    if column not in fac.columns:
        return False
    values = fac[column] if len(rows) == len(fac) else fac[column].iloc[rows]
    return bool(values.notna().any())


def _history_rows(history: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    """Normalised history rows of the dated kinds (index 0..n-1), None when there are none."""
    if history is None or history.empty:
        return None
    rows = _normalised_facilities(history)
    rows = rows[rows["jenis"].isin(DATED_KINDS).to_numpy(dtype=bool, na_value=False)].reset_index(drop=True)
    return rows if len(rows) else None


def _metric_points(
    placement: Placement, points: np.ndarray, desa_x: np.ndarray, desa_y: np.ndarray, crs: object
) -> tuple[np.ndarray, np.ndarray]:
    """Metric point of each row: its own point when located in a desa, else its desa's point, else NaN."""
    n = len(points)
    x, y = np.full(n, np.nan), np.full(n, np.nan)
    own = np.flatnonzero(placement.located >= 0)
    if own.size:
        lon, lat = point_xy(points[own])
        x[own], y[own] = to_metric(lon, lat, crs)
    by_desa = np.flatnonzero((placement.located < 0) & (placement.final >= 0))
    x[by_desa], y[by_desa] = desa_x[placement.final[by_desa]], desa_y[placement.final[by_desa]]
    return x, y


def _groups(jenis: np.ndarray, final_kode: pd.Series, declared: pd.Series) -> np.ndarray:
    """Snapshot group of each row: ``jenis|kode_kabupaten`` (of the desa it counts in, else of its declared code)."""
    kode = final_kode.reset_index(drop=True).astype("object")
    unplaced = np.flatnonzero(kode.isna().to_numpy(dtype=bool))
    if unplaced.size:
        given = declared.reset_index(drop=True).iloc[unplaced]
        kode.iloc[unplaced] = [model.normalise_kode_desa(v) if isinstance(v, str) else None for v in given]
    kabupaten = kode.astype("string").str.slice(0, 5).fillna("")  # PP.KK of PP.KK.CC.DDDD (model.kode_kabupaten_of)
    return (pd.Series(jenis, dtype=object).fillna("") + "|" + kabupaten).to_numpy(dtype=object)


def _staffed(fac: pd.DataFrame) -> np.ndarray:
    """Rows with >= 1 perawat and >= 1 bidan."""
    perawat = (fac["perawat"].fillna(0) >= 1).to_numpy(dtype=bool)
    return perawat & (fac["bidan"].fillna(0) >= 1).to_numpy(dtype=bool)


def _unique_rows(pool: _DatedPool, mask: np.ndarray) -> np.ndarray:
    """One pool row per identity among ``mask`` (as :func:`_unique_units`: placed rows first, then pool order)."""
    pos = np.flatnonzero(mask)
    keys = pool.keys.iloc[pos].reset_index(drop=True)
    unplaced = pool.final[pos] < 0
    if unplaced.any():
        order = np.argsort(unplaced, kind="stable")
        first = first_occurrence(keys.iloc[order])
    else:
        order, first = np.arange(len(pos)), first_occurrence(keys)
    return pos[np.sort(order[first])]
