"""Narrative paragraphs -> the policy documents a disclosure reproduces in full.

The finding is done by the reference library (:func:`ingest.references.find_embedded_documents`);
this module only attaches each document and relation to the paragraph it was read from.
"""
from __future__ import annotations

from budgetkg.ingest.model import Provenance
from budgetkg.ingest.records import DocumentRelation, EmbeddedPolicy
from budgetkg.ingest.references import find_embedded_documents


def narrative_to_embedded(texts: list[tuple[str, Provenance]]) -> list[EmbeddedPolicy]:
    """Embedded documents in the narrative paragraphs ``texts`` (text, provenance), in order."""
    docs = find_embedded_documents([text for text, _ in texts])
    return [
        EmbeddedPolicy(
            reference=d.reference, issuer=d.issuer, date=d.date, prov=texts[d.number_paragraph][1],
            relations=[DocumentRelation(r.kind, r.target, texts[r.paragraph][1]) for r in d.relations],
        )
        for d in docs
    ]
