"""loaders.boundaries: formats, column conventions, CRS, geometry repair, merging into the store."""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import MultiPolygon, Point, Polygon

from loaders import model
from loaders.archives import check_zip, extract_zip
from loaders.boundaries import prepare_boundaries
from loaders.boundary_columns import normalise_header, parse_kode_bps
from loaders.exceptions import InputError
from loaders.import_report import DIPERBAIKI, DITOLAK, PERINGATAN
from loaders.prepared import commit_prepared
from loaders.store import Store, file_sha256

CODES = ["32.06.01.2001", "32.06.01.2002", "32.06.02.1001"]
NAMES = ["Sukamaju", "Sukarame", "Cibeureum"]
KECAMATAN = ["Cipatujah", "Cipatujah", "Karangnunggal"]


def square(x: float, y: float, size: float = 0.01) -> Polygon:
    return Polygon([(x, y), (x + size, y), (x + size, y + size), (x, y + size)])


def villages(columns: dict[str, list[object]] | None = None, *, crs: str | None = model.CRS) -> gpd.GeoDataFrame:
    """Three desa of Kabupaten Tasikmalaya, attributes in the project's own names unless given."""
    data = columns or {
        "kode_desa": CODES,
        "nama_desa": NAMES,
        "nama_kecamatan": KECAMATAN,
        "nama_kabupaten": ["Tasikmalaya"] * 3,
        "nama_provinsi": ["Jawa Barat"] * 3,
    }
    shapes = [square(108.0, -7.5), square(108.02, -7.5), square(108.04, -7.5)]
    return gpd.GeoDataFrame(data, geometry=shapes, crs=crs)


def expected_desa() -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {
            "kode_desa": CODES,
            "nama_desa": NAMES,
            "jenis": ["desa", "desa", "kelurahan"],
            "kode_kecamatan": ["32.06.01", "32.06.01", "32.06.02"],
            "nama_kecamatan": KECAMATAN,
            "kode_kabupaten": ["32.06"] * 3,
            "nama_kabupaten": ["Tasikmalaya"] * 3,
            "kode_provinsi": ["32"] * 3,
            "nama_provinsi": ["Jawa Barat"] * 3,
            "penduduk": [pd.NA] * 3,
            "sistem_kode": ["kemendagri"] * 3,
        },
        geometry=[MultiPolygon([square(108.0 + 0.02 * i, -7.5)]) for i in range(3)],
        crs=model.CRS,
    )
    return model.conform(frame, model.LAYER_DESA)


# -- writers -------------------------------------------------------------------
def write_geojson(frame: gpd.GeoDataFrame, folder: Path, name: str = "batas.geojson") -> Path:
    path = folder / name
    pyogrio.write_dataframe(frame, path, driver="GeoJSON")
    return path


