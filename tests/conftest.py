"""Shared fixtures: the bundled sample disclosures and their hand-checked gold.

Reading a PDF is the suite's largest cost (seconds a file), so each sample PDF is read and parsed
once per run: the session fixtures below hold the results, and under pytest-xdist the first worker
to need one computes it and leaves it pickled for the others (``shared``); the store of the
ingested PDFs is built once and opened read-only by every worker.
"""
from __future__ import annotations

import json
import pickle
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NINE_TABLE = EXAMPLES / "nine-table"
GOLD = Path(__file__).parent / "fixtures" / "gold"
SAMPLES = sorted(p.stem for p in EXAMPLES.glob("*.txt"))
NINE_TABLE_SAMPLES = sorted(p.stem for p in NINE_TABLE.glob("*.pdf"))
T = TypeVar("T")


def nfkc(text: str | None) -> str | None:
    """Readers NFKC-normalise text (full-width （） -> ()), so compare gold the same way."""
    return None if text is None else unicodedata.normalize("NFKC", text)


def gold(name: str) -> dict:
    return json.loads((GOLD / f"{name}.gold.json").read_text(encoding="utf-8"))


def shared_root(request: pytest.FixtureRequest) -> Path | None:
    """The temporary directory all xdist workers of this run share; None without xdist."""
    if getattr(request.config, "workerinput", None) is None:
        return None
    return request.getfixturevalue("tmp_path_factory").getbasetemp().parent


def shared(request: pytest.FixtureRequest, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per test run rather than once per xdist worker: under xdist the first
    worker computes it (the others wait on a lock) and pickles it into the run's temporary
    directory, which all workers share; the others unpickle it (the way ingest's workers hand
    back their results). Without xdist, or without fcntl, it is just ``compute()``."""
    root = shared_root(request)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not Linux/macOS
        root = None
    if root is None:
        return compute()
    path = root / f"shared-{key}.pickle"
    with (root / f"shared-{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            value: Any = pickle.loads(path.read_bytes())
        else:
            value = compute()
            path.with_suffix(".tmp").write_bytes(pickle.dumps(value))
            path.with_suffix(".tmp").replace(path)
    return value


def shared_each(request: pytest.FixtureRequest, key: str, paths: list[Path],
                compute: Callable[[Path], T]) -> dict[str, T]:
    """file stem -> ``compute(path)``, each ``shared``; the second worker goes through the files
    in the other order, so two workers compute two files at once rather than wait on one."""
    worker = getattr(request.config, "workerinput", {}).get("workerid", "gw0")
    order = paths if int(worker.removeprefix("gw") or 0) % 2 == 0 else paths[::-1]
    done = {p.stem: shared(request, f"{key}-{p.stem}", lambda p=p: compute(p)) for p in order}
    return {p.stem: done[p.stem] for p in paths}


def parse_file(path: Path) -> Any:
    from budgetkg import api

    return api.parse_file(str(path))


def read_pdf(path: Path) -> Any:
    from budgetkg.ingest.pdf_reader import read_pdf

    return read_pdf(str(path))


@pytest.fixture(scope="session")
def parsed():
    """name -> Parsed (disclosure records + graph) for each sample text."""
    from budgetkg import api

    return {name: api.parse_file(str(EXAMPLES / f"{name}.txt")) for name in SAMPLES}


@pytest.fixture(scope="session")
def parsed_pdf(request):
    """name -> Parsed for each sample PDF (the twin of ``parsed``)."""
    return shared_each(request, "parsed", [EXAMPLES / f"{n}.pdf" for n in SAMPLES], parse_file)


@pytest.fixture(scope="session")
def pdf_documents(request):
    """name -> the pdf_reader Document of each sample PDF."""
    return shared_each(request, "document", [EXAMPLES / f"{n}.pdf" for n in SAMPLES], read_pdf)


@pytest.fixture(scope="session")
def nine_table_parsed(request):
    """name -> Parsed for each PDF of the nine-table layout (examples/nine-table/)."""
    return shared_each(request, "parsed", [NINE_TABLE / f"{n}.pdf" for n in NINE_TABLE_SAMPLES], parse_file)


@pytest.fixture(scope="session")
def nine_table_documents(request):
    """name -> the pdf_reader Document of each nine-table PDF."""
    return shared_each(request, "document", [NINE_TABLE / f"{n}.pdf" for n in NINE_TABLE_SAMPLES], read_pdf)


@pytest.fixture(scope="session")
def text_store(tmp_path_factory):
    """A store holding the three sample texts."""
    from budgetkg import api

    path = tmp_path_factory.mktemp("store")
    report = api.ingest([str(EXAMPLES / f"{n}.txt") for n in SAMPLES], str(path))
    assert report.ok, report.failed
    return str(path)


@pytest.fixture(scope="session")
def pdf_ingest(request, tmp_path_factory):
    """The three sample PDFs ingested in two worker processes: (store path, page events).
    Built once per run; the tests only read it (api.query opens a store read-only)."""
    from budgetkg import api

    def ingest() -> tuple[str, list[tuple[str, int, int]]]:
        root = shared_root(request)
        path = root / "pdf-store" if root else tmp_path_factory.mktemp("pdf-store")
        pages: list[tuple[str, int, int]] = []
        report = api.ingest([str(EXAMPLES / f"{n}.pdf") for n in SAMPLES], str(path), jobs=2,
                            on_page=lambda *event: pages.append(event))
        assert report.ok, report.failed
        return str(path), pages

    return shared(request, "pdf-ingest", ingest)


@pytest.fixture(scope="session")
def pdf_store(pdf_ingest):
    """A store holding the three sample PDFs."""
    return pdf_ingest[0]
