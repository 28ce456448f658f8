"""The library behind the command line: ingest files, run queries, export. Every function
takes a store: a handle from ``budgetkg.open(path | endpoint)`` (left open), or a path
(opened and closed by the call).

>>> from budgetkg import api
>>> report = api.ingest(["examples/"], store_path="/tmp/budgetkg-doctest")  # doctest: +SKIP
>>> api.query("projects-citing", {"policy": "晋综示发(2020)49号"}, store_path="/tmp/budgetkg-doctest")  # doctest: +SKIP
"""
from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

# Names imported "as" themselves are re-exported: the ingest front door (reading and parsing a file is
# part of the library's API) and what the command line needs, so that it talks to this module only.
from budgetkg import dataset, derive
from budgetkg import refs as refs
from budgetkg.exit_codes import Exit as Exit
from budgetkg.graph_store import GraphStore, QueryRejected, StoredDocument, StoreError
from budgetkg.graph_store.embedded import STORE_ENV as STORE_ENV
from budgetkg.graph_store.embedded import EvaluationFailed, default_store_path
from budgetkg.graph_store.embedded import StoreUnreadable as StoreUnreadable
from budgetkg.graph_store.remote import AUTH_ENV as AUTH_ENV
from budgetkg.graph_store.remote import ENDPOINT_ENV as ENDPOINT_ENV
from budgetkg.graph_store.remote import GRAPH_STORE_ENDPOINT_ENV as GRAPH_STORE_ENDPOINT_ENV
from budgetkg.graph_store.remote import PASSWORD_ENV as PASSWORD_ENV
from budgetkg.graph_store.remote import UPDATE_ENDPOINT_ENV as UPDATE_ENDPOINT_ENV
from budgetkg.graph_store.remote import USER_ENV as USER_ENV
from budgetkg.graph_store.remote import Endpoint as Endpoint
from budgetkg.ingest.errors import IngestError as IngestError
from budgetkg.ingest.pipeline import PDF_SUFFIXES as PDF_SUFFIXES
from budgetkg.ingest.pipeline import SUFFIXES as SUFFIXES
from budgetkg.ingest.pipeline import TEXT_SUFFIXES as TEXT_SUFFIXES
from budgetkg.ingest.pipeline import PageProgress as PageProgress
from budgetkg.ingest.pipeline import Parsed as Parsed
from budgetkg.ingest.pipeline import document_id as document_id
from budgetkg.ingest.pipeline import expand_paths as expand_paths
from budgetkg.ingest.pipeline import parse_file as parse_file
from budgetkg.ingest.pipeline import parse_file_safely as parse_file_safely
from budgetkg.ingest.pipeline import parse_in_workers as parse_in_workers
from budgetkg.ingest.pipeline import read_document as read_document
from budgetkg.ontology import iris
from budgetkg.ontology.terms import PREFIXES
from budgetkg.queries import NamedQuery, bind, named_query
from budgetkg.queries import QueryError as QueryError
from budgetkg.queries import load_named_queries as load_named_queries
from budgetkg.queries.deadline import DEFAULT_TIMEOUT_S as DEFAULT_TIMEOUT_S
from budgetkg.queries.deadline import call_with_deadline
from budgetkg.queries.deadline import check_timeout as check_timeout
from budgetkg.queries.deadline import timed_out as timed_out
from budgetkg.queries.named_queries import QueryFailed as QueryFailed
from budgetkg.queries.named_queries import QueryTimeout as QueryTimeout
from budgetkg.queries.named_queries import params_from_pairs as params_from_pairs
from budgetkg.queries.named_queries import rq_to_named_query, shown
from budgetkg.queries.results import FORMATS as FORMATS
from budgetkg.queries.results import Result
from budgetkg.queries.results import format_result as format_result
from budgetkg.queries.results import rows_to_result as rows_to_result
from budgetkg.queries.scope import SCOPE_MAX_SELECTED, Scope, scope_query, with_dataset, with_values
from budgetkg.store import Database, RepairReport, StoreArg, begin_change, end_change, open_store, using
from budgetkg.store import repair as repair_store

if TYPE_CHECKING:
    from budgetkg.policies import PolicyReport, TitleConflict, UnknownIssuer
    from budgetkg.validation import ValidationReport
    from budgetkg.web.server import Served

# A store error quoted in a "store write failed" line is cut to this many characters.
STORE_ERROR_CHARS = 160
# Permissions of a new output file, before the umask (as open() gives).
NEW_FILE_MODE = 0o666
# A query whose store read fails (a file compacted away under it by a concurrent writer) is tried this often.
READ_ATTEMPTS = 2
EXPORT_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


