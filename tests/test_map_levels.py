"""Maps at every scale, through the pages (AppTest): what the map draws at each scope, and what it sends.

A store of 1,200 small square desa: provinsi 98 (two kabupaten of 550 desa, facility data for
98.01 only) and provinsi 97 (one kabupaten of 100 desa, no data). The nation and provinsi 98
hold more than ``MAX_DESA_DRAWN`` desa, so their maps draw units; a kabupaten draws its desa.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from page_support import run_page
from shapely.geometry import Point, box

from geo.levels import MAX_DESA_DRAWN
from loaders import model
from loaders.store import ChangeRecord, Store

MONTHS = ("2026-09", "2026-10")
KABUPATEN = {"98.01": ("98", 550), "98.02": ("98", 550), "97.01": ("97", 100)}
SIDE = 0.01  # degrees


def _desa() -> gpd.GeoDataFrame:
    rows, shapes = [], []
    column = 0
    for kab, (prov, count) in KABUPATEN.items():
        for i in range(count):
            kec = f"{kab}.{i // 50 + 1:02d}"
            rows.append(
                {
                    "kode_desa": f"{kec}.{2001 + i % 50}",
                    "nama_desa": f"Desa {kab}-{i}",
                    "jenis": "desa",
                    "kode_kecamatan": kec,
                    "nama_kecamatan": f"Kecamatan {kec}",
                    "kode_kabupaten": kab,
                    "nama_kabupaten": f"Kabupaten {kab}",
                    "kode_provinsi": prov,
                    "nama_provinsi": f"Provinsi {prov}",
                    "sistem_kode": "kemendagri",
                }
            )
            x, y = 100.0 + (column + i // 25) * SIDE, -5.0 - (i % 25) * SIDE
            shapes.append(box(x, y - SIDE, x + SIDE, y))
        column += count // 25 + 1
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=shapes, crs=model.CRS)


@pytest.fixture(scope="module")
def levels_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    desa = _desa()
    served = desa[desa["kode_kabupaten"] == "98.01"].iloc[::10]  # a posyandu in every 10th desa of 98.01
    centres = served.geometry.representative_point()
    facilities = gpd.GeoDataFrame(
        pd.DataFrame(
            {
                "id_fasilitas": [f"psy-{i}" for i in range(len(served))],
                "jenis": model.POSYANDU,
                "kode": [f"PSY-{i}" for i in range(len(served))],
                "nama": [f"Posyandu {i}" for i in range(len(served))],
                "kode_desa": served["kode_desa"].to_numpy(),
                "kode_puskesmas": None,
                "lat": centres.y.to_numpy(),
                "lon": centres.x.to_numpy(),
                "status": model.AKTIF,
                "perawat": None,
                "bidan": None,
            }
        ),
        geometry=[Point(p.x, p.y) for p in centres],
        crs=model.CRS,
    )
    reports = pd.DataFrame(
        [{"kode_posyandu": kode, "bulan": m, "buka": True} for kode in facilities["kode"] for m in MONTHS]
    )
    path = tmp_path_factory.mktemp("levels") / "ilp.gpkg"
    Store(path).commit(
        layers={model.LAYER_DESA: desa, model.LAYER_FASILITAS: facilities, model.LAYER_LAPORAN: reports},
        record=ChangeRecord(jenis_impor="demo", keterangan="toko uji tingkat"),
    )
    return path


@pytest.fixture
def levels_store(levels_store_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "ilp.gpkg"
    path.write_bytes(levels_store_template.read_bytes())
    monkeypatch.setenv("ILP_STORE", str(path))
    return path


def _map(at) -> tuple[dict, dict, dict]:
    """(component arguments, geometry payload, values payload) of the one map on the page."""
    (component,) = at.get("component_instance")
    args = json.loads(component.proto.json_args)
    decoder = json.JSONDecoder()
    script, group = args["script"], args["feature_group"]
    geometry, _ = decoder.raw_decode(script, script.index('{"d":'))
    values, _ = decoder.raw_decode(group, group.index(".apply(") + len(".apply("))
    return args, geometry, values


def _captions(at) -> str:
    return " | ".join(str(c.value) for c in at.caption)


def test_nation_is_drawn_as_its_provinces(levels_store: Path) -> None:
    at = run_page()
    _, geometry, values = _map(at)
    assert 1200 > MAX_DESA_DRAWN
    assert [row[0] for row in geometry["f"]] == ["97", "98"]
    assert '"kind":"unit","level":"provinsi"' in _map(at)[0]["script"]
    # 97 has no facility data at all: no share, the no-data class; 98: 55 desa with a posyandu out of 550 with data
    assert values["v"]["97"][0] == -1 and values["v"]["97"][3] == "100"
    # 98: only the 550 desa of 98.01 have data (98.02 has none), and with no pustu anywhere each of them has a gap
    assert values["v"]["98"][1:] == ["100,0%", "1.100", "550"]
    assert "Peta menampilkan 2 provinsi" in _captions(at)


def test_province_is_drawn_as_its_kabupaten_and_a_kabupaten_as_its_desa(levels_store: Path) -> None:
    at = run_page(query={"provinsi": "98"})
    _, geometry, values = _map(at)
    assert [row[0] for row in geometry["f"]] == ["98.01", "98.02"]
    assert values["v"]["98.02"][0] == -1  # no data yet
    assert [b.label for b in at.button if "›" in b.label] == ["Indonesia ›"]
    at = run_page(query={"provinsi": "98", "kabupaten": "98.01"})
    _, geometry, values = _map(at)
    assert len(geometry["f"]) == len(values["v"]) == 550
    assert len(geometry["o"]) == 11  # kecamatan names (their borders are drawn by the browser)
    assert [b.label for b in at.button if "›" in b.label] == ["Indonesia ›", "Provinsi 98 ›"]
    assert "Peta menampilkan" not in _captions(at)


def test_a_rerun_that_changes_nothing_sends_the_same_map_and_a_month_keeps_the_geometry(levels_store: Path) -> None:
    at = run_page(query={"provinsi": "98", "kabupaten": "98.01"})
    first = at.get("component_instance")[0].proto.SerializeToString(deterministic=True)
    at.run()
    assert at.get("component_instance")[0].proto.SerializeToString(deterministic=True) == first
    args, _, _ = _map(at)
    at.selectbox(key="ilp_bulan").set_value(MONTHS[0]).run()
    after, _, _ = _map(at)
    assert after["script"] == args["script"]  # the browser keeps its map; only the values change
    assert "September 2026" in _captions(at)


def test_gap_table_and_cards_follow_the_same_scope(levels_store: Path) -> None:
    at = run_page(query={"provinsi": "98"})
    cards = {m.label: m.value for m in at.metric}
    assert any(value == "1.100" for value in cards.values()), cards


def test_gap_map_page_lists_units_when_the_map_draws_units(levels_store: Path) -> None:
    """At the nation the Peta page's table has one row per provinsi (not 1,200 desa), largest share of gaps first."""
    at = run_page("pages/peta.py")
    (table,) = at.dataframe
    assert list(table.value.iloc[:, 0]) == ["Provinsi 98", "Provinsi 97"]
    assert "Kesenjangan per provinsi" in [s.value for s in at.main.subheader]
    at = run_page("pages/peta.py", {"provinsi": "98", "kabupaten": "98.01"})
    assert "Desa dengan kesenjangan" in [s.value for s in at.main.subheader]  # a kabupaten: its desa
