"""The front door of ingest: a file in, a parsed disclosure and its triples out, one file
or many in worker processes. Nothing here knows about stores; ``budgetkg.api`` writes
what comes out.

>>> parsed = parse_file("examples/administrative-approval-bureau-2025.txt")  # doctest: +SKIP
>>> parsed.disclosure.organization.name  # doctest: +SKIP
'山西转型综合改革示范区行政审批局'
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import partial
from multiprocessing.managers import SyncManager
from pathlib import Path
from queue import Empty, Queue

from rdflib import Graph, Literal

from budgetkg.ingest.disclosure import document_to_disclosure
from budgetkg.ingest.errors import IngestError, UnsupportedFile
from budgetkg.ingest.limits import check_values
from budgetkg.ingest.mapping import Triple, disclosure_to_triples, triples_to_graph
from budgetkg.ingest.model import Document, Provenance
from budgetkg.ingest.records import Disclosure, Finding
from budgetkg.ingest.text_reader import read_text

TEXT_SUFFIXES = (".txt", ".md")
PDF_SUFFIXES = (".pdf",)
SUFFIXES = TEXT_SUFFIXES + PDF_SUFFIXES
# The finding stored for each part of a file the reader could not read (a damaged PDF page or
# object); not a reconciliation check (ingest.reconcile.CHECKS), a reading one.
READ_LOSS_CHECK = "unreadable_content"
# Table titles and sheet names are cut to this many characters when a loss says what its page held.
LOSS_CONTEXT_TITLE_CHARS = 16
# Linux prctl option: the signal a process gets when its parent dies (<linux/prctl.h>).
PR_SET_PDEATHSIG = 1
# How often a worker without prctl looks whether its parent is still there, in seconds.
ORPHAN_POLL_SECONDS = 1.0


@dataclass(slots=True)
class Parsed:
    """One file read, parsed and mapped, ready for the store."""

    path: str
    document_id: str
    disclosure: Disclosure
    triples: set[Triple]
    # What the reader could not read (damaged PDF pages or objects), one line each; each is
    # also a finding (READ_LOSS_CHECK) in the graph. Empty: the file was read whole.
    losses: list[str] = field(default_factory=list)

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
    return read_document_with_losses(path, progress)[0]


def read_document_with_losses(
    path: str, progress: Callable[[int, int], None] | None = None
) -> tuple[Document, list[Finding]]:
    """The file's Document, and a finding for each part of it that could not be read."""
    suffix = Path(path).suffix.lower()
    if not Path(path).is_file():  # a FIFO or a device is refused unread: reading it could block forever
        raise IngestError(path, "not a regular file" if Path(path).exists() else "no such file")
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # bytes in the name that are not UTF-8 (a GBK name) are kept as surrogates
        raise IngestError(path, "the file name is not UTF-8 (GBK?): rename it, e.g. convmv -f gbk -t utf8") from None
    if suffix in TEXT_SUFFIXES:
        return read_text(path), []
    if suffix in PDF_SUFFIXES:
        from budgetkg.ingest.pdf_reader import read_pdf_with_losses  # pdfplumber is loaded only for PDFs

        document, losses = read_pdf_with_losses(path, progress=progress)
        return document, [Finding(READ_LOSS_CHECK, "warning", loss.message(), Provenance(path, loss.page))
                          for loss in losses]
    raise UnsupportedFile(path)


def parse_file(path: str, progress: Callable[[int, int], None] | None = None) -> Parsed:
    """Read, parse and map one file. Raises IngestError with a one-line reason (TooLarge for a
    value over ``ingest.limits.MAX_FIELD_CHARS``)."""
    document, losses = read_document_with_losses(path, progress)
    disclosure = document_to_disclosure(document)
    losses = [replace(loss, message=f"{loss.message} ({on_page(disclosure, loss.prov.page)})")
              if loss.prov is not None and loss.prov.page is not None else loss for loss in losses]
    disclosure.findings += losses
    triples = disclosure_to_triples(disclosure, document_id(path))
    check_values(path, (str(o) for _, _, o in triples if isinstance(o, Literal)))
    return Parsed(path, document_id(path), disclosure, triples, [f.message for f in losses])