@dataclass(slots=True)
class IngestReport:
    ingested: list[tuple[str, str, int]] = field(default_factory=list)  # path, document id, triples
    failed: list[tuple[str, str]] = field(default_factory=list)  # path, reason
    # Files ingested with losses (pages or objects the reader could not read): path, one line each.
    losses: list[tuple[str, list[str]]] = field(default_factory=list)
    # Documents in the store that are sources of one disclosure (organization, year):
    # a text extraction next to its PDF, say. They describe one disclosure IRI, so its rows are stored once.
    same_disclosure: list[tuple[str, int, list[str]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def same_disclosure_documents(documents: list[StoredDocument]) -> list[tuple[str, int, list[str]]]:
    """(organization, year, document ids) for every disclosure stored from more than one file
    (a 部门 and a 单位 disclosure of one organization and year are two disclosures, not one)."""
    by_disclosure: dict[tuple[str, int, str], list[str]] = {}
    for doc in documents:
        if doc.organization and doc.year:
            by_disclosure.setdefault((doc.organization, doc.year, doc.kind or ""), []).append(doc.document_id)
    return [(org, year, ids) for (org, year, _), ids in sorted(by_disclosure.items()) if len(ids) > 1]


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store_path: StoreArg = None,
    *,
    jobs: int = 1,
    on_file: Callable[[str, str | None], None] | None = None,
    on_page: PageProgress | None = None,
    endpoint: Endpoint | None = None,
    scheduler: object | None = None,
) -> IngestReport:
    """Ingest files/folders into the store; each file replaces its own named graph.

    Parsing may run in ``jobs`` worker processes; one writer (this process) stores.
    ``on_file(path, error_or_None)`` is called as each file finishes, and
    ``on_page(path, pages_done, pages_total)`` as each PDF page is read.
    With ``endpoint``, the graphs go to that remote SPARQL store instead of ``store_path``.
    With ``scheduler`` (a Dask scheduler address or cluster), files are parsed on that cluster
    and, with ``endpoint``, each worker writes its own document graph (``budgetkg.distributed``).

    A file that cannot be read, parsed or written is reported in ``failed`` and the files
    after it are still ingested. The derived graphs are marked pending before the first
    document graph is written and cleared once they are recomputed (``budgetkg.store``), so a
    run killed in between is finished by the next command that opens the store.
    """
    files = expand_paths(paths)
    report = IngestReport()
    # Closed on the way out (unless it is the caller's handle): an embedded store holds its
    # directory lock until released.
    with using(store_path, endpoint) as store:
        store.ensure_ontology()

        def store_one(result: Parsed | tuple[str, str]) -> None:
            if isinstance(result, tuple):
                report.failed.append(result)
                if on_file:
                    on_file(result[0], result[1])
                return
            try:
                begin_change(store)
                n = store.replace_graph(iris.graph(result.document_id), result.triples)
            except Exception as err:  # noqa: BLE001 - this document only: the files after it still go in
                reason = f"store write failed: {' '.join(str(err).split())[:STORE_ERROR_CHARS]}"
                report.failed.append((result.path, reason))
                if on_file:
                    on_file(result.path, reason)
                return
            report.ingested.append((result.path, result.document_id, n))
            if result.losses:
                report.losses.append((result.path, result.losses))
            if on_file:
                on_file(result.path, None)

        if scheduler is not None:  # parsed on a Dask cluster; with an endpoint, written by the workers
            from budgetkg.distributed import Written, parse_on_cluster

            for result in parse_on_cluster(files, scheduler, endpoint):
                if isinstance(result, Written):
                    report.ingested.append((result.path, result.document_id, result.triples))
                    if on_file:
                        on_file(result.path, None)
                else:
                    store_one(result)
        elif jobs > 1 and len(files) > 1:
            for result in parse_in_workers(files, jobs, on_page):
                store_one(result)
        else:
            for path in files:
                store_one(parse_file_safely(path, on_page))
        if report.ingested:
            derive.update(store, [doc_id for _, doc_id, _ in report.ingested])  # what these documents touch
            dataset.record_ingests(store)
            ingested = {doc_id for _, doc_id, _ in report.ingested}
            report.same_disclosure = [entry for entry in same_disclosure_documents(store.documents())
                                      if ingested & set(entry[2])]
            end_change(store)
        store.flush()
    return report


def resolve_query(query: str) -> NamedQuery:
    """A named query, a .rq file, or inline SPARQL text."""
    if query.endswith(".rq"):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"{shown(query)}: {'not a regular file' if path.exists() else 'no such query file'}")
        try:
            return rq_to_named_query(path.stem, path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise QueryError(f"{shown(query)}: not UTF-8 text") from None
        except OSError as err:
            raise QueryError(f"{shown(query)}: cannot read it ({err.strerror})") from None
    try:
        query.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(f"the query text is not valid UTF-8: {shown(query)}") from None
    if not any(ch.isspace() for ch in query.strip()):
        return named_query(query)
    return rq_to_named_query("inline", query)


def check_query_limits(name: str, sparql: str) -> None:
    """QueryError unless ``sparql`` is within the size and bracket-depth limits, checked before any
    engine or parser sees it (a query nested a few thousand deep overflows Oxigraph's stack)."""
    from budgetkg.queries.protect import Refused, check_size_and_depth

    try:
        check_size_and_depth(sparql)
    except Refused as err:
        raise QueryError(f"{name}: {err}") from None


def query(query_text: str, params: dict[str, str] | None = None, store_path: StoreArg = None, *,
          endpoint: Endpoint | None = None, store: Database | None = None, timeout: float | None = None,
          scoped: bool = True) -> Result:
    """Run a named query, .rq file or SPARQL text over the union of all graphs.

    The bound query is checked against the size and nesting limits first (QueryError). With
    ``timeout`` (seconds) it runs in a child process killed at the deadline (QueryTimeout; see
    ``budgetkg.queries.deadline``); without, in this process, however long it takes. A SERVICE
    call that fails gives QueryFailed; a store that cannot be read, StoreError.

    A named query with a ``# scope:`` header runs over just the document graphs its parameters
    select (``budgetkg.queries.scope``); ``scoped=False`` runs it over every graph (the same rows,
    more work: the tests compare the two).
    """
    q = resolve_query(query_text)
    sparql = bind(q, params or {})
    check_query_limits(q.name, sparql)
    scope = scope_query(q, params or {}) if scoped else None
    target: StoreArg = store or store_path
    if timeout is None:
        return _select(q.name, sparql, target, endpoint, scope)
    if isinstance(target, Database):  # the child opens its own handle on the same store
        graph_store = target.graph_store
        target, endpoint = getattr(graph_store, "path", None), getattr(graph_store, "endpoint", endpoint)
    return call_with_deadline(partial(_select, q.name, sparql, target, endpoint, scope), timeout)


def narrow(graph_store: GraphStore, sparql: str, scope: Scope) -> str:
    """``sparql`` narrowed to what its scope query selects (``budgetkg.queries.scope``): over
    the selected document graphs and budgetkg's own, or with the selected values bound;
    unchanged when the selection is too large to be worth it."""
    selected = [row[0].value for row in graph_store.select(scope.select).rows if row[0] is not None]
    if len(selected) > SCOPE_MAX_SELECTED:
        return sparql
    if scope.variable:
        return with_values(sparql, scope.variable, selected)
    # budgetkg's own graphs by name, not listed from the store (a remote engine lists graphs
    # by scanning every quad: 1.4 s at a million triples on Virtuoso)
    own = [str(g) for g in (iris.ONTOLOGY_GRAPH, iris.CATALOG_GRAPH, *derive.derived_graphs())]
    return with_dataset(sparql, [*selected, *own])


def _select(name: str, sparql: str, target: StoreArg, endpoint: Endpoint | None, scope: Scope | None = None) -> Result:
    """One SELECT (after its scope query, if it has one); a store read that fails (a file
    compacted away under it by a writer) is tried once more on a freshly opened store unless
    the caller holds the handle."""
    for attempt in range(READ_ATTEMPTS):
        try:
            with using(target, endpoint, read_only=True) as graph_store:
                text = narrow(graph_store, sparql, scope) if scope else sparql
                return graph_store.select(text)
        except EvaluationFailed as err:
            raise QueryFailed(f"{name}: {err}") from err
        except QueryRejected as err:
            raise QueryError(f"{name}: {err}") from err
        except StoreUnreadable:
            if attempt + 1 == READ_ATTEMPTS or isinstance(target, Database):
                raise
    raise AssertionError("unreachable")


def documents(store_path: StoreArg = None, *, endpoint: Endpoint | None = None) -> list[StoredDocument]:
    with using(store_path, endpoint, read_only=True) as store:
        return store.documents()


class NotADocument(ValueError):
    """A document id that is not one: not UTF-8, or naming budgetkg's own graphs (exit status 2)."""

    exit_code = Exit.USAGE


def check_document_id(document_id: str, *, deleting: bool = False) -> None:
    """NotADocument unless ``document_id`` is UTF-8 text and, when ``deleting``, names a document
    graph: the ontology, catalog and derived graphs are budgetkg's own and are never deleted."""
    try:
        document_id.encode("utf-8")
    except UnicodeEncodeError:
        raise NotADocument(f"document id '{shown(document_id)}' is not valid UTF-8 text") from None
    if deleting and not iris.is_document_graph(str(iris.graph(document_id))):
        raise NotADocument(f"{document_id!r} is budgetkg's own graph (the ontology, catalog or derived "
                           "graphs), not a document: not deleted")


def delete_document(document_id: str, store_path: StoreArg = None, *, endpoint: Endpoint | None = None) -> bool:
    """Drop one document's graph and recompute the derived graphs; False if there is none.
    NotADocument for the ontology's or a derived graph's name."""
    check_document_id(document_id, deleting=True)
    with using(store_path, endpoint) as store:
        begin_change(store)
        deleted = store.delete_document(document_id)
        if deleted:
            derive.update(store, [document_id])
            dataset.record_ingests(store)
        end_change(store)
    return deleted


def repair(store_path: StoreArg = None, *, endpoint: Endpoint | None = None) -> RepairReport:
    """Finish whatever a killed ``ingest`` or delete left unfinished and recompute every derived
    graph (on a remote store too, which keeps no record of an interrupted change)."""
    if isinstance(store_path, Database):
        return repair_store(store_path.graph_store, force=True)  # type: ignore[return-value]
    with closing(open_store(store_path, endpoint)) as store:
        return repair_store(store, force=True)  # type: ignore[return-value]


def validate(paths: Iterable[str | os.PathLike[str]] | None = None, store_path: StoreArg = None, *,
             endpoint: Endpoint | None = None, shacl: bool = True, jobs: int = 1,
             on_document: Callable[[str, int, int], None] | None = None) -> ValidationReport:
    """Reconciliation findings and SHACL report: of ``paths`` (read and parsed here, no
    store) if given, else of every document in the store, SHACL in ``jobs`` processes;
    ``on_document(id, done, total)`` after each document. See budgetkg.validation."""
    from budgetkg import validation

    if paths:
        return validation.validate_files([str(p) for p in paths], shacl=shacl, on_document=on_document)
    try:
        with using(store_path, endpoint, read_only=True) as store:
            return validation.validate_store(store, shacl=shacl, jobs=jobs, on_document=on_document)
    except StoreError as err:
        where = store_path.describe() if isinstance(store_path, Database) else (
            endpoint.query if endpoint else str(Path(store_path or default_store_path())))
        return validation.store_failed(where, err)


class OutputError(Exception):
    """An output file that is not written: refused (inside a store, over a file without ``force``,
    into a missing folder: exit status 2) or failed (a full disk: exit status 1)."""

    def __init__(self, message: str, exit_code: int = Exit.USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def store_holding(path: Path, store_path: StoreArg = None) -> Path | None:
    """The store directory ``path`` lies in (the one given, or any Oxigraph store above it: a
    folder with CURRENT and a MANIFEST-* file), or None."""
    given = Path(store_path).resolve() if isinstance(store_path, str | os.PathLike) else None
    for folder in path.parents:
        if folder == given or ((folder / "CURRENT").is_file() and any(folder.glob("MANIFEST-*"))):
            return folder
    return None


def check_output(output: str | os.PathLike[str], *, force: bool = False, store_path: StoreArg = None) -> Path:
    """``output`` resolved, or OutputError: inside a store directory, in a missing folder, a folder,
    or an existing file without ``force`` (a device or FIFO such as /dev/stdout is written in place)."""
    target = Path(output).resolve()
    shown_output = shown(str(output))
    if (store := store_holding(target, store_path)) is not None:
        raise OutputError(f"{shown_output}: inside the store directory {shown(str(store))}; write it elsewhere")
    if not target.parent.is_dir():
        raise OutputError(f"{shown_output}: no such folder {shown(str(target.parent))}")
    if target.is_dir():
        raise OutputError(f"{shown_output}: is a folder")
    if target.is_file() and not force:
        raise OutputError(f"{shown_output}: already exists; give --force to overwrite it")
    return target


def write_file(data: bytes, output: str | os.PathLike[str], *, force: bool = False,
               store_path: StoreArg = None) -> Path:
    """Write ``data`` to ``output`` (an export, say) if ``check_output`` allows; a regular file is
    written to a temporary file beside it and renamed, so a full disk leaves the old file (or
    none) rather than half a file. OutputError."""
    target = check_output(output, force=force, store_path=store_path)
    shown_output = shown(str(output))
    if target.exists() and not target.is_file():  # a device or FIFO (/dev/stdout): written in place
        return _write(target, data, shown_output)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        _write(Path(tmp), data, shown_output)
        os.chmod(tmp, stat.S_IMODE(target.stat().st_mode) if target.exists() else NEW_FILE_MODE & ~_umask())
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _write(path: Path, data: bytes, shown_output: str) -> Path:
    try:
        with open(path, "wb") as fh:
            fh.write(data)
            fh.flush()
            if path.is_file():
                os.fsync(fh.fileno())
    except OSError as err:
        raise OutputError(f"{shown_output}: cannot write it ({err.strerror or err})", Exit.FAILED) from err
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def export(fmt: str = "turtle", document_id: str | None = None, store_path: StoreArg = None, *,
           endpoint: Endpoint | None = None) -> bytes:
    """The store (or one document's graph) in ``fmt``, followed by its DCAT / VoID description
    (``budgetkg.dataset``: sources, counts, rights, ingest dates); in TriG and N-Quads the
    description is in the catalog graph (``iris.CATALOG_GRAPH``)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
    if document_id is not None:
        check_document_id(document_id)
    rdf_format = EXPORT_FORMATS[fmt]
    with using(store_path, endpoint, read_only=True) as store:
        data = store.dump(rdf_format, document_id, prefixes=PREFIXES)
        scope = str(iris.graph(document_id)) if document_id is not None else None
        described = dataset.description(store.select, scope)
    return data + b"\n" + dataset.serialise(described, rdf_format, PREFIXES)


# --- cited documents (issue 3; the work is done in budgetkg.policies) ----------------------------


def policy(ref: str, store_path: StoreArg = None, *, endpoint: Endpoint | None = None) -> list[PolicyReport]:
    """The documents ``ref`` names (a 文号 in any written variant, or a title or part of one), each
    with its forms as written, issuer, relations and every citing project; [] if none."""
    from budgetkg import policies

    with using(store_path, endpoint, read_only=True) as store:
        return [policies.policy_report(store.select, p) for p in policies.find_documents(store.select, ref)]


def unknown_issuers(store_path: StoreArg = None, *, endpoint: Endpoint | None = None) -> list[UnknownIssuer]:
    """Citations of 文号 whose 机关代字 is not in the issuer registry, with where they were cited."""
    from budgetkg import policies

    with using(store_path, endpoint, read_only=True) as store:
        return policies.unknown_issuers(store.select)


def title_conflicts(store_path: StoreArg = None, *, endpoint: Endpoint | None = None) -> list[TitleConflict]:
    """Titles cited with two or more different 文号."""
    from budgetkg import policies

    with using(store_path, endpoint, read_only=True) as store:
        return policies.title_conflicts(store.select)


# --- serving and inspecting (loaded on use: the server and pdfplumber are not needed otherwise) ----


def parse_bind(bind: str) -> tuple[str, int, bool]:
    """``HOST:PORT`` -> (host, port, is loopback)."""
    from budgetkg.web.server import parse_bind as parse

    return parse(bind)


def serve(store_path: str, bind: str, *, writable: bool = False, allow_service: bool = False,
          timeout_s: float = 30.0, workers: int = 2, sources: str | None = None,
          on_ready: Callable[[Served], None] | None = None, on_output: Callable[[str], None] | None = None) -> int:
    """Serve the store as a web app and a protected SPARQL endpoint (``budgetkg.web``) until stopped;
    its exit status. Read-only unless ``writable``; see budgetkg/web/server.py."""
    from budgetkg.web.app import Settings
    from budgetkg.web.server import serve as run_server

    settings = Settings(store_path, writable=writable, allow_service=allow_service, timeout_s=timeout_s,
                        workers=workers, sources=Path(sources) if sources else None)
    return run_server(settings, bind, on_ready=on_ready, on_output=on_output)


def inspect_page(pdf: str, page_no: int, png: str | None = None) -> str:
    """What the PDF reader saw on one page (blocks and table cells); with ``png``, also write
    pdfplumber's table-finder debug image there."""
    from budgetkg.ingest.pdf_reader import debug_png
    from budgetkg.ingest.pdf_reader import inspect_page as inspect

    text = inspect(pdf, page_no)
    if png:
        debug_png(pdf, page_no, png)
    return text
