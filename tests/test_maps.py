"""Offline, escaped folium maps (ui/maps.py, ui/assets.py)."""

from __future__ import annotations

import json
import re

import branca
import folium
import folium.elements
import geopandas as gpd
import pandas as pd
import pytest
import streamlit_folium
from shapely.geometry import Point, box

from ui import assets, map_payload, maps
from ui.palette import STATUS_COLORS, STATUS_ORDER, gap_class

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


def map_data(geometries, status, points=None, *, decimals: int = 4) -> maps.MapData:
    frame = geometries.merge(
        status.loc[:, ["kode_desa", "nama_desa", "nama_kecamatan", "puskesmas"]], on="kode_desa"
    ).rename(columns={"kode_desa": "kode", "nama_desa": "nama"})
    rows = map_payload.geometry_rows(frame, decimals=decimals, extra=("nama_kecamatan", "puskesmas"))
    values: dict = {"v": map_payload.desa_values(status)}
    if points is not None:
        values["p"] = map_payload.facility_values(points)
    bounds = tuple(float(v) for v in frame.total_bounds)
    text = map_payload.geometry_text(rows, decimals=decimals)
    return maps.MapData("desa", "desa", text, bounds, map_payload.script_json(values), features=len(status))


def build(
    data: maps.MapData, *, facilities: bool, lang: str = "id", **kwargs
) -> tuple[folium.Map, folium.FeatureGroup]:
    config = maps.runtime_config(data.kind, level=data.level, facilities=facilities, lang=lang)
    return maps.peta_map(data, config=config, **kwargs)


@pytest.fixture
def full_map(geometries, status, facilities, posyandu) -> tuple[folium.Map, folium.FeatureGroup]:
    points = maps.facility_points(facilities, posyandu, kode_desa=list(status["kode_desa"]))
    return build(map_data(geometries, status, points), facilities=True)


def _remote_urls(text: str) -> set[str]:
    return {u for u in URL_RE.findall(text) if not u.split("//", 1)[1].startswith(LOCAL_HOSTS)}


def test_rendered_map_requests_nothing_remote_without_tiles(full_map) -> None:
    page = maps.map_html(*full_map)
    assert _remote_urls(page) == set()
    sources = re.findall(r'<script src="([^"]+)"', page) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert sources == ["/app/static/vendor/leaflet/leaflet.js", "/app/static/vendor/leaflet/leaflet.css"]
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower() and "awesome" not in page.lower()


