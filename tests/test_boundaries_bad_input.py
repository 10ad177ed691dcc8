"""Bad boundary files: each gives an Indonesian InputError and leaves the store byte-identical."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from cli_support import run_cli, store_state
from shapely.geometry import Point, Polygon

from loaders import model
from loaders.boundaries import prepare_boundaries
from loaders.exceptions import InputError
from loaders.prepared import commit_prepared
from loaders.store import Store


def square(x: float, y: float, size: float = 0.01) -> Polygon:
    return Polygon([(x, y), (x + size, y), (x + size, y + size), (x, y + size)])


def desa(codes: list[str], *, crs: str | None = model.CRS, **extra: list[object]) -> gpd.GeoDataFrame:
    shapes = [square(108.0 + 0.02 * i, -7.5) for i in range(len(codes))]
    data = {"kode_desa": codes, "nama_desa": [f"Desa {i}" for i in range(len(codes))], **extra}
    return gpd.GeoDataFrame(data, geometry=shapes, crs=crs)


def geojson(frame: gpd.GeoDataFrame, path: Path) -> Path:
    pyogrio.write_dataframe(frame, path, driver="GeoJSON")
    return path


def zipped(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def shapefile_zip(frame: gpd.GeoDataFrame, folder: Path) -> Path:
    parts = folder / "shp"
    parts.mkdir()
    pyogrio.write_dataframe(frame, parts / "desa.shp", driver="ESRI Shapefile")
    return zipped(folder / "desa.zip", {p.name: p.read_bytes() for p in sorted(parts.iterdir())})


# Each case: file factory (folder -> path) and the expected Indonesian message (regex).
Case = tuple[Callable[[Path], Path], str]


def _text(name: str, content: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_text(content, encoding="utf-8")
        return path

    return make


def _bytes(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return make


def _swapped_axes(folder: Path) -> Path:
    frame = desa(["32.06.01.2001"])
    swapped = frame.assign(geometry=frame.geometry.map(lambda g: Polygon([(y, x) for x, y in g.exterior.coords])))
    return geojson(swapped, folder / "tertukar.geojson")


def _projected_no_crs(folder: Path) -> Path:
    frame = desa(["32.06.01.2001", "32.06.01.2002"]).to_crs("EPSG:32748").set_crs(None, allow_override=True)
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        return shapefile_zip(frame, folder)


def _metres_labelled_degrees(folder: Path) -> Path:
    frame = desa(["32.06.01.2001"]).to_crs("EPSG:32748").set_crs(model.CRS, allow_override=True)
    return geojson(frame, folder / "salah_crs.geojson")


def _only_points(folder: Path) -> Path:
    frame = desa(["32.06.01.2001", "32.06.01.2002"])
    return geojson(frame.assign(geometry=[Point(108, -7.5), Point(108.1, -7.5)]), folder / "titik.geojson")


def _no_geometry_table(folder: Path) -> Path:
    path = folder / "tabel.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"kode_desa": ["32.06.01.2001"]}), path, layer="tabel", driver="GPKG")
    return path


def _plain_parquet(folder: Path) -> Path:
    path = folder / "tabel.parquet"
    pd.DataFrame({"kode_desa": ["32.06.01.2001"]}).to_parquet(path)
    return path


CASES: dict[str, Case] = {
    "empty_file": (_bytes("kosong.geojson", b""), r"Berkas kosong\.geojson kosong \(0 byte\)"),
    "corrupt_zip": (
        _bytes("rusak.zip", b"PK\x03\x04" + b"\x00" * 40),
        r"Berkas rusak\.zip bukan arsip ZIP yang utuh.*rusak atau terpotong",
    ),
    "not_a_zip": (_bytes("palsu.zip", b"bukan zip sama sekali"), r"Berkas palsu\.zip bukan Shapefile \(\.zip\)"),
    "zip_slip": (
        lambda f: zipped(f / "slip.zip", {"../desa.shp": b"x", "desa.dbf": b"x"}),
        r"Arsip slip\.zip ditolak: entri '\.\./desa\.shp'.*\(zip slip\)",
    ),
    "zip_without_shp": (
        lambda f: zipped(f / "tanpa_shp.zip", {"desa.dbf": b"x", "baca.txt": b"halo"}),
        r"Arsip tanpa_shp\.zip tidak berisi berkas \.shp \(isinya: desa\.dbf, baca\.txt\)",
    ),
    "non_geographic_json": (
        _text("data.geojson", json.dumps({"nama": "Sukamaju", "jumlah": [1, 2, 3]})),
        r"Berkas data\.geojson berisi JSON tetapi bukan GeoJSON",
    ),
    "html_as_geojson": (
        _text("unduhan.geojson", "<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>"),
        r"Berkas unduhan\.geojson berisi halaman web \(HTML\), bukan GeoJSON.*unduh ulang",
    ),
    "csv_as_geojson": (
        _text("tabel.geojson", "kode_desa,nama\n32.06.01.2001,Sukamaju\n"),
        r"Berkas tabel\.geojson bukan GeoJSON: isinya tidak sesuai format itu",
    ),
    "projected_without_crs": (
        _projected_no_crs,
        r"Berkas desa\.zip tidak menyebut sistem koordinat \(CRS\), dan koordinatnya berupa meter.*Set Layer CRS",
    ),
    "metres_labelled_degrees": (
        _metres_labelled_degrees,
        r"Koordinat berkas salah_crs\.geojson berada di luar rentang derajat.*CRS yang tercantum salah",
    ),
    "swapped_axes": (_swapped_axes, r"Koordinat berkas tertukar\.geojson tampaknya tertukar.*Swap X and Y"),
    "duplicate_codes": (
        lambda f: geojson(desa(["32.06.01.2001", "32.06.01.2002", "3206012001"]), f / "ganda.geojson"),
        r"Berkas ganda\.geojson berisi kode desa ganda: 32\.06\.01\.2001 \(baris 1, 3\)",
    ),
    "no_code_column": (
        lambda f: geojson(desa(["x"]).drop(columns="kode_desa").assign(luas=[1.5]), f / "tanpa_kode.geojson"),
        r"Berkas tanpa_kode\.geojson tidak punya kolom kode desa\. Kolom yang ada: nama_desa, luas\. "
        r"Nama kolom kode yang dikenali: kode_desa atau kode .*KDEPUM.*ADM4_PCODE",
    ),
    "zero_features": (
        _text("nol.geojson", json.dumps({"type": "FeatureCollection", "features": []})),
        r"Berkas nol\.geojson tidak berisi satu fitur pun \(0 desa\)",
    ),
    "only_points": (_only_points, r"Berkas titik\.geojson hanya berisi geometri Point, bukan poligon batas desa"),
    "garbage_kml": (_text("sampah.kml", "ini bukan kml"), r"Berkas sampah\.kml bukan KML"),
    "broken_kml": (
        _text("rusak.kml", "<kml><Document><Placemark><name>x</name>"),
        r"Berkas rusak\.kml tidak dapat dibaca sebagai KML",
    ),
    "unknown_extension": (
        _bytes("batas.docx", b"PK\x03\x04word"),
        r"Format berkas batas\.docx \(\.docx\) tidak dikenali sebagai batas desa\. Format yang diterima: GeoJSON",
    ),
    "every_row_rejected": (
        lambda f: geojson(desa(["32.06", "abc"]), f / "salah.geojson"),
        r"Tidak ada satu desa pun dari berkas salah\.geojson yang dapat diterima \(2 baris dibaca.*kode_tidak_sah",
    ),
    "table_without_geometry": (
        _no_geometry_table,
        r"Lapisan 'tabel' di berkas tabel\.gpkg tidak berisi geometri \(hanya tabel atribut\)",
    ),
    "parquet_without_geo_metadata": (
        _plain_parquet,
        r"Berkas tabel\.parquet tidak dapat dibaca sebagai GeoParquet",
    ),
}


@pytest.fixture(scope="module")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of a store holding two desa of kabupaten 32.06 (one committed version), built once."""
    folder = tmp_path_factory.mktemp("template")
    store = Store(folder / "store" / "ilp.gpkg")
    good = geojson(desa(["32.06.01.2001", "32.06.01.2002"]), folder / "baik.geojson")
    commit_prepared(store, prepare_boundaries(good, store=store))
    return store.path.parent


