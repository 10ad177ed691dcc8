"""Contract tests: each registry against its users (one vocabulary, defined once, used everywhere)."""

from __future__ import annotations

import argparse
import importlib
import re
from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from engine_fixtures import cell, coverage, desa_layer
from page_support import DATA_PAGE, run_page

import cli
from geo import quality, statuses
from geo.indicators import INDICATOR_COLUMNS, PERCENTAGES
from geo.rules import RULES, Rules, RuleSpec
from geo.status import classify
from loaders import findings, importing, kinds, model
from loaders.columns import FIELDS
from loaders.exceptions import InputError
from loaders.limits import MAX_BYTES_LAPORAN
from loaders.templates import TEMPLATE_KINDS, template
from ui import layers, maps, quality_view
from ui.column_mapping import is_tabular
from ui.i18n import STRINGS, t
from ui.palette import STATUS_COLORS, STATUS_ORDER
from ui.rules_form import rule_label
from ui.state import MALFORMED, RULE_KEYS, VIEW_KEYS, Note, ViewState, parse_query, serialise
from ui.state import STATUSES as STATE_STATUSES
from ui.uploader_css import KIND_LIMITS

# -- statuses -----------------------------------------------------------------------------
BADGE_COLOURS = ("red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary")  # st.badge


@pytest.mark.parametrize("entry", statuses.STATUSES, ids=lambda s: s.code)
def test_status_has_colour_badge_and_words(entry: statuses.Status) -> None:
    assert re.fullmatch(r"#[0-9A-F]{6}", entry.colour)
    assert entry.badge in BADGE_COLOURS
    for key in (entry.label_key, entry.desc_key):
        indonesian, english = STRINGS[key]
        assert indonesian.strip() and english.strip(), key


@pytest.mark.parametrize("entry", statuses.STATUSES, ids=lambda s: s.code)
def test_status_has_indicator_columns(entry: statuses.Status) -> None:
    assert entry.count_column in INDICATOR_COLUMNS
    assert entry.pct_column in INDICATOR_COLUMNS
    assert PERCENTAGES[entry.pct_column] == (entry.count_column, entry.denominator)
    assert entry.denominator in INDICATOR_COLUMNS
    assert entry.denominator == ("desa_ada_data" if entry.has_data else "desa")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_status_has_a_legend_row_in_display_order(lang: str) -> None:
    config = maps.runtime_config("desa", level="desa", facilities=False, lang=lang)
    swatches = [(colour, label) for _, colour, label, _ in config["statuses"]]
    expected = [(s.colour, t(s.label_key, lang=lang)) for s in statuses.STATUSES]
    assert swatches == expected


def test_status_codes_are_unique_and_one_is_complete() -> None:
    assert len(set(statuses.CODES)) == len(statuses.CODES)
    assert [s.code for s in statuses.STATUSES if not s.is_gap and s.has_data] == [statuses.LENGKAP]
    assert [s.code for s in statuses.STATUSES if not s.has_data] == [statuses.TANPA_DATA]
    gaps = [s for s in statuses.STATUSES if s.is_gap]
    assert sorted(s.priority_class for s in gaps) == list(range(1, len(gaps) + 1))
    assert all(s.action for s in gaps)


def test_classify_yields_exactly_the_registered_codes() -> None:
    pustu_ok = np.array([True, True, False, False, False])
    posyandu_ok = np.array([True, False, True, False, False])
    has_data = np.array([True, True, True, True, False])
    result = classify(pustu_ok=pustu_ok, posyandu_ok=posyandu_ok, has_data=has_data)
    assert sorted(result.tolist()) == sorted(statuses.CODES)
    for code, has_pustu, has_posyandu, data in zip(result, pustu_ok, posyandu_ok, has_data, strict=True):
        entry = statuses.status(str(code))
        assert entry.has_data is bool(data)
        if data:
            assert (entry.needs_pustu, entry.needs_posyandu) == (not has_pustu, not has_posyandu)


def test_ui_lists_read_the_registry() -> None:
    assert STATUS_ORDER == STATE_STATUSES == statuses.CODES
    assert STATUS_COLORS == {s.code: s.colour for s in statuses.STATUSES}


# -- rules --------------------------------------------------------------------------------
RULE_COMMANDS = ("gaps", "summary", "quality")


