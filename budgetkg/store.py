"""One handle on a store, embedded (a directory) or remote (a SPARQL endpoint), in the
manner of sqlite-utils' ``Database``: open it once, pass it to every ``budgetkg.api``
function, close it (or use it as a context manager) when done.

>>> import budgetkg
>>> with budgetkg.open("/tmp/budgetkg-doctest-store") as db:  # doctest: +SKIP
...     budgetkg.api.ingest(["examples/"], db)
...     budgetkg.api.query("organizations", store=db)

A function given a path (or nothing: $BUDGETKG_STORE, else ./budgetkg-data) instead of a
handle opens the store itself and closes it before it returns.

Opening an embedded store finishes what a killed process left unfinished (see
``graph_store.embedded``: the state file): a graph it was bulk-loading is removed and the
derived graphs are recomputed, before anything is read. A read-only open does that by
opening the store for writing first; when another process holds it (an ingest running),
the read is refused with one line rather than answered from half-derived graphs. A remote
store keeps no such state: after a crash there, run ``budgetkg repair --endpoint …``.
"""
from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from budgetkg.graph_store import GraphStore, StoreError, open_store
from budgetkg.graph_store.embedded import EmbeddedStore, StoreState, default_store_path, read_state

if TYPE_CHECKING:
    from budgetkg.graph_store.remote import Endpoint

# A reader whose store began a change while it was opening it opens it again, this many times
# in all, READ_RETRY_SECONDS apart, before it gives up.
READ_OPEN_ATTEMPTS = 5
READ_RETRY_SECONDS = 0.2
# RocksDB's words when another process holds the store's write lock ("While lock file: …/LOCK").
LOCKED_MESSAGE = re.compile(r"\block\b", re.IGNORECASE)


@dataclass(slots=True)
class RepairReport:
    """What ``repair`` found and did."""

    pending: bool  # a change had been interrupted (the derived graphs were stale)
    dropped: str | None = None  # a graph left half-loaded, removed
    derived: dict[str, int] = field(default_factory=dict)  # derived graph -> triples, as recomputed


def repair(graph_store: GraphStore, *, force: bool = False) -> RepairReport | None:
    """Finish an interrupted change of ``graph_store``: remove the graph it left half-loaded and
    recompute every derived graph (``budgetkg.derive.refresh``) and the catalog of ingested
    files (``budgetkg.dataset.record_ingests``). With ``force`` (the
    ``budgetkg repair`` command, and the only way on a remote store), recompute them even
    when nothing is marked pending. None when there was nothing to do."""
    from budgetkg import dataset, derive

    embedded = graph_store if isinstance(graph_store, EmbeddedStore) else None
    state = embedded.state() if embedded else StoreState()
    pending = state.pending or state.writing is not None
    if not (pending or force):
        return None
    report = RepairReport(pending)
    if embedded:
        embedded.begin_change()
        report.dropped = embedded.drop_unfinished_graph()
    report.derived = derive.refresh(graph_store)  # type: ignore[arg-type]
    dataset.record_ingests(graph_store)
    if embedded:
        embedded.end_change()
    graph_store.flush()
    return report


def begin_change(graph_store: GraphStore) -> None:
    """Before a document graph is written or dropped: the derived graphs are pending."""
    if isinstance(graph_store, EmbeddedStore):
        graph_store.begin_change()


def end_change(graph_store: GraphStore) -> None:
    """After the derived graphs are written: the store is whole again."""
    if isinstance(graph_store, EmbeddedStore):
        graph_store.end_change()


def open_checked(target: str | os.PathLike[str] | None = None, endpoint: Endpoint | None = None, *,
                 read_only: bool = False) -> GraphStore:
    """``open_store``, and an interrupted change finished first (see the module's docstring)."""
    if endpoint is not None:
        return open_store(None, endpoint, read_only=read_only)
    path = Path(target or default_store_path())
    if not read_only:
        graph_store = open_store(path)
        try:
            repair(graph_store)
        except BaseException:
            graph_store.close()
            raise
        return graph_store
    for _ in range(READ_OPEN_ATTEMPTS):
        before = read_state(path) if path.is_dir() else StoreState()
        if before.pending or before.writing:
            _repair_for_reader(path)
            continue
        graph_store = open_store(path, read_only=True)
        if read_state(path) == before:
            return graph_store
        graph_store.close()  # a change began meanwhile: what was opened may be half-derived
        time.sleep(READ_RETRY_SECONDS)
    raise StoreError(f"{path}: another budgetkg process keeps changing this store; try again when it has finished")


def _repair_for_reader(path: Path) -> None:
    """A reader found an interrupted or running change: finish it if the store can be opened for writing."""
    try:
        graph_store = open_store(path)
    except StoreError as err:
        if LOCKED_MESSAGE.search(str(err)):
            raise StoreError(f"{path}: another budgetkg process is changing this store and its derived graphs "
                             "are not up to date until it finishes; try again then") from err
        raise StoreError(f"{path}: an interrupted change left the derived graphs stale and the store cannot be "
                         "opened for writing to finish it; run `budgetkg repair`") from err
    with closing(graph_store):
        repair(graph_store)


class Database:
    """An open store. ``target`` is a store directory or an Endpoint; ``read_only`` opens an
    embedded store without its write lock (several readers may share it)."""

    def __init__(self, target: str | os.PathLike[str] | Endpoint | None = None, *, read_only: bool = False) -> None:
        is_path = target is None or isinstance(target, str | os.PathLike)
        self.read_only = read_only
        self.graph_store: GraphStore = (open_checked(target, read_only=read_only) if is_path  # type: ignore[arg-type]
                                        else open_checked(None, target, read_only=read_only))  # type: ignore[arg-type]

    def describe(self) -> str:
        return self.graph_store.describe()

    def close(self) -> None:
        self.graph_store.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open(target: str | os.PathLike[str] | Endpoint | None = None, *, read_only: bool = False) -> Database:  # noqa: A001
    """``budgetkg.open(path | endpoint)``: a handle every ``budgetkg.api`` function accepts."""
    return Database(target, read_only=read_only)


StoreArg = Database | str | os.PathLike[str] | None


@contextmanager
def using(store: StoreArg, endpoint: Endpoint | None = None, *, read_only: bool = False) -> Iterator[GraphStore]:
    """The graph store behind ``store``: a handle's own (left open: its owner closes it), or one
    opened from a path / endpoint for this call and closed when it is done."""
    if isinstance(store, Database):
        yield store.graph_store
        return
    with closing(open_checked(store, endpoint, read_only=read_only)) as graph_store:
        yield graph_store
