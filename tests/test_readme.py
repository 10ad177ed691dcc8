"""README.md stays accurate: CI runs its test command; commands, paths and packages exist."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

import cli
from geo.statuses import CODES

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
