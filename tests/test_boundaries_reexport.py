"""Real districts from ../shared/data: re-exported in other conventions, imported back the same.

Each district is re-exported as (a) a BIG RBI zipped Shapefile, (b) an OCHA/HDX
COD-AB GeoJSON, (c) a KML as QGIS writes it (``Name``/``Description`` plus
ExtendedData) and (d) a KML with every attribute in ExtendedData (LIBKML); each
must import to the same desa: same count, same 10-digit codes, same names, and
areas within 1 %. The district counts and the province GeoParquet (5,957 desa
in 627 kecamatan, read back from the store) are checked here too; how fast the
store gives them back is measured by ``python -m benchmarks.store_load``.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from loaders import model
from loaders.boundaries import prepare_boundaries
from loaders.prepared import commit_prepared
from loaders.store import Store

DISTRICTS = {"32.06": 351, "32.05": 442, "32.12": 317, "17.02": 156, "52.71": 50}
REEXPORTED = ["52.71", "17.02"]


def boundary_file(shared_data: Path, kabupaten: str) -> Path:
    return shared_data / "boundaries" / f"desa_{kabupaten}.geojson"


def digits(code: object) -> str:
    return "".join(ch for ch in str(code) if ch.isdigit())


def rbi_shapefile(source: gpd.GeoDataFrame, folder: Path, *, dotted: bool) -> Path:
    codes = source["kode_desa"] if dotted else source["kode_desa"].map(digits)
    rbi = gpd.GeoDataFrame(
        {
            "KDEPUM": codes,
            "WADMKD": source["nama_desa"],
            "WADMKC": source["nama_kecamatan"],
            "WADMKK": source["nama_kabupaten"],
            "WADMPR": source["nama_provinsi"],
        },
        geometry=source.geometry,
        crs=source.crs,
    )
    parts = folder / "rbi"
    parts.mkdir()
    pyogrio.write_dataframe(rbi, parts / "BATAS_DESA.shp", driver="ESRI Shapefile")
    archive = folder / "BATAS_DESA_RBI.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(parts.iterdir()):
            zf.write(part, f"BATAS_DESA/{part.name}")
    return archive


def hdx_geojson(source: gpd.GeoDataFrame, folder: Path) -> Path:
    hdx = gpd.GeoDataFrame(
        {
            "ADM4_PCODE": "ID" + source["kode_desa"].map(digits),
            "ADM4_EN": source["nama_desa"],
            "ADM3_PCODE": "ID" + source["kode_kecamatan"].map(digits),
            "ADM3_EN": source["nama_kecamatan"],
            "ADM2_EN": source["nama_kabupaten"],
            "ADM1_EN": source["nama_provinsi"],
        },
        geometry=source.geometry,
        crs=source.crs,
    )
    path = folder / "idn_admbnda_adm4.geojson"
    pyogrio.write_dataframe(hdx, path, driver="GeoJSON")
    return path


def qgis_kml(source: gpd.GeoDataFrame, folder: Path) -> Path:
    """Name = nama_desa, Description = kode_desa, the other fields as ExtendedData."""
    path = folder / "desa_qgis.kml"
    frame = source[["kode_desa", "nama_desa", "nama_kecamatan", "nama_kabupaten", "geometry"]]
    options = {"NameField": "nama_desa", "DescriptionField": "kode_desa"}
    pyogrio.write_dataframe(frame, path, driver="KML", dataset_options=options)
    return path


def libkml_kml(source: gpd.GeoDataFrame, folder: Path) -> Path:
    path = folder / "desa_libkml.kml"
    pyogrio.write_dataframe(source, path, driver="LIBKML")
    return path


EXPORTS: dict[str, Callable[[gpd.GeoDataFrame, Path], Path]] = {
    "rbi_shapefile_undotted": lambda s, f: rbi_shapefile(s, f, dotted=False),
    "rbi_shapefile_dotted": lambda s, f: rbi_shapefile(s, f, dotted=True),
    "hdx_geojson": hdx_geojson,
    "qgis_kml": qgis_kml,
    "libkml_kml": libkml_kml,
}
EXPECTED_SYSTEM = {"hdx_geojson": "bps"}


def desa_summary(desa: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per 10-digit code: name and area (km², equal-area EPSG:6933), sorted."""
    frame = pd.DataFrame(
        {
            "kode": desa["kode_desa"].map(digits).tolist(),
            "nama": desa["nama_desa"].tolist(),
            "luas": (desa.geometry.to_crs("EPSG:6933").area / 1e6).tolist(),
        }
    )
    return frame.sort_values("kode").reset_index(drop=True)


