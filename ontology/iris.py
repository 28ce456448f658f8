"""Deterministic IRIs, minted from normalised keys and nowhere else.

The same thing gets the same IRI in every document, which makes re-ingesting
idempotent and lets graphs of different documents meet on shared entities.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

ID = "https://w3id.org/budgetkg/id/"
GRAPH = "https://w3id.org/budgetkg/graph/"
ONTOLOGY_GRAPH = URIRef("https://w3id.org/budgetkg/graph/ontology")


def normalise_key(text: str) -> str:
    """NFKC, no whitespace: '山西转型综合改革示范区 行政审批局' -> '山西转型综合改革示范区行政审批局'."""
    return "".join(unicodedata.normalize("NFKC", text).split())


# Characters that stand unescaped in a segment: RFC 3986 unreserved, ':' and the
# RFC 3987 ucschar ranges (CJK among them); everything else is percent-encoded.
KEEP_UNESCAPED = re.compile(
    "[A-Za-z0-9\\-._~:\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd]")


@lru_cache(maxsize=8192)
def segment(text: str, *, normalise: bool = True) -> str:
    """One IRI path segment: CJK and other ucschar kept readable, ASCII outside
    the unreserved set percent-encoded ('晋综示发〔2020〕49号' stays as it is).
    Cached: a document mints the same few hundred segments thousands of times."""
    return "".join(ch if KEEP_UNESCAPED.match(ch) else quote(ch, safe="")
                   for ch in (normalise_key(text) if normalise else text))


def organization(key: str) -> URIRef:
    """An organization, from its identity key (``ingest.organizations.organization_key``:
    zone prefix variants, width, spaces and abbreviations do not matter), so it is one
    IRI across documents and years. The key rules are ingest heuristics; this module
    only mints."""
    return URIRef(f"{ID}org/{segment(key)}")


def internal_unit(org_key: str, unit: str) -> URIRef:
    return URIRef(f"{organization(org_key)}/unit/{segment(unit)}")


def code_assignment(org_key: str, year: int, code: str) -> URIRef:
    """An organization's budget code in one fiscal year."""
    return URIRef(f"{organization(org_key)}/code/{year}/{segment(code)}")


def fiscal_year(year: int) -> URIRef:
    return URIRef(f"{ID}year/{year}")


def disclosure(org_key: str, year: int, kind: str) -> URIRef:
    """One disclosure of an organization and year per kind (部门预算 / 单位预算): a 部门 and a
    单位 disclosure of the same organization and year are two disclosures."""
    return URIRef(f"{ID}disclosure/{segment(org_key)}/{year}/{segment(kind)}")


def source_file(sha256: str) -> URIRef:
    """One source file (a prov:Entity the disclosure prov:wasDerivedFrom), keyed by its content
    (SHA-256), not by the name a user gave it: ``id/file/<sha256>``."""
    return URIRef(f"{ID}file/{segment(sha256)}")


# Everything read from the tables, sheets and text of a disclosure (tables, rows, lines,
# sheets, figures, citations, findings) hangs under the disclosure IRI, whichever file it was
# read from: the text and the PDF of one disclosure state the same IRIs.

def table(disclosure_iri: URIRef, number: int) -> URIRef:
    """A table of a disclosure by its catalogue slot: ``…/table/5``; it is a qb:DataSet."""
    return URIRef(f"{disclosure_iri}/table/{number}")


def row(disclosure_iri: URIRef, number: int, index: int) -> URIRef:
    return URIRef(f"{disclosure_iri}/table/{number}/row/{index}")


def budget_line(row_iri: URIRef, column: str) -> URIRef:
    return URIRef(f"{row_iri}/{segment(column)}")


def project(org_key: str, year: int, list_kind: str, name: str, ordinal: int = 0) -> URIRef:
    suffix = f"/{ordinal + 1}" if ordinal else ""
    return URIRef(f"{ID}project/{segment(org_key)}/{year}/{list_kind}/{segment(name)}{suffix}")


def project_link(later: URIRef, earlier: URIRef) -> URIRef:
    """A scored link between two projects of one organization in different years."""
    tail = str(earlier).removeprefix(f"{ID}project/")
    return URIRef(f"{later}/link/{tail}")


def sheet(disclosure_iri: URIRef, index: int) -> URIRef:
    return URIRef(f"{disclosure_iri}/sheet/{index + 1}")


def overall_sheet(disclosure_iri: URIRef) -> URIRef:
    """The 部门整体绩效目标表 of a disclosure (at most one); its parts via ``sheet_part``."""
    return URIRef(f"{disclosure_iri}/overall")


def sheet_part(sheet_iri: URIRef, kind: str, index: int | str) -> URIRef:
    return URIRef(f"{sheet_iri}/{kind}/{segment(str(index))}")


def figure(disclosure_iri: URIRef, key: str) -> URIRef:
    return URIRef(f"{disclosure_iri}/figure/{segment(key)}")


def citation(context_iri: URIRef, field: str | None, index: int) -> URIRef:
    return URIRef(f"{context_iri}/citation/{segment(field or 'text')}/{index + 1}")


