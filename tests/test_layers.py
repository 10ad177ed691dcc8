"""The import graph of the project's folders, checked from the source (``ast``), so a new import cannot blur them.

- ``geo/`` (computation) and ``loaders/`` (input, validation, store) never
  import streamlit, ``ui``, ``pages`` or ``cli``;
- ``geo/`` reads from ``loaders/`` only the shared vocabulary: the model, the
  exceptions, the dataset, the limits, number formatting and the findings
  registry; never the store or an importer;
- ``loaders/`` uses from ``geo/`` only the placement rule (one rule for where a
  facility lies, shared by importer and engine) and the targets registry (one
  list of the indicators that can have a target, shared by the validation of
  the store's targets and the traffic light);
- ``pages/`` are thin: they reach ``geo/`` and ``loaders/`` only through ``ui``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_CORE = ("streamlit", "ui", "pages", "cli")
GEO_MAY_USE_FROM_LOADERS = frozenset(
    {"loaders.model", "loaders.exceptions", "loaders.dataset", "loaders.limits", "loaders.numbers", "loaders.findings"}
)
LOADERS_MAY_USE_FROM_GEO = frozenset({"geo.placement", "geo.targets"})
PAGES_MAY_NOT_USE = ("geo", "loaders", "cli")


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports (``from a.b import c`` gives ``a.b`` and, when ``c`` is a module, ``a.b.c``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if (PROJECT_DIR / Path(*candidate.split("."))).with_suffix(".py").is_file():
                    found.add(candidate)
    return found


def _modules(folder: str) -> list[Path]:
    return sorted((PROJECT_DIR / folder).glob("*.py"))


def _top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("path", _modules("geo") + _modules("loaders"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_core_never_imports_the_interface(path: Path) -> None:
    assert sorted(m for m in _imports(path) if _top(m) in FORBIDDEN_IN_CORE) == []


@pytest.mark.parametrize("path", _modules("geo"), ids=lambda p: p.name)
def test_geo_reads_only_the_shared_vocabulary_of_loaders(path: Path) -> None:
    used = {m for m in _imports(path) if _top(m) == "loaders" and m != "loaders"}
    modules = {m for m in used if (PROJECT_DIR / Path(*m.split("."))).with_suffix(".py").is_file()}
    assert sorted(modules - GEO_MAY_USE_FROM_LOADERS) == []


@pytest.mark.parametrize("path", _modules("loaders"), ids=lambda p: p.name)
def test_loaders_use_only_the_placement_rule_of_geo(path: Path) -> None:
    used = {m for m in _imports(path) if _top(m) == "geo" and m != "geo"}
    modules = {m for m in used if (PROJECT_DIR / Path(*m.split("."))).with_suffix(".py").is_file()}
    assert sorted(modules - LOADERS_MAY_USE_FROM_GEO) == []


@pytest.mark.parametrize("path", _modules("pages"), ids=lambda p: p.name)
def test_pages_reach_the_core_only_through_ui(path: Path) -> None:
    assert sorted(m for m in _imports(path) if _top(m) in PAGES_MAY_NOT_USE) == []
