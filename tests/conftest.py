"""Shared fixtures: the bundled sample disclosures and their hand-checked gold."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLD = Path(__file__).parent / "fixtures" / "gold"
SAMPLES = sorted(p.stem for p in EXAMPLES.glob("*.txt"))


def nfkc(text: str | None) -> str | None:
    """Readers NFKC-normalise text (full-width （） -> ()), so compare gold the same way."""
    return None if text is None else unicodedata.normalize("NFKC", text)


def gold(name: str) -> dict:
    return json.loads((GOLD / f"{name}.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def parsed():
    """name -> Parsed (disclosure records + graph) for each sample text."""
    from budgetkg import api

    return {name: api.parse_file(str(EXAMPLES / f"{name}.txt")) for name in SAMPLES}


@pytest.fixture(scope="session")
def parsed_pdf():
    """name -> Parsed for each sample PDF (the twin of ``parsed``)."""
    from budgetkg import api

    return {name: api.parse_file(str(EXAMPLES / f"{name}.pdf")) for name in SAMPLES}


@pytest.fixture(scope="session")
def text_store(tmp_path_factory):
    """A store holding the three sample texts."""
    from budgetkg import api

    path = tmp_path_factory.mktemp("store")
    report = api.ingest([str(EXAMPLES / f"{n}.txt") for n in SAMPLES], str(path))
    assert report.ok, report.failed
    return str(path)


@pytest.fixture(scope="session")
def pdf_ingest(tmp_path_factory):
    """The three sample PDFs ingested in two worker processes: (store path, page events)."""
    from budgetkg import api

    path = tmp_path_factory.mktemp("pdf-store")
    pages: list[tuple[str, int, int]] = []
    report = api.ingest([str(EXAMPLES / f"{n}.pdf") for n in SAMPLES], str(path), jobs=2,
                        on_page=lambda *event: pages.append(event))
    assert report.ok, report.failed
    return str(path), pages


@pytest.fixture(scope="session")
def pdf_store(pdf_ingest):
    """A store holding the three sample PDFs."""
    return pdf_ingest[0]
