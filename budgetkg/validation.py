"""`budgetkg validate`: each document's reconciliation findings (ingest.reconcile,
stored as bk:Finding) and its SHACL report (pyshacl against ontology/shapes.ttl),
as one table, and an exit status like pyshacl's: 0 clean, 1 findings, 2 error.

Documents come from a store (every document graph in it) or from files, which are
read and parsed without touching any store.
"""
from __future__ import annotations

import functools
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from budgetkg.graph_store import GraphStore, StoreError
from budgetkg.ingest.amounts import yuan_to_text
from budgetkg.ingest.errors import IngestError
from budgetkg.ingest.records import Disclosure, Finding
from budgetkg.ontology import ONTOLOGY_TTL, SHAPES_TTL, iris
from budgetkg.ontology import terms as T
from budgetkg.queries.results import Result, rows_to_result

COLUMNS = ["document", "organization", "year", "check", "severity", "table", "row", "page", "line",
           "expected_yuan", "printed_yuan", "message"]
SHACL_CHECK = "shacl"  # the check column of SHACL validation results
SEVERITY_OF = {iri: name for name, iri in T.SEVERITIES.items()}
SEVERITY_RANK = {"violation": 0, "warning": 1, "info": 2}
# Severities that make validation fail (exit 1); --allow-warnings keeps only violations.
FAILING = ("violation", "warning")
FAILING_ALLOWING_WARNINGS = ("violation",)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# Graphs fetched ahead of the SHACL workers, per worker: keeps them busy without holding
# every document's graph in memory at once.
PREFETCH_PER_JOB = 2

DocumentProgress = Callable[[str, int, int], None]  # (document id, documents done, documents in all)


@dataclass(slots=True)
class DocumentReport:
    """One document: its finding rows (dicts keyed by COLUMNS) and its SHACL verdict."""

    document: str
    organization: str = ""
    year: int | None = None
    rows: list[dict[str, str]] = field(default_factory=list)
    shacl_conforms: bool | None = None  # None: SHACL not run

    def summary(self) -> str:
        """'doc.txt: 3 violation, 1 warning, 0 info; SHACL conforms'."""
        counts = Counter(r["severity"] for r in self.rows if r["check"] != SHACL_CHECK)
        line = f"{self.document}: " + ", ".join(f"{counts[s]} {s}" for s in SEVERITY_RANK)
        if self.shacl_conforms is not None:
            results = sum(1 for r in self.rows if r["check"] == SHACL_CHECK)
            line += "; SHACL conforms" if self.shacl_conforms else f"; SHACL does not conform ({results} results)"
        return line


@dataclass(slots=True)
class ValidationReport:
    documents: list[DocumentReport] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file or store, reason)

    @property
    def rows(self) -> list[dict[str, str]]:
        return [row for doc in self.documents for row in doc.rows]

    def result(self) -> Result:
        return rows_to_result(COLUMNS, ([row[c] or None for c in COLUMNS] for row in self.rows))

    def counts(self) -> Counter[str]:
        """Findings (not SHACL results) per severity."""
        return Counter(r["severity"] for r in self.rows if r["check"] != SHACL_CHECK)

    def exit_code(self, allow_warnings: bool = False) -> int:
        if self.errors:
            return EXIT_ERROR
        failing = FAILING_ALLOWING_WARNINGS if allow_warnings else FAILING
        return EXIT_FINDINGS if any(r["severity"] in failing for r in self.rows) else EXIT_CLEAN

    def summary(self) -> str:
        counts = self.counts()
        shacl = [d for d in self.documents if d.shacl_conforms is not None]
        parts = [f"{len(self.documents)} document(s)",
                 "findings: " + ", ".join(f"{counts[s]} {s}" for s in SEVERITY_RANK)]
        if shacl:
            parts.append(f"SHACL: {sum(1 for d in shacl if d.shacl_conforms)} of {len(shacl)} conform")
        if self.errors:
            parts.append(f"{len(self.errors)} error(s)")
        return "; ".join(parts)


# --- rows -------------------------------------------------------------------------------

def amount_text(value: Decimal | None) -> str:
    return yuan_to_text(value) if value is not None else ""


def text(value: object) -> str:
    return "" if value is None else str(value)


def position(value: str) -> int:
    return int(value) if value.isdigit() else 10**9


