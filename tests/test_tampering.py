"""Tampering: signed in as puskesmas A of Tasikmalaya, every URL key set to reach puskesmas B, on every page.

Everything a page shows or sends is collected (:func:`tests.auth_support.page_texts`: markdown,
captions, metrics, tables, widget options, the map's JSON), with the tables handed to the CSV/XLSX
buttons and the page's exports (XLSX and GeoJSON rendered and read back); none of B's desa
names/codes nor B's posyandu/pustu names may appear: 0 leaks.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Final

import openpyxl
import pytest

from geo.rules import RULES
from tests.auth_support import Pair, leaks, page_texts, pair_of, run_as
from ui import downloads, exports
from ui.navigation import PAGE_FILES
from ui.state import STATUSES, URL_KEYS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pair(tasikmalaya_store_path: Path) -> Pair:
    return pair_of(tasikmalaya_store_path)


def tampered(pair: Pair, key: str) -> dict[str, str]:
    """The URL of one attempt: ``key`` set to B's value (or one reaching B), on A's border desa otherwise."""
    b_desa = sorted(pair.area_b)[0]
    reaching: dict[str, str] = {
        "provinsi": "32",
        "kabupaten": "32.06",
        "kecamatan": ",".join(pair.kecamatan_b),
        "puskesmas": pair.b,
        "status": ",".join(STATUSES),
        "bulan": "2025-06",
        "banding": "2025-01",
        "desa": b_desa,
        "kelompok": "kabupaten",
        "warna": "tenaga",
        "lang": "en",
        "mode": "presentasi",
    }
    for spec in RULES:  # the widest value of each rule (a farther pustu, a longer window, ...)
        reaching[spec.url_key] = "1" if spec.kind is bool else f"{spec.high:g}"
    query = {"desa": pair.border_desa_a, "puskesmas": pair.b} if key not in ("desa", "puskesmas") else {}
    query[key] = reaching[key]
    return query


def _export_texts(requests: list[exports.ExportRequest]) -> list[str]:
    out: list[str] = []
    for request in requests:
        book = openpyxl.load_workbook(io.BytesIO(exports.export_format("xlsx").render(request)), read_only=True)
        for sheet in book.worksheets:
            out.extend(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
        out.append(exports.export_format("geojson").render(request).decode("utf-8"))
    return out


def test_no_url_key_on_any_page_shows_another_puskesmas(
    pair: Pair, tasikmalaya_store_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    requests: list[exports.ExportRequest] = []
    tables: list[str] = []
    real_request, real_tables = downloads.export_request, downloads.table_downloads

    def recording_request(*args: object, **kwargs: object) -> exports.ExportRequest:
        request = real_request(*args, **kwargs)  # type: ignore[arg-type]
        requests.append(request)
        return request

    def recording_tables(frame, **kwargs) -> None:  # type: ignore[no-untyped-def]
        tables.append(frame.to_csv())
        real_tables(frame, **kwargs)

    monkeypatch.setattr(downloads, "export_request", recording_request)
    monkeypatch.setattr(downloads, "table_downloads", recording_tables)
    found: dict[tuple[str, str], set[str]] = {}
    checked = 0
    for page in PAGE_FILES.values():
        for key in URL_KEYS:
            requests.clear()
            tables.clear()
            at = run_as(
                "kepala_a",
                f"puskesmas:{pair.a}",
                page,
                tampered(pair, key),
                tasikmalaya_store_path,
                monkeypatch=monkeypatch,
                users_file=tmp_path / "pengguna.json",
            )
            texts = [*page_texts(at), *tables]
            if key in ("puskesmas", "desa", "kecamatan"):  # the exports of the attempts that name B's area
                texts.extend(_export_texts(requests))
            checked += 1
            leaked = leaks(texts, pair.forbidden)
            if leaked:
                found[(page, key)] = leaked
    print(f"tampering: {checked} (page, key) combinations checked, {len(found)} with leaks")
    assert checked == len(PAGE_FILES) * len(URL_KEYS)
    assert found == {}, found


REQUIRED_FORBIDDEN: Final = 10  # the pair must give the test something to find


def test_the_pair_gives_something_to_find(pair: Pair) -> None:
    assert len(pair.forbidden) >= REQUIRED_FORBIDDEN
    assert pair.border_desa_a in pair.area_a and not pair.area_a & pair.area_b
