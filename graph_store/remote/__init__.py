"""A remote SPARQL 1.1 endpoint as a budgetkg store (see graph_store.remote.store for what
differs between engines and how each difference is handled).

- config: ``Endpoint``, where the endpoint is and how to reach it (credentials from the environment);
- http: the HTTP requests (httpx), Basic / Digest authentication, one error line per failure;
- rewrite: SPARQL text for engine differences (ORDER BY keys, dataset clauses, INSERT batches);
- results: SPARQL JSON results (pyoxigraph) and Graph Store bodies read, rows sorted here;
- store: ``RemoteStore``.
"""
from __future__ import annotations

from budgetkg.graph_store.remote.config import (
    AUTH_ENV,
    AUTH_SCHEMES,
    DEFAULT_TIMEOUT_S,
    ENDPOINT_ENV,
    GRAPH_STORE_ENDPOINT_ENV,
    PASSWORD_ENV,
    TIMEOUT_ENV,
    UPDATE_ENDPOINT_ENV,
    USER_ENV,
    Endpoint,
)
from budgetkg.graph_store.remote.http import ENGINE_ERROR_HINTS, SORT_LIMIT_ERROR
from budgetkg.graph_store.remote.results import _fix_surrogate_escapes, json_to_term, sort_result
from budgetkg.graph_store.remote.rewrite import INSERT_BATCH, has_dataset_clause, split_order_by, text_order
from budgetkg.graph_store.remote.store import STAGING_GRAPH, RemoteStore

__all__ = [
    "AUTH_ENV", "AUTH_SCHEMES", "DEFAULT_TIMEOUT_S", "ENDPOINT_ENV", "ENGINE_ERROR_HINTS", "GRAPH_STORE_ENDPOINT_ENV",
    "INSERT_BATCH", "PASSWORD_ENV", "SORT_LIMIT_ERROR", "STAGING_GRAPH", "TIMEOUT_ENV", "UPDATE_ENDPOINT_ENV",
    "USER_ENV", "Endpoint", "RemoteStore", "_fix_surrogate_escapes", "has_dataset_clause", "json_to_term",
    "sort_result", "split_order_by", "text_order",
]
