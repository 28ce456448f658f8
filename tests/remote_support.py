"""Shared by the serve / remote-engine / browser tests: the named queries with the
parameters of their own `# example:` line, row comparison, the linked corpus with its
text-parameter cases (every engine must give the embedded store's rows), and `budgetkg
serve` as a real child process."""
from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import XSD, Dataset, Graph, Literal
from rdflib.compare import isomorphic

from budgetkg import api
from budgetkg.graph_store.results import Result
from budgetkg.queries import load_named_queries
from tests.conftest import EXAMPLES
from tests.engines import RunningEngine, free_port
from tests.test_policies import ADMIN, ECONOMIC, ECONOMIC_EDITS, PARK, write_edited
from tests.test_references_relations import CHAIN

CLI = [sys.executable, "-m", "budgetkg.cli"]
READY = re.compile(r"serving .* at (?P<url>http://\S+)")
SEPARATOR = "; "


def example_params(name: str) -> dict[str, str]:
    """The --param values of a named query's first `# example:` line."""
    query = load_named_queries()[name]
    params: dict[str, str] = {}
    for example in query.examples[:1]:
        words = shlex.split(example)
        for flag, value in zip(words, words[1:], strict=False):
            if flag in ("--param", "-p") and "=" in value:
                key, val = value.split("=", 1)
                params[key] = val
    return params


def named_query_cases() -> list[tuple[str, dict[str, str]]]:
    return [(name, example_params(name)) for name in load_named_queries()]


def comparable(result: Result) -> list[tuple[str | None, ...]]:
    """Rows as N-Triples terms. A GROUP_CONCAT list ("a; b") is compared as a set of items:
    SPARQL leaves the order inside GROUP_CONCAT to the engine (SPARQL 1.1, 18.5.1.7)."""
    rows = []
    for row in result.rows:
        cells: list[str | None] = []
        for term in row:
            if term is None:
                cells.append(None)
            elif SEPARATOR in term.value:
                cells.append("{" + SEPARATOR.join(sorted(term.value.split(SEPARATOR))) + "}")
            else:
                cells.append(term.ntriples())
        rows.append(tuple(cells))
    return rows


# Parameters that pick documents by part of a title (CJK or not, with or without 《》) or by a
# 文号 written another way, and project names: each must give the embedded store's rows on a
# corpus where documents are shared across organizations and years (linked_corpus). Before the
# policies query chose its documents in a sub-select, Virtuoso 7.2.5 dropped every document
# without an issuer code for a title (协议, 3.0版: not a CJK or CONTAINS matter) and counted no
# citing project for one document under 办法.
TEXT_PARAM_CASES: list[tuple[str, dict[str, str]]] = [
    ("policies", {"policy": "协议"}),  # contracts: no 文号, no issuer code
    ("policies", {"policy": "网络安全"}),
    ("policies", {"policy": "《促进创新创业企业发展》"}),
    ("policies", {"policy": "数字化转型"}),
    ("policies", {"policy": "办法"}),
    ("policies", {"policy": "3.0版"}),
    ("policies", {"policy": "晋综示发(2020)49号"}),
    ("policies", {"policy": "晋综示发〔２０２０〕４９号"}),
    ("shared-policies", {}),
    ("shared-policies", {"policy": "数字化转型"}),
    ("shared-policies", {"policy": "协议"}),
    ("shared-policies", {"policy": "晋综示发[2020]049号"}),
    ("shared-policies", {"policy": "《晋中市服务企业常态化工作考核办法》"}),  # title-only mention counted under its 文号
    ("projects-citing", {"policy": "经济普查"}),
    ("projects-citing", {"policy": "预算绩效管理"}),  # also through a forwarding notice
    ("projects-citing", {"policy": "市政办发[2022]32号"}),
    ("projects-citing", {"policy": "晋综示发【2020】第49号"}),
    ("projects-citing", {"policy": "《国家发展改革委投资咨询评估管理办法》"}),
    ("project-history", {"name": "党建工作"}),
    ("project-history", {"name": "征地"}),
    ("project-history", {"name": "周边 事务"}),
]


def text_param_cases() -> list:
    return [pytest.param(name, params, id=f"{name}-{'-'.join(params.values()) or 'all'}")
            for name, params in TEXT_PARAM_CASES]


