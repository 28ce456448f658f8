"""The Shanghai (nine-table) disclosures of examples/nine-table: their citations as the gold has them.

Every paragraph and table cell of each PDF goes through the finder; the
numbered documents (文号 and title) and titled documents found must be exactly
those of the gold's ``performance_projects[*].citations`` — none missing, none spurious.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from budgetkg.ingest.model import Document, Paragraph
from budgetkg.ingest.references import NUMBERED, TITLED, Reference, find_references, normalise_title

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "tests" / "fixtures" / "gold"
PDF_DIR = ROOT / "examples" / "nine-table"
NAMES = sorted(p.stem for p in PDF_DIR.glob("*.pdf") if (GOLD_DIR / f"{p.stem}.gold.json").exists())


@pytest.fixture(scope="module")
def references(nine_table_documents: dict[str, Document]) -> Callable[[str], tuple[Reference, ...]]:
    """name -> the references found in each text block and cell of the nine-table PDF, the PDF
    read once for the run (conftest's nine_table_documents)."""
    return cache(lambda name: references_in(nine_table_documents[name]))


def references_in(doc: Document) -> tuple[Reference, ...]:
    out: list[Reference] = []
    for b in doc.blocks:
        texts = [b.text] if isinstance(b, Paragraph) else [c for c in b.cells if c]
        for t in texts:
            out.extend(find_references(t))
    return tuple(out)


def gold(name: str) -> list[dict]:
    data = json.loads((GOLD_DIR / f"{name}.gold.json").read_text(encoding="utf-8"))
    return [c for p in data["performance_projects"] for c in p["citations"]]


def test_there_are_samples() -> None:
    assert len(NAMES) >= 6


@pytest.mark.parametrize("name", NAMES)
def test_numbered_documents(references, name: str) -> None:
    want = {(c["doc_number"], normalise_title(c["title"] or "")) for c in gold(name) if c["kind"] == NUMBERED}
    got = {(r.doc_number, normalise_title(r.title or "")) for r in references(name) if r.kind == NUMBERED}
    assert got == want


@pytest.mark.parametrize("name", NAMES)
def test_titled_documents(references, name: str) -> None:
    want = {normalise_title(c["title"]) for c in gold(name) if c["kind"] == TITLED}
    got = {normalise_title(r.title or "") for r in references(name) if r.kind == TITLED}
    assert got == want


def test_wanli_street_wen_titles(references) -> None:
    """沪府规【2016】168号文关于同意《…》的批复 and 普发改投【2017】89号文《…》: two numbered documents with titles."""
    refs = [r for r in references("putuo-wanli-street-2023-dept") if r.kind in (NUMBERED, TITLED)]
    assert [(r.kind, r.doc_number) for r in refs] == [(NUMBERED, "沪府规〔2016〕168号"), (NUMBERED, "普发改投〔2017〕89号")]
    assert refs[0].surface.startswith("沪府规【2016】168号文关于同意《") and refs[0].surface.endswith("》的批复")
    assert refs[1].title == "关于万里街道社区公共服务中心新建工程可行性研究报告的批复"