def deliverable(sheet_iri: URIRef, index: int) -> URIRef:
    """The ``index``-th (0-based) document a sheet says its project is to write (编制《…》)."""
    return URIRef(f"{sheet_iri}/deliverable/{index + 1}")


def subject_code(code: str) -> URIRef:
    return URIRef(f"{ID}subject/{code}")


def economic_item(code: str) -> URIRef:
    """部门预算支出经济分类: 类 3 / 款 5 digits (301, 30101)."""
    return URIRef(f"{ID}economic/{code}")


def funding_source(key: str) -> URIRef:
    """A funding source from its fixed key (ingest.schemes.FUNDING_SOURCES)."""
    return URIRef(f"{ID}funding/{segment(key)}")


def measure(key: str) -> URIRef:
    return URIRef(f"{ID}measure/{segment(key)}")


# Length (hex digits of SHA-256) of the hash that keys a title-only document or a meeting:
# 64 bits, no collision among the millions of titles a national corpus could cite.
KEY_HASH_DIGITS = 16


def key_hash(key: str) -> str:
    """A short stable hash of a key (titles and meetings are long; findings are sentences)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:KEY_HASH_DIGITS]


def policy(key: str) -> URIRef:
    """A cited document from its identity key (``ingest.mapping.reference_key``): a canonical
    文号 stands as it is (``policy/晋综示发〔2020〕49号``); a key ``kind:title`` or
    ``meeting:body/year/number/…`` becomes ``policy/<kind>/<hash of the key>``, so no IRI
    carries a raw title."""
    kind, sep, _ = key.partition(":")
    if not sep:
        return URIRef(f"{ID}policy/{segment(key)}")
    return URIRef(f"{ID}policy/{segment(kind)}/{key_hash(key)}")


def issuer_summary(group: str) -> URIRef:
    """The derived summary of one issuer of cited documents (its registry IRI or ``code:`` key)."""
    return URIRef(f"{ID}issuer-summary/{key_hash(group)}")


def disclosure_headline(graph: str, disclosure: str, row: str) -> URIRef:
    """The derived headline row of a disclosure as one document graph states it."""
    return URIRef(f"{ID}headline/{key_hash(graph + chr(10) + disclosure + chr(10) + row)}")


def budget_phase(phase: str) -> URIRef:
    """预算 (budget) or 决算 (final accounts): a code of the cube's budget-phase dimension."""
    return URIRef(f"{ID}phase/{segment(phase)}")


def special_code(code: str) -> URIRef:
    """A code of a cube dimension that has no classification value on this observation: ``_T``
    (a total over the classification) or ``_Z`` (not applicable), as SDMX's code lists write them."""
    return URIRef(f"{ID}code/{segment(code)}")


DATASET_DESCRIPTION = URIRef(f"{ID}dataset")  # the DCAT / VoID description of the store


def identity_candidate(cited: URIRef, candidate: URIRef) -> URIRef:
    """A suspected typo: the cited document may be ``candidate`` (both policy IRIs)."""
    tail = str(candidate).removeprefix(f"{ID}policy/")
    return URIRef(f"{cited}/candidate/{tail}")


def finding(disclosure_iri: URIRef, check: str, content: str) -> URIRef:
    """A finding of one check on a disclosure, keyed by a hash of what it says (``content``:
    table, row, amounts, message), so the text and the PDF name one finding once even when one
    of them finds something the other does not."""
    return URIRef(f"{disclosure_iri}/finding/{segment(check)}/{key_hash(content)}")


def graph(document_id: str) -> URIRef:
    """The named graph holding everything derived from one source document."""
    return URIRef(f"{GRAPH}{segment(document_id, normalise=False)}")


DERIVED_GRAPH = f"{GRAPH}derived/"


def derived_graph(name: str) -> URIRef:
    """A graph of cross-document facts (links, schemes), recomputed from the document
    graphs after every ingest or delete; never a source document of its own."""
    return URIRef(f"{DERIVED_GRAPH}{segment(name)}")


# When each document graph was ingested (prov:generatedAtTime), for the dataset description.
CATALOG_GRAPH = URIRef(f"{GRAPH}catalog")

RIGHTS = URIRef(f"{ID}rights/government-information")  # the rights statement of the public documents


def is_document_graph(graph_iri: str) -> bool:
    return (graph_iri.startswith(GRAPH) and graph_iri not in (str(ONTOLOGY_GRAPH), str(CATALOG_GRAPH))
            and not graph_iri.startswith(DERIVED_GRAPH))


def graph_to_document_id(graph_iri: str) -> str:
    from urllib.parse import unquote

    return unquote(graph_iri.removeprefix(GRAPH))


def citing_group(document: URIRef, organization_name: str, year: int) -> URIRef:
    """The citations of one counted document by one organization (its name as printed) in one
    fiscal year: a row of the derived summary that shared-policies reads (issue 13)."""
    return URIRef(f"{document}/cited-by/{key_hash(f'{organization_name}/{year}')}")
