"""Crash safety (issue 14, "Why" 1): `budgetkg ingest` and `documents --delete` killed with SIGKILL at
random points of a many-file run, during the writes and during the derivation, never leave a store
that answers differently from a clean ingest of the documents it lists; a file that fails never
stops the files after it; `--jobs` workers die with their parent.

Each trial runs the real command line as a subprocess on real replicas of the samples (made
distinct with bench.replicate, so they never collapse onto the same IRIs), kills it, then opens the
store the way the next command does and compares every named query with a clean store built from
exactly the documents the store lists.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import budgetkg
from bench.replicate import districts, replicate_text
from budgetkg import api, derive
from budgetkg.graph_store.embedded import STATE_FILE, EmbeddedStore, read_state
from budgetkg.ontology import iris
from budgetkg.queries import bind
from tests.conftest import EXAMPLES
from tests.engines import alive

BUDGETKG = [sys.executable, "-c", "from budgetkg.cli import main; main()"]
KILLS = 30
SEED = 14
# Values for the named queries' required parameters (each cited or printed in every replica).
REQUIRED_PARAMS = {"policy": "管理办法", "code": "201"}
# A named query whose aggregated cell joins values with this separator is compared order-free.
JOINED = "; "
# How long a killed command's worker processes may take to go (the kernel kills them at once).
ORPHAN_GRACE_SECONDS = 5.0
POLL_SECONDS = 0.01
# Runs started at most, to get KILLS runs killed before they finish.
MAX_TRIALS = 3 * KILLS
# Kills that left a pending change are also read past the recovery, until this many of them
# showed rows a clean ingest would not give (the failure this file is about).
STALE_EVIDENCE = 2


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One replica of each sample, each published by other organizations in another year."""
    out = tmp_path_factory.mktemp("replicas")
    files = []
    for n, sample in enumerate(sorted(EXAMPLES.glob("*.txt"))):
        path = out / f"replica-{n}-{sample.name}"
        path.write_text(replicate_text(sample.read_text(encoding="utf-8"), districts()[n + 1], n + 1),
                        encoding="utf-8")
        files.append(path)
    return files


@pytest.fixture(scope="module")
def parsed(replicas: list[Path]) -> dict[str, api.Parsed]:
    return {api.document_id(str(p)): api.parse_file(str(p)) for p in replicas}


def cells(result) -> list[tuple[str, ...]]:  # noqa: ANN001 - a Result
    out = []
    for row in result.rows:
        values = [t.value if t else "" for t in row]
        out.append(tuple(JOINED.join(sorted(c.split(JOINED))) if JOINED in c else c for c in values))
    return sorted(out)


def all_rows(run) -> dict[str, list[tuple[str, ...]]]:  # noqa: ANN001 - run(name, params) -> Result
    """Every named query's rows (required parameters from REQUIRED_PARAMS), order-free."""
    queries = api.load_named_queries()
    return {name: cells(run(name, {p.name: REQUIRED_PARAMS[p.name] for p in q.params if p.required}))
            for name, q in queries.items()}


def on(store: EmbeddedStore):  # noqa: ANN201
    """run(name, params) straight on an open store, past budgetkg.store's checks."""
    return lambda name, params: store.select(bind(api.load_named_queries()[name], params))


class Clean:
    """Named-query rows of a clean store holding exactly a set of the replicas (cached per set)."""

    def __init__(self, parsed: dict[str, api.Parsed], root: Path) -> None:
        self.parsed, self.root, self.cache = parsed, root, {}

    def __call__(self, documents: frozenset[str]) -> dict[str, list[tuple[str, ...]]]:
        if documents not in self.cache:
            store = EmbeddedStore(self.root / f"clean-{len(self.cache)}")
            store.ensure_ontology()
            for doc in sorted(documents):
                store.replace_graph(iris.graph(doc), self.parsed[doc].triples)
            derive.refresh(store)
            self.cache[documents] = all_rows(on(store))
            store.close()
        return self.cache[documents]


def listed(store_dir: Path) -> frozenset[str]:
    return frozenset(d.document_id for d in api.documents(str(store_dir)))


def raw_rows(store_dir: Path) -> tuple[frozenset[str], dict[str, list[tuple[str, ...]]]]:
    """What the store holds as the kill left it, read past the recovery (the store before this fix)."""
    store = EmbeddedStore(store_dir, read_only=True)
    try:
        return frozenset(d.document_id for d in store.documents()), all_rows(on(store))
    finally:
        store.close()


