"""Query engines for `budgetkg serve`: worker processes that each hold the store open, killed
and replaced when a query runs past its timeout or its client goes away.

pyoxigraph cannot cancel a running query, so a query that must stop is stopped with its
process: SIGKILL, and a fresh worker is started in its place while the other workers go on
answering. Each worker is started with PR_SET_DEATHSIG (Linux), so the kernel kills it when
the serving process ends, however it ends (``kill -9`` included).

The parent talks to a worker over its stdin / stdout: a 4-byte big-endian length, then a
pickle of ``(operation, args)``; the answer is ``("ok", value)`` or ``("error", kind,
message)``. Pickle is safe here because both ends are this module (the worker's stdout is
moved off fd 1 first, so nothing else can write into the channel).

Operations (all run against ``budgetkg.open(store)`` through ``budgetkg.api``):
``query`` (a named query with parameters, as the CLI runs it), ``select`` (SPARQL text the app
wrote, bound by ``budgetkg.queries``), ``sparql`` (a checked protocol query, serialised in a
media type), ``describe`` (an IRI's triples), ``policy`` (``api.policy``), ``update`` and
``graph`` (Graph Store Protocol) on a --writable store.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import signal
import struct
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

# Seconds a worker may take to start (import, open the store) before the server gives up.
START_TIMEOUT_S = 60.0
# How often a waiting request checks whether its client is still there, in seconds.
DISCONNECT_POLL_S = 0.2
# Seconds a request may wait for a free worker before it is answered 503.
QUEUE_WAIT_S = 10.0
HEADER = struct.Struct(">I")
# Largest answer a worker may send in one read of the stream (asyncio's buffer limit).
MAX_MESSAGE_BYTES = 2**26


class EngineError(Exception):
    """The engine could not answer (it died, or could not start)."""


class QueryTimeout(EngineError):
    pass


class ClientGone(EngineError):
    pass


class Busy(EngineError):
    pass


class RemoteError(Exception):
    """An error raised inside a worker: ``kind`` is its class name (QueryError, StoreError …)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


# --- the worker side ---------------------------------------------------------------------------


