"""HTTP to a SPARQL endpoint (httpx): protocol requests, authentication, and one clear error line each.

- SPARQL 1.1 Protocol: a query is a form-encoded POST asking for SPARQL JSON results
  (with ``default-graph-uri`` / ``named-graph-uri`` when a dataset is given); an update is
  a form-encoded POST. Graph Store Protocol requests address one graph (``?graph=``).
- Authentication: httpx's Basic and Digest. Credentials go with the first attempt of
  every request, never only in answer to a 401: a server that refuses an unauthenticated
  request while its body is still being sent (Virtuoso does, for a large Graph Store PUT)
  closes the connection mid-upload. Basic is sent up front; for Digest, each URL's
  challenge is learnt once with a bodiless HEAD, and httpx signs every later request with
  it (and, on a 401 for a stale nonce, learns the new challenge and resends once).
- Errors: every way a request can fail becomes one ``StoreError`` (``QueryRejected`` for
  HTTP 400) naming the URL, what was being done, and the cause; a server's error body is
  quoted, shortened, and explained where the engine's own words do not say what to do
  (ENGINE_ERROR_HINTS).
- Timeouts: ``Endpoint.timeout`` seconds to connect, and for each read and write.
"""
from __future__ import annotations

import re
import socket
import urllib.parse
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import httpx

from budgetkg.graph_store.base import QueryRejected, StoreError
from budgetkg.graph_store.remote.config import AUTH_ENV, PASSWORD_ENV, TIMEOUT_ENV, USER_ENV, Endpoint

USER_AGENT = "budgetkg (SPARQL 1.1 Protocol client)"
SPARQL_JSON = "application/sparql-results+json,application/json,text/javascript,application/javascript"
SPARQL_XML = "application/sparql-results+xml"
FORM = "application/x-www-form-urlencoded"
# Some engines (Virtuoso among them) choose the results format by a parameter rather than by Accept.
FORMAT_PARAMETERS = ("format", "output", "results")
# Longest piece of an engine's error body quoted in a message.
DETAIL_CHARS = 300
# HTML error pages (Virtuoso's GSP errors): tags dropped before quoting the text.
HTML_TAG = re.compile(r"<[^>]+>")
# Virtuoso 7 refusing to sort or group a text value of more than about 4 KB.
SORT_LIMIT_ERROR = re.compile(r"\bSR(?:319|478)\b")
# Engine errors whose message does not say what the user can do, and what it means.
ENGINE_ERROR_HINTS = {
    # Virtuoso 7: a text value of more than about 4 KB in a sorted or grouped result (a long
    # GROUP_CONCAT list, e.g. `issuers` over hundreds of organizations).
    SORT_LIMIT_ERROR: "Virtuoso cannot sort or group a text value longer than about 4 KB: "
                      "narrow the query with a parameter, or run it on another engine",
}


