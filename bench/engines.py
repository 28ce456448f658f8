"""Engines at scale: the samples replicated to about a million triples (bench/replicate.py),
loaded into the embedded store, the Oxigraph server and Virtuoso 7; load rate into each and
the latency of every named query on each.

`engine_bench()` prints the figures (bench/run.py calls it); or run it from the repository root:

    python -m bench.engines [--triples 1000000] [--repeat 3]

Engines run on loopback in temporary directories (tests/engines.py); Virtuoso is
left out, with a note, where it is not installed. Latency is the median of --repeat runs,
after one warm-up run, measured from the client: query text to parsed rows, HTTP and
JSON included for the servers.
"""
from __future__ import annotations

import argparse
import json
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from bench.replicate import write_replicas
from budgetkg import api, derive
from budgetkg.graph_store import GraphStore
from budgetkg.graph_store.embedded import EmbeddedStore
from budgetkg.graph_store.remote import RemoteStore
from budgetkg.ontology import iris
from budgetkg.queries import bind, load_named_queries
from tests.engines import VIRTUOSO_CRASHES, oxigraph_server, virtuoso, virtuoso_available

ROOT = Path(__file__).resolve().parent.parent

TRIPLES = 1_000_000
REPEAT = 3
# A named query gets this long per run on each engine; longer is reported as "> N s".
QUERY_CAP_S = 120.0
SLOW_S = 10.0
# The short cause of a failed query: Virtuoso's error code, an HTTP status, or a network failure.
ERROR_CODE = re.compile(r"\b(?:SP|SQ|SR)\d{3}\b|HTTP \d{3}|connection \w+|no answer within \S+ s|not SPARQL JSON")


def example_params(example: str) -> dict[str, str]:
    words = shlex.split(example)
    return dict(v.split("=", 1) for f, v in zip(words, words[1:], strict=False) if f in ("--param", "-p") and "=" in v)


def parse_all(files: list[Path]) -> list[api.Parsed]:
    parsed = []
    with ProcessPoolExecutor(max_workers=2) as pool:
        for result in pool.map(api.parse_file_safely, [str(f) for f in files], chunksize=4):
            if isinstance(result, tuple):
                print(f"  skipped {result[0]}: {result[1]}")
            else:
                parsed.append(result)
    return parsed


def load(store: GraphStore, parsed: list[api.Parsed]) -> tuple[int, float, float]:
    """Triples written, seconds for the document graphs, seconds for the derived graphs."""
    store.ensure_ontology()
    t0 = time.perf_counter()
    triples = sum(store.replace_graph(iris.graph(p.document_id), p.triples) for p in parsed)
    t1 = time.perf_counter()
    derive.refresh(store)
    store.flush()
    return triples, t1 - t0, time.perf_counter() - t1


def time_query(store: GraphStore, text: str, repeat: int) -> tuple[int, list[float]]:
    """Rows and run times: one warm-up, then ``repeat`` timed runs (a slow query is timed once)."""
    t0 = time.perf_counter()
    rows = len(store.select(text).rows)
    times = [time.perf_counter() - t0]
    if times[0] < SLOW_S:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            store.select(text)
            times.append(time.perf_counter() - t0)
    return rows, times


def embedded_in_child(store_dir: Path, text: str, repeat: int) -> tuple[int, list[float]]:
    """pyoxigraph cannot stop a running query: the embedded figures come from a child process
    (the store opened read-only) that is killed at QUERY_CAP_S."""
    done = subprocess.run([sys.executable, "-m", "bench.engines", "--time-embedded", str(store_dir), str(repeat)],
                          input=text, capture_output=True, text=True, timeout=QUERY_CAP_S, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "child failed")
    answer = json.loads(done.stdout)
    return answer["rows"], answer["times"]