def run_until_change(command: list[str], store_dir: Path) -> tuple[subprocess.Popen, float]:
    """Start ``budgetkg COMMAND``; return it once it has begun changing the store (or ended) and when that was."""
    generation = read_state(store_dir).generation if store_dir.exists() else 0
    proc = subprocess.Popen([*BUDGETKG, *command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None:
        if (store_dir / STATE_FILE).exists() and read_state(store_dir).generation > generation:
            break
        time.sleep(POLL_SECONDS)
    return proc, time.monotonic()


def test_sigkill_at_random_points_leaves_clean_ingest_rows(replicas: list[Path], parsed: dict[str, api.Parsed],
                                                           tmp_path: Path) -> None:
    rng = random.Random(SEED)
    clean = Clean(parsed, tmp_path)
    store_dir = tmp_path / "store"
    # A full run into an empty store, timed from its first write to its end: the kills fall
    # anywhere in that window (writes, bulk loads, derivation, the state file's updates).
    proc, began = run_until_change(["ingest", "--store", str(store_dir), *map(str, replicas)], store_dir)
    assert proc.wait() == 0
    window = time.monotonic() - began
    assert listed(store_dir) == set(parsed)
    kills = trial = pending_after_kill = stale_without_recovery = deletes = 0
    while kills < KILLS:
        trial += 1
        assert trial <= MAX_TRIALS, f"only {kills} of {trial} runs were still going when killed"
        if trial % 3 == 1:  # a fresh store: kills land in first writes (bulk loads) and first derivations
            subprocess.run(["rm", "-rf", str(store_dir)], check=True)
        stored = sorted(listed(store_dir)) if store_dir.exists() else []
        if stored and rng.random() < 0.25:
            command = ["documents", "--store", str(store_dir), "--delete", rng.choice(stored)]
            share = 1 / len(replicas)  # a drop and a derivation: about one file's share of the window
        else:
            files = rng.sample(replicas, rng.randint(1, len(replicas)))
            jobs = ["--jobs", "2"] if rng.random() < 0.3 else []
            command = ["ingest", "--store", str(store_dir), *jobs, *map(str, files)]
            share = len(files) / len(replicas)
        proc, _ = run_until_change(command, store_dir)
        time.sleep(rng.uniform(0, window * share))
        if proc.poll() is not None:  # it finished first: no kill (the next kill's check covers its result)
            continue
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        deletes += command[0] == "documents"
        state = read_state(store_dir)
        if state.pending or state.writing:
            pending_after_kill += 1
            if stale_without_recovery < STALE_EVIDENCE:
                documents, before = raw_rows(store_dir)
                stale_without_recovery += before != clean(documents)
        # The next command (a reader here) finishes what the kill left, then answers.
        with budgetkg.open(store_dir, read_only=True) as db:
            assert not read_state(store_dir).pending
            documents = frozenset(d.document_id for d in api.documents(db))
            after = all_rows(lambda name, params: api.query(name, params, store=db))  # noqa: B023
        expected = clean(documents)
        for name in expected:
            assert after[name] == expected[name], (trial, command, state, name, sorted(documents))
    # The kills did land where it matters: between a write and the end of its derivation, and
    # there the store (without recovery) would have answered wrongly at least once.
    assert pending_after_kill >= KILLS // 4, pending_after_kill
    assert stale_without_recovery >= 1
    assert deletes >= 1


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_jobs_workers_die_with_their_parent(replicas: list[Path], tmp_path: Path) -> None:
    proc = subprocess.Popen([*BUDGETKG, "ingest", "--store", str(tmp_path / "s"), "--jobs", "2",
                             *map(str, replicas * 1)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = descendants(proc.pid)
        time.sleep(POLL_SECONDS)
    assert len(workers) >= 2, "the worker processes never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
    assert not [w for w in workers if alive(w)]


def test_a_failing_file_never_stops_the_files_after_it(replicas: list[Path], tmp_path: Path) -> None:
    """A file that cannot be decoded and one over the input limits come first; every file after
    them is ingested, and each of the two gets one line."""
    bad = tmp_path / "0-binary.txt"
    bad.write_bytes(b"\x00\xff" * 100)
    huge = tmp_path / "1-huge.txt"
    huge.write_text("部门名称：" + "甲" * 30_000 + "\n", encoding="utf-8")
    store_dir = tmp_path / "store"
    run = subprocess.run([*BUDGETKG, "ingest", "--store", str(store_dir), str(bad), str(huge), *map(str, replicas)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if line.startswith("budgetkg: ")]
    assert len(errors) == 2 and str(bad) in errors[0] and str(huge) in errors[1], run.stderr
    assert f"ingested {len(replicas)} of {len(replicas) + 2} file(s)" in run.stderr
    assert listed(store_dir) == {p.name for p in replicas}


def test_a_store_write_that_fails_never_stops_the_files_after_it(replicas: list[Path], parsed: dict[str, api.Parsed],
                                                                 tmp_path: Path) -> None:
    """The writer itself failing on one document is reported for that file (one short line) and
    the next files are written. The failure is injected into the real store's write of that one
    graph: a disk error cannot be produced on demand here."""
    store_dir = tmp_path / "store"
    first = api.document_id(str(replicas[0]))
    with api.Database(store_dir) as db:
        real = db.graph_store.replace_graph

        def refuse_first(graph_name, graph):  # noqa: ANN001, ANN202
            if str(graph_name) == str(iris.graph(first)):
                raise RuntimeError("Corruption: block checksum mismatch " + "x" * 500)
            return real(graph_name, graph)

        db.graph_store.replace_graph = refuse_first  # type: ignore[method-assign]
        report = api.ingest(replicas, db)
    assert [path for path, _ in report.failed] == [str(replicas[0])]
    assert report.failed[0][1].startswith("store write failed: Corruption") and len(report.failed[0][1]) < 200
    assert {doc for _, doc, _ in report.ingested} == set(parsed) - {first}
    assert not read_state(store_dir).pending


def test_a_reader_refuses_while_a_writer_holds_a_pending_store(replicas: list[Path], tmp_path: Path) -> None:
    """While another process changes the store (derivation pending), a read answers with one
    line instead of half-derived rows; once the writer is gone the reader finishes the change."""
    store_dir = tmp_path / "store"
    api.ingest(replicas[:1], str(store_dir))
    writer = EmbeddedStore(store_dir)
    writer.begin_change()
    try:
        with pytest.raises(api.StoreError, match="another budgetkg process is changing this store"):
            api.query("organizations", None, str(store_dir))
    finally:
        writer.close()
    assert json.loads((store_dir / STATE_FILE).read_text())["pending"] is True
    assert len(api.query("organizations", None, str(store_dir)).rows) == 1
    assert read_state(store_dir).pending is False


def test_a_half_loaded_graph_is_removed_by_the_next_command(replicas: list[Path], parsed: dict[str, api.Parsed],
                                                            tmp_path: Path) -> None:
    """A process killed while bulk-loading a new document graph leaves it named in the state
    file; the next command removes it, so the document is wholly absent, not half there."""
    store_dir = tmp_path / "store"
    api.ingest(replicas[:1], str(store_dir))
    doc = api.document_id(str(replicas[1]))
    store = EmbeddedStore(store_dir)
    store.begin_change()
    quads = sorted(parsed[doc].triples, key=str)[:100]  # what a load cut short leaves
    store.replace_graph(iris.graph(doc), quads)
    state = read_state(store_dir)
    store.store.flush()
    (store_dir / STATE_FILE).write_text(json.dumps({"generation": state.generation, "pending": True,
                                                    "writing": str(iris.graph(doc))}))
    store.close()
    assert {d.document_id for d in api.documents(str(store_dir))} == {api.document_id(str(replicas[0]))}
    run = subprocess.run([*BUDGETKG, "repair", "--store", str(store_dir)], capture_output=True, text=True)
    assert run.returncode == 0 and "no interrupted change" in run.stderr, run.stderr


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_a_worker_that_dies_costs_no_file(replicas: list[Path], parsed: dict[str, api.Parsed],
                                          tmp_path: Path) -> None:
    """A parsing worker killed from outside (the OOM killer, say) breaks the pool; the files it
    left are parsed again, one process each, and every file is ingested."""
    killed: list[int] = []

    def kill_a_worker() -> None:
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            workers = sorted(descendants(os.getpid()))
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                killed.append(workers[0])
            time.sleep(POLL_SECONDS)

    killer = threading.Thread(target=kill_a_worker)
    killer.start()
    report = api.ingest(replicas, str(tmp_path / "store"), jobs=2)
    killer.join()
    assert killed
    assert report.ok, report.failed
    assert {doc for _, doc, _ in report.ingested} == set(parsed)