class Http:
    """The requests a remote store sends to one ``Endpoint``, over one connection pool."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._client: httpx.Client | None = None
        self._digests: dict[str, httpx.DigestAuth] = {}  # per URL without its query string

    def close(self) -> None:
        """Close the pooled connections (a later request opens new ones)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    # --- the three kinds of request --------------------------------------------------
    def query(self, text: str, dataset: Iterable[str] | None) -> bytes:
        """A SPARQL query (POST, form-encoded); the SPARQL JSON results body."""
        graphs = list(dataset or ())
        form = [*(("default-graph-uri", g) for g in graphs), *(("named-graph-uri", g) for g in graphs),
                ("query", text), *((name, "json") for name in FORMAT_PARAMETERS)]
        url = self.endpoint.query
        with self._errors(url, "query"):
            return self._send("POST", url, content=urllib.parse.urlencode(form).encode("ascii"),
                              headers={"Content-Type": FORM, "Accept": SPARQL_JSON})

    def update(self, text: str) -> None:
        """A SPARQL update (POST, form-encoded)."""
        url = self.endpoint.update_url
        with self._errors(url, "update"):
            self._send("POST", url, content=urllib.parse.urlencode([("update", text)]).encode("ascii"),
                       headers={"Content-Type": FORM, "Accept": SPARQL_XML})

    def graph_store(self, method: str, graph: str, body: bytes | None = None, accept: str | None = None) -> bytes:
        """A Graph Store Protocol request on one graph; a body is N-Triples (sent as Turtle)."""
        base = self.endpoint.graph_store
        assert base
        url = f"{base}{'&' if '?' in base else '?'}graph={urllib.parse.quote(graph, safe='')}"
        headers = {}
        if body is not None:
            headers["Content-Type"] = "text/turtle; charset=utf-8"  # N-Triples is Turtle
        if accept:
            headers["Accept"] = accept
        with self._errors(base, "read" if method == "GET" else "write"):
            try:
                return self._send(method, url, content=body, headers=headers)
            except (httpx.WriteError, httpx.ReadError, httpx.RemoteProtocolError) as err:
                # A server refusing an unauthenticated upload may close the connection before
                # the body is sent (Virtuoso does, with a 401): ask again without a body so
                # its answer, not a broken pipe, says why.
                if body is not None and "Authorization" not in err.request.headers:
                    self._send("GET", url)
                raise

    # --- sending -----------------------------------------------------------------------
    def _send(self, method: str, url: str, **request: object) -> bytes:
        """One request with its credentials; the body, or HttpStatus for an error status."""
        client = self._connection()
        response = client.request(method, url, auth=self._auth(client, url), **request)  # type: ignore[arg-type]
        if response.status_code >= 400:
            raise HttpStatus(response.status_code, response.content)
        return response.content

    def _connection(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=self.endpoint.timeout, follow_redirects=True,
                                        headers={"User-Agent": USER_AGENT})
        return self._client

    def _auth(self, client: httpx.Client, url: str) -> httpx.Auth | None:
        e = self.endpoint
        if not e.has_credentials:
            return None
        if e.auth == "basic":
            return httpx.BasicAuth(e.user or "", e.password or "")
        key = url.split("?", 1)[0]
        if key not in self._digests:
            digest = httpx.DigestAuth(e.user or "", e.password or "")
            client.request("HEAD", url, auth=digest)  # learns the challenge; whatever the answer, no body
            self._digests[key] = digest
        return self._digests[key]

    # --- errors ------------------------------------------------------------------------
    @contextmanager
    def _errors(self, url: str, action: str) -> Iterator[None]:
        """Every way a request can fail -> one StoreError line naming the URL and the cause."""
        timeout = f"no answer within {self.endpoint.timeout:g} s (set {TIMEOUT_ENV} to wait longer)"
        try:
            yield
        except HttpStatus as err:
            raise self._status_error(url, action, err.status, err.body) from None
        except httpx.TimeoutException:
            raise StoreError(f"{url}: {action} failed: {timeout}") from None
        except httpx.ConnectError as err:
            raise StoreError(f"{url}: {action} failed: {_connect_failure(err, timeout)}") from None
        except (httpx.NetworkError, httpx.RemoteProtocolError) as err:
            raise StoreError(f"{url}: {action} failed: connection lost ({type(_os_cause(err) or err).__name__})") \
                from None
        except httpx.HTTPError as err:
            raise StoreError(f"{url}: {action} failed: cannot connect ({err})") from None

    def _status_error(self, url: str, action: str, status: int, body: bytes) -> StoreError:
        text = detail(body)
        suffix = f": {text}" if text else ""
        if status == 400:
            return QueryRejected(f"{url}: the endpoint rejected the request (HTTP 400){suffix}")
        if status == 401:
            if self.endpoint.user:
                return StoreError(f"{url}: {action} refused: the credentials in {USER_ENV} / {PASSWORD_ENV} "
                                  f"were not accepted (HTTP 401; {AUTH_ENV}={self.endpoint.auth})")
            return StoreError(f"{url}: {action} needs credentials (HTTP 401): set {USER_ENV} and "
                              f"{PASSWORD_ENV} (and {AUTH_ENV}=digest if the server asks for digest)")
        if status == 403:
            return StoreError(f"{url}: {action} forbidden (HTTP 403): the server or this account may not "
                              f"{action}{suffix}")
        if status == 404:
            return StoreError(f"{url}: no such endpoint (HTTP 404){suffix}")
        if status >= 500:
            hint = next((f" ({h})" for code, h in ENGINE_ERROR_HINTS.items() if code.search(text)), "")
            return StoreError(f"{url}: {action} failed: server error (HTTP {status}){suffix}{hint}")
        return StoreError(f"{url}: {action} failed (HTTP {status}){suffix}")


class HttpStatus(Exception):
    """An error status from the server, with its body (turned into a StoreError by ``Http._errors``)."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def detail(body: bytes | str | None) -> str:
    """The first meaningful text of an error body, one line, bounded."""
    if not body:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        text = HTML_TAG.sub(" ", text)
    text = " ".join(line.strip() for line in text.splitlines() if line.strip())
    return text[:DETAIL_CHARS] + ("..." if len(text) > DETAIL_CHARS else "")


def _os_cause(err: BaseException) -> OSError | None:
    """The operating system's error under httpx's (and httpcore's) wrapping, if any."""
    cause = err.__cause__ or err.__context__
    while cause is not None:
        if isinstance(cause, OSError):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None


def _connect_failure(err: httpx.ConnectError, timeout: str) -> str:
    reason = _os_cause(err)
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running, on this host and port?)"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, TimeoutError):
        return timeout
    return f"cannot connect ({reason or err})"
