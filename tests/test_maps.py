"""Offline, escaped folium maps (ui/maps.py, ui/assets.py)."""

from __future__ import annotations

import html
import re

import branca
import folium
import folium.elements
import geopandas as gpd
import pandas as pd
import pytest
import streamlit_folium
from shapely.geometry import Point, box

from ui import assets, maps
from ui.palette import STATUS_COLORS, STATUS_ORDER

EVIL_DESA = "<script>alert(1)</script>"
EVIL_POSYANDU = "<img src=x onerror=alert(2)>"
URL_RE = re.compile(r"""https?://[^\s"'<>)\\]+""")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


@pytest.fixture
def geometries() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"kode_desa": ["32.06.01.2001", "32.06.01.2002", "32.06.02.2001"]},
        geometry=[
            box(108.0, -7.5, 108.0123456789, -7.49),
            box(108.02, -7.5, 108.03, -7.49),
            box(108.04, -7.5, 108.05, -7.49),
        ],
        crs="EPSG:4326",
    )


@pytest.fixture
def status() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kode_desa": ["32.06.01.2001", "32.06.01.2002"],
            "nama_desa": [EVIL_DESA, "Sukamaju"],
            "nama_kecamatan": ['Cipatujah "Selatan" & Co', "Cipatujah"],
            "puskesmas": [pd.NA, "Puskesmas Cipatujah"],
            "status": ["tanpa_keduanya", "lengkap"],
            "pustu_aktif": [0, 1],
            "posyandu_aktif": [0, 3],
            "posyandu_total": [2, 1234],
        }
    ).astype({"nama_desa": "string", "nama_kecamatan": "string", "puskesmas": "string", "status": "string"})


@pytest.fixture
def facilities() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "jenis": ["puskesmas", "pustu", "pustu", "pustu", "posyandu"],
            "nama": ["Puskesmas Cipatujah", "Pustu A", "Pustu B", "Pustu luar", "Posyandu X"],
            "status": ["aktif", "aktif", "tidak aktif", "aktif", "aktif"],
            "aktif": pd.array([True, True, False, True, pd.NA], dtype="boolean"),  # the engine's judgement
            "kode_desa_final": ["32.06.01.2002", "32.06.01.2001", "32.06.01.2002", "32.06.02.2001", "32.06.01.2001"],
        },
        geometry=[Point(108.025, -7.495), Point(108.005, -7.495), Point(108.026, -7.494), Point(108.045, -7.495), None],
        crs="EPSG:4326",
    ).astype({"jenis": "string", "nama": "string", "status": "string", "kode_desa_final": "string"})


@pytest.fixture
def posyandu() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kode": ["PSY1", "PSY2", "PSY3"],
            "nama": [EVIL_POSYANDU, "Posyandu Mawar", "Posyandu tanpa titik"],
            "kode_desa": ["32.06.01.2001", "32.06.01.2002", "32.06.01.2002"],
            "aktif": [True, False, True],
            "bulan_buka": [11, 2, 12],
            "lat": [-7.496, -7.497, pd.NA],
            "lon": [108.006, 108.027, pd.NA],
        }
    ).astype({"lat": "Float64", "lon": "Float64"})


@pytest.fixture
def full_map(geometries, status, facilities, posyandu) -> folium.Map:
    features = maps.desa_features(geometries, status)
    points = maps.facility_points(facilities, posyandu, kode_desa=list(status["kode_desa"]))
    return maps.status_map(features, points, tiles=None)


def _remote_urls(text: str) -> set[str]:
    return {u for u in URL_RE.findall(text) if not u.split("//", 1)[1].startswith(LOCAL_HOSTS)}


def test_rendered_map_requests_nothing_remote_without_tiles(full_map: folium.Map) -> None:
    page = maps.map_html(full_map)
    assert _remote_urls(page) == set()
    sources = re.findall(r'<script src="([^"]+)"', page) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert sources == ["/app/static/vendor/leaflet/leaflet.js", "/app/static/vendor/leaflet/leaflet.css"]
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower() and "awesome" not in page.lower()


