"""Hostile boundary files (generated at test time by ``hostile_geo``): refused early, with a message, store unchanged.

Every case of :data:`hostile_geo.CASES` runs through ``cli.py import boundaries``
in a subprocess against a store that already holds Kota Mataram: exit 2, the
Indonesian message with its key words, the store byte-identical, peak RSS
under 1 GiB and nothing big left in the temporary folder. The limits that
would need giant files (features, vertices, KML size) are also checked with
small files and lowered keyword-only limits.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from cli_support import run_cli, run_cli_measured, store_state
from hostile_geo import (
    ACCEPTED,
    BAD_ROW,
    CASES,
    MATARAM,
    MATARAM_DESA,
    big_kml,
    gpkg_too_many_features,
    kmz_bomb,
    many_features_geojson,
    many_vertices_geojson,
    nan_coordinate,
    recursive_gpkg_view,
)

from loaders.archives import check_zip, extract_members
from loaders.boundaries import prepare_boundaries
from loaders.boundary_reader import read_boundary_file
from loaders.exceptions import InputError
from loaders.limits import MEGABYTE
from loaders.numbers import ukuran
from loaders.store import Store

GIB = 1024**3
HANG_GUARD_SECONDS = 60
TMP_LEFTOVER_BYTES = 1 * MEGABYTE

pytestmark = pytest.mark.skipif(not MATARAM.is_file(), reason=f"reference data {MATARAM} is absent")


@pytest.fixture(scope="module")
def mataram_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of a store holding the 50 desa of Kota Mataram, imported through the CLI once."""
    folder = tmp_path_factory.mktemp("mataram")
    store = folder / "store" / "ilp.gpkg"
    result = run_cli("import", "boundaries", str(MATARAM), "--store", str(store))
    assert result.returncode == 0, result.stderr
    assert len(Store(store).read_desa()) == MATARAM_DESA
    return store.parent


@pytest.fixture
def mataram_store(mataram_template: Path, tmp_path: Path) -> Store:
    """A private copy of the Mataram store."""
    shutil.copytree(mataram_template, tmp_path / "store")
    return Store(tmp_path / "store" / "ilp.gpkg")


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_hostile_file_refused_by_the_cli(
    case: tuple[str, str, object, str], tmp_path: Path, mataram_store: Store
) -> None:
    name, kind, make, fragment = case
    inputs = tmp_path / "masukan"
    inputs.mkdir()
    path = make(inputs)  # type: ignore[operator]
    hostile_bytes = path.read_bytes() if path.stat().st_size < 64 * MEGABYTE else None
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "TEMP": str(scratch), "TMP": str(scratch)}
    before = store_state(mataram_store)

    result = run_cli_measured(
        "import", kind, str(path), "--store", str(mataram_store.path), env=env, timeout=HANG_GUARD_SECONDS
    )

    print(f"\n[hostile] {name}: exit {result.returncode}, {result.seconds:.1f} s, {ukuran(result.peak_rss_bytes)} RSS")
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert result.stderr.startswith("Galat: "), result.stderr[-2000:]
    assert path.name in result.stderr
    assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert store_state(mataram_store) == before
    assert result.peak_rss_bytes < GIB
    assert _folder_bytes(scratch) < TMP_LEFTOVER_BYTES, sorted(p.name for p in scratch.rglob("*"))
    if hostile_bytes is not None:
        assert path.read_bytes() == hostile_bytes, "reading must never write into the user's file"