def on_page(disclosure: Disclosure, page: int) -> str:
    """What was read of a page that lost something: the tables with rows on it and the project
    sheets it is part of (their rows, fields or indicators may be the ones lost), or that there
    are none (tests/test_damaged_pdfs.py)."""
    parts = []
    for table in disclosure.tables.values():
        rows = [row for row in table.rows if row.prov.page == page]
        if rows:
            parts.append(f"表{table.number} {table.title[:LOSS_CONTEXT_TITLE_CHARS]}: {len(rows)} rows read")
    starts = sorted((sheet.prov.page or 0, sheet.index, sheet.name) for sheet in disclosure.sheets)
    for n, (start, index, name) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else start
        if start <= page <= max(start, end):
            parts.append(f"项目支出绩效目标表 {index + 1} {name[:LOSS_CONTEXT_TITLE_CHARS]}")
    return "on it: " + "; ".join(parts) if parts else "no table row or project sheet was read on it"


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
    Workers (and the queue's manager process) die with this process, however it ends
    (:func:`die_with_parent`). A worker that dies itself (killed, out of memory) breaks the
    pool: the files it left unfinished are parsed again one at a time, each in a process of
    its own, so the file that kills its parser is named and the others are still parsed.
    """
    unfinished: list[str] = []
    with ExitStack() as stack:
        parent = os.getpid()
        pool = stack.enter_context(ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent,
                                                       initargs=(parent,)))
        queue = None
        if on_page:
            manager = SyncManager()
            manager.start(die_with_parent, (parent,))
            stack.enter_context(manager)
            queue = manager.Queue()
        reporter = partial(put_page, queue) if queue is not None else None
        futures: dict[Future, str] = {}
        for index, path in enumerate(files):
            try:
                futures[pool.submit(parse_file_safely, path, reporter)] = path
            except BrokenProcessPool:  # a worker died before every file was handed out
                unfinished.extend(files[index:])
                break
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            drain_pages(queue, on_page)
            for future in done:
                try:
                    yield future.result()
                except BrokenProcessPool:
                    unfinished.append(futures[future])
        drain_pages(queue, on_page)
    for path in unfinished:
        yield parse_in_own_process(path)


def parse_in_own_process(path: str) -> Parsed | tuple[str, str]:
    """Parse one file in a worker process of its own: (path, reason) if that process dies."""
    with ProcessPoolExecutor(max_workers=1, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        try:
            return pool.submit(parse_file_safely, path).result()
        except BrokenProcessPool:
            return (path, "the parsing process died on this file (killed, or out of memory)")


def die_with_parent_preexec() -> Callable[[], None] | None:
    """A ``preexec_fn`` for ``subprocess`` / ``asyncio`` children (engines, servers) that makes the
    kernel SIGKILL the child when the thread that started it ends (Linux; None elsewhere): also when
    this process is killed, so no Python cleanup runs. libc is looked up here, before the fork,
    not in the child."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def preexec() -> None:
        if prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this process when ``parent`` ends, so that a killed ingest
    leaves no orphan. Linux: the kernel sends SIGKILL (prctl PR_SET_PDEATHSIG); elsewhere a
    daemon thread polls the parent id every ORPHAN_POLL_SECONDS."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(ORPHAN_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="budgetkg-orphan-watch").start()


def put_page(queue: Queue, path: str, done: int, total: int) -> None:
    queue.put((path, done, total))


def drain_pages(queue: Queue | None, on_page: PageProgress | None) -> None:
    while queue is not None and on_page is not None:
        try:
            on_page(*queue.get_nowait())
        except Empty:
            return


