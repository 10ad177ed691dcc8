"""The model layers the coverage engine reads, as one value.

:class:`Dataset` is what :mod:`geo` computes on; :func:`read_dataset` reads it
from a :class:`~loaders.store.Store`, so the engine never touches the store.
``from geo.engine import Dataset`` keeps working (the engine re-exports it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from loaders import model

if TYPE_CHECKING:
    from loaders.store import Store

__all__ = ["Dataset", "read_dataset"]


@dataclass(frozen=True)
class Dataset:
    """The model layers the engine reads (see :mod:`loaders.model`).

    ``fasilitas`` is the latest known state of every facility;
    ``riwayat_fasilitas`` holds the rows of earlier snapshots (empty when the
    store has none, e.g. a store written before snapshots existed).
    """

    desa: gpd.GeoDataFrame
    fasilitas: gpd.GeoDataFrame
    laporan: pd.DataFrame
    wilayah_kerja: pd.DataFrame
    catatan: pd.DataFrame
    riwayat_fasilitas: gpd.GeoDataFrame = field(default_factory=lambda: _empty_history())
    target: pd.DataFrame = field(default_factory=lambda: model.empty(model.LAYER_TARGET))

    @classmethod
    def from_frames(
        cls,
        *,
        desa: pd.DataFrame,
        fasilitas: pd.DataFrame | None = None,
        laporan: pd.DataFrame | None = None,
        wilayah_kerja: pd.DataFrame | None = None,
        catatan: pd.DataFrame | None = None,
        riwayat_fasilitas: pd.DataFrame | None = None,
        target: pd.DataFrame | None = None,
    ) -> Dataset:
        """Conform partial frames to the model (missing layers empty); handy for tests and the demo."""

        def _layer(frame: pd.DataFrame | None, layer: str) -> pd.DataFrame:
            return model.empty(layer) if frame is None else model.conform(frame, layer)

        return cls(
            desa=_layer(desa, model.LAYER_DESA),
            fasilitas=_layer(fasilitas, model.LAYER_FASILITAS),
            laporan=_layer(laporan, model.LAYER_LAPORAN),
            wilayah_kerja=_layer(wilayah_kerja, model.LAYER_WILAYAH_KERJA),
            catatan=_layer(catatan, model.LAYER_CATATAN),
            riwayat_fasilitas=_layer(riwayat_fasilitas, model.LAYER_RIWAYAT_FASILITAS),
            target=_layer(target, model.LAYER_TARGET),
        )


def _empty_history() -> gpd.GeoDataFrame:
    """An empty ``riwayat_fasilitas`` layer (no earlier snapshots)."""
    frame = model.empty(model.LAYER_RIWAYAT_FASILITAS)
    assert isinstance(frame, gpd.GeoDataFrame)  # a spatial layer
    return frame


def read_dataset(store: Store) -> Dataset:
    """Read every layer the engine needs from ``store`` (already in the model's shape).

    Parameters
    ----------
    store
        The GeoPackage store; an absent store gives empty layers.

    Returns
    -------
    Dataset
        The desa, fasilitas, laporan, wilayah_kerja, catatan and riwayat_fasilitas
        layers (a store without the history layer gives it empty), and the
        targets (``target``; a store without that layer has no targets).
    """
    return Dataset(
        desa=store.read_desa(),
        fasilitas=store.read_fasilitas(),
        laporan=store.read_laporan(),
        wilayah_kerja=store.read_wilayah_kerja(),
        catatan=store.read_catatan(),
        riwayat_fasilitas=store.read_layer(model.LAYER_RIWAYAT_FASILITAS),
        target=store.read_layer(model.LAYER_TARGET),
    )