def _other_value(spec: RuleSpec) -> int | float | bool:
    """A valid value other than the default (keeps the minimum months within the window)."""
    if spec.kind is bool:
        return not spec.default
    lower = spec.default - 1 if spec.kind is int else spec.default / 2
    return lower if spec.within(lower) else spec.default + 1


def _cli_text(value: int | float) -> str:
    return str(value).replace(".", ",")  # the CLI takes Indonesian decimals too


def test_rules_follow_the_dataclass_once() -> None:
    assert [spec.field for spec in RULES] == [f.name for f in fields(Rules)]
    assert len({spec.url_key for spec in RULES}) == len(RULES)
    assert len({spec.cli_flag for spec in RULES}) == len(RULES)
    assert set(RULE_KEYS) == {spec.url_key for spec in RULES}
    assert not set(RULE_KEYS) & set(VIEW_KEYS)


@pytest.mark.parametrize("spec", RULES, ids=lambda s: s.field)
def test_rule_default_lies_within_its_limits(spec: RuleSpec) -> None:
    assert spec.default == getattr(Rules(), spec.field)
    assert isinstance(spec.default, spec.kind)
    if spec.kind is bool:
        assert spec.low is None and spec.high is None and spec.default is False  # a flag can only switch it on
        return
    assert spec.low is not None and spec.high is not None
    assert spec.low <= spec.default <= spec.high
    assert spec.within(spec.default) and not spec.within(spec.high + 1)
    assert (spec.step is None) == (spec.decimals is None) == (spec.kind is int)


@pytest.mark.parametrize("command", RULE_COMMANDS)
@pytest.mark.parametrize("spec", RULES, ids=lambda s: s.field)
def test_every_rule_has_a_cli_flag_that_parses(command: str, spec: RuleSpec) -> None:
    value = _other_value(spec)
    words = [command, "--month", "2026-10", spec.cli_flag]
    args = cli.build_parser().parse_args(words if spec.kind is bool else [*words, _cli_text(value)])
    assert cli.rules_from_args(args) == Rules().replace(**{spec.field: value})
    assert cli.rules_from_args(cli.build_parser().parse_args(words[:3])) == Rules()


