"""Where a remote store is and how to reach it: the endpoint URLs, credentials and timeout.

Credentials come only from the environment (``Endpoint.from_env``); the password is never
printed (``repr`` leaves it out).
"""
from __future__ import annotations

import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field

from budgetkg.graph_store.base import StoreError

ENDPOINT_ENV = "BUDGETKG_ENDPOINT"
UPDATE_ENDPOINT_ENV = "BUDGETKG_UPDATE_ENDPOINT"
GRAPH_STORE_ENDPOINT_ENV = "BUDGETKG_GRAPH_STORE_ENDPOINT"
USER_ENV = "BUDGETKG_ENDPOINT_USER"
PASSWORD_ENV = "BUDGETKG_ENDPOINT_PASSWORD"
AUTH_ENV = "BUDGETKG_ENDPOINT_AUTH"
TIMEOUT_ENV = "BUDGETKG_ENDPOINT_TIMEOUT"
DEFAULT_TIMEOUT_S = 120.0
AUTH_SCHEMES = ("basic", "digest")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a remote store is and how to reach it.

    ``query`` answers SPARQL queries; ``update`` takes SPARQL updates (default: the
    query URL, as on Virtuoso's /sparql-auth); ``graph_store`` is a SPARQL 1.1 Graph
    Store Protocol endpoint (Oxigraph: /store, Virtuoso: /sparql-graph-crud-auth).
    """

    query: str
    update: str | None = None
    graph_store: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never printed
    auth: str = "basic"
    timeout: float = DEFAULT_TIMEOUT_S

    @property
    def update_url(self) -> str:
        return self.update or self.query

    @property
    def has_credentials(self) -> bool:
        return bool(self.user and self.password)

    @classmethod
    def from_env(cls, query: str | None = None, update: str | None = None, graph_store: str | None = None,
                 environ: Mapping[str, str] | None = None) -> Endpoint | None:
        """URLs from the arguments, else BUDGETKG_ENDPOINT / _UPDATE_ENDPOINT / _GRAPH_STORE_ENDPOINT;
        credentials only from BUDGETKG_ENDPOINT_USER / _PASSWORD / _AUTH (basic|digest);
        BUDGETKG_ENDPOINT_TIMEOUT in seconds. None when no query endpoint is given."""
        env = os.environ if environ is None else environ
        query = query or env.get(ENDPOINT_ENV) or None
        if not query:
            if update or graph_store:
                raise StoreError("--update-endpoint / --graph-store-endpoint need --endpoint (the query URL) too")
            return None
        auth = (env.get(AUTH_ENV) or "basic").strip().lower()
        if auth not in AUTH_SCHEMES:
            raise StoreError(f"{AUTH_ENV}={auth!r}: expected one of {', '.join(AUTH_SCHEMES)}")
        raw_timeout = env.get(TIMEOUT_ENV)
        try:
            timeout = float(raw_timeout) if raw_timeout else DEFAULT_TIMEOUT_S
        except ValueError:
            raise StoreError(f"{TIMEOUT_ENV}={raw_timeout!r}: expected seconds") from None
        for url in (query, update, graph_store):
            if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"{url}: an endpoint must be an http:// or https:// URL")
        return cls(query=query, update=update or env.get(UPDATE_ENDPOINT_ENV) or None,
                   graph_store=graph_store or env.get(GRAPH_STORE_ENDPOINT_ENV) or None,
                   user=env.get(USER_ENV) or None, password=env.get(PASSWORD_ENV) or None,
                   auth=auth, timeout=timeout)
