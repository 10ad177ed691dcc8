"""README.md stays accurate: CI runs its test command; commands, paths and packages exist."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

import cli
from geo.rules import RULES, Rules, RuleSpec
from geo.statuses import CODES
from ui.fmt import fmt_int, fmt_num

PROJECT_DIR = Path(__file__).resolve().parents[1]
README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
CI_RUN = PROJECT_DIR / ".ci" / "run"


def _fenced_after(marker: str) -> str:
    """The first ```bash block after ``marker`` in the README."""
    tail = README[README.index(marker) :]
    match = re.search(r"```bash\n(.*?)\n```", tail, flags=re.DOTALL)
    assert match, f"no bash block after {marker!r}"
    return match.group(1).strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme_command = _fenced_after("<!-- test-command")
    match = re.search(r"^TEST_COMMAND='(.*)'$", CI_RUN.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert match, ".ci/run has no TEST_COMMAND='...' line"
    assert match.group(1) == readme_command
    assert readme_command.endswith("-m pytest") or " -m pytest" in readme_command


def test_ci_script_is_strict_and_executable() -> None:
    text = CI_RUN.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert os.access(CI_RUN, os.X_OK)


def test_app_command_installs_the_same_requirements() -> None:
    command = _fenced_after("**(a) Pasang dan jalankan aplikasi**")
    assert command.startswith("python3.11 -m venv .venv && .venv/bin/pip install -r requirements.txt && ")
    assert command.endswith(".venv/bin/streamlit run app.py")
    assert (PROJECT_DIR / "app.py").is_file()


def _cli_examples() -> list[list[str]]:
    examples = []
    for line in re.findall(r"python cli\.py [^`\n|#]*", README):
        words = shlex.split(line.strip())[2:]
        if words and words[0] not in ("--help", "PERINTAH"):
            examples.append(words)
    return examples


def test_readme_has_cli_examples_for_every_command() -> None:
    documented = {words[0] for words in _cli_examples()}
    assert documented >= set(cli.COMMANDS)


@pytest.mark.parametrize("words", _cli_examples(), ids=lambda w: " ".join(w))
def test_cli_examples_parse(words: list[str]) -> None:
    args = cli.build_parser().parse_args(words)
    assert args.command == words[0]


def test_layout_paths_exist() -> None:
    block = README[README.index("## Struktur proyek") :]
    block = block[block.index("```") + 3 : block.index("```", block.index("```") + 3)]
    parent = ""
    for line in block.strip().splitlines():
        name = line.split()[0]
        if line.startswith("  "):
            path = PROJECT_DIR / parent / name
        else:
            path = PROJECT_DIR / name.rstrip("/")
            parent = name if name.endswith("/") else parent
        assert path.exists(), f"README lists {name}, which does not exist"


def test_every_requirement_is_explained() -> None:
    requirements = PROJECT_DIR.joinpath("requirements.txt").read_text(encoding="utf-8").splitlines()
    packages = {line.split("==")[0].strip() for line in requirements if line.strip() and not line.startswith("#")}
    section = README[README.index("## Dependensi") : README.index("## Tolok ukur")]
    explained = set(re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE))
    assert explained == packages


def test_benchmark_commands_exist() -> None:
    for module in re.findall(r"-m (benchmarks\.\w+)", README):
        assert (PROJECT_DIR / (module.replace(".", "/") + ".py")).is_file(), module


def test_status_line_lists_the_registered_statuses_in_order() -> None:
    match = re.search(r"^Status setiap desa pada bulan terpilih.*?\.$", README, flags=re.MULTILINE | re.DOTALL)
    assert match, "README has no 'Status setiap desa pada bulan terpilih' line"
    assert tuple(re.findall(r"`([a-z_]+)`", match.group(0))) == CODES


# -- rules (geo.rules.RULES) --------------------------------------------------------
def _rule_text(spec: RuleSpec, value: float | bool) -> str:
    """A rule value as the README writes it: tidak/ya, Indonesian numbers with the rule's decimals."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if spec.kind is int:
        return fmt_int(value)
    return fmt_num(value, decimals=spec.decimals if spec.decimals is not None else 1)


def _rules_table() -> list[list[str]]:
    section = README[README.index("## Aturan") :]
    header = section.index("| aturan | bawaan | batas | kunci URL | opsi CLI | arti |")
    rows = []
    for line in section[header:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_rules_table_matches_the_registry() -> None:
    expected = [
        [
            f"`{spec.field}`",
            _rule_text(spec, spec.default),
            "ya/tidak" if spec.kind is bool else f"{_rule_text(spec, spec.low)}–{_rule_text(spec, spec.high)}",
            f"`{spec.url_key}`",
            f"`{spec.cli_flag}`",
        ]
        for spec in RULES
    ]
    assert [row[:5] for row in _rules_table()] == expected


def test_url_rule_keys_are_the_registered_ones() -> None:
    match = re.search(r"termasuk aturan yang diubah di halaman Data:(.*?)hanya bila berbeda", README, flags=re.DOTALL)
    assert match, "README 'Aplikasi' no longer lists the rule keys of the URL"
    assert re.findall(r"`([a-z_]+)`", match.group(1)) == [spec.url_key for spec in RULES]


def test_every_rule_flag_is_documented_and_parses() -> None:
    flags = re.findall(r"`(--[a-z-]+)`", "\n".join(row[4] for row in _rules_table()))
    assert flags == [spec.cli_flag for spec in RULES]
    cli_rows = README[README.index("## Perintah baris (CLI)") : README.index("## Aturan")]
    for command in ("gaps", "summary", "quality"):
        row = next(line for line in cli_rows.splitlines() if line.startswith(f"| `{command}` |"))
        assert "aturan" in row, f"the {command} row does not mention the rule options"
    example = next(words for words in _cli_examples() if "--laporan-berhenti-bulan" in words)
    args = cli.build_parser().parse_args(example)
    assert cli.rules_from_args(args) == Rules(laporan_berhenti_bulan=6, duplikat_radius_m=25.0, jarak_maks_pustu_km=2.5)