@pytest.mark.parametrize("command", RULE_COMMANDS)
def test_cli_help_lists_every_rule_with_its_default(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    for spec in RULES:
        assert spec.cli_flag in help_text
        words = " ".join(spec.help.help_id.split())
        assert words in help_text
        if spec.kind is not bool:
            assert f"(bawaan {_cli_text(spec.default).removesuffix(',0')};" in help_text
        else:
            assert "Bawaan: tidak." in words


@pytest.mark.parametrize("spec", [s for s in RULES if s.kind is not bool], ids=lambda s: s.field)
def test_cli_refuses_a_rule_out_of_range(spec: RuleSpec) -> None:
    assert spec.high is not None
    args = cli.build_parser().parse_args(["gaps", "--month", "2026-10", spec.cli_flag, _cli_text(spec.high + 1)])
    with pytest.raises(InputError, match=str(int(spec.high + 1))) as refused:  # the engine's own message comes first
        cli.rules_from_args(args)
    if spec.field not in ("posyandu_min_bulan", "posyandu_jendela_bulan"):
        assert str(refused.value).startswith(f"{spec.cli_flag} {int(spec.high + 1)} di luar batas: isi nilai ")


@pytest.mark.parametrize("spec", RULES, ids=lambda s: s.field)
def test_every_rule_has_a_url_key_that_round_trips(spec: RuleSpec) -> None:
    state = ViewState(aturan=Rules().replace(**{spec.field: _other_value(spec)}))
    params = serialise(state)
    assert list(params) == [spec.url_key]
    parsed = parse_query(params)
    assert parsed.state == state and parsed.notes == ()
    assert serialise(ViewState()) == {}
    if spec.kind is not bool:
        outside = parse_query({spec.url_key: _cli_text(spec.high + 1)})
        assert outside.state == ViewState()
        assert outside.notes == (Note(MALFORMED, spec.url_key, _cli_text(spec.high + 1)),)


def test_every_rule_has_a_form_field(app_on_demo: Path) -> None:
    at = run_page(DATA_PAGE)
    numbers = {n.label: n for n in at.main.number_input}
    toggles = {w.label: w for w in at.main.toggle}
    for spec in RULES:
        label = rule_label(spec.field)
        if spec.kind is bool:
            assert toggles[label].value is spec.default
            continue
        field = numbers[label]
        assert (field.min, field.max, field.value) == (spec.low, spec.high, spec.default)
        assert field.step == (1 if spec.kind is int else spec.step)


# -- map layers ---------------------------------------------------------------------------
@pytest.mark.parametrize("layer", layers.FACILITY_LAYERS, ids=lambda layer: layer.code)
def test_map_layer_has_words_legend_and_css(layer: layers.MapLayer) -> None:
    indonesian, english = STRINGS[layer.label_key]
    assert indonesian.strip() and english.strip()
    assert layer.legend
    for css, key in layer.legend:
        assert all(STRINGS[key]), key
        assert (css, key) in layers.LEGEND_ROWS
    css_rules = re.findall(r"\.(ilp-[a-z-]+)", maps.SYMBOL_CSS)
    for symbol in (layer.on, layer.off):
        for css in symbol.css.split():
            assert css in css_rules, css
        assert symbol.circle == (symbol.fill is not None)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_map_layer_is_in_the_legend_top_layer_first(lang: str) -> None:
    config = maps.runtime_config("desa", level="desa", facilities=True, lang=lang)
    # the runtime lists the layers top layer first (it walks them in reverse drawing order)
    rows = [(css, label) for layer in reversed(config["layers"]) for css, label, _ in layer["legend"]]
    expected = [(css, t(key, lang=lang)) for layer in reversed(layers.FACILITY_LAYERS) for css, key in layer.legend]
    assert rows == expected
    assert "cfg.layers.slice().reverse()" in maps.runtime_js()


def test_map_layers_are_unique_and_open_as_today() -> None:
    assert len(set(layers.CODES)) == len(layers.CODES) == len(maps.FACILITY_LAYERS)
    assert layers.DEFAULT_ON == ("puskesmas", "pustu")
    assert {layer.jenis for layer in layers.FACILITY_LAYERS} == set(model.JENIS_FASILITAS)
    # every row of a kind lands in a layer: the first of its kind whose filters it passes
    aktif = np.array([True, True, False, False])
    belum = np.array([True, False, True, False])
    for jenis in model.JENIS_FASILITAS:
        of_kind = [layer for layer in layers.FACILITY_LAYERS if layer.jenis == jenis]
        codes = list(maps._layer_of(of_kind, aktif, belum))
        assert all(codes), (jenis, codes)
        if jenis == model.POSYANDU:  # not reported yet wins over active/inactive
            assert codes == [
                "posyandu_belum_melapor",
                "posyandu_aktif",
                "posyandu_belum_melapor",
                "posyandu_tidak_aktif",
            ]


# -- import kinds -------------------------------------------------------------------------
def _cli_actions(command: str) -> dict[str, argparse.Action]:
    """The argparse actions of one CLI command, by destination."""
    sub = next(a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {action.dest: action for action in sub.choices[command]._actions}


@pytest.mark.parametrize("spec", kinds.KINDS, ids=lambda k: k.code)
def test_import_kind_has_template_words_importer_layer_and_cli_choice(spec: kinds.ImportKind) -> None:
    assert template(spec.code).kind == spec.code
    for key in (spec.label_key, spec.help_key, spec.effect_key):
        indonesian, english = STRINGS[key]
        assert indonesian.strip() and english.strip(), key
    assert callable(getattr(importlib.import_module(spec.module), spec.function))
    assert spec.layer in model.SCHEMAS
    assert spec.code in _cli_actions("import")["kind"].choices
    assert spec.options and spec.options <= set(kinds.OPTION_FLAGS)
    assert spec.tabular == ("sheet" in spec.options) == is_tabular(spec.code)
    assert spec.mapping_target is None or spec.mapping_target in FIELDS
    assert spec.max_bytes is None or spec.max_bytes <= MAX_BYTES_LAPORAN
    assert spec.formats.strip() and f"{spec.code}: {spec.formats}" in kinds.formats_text()


def test_import_kinds_are_listed_once_in_one_order() -> None:
    codes = [spec.code for spec in kinds.KINDS]
    assert codes == ["boundaries", "facilities", "reports", "working-areas"]  # the README's (lead's) order
    assert list(_cli_actions("import")["kind"].choices) == codes == list(TEMPLATE_KINDS) == list(KIND_LIMITS)
    assert importing.KINDS is kinds.KINDS
    assert tuple(_cli_actions("import")["jenis"].choices) == kinds.FACILITY_KINDS == model.JENIS_FASILITAS
    assert {action.option_strings[0] for action in _cli_actions("import").values() if action.option_strings} >= set(
        kinds.OPTION_FLAGS.values()
    )
    with pytest.raises(InputError, match="Jenis impor 'desa' tidak dikenal. Pilih salah satu: boundaries, facilities"):
        kinds.import_kind("desa")


# -- findings -----------------------------------------------------------------------------
IMPORTER_MODULES = {  # importer -> the modules whose findings it stores
    findings.FASILITAS: ("loaders/facilities.py",),
    findings.LAPORAN: ("loaders/reports.py",),
    findings.WILAYAH_KERJA: ("loaders/working_areas.py",),
    findings.BATAS: ("loaders/boundary_rows.py", "loaders/boundary_geometry.py"),
}


@pytest.mark.parametrize("entry", findings.FINDINGS, ids=lambda f: f.code)
def test_finding_has_one_severity_a_source_and_words(entry: findings.Finding) -> None:
    assert entry.tingkat in findings.TINGKAT
    if entry.lower is not None:  # the documented lower severity is lower
        assert findings.TINGKAT_ORDER[entry.lower] > findings.TINGKAT_ORDER[entry.tingkat]
    assert entry.by_engine != (entry.persisted_by is not None)  # recomputed, or stored by exactly one importer
    for lang in ("id", "en"):
        assert STRINGS[entry.label_key][0 if lang == "id" else 1].strip()
    assert findings.finding(entry.code) is entry
    assert all(findings.finding(alias) is entry and findings.canonical(alias) == entry.code for alias in entry.aliases)


def test_findings_are_declared_once() -> None:
    codes = [f.code for f in findings.FINDINGS]
    aliases = [a for f in findings.FINDINGS for a in f.aliases]
    assert len(set(codes)) == len(codes) and len(set(aliases)) == len(aliases) and not set(codes) & set(aliases)
    assert quality_view.TINGKAT == findings.TINGKAT == ("tinggi", "sedang", "rendah")
    assert quality.TINGKAT_ORDER is findings.TINGKAT_ORDER


@pytest.mark.parametrize("importer", IMPORTER_MODULES)
def test_every_finding_an_importer_stores_is_registered(importer: str, project_dir: Path) -> None:
    emitted: set[str] = set()
    for module in IMPORTER_MODULES[importer]:
        source = (project_dir / module).read_text(encoding="utf-8")
        emitted |= set(re.findall(r'(?:DITOLAK|DIPERBAIKI|PERINGATAN|_rejected\(\w+),\s*"([a-z_]+)"', source))
    stored = findings.persisted_by(importer)
    assert stored and stored <= emitted  # every kind registered for the importer is one it emits
    if importer == findings.BATAS:  # the boundary importer stores every finding it has
        assert emitted == stored
    assert not stored & findings.BY_ENGINE


def test_engine_kinds_are_registered_and_catatan_copies_of_them_are_dropped() -> None:
    engine_codes = set(re.findall(r'fnd\.tingkat\("([a-z_]+)"', Path(quality.__file__).read_text(encoding="utf-8")))
    assert engine_codes == findings.BY_ENGINE | {"laporan_duplikat"}
    desa = desa_layer([("11.01.01.2001", cell(0, 1))])
    catatan = pd.DataFrame(
        {
            "sumber": ["fasilitas:pustu", "fasilitas:pustu", "laporan", "batas"],
            "versi": [1, 1, 2, 3],
            "jenis": ["koordinat_ditukar", "luar_wilayah", "duplikat_laporan", "geometri_diperbaiki"],
            "tingkat": ["sedang", "tinggi", "sedang", "sedang"],  # stored severities of an older version
            "subjek": ["X1", "X2", "Y1 2026-01", "11.01.01.2001"],
            "pesan": ["tertukar", "di luar", "ganda", "diperbaiki"],
            "baris": [2, 3, 4, 5],
        }
    )
    table = coverage(desa, [], catatan=catatan).quality()
    table = table[table["jenis"] != "desa_tanpa_wilayah_kerja"]  # the engine's own: no puskesmas here
    assert table[["jenis", "tingkat", "subjek"]].values.tolist() == [
        ["geometri_diperbaiki", "rendah", "11.01.01.2001"],
        ["laporan_duplikat", "rendah", "Y1"],
    ]
