"""Every doctest in the runtime packages, run under the names they install as (budgetkg.ingest.…,
not ingest.…): the modules are found from pyproject's package-dir mapping, so a new module's
doctests are collected without a list to keep. One test per docstring that has examples."""
from __future__ import annotations

import doctest
import importlib
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Doctests that fail for a reason outside this file, with the reason; non-strict so the fix
# needs no change here (drop the entry then).
KNOWN_FAILING: dict[str, str] = {}


PACKAGE_DIRS: dict[str, str] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
    "tool"]["setuptools"]["package-dir"]
# The folders' own names (ingest, queries, ...) import from the repository root, where pytest runs,
# but not from an installed budgetkg: a doctest must not lean on them.
UNINSTALLED = sorted(folder for package, folder in PACKAGE_DIRS.items() if package != folder)


def module_names() -> list[str]:
    names = set()
    for package, folder in PACKAGE_DIRS.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = [p for p in path.relative_to(ROOT / folder).with_suffix("").parts if p != "__init__"]
            names.add(".".join([package, *parts]))
    return sorted(names)


def doctests() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder()
    found = []
    for name in module_names():
        module = importlib.import_module(name)
        found += [t for t in finder.find(module, name) if t.examples and t.name.startswith(name)]
    return sorted({t.name: t for t in found}.values(), key=lambda t: t.name)


DOCTESTS = doctests()


def test_the_docstrings_have_doctests() -> None:
    assert len(DOCTESTS) >= 15


@pytest.mark.parametrize("test", [
    pytest.param(t, id=t.name, marks=[pytest.mark.xfail(reason=KNOWN_FAILING[t.name], strict=False)]
                 if t.name in KNOWN_FAILING else [])
    for t in DOCTESTS])
def test_doctest(test: doctest.DocTest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(ROOT))  # examples name files relative to the repository root
    for name in UNINSTALLED:
        monkeypatch.setitem(sys.modules, name, None)  # `import ingest` raises ImportError
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    result = runner.run(test, out=report.append, clear_globs=True)
    assert result.failed == 0, "".join(report)
