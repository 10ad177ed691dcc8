"""Applying the global filters, filter options, overall indicators, chart/table ordering (pure helpers)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pytest

from geo.indicators import summarise
from ui.charts import (
    BAR_CHROME_PX,
    BAR_HEIGHT_PX,
    bars_fitting,
    gap_bar_chart,
    incomplete_window_months,
    sort_by_gaps,
    trend_chart,
)
from ui.filters import FRAME_COLUMNS, frame_table, options_from_tables, overall_indicators, select_desa
from ui.i18n import status_label
from ui.palette import STATUS_ORDER
from ui.views import gap_rows, gap_table_columns, gap_table_styler

TABLE = pd.DataFrame(
    {
        "kode_desa": ["32.06.01.2001", "32.06.01.2002", "32.06.02.2001", "32.05.01.2001"],
        "nama_desa": ["Cikawung", "Bantarkalong", "Ciawi", "Cisewu"],
        "kode_kecamatan": ["32.06.01", "32.06.01", "32.06.02", "32.05.01"],
        "nama_kecamatan": ["Cipatujah", "Cipatujah", "Karangnunggal", "Cisewu"],
        "kode_kabupaten": ["32.06", "32.06", "32.06", "32.05"],
        "nama_kabupaten": ["Kabupaten Tasikmalaya"] * 3 + ["Kabupaten Garut"],
        "kode_puskesmas": ["P1", "P1", "P2", "P3"],
        "puskesmas": ["Puskesmas Cipatujah", "Puskesmas Cipatujah", "Puskesmas Ciawi", "Puskesmas Cisewu"],
        "status": ["lengkap", "tanpa_pustu", "tanpa_keduanya", "tanpa_posyandu_aktif"],
        "pustu_aktif": [1, 0, 0, 2],
        "posyandu_total": [4, 3, 2, 5],
        "posyandu_aktif": [3, 2, 0, 0],
        "posyandu_lapor": [4, 3, 1, 2],
        "pustu_total": [1, 0, 1, 2],
        "pustu_standar": [1, 0, 0, 1],
    }
)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["32.06.01.2001", "32.06.01.2002", "32.06.02.2001", "32.05.01.2001"]),
        ({"kabupaten": "32.06"}, ["32.06.01.2001", "32.06.01.2002", "32.06.02.2001"]),
        ({"kecamatan": ["32.06.01", "32.05.01"]}, ["32.06.01.2001", "32.06.01.2002", "32.05.01.2001"]),
        ({"puskesmas": "P1"}, ["32.06.01.2001", "32.06.01.2002"]),
        ({"status": ["tanpa_pustu", "tanpa_keduanya"]}, ["32.06.01.2002", "32.06.02.2001"]),
        ({"kabupaten": "32.06", "status": ["tanpa_posyandu_aktif"]}, []),
        ({"kecamatan": ["32.06.01"], "puskesmas": "P1", "status": ["lengkap"]}, ["32.06.01.2001"]),
    ],
)
def test_select_desa(filters: dict, expected: list[str]) -> None:
    assert list(select_desa(TABLE, **filters)) == expected


# TABLE in Jawa Barat plus one desa of Kota Mataram (Nusa Tenggara Barat): the nation view.
NATION = pd.concat(
    [
        TABLE.assign(kode_provinsi="32", nama_provinsi="Jawa Barat"),
        TABLE.iloc[[0]].assign(
            kode_desa="52.71.01.1001",
            nama_desa="Ampenan Utara",
            kode_kecamatan="52.71.01",
            nama_kecamatan="Ampenan",
            kode_kabupaten="52.71",
            nama_kabupaten="Kota Mataram",
            kode_provinsi="52",
            nama_provinsi="Nusa Tenggara Barat",
            kode_puskesmas="P9",
            puskesmas="Puskesmas Ampenan",
        ),
    ],
    ignore_index=True,
)
NATION_WORKING = pd.DataFrame(
    {
        "kode_desa": list(NATION["kode_desa"]),
        "kode_puskesmas": list(NATION["kode_puskesmas"]),
        "nama_puskesmas": list(NATION["puskesmas"]),
    }
)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"provinsi": "52"}, ["52.71.01.1001"]),
        ({"provinsi": "32"}, ["32.06.01.2001", "32.06.01.2002", "32.06.02.2001", "32.05.01.2001"]),
        ({"provinsi": "32", "kabupaten": "32.05"}, ["32.05.01.2001"]),
        ({"provinsi": "52", "kabupaten": "32.05"}, []),
        ({"provinsi": "52", "status": ["lengkap"]}, ["52.71.01.1001"]),
        ({"provinsi": "99"}, []),
    ],
)
def test_select_desa_by_provinsi(filters: dict, expected: list[str]) -> None:
    assert list(select_desa(NATION, **filters)) == expected


def test_options_from_tables_provinsi() -> None:
    options = options_from_tables(NATION, NATION_WORKING, ["2026-10"])
    assert options.provinsi == {"32": "Jawa Barat", "52": "Nusa Tenggara Barat"}
    assert options.kabupaten_provinsi == {"32.06": "32", "32.05": "32", "52.71": "52"}
    assert options.puskesmas_kecamatan == {
        "P1": ("32.06.01",),
        "P2": ("32.06.02",),
        "P3": ("32.05.01",),
        "P9": ("52.71.01",),
    }
    assert options.kabupaten_in("32") == ["32.05", "32.06"]  # by name: Garut, Tasikmalaya


def test_options_provinsi_name_missing_gives_the_code() -> None:
    table = NATION.assign(nama_provinsi=[None] * len(NATION))
    assert options_from_tables(table, NATION_WORKING, []).provinsi == {"32": "32", "52": "52"}


def test_frame_table_is_the_area_columns_with_the_working_area() -> None:
    working = NATION_WORKING.assign(kode_puskesmas=["P1", "P1", "P2", None, "P9"])
    frame = frame_table(NATION.drop(columns=["kode_puskesmas", "status"]), working)
    assert tuple(frame.columns) == FRAME_COLUMNS
    assert list(frame["kode_desa"]) == list(NATION["kode_desa"])  # the desa layer's order
    assert list(select_desa(frame, puskesmas="P1")) == ["32.06.01.2001", "32.06.01.2002"]
    assert list(select_desa(frame, provinsi="32", kecamatan=["32.05.01"])) == ["32.05.01.2001"]
    assert "status" in NATION.columns  # input untouched


def test_options_from_tables() -> None:
    working = pd.DataFrame(
        {
            "kode_desa": ["32.06.01.2001", "32.06.02.2001", "32.05.01.2001", "32.06.01.2002"],
            "kode_puskesmas": ["P1", "P2", "P3", None],
            "nama_puskesmas": ["Puskesmas Cipatujah", "Puskesmas Ciawi", None, None],
        }
    )
    options = options_from_tables(TABLE, working, ["2026-10", "2026-09"])
    assert options.kabupaten == {"32.06": "Kabupaten Tasikmalaya", "32.05": "Kabupaten Garut"}
    assert options.kecamatan["32.06.02"] == ("Karangnunggal", "32.06")
    assert options.puskesmas == {
        "P1": ("Puskesmas Cipatujah", ("32.06",)),
        "P2": ("Puskesmas Ciawi", ("32.06",)),
        "P3": ("P3", ("32.05",)),  # no name: the code stands in
    }
    assert options.months == ("2026-09", "2026-10")
    assert options.desa == frozenset(TABLE["kode_desa"])
    assert (options.provinsi, options.kabupaten_provinsi) == ({}, {})  # a desa table without provinsi columns


class _FakeCoverage:
    """The two Coverage methods overall_indicators uses, on a fixed desa table."""

    def desa_table(self, month: str, *, kode_desa: Sequence[str] | None = None) -> pd.DataFrame:
        return TABLE if kode_desa is None else TABLE[TABLE["kode_desa"].isin(list(kode_desa))]

    def indicators(self, month: str, *, by: str, kode_desa: Sequence[str] | None = None) -> pd.DataFrame:
        return summarise(self.desa_table(month, kode_desa=kode_desa), by=by)


def test_overall_indicators_one_kabupaten_is_the_engine_row() -> None:
    cov = _FakeCoverage()
    kode = ["32.06.01.2001", "32.06.02.2001"]
    row = overall_indicators(cov, "2026-10", kode_desa=kode)  # type: ignore[arg-type]
    expected = cov.indicators("2026-10", by="kabupaten", kode_desa=kode).iloc[0]
    pd.testing.assert_series_equal(row, expected)
    assert (row["desa"], row["pct_desa_pustu_aktif"], row["posyandu_total"]) == (2, 50.0, 6)


def test_overall_indicators_several_kabupaten_are_summed() -> None:
    row = overall_indicators(_FakeCoverage(), "2026-10", kode_desa=None)  # type: ignore[arg-type]
    assert row["desa"] == 4
    assert row["desa_tanpa_keduanya"] == 1
    assert row["posyandu_total"] == 14 and row["posyandu_aktif"] == 5
    assert row["pct_posyandu_aktif"] == pytest.approx(500 / 14)
    assert row["pct_desa_pustu_aktif"] == pytest.approx(50.0)


def test_gap_rows_worst_first() -> None:
    gaps = gap_rows(TABLE)
    assert list(gaps["nama_desa"]) == ["Ciawi", "Bantarkalong", "Cisewu"]  # keduanya, pustu, posyandu
    assert len(TABLE) == 4  # input untouched


def test_bars_sorted_by_gaps_with_labels() -> None:
    groups = summarise(TABLE, by="kecamatan")
    ordered = sort_by_gaps(groups)
    assert list(ordered["nama"]) == ["Karangnunggal", "Cipatujah", "Cisewu"]  # ties: worst gap, then name
    fig = gap_bar_chart(groups)
    assert [trace.name for trace in fig.data] == [
        "Tanpa keduanya",
        "Tanpa pustu aktif",
        "Tanpa posyandu aktif",
        "Lengkap",
        "Belum ada data",
    ]
    assert fig.layout.separators == ",."
    assert list(fig.data[0].customdata[0]) == ["1", "100,0%"]


def test_trend_chart_months_and_percent_labels() -> None:
    trend = pd.DataFrame(
        {
            "bulan": ["2026-10", "2026-09"],
            "pct_desa_pustu_aktif": [42.45, 40.0],
            "pct_desa_posyandu_aktif": [92.3, 91.0],
            "pct_posyandu_aktif": [72.8, float("nan")],
            "pct_kelengkapan_laporan": [88.3, 88.0],
        }
    )
    fig = trend_chart(trend)
    assert list(fig.data[0].x) == ["Sep 2026", "Okt 2026"]
    assert list(fig.data[0].customdata) == ["40,0%", "42,5%"]
    assert list(fig.data[2].customdata) == ["–", "72,8%"]
    assert fig.data[1].name == "Desa dengan posyandu aktif"


def test_bar_chart_limited_to_the_groups_with_most_gaps() -> None:
    groups = summarise(TABLE, by="kecamatan")
    fig = gap_bar_chart(groups, limit=2, height=300)
    assert list(fig.data[0].y) == ["Karangnunggal", "Cipatujah"]
    assert fig.layout.height == 300
    assert fig.layout.legend.traceorder == "normal"  # legend read in STATUS_ORDER, like the map legend
    assert [trace.name for trace in fig.data] == [status_label(s) for s in STATUS_ORDER]
    natural = gap_bar_chart(groups)
    assert natural.layout.height == max(200, BAR_HEIGHT_PX * 3 + BAR_CHROME_PX)


@pytest.mark.parametrize(("height", "bars"), [(354, 10), (95 + 24 * 3, 3), (50, 3), (95 + 24 * 20 + 23, 20)])
def test_bars_fitting(height: int, bars: int) -> None:
    assert bars_fitting(height) == bars


@pytest.mark.parametrize(
    ("months", "first", "jendela", "expected"),
    [
        (["2025-01", "2025-11", "2025-12", "2026-01"], "2025-01", 12, ("2025-01", "2025-11")),
        (["2025-03", "2025-04", "2025-05"], "2025-03", 3, ("2025-03", "2025-04")),
        (["2024-12", "2025-01"], "2024-11", 3, ("2024-12",)),  # across a year
        (["2025-06"], "2025-06", 1, ()),  # a one-month window is always complete
        (["2025-06"], None, 12, ()),  # no reports: nothing to blank
    ],
)
def test_incomplete_window_months(months: list[str], first: str | None, jendela: int, expected: tuple) -> None:
    assert incomplete_window_months(months, first_month=first, jendela=jendela) == expected


def test_trend_blanks_window_indicators_in_incomplete_months() -> None:
    trend = pd.DataFrame(
        {
            "bulan": ["2025-01", "2025-02", "2025-03"],
            "pct_desa_pustu_aktif": [40.0, 41.0, 42.0],
            "pct_desa_posyandu_aktif": [0.0, 50.0, 90.0],
            "pct_posyandu_aktif": [0.0, 30.0, 70.0],
            "pct_kelengkapan_laporan": [80.0, 81.0, 82.0],
        }
    )
    fig = trend_chart(trend, incomplete=("2025-01", "2025-02"))
    lines = {trace.name: list(trace.y) for trace in fig.data}
    assert lines["Desa dengan pustu aktif"] == [40.0, 41.0, 42.0]
    assert lines["Kelengkapan laporan"] == [80.0, 81.0, 82.0]
    for name in ("Desa dengan posyandu aktif", "Posyandu aktif"):
        assert [v != v for v in lines[name]] == [True, True, False]  # NaN: a gap, not 0 %
    assert all(trace.connectgaps is False for trace in fig.data)
    assert list(fig.data[1].customdata) == ["–", "–", "90,0%"]


def test_gap_table_short_headers_and_widths() -> None:
    gaps = gap_rows(TABLE.assign(jarak_pustu_km=[0.0, 3.25, 1.5, 0.0]))
    styled = gap_table_styler(gaps).data
    assert list(styled.columns) == [
        "Desa",
        "Status",
        "Kecamatan",
        "Puskesmas",
        "Pustu aktif",
        "Tenaga lengkap",
        "Posyandu aktif",
        "Jarak pustu",
    ]
    assert styled["Tenaga lengkap"].tolist() == gaps["pustu_standar"].tolist()
    config = gap_table_columns()
    assert list(config) == list(styled.columns)
    widths = {label: column["width"] for label, column in config.items()}
    assert widths["Status"] <= widths["Desa"] and widths["Status"] < 160
    assert sum(widths.values()) + 35 <= 900  # every column fits beside the sidebar at 1280 px
    assert config["Jarak pustu"]["help"] == "Jarak ke pustu aktif (km)"
    assert config["Tenaga lengkap"]["help"] == "Pustu dengan tenaga lengkap"
    assert "help" not in config["Desa"] or config["Desa"]["help"] is None


def test_bar_tooltips_show_the_engines_share() -> None:
    """The share in each bar's tooltip is the engine's pct_<status> (its denominator), not one the page computes."""
    from geo.statuses import STATUSES
    from ui.fmt import fmt_pct

    groups = sort_by_gaps(summarise(TABLE, by="kecamatan"))
    fig = gap_bar_chart(groups)
    for entry, trace in zip(STATUSES, fig.data, strict=True):
        assert [row[1] for row in trace.customdata] == [fmt_pct(v) for v in groups[entry.pct_column]]


# -- ui.data: cached figures keyed by the filter values (streamlit's cache, bare mode) ----------------------
def _cached_functions() -> dict[str, object]:
    from streamlit.runtime.caching.cache_utils import CachedFunc

    from ui import data

    return {name: f for name, f in vars(data).items() if isinstance(f, CachedFunc)}


def test_no_cached_function_is_keyed_by_desa_codes() -> None:
    """Issue 9: hashing thousands of desa codes on every rerun cost seconds; keys are short scalars."""
    import inspect

    cached = _cached_functions()
    assert {"_headline", "_group_indicators", "_filtered", "_frame_desa", "_frame_desa_count"} <= set(cached)
    for name, function in cached.items():
        parameters = inspect.signature(function).parameters  # type: ignore[arg-type]
        assert not [p for p in parameters if "desa" in p], name
        tuples = [p for p, spec in parameters.items() if "tuple[str, ...]" in str(spec.annotation)]
        assert set(tuples) <= {"kecamatan", "status"}, name  # the chosen few (URL-bounded), never desa


@pytest.fixture(scope="module")
def user_data(user_store_path: object) -> tuple:
    from geo.rules import Rules
    from loaders.store import Store
    from ui import data

    store = Store(user_store_path)  # type: ignore[arg-type]
    source = data.DataSource(path=str(store.path), version=store.version(), stamp=store.path.stat().st_mtime_ns)
    return source, Rules(), data.coverage(source, Rules())


def test_headline_and_groups_are_the_engines_figures_of_the_filtered_desa(user_data: tuple) -> None:
    from ui import data
    from ui.state import ViewState

    source, rules, cov = user_data
    month = cov.months[-1]
    table = cov.desa_table(month)
    kecamatan = tuple(sorted(table["kode_kecamatan"].astype(str).unique())[:3])
    state = ViewState(kecamatan=kecamatan, status=("tanpa_pustu", "lengkap"))
    chosen = select_desa(table, kecamatan=kecamatan, status=state.status)
    assert 0 < len(chosen) < len(table)
    assert data.filtered_desa(source, rules, month, state) == chosen
    pd.testing.assert_series_equal(
        data.headline(source, rules, month, state), overall_indicators(cov, month, kode_desa=chosen)
    )
    pd.testing.assert_frame_equal(
        data.group_indicators(source, rules, month, by="kecamatan", state=state),
        cov.indicators(month, by="kecamatan", kode_desa=list(chosen)),
    )
    everything = data.headline(source, rules, month, ViewState())
    assert everything is not None and everything["desa"] == len(table)
    assert data.headline(source, rules, month, ViewState(provinsi="00")) is None  # no desa: no figures


def test_area_headline_is_the_working_area(user_data: tuple) -> None:
    from ui import data
    from ui.drilldown import working_area_desa

    source, rules, cov = user_data
    month = cov.months[-1]
    code = str(cov.working_areas["kode_puskesmas"].dropna().iloc[0])
    area = working_area_desa(cov.working_areas, code)
    pd.testing.assert_series_equal(
        data.area_headline(source, rules, month, code), overall_indicators(cov, month, kode_desa=area)
    )


def test_frame_desa_ignores_status_and_month(user_data: tuple) -> None:
    from ui import data
    from ui.state import ViewState

    source, rules, cov = user_data
    table = cov.desa_table(cov.months[-1])
    kabupaten = str(table["kode_kabupaten"].iloc[0])
    provinsi = str(table["kode_provinsi"].iloc[0])
    kecamatan = (str(table["kode_kecamatan"].iloc[-1]),)
    area = select_desa(table, kecamatan=kecamatan)
    for state in (
        ViewState(kecamatan=kecamatan),
        ViewState(provinsi=provinsi, kabupaten=kabupaten, kecamatan=kecamatan, status=("lengkap",), bulan="2000-01"),
    ):
        assert data.frame_desa(source, rules, state) == area
        assert data.frame_desa_count(source, rules, state) == len(area)
    assert data.frame_desa_count(source, rules, ViewState(provinsi=provinsi)) == len(table)
    assert data.frame_desa_count(source, rules, ViewState(provinsi="00")) == 0
    assert sorted(data.frame_desa(source, rules, ViewState())) == sorted(table["kode_desa"].astype(str))