@pytest.mark.parametrize("case", ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_valid_neighbour_still_accepted(case: tuple[str, str, object], tmp_path: Path, mataram_store: Store) -> None:
    _, kind, make = case
    path = make(tmp_path)  # type: ignore[operator]
    result = run_cli("import", kind, str(path), "--store", str(mataram_store.path))
    assert result.returncode == 0, result.stderr
    # a district imported again is replaced: Kota Mataram is now the file's three desa
    assert mataram_store.read_desa()["kode_desa"].tolist() == ["52.71.01.1004", "52.71.01.1005", "52.71.01.1006"]


# -- the bounds themselves, with small files and lowered limits ---------------------------------
def test_feature_limit_while_reading_geojson(tmp_path: Path) -> None:
    path = many_features_geojson(tmp_path, count=11)
    with pytest.raises(InputError, match=r"Berkas banyak\.geojson .*berisi lebih dari 10 fitur; batasnya 10 fitur"):
        read_boundary_file(path, max_features=10)
    assert len(read_boundary_file(path, max_features=11).frame) == 11


def test_feature_limit_counted_in_the_gpkg_table_before_gdal_reads(tmp_path: Path) -> None:
    path = gpkg_too_many_features(tmp_path, count=1001)
    with pytest.raises(InputError, match=r"terlalu_banyak\.gpkg \(lapisan 'desa'\) berisi lebih dari 1\.000 fitur"):
        read_boundary_file(path, max_features=1000)
    assert len(read_boundary_file(path, max_features=1001).frame) == 1001


def test_vertex_limit(tmp_path: Path) -> None:
    path = many_vertices_geojson(tmp_path, vertices=2000)
    with pytest.raises(
        InputError, match=r"titik_banyak\.geojson berisi 2\.001 titik sudut \(verteks\); batasnya 1\.000"
    ):
        read_boundary_file(path, max_vertices=1000)
    assert len(read_boundary_file(path, max_vertices=2001).frame) == 1


def test_file_size_limit(tmp_path: Path) -> None:
    path = many_features_geojson(tmp_path, count=3)
    with pytest.raises(
        InputError, match=r"banyak\.geojson terlalu besar \(.* byte; batas berkas batas desa 100 byte\)"
    ):
        read_boundary_file(path, max_bytes=100)


def test_plain_kml_size_capped_before_parsing(tmp_path: Path) -> None:
    path = big_kml(tmp_path, size=2 * MEGABYTE)
    with pytest.raises(InputError, match=r"Dokumen KML besar\.kml terlalu besar \(.* MB\); batasnya 1 MB"):
        read_boundary_file(path, max_kml_bytes=MEGABYTE)


def test_kmz_document_capped_by_declared_size(tmp_path: Path) -> None:
    path = kmz_bomb(tmp_path, size=3 * MEGABYTE)
    with pytest.raises(
        InputError, match=r"Dokumen KML 'doc\.kml' di dalam bom\.kmz terlalu besar \(.* MB\); batasnya 2 MB"
    ):
        read_boundary_file(path, max_kml_bytes=2 * MEGABYTE)


def test_kmz_member_lying_about_its_size_stops_at_the_limit(tmp_path: Path) -> None:
    """The central directory says 1 KB, the entry inflates to 3 MB: extraction stops, nothing big is written."""
    path = kmz_bomb(tmp_path, size=3 * MEGABYTE)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("doc.kml")
    central = data.rfind(b"PK\x01\x02")  # the only central directory entry; uncompressed size at +24
    assert int.from_bytes(data[central + 24 : central + 28], "little") == info.file_size
    data[central + 24 : central + 28] = (1024).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("doc.kml").file_size == 1024
    out = tmp_path / "keluar"
    out.mkdir()
    with pytest.raises(InputError):
        extract_members(path, check_zip(path), out, max_bytes=MEGABYTE, what="dokumen KML")
    assert _folder_bytes(out) <= MEGABYTE


def test_compression_ratio_refused_before_extraction(tmp_path: Path) -> None:
    archive = tmp_path / "nol.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("kecil.dbf", b"\x00" * (5 * MEGABYTE))  # below the ratio floor: accepted
    assert [i.filename for i in check_zip(archive)] == ["kecil.dbf"]
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("desa.shp", b"\x00" * (11 * MEGABYTE))
    with pytest.raises(
        InputError, match=r"Arsip nol\.zip ditolak sebelum diekstrak: entri 'desa\.shp'.*batas 200 : 1.*zip bomb"
    ):
        check_zip(archive)


def test_recursive_view_never_evaluated_and_triggers_never_fire(tmp_path: Path) -> None:
    path = recursive_gpkg_view(tmp_path)
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"Lapisan 'desa' di GeoPackage view_rekursif\.gpkg berupa view .*bukan tabel"):
        read_boundary_file(path)
    with pytest.raises(InputError, match=r"berupa view"):
        read_boundary_file(path, layer="desa")
    assert path.read_bytes() == before
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as db:
        assert db.execute("SELECT count(*) FROM kenari").fetchone() == (0,)


def test_nan_row_refused_naming_the_row_never_a_silently_lost_desa(tmp_path: Path, mataram_store: Store) -> None:
    """Kota Mataram with a NaN in row 10's ring: the whole file is refused, naming row 10; the 50 desa stay."""
    path = nan_coordinate(tmp_path)
    before = store_state(mataram_store)
    with pytest.raises(
        InputError, match=rf"nan\.geojson berisi koordinat yang bukan bilangan terhingga .*baris {BAD_ROW} \(NaN\)"
    ):
        prepare_boundaries(path, store=mataram_store)
    assert store_state(mataram_store) == before
    assert len(mataram_store.read_desa()) == MATARAM_DESA


def test_xxe_and_billion_laughs_in_kml_stay_refused(tmp_path: Path) -> None:
    secret = tmp_path / "rahasia.txt"
    secret.write_text("RAHASIA-123", encoding="utf-8")
    placemark = (
        "<Placemark><name>{name}</name><description>52.71.01.1004</description><Polygon><outerBoundaryIs><LinearRing>"
        "<coordinates>116.07,-8.58 116.08,-8.58 116.08,-8.57 116.07,-8.58</coordinates></LinearRing>"
        "</outerBoundaryIs></Polygon></Placemark>"
    )
    xxe = tmp_path / "xxe.kml"
    xxe.write_text(
        f'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{placemark.format(name="&x;")}</Document></kml>',
        encoding="utf-8",
    )
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    laughs = tmp_path / "tawa.kml"
    laughs.write_text(
        f'<?xml version="1.0"?><!DOCTYPE kml [{entities}]>'
        f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{placemark.format(name="&l9;")}</Document></kml>',
        encoding="utf-8",
    )
    for path in (xxe, laughs):
        try:
            frame = read_boundary_file(path).frame
        except InputError:
            continue
        names = " ".join(str(v) for v in frame.get("Name", []))
        assert "RAHASIA" not in names and len(names) < 10_000


def test_zipped_shapefile_vertices_estimated_before_gdal_reads(tmp_path: Path) -> None:
    import geopandas as gpd
    import pyogrio

    ring = gpd.GeoSeries.from_file(many_vertices_geojson(tmp_path, vertices=2000)).geometry
    parts = tmp_path / "shp"
    parts.mkdir()
    frame = gpd.GeoDataFrame({"kode_desa": ["52.71.01.1004"]}, geometry=list(ring), crs="EPSG:4326")
    pyogrio.write_dataframe(frame, parts / "desa.shp", driver="ESRI Shapefile")
    archive = tmp_path / "desa.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in sorted(parts.iterdir()):
            zf.write(part, part.name)
    with pytest.raises(InputError, match=r"desa\.zip berisi sekitar 2\.\d{3} titik sudut .*batasnya 1\.000 .*sebelum"):
        read_boundary_file(archive, max_vertices=1000)
    assert len(read_boundary_file(archive, max_vertices=3000).frame) == 1
