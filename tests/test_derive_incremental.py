"""Incremental derivation (budgetkg.derive.update) gives exactly the derived graphs of a
from-scratch derivation (derive.refresh), on a store of many replicas of the samples: replicas
published by other districts' organizations in the same years (so documents are shared across
organizations: citing summaries and groups) and a year later (project links across years),
after an ingest of new documents, a re-ingest of a changed one and a delete."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.replicate import replicate_text
from budgetkg import api, derive
from budgetkg.graph_store.embedded import EmbeddedStore
from budgetkg.ontology import iris
from budgetkg.ontology import terms as T
from tests.conftest import EXAMPLES

DISTRICTS = ("甲东", "乙东")
SHIFTS = (0, 1)  # the same fiscal years, and one year later


@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> list[api.Parsed]:
    out = tmp_path_factory.mktemp("replicas")
    files: list[Path] = []
    for district in DISTRICTS:
        for shift in SHIFTS:
            for sample in sorted(EXAMPLES.glob("*.txt")):
                path = out / f"{district}-{shift}-{sample.name}"
                path.write_text(replicate_text(sample.read_text(encoding="utf-8"), district, shift), encoding="utf-8")
                files.append(path)
    return [api.parse_file(str(f)) for f in files]


def derived_quads(store: EmbeddedStore) -> dict[str, set[str]]:
    return {g: {str(q) for q in store.store.quads_for_pattern(None, None, None, ox.NamedNode(g))}
            for g in store.graph_names() if g.startswith(iris.DERIVED_GRAPH)}


def from_scratch(tmp: Path, documents: list[api.Parsed]) -> dict[str, set[str]]:
    store = EmbeddedStore(tmp)
    try:
        store.ensure_ontology()
        for p in documents:
            store.replace_graph(iris.graph(p.document_id), p.triples)
        derive.refresh(store)
        return derived_quads(store)
    finally:
        store.close()


def assert_same(incremental: dict[str, set[str]], scratch: dict[str, set[str]]) -> None:
    assert sorted(incremental) == sorted(scratch)
    for graph, quads in scratch.items():
        assert incremental[graph] == quads, (graph, sorted(incremental[graph] ^ quads)[:5])


def test_incremental_ingest_replace_and_delete_give_the_from_scratch_graphs(parsed, tmp_path):
    first, later = parsed[:6], parsed[6:]  # a second district's disclosures arrive later
    store = EmbeddedStore(tmp_path / "incremental")
    try:
        store.ensure_ontology()
        for p in first:
            store.replace_graph(iris.graph(p.document_id), p.triples)
        derive.refresh(store)
        before = derived_quads(store)

        # 1. new documents: another district, in the same years and a year later
        for p in later:
            store.replace_graph(iris.graph(p.document_id), p.triples)
        derive.update(store, [p.document_id for p in later])
        after = derived_quads(store)
        assert after != before
        assert_same(after, from_scratch(tmp_path / "scratch-1", parsed))
        # documents cited across organizations: summaries and groups that the update had to recount
        summaries = after[str(iris.derived_graph("policies"))]
        assert any(str(T.CitingGroup) in q for q in summaries)

        # 2. a document replaced by a version that cites nothing: its policies are counted again
        changed = later[0]
        uncited = {t for t in changed.triples if t[1] != T.cites}
        store.replace_graph(iris.graph(changed.document_id), uncited)
        derive.update(store, [changed.document_id])
        from_scratch(tmp_path / "scratch-2", [p for p in parsed if p is not changed])
        scratch_store = EmbeddedStore(tmp_path / "scratch-2")  # and the edited one, written the same way
        try:
            scratch_store.replace_graph(iris.graph(changed.document_id), uncited)
            derive.refresh(scratch_store)
            assert_same(derived_quads(store), derived_quads(scratch_store))
        finally:
            scratch_store.close()

        # 3. a document deleted
        gone = first[0]
        store.delete_document(gone.document_id)
        derive.update(store, [gone.document_id])
        scratch_store = EmbeddedStore(tmp_path / "scratch-2")
        try:
            scratch_store.delete_document(gone.document_id)
            derive.refresh(scratch_store)
            assert_same(derived_quads(store), derived_quads(scratch_store))
        finally:
            scratch_store.close()
    finally:
        store.close()


def test_an_update_keeps_the_summaries_of_documents_the_change_does_not_touch(parsed, tmp_path):
    """The incremental path recounts only what the changed graphs cite: a summary of a document
    they do not cite is carried over from the previous graph, not recomputed."""
    store = EmbeddedStore(tmp_path / "kg")
    try:
        store.ensure_ontology()
        for p in parsed[:5]:
            store.replace_graph(iris.graph(p.document_id), p.triples)
        derive.refresh(store)
        # a summary the next change cannot touch, marked so that a recount would show
        policies = iris.derived_graph("policies")
        old = derive.derived_triples(store, "policies")
        cited_by_new = {o for p in parsed[5:6] for _, pred, o in p.triples if pred == T.cites}
        untouched = sorted({s for s, pred, _ in old if pred == T.citingProjectCount} - cited_by_new)
        assert untouched
        marker = (untouched[0], T.citingYears, ox.Literal("marker"))
        store.store.add(ox.Quad(ox.NamedNode(str(marker[0])), ox.NamedNode(str(marker[1])), marker[2],
                                ox.NamedNode(str(policies))))
        store.replace_graph(iris.graph(parsed[5].document_id), parsed[5].triples)
        derive.update(store, [parsed[5].document_id])
        kept = list(store.store.quads_for_pattern(ox.NamedNode(str(marker[0])), ox.NamedNode(str(marker[1])),
                                                  marker[2], ox.NamedNode(str(policies))))
        assert kept  # carried over: the update did not recount it
        derive.refresh(store)
        assert not list(store.store.quads_for_pattern(ox.NamedNode(str(marker[0])), ox.NamedNode(str(marker[1])),
                                                      marker[2], ox.NamedNode(str(policies))))
    finally:
        store.close()