def latencies(store: GraphStore, skip: dict[str, str], repeat: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, query in load_named_queries().items():
        if name in skip:
            out[name] = "not run"
            continue
        text = bind(query, example_params(query.examples[0]) if query.examples else {})
        started = time.perf_counter()
        try:
            if isinstance(store, EmbeddedStore):
                rows, times = embedded_in_child(store.path, text, repeat)
            else:
                rows, times = time_query(store, text, repeat)
            out[name] = f"{statistics.median(times) * 1000:,.0f} ms ({rows} rows)"
        except subprocess.TimeoutExpired:
            out[name] = f"> {QUERY_CAP_S:.0f} s"
        except Exception as err:  # noqa: BLE001 - one engine's failure is a figure, not a crash
            # A server stopping a query at its own timeout may cut the streamed answer short.
            if "no answer within" in str(err) or time.perf_counter() - started >= 0.9 * QUERY_CAP_S:
                out[name] = f"> {QUERY_CAP_S:.0f} s"
            else:
                code = ERROR_CODE.search(str(err))
                out[name] = f"error ({code.group(0) if code else type(err).__name__})"
        print(f"    {name}: {out[name]}", flush=True)
    return out


@contextmanager
def embedded(tmp: Path) -> Iterator[GraphStore]:
    yield EmbeddedStore(tmp / "embedded")


@contextmanager
def oxigraph(tmp: Path) -> Iterator[GraphStore]:
    with oxigraph_server(timeout_s=QUERY_CAP_S) as engine:
        yield RemoteStore(replace(engine.endpoint, timeout=QUERY_CAP_S))


@contextmanager
def virtuoso_store(tmp: Path) -> Iterator[GraphStore]:
    with virtuoso(query_timeout_s=QUERY_CAP_S) as engine:
        yield RemoteStore(replace(engine.endpoint, timeout=QUERY_CAP_S))


ENGINE_NAMES = ("embedded", "oxigraph-server", "virtuoso")


def engine_bench(triples: int = TRIPLES, repeat: int = REPEAT, only: tuple[str, ...] = ENGINE_NAMES) -> None:
    """Print load rate and per-named-query latency on embedded / Oxigraph server / Virtuoso
    (``only``: a subset of ENGINE_NAMES)."""
    engines: list[tuple[str, Callable[[Path], object], dict[str, str]]] = [
        ("embedded", embedded, {}), ("oxigraph-server", oxigraph, {})]
    if virtuoso_available():
        engines.append(("virtuoso", virtuoso_store, VIRTUOSO_CRASHES))
    else:
        print("engines: Virtuoso not installed (ci/install-system-packages.sh): left out")
    engines = [e for e in engines if e[0] in only]
    with tempfile.TemporaryDirectory(prefix="budgetkg-engines-") as name:
        tmp = Path(name)
        t0 = time.perf_counter()
        files = write_replicas(tmp / "replicas", triples)
        parsed = parse_all(files)
        print(f"engines: {len(parsed)} replicas of the samples parsed in {time.perf_counter() - t0:.0f} s "
              f"(2 processes); distinct organizations and years", flush=True)
        table: dict[str, dict[str, str]] = {}
        for label, opener, skip in engines:
            with opener(tmp) as store:  # type: ignore[operator]
                n, load_s, derive_s = load(store, parsed)
                print(f"  {label:16s} load {n} triples in {load_s:.1f} s = {n / load_s:,.0f} triples/s; "
                      f"derived graphs {derive_s:.1f} s", flush=True)
                if isinstance(store, RemoteStore):
                    # What each remote command pays once: listing budgetkg's graphs for the dataset.
                    t0 = time.perf_counter()
                    graphs = RemoteStore(store.endpoint).graph_names()
                    print(f"  {label:16s} graph list ({len(graphs)} graphs: export; per command only where the "
                          f"default graph is not a union) "
                          f"{(time.perf_counter() - t0) * 1000:,.0f} ms", flush=True)
                table[label] = latencies(store, skip, repeat)
        print(f"named-query latency, median of {repeat} (after one warm-up), client side:")
        labels = [label for label, _, _ in engines]
        print("  " + f"{'query':18s}" + "".join(f"{label:>30s}" for label in labels))
        for query in load_named_queries():
            print("  " + f"{query:18s}" + "".join(f"{table[label][query]:>30s}" for label in labels))


def main() -> None:
    if sys.argv[1:2] == ["--time-embedded"]:  # the child of embedded_in_child: query text on stdin
        rows, times = time_query(EmbeddedStore(sys.argv[2], read_only=True), sys.stdin.read(), int(sys.argv[3]))
        print(json.dumps({"rows": rows, "times": times}))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=TRIPLES)
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--engines", default=",".join(ENGINE_NAMES), help="comma-separated subset to time")
    args = parser.parse_args()
    engine_bench(args.triples, args.repeat, tuple(args.engines.split(",")))


if __name__ == "__main__":
    main()
