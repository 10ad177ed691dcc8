"""The embedded demo: a deterministic, entirely synthetic district.

"Kabupaten Contoh (sintetis)" (code ``99.01`` in the fictitious province
``99``) has about 200 desa in 15 kecamatan, about 20 puskesmas, pustu,
posyandu and 22 months of posyandu reports (2025-01 .. 2026-10) with
realistic gaps and a few planted data defects. Nothing in it is real. The
same seed always gives the same content; ``data/demo.gpkg`` is made with::

    python cli.py demo --store data/demo.gpkg

Parts: :mod:`loaders.demo_geometry` (shapes), :mod:`loaders.demo_names`,
:mod:`loaders.demo_desa`, :mod:`loaders.demo_facilities`,
:mod:`loaders.demo_reports`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from loaders import model
from loaders.demo_desa import build_desa
from loaders.demo_facilities import (
    BERKAS,
    Defects,
    build_posyandu,
    build_puskesmas,
    build_pustu,
    plant_defects,
    serving_puskesmas,
    swap_notes,
)
from loaders.demo_reports import build_reports
from loaders.store import ChangeRecord, Store

DEFAULT_SEED: Final = 2023
JENIS_IMPOR: Final = "demo"
CATATAN_SUMBER: Final = "demo"


@dataclass(frozen=True)
class DemoData:
    """The demo district as model-shaped frames (see :mod:`loaders.model`)."""

    desa: gpd.GeoDataFrame
    fasilitas: gpd.GeoDataFrame
    laporan: pd.DataFrame
    catatan: pd.DataFrame  # catatan_impor rows, ``versi`` not yet set
    defects: Defects

    @property
    def rows(self) -> int:
        """Total rows of the generated layers."""
        return len(self.desa) + len(self.fasilitas) + len(self.laporan)


def build_demo(*, seed: int = DEFAULT_SEED) -> DemoData:
    """Generate the synthetic district for ``seed`` (deterministic).

    Parameters
    ----------
    seed
        Seed of the :class:`numpy.random.SeedSequence`; each part (desa,
        facilities, defects, reports) draws from its own child stream.

    Returns
    -------
    DemoData
        The ``desa``, ``fasilitas``, ``laporan`` and ``catatan_impor`` frames.
    """
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]
    desa = build_desa(streams[0])
    puskesmas = build_puskesmas(desa, streams[1])
    induk = serving_puskesmas(desa, puskesmas)
    pustu = build_pustu(desa, induk, puskesmas, streams[1])
    posyandu, defects = plant_defects(build_posyandu(desa, induk, streams[1]), streams[2])
    fasilitas = _fasilitas(puskesmas, pustu, posyandu)
    laporan = build_reports(posyandu, desa.set_index("kode_desa")["penduduk"], streams[3])
    catatan = model.conform(swap_notes(posyandu).assign(sumber=CATATAN_SUMBER), model.LAYER_CATATAN)
    return DemoData(
        desa=model.conform(desa, model.LAYER_DESA),
        fasilitas=fasilitas,
        laporan=laporan,
        catatan=catatan,
        defects=defects,
    )


def write_demo(store: Store, *, seed: int = DEFAULT_SEED, oleh: str = "") -> int:
    """Replace the content of ``store`` by the demo district, as one new data version.

    Every layer is replaced (``wilayah_kerja`` is left empty so working areas
    are derived; earlier import findings are dropped).

    Parameters
    ----------
    store
        The store to write (created when absent).
    seed
        See :func:`build_demo`.
    oleh
        Who wrote it, for the import log.

    Returns
    -------
    int
        The new data version.
    """
    demo = build_demo(seed=seed)
    version = store.version() + 1
    layers = {
        model.LAYER_DESA: demo.desa,
        model.LAYER_FASILITAS: demo.fasilitas,
        model.LAYER_LAPORAN: demo.laporan,
        model.LAYER_WILAYAH_KERJA: model.empty(model.LAYER_WILAYAH_KERJA),
        model.LAYER_CATATAN: demo.catatan.assign(versi=version).astype({"versi": model.INT}),
    }
    record = ChangeRecord(
        jenis_impor=JENIS_IMPOR,
        berkas=BERKAS,
        baris_dibaca=demo.rows,
        diterima=demo.rows,
        keterangan=_summary(demo, seed=seed),
        oleh=oleh,
    )
    return store.commit(layers=layers, record=record)


def _fasilitas(*parts: pd.DataFrame) -> gpd.GeoDataFrame:
    """Stack puskesmas, pustu and posyandu rows and give each a stable id."""
    frame = pd.concat(parts, ignore_index=True)
    serial = frame.groupby("jenis", sort=False).cumcount() + 1
    frame["id_fasilitas"] = [f"{j}-{n:04d}" for j, n in zip(frame["jenis"], serial, strict=True)]
    points = gpd.GeoSeries(frame.pop("geometry").to_list(), crs=model.CRS)
    return model.conform(gpd.GeoDataFrame(frame, geometry=points, crs=model.CRS), model.LAYER_FASILITAS)


def _summary(demo: DemoData, *, seed: int) -> str:
    counts = demo.fasilitas["jenis"].value_counts()
    return (
        f"Kabupaten contoh sintetis (benih {seed}): {len(demo.desa)} desa/kelurahan, "
        f"{demo.desa['kode_kecamatan'].nunique()} kecamatan, {counts.get(model.PUSKESMAS, 0)} puskesmas, "
        f"{counts.get(model.PUSTU, 0)} pustu, {counts.get(model.POSYANDU, 0)} posyandu, "
        f"{demo.laporan['bulan'].nunique()} bulan laporan. Tidak ada data nyata."
    )
