"""Issue 4's promise: a PDF gives the same answers as a perfect text extraction.

Each contract named query (docs/ARCHITECTURE.md) runs on a store of the three sample texts and on a
store of the three sample PDFs; the rows must be the same, in the same order.
"""
from __future__ import annotations

from collections import Counter

import pytest

from budgetkg import api
from tests.conftest import SAMPLES

CONTRACT_QUERIES = [
    ("organizations", {}),
    ("projects", {}),
    ("subjects", {}),
    ("citations", {}),
    ("policies", {}),
    ("projects-citing", {"policy": "晋综示发〔2020〕49号"}),
    ("projects-citing", {"policy": "晋综示发(2020)49号"}),
]


def rows(store: str, name: str, params: dict[str, str]) -> Counter:
    return Counter(tuple(r.values()) for r in api.query(name, params, store).dicts())


@pytest.mark.parametrize(("name", "params"), CONTRACT_QUERIES, ids=[f"{n}{p}" for n, p in CONTRACT_QUERIES])
def test_text_and_pdf_give_the_same_named_query_rows(text_store, pdf_store, name, params):
    from_text, from_pdf = rows(text_store, name, params), rows(pdf_store, name, params)
    assert sum(from_text.values()) > 0
    assert from_pdf - from_text == Counter(), "rows only the PDF gives"
    assert from_text - from_pdf == Counter(), "rows only the text gives"


def test_workers_report_every_page_of_every_pdf(pdf_ingest):
    _, events = pdf_ingest
    by_file: dict[str, list[int]] = {}
    totals: dict[str, set[int]] = {}
    for path, done, total in events:
        by_file.setdefault(path, []).append(done)
        totals.setdefault(path, set()).add(total)
    assert sorted(p.rsplit("/", 1)[-1] for p in by_file) == [f"{n}.pdf" for n in SAMPLES]
    for path, done in by_file.items():
        (total,) = totals[path]
        assert done == list(range(1, total + 1)), path


@pytest.mark.parametrize(("name", "params"), CONTRACT_QUERIES, ids=[f"{n}{p}" for n, p in CONTRACT_QUERIES])
def test_text_and_pdf_give_the_rows_in_the_same_order(text_store, pdf_store, name, params):
    # Citations are ordered by bk:citationIndex (reading order across a sheet's fields): a
    # PDF gives pages, not lines, so line numbers cannot order them.
    from_text = [tuple(r.values()) for r in api.query(name, params, text_store).dicts()]
    assert [tuple(r.values()) for r in api.query(name, params, pdf_store).dicts()] == from_text
