"""The layout's import contract (issue 19): imports run one way, so the rooms cannot rot.

core types ← detectors ← pipeline / reach / verdict / config ← reports ← cli

Read with ``ast`` from the source folders (module-level and function-level imports alike,
``TYPE_CHECKING`` blocks included): a lazy import that breaks the direction is still a
dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"scanner": "blastscan.scanner", "detectors": "blastscan.detectors",
           "reports": "blastscan.reports"}
CORE = ("blastscan.scanner.models", "blastscan.scanner.errors", "blastscan.scanner.json_text",
        "blastscan.scanner.version", "blastscan.scanner.names", "blastscan.scanner.organisation")
ENGINE = ("blastscan.scanner.pipeline", "blastscan.scanner.reach", "blastscan.scanner.verdict",
          "blastscan.scanner.config", "blastscan.scanner.fence", "blastscan.scanner.guard",
          "blastscan.scanner.org")
CLI = ("blastscan.scanner.cli", "blastscan.scanner.__main__")
# Layer of each room, lowest first; a module may import its own layer and those below.
LAYERS = [("core", CORE), ("detectors", ("blastscan.detectors",)), ("engine", ENGINE),
          ("reports", ("blastscan.reports",)), ("cli", CLI)]


def _layer(module: str) -> int:
    for rank, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    if module in ("blastscan.scanner", "blastscan.detectors"):  # the package docstrings
        return 0
    raise AssertionError(f"{module} is in no room of the layout")


def _modules() -> dict[str, Path]:
    found = {}
    for folder, package in FOLDERS.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            name = ".".join((package, *parts)).removesuffix(".__init__")
            found[name] = path
    return found


def _imports(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    modules = _modules()
    return {n for n in names if n in modules and n != module}


def test_every_module_sits_in_a_room() -> None:
    for module in _modules():
        _layer(module)


def test_imports_run_one_way() -> None:
    wrong = []
    for module, path in sorted(_modules().items()):
        mine = _layer(module)
        for target in sorted(_imports(module, path)):
            if target in ("blastscan.scanner", "blastscan.detectors"):
                continue  # a package's own __init__ (imports nothing of the engine)
            if _layer(target) > mine:
                wrong.append(f"{module} ({LAYERS[mine][0]}) imports {target} "
                             f"({LAYERS[_layer(target)][0]})")
    assert wrong == []


def test_the_contract_can_fail() -> None:
    # The checker itself: a detector importing the engine is caught.
    assert _layer("blastscan.scanner.pipeline.engine") > _layer("blastscan.detectors.registry")
    assert _layer("blastscan.scanner.models") < _layer("blastscan.detectors.match.filters")
