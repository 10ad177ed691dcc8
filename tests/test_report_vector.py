"""GeoJSON and GeoPackage exports (ui/report_vector.py): every file produced is opened and checked against the engine.

:func:`small_request` (five desa in two kecamatan, one of each status that has data,
hostile names) is shared with ``tests/test_report_map.py``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
from engine_fixtures import cell, coverage, desa_layer, facility, months, point, reports

from geo.engine import Coverage
from geo.rules import Rules
from loaders import model
from loaders.exceptions import InputError
from ui.exports import ExportRequest, render
from ui.report_vector import GPKG_LAYER, VECTOR_FIELDS, render_geojson, render_gpkg

D1, D2, D3, D4 = (f"11.01.01.200{i}" for i in range(1, 5))
D5 = "11.01.02.2001"
FORMULA_NAME = '=HYPERLINK("http://contoh.invalid","klik")'
MARKUP_NAME = "<script>alert(1)</script> & $x^2$"
KECAMATAN_TWO = "=Kec <Dua> $y$"
WINDOW = months("2025-11", 12)
MONTH = "2026-10"
EXPECTED_STATUS = {D1: "lengkap", D2: "tanpa_keduanya", D3: "lengkap", D4: "tanpa_pustu", D5: "tanpa_posyandu_aktif"}


def small_coverage() -> Coverage:
    """Five desa (squares of ~1.1 km): four in kecamatan 11.01.01, one in 11.01.02 with a hostile name."""
    desa = desa_layer([(D1, cell(0, 1)), (D2, cell(1, 2)), (D3, cell(2, 3)), (D4, cell(3, 4)), (D5, cell(0, 4, 1, 3))])
    desa.loc[desa["kode_desa"] == D1, "nama_desa"] = FORMULA_NAME
    desa.loc[desa["kode_desa"] == D4, "nama_desa"] = MARKUP_NAME
    desa.loc[desa["kode_desa"] == D5, "nama_kecamatan"] = KECAMATAN_TWO
    active = {m: True for m in WINDOW}
    facilities = [
        facility(model.POSYANDU, "Posyandu A", kode="YA", at=point(0.3)),
        facility(model.PUSTU, "Pustu Satu", kode_desa=D1, at=point(0.5), perawat=1, bidan=1),
        facility(model.POSYANDU, "Posyandu B", kode="YB", at=point(1.5)),
        facility(model.PUSKESMAS, "Puskesmas Dua", kode="P2", at=point(1.7)),
        facility(model.POSYANDU, "Posyandu C", kode="YC", at=point(2.5)),
        facility(model.PUSTU, "Pustu Tiga", kode_desa=D3, at=point(2.5), perawat=2, bidan=0),
        facility(model.POSYANDU, "Posyandu D", kode="YD", kode_desa=D4),
        facility(model.PUSTU, "Pustu Lima", kode_desa=D5, at=point(2.0, 2.0), perawat=1, bidan=1),
    ]
    laporan = (
        reports("YA", active)
        + reports("YB", {m: True for m in WINDOW[:9]})
        + reports("YC", active)
        + reports("YD", active)
    )
    return coverage(desa, facilities, laporan)


def small_request(
    *,
    lang: str = "id",
    kode_desa: tuple[str, ...] | None = None,
    area: str = "Kabupaten Contoh",
    kode_puskesmas: str | None = None,
) -> ExportRequest:
    """An export of the small coverage (all five desa, D5 first: the request's order is kept)."""
    return ExportRequest(
        coverage=small_coverage(),
        month=MONTH,
        kode_desa=kode_desa if kode_desa is not None else (D5, D1, D2, D3, D4),
        area=area,
        rules=Rules(),
        data_version="versi data 3, 2026-11-29 10:12",
        lang=lang,
        kode_puskesmas=kode_puskesmas,
    )


def _geojson(request: ExportRequest) -> dict:
    return json.loads(render_geojson(request).decode("utf-8"))


def _gpkg(request: ExportRequest, tmp_path: Path) -> pd.DataFrame:
    path = tmp_path / "ekspor.gpkg"
    path.write_bytes(render_gpkg(request))
    layers = pyogrio.list_layers(path)
    assert [list(layer) for layer in layers] == [[GPKG_LAYER, "MultiPolygon"]]
    return pyogrio.read_dataframe(path, layer=GPKG_LAYER)


def _decimals(value: float) -> int:
    text = repr(float(value))
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def test_the_small_fixture_has_every_status_with_data() -> None:
    table = small_coverage().desa_table(MONTH).set_index("kode_desa")
    assert table["status"].to_dict() == EXPECTED_STATUS


def test_geojson_features_fields_and_statuses() -> None:
    request = small_request()
    collection = _geojson(request)
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection  # RFC 7946: WGS 84 only, no crs member
    features = collection["features"]
    assert len(features) == len(request.kode_desa) == 5
    assert [f["properties"]["kode_desa"] for f in features] == list(request.kode_desa)
    assert list(features[0]["properties"]) == list(VECTOR_FIELDS)
    engine = request.coverage.desa_table(MONTH).set_index("kode_desa")
    for feature in features:
        props = feature["properties"]
        row = engine.loc[props["kode_desa"]]
        assert props["status"] == row["status"] == EXPECTED_STATUS[props["kode_desa"]]
        assert props["bulan"] == MONTH
        assert props["pustu_aktif"] == int(row["pustu_aktif"])
        assert props["posyandu_aktif"] == int(row["posyandu_aktif"])
        assert props["ada_puskesmas"] is bool(row["ada_puskesmas"])
        assert props["puskesmas"] == "Puskesmas Dua"
        assert props["kode_puskesmas"] == "P2"
        assert feature["geometry"]["type"] == "MultiPolygon"
    labels = {f["properties"]["kode_desa"]: f["properties"]["status_label"] for f in features}
    assert labels[D2] == "Tanpa keduanya"
    assert labels[D4] == "Tanpa pustu aktif"
    assert labels[D5] == "Tanpa posyandu aktif"


def test_geojson_is_rfc7946_lonlat_with_six_decimals() -> None:
    features = _geojson(small_request())["features"]
    coords = np.array(
        [xy for f in features for polygon in f["geometry"]["coordinates"] for ring in polygon for xy in ring]
    )
    assert coords[:, 0].min() == pytest.approx(106.0) and coords[:, 0].max() == pytest.approx(106.04)
    assert coords[:, 1].min() == pytest.approx(-6.0) and coords[:, 1].max() == pytest.approx(-5.97)
    assert max(_decimals(v) for v in coords.ravel()) <= 6
    # RFC 7946: exterior rings counter-clockwise (positive signed area)
    ring = np.array(features[0]["geometry"]["coordinates"][0][0])
    signed = 0.5 * np.sum(ring[:-1, 0] * ring[1:, 1] - ring[1:, 0] * ring[:-1, 1])
    assert signed > 0


def test_geojson_in_english_and_through_the_export_registry() -> None:
    request = small_request(lang="en")
    collection = json.loads(render(request, "geojson").decode("utf-8"))
    labels = {f["properties"]["kode_desa"]: f["properties"]["status_label"] for f in collection["features"]}
    assert labels == {
        D1: "Complete",
        D2: "Neither",
        D3: "Complete",
        D4: "No active pustu",
        D5: "No active posyandu",
    }


def test_hostile_names_survive_as_plain_text(tmp_path: Path) -> None:
    request = small_request()
    raw = render_geojson(request).decode("utf-8")
    names = {f["properties"]["kode_desa"]: f["properties"]["nama_desa"] for f in json.loads(raw)["features"]}
    assert names[D1] == FORMULA_NAME
    assert names[D4] == MARKUP_NAME
    frame = _gpkg(request, tmp_path).set_index("kode_desa")
    assert frame.loc[D1, "nama_desa"] == FORMULA_NAME
    assert frame.loc[D4, "nama_desa"] == MARKUP_NAME
    assert frame.loc[D5, "nama_kecamatan"] == KECAMATAN_TWO


def test_gpkg_layer_fields_types_and_statuses(tmp_path: Path) -> None:
    request = small_request()
    frame = _gpkg(request, tmp_path)
    assert frame.crs.to_epsg() == 4326
    assert len(frame) == 5
    assert frame["kode_desa"].tolist() == list(request.kode_desa)
    assert [c for c in frame.columns if c != "geometry"] == list(VECTOR_FIELDS)
    assert frame.set_index("kode_desa")["status"].to_dict() == EXPECTED_STATUS
    assert frame["ada_data"].dtype == bool and frame["ada_data"].all()
    assert frame["pustu_aktif"].dtype == np.int64
    engine = request.coverage.desa_table(MONTH).set_index("kode_desa")
    distance = frame.set_index("kode_desa")["jarak_pustu_km"]
    for kode in request.kode_desa:
        expected = engine.loc[kode, "jarak_pustu_km"]
        assert distance[kode] == pytest.approx(round(float(expected), 3), abs=1e-9) or (
            math.isnan(expected) and math.isnan(distance[kode])
        )
    assert frame.geometry.is_valid.all()


def test_only_the_desa_in_view_are_exported(tmp_path: Path) -> None:
    request = small_request(kode_desa=(D4, D2, D4))
    assert [f["properties"]["kode_desa"] for f in _geojson(request)["features"]] == [D4, D2]
    assert _gpkg(request, tmp_path)["kode_desa"].tolist() == [D4, D2]


@pytest.mark.parametrize("renderer", [render_geojson, render_gpkg])
def test_an_empty_view_is_refused(renderer) -> None:
    with pytest.raises(InputError) as caught:
        renderer(small_request(kode_desa=()))
    assert "Tidak ada desa untuk diekspor" in str(caught.value)
    assert "filter" in str(caught.value)


def test_unknown_desa_are_refused_by_name() -> None:
    with pytest.raises(InputError) as caught:
        render_geojson(small_request(kode_desa=(D1, "99.99.99.9999")))
    assert "99.99.99.9999" in str(caught.value)
    assert "tidak ada di data" in str(caught.value)


def test_the_engine_is_not_changed_by_an_export() -> None:
    request = small_request()
    before = request.coverage.desa_table(MONTH)
    geometry_before = request.coverage.desa_geometries()
    render_geojson(request)
    render_gpkg(request)
    pd.testing.assert_frame_equal(request.coverage.desa_table(MONTH), before)
    assert geometry_before.geom_equals(request.coverage.desa_geometries()).all()


# -- Kabupaten Tasikmalaya (../shared/data) --------------------------------------------------------


def test_tasikmalaya_geojson_and_gpkg_match_the_engine(tasikmalaya_export: ExportRequest, tmp_path: Path) -> None:
    engine = tasikmalaya_export.coverage.desa_table(MONTH).set_index("kode_desa")
    features = _geojson(tasikmalaya_export)["features"]
    assert len(features) == len(tasikmalaya_export.kode_desa) == 351
    statuses = {f["properties"]["kode_desa"]: f["properties"]["status"] for f in features}
    assert statuses == engine["status"].to_dict()
    frame = _gpkg(tasikmalaya_export, tmp_path).set_index("kode_desa")
    assert len(frame) == 351
    assert frame["status"].value_counts().to_dict() == engine["status"].value_counts().to_dict()
    first = tasikmalaya_export.kode_desa[0]
    for field in ("nama_desa", "nama_kecamatan", "puskesmas", "kode_puskesmas"):
        assert frame.loc[first, field] == engine.loc[first, field]
    for field in ("pustu_aktif", "posyandu_total", "posyandu_aktif", "posyandu_lapor", "pustu_standar"):
        assert (frame[field] == engine.loc[frame.index, field]).all(), field