def _walk(element: object):
    """The elements streamlit-folium inspects for the scripts its iframe loads (as in st_folium)."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def test_streamlit_folium_loads_only_local_scripts(full_map: folium.Map) -> None:
    full_map.get_root().render()
    js, css = [], []
    for element in _walk(full_map):
        assert not isinstance(element, branca.colormap.ColorMap)  # st_folium would add d3 from a CDN
        assert not isinstance(element, (folium.Icon, folium.RegularPolygonMarker))
        if isinstance(element, folium.elements.JSCSSMixin):
            js += [url for _, url in element.default_js]
            css += [url for _, url in element.default_css]
    assert set(js) == {"/app/static/vendor/leaflet/leaflet.js"}
    assert set(css) == {"/app/static/vendor/leaflet/leaflet.css"}
    header = streamlit_folium._get_header(full_map)
    script = streamlit_folium.generate_leaflet_string(full_map)
    assert _remote_urls(header) == set()
    assert _remote_urls(script) == set()
    assert "ilp-legend" in script and "L.control.layers" in script


def test_names_are_escaped_in_rendered_html(full_map: folium.Map) -> None:
    page = maps.map_html(full_map)
    assert EVIL_DESA not in page and "<img src=x" not in page
    # html.escape'd, then JSON-encoded by folium (& -> \u0026)
    assert "\\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt;" in page
    assert "\\u0026lt;img src=x onerror=alert(2)\\u0026gt;" in page
    assert "Cipatujah \\u0026quot;Selatan\\u0026quot; \\u0026amp; Co" in page


def test_desa_features_keep_only_tooltip_properties(geometries, status) -> None:
    features = maps.desa_features(geometries, status, lang="id")
    assert list(features.columns) == [*maps.DESA_PROPERTIES, "geometry"]
    assert list(features.index) == ["32.06.01.2001", "32.06.01.2002"]  # desa without status not drawn
    first = features.loc["32.06.01.2001"]
    assert first["desa"] == html.escape(EVIL_DESA)
    assert first["puskesmas"] == "–"
    assert first["status_label"] == "Tanpa keduanya"
    assert features.loc["32.06.01.2002", "posyandu"] == "3 / 1.234"
    assert max(features.geometry.iloc[0].exterior.xy[0]) == pytest.approx(108.01235, abs=1e-9)  # 5 decimals
    assert list(geometries.columns) == ["kode_desa", "geometry"]  # input untouched


def test_facility_points_by_layer(facilities, posyandu) -> None:
    points = maps.facility_points(
        facilities, posyandu, kode_desa=["32.06.01.2001", "32.06.01.2002"], desa_names={"32.06.01.2001": "Sukasari"}
    )
    layers = points.groupby(["lapisan", "aktif"]).size().to_dict()
    assert layers == {
        ("puskesmas", True): 1,
        ("pustu", False): 1,
        ("pustu", True): 1,
        ("posyandu_aktif", True): 1,
        ("posyandu_tidak_aktif", False): 1,
    }  # Pustu luar is outside the chosen desa; posyandu without a point and facility rows are left out
    evil = points[points["lapisan"] == "posyandu_aktif"].iloc[0]
    assert evil["nama"] == html.escape(EVIL_POSYANDU)
    assert evil["desa"] == "Sukasari"
    assert evil["keterangan"] == "Bulan buka: 11"
    assert points.loc[points["nama"] == "Pustu A", ["lat", "lon"]].iloc[0].tolist() == [-7.495, 108.005]


def test_facility_layers_switchable_with_distinct_symbols(full_map: folium.Map) -> None:
    groups = [e for e in full_map._children.values() if isinstance(e, folium.FeatureGroup)]
    assert [g.layer_name for g in groups] == ["Posyandu tidak aktif", "Posyandu aktif", "Pustu", "Puskesmas"]
    assert [g.show for g in groups] == [False, False, True, True]
    assert any(isinstance(e, folium.LayerControl) for e in full_map._children.values())
    page = maps.map_html(full_map)
    assert "ilp-pkm" in page and "ilp-pustu" in page and "L.CircleMarker" in page


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        (
            "id",
            ["Tanpa keduanya", "Tanpa pustu aktif", "Tanpa posyandu aktif", "Lengkap", "Belum ada data", "Puskesmas"],
        ),
        ("en", ["Neither", "No active pustu", "No active posyandu", "Complete", "No data yet", "Inactive posyandu"]),
    ],
)
def test_legend_lists_the_four_statuses_in_the_one_order(lang: str, labels: list[str]) -> None:
    assert STATUS_ORDER == ("tanpa_keduanya", "tanpa_pustu", "tanpa_posyandu_aktif", "lengkap", "tanpa_data")
    legend = maps.legend_html(facilities=True, lang=lang)
    positions = [legend.index(label) for label in labels]
    assert positions[:5] == sorted(positions[:5])
    for colour in STATUS_COLORS.values():
        assert f"background:{colour}" in legend


def test_layer_switch_collapsed_and_legend_bottom_right(full_map: folium.Map) -> None:
    script = streamlit_folium.generate_leaflet_string(full_map)
    assert re.search(r'"collapsed":\s*true', script)
    assert '"position": "topright"' in script or '"position":"topright"' in script.replace(" ", "")
    assert 'L.control({position: "bottomright"})' in script
    assert 'L.control.scale({imperial: false, position: "bottomleft"})' in script


@pytest.mark.parametrize(("large", "free"), [(False, 175), (True, 225)])
def test_fit_keeps_the_legend_strip_free_when_cheap(geometries, status, large: bool, free: int) -> None:
    features = maps.desa_features(geometries, status)
    script = streamlit_folium.generate_leaflet_string(maps.status_map(features, None, large_legend=large))
    assert script.count("fitBounds(") == 1
    # the district's bounds (lat/lon order) and the strip the legend needs
    assert "L.latLngBounds([[-7.5, 108.0], [-7.49, 108.03]])" in script
    assert f"var free = {free};" in script and "var pad = 0;" in script
    assert f"- {maps.FIT_MAX_ZOOM_LOSS}" in script and "options.paddingBottomRight = [pad + free, pad];" in script


def _shown_layers(fmap: folium.Map) -> dict[str, bool]:
    return {child.layer_name: child.show for child in fmap._children.values() if isinstance(child, folium.FeatureGroup)}


def test_status_map_options_for_one_desa(geometries, status, facilities, posyandu) -> None:
    """The Desa page's map: every facility layer on, fitted to given bounds with padding, switch collapsed."""
    features = maps.desa_features(geometries, status)
    points = maps.facility_points(facilities, posyandu, kode_desa=list(status["kode_desa"]))
    default = _shown_layers(maps.status_map(features, points))
    assert default == {"Posyandu tidak aktif": False, "Posyandu aktif": False, "Pustu": True, "Puskesmas": True}
    fmap = maps.status_map(features, points, show=maps.FACILITY_LAYERS, bounds=(107.9, -7.6, 108.1, -7.4), padding=50)
    assert set(_shown_layers(fmap).values()) == {True}
    script = streamlit_folium.generate_leaflet_string(fmap)
    assert "L.latLngBounds([[-7.6, 107.9], [-7.4, 108.1]])" in script  # the given bounds, not the desa's
    assert "var pad = 50;" in script and "paddingTopLeft: [pad, pad], paddingBottomRight: [pad, pad]" in script
    assert re.search(r'"collapsed":\s*true', script) and script.count("L.control.layers") == 1
    assert 'L.control({position: "bottomright"})' in script  # the legend, as on the other pages