def sort_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Violations first, then warnings, then info; SHACL results last; each in source order,
    ties broken by every other column, so the order never depends on how a store lists them."""
    return sorted(rows, key=lambda r: (r["check"] == SHACL_CHECK, SEVERITY_RANK.get(r["severity"], 3),
                                       position(r["line"]), position(r["page"]), r["check"], r["message"],
                                       *(r[c] for c in COLUMNS)))


def finding_to_row(document: str, disclosure: Disclosure, finding: Finding) -> dict[str, str]:
    prov = finding.prov
    return {
        "document": document, "organization": disclosure.organization.name, "year": str(disclosure.fiscal_year),
        "check": finding.check, "severity": finding.severity, "table": text(finding.table), "row": text(finding.row),
        "page": text(prov.page if prov else None), "line": text(prov.line if prov else None),
        "expected_yuan": amount_text(finding.expected_yuan), "printed_yuan": amount_text(finding.printed_yuan),
        "message": finding.message,
    }


# Each bk:Finding of each graph, with what a row shows. One query for the whole store, so
# findings need no graph to be fetched (validate --no-shacl reads no graph at all). Not the
# `findings` named query: that one gives a disclosure's text and PDF one shared row and has no
# document column, while validate reports every document on its own.
FINDING_PROPERTIES = {"check": T.checkId, "severity": T.severity, "table": T.findingTable, "row": T.findingRow,
                      "page": T.sourcePage, "line": T.sourceLine, "expected_yuan": T.expectedYuan,
                      "printed_yuan": T.printedYuan, "message": T.findingMessage}
FINDINGS_QUERY = (
    "SELECT ?g ?f " + " ".join(f"?{name}" for name in FINDING_PROPERTIES)
    + f" WHERE {{ GRAPH ?g {{ ?f a {T.Finding.n3()} . "
    + " ".join(f"OPTIONAL {{ ?f {prop.n3()} ?{name} }}" for name, prop in FINDING_PROPERTIES.items())
    + " } }"
)


def store_findings(store: GraphStore) -> dict[str, list[dict[str, str]]]:
    """Document id -> its finding rows without document, organization and year (the caller's)."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for r in store.select(FINDINGS_QUERY).dicts():
        # A property stated twice would repeat the finding: keep its first row, as graph.value did.
        found.setdefault((r["g"], r["f"]), {
            "check": r["check"], "severity": SEVERITY_OF.get(URIRef(r["severity"]), r["severity"]),
            "table": r["table"], "row": r["row"], "page": r["page"], "line": r["line"],
            "expected_yuan": decimal_text(r["expected_yuan"]), "printed_yuan": decimal_text(r["printed_yuan"]),
            "message": r["message"],
        })
    by_document: dict[str, list[dict[str, str]]] = {}
    for (graph, _), row in found.items():
        if iris.is_document_graph(graph):
            by_document.setdefault(iris.graph_to_document_id(graph), []).append(row)
    return by_document


def decimal_text(value: str) -> str:
    return yuan_to_text(Decimal(value)) if value else ""


# --- SHACL -------------------------------------------------------------------------------

@functools.cache
def shapes_and_ontology() -> tuple[Graph, Graph]:
    return Graph().parse(SHAPES_TTL, format="turtle"), Graph().parse(ONTOLOGY_TTL, format="turtle")


def short(node: object, graph: Graph) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except ValueError:
            return str(node)
    return text(node)


def shacl_rows(document: str, organization: str, year: int | None, data: Graph) -> tuple[bool, list[dict[str, str]]]:
    """pyshacl against ontology/shapes.ttl, the ontology mixed in (so sh:class sees subclasses)."""
    from pyshacl import validate  # loaded only when validating

    shapes, ontology = shapes_and_ontology()
    conforms, results, _ = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                    allow_warnings=False)
    for prefix, namespace in T.PREFIXES.items():
        results.bind(prefix, namespace)
    rows = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        path, value = results.value(r, SH.resultPath), results.value(r, SH.value)
        message = results.value(r, SH.resultMessage) or short(results.value(r, SH.sourceConstraintComponent), results)
        detail = f"{short(path, results)}: {message}" if path is not None else str(message)
        if value is not None:
            detail += f" (value {short(value, results)})"
        rows.append({
            "document": document, "organization": organization, "year": text(year), "check": SHACL_CHECK,
            "severity": SEVERITY_OF.get(results.value(r, SH.resultSeverity), "violation"), "table": "",
            "row": str(results.value(r, SH.focusNode)), "page": "", "line": "", "expected_yuan": "",
            "printed_yuan": "", "message": detail,
        })
    return bool(conforms), rows


# --- entry points ------------------------------------------------------------------------------

