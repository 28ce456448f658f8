"""Parsing on a Dask distributed cluster: ``budgetkg ingest --scheduler tcp://HOST:PORT PATH...``.

Each file is read and parsed on a worker of the cluster (``distributed``, the package of
Dask's scheduler and workers; the ``cluster`` extra). Where the graphs go:

- into an **embedded store** (``--store``): a worker returns the parsed triples and this
  process, the one writer a store directory allows, writes each document graph all or nothing,
  as a local ingest does;
- into a **remote engine** (``--endpoint`` with a Graph Store endpoint): each worker writes its
  document graph straight to the engine with one Graph Store ``PUT`` (atomic per graph on
  Oxigraph and Virtuoso), and only the outcome travels back.

The derived cross-document graphs are computed once, here, after the last document graph
(``budgetkg.derive``). Credentials never travel to the workers: each reads
``BUDGETKG_ENDPOINT_USER`` / ``BUDGETKG_ENDPOINT_PASSWORD`` from its own environment.

The files are named to the workers by path, so every worker must see them at the same path
(a shared file system, or the same checkout on every machine). ``scheduler`` is an address
(``tcp://10.0.0.5:8786``) or, for tests and one-machine runs, a ``distributed.LocalCluster``.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from budgetkg.graph_store.remote import PASSWORD_ENV, USER_ENV, Endpoint
from budgetkg.ingest.pipeline import Parsed, parse_file_safely
from budgetkg.ontology import iris

if TYPE_CHECKING:
    from distributed import Client

# How much of a failed write's message is kept in the one line that reports it.
ERROR_CHARS = 300


@dataclass(frozen=True, slots=True)
class Written:
    """A document graph a worker wrote to the remote engine itself."""

    path: str
    document_id: str
    triples: int
    losses: tuple[str, ...] = ()


Outcome = Parsed | Written | tuple[str, str]  # tuple: (path, reason) for a file that did not go in


def client_for(scheduler: Any) -> Client:
    """A Dask client of ``scheduler``: an address, a cluster object, or a client already made."""
    from distributed import Client

    if isinstance(scheduler, Client):
        return scheduler
    return Client(scheduler, set_as_default=False)


def parse_on_worker(path: str) -> Parsed | tuple[str, str]:
    """Run on a worker: the file parsed (triples and all), or (path, reason)."""
    return parse_file_safely(path)


def parse_and_put_on_worker(path: str, endpoint: Endpoint) -> Written | tuple[str, str]:
    """Run on a worker: parse the file and PUT its document graph to the engine; the outcome."""
    from budgetkg.graph_store.remote import RemoteStore

    result = parse_file_safely(path)
    if isinstance(result, tuple):
        return result
    credentials = replace(endpoint, user=endpoint.user or os.environ.get(USER_ENV) or None,
                          password=os.environ.get(PASSWORD_ENV) or None)
    store = RemoteStore(credentials)
    try:
        n = store.replace_graph(iris.graph(result.document_id), result.triples)
    except Exception as err:  # noqa: BLE001 - this document only: the files after it still go in
        return (path, f"store write failed: {' '.join(str(err).split())[:ERROR_CHARS]}")
    finally:
        store.close()
    return Written(result.path, result.document_id, n, tuple(result.losses))


def parse_on_cluster(files: list[str], scheduler: Any, endpoint: Endpoint | None = None) -> Iterator[Outcome]:
    """Each file parsed on the cluster (and, with ``endpoint``, written by the worker), yielded as
    it finishes. ``endpoint`` goes to the workers without its password."""
    from distributed import as_completed

    client = client_for(scheduler)
    try:
        if endpoint is not None:
            shipped = replace(endpoint, password=None)
            futures = client.map(parse_and_put_on_worker, files, endpoint=shipped, pure=False)
        else:
            futures = client.map(parse_on_worker, files, pure=False)
        with client.as_current():
            completed = as_completed(futures)
        for future in completed:
            try:
                yield future.result()
            except Exception as err:  # noqa: BLE001 - a worker lost mid-file: that file is reported
                index = futures.index(future)
                yield (files[index], f"worker failed: {type(err).__name__}: {err}")
            future.release()
    finally:
        if client is not scheduler:
            client.close()
