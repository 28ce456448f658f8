"""The front door of ingest: a file in, a parsed disclosure and its triples out, one file
or many in worker processes. Nothing here knows about stores; ``budgetkg.api`` writes
what comes out.

>>> parsed = parse_file("examples/administrative-approval-bureau-2025.txt")  # doctest: +SKIP
>>> parsed.disclosure.organization.name  # doctest: +SKIP
'山西转型综合改革示范区行政审批局'
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from queue import Empty, Queue

from rdflib import Graph

from budgetkg.ingest.disclosure import document_to_disclosure
from budgetkg.ingest.errors import IngestError, UnsupportedFile
from budgetkg.ingest.mapping import Triple, disclosure_to_triples, triples_to_graph
from budgetkg.ingest.model import Document
from budgetkg.ingest.records import Disclosure
from budgetkg.ingest.text_reader import read_text

TEXT_SUFFIXES = (".txt", ".md")
PDF_SUFFIXES = (".pdf",)
SUFFIXES = TEXT_SUFFIXES + PDF_SUFFIXES


@dataclass(slots=True)
class Parsed:
    """One file read, parsed and mapped, ready for the store."""

    path: str
    document_id: str
    disclosure: Disclosure
    triples: set[Triple]

    @property
    def graph(self) -> Graph:
        return triples_to_graph(self.triples)


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files as given, folders walked for .pdf/.txt/.md, sorted, each once."""
    found: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(str(p) for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            found.append(str(path))
    return list(dict.fromkeys(found))


def document_id(path: str) -> str:
    """A document is known by its file name (re-ingesting the same name replaces it)."""
    return Path(path).name


def read_document(path: str, progress: Callable[[int, int], None] | None = None) -> Document:
    suffix = Path(path).suffix.lower()
    if not Path(path).is_file():
        raise IngestError(path, "no such file")
    if suffix in TEXT_SUFFIXES:
        return read_text(path)
    if suffix in PDF_SUFFIXES:
        from budgetkg.ingest.pdf_reader import read_pdf  # pdfplumber is loaded only for PDFs

        return read_pdf(path, progress=progress)
    raise UnsupportedFile(path)


def parse_file(path: str, progress: Callable[[int, int], None] | None = None) -> Parsed:
    """Read, parse and map one file. Raises IngestError with a one-line reason."""
    disclosure = document_to_disclosure(read_document(path, progress))
    return Parsed(path, document_id(path), disclosure, disclosure_to_triples(disclosure, document_id(path)))


PageProgress = Callable[[str, int, int], None]  # (path, pages done, pages in the file)


def parse_file_safely(path: str, on_page: PageProgress | None = None) -> Parsed | tuple[str, str]:
    """For worker processes: a Parsed, or (path, reason)."""
    progress = (lambda done, total: on_page(path, done, total)) if on_page else None
    try:
        return parse_file(path, progress)
    except IngestError as err:
        return (path, f"{err.reason}" + (f" ({err.detail})" if err.detail else ""))
    except Exception as err:  # noqa: BLE001 - a bad file must never stop the run
        return (path, f"unexpected error: {type(err).__name__}: {err}")


def parse_in_workers(files: list[str], jobs: int, on_page: PageProgress | None) -> Iterator[Parsed | tuple[str, str]]:
    """Parse files in ``jobs`` processes, yielding each result as it is done.

    Workers report pages through a managed queue, drained here between results,
    so a long PDF shows progress even while it is parsed in another process.
    """
    with ExitStack() as stack:
        pool = stack.enter_context(ProcessPoolExecutor(max_workers=jobs))
        queue = stack.enter_context(multiprocessing.Manager()).Queue() if on_page else None
        reporter = partial(put_page, queue) if queue is not None else None
        pending = {pool.submit(parse_file_safely, path, reporter) for path in files}
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            drain_pages(queue, on_page)
            for future in done:
                yield future.result()
        drain_pages(queue, on_page)


def put_page(queue: Queue, path: str, done: int, total: int) -> None:
    queue.put((path, done, total))


def drain_pages(queue: Queue | None, on_page: PageProgress | None) -> None:
    while queue is not None and on_page is not None:
        try:
            on_page(*queue.get_nowait())
        except Empty:
            return


