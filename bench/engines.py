"""Engines at scale: the samples replicated to about a million triples (bench/replicate.py),
loaded into the embedded store, the Oxigraph server and Virtuoso 7; load rate into each and
the latency of every named query on each.

`engine_bench()` prints the figures (bench/run.py calls it); or run it from the repository root:

    python -m bench.engines [--triples 1000000] [--repeat 3] [--engines embedded,...] [--json FILE]
                            [--keep DIR]

--triples goes up to 10 million (about a thousand replicas; parsed in two processes and
loaded as they arrive, so the parsed triples are never all in memory at once). --json FILE
writes the figures: per engine the load seconds, triples/s and derive seconds, per named
query the median ms and rows. --keep DIR keeps the embedded store in DIR, and a later run
with the same DIR reuses it (no replicas, no load: its load figures are read back from
DIR/load.json), which is how the queries of a 10-million-triple store are timed again.

Engines run on loopback in temporary directories (tests/engines.py); Virtuoso is
left out, with a note, where it is not installed. Latency is the median of --repeat runs,
after one warm-up run, measured from the client: bound query to parsed rows, as `budgetkg
query` runs it (a scoped query's scope query and graph list included), HTTP and JSON included
for the servers.
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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/engines.py` (the command): the root is importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.replicate import write_replicas  # noqa: E402
from budgetkg import api, derive  # noqa: E402
from budgetkg.graph_store import GraphStore  # noqa: E402
from budgetkg.graph_store.embedded import EmbeddedStore  # noqa: E402
from budgetkg.graph_store.remote import RemoteStore  # noqa: E402
from budgetkg.ontology import iris  # noqa: E402
from budgetkg.queries import bind, load_named_queries, named_query  # noqa: E402
from budgetkg.queries.scope import scope_query  # noqa: E402
from tests.engines import VIRTUOSO_CRASHES, oxigraph_server, virtuoso, virtuoso_available  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

TRIPLES = 1_000_000
# The largest replica set the bench makes (about a thousand disclosures).
MAX_TRIPLES = 10_000_000
REPEAT = 3
# Parsing processes for the replicas (the 2-core machine's cores).
PARSE_PROCESSES = 2
# A named query gets this long per run on each engine; longer is reported as "> N s".
QUERY_CAP_S = 120.0
SLOW_S = 10.0
# The short cause of a failed query: Virtuoso's error code, an HTTP status, or a network failure.
ERROR_CODE = re.compile(r"\b(?:SP|SQ|SR)\d{3}\b|HTTP \d{3}|connection \w+|no answer within \S+ s|not SPARQL JSON")


def example_params(example: str) -> dict[str, str]:
    words = shlex.split(example)
    return dict(v.split("=", 1) for f, v in zip(words, words[1:], strict=False) if f in ("--param", "-p") and "=" in v)


def parse_all(files: list[Path]) -> Iterator[api.Parsed]:
    """The replicas parsed in PARSE_PROCESSES processes, yielded as they finish (in order)."""
    with ProcessPoolExecutor(max_workers=PARSE_PROCESSES) as pool:
        for result in pool.map(api.parse_file_safely, [str(f) for f in files], chunksize=4):
            if isinstance(result, tuple):
                print(f"  skipped {result[0]}: {result[1]}")
            else:
                yield result


@dataclass(slots=True)
class LoadFigures:
    triples: int = 0
    documents: int = 0
    load_s: float = 0.0  # writing the document graphs (parsing excluded)
    derive_s: float = 0.0

    def as_json(self) -> dict[str, float | int]:
        return {"triples": self.triples, "documents": self.documents, "load_s": round(self.load_s, 2),
                "triples_per_s": round(self.triples / self.load_s) if self.load_s else 0,
                "derive_s": round(self.derive_s, 2)}


def load(store: GraphStore, parsed: Iterable[api.Parsed]) -> LoadFigures:
    """Write every document graph (timed apart from the parsing that feeds it), then derive once."""
    store.ensure_ontology()
    figures = LoadFigures()
    for p in parsed:
        t0 = time.perf_counter()
        figures.triples += store.replace_graph(iris.graph(p.document_id), p.triples)
        figures.load_s += time.perf_counter() - t0
        figures.documents += 1
    t1 = time.perf_counter()
    derive.refresh(store)
    store.flush()
    figures.derive_s = time.perf_counter() - t1
    return figures


def run_named(store: GraphStore, name: str, params: dict[str, str]) -> int:
    """One named query as ``budgetkg query`` runs it (its scope query first, where it has one);
    the number of rows."""
    query = named_query(name)
    text, scope = bind(query, params), scope_query(query, params)
    return len(store.select(api.narrow(store, text, scope) if scope else text).rows)


def time_query(store: GraphStore, name: str, params: dict[str, str], repeat: int) -> tuple[int, list[float]]:
    """Rows and run times: one warm-up, then ``repeat`` timed runs (a slow query is timed once)."""
    t0 = time.perf_counter()
    rows = run_named(store, name, params)
    times = [time.perf_counter() - t0]
    if times[0] < SLOW_S:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            run_named(store, name, params)
            times.append(time.perf_counter() - t0)
    return rows, times


def embedded_in_child(store_dir: Path, name: str, params: dict[str, str], repeat: int) -> tuple[int, list[float]]:
    """pyoxigraph cannot stop a running query: the embedded figures come from a child process
    (the store opened read-only) that is killed at QUERY_CAP_S."""
    done = subprocess.run([sys.executable, "-m", "bench.engines", "--time-embedded", str(store_dir), str(repeat)],
                          input=json.dumps({"name": name, "params": params}), capture_output=True, text=True,
                          timeout=QUERY_CAP_S, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "child failed")
    answer = json.loads(done.stdout)
    return answer["rows"], answer["times"]


@dataclass(slots=True)
class Latency:
    median_ms: float | None = None
    rows: int | None = None
    status: str = "ok"  # ok | not run | capped | error (…)

    def __str__(self) -> str:
        if self.status == "capped":
            return f"> {QUERY_CAP_S:.0f} s"
        if self.status != "ok":
            return self.status
        return f"{self.median_ms:,.0f} ms ({self.rows} rows)"

    def as_json(self) -> dict[str, float | int | str | None]:
        return {"median_ms": None if self.median_ms is None else round(self.median_ms, 1), "rows": self.rows,
                "status": self.status}


def latencies(store: GraphStore, skip: dict[str, str], repeat: int) -> dict[str, Latency]:
    out: dict[str, Latency] = {}
    for name, query in load_named_queries().items():
        if name in skip:
            out[name] = Latency(status="not run")
            continue
        params = example_params(query.examples[0]) if query.examples else {}
        started = time.perf_counter()
        try:
            if isinstance(store, EmbeddedStore):
                rows, times = embedded_in_child(store.path, name, params, repeat)
            else:
                rows, times = time_query(store, name, params, repeat)
            out[name] = Latency(statistics.median(times) * 1000, rows)
        except subprocess.TimeoutExpired:
            out[name] = Latency(status="capped")
        except Exception as err:  # noqa: BLE001 - one engine's failure is a figure, not a crash
            # A server stopping a query at its own timeout may cut the streamed answer short.
            if "no answer within" in str(err) or time.perf_counter() - started >= 0.9 * QUERY_CAP_S:
                out[name] = Latency(status="capped")
            else:
                code = ERROR_CODE.search(str(err))
                out[name] = Latency(status=f"error ({code.group(0) if code else type(err).__name__})")
        print(f"    {name}: {out[name]}", flush=True)
    return out


@contextmanager
def embedded(tmp: Path) -> Iterator[GraphStore]:
    store = EmbeddedStore(tmp / "embedded")
    try:
        yield store
    finally:
        store.close()


@contextmanager
def oxigraph(tmp: Path) -> Iterator[GraphStore]:
    with oxigraph_server(timeout_s=QUERY_CAP_S) as engine:
        yield RemoteStore(replace(engine.endpoint, timeout=QUERY_CAP_S))


@contextmanager
def virtuoso_store(tmp: Path) -> Iterator[GraphStore]:
    with virtuoso(query_timeout_s=QUERY_CAP_S) as engine:
        yield RemoteStore(replace(engine.endpoint, timeout=QUERY_CAP_S))


ENGINE_NAMES = ("embedded", "oxigraph-server", "virtuoso")


def engine_bench(triples: int = TRIPLES, repeat: int = REPEAT, only: tuple[str, ...] = ENGINE_NAMES,
                 json_path: Path | None = None, keep: Path | None = None) -> dict[str, object]:
    """Print load rate and per-named-query latency on embedded / Oxigraph server / Virtuoso
    (``only``: a subset of ENGINE_NAMES); with ``json_path``, write the figures there as JSON.
    ``keep``: the embedded store's directory, kept, and reused when it already holds one."""
    if triples > MAX_TRIPLES:
        raise SystemExit(f"bench.engines: --triples is at most {MAX_TRIPLES:,}")
    engines: list[tuple[str, Callable[[Path], object], dict[str, str]]] = [
        ("embedded", embedded, {}), ("oxigraph-server", oxigraph, {})]
    if virtuoso_available():
        engines.append(("virtuoso", virtuoso_store, VIRTUOSO_CRASHES))
    else:
        print("engines: Virtuoso not installed (ci/install-system-packages.sh): left out")
    engines = [e for e in engines if e[0] in only]
    report: dict[str, object] = {"triples_asked": triples, "repeat": repeat, "engines": {}}
    with tempfile.TemporaryDirectory(prefix="budgetkg-engines-") as name:
        tmp = keep or Path(name)
        t0 = time.perf_counter()
        reuse = keep is not None and (keep / "load.json").exists()
        remote = any(label != "embedded" for label, _, _ in engines)
        files = [] if reuse and not remote else write_replicas(tmp / "replicas", triples)
        if not reuse:
            print(f"engines: {len(files)} replicas of the samples (distinct organizations and years) written in "
                  f"{time.perf_counter() - t0:.0f} s; parsed in {PARSE_PROCESSES} processes as they load", flush=True)
        table: dict[str, dict[str, Latency]] = {}
        for label, opener, skip in engines:
            with opener(tmp) as store:  # type: ignore[operator]
                if reuse and label == "embedded":
                    figures = LoadFigures(**{k: v for k, v in json.loads((keep / "load.json").read_text()).items()
                                             if k in LoadFigures.__slots__})  # type: ignore[attr-defined]
                    t0 = time.perf_counter()  # the derivers may have changed since: derive again
                    derive.refresh(store)
                    store.flush()
                    figures.derive_s = time.perf_counter() - t0
                    print(f"  {label:16s} reusing {keep} ({figures.triples} triples); derived graphs again in "
                          f"{figures.derive_s:.1f} s", flush=True)
                else:
                    t0 = time.perf_counter()
                    figures = load(store, parse_all(files))
                    if keep is not None and label == "embedded":
                        (keep / "load.json").write_text(json.dumps(figures.as_json()))
                    print(f"  {label:16s} load {figures.triples} triples in {figures.load_s:.1f} s = "
                          f"{figures.triples / figures.load_s:,.0f} triples/s (parse and load together "
                          f"{time.perf_counter() - t0:.0f} s); derived graphs {figures.derive_s:.1f} s", flush=True)
                if isinstance(store, RemoteStore):
                    # What each remote command pays once: listing budgetkg's graphs for the dataset.
                    t0 = time.perf_counter()
                    graphs = RemoteStore(store.endpoint).graph_names()
                    print(f"  {label:16s} graph list ({len(graphs)} graphs: export; per command only where the "
                          f"default graph is not a union) "
                          f"{(time.perf_counter() - t0) * 1000:,.0f} ms", flush=True)
                table[label] = latencies(store, skip, repeat)
                report["engines"][label] = {  # type: ignore[index]
                    "load": figures.as_json(), "queries": {q: lat.as_json() for q, lat in table[label].items()}}
        print(f"named-query latency, median of {repeat} (after one warm-up), client side:")
        labels = [label for label, _, _ in engines]
        print("  " + f"{'query':18s}" + "".join(f"{label:>30s}" for label in labels))
        for query in load_named_queries():
            print("  " + f"{query:18s}" + "".join(f"{str(table[label][query]):>30s}" for label in labels))
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"engines: figures written to {json_path}")
    return report


def main() -> None:
    if sys.argv[1:2] == ["--time-embedded"]:  # the child of embedded_in_child: query and parameters on stdin
        asked = json.loads(sys.stdin.read())
        rows, times = time_query(EmbeddedStore(sys.argv[2], read_only=True), asked["name"], asked["params"],
                                 int(sys.argv[3]))
        print(json.dumps({"rows": rows, "times": times}))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=TRIPLES, help=f"about this many (at most {MAX_TRIPLES:,})")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--engines", default=",".join(ENGINE_NAMES), help="comma-separated subset to time")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the embedded store in this directory; reuse it when it holds one")
    args = parser.parse_args()
    engine_bench(args.triples, args.repeat, tuple(args.engines.split(",")), args.json, args.keep)


if __name__ == "__main__":
    main()