def linked_corpus(folder: Path) -> list[str]:
    """The texts of tests/test_policies.py's linked store: the park and economic samples, the
    economic one a year later citing shared documents, the administrative one with a forwarding
    chain. Edited copies are written to ``folder``."""
    write_edited(EXAMPLES / f"{ECONOMIC}.txt", folder / "jinzhong-economic-operation-2025.txt", ECONOMIC_EDITS,
                 year=("2024", "2025"))
    write_edited(EXAMPLES / f"{ADMIN}.txt", folder / "administrative-approval-bureau-chain-2025.txt",
                 [("（二）其他\n", "（二）其他\n\n" + CHAIN + "\n")])
    return [str(EXAMPLES / f"{PARK}.txt"), str(EXAMPLES / f"{ECONOMIC}.txt"),
            str(folder / "jinzhong-economic-operation-2025.txt"),
            str(folder / "administrative-approval-bureau-chain-2025.txt")]


@contextmanager
def linked_stores(tmp_path_factory: pytest.TempPathFactory,
                  start_engine: Callable[[], AbstractContextManager[RunningEngine]]
                  ) -> Iterator[tuple[RunningEngine, str]]:
    """(a started engine, an embedded store), both holding linked_corpus()."""
    files = linked_corpus(tmp_path_factory.mktemp("linked-texts"))
    local = str(tmp_path_factory.mktemp("linked-store"))
    assert api.ingest(files, local).ok
    with start_engine() as running:
        report = api.ingest(files, endpoint=running.endpoint)
        assert report.ok, report.failed
        yield running, local


def assert_linked_parity(linked: tuple[RunningEngine, str], name: str, params: dict[str, str]) -> None:
    running, local = linked
    expected = api.query(name, params, local)
    assert expected.rows  # a case that matches nothing would prove nothing
    assert comparable(api.query(name, params, endpoint=running.endpoint)) == comparable(expected)


@dataclass
class ServeProcess:
    proc: subprocess.Popen[str]
    url: str
    output: list[str]
    reader: threading.Thread | None = None  # drains proc.stdout into output

    def printed(self) -> str:
        """Everything printed so far; all of it once the process has ended."""
        if self.proc.poll() is not None and self.reader is not None:
            self.reader.join(10)
        return "".join(self.output)


@contextmanager
def budgetkg_serve(store: str, *extra: str, port: int | None = None) -> Iterator[ServeProcess]:
    """`budgetkg serve` in a child process, until its banner names the URL; SIGINT after."""
    port = port or free_port()
    proc = subprocess.Popen([*CLI, "serve", "--store", store, "--bind", f"127.0.0.1:{port}", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    output: list[str] = []
    deadline = time.monotonic() + 60
    url = None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        output.append(line)
        match = READY.search(line)
        if match:
            url = match.group("url")
            break
    # Keep reading what the server prints: a full pipe would block its writes (and its
    # shutdown) while the test is busy elsewhere.
    drain = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)  # type: ignore[arg-type]
    drain.start()
    try:
        assert url, f"budgetkg serve did not start: {''.join(output)}"
        yield ServeProcess(proc, url, output, drain)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def undated(graph: Graph) -> Graph:
    """``graph`` without its xsd:dateTime values: the catalog records when each store ingested a
    file, which two stores built one after the other never share."""
    out = Graph()
    for s, p, o in graph:
        if not (isinstance(o, Literal) and o.datatype == XSD.dateTime):
            out.add((s, p, o))
    return out


def assert_same_export(remote: bytes, local: bytes) -> None:
    """Two N-Quads exports hold the same graphs, isomorphic, ingest dates aside."""
    remote_ds, local_ds = Dataset(), Dataset()
    remote_ds.parse(data=remote, format="nquads")
    local_ds.parse(data=local, format="nquads")
    graphs = sorted(str(g.identifier) for g in local_ds.graphs() if len(g))
    assert sorted(str(g.identifier) for g in remote_ds.graphs() if len(g)) == graphs
    for name in graphs:
        assert isomorphic(undated(remote_ds.graph(name)), undated(local_ds.graph(name))), name


def exported_document(data: bytes, document_id: str) -> Graph:
    """The document's own graph out of an N-Quads export (its DCAT description is in the catalog graph)."""
    from budgetkg.ontology import iris

    dataset = Dataset()
    dataset.parse(data=data, format="nquads")
    graph = Graph()
    for triple in dataset.graph(iris.graph(document_id)):
        graph.add(triple)
    return graph
