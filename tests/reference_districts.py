"""The five reference districts of ``../shared/data`` as the end-to-end tests import them (not a test module).

One place for which files each district has, in which order they are imported,
how its ``truth_*.json`` is read, and which planted defects the data files do not
actually contain. The ``shared_data`` fixture (``tests/conftest.py``) gives the
folder and skips when it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

DISTRICTS: Final = ("32.06", "32.05", "32.12", "17.02", "52.71")
FACILITY_FILES: Final = {
    "32.06": ["fasilitas_32.06.xlsx"],
    "32.05": ["puskesmas_32.05.csv", "pustu_32.05.csv", "posyandu_32.05.csv"],
    "32.12": ["fasilitas_32.12.xlsx"],
    "17.02": ["fasilitas_17.02.xlsx"],
    "52.71": ["puskesmas_52.71.csv", "pustu_52.71.csv", "posyandu_52.71.csv"],
}
# Defects listed in a truth file that are not in the data file itself (the tests check that
# they are still absent, so the exemption cannot hide a regression): truth_32.06 lists
# PSY-3206-02355 as a duplicate posyandu row, but fasilitas_32.06.xlsx holds that code exactly once.
NOT_IN_SOURCE: Final = {("32.06", "posyandu_duplicate_rows"): {"PSY-3206-02355"}}


def not_in_source(kode: str, planted: str) -> set[str]:
    """Codes of the ``planted`` list of district ``kode`` that its data files do not contain."""
    return NOT_IN_SOURCE.get((kode, planted), set())


def read_truth(data: Path, kode: str) -> dict:
    """The parsed ``fasilitas/truth_<kode>.json`` of ``data`` (the shared data folder)."""
    return json.loads((data / "fasilitas" / f"truth_{kode}.json").read_text(encoding="utf-8"))


def district_files(data: Path, kode: str) -> list[tuple[str, Path]]:
    """(import kind, file) of district ``kode`` in import order.

    Boundaries, the facility file(s), the monthly reports, and the working areas
    when the district has a table of them (``32.12`` and ``17.02`` have none).
    """
    fasilitas = data / "fasilitas"
    files = [("boundaries", data / "boundaries" / f"desa_{kode}.geojson")]
    files += [("facilities", fasilitas / name) for name in FACILITY_FILES[kode]]
    files.append(("reports", fasilitas / f"laporan_posyandu_{kode}.csv"))
    working_areas = fasilitas / f"wilayah_kerja_{kode}.csv"
    if working_areas.is_file():
        files.append(("working-areas", working_areas))
    return files