@pytest.fixture
def filled_store(store_template: Path, tmp_path: Path) -> Store:
    """A private copy of the template store."""
    shutil.copytree(store_template, tmp_path / "store")
    return Store(tmp_path / "store" / "ilp.gpkg")


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_refused_store_unchanged(case: str, tmp_path: Path, filled_store: Store) -> None:
    make, message = CASES[case]
    folder = tmp_path / "masukan"
    folder.mkdir()
    path = make(folder)
    before = store_state(filled_store)
    with pytest.raises(InputError, match=message):
        commit_prepared(filled_store, prepare_boundaries(path, store=filled_store))
    assert store_state(filled_store) == before
    assert filled_store.version() == 1


@pytest.mark.parametrize("case", list(CASES))
def test_every_bad_file_exits_2_from_the_cli(
    case: str, tmp_path: Path, filled_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every case through ``cli.main`` in this process: exit 2, the message on stderr, the store unchanged."""
    import cli

    make, message = CASES[case]
    folder = tmp_path / "masukan"
    folder.mkdir()
    path = make(folder)
    before = store_state(filled_store)
    code = cli.main(["import", "boundaries", str(path), "--store", str(filled_store.path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("Galat: ")
    assert re.search(message, err, flags=re.S), err
    assert store_state(filled_store) == before


CLI_CASES = ["empty_file", "html_as_geojson", "duplicate_codes", "unknown_extension", "zip_slip"]


@pytest.mark.parametrize("case", CLI_CASES)
def test_cli_exit_code_2_and_message(case: str, tmp_path: Path, filled_store: Store) -> None:
    pytest.importorskip("loaders.importing")
    make, message = CASES[case]
    folder = tmp_path / "masukan"
    folder.mkdir()
    path = make(folder)
    before = store_state(filled_store)
    result = run_cli("import", "boundaries", str(path), "--store", str(filled_store.path))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Galat: ")
    assert re.search(message, result.stderr, flags=re.S), result.stderr
    assert result.stdout == ""
    assert store_state(filled_store) == before
