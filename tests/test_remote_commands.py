"""`budgetkg policy`, `policies` and `validate` on a remote store: against a real Oxigraph server
(started here, on loopback, stopped after) holding the three sample texts, each command prints
exactly what it prints for the embedded store of the same texts (stdout, stderr, exit status),
on a server whose default graph is the union of its graphs (as `budgetkg serve`) and on a plain
one (budgetkg then names its graphs in each request)."""
from __future__ import annotations

import os
import subprocess

import pytest

from budgetkg import api
from budgetkg.graph_store.embedded import EmbeddedStore
from budgetkg.graph_store.remote import ENDPOINT_ENV, RemoteStore
from tests.conftest import EXAMPLES, SAMPLES
from tests.engines import free_port, oxigraph_server
from tests.remote_support import CLI

pytestmark = pytest.mark.engines  # starts the Oxigraph server (make test-engines)

TEXTS = [str(EXAMPLES / f"{n}.txt") for n in SAMPLES]
POLICY = ["policy", "晋综示发(2020)49号"]
UNKNOWN_ISSUERS = ["policies", "--unknown-issuers"]
VALIDATE = ["validate", "--allow-warnings"]
COMMANDS = [
    POLICY,
    ["policy", "晋综改委复〔2025〕4号", "--format", "json"],  # relations, two written forms
    ["policy", "消费券发放活动"],  # found by a part of its title
    UNKNOWN_ISSUERS,
    ["policies", "--title-conflicts", "--format", "csv"],
    ["policies", "--format", "csv"],
    VALIDATE,
    ["validate", "--no-shacl", "--format", "csv"],
]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BUDGETKG_")}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=600, env={**environ, **(env or {})})


def output(done: subprocess.CompletedProcess[str]) -> tuple[int, str, str]:
    return done.returncode, done.stdout, done.stderr


# The engine fixture's parameter: does the server's default graph hold the union of its graphs?
BOTH_SERVERS = pytest.mark.parametrize("engine", [True, False], indirect=True,
                                       ids=["union-default-graph", "plain-server"])
UNION_SERVER = pytest.mark.parametrize("engine", [True], indirect=True, ids=["union-default-graph"])


@pytest.fixture(scope="module")
def engine(request):
    """An Oxigraph server holding the samples; parametrised indirectly: union default graph or not."""
    with oxigraph_server(union_default_graph=request.param) as running:
        report = api.ingest(TEXTS, endpoint=running.endpoint)
        assert report.ok, report.failed
        yield running


@pytest.fixture(scope="module")
def embedded_output(text_store):
    """Each command's output on the embedded store, computed once for both servers."""
    cache: dict[tuple[str, ...], tuple[int, str, str]] = {}

    def get(args: list[str]) -> tuple[int, str, str]:
        if tuple(args) not in cache:
            cache[tuple(args)] = output(run(*args, "--store", text_store))
        return cache[tuple(args)]

    return get


@BOTH_SERVERS
@pytest.mark.parametrize("args", [c for c in COMMANDS if c != VALIDATE], ids=" ".join)
def test_command_prints_what_the_embedded_store_prints(engine, embedded_output, args):
    assert output(run(*args, "--endpoint", engine.endpoint.query)) == embedded_output(args)


@UNION_SERVER
def test_validate_with_shacl_prints_what_the_embedded_store_prints(engine, embedded_output):
    """SHACL over each graph as fetched through the store. On one server only: the dataset a
    plain server needs changes queries (checked above with --no-shacl), not how a graph is fetched."""
    assert output(run(*VALIDATE, "--endpoint", engine.endpoint.query)) == embedded_output(VALIDATE)


def test_the_compared_outputs_are_the_real_answers(embedded_output):
    """What the comparison above holds equal is the samples' content, not an empty answer."""
    code, out, _ = embedded_output(POLICY)
    assert code == 0 and out.startswith("晋综示发〔2020〕49号  (numbered_document)\n")
    assert "  cited by (6):\n" in out and "园区征地项目经费  立项依据  84,980,000.00 元" in out
    code, out, _ = embedded_output(UNKNOWN_ISSUERS)
    assert code == 0 and "晋证办发〔2019〕10号" in out and "民管字〔2014〕16号" in out
    code, out, err = embedded_output(VALIDATE)
    assert code == 1  # the samples have violations, which --allow-warnings still fails on
    assert err.startswith("administrative-approval-bureau-2025.txt: ") and "SHACL: 3 of 3 conform" in err
    assert "sheet_vs_project,violation,12,公务出行交通补贴经费,,298,40000,60000," in out


@UNION_SERVER
def test_endpoint_from_the_environment(engine, embedded_output):
    done = run(*UNKNOWN_ISSUERS, env={ENDPOINT_ENV: engine.endpoint.query})
    assert output(done) == embedded_output(UNKNOWN_ISSUERS)


@BOTH_SERVERS
def test_validate_store_takes_any_graph_store(engine, text_store):
    """The library function behind `validate`: the same report from either backend."""
    from budgetkg.validation import validate_store

    remote = validate_store(RemoteStore(engine.endpoint), shacl=False)
    local = validate_store(EmbeddedStore(text_store, read_only=True), shacl=False)
    assert remote.rows == local.rows
    assert {"sheet_vs_project", "rounding", "sheet_name_differs"} <= {r["check"] for r in local.rows}
    assert [d.summary() for d in remote.documents] == [d.summary() for d in local.documents]


@pytest.mark.parametrize("args", [POLICY, UNKNOWN_ISSUERS, VALIDATE], ids=" ".join)
def test_an_unreachable_endpoint_is_one_line(args):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    done = run(*args, "--endpoint", url)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines()[0] == (f"budgetkg: {url}: query failed: connection refused "
                                           f"(is the server running, on this host and port?)")


@pytest.mark.parametrize("args", [POLICY, UNKNOWN_ISSUERS, VALIDATE], ids=" ".join)
def test_store_and_endpoint_together_is_an_error(args, tmp_path):
    done = run(*args, "--store", str(tmp_path), "--endpoint", "http://127.0.0.1:1/sparql")
    assert done.returncode == 2 and done.stderr == "budgetkg: give --store or --endpoint, not both\n"