@pytest.mark.parametrize("export", list(EXPORTS))
@pytest.mark.parametrize("kabupaten", REEXPORTED)
def test_reexported_district_imports_to_the_same_desa(
    kabupaten: str, export: str, shared_data: Path, tmp_path: Path, tmp_store: Store
) -> None:
    original = boundary_file(shared_data, kabupaten)
    source = gpd.read_file(original)
    baseline = desa_summary(prepare_boundaries(original, store=tmp_store).layers[model.LAYER_DESA])
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Normalized/laundered field name", category=RuntimeWarning)
        path = EXPORTS[export](source, tmp_path)
    prepared = prepare_boundaries(path, store=tmp_store)
    desa = prepared.layers[model.LAYER_DESA]
    again = desa_summary(desa)

    assert len(again) == len(baseline) == DISTRICTS[kabupaten]
    assert again["kode"].tolist() == baseline["kode"].tolist()
    assert again["nama"].tolist() == baseline["nama"].tolist()
    relative = (again["luas"] - baseline["luas"]).abs() / baseline["luas"]
    assert relative.max() < 0.01
    assert set(desa["sistem_kode"]) == {EXPECTED_SYSTEM.get(export, "kemendagri")}
    assert set(desa.geom_type) == {"MultiPolygon"}
    assert prepared.report.ditolak == 0


def test_qgis_kml_region_names_and_codes(shared_data: Path, tmp_path: Path, tmp_store: Store) -> None:
    source = gpd.read_file(boundary_file(shared_data, "52.71"))
    desa = prepare_boundaries(qgis_kml(source, tmp_path), store=tmp_store).layers[model.LAYER_DESA]
    assert set(desa["kode_kabupaten"]) == {"52.71"}
    assert set(desa["nama_kabupaten"]) == {"Kota Mataram"}
    assert sorted(set(desa["kode_kecamatan"])) == sorted(set(source["kode_kecamatan"]))
    assert desa["jenis"].tolist() == [model.jenis_from_kode(k) for k in desa["kode_desa"]]


def test_five_districts_fill_one_store(shared_data: Path, tmp_store: Store) -> None:
    counts = {}
    for kabupaten in DISTRICTS:
        report = commit_prepared(tmp_store, prepare_boundaries(boundary_file(shared_data, kabupaten), store=tmp_store))
        counts[kabupaten] = report.diterima
    assert counts == DISTRICTS
    stored = tmp_store.read_desa()
    assert stored.groupby("kode_kabupaten").size().to_dict() == DISTRICTS
    assert len(stored) == sum(DISTRICTS.values()) == 1316
    # importing one district again replaces it, nothing else changes
    report = commit_prepared(tmp_store, prepare_boundaries(boundary_file(shared_data, "52.71"), store=tmp_store))
    assert report.catatan[-1] == "Menggantikan 50 desa lama dari kabupaten/kota 52.71 di penyimpanan."
    assert len(tmp_store.read_desa()) == 1316
    assert tmp_store.version() == 6


@pytest.mark.slow
def test_province_geoparquet_reads_back(shared_data: Path, tmp_store: Store) -> None:
    """The read time of this province is measured by ``python -m benchmarks.store_load``, not here."""
    path = shared_data / "boundaries" / "desa_prov_32.parquet"
    report = commit_prepared(tmp_store, prepare_boundaries(path, store=tmp_store))
    assert (report.baris_dibaca, report.diterima) == (5957, 5957)
    desa = tmp_store.read_desa()
    assert len(desa) == 5957
    assert desa["kode_kecamatan"].nunique() == 627
