"""Two months compared (geo.compare): the change of every pair of statuses, Tasikmalaya 2025-12 against 2026-10.

The Tasikmalaya tests check the comparison against the engine's own statuses of both months
(``Coverage.desa_table``) and ``cli.py compare`` against the same rows; they skip when
``../shared/data`` is absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import pandas as pd
import pytest

from geo import compare, statuses
from geo.engine import Coverage, Dataset
from geo.rules import Rules
from loaders.dataset import read_dataset
from loaders.exceptions import InputError
from loaders.store import Store
from tests.cli_support import run_cli

K, P, Y, L, D = (
    statuses.TANPA_KEDUANYA,
    statuses.TANPA_PUSTU,
    statuses.TANPA_POSYANDU_AKTIF,
    statuses.LENGKAP,
    statuses.TANPA_DATA,
)
BEFORE: Final = "2025-12"
AFTER: Final = "2026-10"

# Every (before, after) pair of statuses, written out by hand: what the desa lacks before and after.
EXPECTED: Final[dict[tuple[str, str], str]] = {
    (K, K): "tetap",
    (K, P): "membaik",
    (K, Y): "membaik",
    (K, L): "membaik",
    (K, D): "tanpa_data",
    (P, K): "memburuk",
    (P, P): "tetap",
    (P, Y): "berubah",
    (P, L): "membaik",
    (P, D): "tanpa_data",
    (Y, K): "memburuk",
    (Y, P): "berubah",
    (Y, Y): "tetap",
    (Y, L): "membaik",
    (Y, D): "tanpa_data",
    (L, K): "memburuk",
    (L, P): "memburuk",
    (L, Y): "memburuk",
    (L, L): "tetap",
    (L, D): "tanpa_data",
    (D, K): "tanpa_data",
    (D, P): "tanpa_data",
    (D, Y): "tanpa_data",
    (D, L): "tanpa_data",
    (D, D): "tanpa_data",
}


def test_the_table_covers_every_pair_of_registered_statuses() -> None:
    assert set(EXPECTED) == {(b, a) for b in statuses.CODES for a in statuses.CODES}
    assert set(compare.CHANGE_OF) == set(EXPECTED)


@pytest.mark.parametrize(("before", "after"), sorted(EXPECTED))
def test_classify_every_pair_of_statuses(before: str, after: str) -> None:
    assert compare.classify(before, after) == EXPECTED[(before, after)]
    assert compare.CHANGE_OF[(before, after)] == EXPECTED[(before, after)]


def test_the_changes_are_declared_once_with_distinct_colours_and_keys() -> None:
    assert compare.CODES == ("memburuk", "berubah", "membaik", "tetap", "tanpa_data")
    assert compare.CHANGED_CODES == ("memburuk", "berubah", "membaik")
    assert len({c.colour for c in compare.CHANGES}) == len(compare.CHANGES)
    assert compare.change("membaik").label_key == "perubahan.membaik"
    assert compare.change("membaik").desc_key == "perubahan.membaik.desc"
    with pytest.raises(KeyError):
        compare.classify("lengkap", "bukan_status")


# -- Tasikmalaya --------------------------------------------------------------------------------
# Under the default rules (10 of 12 months) no desa of Tasikmalaya changes status between 2025-12 and
# 2026-10 (the synthetic reports are steady by then); the strictest minimum, 12 of 12 months, moves
# 15 desa. Both are checked: the empty change table is as much a result as the full one.
STRICT: Final = Rules().replace(posyandu_min_bulan=12)
EXPECTED_COUNTS: Final = {
    "default": {"memburuk": 0, "berubah": 0, "membaik": 0, "tetap": 351, "tanpa_data": 0},
    "strict": {"memburuk": 7, "berubah": 0, "membaik": 8, "tetap": 336, "tanpa_data": 0},
}
RULES_OF: Final = {"default": Rules(), "strict": STRICT}
CLI_RULES: Final = {"default": (), "strict": ("--posyandu-min-bulan", "12")}


@pytest.fixture(scope="module")
def tasik_dataset(tasikmalaya_store_path: Path) -> Dataset:
    return read_dataset(Store(tasikmalaya_store_path))


@pytest.fixture(scope="module", params=sorted(RULES_OF))
def tasik(request: pytest.FixtureRequest, tasik_dataset: Dataset) -> tuple[str, Coverage]:
    return request.param, Coverage(tasik_dataset, rules=RULES_OF[request.param])


def _engine_statuses(cov: Coverage, month: str) -> dict[str, str]:
    table = cov.desa_table(month)
    return dict(zip(table["kode_desa"].astype(str), table["status"].astype(str), strict=True))


def test_tasikmalaya_changes_match_the_engine_statuses_of_both_months(tasik: tuple[str, Coverage]) -> None:
    name, tasik = tasik
    was, now = _engine_statuses(tasik, BEFORE), _engine_statuses(tasik, AFTER)
    table = compare.compare_months(tasik, before=BEFORE, after=AFTER)
    assert list(table.columns) == list(compare.COMPARE_COLUMNS)
    assert len(table) == len(was) == 351
    for row in table.itertuples(index=False):
        assert (row.status_sebelum, row.status_sesudah) == (was[row.kode_desa], now[row.kode_desa])
        assert row.perubahan == EXPECTED[(row.status_sebelum, row.status_sesudah)]

    changed = compare.changed_rows(table)
    expected_changed = {k for k in was if was[k] != now[k]}
    assert set(changed["kode_desa"]) == expected_changed  # every changed desa and only those
    assert len(changed) == len(expected_changed)
    for row in changed.itertuples(index=False):
        assert row.status_sebelum == was[row.kode_desa]
        assert row.status_sesudah == now[row.kode_desa]
        assert row.perubahan == EXPECTED[(was[row.kode_desa], now[row.kode_desa])]
    ranks = [compare.CODES.index(c) for c in changed["perubahan"]]
    assert ranks == sorted(ranks)  # worst change first

    counts = compare.change_counts(table)
    assert counts.to_dict() == EXPECTED_COUNTS[name]
    assert int(counts.sum()) == 351
    assert int(counts[list(compare.CHANGED_CODES)].sum()) == len(expected_changed)
    assert counts["tetap"] == sum(was[k] == now[k] for k in was)


def test_compare_on_a_subset_and_inputs_unchanged(tasik: tuple[str, Coverage]) -> None:
    _, tasik = tasik
    full = compare.compare_months(tasik, before=BEFORE, after=AFTER)
    codes = list(full["kode_desa"].iloc[[5, 1, 40]]) + ["99.99.99.9999"]
    given = list(codes)
    part = compare.compare_months(tasik, before=BEFORE, after=AFTER, kode_desa=codes)
    assert codes == given
    assert list(part["kode_desa"]) == sorted(codes[:3])
    expected = full[full["kode_desa"].isin(codes)].reset_index(drop=True)
    pd.testing.assert_frame_equal(part, expected)


def test_months_outside_the_reports_are_refused_with_the_range(tasik: tuple[str, Coverage]) -> None:
    _, tasik = tasik
    with pytest.raises(InputError, match=r"Bulan 2030-01 di luar rentang laporan: 2025-01 sampai 2026-10"):
        compare.compare_months(tasik, before="2030-01", after=AFTER)
    with pytest.raises(InputError, match="tidak sah"):
        compare.compare_months(tasik, before="Desember", after=AFTER)


@pytest.mark.parametrize(
    ("months", "after", "expected"),
    [
        (("2025-11", "2025-12", "2026-02"), "2026-02", "2025-12"),  # the report month before, over a gap
        (("2025-11", "2025-12", "2026-02"), "2025-11", "2025-11"),  # none before: the earliest
        (("2025-11", "2025-12"), None, "2025-11"),
        ((), "2026-10", None),
    ],
)
def test_default_before(months: tuple[str, ...], after: str | None, expected: str | None) -> None:
    assert compare.default_before(months, after) == expected


def test_cli_compare_json_returns_the_rows_of_the_change_table(
    tasik: tuple[str, Coverage], tasikmalaya_store_path: Path
) -> None:
    name, tasik = tasik
    store = str(tasikmalaya_store_path)
    result = run_cli("compare", "--from", BEFORE, "--to", AFTER, "--format", "json", "--store", store, *CLI_RULES[name])
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    expected = compare.changed_rows(compare.compare_months(tasik, before=BEFORE, after=AFTER))
    assert len(rows) == sum(EXPECTED_COUNTS[name][c] for c in compare.CHANGED_CODES)
    assert [r["kode_desa"] for r in rows] == list(expected["kode_desa"])
    for got, row in zip(rows, expected.to_dict("records"), strict=True):
        assert {k: got[k] for k in compare.COMPARE_COLUMNS} == {k: _plain(v) for k, v in row.items()}


def test_cli_compare_refuses_a_month_outside_the_reports(tasikmalaya_store_path: Path) -> None:
    result = run_cli("compare", "--from", "2030-01", "--to", AFTER, "--store", str(tasikmalaya_store_path))
    assert result.returncode == 2
    assert "--from" in result.stderr
    assert "Bulan 2030-01 di luar rentang laporan: 2025-01 sampai 2026-10" in result.stderr
    assert result.stdout == ""


def _plain(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    return value.item() if hasattr(value, "item") else value


def test_cli_compare_csv_is_labelled_in_indonesian(tasikmalaya_store_path: Path) -> None:
    store = str(tasikmalaya_store_path)
    result = run_cli("compare", "--from", BEFORE, "--to", AFTER, "--store", store, *CLI_RULES["strict"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].split(";") == [
        "Kode desa",
        "Desa",
        "Kode kecamatan",
        "Kecamatan",
        "Kode puskesmas",
        "Puskesmas",
        "Status 2025-12",
        "Status 2026-10",
        "Posyandu aktif 2025-12",
        "Posyandu aktif 2026-10",
        "Perubahan",
    ]
    assert len(lines) == 1 + 15
    assert [line.rsplit(";", 1)[1] for line in lines[1:]] == ["Memburuk"] * 7 + ["Membaik"] * 8