def write_shapefile(frame: gpd.GeoDataFrame, path: Path) -> Path:
    """Write a Shapefile, silencing the expected warnings (10-character names, no CRS)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Normalized/laundered field name", category=RuntimeWarning)
        warnings.filterwarnings("ignore", message="'crs' was not provided", category=UserWarning)
        pyogrio.write_dataframe(frame, path, driver="ESRI Shapefile")
    return path


def write_zipped_shapefile(frame: gpd.GeoDataFrame, folder: Path, name: str = "batas") -> Path:
    shp_dir = folder / f"{name}_shp"
    shp_dir.mkdir()
    write_shapefile(frame, shp_dir / f"{name}.shp")
    archive = folder / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(shp_dir.iterdir()):
            zf.write(part, f"{name}/{part.name}")
    return archive


def write_gpkg(frame: gpd.GeoDataFrame, folder: Path) -> Path:
    path = folder / "batas.gpkg"
    points = frame.assign(geometry=frame.geometry.representative_point())
    pyogrio.write_dataframe(points, path, layer="kantor_desa", driver="GPKG")
    pyogrio.write_dataframe(frame, path, layer="batas_desa", driver="GPKG")
    return path


def write_kml(frame: gpd.GeoDataFrame, folder: Path) -> Path:
    path = folder / "batas.kml"
    pyogrio.write_dataframe(frame, path, driver="KML")
    return path


def write_kmz(frame: gpd.GeoDataFrame, folder: Path) -> Path:
    path = folder / "batas.kmz"
    pyogrio.write_dataframe(frame, path, driver="LIBKML")
    return path


def write_parquet(frame: gpd.GeoDataFrame, folder: Path) -> Path:
    path = folder / "batas.parquet"
    frame.to_parquet(path)
    return path


WRITERS: dict[str, Callable[[gpd.GeoDataFrame, Path], Path]] = {
    "geojson": write_geojson,
    "shapefile_zip": write_zipped_shapefile,
    "gpkg": write_gpkg,
    "kml": write_kml,
    "kmz": write_kmz,
    "geoparquet": write_parquet,
}


def prepare(path: Path, store: Store, **options: object) -> tuple[gpd.GeoDataFrame, object]:
    prepared = prepare_boundaries(path, store=store, **options)
    return prepared.layers[model.LAYER_DESA], prepared


# -- formats -------------------------------------------------------------------
@pytest.mark.parametrize("fmt", list(WRITERS))
def test_every_format_gives_the_same_desa(fmt: str, tmp_path: Path, tmp_store: Store) -> None:
    path = WRITERS[fmt](villages(), tmp_path)
    desa, prepared = prepare(path, tmp_store)
    assert_geodataframe_equal(desa, expected_desa(), check_less_precise=True, normalize=True)
    report = prepared.report
    assert (report.jenis_impor, report.berkas, report.baris_dibaca, report.diterima) == ("batas", path.name, 3, 3)
    assert report.sha256 == file_sha256(path)
    assert report.masalah == ()
    assert prepared.catatan_sumber == "batas"
    assert prepared.mapping["kode_desa"] == "kode_desa"


def test_geoparquet_with_other_geometry_column_name(tmp_path: Path, tmp_store: Store) -> None:
    frame = villages().rename_geometry("geom")
    frame.index = [10, 20, 30]
    desa, _ = prepare(write_parquet(frame, tmp_path), tmp_store)
    assert_geodataframe_equal(desa, expected_desa(), check_less_precise=True, normalize=True)


def test_prepare_writes_nothing(tmp_path: Path, tmp_store: Store) -> None:
    prepare_boundaries(write_geojson(villages(), tmp_path), store=tmp_store)
    assert not tmp_store.path.exists()
    assert tmp_store.version() == 0


def test_gpkg_polygon_layer_detected_among_point_layer(tmp_path: Path, tmp_store: Store) -> None:
    _, prepared = prepare(write_gpkg(villages(), tmp_path), tmp_store)
    assert any("lapisan poligon 'batas_desa'" in note for note in prepared.report.catatan)


def test_gpkg_with_two_polygon_layers_needs_a_choice(tmp_path: Path, tmp_store: Store) -> None:
    path = tmp_path / "dua.gpkg"
    pyogrio.write_dataframe(villages(), path, layer="desa_2020", driver="GPKG")
    other = villages().assign(kode_desa=["32.05.01.2001", "32.05.01.2002", "32.05.01.2003"])
    pyogrio.write_dataframe(other, path, layer="desa_2024", driver="GPKG")
    with pytest.raises(InputError, match=r"beberapa lapisan poligon: desa_2020, desa_2024.*--layer"):
        prepare_boundaries(path, store=tmp_store)
    desa, _ = prepare(path, tmp_store, layer="desa_2024")
    assert desa["kode_desa"].tolist() == ["32.05.01.2001", "32.05.01.2002", "32.05.01.2003"]
    with pytest.raises(InputError, match=r"Lapisan 'tidak_ada' tidak ada di berkas dua.gpkg.*desa_2020 \(Polygon\)"):
        prepare_boundaries(path, store=tmp_store, layer="tidak_ada")


def test_shp_given_directly_and_without_dbf(tmp_path: Path, tmp_store: Store) -> None:
    path = write_shapefile(villages(), tmp_path / "batas.shp")
    desa, _ = prepare(path, tmp_store)
    assert desa["kode_desa"].tolist() == CODES
    (tmp_path / "batas.dbf").unlink()
    with pytest.raises(InputError, match=r"Shapefile batas.shp \(batas.shp\) tidak lengkap: berkas .dbf tidak ada"):
        prepare_boundaries(path, store=tmp_store)


def test_zip_ignores_macos_metadata_and_picks_named_shapefile(tmp_path: Path, tmp_store: Store) -> None:
    archive = write_zipped_shapefile(villages(), tmp_path)
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr("__MACOSX/batas/._batas.shp", b"\x00\x05\x16\x07junk")
    desa, _ = prepare(archive, tmp_store, layer="BATAS")
    assert len(desa) == 3


def test_kml_name_and_description_as_qgis_exports_them(tmp_path: Path, tmp_store: Store) -> None:
    frame = villages().assign(kode=["3206012001", "3206012002", "3206021001"])[["kode", "nama_desa", "geometry"]]
    path = tmp_path / "qgis.kml"
    options = {"NameField": "nama_desa", "DescriptionField": "kode"}
    pyogrio.write_dataframe(frame, path, driver="KML", dataset_options=options)
    desa, prepared = prepare(path, tmp_store)
    assert desa["kode_desa"].tolist() == CODES
    assert desa["nama_desa"].tolist() == NAMES
    assert prepared.mapping == {"description": "kode_desa", "Name": "nama_desa"}


def test_kml_description_html_table_as_arcgis_exports_it(tmp_path: Path, tmp_store: Store) -> None:
    rows = [
        f"<html><body><table><tr><th>Field</th><th>Value</th></tr><tr><td>KDEPUM</td><td>{code}</td></tr>"
        f"<tr><td>WADMKD</td><td>{name}</td></tr><tr><td>WADMKC</td><td>{kec}</td></tr></table></body></html>"
        for code, name, kec in zip(CODES, NAMES, KECAMATAN, strict=True)
    ]
    frame = villages({"Name": ["a", "b", "c"], "deskripsi": rows})
    path = tmp_path / "arcgis.kml"
    pyogrio.write_dataframe(frame, path, driver="KML", dataset_options={"DescriptionField": "deskripsi"})
    desa, prepared = prepare(path, tmp_store)
    assert desa["kode_desa"].tolist() == CODES
    assert desa["nama_desa"].tolist() == NAMES
    assert desa["nama_kecamatan"].tolist() == KECAMATAN
    assert prepared.mapping["KDEPUM"] == "kode_desa"


# -- column conventions --------------------------------------------------------
CONVENTIONS: dict[str, tuple[dict[str, list[object]], str, list[str]]] = {
    "project_upper_case": (
        {"KODE_DESA": CODES, "Nama Desa": NAMES, "NAMA_KECAMATAN": KECAMATAN},
        "kemendagri",
        CODES,
    ),
    "kemendagri_kode_nama_undotted": (
        {"kode": ["3206012001", "3206012002", "3206021001"], "nama": NAMES},
        "kemendagri",
        CODES,
    ),
    "big_rbi": (
        {
            "KDEPUM": ["3206012001", "32.06.01.2002", "3206021001"],
            "KDEBPS": ["3206010001", "3206010002", "3206020001"],
            "WADMKD": NAMES,
            "WADMKC": KECAMATAN,
            "WADMKK": ["Tasikmalaya"] * 3,
            "WADMPR": ["Jawa Barat"] * 3,
            "KDCPUM": ["32.06.01", "32.06.01", "32.06.02"],
        },
        "kemendagri",
        CODES,
    ),
    "big_rbi_bps_only": (
        {"KDEPUM": [None, None, None], "KDEBPS": ["3206010001", "3206010002", "3206020001"], "WADMKD": NAMES},
        "bps",
        ["3206010001", "3206010002", "3206020001"],
    ),
    "hdx_cod_ab": (
        {
            "ADM4_PCODE": ["ID3206010001", "ID3206010002", "ID3206020001"],
            "ADM4_EN": NAMES,
            "ADM3_EN": KECAMATAN,
            "ADM3_PCODE": ["ID3206010", "ID3206010", "ID3206020"],
            "ADM2_EN": ["Tasikmalaya"] * 3,
            "ADM1_EN": ["Jawa Barat"] * 3,
        },
        "bps",
        ["3206010001", "3206010002", "3206020001"],
    ),
}


@pytest.mark.parametrize("convention", list(CONVENTIONS))
def test_column_conventions_are_recognised(convention: str, tmp_path: Path, tmp_store: Store) -> None:
    columns, system, codes = CONVENTIONS[convention]
    desa, prepared = prepare(write_geojson(villages(columns), tmp_path), tmp_store)
    assert desa["kode_desa"].tolist() == codes
    assert desa["nama_desa"].tolist() == NAMES
    assert set(desa["sistem_kode"]) == {system}
    assert prepared.report.diterima == 3
    assert [i for i in prepared.report.masalah if i.tindakan != PERINGATAN] == []


def test_rbi_names_reach_every_level(tmp_path: Path, tmp_store: Store) -> None:
    columns, _, _ = CONVENTIONS["big_rbi"]
    desa, prepared = prepare(write_geojson(villages(columns), tmp_path), tmp_store)
    assert desa["nama_kecamatan"].tolist() == KECAMATAN
    assert desa["nama_kabupaten"].tolist() == ["Tasikmalaya"] * 3
    assert desa["nama_provinsi"].tolist() == ["Jawa Barat"] * 3
    assert desa["kode_kecamatan"].tolist() == ["32.06.01", "32.06.01", "32.06.02"]
    assert prepared.mapping["KDEPUM"] == "kode_desa"
    assert prepared.mapping["WADMKD"] == "nama_desa"
    assert "KDEBPS" not in prepared.mapping


def test_bps_codes_keyed_as_is_with_indonesian_note(tmp_path: Path, tmp_store: Store) -> None:
    columns, _, _ = CONVENTIONS["hdx_cod_ab"]
    desa, prepared = prepare(write_geojson(villages(columns), tmp_path), tmp_store)
    assert desa["kode_kecamatan"].tolist() == ["3206010", "3206010", "3206020"]
    assert desa["kode_kabupaten"].tolist() == ["3206"] * 3
    assert desa["kode_provinsi"].tolist() == ["32"] * 3
    assert desa["jenis"].isna().all()
    assert desa["nama_kecamatan"].tolist() == KECAMATAN
    notes = " ".join(prepared.report.catatan)
    assert "memakai kode desa BPS (kolom ADM4_PCODE), bukan kode Kemendagri" in notes
    assert "tidak dapat dikonversi ke kode Kemendagri dengan rumus" in notes


def test_shapefile_truncated_project_names(tmp_path: Path, tmp_store: Store) -> None:
    frame = villages().assign(kode_kecamatan=["32.06.01", "32.06.01", "32.06.02"], jumlah_penduduk=[1200, 950, 3100])
    desa, prepared = prepare(write_zipped_shapefile(frame, tmp_path), tmp_store)
    assert prepared.mapping["kode_kecam"] == "kode_kecamatan"
    assert prepared.mapping["nama_kecam"] == "nama_kecamatan"
    assert desa["penduduk"].tolist() == [1200, 950, 3100]


@pytest.mark.parametrize("header", ["penduduk", "jumlah_penduduk", "JUMLAH_PENDUDUK", "population"])
def test_population_aliases(header: str, tmp_path: Path, tmp_store: Store) -> None:
    frame = villages({"kode_desa": CODES, "nama_desa": NAMES, header: ["1.250", "abc", "-3"]})
    desa, prepared = prepare(write_geojson(frame, tmp_path), tmp_store)
    assert desa["penduduk"].tolist()[0] == 1250
    assert desa["penduduk"].iloc[1:].isna().all()
    warnings = [(i.baris, i.jenis, i.tindakan) for i in prepared.report.masalah]
    assert warnings == [(2, "penduduk_tidak_sah", PERINGATAN), (3, "penduduk_tidak_sah", PERINGATAN)]


def test_jenis_column_and_region_mismatch(tmp_path: Path, tmp_store: Store) -> None:
    frame = villages(
        {
            "kode_desa": CODES,
            "nama_desa": NAMES,
            "jenis": ["Desa", "KELURAHAN", "kampung"],
            "kode_kabupaten": ["32.06", "3206", "32.07"],
        }
    )
    desa, prepared = prepare(write_geojson(frame, tmp_path), tmp_store)
    assert desa["jenis"].tolist() == ["desa", "kelurahan", "kelurahan"]
    assert desa["kode_kabupaten"].tolist() == ["32.06"] * 3
    found = {(i.baris, i.jenis) for i in prepared.report.masalah}
    assert found == {(3, "jenis_tidak_dikenal"), (3, "kode_wilayah_tidak_cocok")}


def test_header_and_code_helpers() -> None:
    assert normalise_header(" Kode-Desa ") == "kode_desa"
    assert parse_kode_bps("ID3206010001") == "3206010001"
    assert parse_kode_bps("32.06.010.001") == "3206010001"
    assert parse_kode_bps("ID32060") is None


# -- rows ----------------------------------------------------------------------
def test_bad_rows_rejected_with_row_numbers(tmp_path: Path, tmp_store: Store) -> None:
    long_name = "x" * 201
    frame = gpd.GeoDataFrame(
        {
            "kode_desa": ["32.06.01.2001", "", "32.06.01", "32.06.01.2004", "32.06.01.2005", "32.06.01.2006", "bad"],
            "nama_desa": ["  Sukamaju  ", "B", "C", long_name, "<script>alert(1)</script>", "F", "G"],
        },
        geometry=[*(square(108 + 0.1 * i, -7.5) for i in range(5)), Point(108.5, -7.5), Point(108.6, -7.5)],
        crs=model.CRS,
    )
    desa, prepared = prepare(write_geojson(frame, tmp_path), tmp_store)
    assert desa["kode_desa"].tolist() == ["32.06.01.2001", "32.06.01.2005"]
    assert desa["nama_desa"].tolist() == ["Sukamaju", "<script>alert(1)</script>"]
    report = prepared.report
    assert (report.baris_dibaca, report.diterima, report.ditolak) == (7, 2, 5)
    rejected = {i.baris: i.jenis for i in report.masalah if i.tindakan == DITOLAK}
    assert rejected == {
        2: "kode_kosong",
        3: "kode_tidak_sah",
        4: "nama_terlalu_panjang",
        6: "bukan_poligon",
        7: "kode_tidak_sah",
    }
    assert {i.baris: i.subjek for i in report.masalah}[4] == "32.06.01.2004"
    by_row = {i.baris: i.alasan for i in report.masalah}
    assert "Kode desa '32.06.01' tidak sah" in by_row[3]
    assert "paling banyak 200" in by_row[4]
    assert "titik (Point), bukan poligon" in by_row[6]
    assert "Juga:" in by_row[7] and "titik (Point)" in by_row[7]


def test_bowtie_polygon_repaired_and_counted(tmp_path: Path, tmp_store: Store) -> None:
    bowtie = Polygon([(108.0, -7.5), (108.01, -7.49), (108.01, -7.5), (108.0, -7.49)])
    frame = villages().assign(geometry=[bowtie, square(108.02, -7.5), square(108.04, -7.5)])
    desa, prepared = prepare(write_geojson(frame, tmp_path), tmp_store)
    repaired = desa.geometry.iloc[0]
    assert repaired.geom_type == "MultiPolygon" and repaired.is_valid
    assert len(repaired.geoms) == 2
    assert repaired.area == pytest.approx(0.5 * 0.01 * 0.01)
    report = prepared.report
    assert (report.diterima, report.diperbaiki, report.ditolak) == (3, 1, 0)
    issue = report.masalah[0]
    assert (issue.tindakan, issue.jenis, issue.baris, issue.subjek) == (
        DIPERBAIKI,
        "geometri_diperbaiki",
        1,
        "32.06.01.2001",
    )
    assert "Self-intersection" in issue.alasan


def test_geometry_collection_keeps_polygonal_part(tmp_path: Path, tmp_store: Store) -> None:
    mixed = shapely.GeometryCollection([square(108.0, -7.5), Point(108.5, -7.5)])
    frame = villages().assign(geometry=[mixed, square(108.02, -7.5), None])
    desa, prepared = prepare(write_geojson(frame, tmp_path), tmp_store)
    assert desa.geometry.iloc[0].equals(MultiPolygon([square(108.0, -7.5)]))
    kinds = {(i.baris, i.tindakan, i.jenis) for i in prepared.report.masalah}
    assert kinds == {(1, DIPERBAIKI, "geometri_diperbaiki"), (3, DITOLAK, "geometri_kosong")}


def test_duplicate_codes_refuse_the_whole_file(tmp_path: Path, tmp_store: Store) -> None:
    frame = villages({"kode_desa": ["32.06.01.2001", "3206012002", "3206012001"], "nama_desa": NAMES})
    with pytest.raises(InputError, match=r"kode desa ganda: 32\.06\.01\.2001 \(baris 1, 3\).*Dissolve"):
        prepare_boundaries(write_geojson(frame, tmp_path), store=tmp_store)


# -- CRS -----------------------------------------------------------------------
def test_projected_file_with_crs_is_reprojected(tmp_path: Path, tmp_store: Store) -> None:
    projected = villages().to_crs("EPSG:32748")
    desa, prepared = prepare(write_zipped_shapefile(projected, tmp_path), tmp_store)
    assert desa.crs == model.CRS
    minx, miny, maxx, maxy = desa.total_bounds
    assert (minx, miny, maxx, maxy) == pytest.approx((108.0, -7.5, 108.05, -7.49), abs=1e-6)
    assert any("EPSG:32748" in note for note in prepared.report.catatan)


def test_no_crs_with_metres_refused(tmp_path: Path, tmp_store: Store) -> None:
    projected = villages().to_crs("EPSG:32748").set_crs(None, allow_override=True)
    with pytest.raises(InputError, match=r"tidak menyebut sistem koordinat \(CRS\).*meter.*Set Layer CRS.*\.prj"):
        prepare_boundaries(write_zipped_shapefile(projected, tmp_path), store=tmp_store)


def test_no_crs_with_degrees_assumed_wgs84(tmp_path: Path, tmp_store: Store) -> None:
    frame = villages().set_crs(None, allow_override=True)
    desa, prepared = prepare(write_zipped_shapefile(frame, tmp_path), tmp_store)
    assert desa.total_bounds == pytest.approx((108.0, -7.5, 108.05, -7.49))
    assert any("dianggap WGS 84" in note for note in prepared.report.catatan)


# -- merging into the store -----------------------------------------------------
def commit_file(path: Path, store: Store) -> None:
    commit_prepared(store, prepare_boundaries(path, store=store))


def test_reimport_replaces_only_its_kabupaten(tmp_path: Path, tmp_store: Store) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "c").mkdir()
    commit_file(write_geojson(villages(), tmp_path / "a"), tmp_store)
    garut = villages({"kode_desa": ["32.05.01.2001", "32.05.01.2002", "32.05.01.2003"], "nama_desa": NAMES})
    commit_file(write_geojson(garut, tmp_path / "b"), tmp_store)
    assert len(tmp_store.read_desa()) == 6

    new_codes = ["32.06.01.2001", "32.06.03.2001", "32.06.03.2002"]
    new_tasik = villages({"kode_desa": new_codes, "nama_desa": ["A", "B", "C"]})
    prepared = prepare_boundaries(write_geojson(new_tasik, tmp_path / "c"), store=tmp_store)
    assert prepared.report.catatan[-1] == "Menggantikan 3 desa lama dari kabupaten/kota 32.06 di penyimpanan."
    report = commit_prepared(tmp_store, prepared)
    assert report.versi == 3
    stored = tmp_store.read_desa()
    assert stored["kode_desa"].tolist() == [
        "32.05.01.2001",
        "32.05.01.2002",
        "32.05.01.2003",
        "32.06.01.2001",
        "32.06.03.2001",
        "32.06.03.2002",
    ]
    assert stored.set_index("kode_desa").loc["32.06.01.2001", "nama_desa"] == "A"
    assert set(stored.geom_type) == {"MultiPolygon"}
    log = tmp_store.read_log()
    assert log["jenis_impor"].tolist() == ["batas"] * 3
    assert log["diterima"].tolist() == [3, 3, 3]


def test_findings_kept_per_district(tmp_path: Path, tmp_store: Store) -> None:
    bowtie = Polygon([(108.0, -7.5), (108.01, -7.49), (108.01, -7.5), (108.0, -7.49)])
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shapes = [bowtie, square(108.02, -7.5), square(108.04, -7.5)]
    commit_file(write_geojson(villages().assign(geometry=shapes), tmp_path / "a"), tmp_store)
    garut = villages({"kode_desa": ["32.05.01.2001", "32.05.01.2002", "32.05.01.2003"], "nama_desa": NAMES})
    commit_file(write_geojson(garut.assign(geometry=shapes), tmp_path / "b"), tmp_store)
    catatan = tmp_store.read_catatan()
    batas = catatan[catatan["sumber"] == "batas"].sort_values("subjek")
    assert batas["subjek"].tolist() == ["32.05.01.2001", "32.06.01.2001"]
    assert batas["jenis"].tolist() == ["geometri_diperbaiki"] * 2
    assert batas["tingkat"].tolist() == ["rendah"] * 2


# -- archives --------------------------------------------------------------------
def test_zip_size_cap_and_entries(tmp_path: Path) -> None:
    archive = tmp_path / "besar.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a/desa.shp", b"\x00" * 5000)
        zf.writestr("a/", b"")
    assert [i.filename for i in check_zip(archive)] == ["a/desa.shp"]
    with pytest.raises(InputError, match=r"terlalu besar setelah diekstrak"):
        check_zip(archive, max_bytes=4000)
    out = tmp_path / "out"
    out.mkdir()
    assert extract_zip(archive, out) == [(out / "a" / "desa.shp").resolve()]
    with pytest.raises(InputError, match=r"berisi 2 entri \(batas 1\)"):
        check_zip(archive, max_entries=1)


@pytest.mark.parametrize("name", ["/etc/passwd.shp", "a/../../x.shp", "..\\x.shp", "C:/x.shp"])
def test_zip_slip_refused(name: str, tmp_path: Path) -> None:
    archive = tmp_path / "slip.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(name, b"data")
    with pytest.raises(InputError, match=r"zip slip"):
        extract_zip(archive, tmp_path)
