"""One handle on a store, embedded (a directory) or remote (a SPARQL endpoint), in the
manner of sqlite-utils' ``Database``: open it once, pass it to every ``budgetkg.api``
function, close it (or use it as a context manager) when done.

>>> import budgetkg
>>> with budgetkg.open("/tmp/budgetkg-doctest-store") as db:  # doctest: +SKIP
...     budgetkg.api.ingest(["examples/"], db)
...     budgetkg.api.query("organizations", store=db)

A function given a path (or nothing: $BUDGETKG_STORE, else ./budgetkg-data) instead of a
handle opens the store itself and closes it before it returns.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import TYPE_CHECKING

from budgetkg.graph_store import GraphStore, open_store

if TYPE_CHECKING:
    from budgetkg.graph_store.remote import Endpoint


class Database:
    """An open store. ``target`` is a store directory or an Endpoint; ``read_only`` opens an
    embedded store without its write lock (several readers may share it)."""

    def __init__(self, target: str | os.PathLike[str] | Endpoint | None = None, *, read_only: bool = False) -> None:
        is_path = target is None or isinstance(target, str | os.PathLike)
        self.read_only = read_only
        self.graph_store: GraphStore = (open_store(target, read_only=read_only) if is_path  # type: ignore[arg-type]
                                        else open_store(None, target, read_only=read_only))  # type: ignore[arg-type]

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
    with closing(open_store(store, endpoint, read_only=read_only)) as graph_store:
        yield graph_store