def validate_store(store: GraphStore, *, shacl: bool = True, jobs: int = 1,
                   on_document: DocumentProgress | None = None) -> ValidationReport:
    """Every document graph of ``store`` (embedded or remote): its findings from one query
    (FINDINGS_QUERY) and, with ``shacl``, the SHACL report of its graph as fetched through the
    store interface (``GraphStore.dump``), in ``jobs`` worker processes. A store that cannot be
    read is an error (exit 2)."""
    report = ValidationReport()
    try:
        findings = store_findings(store)
        documents = store.documents()
        for doc in documents:
            report.documents.append(DocumentReport(
                doc.document_id, doc.organization or "", doc.year,
                [{"document": doc.document_id, "organization": doc.organization or "", "year": text(doc.year), **row}
                 for row in findings.get(doc.document_id, [])]))
        if shacl:
            graphs = ((doc, store.dump(ox.RdfFormat.TURTLE, doc.document)) for doc in list(report.documents))
            for done, (doc, outcome) in enumerate(shacl_in_workers(graphs, jobs), 1):
                if isinstance(outcome, str):
                    report.errors.append((doc.document, f"cannot validate: {outcome}"))
                    report.documents.remove(doc)
                else:
                    doc.shacl_conforms, shacl_results = outcome
                    doc.rows += shacl_results
                if on_document:
                    on_document(doc.document, done, len(documents))
        elif on_document:
            for done, doc in enumerate(report.documents, 1):
                on_document(doc.document, done, len(documents))
        for doc in report.documents:
            doc.rows = sort_rows(doc.rows)
    except StoreError as err:
        return store_failed(store.describe(), err, report)
    return report


ShaclOutcome = tuple[bool, list[dict[str, str]]] | str  # the verdict and rows, or why it failed


def shacl_of_turtle(doc: DocumentReport, data: bytes) -> ShaclOutcome:
    """One document's graph (Turtle) through SHACL; for worker processes, so it never raises."""
    try:
        return shacl_rows(doc.document, doc.organization, doc.year, Graph().parse(data=data, format="turtle"))
    except Exception as err:  # noqa: BLE001 - one graph pyshacl cannot handle must not stop the rest
        return f"{type(err).__name__}: {err}"


def shacl_in_workers(graphs: Iterator[tuple[DocumentReport, bytes]],
                     jobs: int) -> Iterator[tuple[DocumentReport, ShaclOutcome]]:
    """SHACL over each (document, Turtle) in order; in ``jobs`` processes when more than one.
    Graphs are fetched only PREFETCH_PER_JOB per worker ahead of the results."""
    if jobs <= 1:
        for doc, data in graphs:
            yield doc, shacl_of_turtle(doc, data)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[tuple[DocumentReport, Future[ShaclOutcome]]] = deque()
        for doc, data in graphs:
            pending.append((doc, pool.submit(shacl_of_turtle, doc, data)))
            if len(pending) >= jobs * PREFETCH_PER_JOB:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


def store_failed(location: str, err: StoreError, report: ValidationReport | None = None) -> ValidationReport:
    """``report`` (or a new one) with the store error, its location said once: the error's own
    message usually starts with it ('kg: no store here yet'), the CLI prints 'location: reason'."""
    report = report or ValidationReport()
    report.errors.append((location, str(err).removeprefix(f"{location}: ")))
    return report


def ingest_error_reason(err: IngestError) -> str:
    """'no such file' rather than the generic 'cannot be ingested (no such file)'."""
    if type(err) is IngestError and err.detail:
        return err.detail
    return err.reason + (f" ({err.detail})" if err.detail else "")


def validate_files(paths: Iterable[str], *, shacl: bool = True,
                   on_document: DocumentProgress | None = None) -> ValidationReport:
    """Files read and parsed here, no store: their findings and the SHACL report of their graphs.
    A file that cannot be read or parsed is an error (exit 2); the others are still validated."""
    from budgetkg.ingest.pipeline import expand_paths, parse_file

    report = ValidationReport()
    files = expand_paths(paths)
    for done, path in enumerate(files, 1):
        try:
            parsed = parse_file(path)
        except IngestError as err:
            report.errors.append((path, ingest_error_reason(err)))
            continue
        except Exception as err:  # noqa: BLE001 - a bad file must never stop the run
            report.errors.append((path, f"unexpected error: {type(err).__name__}: {err}"))
            continue
        d = parsed.disclosure
        doc = DocumentReport(parsed.document_id, d.organization.name, d.fiscal_year,
                             [finding_to_row(parsed.document_id, d, f) for f in d.findings])
        if shacl:
            doc.shacl_conforms, shacl_results = shacl_rows(parsed.document_id, doc.organization, doc.year,
                                                           parsed.graph)
            doc.rows += shacl_results
        doc.rows = sort_rows(doc.rows)
        report.documents.append(doc)
        if on_document:
            on_document(parsed.document_id, done, len(files))
    return report
