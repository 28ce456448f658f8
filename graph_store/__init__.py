"""Where the graph lives: the embedded Oxigraph store on disk, or a remote SPARQL endpoint.

``open_store`` is the one way the library opens a store; both backends follow
``graph_store.base.GraphStore``.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from budgetkg.graph_store.base import GraphStore, QueryRejected, StoredDocument, StoreError

if TYPE_CHECKING:
    from budgetkg.graph_store.remote import Endpoint

__all__ = ["GraphStore", "QueryRejected", "StoreError", "StoredDocument", "open_store"]


def open_store(store_path: str | os.PathLike[str] | None = None, endpoint: Endpoint | None = None, *,
               read_only: bool = False) -> GraphStore:
    """The remote store at ``endpoint`` (a graph_store.remote.Endpoint) if given, else the
    embedded store in ``store_path`` (default: $BUDGETKG_STORE, else ./budgetkg-data)."""
    if endpoint is not None:
        from budgetkg.graph_store.remote import RemoteStore

        return RemoteStore(endpoint)
    from budgetkg.graph_store.embedded import EmbeddedStore

    return EmbeddedStore(store_path, read_only=read_only)
