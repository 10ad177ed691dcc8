"""The Desa page's map: nearest active pustu and the line to it, neighbouring desa, the legend kept off the desa.

The nearest pustu is checked against the engine (its ``jarak_pustu_km``) and against a
brute-force measurement written here (every counted active pustu, in the UTM zone of the data);
the neighbours against shapely's ``intersects`` over every desa polygon.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import pytest
import shapely
from engine_fixtures import dated, with_history
from page_support import DESA_PAGE, coverage_of, run_page, texts, tiny_store
from shapely.geometry import Point

from geo.engine import Coverage
from geo.surroundings import nearest_pustu, touching_desa
from loaders.dataset import read_dataset
from loaders.store import ChangeRecord
from ui import desa_views, maps
from ui.fmt import fmt_km
from ui.i18n import t


def _map_parts(at) -> tuple[dict[str, Any], dict[str, Any]]:
    """(runtime configuration, this run's values) of the one map on the page."""
    components = at.get("component_instance")
    assert len(components) == 1
    args = json.loads(components[0].proto.json_args)
    script, group = args["script"], args["feature_group"]
    decoder = json.JSONDecoder()
    config, _ = decoder.raw_decode(script, script.rindex('{"kind":'))
    values, _ = decoder.raw_decode(group, group.index("apply(") + len("apply("))
    return config, values


def _intersecting(cov, kode: str) -> set[str]:
    """kode_desa of every desa whose polygon intersects that of ``kode`` (itself excluded), by brute force."""
    geometries = cov.desa_geometries()
    polygon = geometries.set_index("kode_desa").geometry[kode]
    hits = shapely.intersects(geometries.geometry.to_numpy(), polygon)
    return set(geometries["kode_desa"][hits].astype(str)) - {kode}


def _brute_force_nearest(cov, kode: str) -> tuple[float, list[tuple[float, float]]]:
    """(shortest distance in km, [(lon, lat)] of the counted active pustu at that distance) from ``kode``.

    Measured from the desa's point on its surface to each pustu's own point in the UTM zone of
    the district (every test district lies inside one zone).
    """
    geometries = cov.desa_geometries()
    minx, miny, maxx, maxy = geometries.total_bounds
    zone = int(((minx + maxx) / 2 + 180) // 6) + 1
    utm = pyproj.Transformer.from_crs("EPSG:4326", f"EPSG:{32700 + zone if miny < 0 else 32600 + zone}", always_xy=True)
    here = shapely.point_on_surface(geometries.set_index("kode_desa").geometry[kode])
    x0, y0 = utm.transform(here.x, here.y)
    fac = cov.facilities
    pustu = fac[(fac["jenis"] == "pustu") & fac["aktif"].fillna(False) & fac["dihitung"]]
    pustu = pustu[pustu["kode_desa_lokasi"].notna()]
    lon, lat = shapely.get_x(pustu.geometry.values), shapely.get_y(pustu.geometry.values)
    x, y = utm.transform(lon, lat)
    distance = np.hypot(np.asarray(x) - x0, np.asarray(y) - y0) / 1000.0
    best = float(distance.min())
    at_best = [(float(a), float(b)) for a, b, d in zip(lon, lat, distance, strict=True) if d - best < 1e-6]
    return best, at_best


# -- the geo side ---------------------------------------------------------------------------------------
def test_tiny_store_nearest_pustu_and_neighbours(tmp_path: Path) -> None:
    store = tiny_store(tmp_path / "ilp.gpkg")
    cov = coverage_of(store.path)
    month = cov.latest_month
    table = cov.desa_table(month).set_index("kode_desa")
    for i, kode in enumerate(table.index):
        found = nearest_pustu(cov, kode, month)
        assert found is not None and found.found
        assert (found.nama, found.kode_desa, found.lon, found.lat) == ("Pustu A", "99.01.01.2001", 108.0045, -7.6955)
        assert found.jarak_km == table.loc[kode, "jarak_pustu_km"]
        assert found.jarak_km == pytest.approx(i * 0.9938, abs=0.001)  # five 1 km-wide boxes in a row
        # the boxes in a row: each touches the one before and the one after it
        assert touching_desa(cov, kode) == sorted(table.index[max(i - 1, 0) : i + 2].drop(kode))
        assert set(touching_desa(cov, kode)) == _intersecting(cov, kode)
    assert touching_desa(cov, "99.99.99.9999") == []
    assert nearest_pustu(cov, "99.99.99.9999", month) is None


def test_nearest_pustu_of_an_earlier_snapshot_in_the_months_it_is_in_force(tmp_path: Path) -> None:
    """Today (snapshot 2026-06) only Pustu A (desa A); the 2026-01 snapshot had only Pustu Lama, in desa E."""
    store = tiny_store(tmp_path / "ilp.gpkg")
    dataset = read_dataset(store)
    current = dated(dataset.fasilitas, per=["2026-06"] * len(dataset.fasilitas))
    pustu_a = current[current["nama"] == "Pustu A"]
    earlier = dated(
        pustu_a.assign(nama="Pustu Lama", kode_desa="99.01.01.2005", lon=108.0405, geometry=[Point(108.0405, -7.6955)]),
        per=["2026-01"],
    )
    cov = Coverage(with_history(dataclasses.replace(dataset, fasilitas=current), earlier))
    for month, nama, lon, desa in (
        ("2026-03", "Pustu Lama", 108.0405, "99.01.01.2005"),
        ("2026-08", "Pustu A", 108.0045, "99.01.01.2001"),
    ):
        jarak = cov.desa_table(month, kode_desa=["99.01.01.2004"])["jarak_pustu_km"].iloc[0]
        found = nearest_pustu(cov, "99.01.01.2004", month)  # desa D: 1 km from E, 3 km from A
        assert found is not None and found.found
        assert (found.nama, found.lon, found.kode_desa, found.jarak_km) == (nama, lon, desa, jarak)
    assert cov.desa_table("2026-03", kode_desa=["99.01.01.2004"])["jarak_pustu_km"].iloc[0] == pytest.approx(
        0.994, abs=0.001
    )
    assert "Pustu Lama" not in set(cov.facilities["nama"])  # only in the earlier snapshot


def test_tasikmalaya_nearest_pustu_is_the_engines_for_every_desa(tasikmalaya_store_path: Path) -> None:
    cov = coverage_of(tasikmalaya_store_path)
    month = cov.latest_month
    table = cov.desa_table(month)
    checked = 0
    for kode, jarak in zip(table["kode_desa"], table["jarak_pustu_km"], strict=True):
        found = nearest_pustu(cov, kode, month)
        assert found is not None and found.found, kode
        assert found.jarak_km == jarak
        best, at_best = _brute_force_nearest(cov, kode)
        assert best == pytest.approx(jarak, abs=1e-6)
        assert (found.lon, found.lat) in at_best
        checked += 1
    assert checked == 351


def test_tasikmalaya_neighbours_are_the_touching_desa(tasikmalaya_store_path: Path) -> None:
    cov = coverage_of(tasikmalaya_store_path)
    codes = list(cov.desa_table(cov.latest_month)["kode_desa"])
    counts = []
    for kode in codes[::7]:
        neighbours = touching_desa(cov, kode)
        assert set(neighbours) == _intersecting(cov, kode)
        counts.append(len(neighbours))
    assert min(counts) >= 1 and max(counts) >= 6


# -- the page ---------------------------------------------------------------------------------------------
def test_tasikmalaya_desa_map_carries_the_nearest_pustu_line_and_neighbours(app_on_tasikmalaya: Path) -> None:
    cov = coverage_of(app_on_tasikmalaya)
    month = cov.latest_month
    table = cov.desa_table(month)
    # the desa farthest from an active pustu: the line leaves the desa
    row = table.sort_values(["jarak_pustu_km", "kode_desa"], ascending=[False, True]).iloc[0]
    kode = str(row["kode_desa"])
    at = run_page(DESA_PAGE, {"desa": kode})
    config, values = _map_parts(at)
    found = nearest_pustu(cov, kode, month)
    assert found is not None and found.found
    best, at_best = _brute_force_nearest(cov, kode)
    line = values["j"]
    assert (line["b"][1], line["b"][0]) in [(round(a, 6), round(b, 6)) for a, b in at_best]
    assert line["b"] == [round(found.lat, 6), round(found.lon, 6)]
    here = shapely.point_on_surface(cov.desa_geometries().set_index("kode_desa").geometry[kode])
    assert line["a"] == [round(here.y, 6), round(here.x, 6)]
    assert line["n"] == found.nama and line["n"] != "–"
    names = dict(zip(table["kode_desa"], table["nama_desa"], strict=True))
    assert line["d"] == names[found.kode_desa]
    assert line["k"] == fmt_km(row["jarak_pustu_km"]) == fmt_km(best)
    assert t("desap.map_help", nama=found.nama, jarak=line["k"]) in texts(at.main.caption)
    # the neighbours: exactly the desa whose polygons touch this one, with their kecamatan on hover
    sekitar = config["sekitar"]
    assert {r[0] for r in sekitar["tetangga"]} == _intersecting(cov, kode)
    assert all(r[1] == names[r[0]] and len(r[2]) == 1 and r[4] for r in sekitar["tetangga"])
    assert kode not in {r[0] for r in sekitar["tetangga"]}
    # the legend kept off the desa: the browser fits with the legend's width free on the right
    assert sekitar["pad"] == desa_views.DESA_MAP_PADDING_PX
    assert sekitar["free"] == maps.LEGEND_CLEARANCE_PX[False]
    assert sekitar["teks"] == {"terdekat": "Pustu aktif terdekat", "jarak": "Jarak", "tetangga": "Desa tetangga"}


def test_tiny_store_desa_c_line_to_pustu_a(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    store = tiny_store(tmp_path / "ilp.gpkg")
    monkeypatch.setenv("ILP_STORE", str(store.path))
    at = run_page(DESA_PAGE, {"desa": "99.01.01.2003"})  # Desa C: Pustu A stands in Desa A, 2 km west
    config, values = _map_parts(at)
    assert values["j"] == {
        "a": [-7.6955, 108.0225],
        "b": [-7.6955, 108.0045],
        "n": "Pustu A",
        "d": "Desa A",
        "k": "2,0 km",
    }
    assert sorted(r[0] for r in config["sekitar"]["tetangga"]) == ["99.01.01.2002", "99.01.01.2004"]
    assert [r[1] for r in config["sekitar"]["tetangga"]] == ["Desa B", "Desa D"]
    # the fitted box of the desa and its puskesmas, for the browser to fit again with the legend's strip free
    assert config["sekitar"]["fit"] == [[-7.7, 108.0045], [-7.691, 108.027]]


def test_no_active_pustu_no_line_and_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    store = tiny_store(tmp_path / "ilp.gpkg")
    fasilitas = store.read_fasilitas()
    fasilitas.loc[fasilitas["jenis"] == "pustu", "status"] = "tidak aktif"
    store.commit(layers={"fasilitas": fasilitas}, record=ChangeRecord(jenis_impor="fasilitas"))
    monkeypatch.setenv("ILP_STORE", str(store.path))
    cov = coverage_of(store.path)
    assert nearest_pustu(cov, "99.01.01.2003", cov.latest_month) is None
    at = run_page(DESA_PAGE, {"desa": "99.01.01.2003"})
    config, values = _map_parts(at)
    assert "j" not in values
    assert t("desap.map_help_none") in texts(at.main.caption)
    assert t("desap.map_help_none").startswith("Tidak ada pustu aktif di data bulan ini")
    assert len(config["sekitar"]["tetangga"]) == 2  # the neighbours are drawn all the same
