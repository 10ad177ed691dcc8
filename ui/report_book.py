"""Tables and the Excel report as files people open: CSV and XLSX in the interface language (pure: no streamlit).

One formatting for every table that leaves the dashboard (a page table's
download buttons, the Excel report, ``python cli.py export --format xlsx``):

* headers are labels (:mod:`ui.i18n`: ``col.<name>``, else ``kol.<name>``;
  ``titles`` overrides some), never raw column names;
* booleans become "Ya"/"Tidak" ("Yes"/"No"), a ``status`` column its label;
* whole numbers stay numbers (XLSX format ``#,##0``); percentages (``pct_*``)
  and distances (``*_km``) are rounded to 1 decimal (``0.0``), coordinates
  (``lat``/``lon``) to 6, other decimals to 2: never a raw float;
* months stay ``YYYY-MM`` text: they sort and filter correctly in a
  spreadsheet in every language (titles name the month in words);
* missing values are empty cells.

CSV: in Indonesian ``;`` between fields and a decimal comma (what Excel with
Indonesian regional settings expects), in English ``,`` and a decimal point;
UTF-8 with a byte order mark either way, so Excel reads the names right.

Formula injection (OWASP "CSV injection"): XLSX text is written as string
cells (:data:`geo.export.XLSX_OPTIONS`, and ``write_string`` explicitly), so a
name such as ``=HYPERLINK(...)`` stays that text; CSV text starting with
``= + - @``, tab or CR gets a leading apostrophe (:func:`geo.export.neutralise_text`).

:func:`render_xlsx` is the report of an :class:`ui.exports.ExportRequest`
(content from :func:`geo.report.report_content`): a summary sheet with the
indicators per kecamatan and per puskesmas, then one sheet per puskesmas
with its gap desa, its posyandu that are not active or stopped reporting,
and its active pustu below the staffing standard. Every sheet starts with
six lines: the title, area, month in words, the rules (labels and values), the
data version and the date; the summary sheet ends with the rules in words
(label, value, help text of :data:`geo.rules.RULES`). When the store has
targets (:mod:`geo.targets`), the summary sheet has a targets section before
the rules: indicator, target, its month, the value of the report's desa in
the report's month, and the traffic light.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from geo import report
from geo.export import XLSX_OPTIONS, neutralise_text
from geo.rules import RULES, Rules
from geo.targets import LIGHT_BY_CODE, TARGET_INDICATORS, assess, targets_from_frame
from loaders.store import Store
from ui.fmt import fmt_month, fmt_num
from ui.i18n import STRINGS, status_label, t

if TYPE_CHECKING:
    from ui.exports import ExportRequest

SHEET_CHARS: Final = 31  # Excel's limit on a sheet name
SHEET_FORBIDDEN: Final = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEETS: Final = frozenset({"history"})  # Excel keeps this name for itself
INT_FORMAT: Final = "#,##0"
DECIMAL_FORMATS: Final = {1: "0.0", 2: "0.00", 6: "0.000000"}
COORDINATE_COLUMNS: Final = frozenset({"lat", "lon", "latitude", "longitude"})
CSV_STYLE: Final = {"id": (";", ","), "en": (",", ".")}  # lang -> (separator, decimal mark)
WIDTH_MIN: Final = 6
WIDTH_MAX: Final = 60
HEADER_FILL: Final = "#DCE6F1"
TITLE_SIZE: Final = 14


# -- one column's kind and values -------------------------------------------------------------------
@dataclass(frozen=True)
class _Column:
    """A column ready to write: its label, its cells (str, int, float or None) and XLSX number format."""

    label: str
    cells: list[object]
    number_format: str | None


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _decimals(column: str) -> int:
    if column.startswith("pct_") or column.endswith("_km") or column.startswith("jarak"):
        return 1
    if column in COORDINATE_COLUMNS:
        return 6
    return 2


def _is_bool_column(values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(values.dtype):
        return True
    if values.dtype != object:
        return False
    present = [v for v in values if not _is_missing(v)]
    return bool(present) and all(isinstance(v, (bool, np.bool_)) for v in present)


def _all_numbers(raw: list[object]) -> bool:
    present = [v for v in raw if not _is_missing(v)]
    return bool(present) and all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)) for v in present
    )


def _convert(column: str, values: pd.Series, *, lang: str) -> tuple[list[object], str | None]:
    """The cells of one column and their number format (None: text)."""
    raw = values.tolist()
    if _is_bool_column(values):
        yes, no = t("umum.ya", lang=lang), t("umum.tidak", lang=lang)
        return [None if _is_missing(v) else (yes if bool(v) else no) for v in raw], None
    if column == "status":
        return [None if _is_missing(v) else status_label(v, lang=lang) for v in raw], None
    if values.dtype == object and _all_numbers(raw):  # numbers held as Python objects stay numbers
        return _convert(column, pd.Series(pd.to_numeric(values), index=values.index), lang=lang)
    if pd.api.types.is_integer_dtype(values.dtype):
        return [None if _is_missing(v) else int(v) for v in raw], INT_FORMAT
    if pd.api.types.is_float_dtype(values.dtype):
        decimals = _decimals(column)
        present = [float(v) for v in raw if not _is_missing(v)]
        if decimals == 2 and present and all(v.is_integer() for v in present):  # whole counts kept as float
            return [None if _is_missing(v) else int(v) for v in raw], INT_FORMAT
        cells = [None if _is_missing(v) else _rounded(float(v), decimals) for v in raw]
        return cells, DECIMAL_FORMATS[decimals]
    return [None if _is_missing(v) else str(v) for v in raw], None


def _rounded(value: float, decimals: int) -> float:
    number = round(value, decimals)
    return 0.0 if number == 0 else number  # no "-0.0"


def _label(column: str, *, lang: str, titles: Mapping[str, str] | None) -> str:
    if titles and column in titles:
        return titles[column]
    shell = f"col.{column}"  # ui.i18n.column_label's; the pages' own (kol.) for columns only they have
    return t(shell if shell in STRINGS else f"kol.{column}", lang=lang)


def _columns(frame: pd.DataFrame, *, lang: str, titles: Mapping[str, str] | None = None) -> list[_Column]:
    geometry = {c for c in frame.columns if str(frame[c].dtype) == "geometry"}
    out = []
    for column in frame.columns:
        if column in geometry:
            continue
        cells, number_format = _convert(str(column), frame[column], lang=lang)
        out.append(_Column(_label(str(column), lang=lang, titles=titles), cells, number_format))
    return out


# -- single tables -----------------------------------------------------------------------------------
def table_csv(frame: pd.DataFrame, *, lang: str, titles: Mapping[str, str] | None = None) -> bytes:
    """``frame`` (raw column codes) as CSV in ``lang``'s style (see the module notes); the input is not modified.

    Raises
    ------
    KeyError
        For a column without a label (and not in ``titles``).
    """
    separator, decimal = CSV_STYLE.get(lang, CSV_STYLE["id"])
    columns = _columns(frame, lang=lang, titles=titles)
    text_columns = [c for c in columns if c.number_format is None]
    texts = neutralise_text(pd.DataFrame({c.label: c.cells for c in text_columns}, dtype=object))
    header = neutralise_text(pd.DataFrame(columns=[c.label for c in columns])).columns
    cells = []
    for column in columns:
        if column.number_format is None:
            cells.append(["" if _is_missing(v) else str(v) for v in texts[column.label]])
        elif column.number_format == INT_FORMAT:
            cells.append(["" if v is None else str(v) for v in column.cells])
        else:
            cells.append(["" if v is None else _decimal_text(float(v), decimal) for v in column.cells])  # type: ignore[arg-type]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(list(header))
    writer.writerows(zip(*cells, strict=True) if cells else [])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _decimal_text(value: float, decimal: str) -> str:
    """A rounded float as text with ``decimal`` as its mark (no exponent, no thousands separator)."""
    text = repr(value)
    if "e" in text or "E" in text:
        text = f"{value:f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal)


def table_xlsx(
    frame: pd.DataFrame,
    *,
    lang: str,
    title_lines: Sequence[str] = (),
    sheet: str = "data",
    titles: Mapping[str, str] | None = None,
) -> bytes:
    """``frame`` (raw column codes) as one formatted XLSX sheet; ``title_lines`` above the table.

    Bold filled header, frozen below it, widths fitted, number formats (see the module notes).

    Raises
    ------
    KeyError
        For a column without a label (and not in ``titles``).
    """
    buffer = io.BytesIO()
    with _workbook(buffer) as book:
        worksheet = book.add_worksheet(sheet_names([sheet])[0])
        row = book.write_lines(worksheet, 0, title_lines)
        row = row + 1 if title_lines else row
        book.write_table(worksheet, row, _columns(frame, lang=lang, titles=titles), lang=lang, freeze=True)
        book.fit(worksheet)
    return buffer.getvalue()


# -- the workbook ------------------------------------------------------------------------------------
class _Book:
    """An xlsxwriter workbook with the report's formats, and the widths each sheet needs."""

    def __init__(self, target: io.BytesIO) -> None:
        self.workbook = xlsxwriter.Workbook(target, {"in_memory": True, **XLSX_OPTIONS})
        self.header = self.workbook.add_format(
            {"bold": True, "bg_color": HEADER_FILL, "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.title = self.workbook.add_format({"bold": True, "font_size": TITLE_SIZE})
        self.section = self.workbook.add_format({"bold": True})
        self.note = self.workbook.add_format({"italic": True})
        self.numbers: dict[str, Format] = {}
        self.widths: dict[str, dict[int, int]] = {}

    def __enter__(self) -> _Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.workbook.close()

    def add_worksheet(self, name: str) -> Worksheet:
        sheet = self.workbook.add_worksheet(name)
        self.widths[sheet.name] = {}
        return sheet

    def _number(self, number_format: str) -> Format:
        if number_format not in self.numbers:
            self.numbers[number_format] = self.workbook.add_format({"num_format": number_format})
        return self.numbers[number_format]

    def _grow(self, sheet: Worksheet, col: int, text: str) -> None:
        widths = self.widths[sheet.name]
        widths[col] = max(widths.get(col, WIDTH_MIN), min(WIDTH_MAX, len(text) + 2))

    def write_lines(self, sheet: Worksheet, row: int, lines: Sequence[str]) -> int:
        """The header lines (the first one as the title) from ``row``; returns the next free row."""
        for i, line in enumerate(lines):
            sheet.write_string(row + i, 0, line, self.title if i == 0 else None)
        return row + len(lines)

    def write_section(self, sheet: Worksheet, row: int, text: str) -> int:
        sheet.write_string(row, 0, text, self.section)
        return row + 1

    def write_table(self, sheet: Worksheet, row: int, columns: list[_Column], *, lang: str, freeze: bool) -> int:
        """Header row at ``row`` then the cells (a note when there are none); returns the row after the table."""
        for col, column in enumerate(columns):
            sheet.write_string(row, col, column.label, self.header)
            self._grow(sheet, col, column.label if len(column.label) <= 24 else column.label[:24])
        if freeze:
            sheet.freeze_panes(row + 1, 0)
        n = len(columns[0].cells) if columns else 0
        for col, column in enumerate(columns):
            fmt = self._number(column.number_format) if column.number_format else None
            for i, value in enumerate(column.cells):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(row + 1 + i, col, value)
                    self._grow(sheet, col, value)
                else:
                    sheet.write_number(row + 1 + i, col, value, fmt)
                    self._grow(sheet, col, fmt_num(value, decimals=_format_decimals(column.number_format)))
        if n == 0:
            sheet.write_string(row + 1, 0, t("laporan.kosong", lang=lang), self.note)
            return row + 2
        return row + 1 + n

    def fit(self, sheet: Worksheet) -> None:
        """Set the column widths to the longest text written (between :data:`WIDTH_MIN` and :data:`WIDTH_MAX`)."""
        for col, width in self.widths[sheet.name].items():
            sheet.set_column(col, col, width)


def _format_decimals(number_format: str | None) -> int:
    return 0 if number_format in (None, INT_FORMAT) else len(number_format.split(".")[1])


def _workbook(target: io.BytesIO) -> _Book:
    return _Book(target)


def sheet_names(names: Sequence[str]) -> list[str]:
    r"""Valid, unique (case-insensitive) Excel sheet names for ``names``, in order.

    Forbidden characters ``[ ] : * ? / \`` become spaces, leading/trailing
    apostrophes go, names are cut to :data:`SHEET_CHARS` characters, an empty
    or reserved name becomes "Sheet", and a repeated one gets " (2)", " (3)".
    """
    used: set[str] = set()
    out = []
    for name in names:
        base = " ".join(SHEET_FORBIDDEN.sub(" ", str(name)).split()).strip("'").strip() or "Sheet"
        if base.lower() in RESERVED_SHEETS:
            base = f"{base} 1"
        candidate, n = base[:SHEET_CHARS], 1
        while candidate.lower() in used:
            n += 1
            suffix = f" ({n})"
            candidate = base[: SHEET_CHARS - len(suffix)].rstrip() + suffix
        used.add(candidate.lower())
        out.append(candidate)
    return out


# -- the report --------------------------------------------------------------------------------------
def _rule_value(rules: Rules, field: str, *, lang: str, decimals: int | None) -> str:
    value = getattr(rules, field)
    if isinstance(value, bool):
        return t("umum.ya" if value else "umum.tidak", lang=lang)
    return fmt_num(value, decimals=decimals or 0)


def rules_line(rules: Rules, *, lang: str) -> str:
    """The rules on one line: "Aturan: Minimal bulan buka: 10; Jendela (bulan): 12; ..." (labels of :data:`RULES`)."""
    english = lang == "en"
    parts = [
        f"{spec.help.label_en if english else spec.help.label_id}: "
        f"{_rule_value(rules, spec.field, lang=lang, decimals=spec.decimals)}"
        for spec in RULES
    ]
    return t("laporan.aturan", lang=lang, daftar="; ".join(parts))


def rules_lines(rules: Rules, *, lang: str) -> list[str]:
    """The rules in words, one line each after a heading ("- label: value. help text"), for a table's title lines."""
    lines = [t("laporan.aturan_daftar", lang=lang)]
    for label, value, explained in rules_table(rules, lang=lang).itertuples(index=False, name=None):
        lines.append("- " + t("laporan.aturan_baris", lang=lang, label=label, nilai=value, penjelasan=explained))
    return lines


def rules_table(rules: Rules, *, lang: str) -> pd.DataFrame:
    """The rules in words, one row each: ``aturan`` (label), ``nilai`` (value), ``penjelasan`` (help text)."""
    english = lang == "en"
    return pd.DataFrame(
        {
            "aturan": [spec.help.label_en if english else spec.help.label_id for spec in RULES],
            "nilai": [_rule_value(rules, spec.field, lang=lang, decimals=spec.decimals) for spec in RULES],
            "penjelasan": [spec.help.help_en if english else spec.help.help_id for spec in RULES],
        },
        dtype=object,
    )


def header_lines(request: ExportRequest, *, made: datetime | None = None) -> list[str]:
    """Title, area, month in words, the rules, the data version, when it was made (six lines: frozen panes stay low)."""
    lang = request.lang
    when = (made or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return [
        t("laporan.judul", lang=lang),
        t("laporan.wilayah", lang=lang, area=request.area),
        t("laporan.bulan", lang=lang, bulan=fmt_month(request.month, lang=lang)),
        rules_line(request.rules, lang=lang),
        t("laporan.versi", lang=lang, versi=request.data_version),
        t("laporan.dibuat", lang=lang, waktu=when),
    ]


def _posyandu_titles(rules: Rules, *, lang: str) -> dict[str, str]:
    return {"bulan_buka": t("kol.bulan_buka", lang=lang, jendela=rules.posyandu_jendela_bulan)}


def render_xlsx(request: ExportRequest, *, made: datetime | None = None) -> bytes:
    """The Excel report of ``request`` (see the module notes); ``made`` fixes the date written (tests)."""
    lang = request.lang
    content = report.report_content(
        request.coverage, request.month, request.kode_desa, kode_puskesmas=request.kode_puskesmas
    )
    lines = header_lines(request, made=made)
    summary_name = t("laporan.ringkasan", lang=lang)
    names = sheet_names([summary_name, *(part.nama for part in content.parts)])
    buffer = io.BytesIO()
    with _workbook(buffer) as book:
        sheet = book.add_worksheet(names[0])
        row = book.write_lines(sheet, 0, lines) + 1
        row = book.write_section(sheet, row, t("laporan.per_kecamatan", lang=lang))
        row = book.write_table(sheet, row, _columns(content.kecamatan, lang=lang), lang=lang, freeze=True) + 1
        row = book.write_section(sheet, row, t("laporan.per_puskesmas", lang=lang))
        row = book.write_table(sheet, row, _columns(content.puskesmas, lang=lang), lang=lang, freeze=False) + 1
        goals = targets_table(request)
        if not goals.empty:
            row = book.write_section(sheet, row, t("laporan.target_judul", lang=lang))
            row = book.write_table(sheet, row, _columns(goals, lang=lang), lang=lang, freeze=False) + 1
        row = book.write_section(sheet, row, t("laporan.aturan_judul", lang=lang))
        rules = _columns(rules_table(request.rules, lang=lang), lang=lang)
        book.write_table(sheet, row, rules, lang=lang, freeze=False)
        book.fit(sheet)
        for name, part in zip(names[1:], content.parts, strict=True):
            _part_sheet(book, name, part, lines, request)
    return buffer.getvalue()


def targets_table(request: ExportRequest) -> pd.DataFrame:
    """The targets of the store against the report's desa in its month, one row per indicator with a target.

    Columns ``target_indikator`` (label), ``pct_target``, ``target_bulan`` (the target in force for the
    month, in words), ``pct_target_sekarang`` (the value) and ``target_lampu`` (the light's word); empty
    without targets.
    """
    from ui.filters import overall_indicators

    lang = request.lang
    targets = targets_from_frame(request.coverage.dataset.target)
    codes = [entry.code for entry in TARGET_INDICATORS if any(goal.indikator == entry.code for goal in targets)]
    if not codes:
        return pd.DataFrame()
    current = overall_indicators(request.coverage, request.month, kode_desa=request.kode_desa)
    rows = []
    for code in codes:
        value = current.get(code)
        judged = assess(targets, code, None if _is_missing(value) else float(value), month=request.month)
        assert judged is not None  # the code has a target
        light = "" if judged.light is None else t(LIGHT_BY_CODE[judged.light].label_key, lang=lang)
        rows.append(
            {
                "target_indikator": t(f"col.{code}", lang=lang),
                "pct_target": judged.target.nilai,
                "target_bulan": fmt_month(judged.target.bulan, lang=lang),
                "pct_target_sekarang": judged.value,
                "target_lampu": light,
            }
        )
    frame = pd.DataFrame(rows)
    return frame.astype({"pct_target": "float64", "pct_target_sekarang": "float64"})


def _part_sheet(book: _Book, name: str, part: report.PuskesmasPart, lines: list[str], request: ExportRequest) -> None:
    lang = request.lang
    sheet = book.add_worksheet(name)
    title = t("laporan.puskesmas", lang=lang, judul=lines[0], nama=part.nama, kode=part.kode)
    row = book.write_lines(sheet, 0, [title, *lines[1:]])
    sections: list[tuple[str, pd.DataFrame, Mapping[str, str] | None]] = [
        ("laporan.gap_desa", part.gap_desa, None),
        ("laporan.posyandu", part.posyandu, _posyandu_titles(request.rules, lang=lang)),
        ("laporan.pustu", part.pustu, None),
    ]
    for i, (key, frame, titles) in enumerate(sections):
        row = book.write_section(sheet, row + 1, t(key, lang=lang))
        row = book.write_table(sheet, row, _columns(frame, lang=lang, titles=titles), lang=lang, freeze=i == 0)
    book.fit(sheet)


# -- the data version as a person reads it -------------------------------------------------------------
def data_version_text(path: str | Path, *, is_demo: bool, lang: str) -> str:
    """The data version as a person reads it ("versi data 7, 2026-11-29 10:12 UTC"); the demo label for the demo.

    Raises
    ------
    StoreError
        When the store cannot be read.
    """
    if is_demo:
        return t("data.demo", lang=lang)
    log = Store(path).read_log()
    if log.empty:
        return t("laporan.versi_data", lang=lang, versi=0, waktu="–")
    last = log.iloc[-1]
    stamp = pd.to_datetime(last["waktu"], utc=True, errors="coerce")
    when = str(last["waktu"]) if pd.isna(stamp) else stamp.strftime("%Y-%m-%d %H:%M UTC")
    return t("laporan.versi_data", lang=lang, versi=int(last["versi"]), waktu=when)