@pytest.mark.parametrize(
    ("small", "pkm_px", "pustu_px", "radius"),
    [(False, 14, 12, 3.5), (True, 10, 8, 2.5)],
)
def test_small_symbols_for_a_whole_district(
    geometries, status, facilities, posyandu, small: bool, pkm_px: int, pustu_px: int, radius: float
) -> None:
    features = maps.desa_features(geometries, status)
    points = maps.facility_points(facilities, posyandu, kode_desa=list(status["kode_desa"]))
    page = maps.map_html(maps.status_map(features, points, small_symbols=small))
    assert f'"iconSize": [{pkm_px}, {pkm_px}]' in page
    assert f'"iconSize": [{pustu_px}, {pustu_px}]' in page
    assert f'"radius": {radius}' in page
    assert ("ilp-pkm ilp-s" in page) is small and ("ilp-pustu ilp-s" in page) is small


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"ILP_TILES": ""}, None),
        ({"ILP_TILES": "none"}, None),
        (
            {"ILP_TILES": "http://tiles.local/{z}/{x}/{y}.png"},
            maps.TileConfig("http://tiles.local/{z}/{x}/{y}.png", "Peta dasar"),
        ),
        (
            {"ILP_TILES": "/app/static/tiles/{z}/{x}/{y}.png", "ILP_TILES_ATTRIBUTION": "© BIG"},
            maps.TileConfig("/app/static/tiles/{z}/{x}/{y}.png", "© BIG"),
        ),
    ],
)
def test_tiles_from_env(environ: dict, expected: maps.TileConfig | None) -> None:
    assert maps.tiles_from_env(environ) == expected


def test_tiles_when_configured(geometries, status) -> None:
    tiles = maps.TileConfig("https://tiles.example.org/{z}/{x}/{y}.png", "<b>Contoh</b>")
    page = maps.map_html(maps.status_map(maps.desa_features(geometries, status), tiles=tiles))
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in page
    assert "<b>Contoh</b>" not in page


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (None, None),
        ({}, None),
        ({"last_active_drawing": None}, None),
        ({"last_active_drawing": {"properties": {"kode_desa": "32.06.01.2001"}}}, "32.06.01.2001"),
        ({"last_active_drawing": {"properties": {"nama": "Posyandu X"}}}, None),  # a facility, not a desa
        ({"last_active_drawing": {"geometry": {}}}, None),
    ],
)
def test_clicked_desa(result: dict | None, expected: str | None) -> None:
    assert maps.clicked_desa(result) == expected


def test_leaflet_assets_copied_from_installed_package(tmp_path) -> None:
    target = assets.ensure_leaflet_assets(tmp_path / "leaflet")
    names = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert {"leaflet.js", "leaflet.css", "images/layers.png"} <= set(names)
    assert "Leaflet 1.9.4" in (target / "leaflet.js").read_text(encoding="utf-8")[:400]
    before = (target / "leaflet.js").stat().st_mtime_ns
    assets.ensure_leaflet_assets(target)
    assert (target / "leaflet.js").stat().st_mtime_ns == before  # nothing copied twice


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("", ("/app/static/vendor/leaflet/leaflet.js", "/app/static/vendor/leaflet/leaflet.css")),
        ("/ilp/", ("/ilp/app/static/vendor/leaflet/leaflet.js", "/ilp/app/static/vendor/leaflet/leaflet.css")),
    ],
)
def test_leaflet_urls(base: str, expected: tuple[str, str]) -> None:
    assert assets.leaflet_urls(base) == expected