def _write(out: Any, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(HEADER.pack(len(data)) + data)
    out.flush()


def _read(inp: Any) -> Any:
    head = inp.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    return pickle.loads(inp.read(size))  # noqa: S301 - our own parent's message


def worker_main(store_path: str, writable: bool) -> None:
    """Serve operations from the parent until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the serving process stops its workers itself
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed by libraries goes to stderr, never into the channel
    inp = os.fdopen(0, "rb")
    import budgetkg

    try:
        db = budgetkg.open(store_path, read_only=not writable)
    except Exception as err:  # noqa: BLE001 - reported to the parent as one line
        _write(channel, ("error", type(err).__name__, str(err)))
        return
    _write(channel, ("ok", "ready"))
    operations = Operations(db)
    while (message := _read(inp)) is not None:
        op, args = message
        try:
            _write(channel, ("ok", getattr(operations, op)(*args)))
        except Exception as err:  # noqa: BLE001 - every failure goes back as data
            _write(channel, ("error", type(err).__name__, str(err)))


class Operations:
    def __init__(self, db: Any) -> None:
        self.db = db
        self.raw = db.graph_store.store  # the pyoxigraph Store of the embedded graph store

    def query(self, name: str, params: dict[str, str]) -> Any:
        from budgetkg import api

        return api.query(name, params, store=self.db)

    def select(self, text: str) -> Any:
        return self.db.graph_store.select(text)

    def policy(self, ref: str) -> Any:
        from budgetkg import api

        return api.policy(ref, self.db)

    def policy_report(self, iri: str) -> Any:
        """What `budgetkg policy` prints, for the document ``iri``."""
        from budgetkg import policies

        return policies.policy_report(self.db.graph_store.select, iri)

    def sparql(self, text: str, media_type: str, default_graphs: list[str] | None = None,
               named_graphs: list[str] | None = None) -> tuple[str, bytes]:
        """A checked protocol query, serialised: (media type, bytes). Without a protocol dataset
        (default-graph-uri / named-graph-uri) the default graph is the union of all graphs."""
        import pyoxigraph as ox

        if default_graphs or named_graphs:
            # SPARQL 1.1 Protocol 2.1.4: the dataset is exactly the graphs named (none of one kind: empty)
            result = self.raw.query(text, default_graph=[ox.NamedNode(g) for g in default_graphs or ()],
                                    named_graphs=[ox.NamedNode(g) for g in named_graphs or ()])
        else:
            result = self.raw.query(text, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
            return fmt.media_type, result.serialize(format=fmt)
        fmt = ox.QueryResultsFormat.from_media_type(media_type) or ox.QueryResultsFormat.JSON
        return fmt.media_type, result.serialize(format=fmt)

    def describe(self, iri: str, media_type: str) -> tuple[str, bytes] | None:
        """The triples about ``iri`` (as subject) in the union of graphs, or None if the store has no
        triple naming it."""
        import pyoxigraph as ox

        node = ox.NamedNode(iri)
        if not any(True for _ in self.raw.quads_for_pattern(node, None, None)) and not any(
                True for _ in self.raw.quads_for_pattern(None, None, node)):
            return None
        data = ox.Store()
        data.extend(ox.Quad(q.subject, q.predicate, q.object) for q in self.raw.quads_for_pattern(node, None, None))
        fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
        from budgetkg.ontology.terms import PREFIXES

        prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        return fmt.media_type, data.dump(format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)

    def update(self, text: str) -> None:
        self.raw.update(text)

    def graph(self, method: str, graph: str | None, body: bytes, media_type: str) -> tuple[str, bytes]:
        """SPARQL 1.1 Graph Store Protocol on one graph (None: the default graph)."""
        import pyoxigraph as ox

        g = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
        if method == "GET":
            if graph and not self.raw.contains_named_graph(g):
                raise LookupError(f"no graph {graph}")
            return fmt.media_type, self.raw.dump(format=fmt, from_graph=g)
        if method in ("PUT", "DELETE"):
            existed = not graph or self.raw.contains_named_graph(g)
            if graph and existed:
                self.raw.remove_graph(g)
            elif not graph:
                self.raw.clear_graph(g)
            if method == "DELETE":
                if not existed:
                    raise LookupError(f"no graph {graph}")
                return "", b""
        if body:
            self.raw.load(body, format=fmt, to_graph=g)
        return "", b""


# --- the server side ---------------------------------------------------------------------------


@dataclass(eq=False)
class Worker:
    proc: asyncio.subprocess.Process

    async def send(self, message: object) -> None:
        assert self.proc.stdin is not None
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        self.proc.stdin.write(HEADER.pack(len(data)) + data)
        await self.proc.stdin.drain()

    async def receive(self) -> Any:
        assert self.proc.stdout is not None
        head = await self.proc.stdout.readexactly(HEADER.size)
        (size,) = HEADER.unpack(head)
        return pickle.loads(await self.proc.stdout.readexactly(size))  # noqa: S301 - our own worker

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()


@dataclass
class EnginePool:
    """``size`` workers on ``store``; at most ``size`` operations run at once, the others wait
    (up to QUEUE_WAIT_S, then Busy)."""

    store: str
    size: int = 2
    writable: bool = False
    timeout_s: float = 30.0
    idle: asyncio.Queue[Worker] = field(init=False)
    workers: set[Worker] = field(init=False, default_factory=set)
    restarts: int = field(init=False, default=0)
    started: bool = field(init=False, default=False)

    async def start(self) -> None:
        self.started = True
        self.idle = asyncio.Queue()
        started = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for worker in started:
            self.idle.put_nowait(worker)

    async def _spawn(self) -> Worker:
        from budgetkg.ingest.pipeline import die_with_parent_preexec

        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "budgetkg.web.engine", self.store, "rw" if self.writable else "ro",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, preexec_fn=die_with_parent_preexec(),
            start_new_session=True, limit=MAX_MESSAGE_BYTES)
        worker = Worker(proc)
        self.workers.add(worker)
        try:
            status, *rest = await asyncio.wait_for(worker.receive(), START_TIMEOUT_S)
        except (asyncio.IncompleteReadError, TimeoutError) as err:
            self._discard(worker)
            raise EngineError("the query engine did not start") from err
        if status != "ok":
            self._discard(worker)
            raise EngineError(rest[-1])
        return worker

    def _discard(self, worker: Worker) -> None:
        worker.kill()
        self.workers.discard(worker)

    async def _replace(self, worker: Worker) -> None:
        self._discard(worker)
        self.restarts += 1
        with contextlib.suppress(EngineError):
            self.idle.put_nowait(await self._spawn())

    async def call(self, op: str, *args: Any, timeout_s: float | None = None,
                   gone: Callable[[], Awaitable[bool]] | None = None) -> Any:
        """Run ``op`` on a free worker. QueryTimeout past ``timeout_s`` (default: the pool's),
        ClientGone when ``gone()`` turns true: in both cases the worker is killed and replaced."""
        try:
            worker = await asyncio.wait_for(self.idle.get(), QUEUE_WAIT_S)
        except TimeoutError as err:
            raise Busy(f"every query engine is busy (at most {self.size} queries at once); try again") from err
        limit = self.timeout_s if timeout_s is None else timeout_s
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        answer = asyncio.ensure_future(self._exchange(worker, (op, args)))
        try:
            while True:
                done, _ = await asyncio.wait({answer}, timeout=min(DISCONNECT_POLL_S, max(0.0, deadline - loop.time())))
                if done:
                    break
                if loop.time() >= deadline:
                    raise QueryTimeout(f"the query ran past the server's {limit:g} s timeout and was stopped")
                if gone is not None and await gone():
                    raise ClientGone("the client went away; the query was stopped")
            status, *rest = answer.result()
        except (asyncio.IncompleteReadError, ConnectionError, BrokenPipeError) as err:
            asyncio.ensure_future(self._replace(worker))
            raise EngineError("the query engine stopped unexpectedly") from err
        except BaseException:
            answer.cancel()
            asyncio.ensure_future(self._replace(worker))
            raise
        self.idle.put_nowait(worker)
        if status == "ok":
            return rest[0]
        raise RemoteError(*rest)

    @staticmethod
    async def _exchange(worker: Worker, message: object) -> Any:
        await worker.send(message)
        return await worker.receive()

    async def close(self) -> None:
        for worker in list(self.workers):
            worker.kill()
            with contextlib.suppress(ProcessLookupError, asyncio.TimeoutError):
                await asyncio.wait_for(worker.proc.wait(), 5)
        self.workers.clear()


if __name__ == "__main__":
    worker_main(sys.argv[1], sys.argv[2] == "rw")