def _walk(element: object):
    """The elements streamlit-folium inspects for the scripts its iframe loads (as in st_folium)."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def test_streamlit_folium_loads_only_local_scripts(full_map) -> None:
    fmap, group = full_map
    fmap.get_root().render()
    js, css = [], []
    for element in _walk(fmap):
        assert not isinstance(element, branca.colormap.ColorMap)  # st_folium would add d3 from a CDN
        assert not isinstance(element, (folium.Icon, folium.RegularPolygonMarker))
        if isinstance(element, folium.elements.JSCSSMixin):
            js += [url for _, url in element.default_js]
            css += [url for _, url in element.default_css]
    assert set(js) == {"/app/static/vendor/leaflet/leaflet.js"}
    assert set(css) == {"/app/static/vendor/leaflet/leaflet.css"}
    header = streamlit_folium._get_header(fmap)
    script = streamlit_folium.generate_leaflet_string(fmap)
    assert _remote_urls(header) == set()
    assert _remote_urls(script) == set()
    assert "ilp-legend" in script and "L.control.layers" in script and "window.ilpPeta" in script


def test_names_stay_text_inside_the_script(full_map) -> None:
    """Names reach the browser as JSON strings (``<`` escaped) and are set with textContent, never as HTML."""
    page = maps.map_html(*full_map)
    assert EVIL_DESA not in page and "<img src=x" not in page
    assert "\\u003cscript>alert(1)\\u003c/script>" in page
    assert "\\u003cimg src=x onerror=alert(2)>" in page
    assert 'Cipatujah \\"Selatan\\" & Co' in page
    runtime = maps.runtime_js()
    assert "innerHTML" not in runtime and "textContent" in runtime


def test_base_script_does_not_change_with_the_values(geometries, status) -> None:
    """Another month (other statuses) changes only the values: the browser keeps its map (same component key)."""
    other = status.assign(status=["lengkap", "tanpa_pustu"], pustu_aktif=[1, 0])
    first, first_group = build(map_data(geometries, status), facilities=False)
    second, second_group = build(map_data(geometries, other), facilities=False)
    assert streamlit_folium.generate_leaflet_string(first) == streamlit_folium.generate_leaflet_string(second)
    assert maps.map_html(first, first_group) != maps.map_html(second, second_group)


def test_desa_values_and_geometry_rows(geometries, status) -> None:
    values = map_payload.desa_values(status)
    assert values == {"32.06.01.2001": [0, "0", "0 / 2"], "32.06.01.2002": [3, "1", "3 / 1.234"]}
    data = map_data(geometries, status)
    payload = json.loads(data.geometry)
    assert payload["d"] == 4
    assert [row[:3] for row in payload["f"]] == [
        ["32.06.01.2001", EVIL_DESA, ['Cipatujah "Selatan" & Co', "–"]],
        ["32.06.01.2002", "Sukamaju", ["Cipatujah", "Puskesmas Cipatujah"]],
    ]  # desa without status not drawn; names plain (set as text by the browser)
    first = payload["f"][0][4]
    assert first[0][0][:2] == [1080123, -75000]  # quantised to 4 decimals
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
    assert evil["nama"] == EVIL_POSYANDU  # plain text: the browser sets it with textContent
    assert evil["desa"] == "Sukasari"
    assert evil["keterangan"] == "Bulan buka: 11"
    assert points.loc[points["nama"] == "Pustu A", ["lat", "lon"]].iloc[0].tolist() == [-7.495, 108.005]
    values = map_payload.facility_values(points)
    assert values["pustu"] == [
        [-7.495, 108.005, 1, "Pustu A", "Pustu", "Sukasari", "Aktif"],
        [-7.494, 108.026, 0, "Pustu B", "Pustu", "32.06.01.2002", "Tidak aktif"],
    ]


def test_facility_layers_switchable_and_default_on() -> None:
    config = maps.runtime_config("desa", level="desa", facilities=True, lang="id")
    assert [(layer["code"], layer["on"]) for layer in config["layers"]] == [
        ("posyandu_belum_melapor", False),
        ("posyandu_tidak_aktif", False),
        ("posyandu_aktif", False),
        ("pustu", True),
        ("puskesmas", True),
    ]
    pustu = config["layers"][3]
    assert pustu["legend"] == [["ilp-pustu", "Pustu", True], ["ilp-pustu ilp-off", "Pustu tidak aktif (garis)", False]]
    assert maps.runtime_config("desa", level="desa", facilities=False)["layers"] == []


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("id", ["Tanpa keduanya", "Tanpa pustu aktif", "Tanpa posyandu aktif", "Lengkap", "Belum ada data"]),
        ("en", ["Neither", "No active pustu", "No active posyandu", "Complete", "No data yet"]),
    ],
)
def test_legend_statuses_in_the_one_order(lang: str, labels: list[str]) -> None:
    assert STATUS_ORDER == ("tanpa_keduanya", "tanpa_pustu", "tanpa_posyandu_aktif", "lengkap", "tanpa_data")
    config = maps.runtime_config("desa", level="desa", facilities=False, lang=lang)
    assert [s[2] for s in config["statuses"]] == labels
    assert [s[1] for s in config["statuses"]] == list(STATUS_COLORS.values())


def test_gap_classes_and_their_labels() -> None:
    assert maps.gap_class_labels(lang="id") == ["≤ 20%", "20–40%", "40–60%", "60–80%", "> 80%"]
    assert [gap_class(v) for v in (0.0, 20.0, 20.5, 59.9, 80.0, 80.1, 100.0, float("nan"))] == [0, 0, 1, 2, 3, 4, 4, -1]


def test_layer_switch_collapsed_and_legend_bottom_right() -> None:
    runtime = maps.runtime_js()
    assert 'L.control.layers(null, overlays, {collapsed: true, position: "topright"})' in runtime
    assert 'L.control({position: "bottomright"})' in runtime
    assert 'L.control.scale({imperial: false, position: "bottomleft"})' in runtime


@pytest.mark.parametrize(("large", "free"), [(False, 175), (True, 225)])
def test_fit_keeps_the_legend_strip_free_when_cheap(geometries, status, large: bool, free: int) -> None:
    fmap, _ = build(map_data(geometries, status), facilities=False, large_legend=large)
    script = streamlit_folium.generate_leaflet_string(fmap)
    assert script.count("fitBounds(") == 1
    # the district's bounds (lat/lon order) and the strip the legend needs
    assert "L.latLngBounds([[-7.5, 108.0], [-7.49, 108.03]])" in script
    assert f"var free = {free};" in script and "var pad = 0;" in script
    assert f"- {maps.FIT_MAX_ZOOM_LOSS}" in script and "options.paddingBottomRight = [pad + free, pad];" in script


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
    page = maps.map_html(*build(map_data(geometries, status), facilities=False, tiles=tiles))
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


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (None, None),
        ({"last_active_drawing": {"properties": {"kode": "32.06", "tingkat": "kabupaten"}}}, ("kabupaten", "32.06")),
        ({"last_active_drawing": {"properties": {"kode": "32", "tingkat": "provinsi"}}}, ("provinsi", "32")),
        ({"last_active_drawing": {"properties": {"kode": "32.06", "tingkat": "desa"}}}, None),  # not a unit level
        ({"last_active_drawing": {"properties": {"kode": "32.06", "tingkat": "negara"}}}, None),
        ({"last_active_drawing": {"properties": {"kode_desa": "32.06.01.2001"}}}, None),  # a desa
    ],
)
def test_clicked_unit(result: dict | None, expected: tuple[str, str] | None) -> None:
    assert maps.clicked_unit(result) == expected


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


def test_posyandu_of_a_kabupaten_without_reports_are_not_reported_yet(facilities, posyandu) -> None:
    """Issue 9: a posyandu whose kabupaten/kota has no report at all is "belum melapor", not inactive."""
    rows = posyandu.assign(aktif=[False, False, False], belum_melapor=[True, False, True])
    points = maps.facility_points(facilities.iloc[:0], rows, kode_desa=None, lang="id")
    assert points[["lapisan", "keterangan"]].values.tolist() == [
        ["posyandu_belum_melapor", "Belum melapor"],
        ["posyandu_tidak_aktif", "Bulan buka: 2"],
    ]  # the third has no point


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("</script><script>alert(1)</script>", '"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"'),
        ("baris\u2028baru\u2029", '"baris\\u2028baru\\u2029"'),
        ({"nama": "Cipatujah & <b>"}, '{"nama":"Cipatujah & \\u003cb>"}'),
        ([1, 2.5, None], "[1,2.5,null]"),
    ],
)
def test_script_json_cannot_close_the_script(value: object, expected: str) -> None:
    text = map_payload.script_json(value)
    assert text == expected
    assert json.loads(text) == value  # still the same JSON


def test_script_json_refuses_nan() -> None:
    with pytest.raises(ValueError):
        map_payload.script_json({"x": float("nan")})
