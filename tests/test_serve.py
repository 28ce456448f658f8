"""`budgetkg serve` as a real child process: the web app and its SPARQL endpoint on a store,
read-only by default, loopback, union default graph, clean stop on Ctrl-C, engines that die
with it, and no ingest into a store it holds."""
from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from budgetkg import api
from budgetkg.exit_codes import Exit
from budgetkg.graph_store.remote import Endpoint
from tests.conftest import EXAMPLES
from tests.engines import alive
from tests.remote_support import CLI, budgetkg_serve, comparable, example_params

pytestmark = pytest.mark.engines  # starts the Oxigraph server (make test-engines)


def http(url: str, data: bytes | None = None, method: str = "GET", content_type: str | None = None,
         accept: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, method=method)
    if content_type:
        request.add_header("Content-Type", content_type)
    if accept:
        request.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def served(text_store):
    with budgetkg_serve(text_store) as server:
        yield server


def test_web_app_at_root_and_yasgui_editor_served_offline(served):
    status, page = http(served.url)
    assert status == 200 and "/queries/projects-citing" in page and "<b>3</b> 份预算公开" in page
    status, editor = http(served.url + "editor")
    assert status == 200 and "/static/yasgui/yasgui.min.js" in editor and "//cdn" not in editor
    status, script = http(served.url + "static/yasgui/yasgui.min.js")
    assert status == 200 and len(script) > 100_000  # the app's own copy: no CDN needed


def test_the_query_that_crashed_the_oxigraph_server_gets_400_and_the_server_keeps_answering(served):
    crash = "SELECT * WHERE { " * 3000 + "}" * 3000  # 12 KB, nested 3,000 deep (issue 16)
    status, body = http(served.url + "query", data=crash.encode(), method="POST",
                        content_type="application/sparql-query")
    assert status == 400 and "nested 3000 deep" in body
    status, body = http(served.url + "query?query=ASK%7B%7D", accept="application/sparql-results+json")
    assert status == 200 and '"boolean":true' in body
    status, body = http(served.url + "query?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { SERVICE <" + served.url + "query> { ?s ?p ?o } }"}))
    assert status == 400 and "SERVICE is not allowed" in body


def test_banner_says_read_only_and_loopback(served):
    banner = "".join(served.output)
    assert "(read-only)" in banner and served.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize("name", ["organizations", "projects", "citations"])
def test_named_queries_run_unchanged_on_the_served_store(served, text_store, name):
    params = example_params(name)
    endpoint = Endpoint(query=served.url + "query")
    assert comparable(api.query(name, params, endpoint=endpoint)) == comparable(api.query(name, params, text_store))


def test_query_without_graph_sees_the_union_default_graph(served, text_store):
    # Sent raw (no protocol dataset): the server itself must union the graphs.
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/budgetkg/ontology#Disclosure> }"
    status, body = http(served.url + "query?" + urllib.parse.urlencode({"query": query}), accept="text/csv")
    assert status == 200 and body.split()[-1] == "3"


def test_updates_are_refused_by_default(served, text_store):
    before = api.documents(text_store)
    status, body = http(served.url + "update", data=b"DROP ALL", method="POST",
                        content_type="application/sparql-update")
    assert status == 403 and "read-only" in body
    status, _ = http(served.url + "store?graph=urn:x", data=b"<urn:a> <urn:b> <urn:c> .", method="PUT",
                     content_type="text/turtle")
    assert status == 403
    assert api.documents(text_store) == before


def test_remote_ingest_into_a_read_only_server_fails_with_one_clear_line(served):
    done = subprocess.run([*CLI, "ingest", "--endpoint", served.url + "query", "--update-endpoint",
                           served.url + "update", "--graph-store-endpoint", served.url + "store",
                           str(EXAMPLES / "jinzhong-economic-operation-2024.txt")],
                          capture_output=True, text=True, timeout=120)
    # Which status and whether per file or for the run is the ingest's business (issue 14); the
    # server's part is a 403 that says why.
    assert done.returncode != 0
    assert f"{served.url}store: write forbidden (HTTP 403)" in done.stderr  # the server's 403, said once


def test_writable_server_takes_a_remote_ingest(tmp_path):
    with budgetkg_serve(str(tmp_path / "kg"), "--writable") as server:
        assert "(read-write)" in "".join(server.output)
        endpoint = Endpoint(query=server.url + "query", update=server.url + "update",
                            graph_store=server.url + "store")
        report = api.ingest([str(EXAMPLES / "jinzhong-economic-operation-2024.txt")], endpoint=endpoint)
        assert report.ok
        assert [d.document_id for d in api.documents(endpoint=endpoint)] == ["jinzhong-economic-operation-2024.txt"]
    # The server stopped and released the store: it opens here with the same data.
    assert [d.document_id for d in api.documents(str(tmp_path / "kg"))] == ["jinzhong-economic-operation-2024.txt"]


def test_ctrl_c_stops_the_server_and_frees_the_port(text_store):
    with budgetkg_serve(text_store) as server:
        port = int(server.url.rsplit(":", 1)[1].strip("/"))
        server.proc.send_signal(signal.SIGINT)
        assert server.proc.wait(timeout=60) == 0
        assert "server stopped" in server.printed()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0  # nobody listens any more


@pytest.mark.parametrize(("args", "message"), [
    (["--bind", "localhost"], "--bind 'localhost': expected HOST:PORT"),
    (["--bind", "127.0.0.1:99999"], "expected HOST:PORT"),
])
def test_bad_bind_is_one_line(text_store, args, message):
    done = subprocess.run([*CLI, "serve", "--store", text_store, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_serving_a_missing_store_read_only_is_one_line(tmp_path):
    done = subprocess.run([*CLI, "serve", "--store", str(tmp_path / "nothing")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith(f"budgetkg: {tmp_path / 'nothing'}: no store here yet (run `budgetkg ingest ")


def test_port_in_use_is_one_line(text_store):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([*CLI, "serve", "--store", text_store, "--bind", f"127.0.0.1:{port}"],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith(f"budgetkg: the server did not start on 127.0.0.1:{port}: ")
    assert len(done.stderr.strip().splitlines()) == 1


# A copy of a store without the lock files of the servers serving the original.
NOT_THE_LOCKS = shutil.ignore_patterns("budgetkg-serve-*.pid")


# --- issue 14 item 6: no ingest into a store that `budgetkg serve` holds ------------------------


def test_ingest_into_a_served_store_is_refused_until_the_server_stops(text_store, tmp_path):
    store = tmp_path / "kg"
    shutil.copytree(text_store, store, ignore=NOT_THE_LOCKS)
    text = str(EXAMPLES / "jinzhong-economic-operation-2024.txt")
    with budgetkg_serve(str(store)) as server:
        assert [p.name for p in store.glob("budgetkg-serve-*.pid")] == [f"budgetkg-serve-{server.proc.pid}.pid"]
        done = subprocess.run([*CLI, "ingest", "--store", str(store), text], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == Exit.STORE
        assert done.stderr.strip().splitlines() == [
            f"budgetkg: {store}: being served by `budgetkg serve` (pid {server.proc.pid}): stop it, or serve it "
            "--writable and ingest through --endpoint"]
    assert not list(store.glob("budgetkg-serve-*.pid"))  # removed on a clean stop
    done = subprocess.run([*CLI, "ingest", "--store", str(store), text], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


# --- the engine dies with the app ---------------------------------------------------------------


def children(pid: int) -> set[int]:
    """Every live process whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_DEATHSIG is Linux only")
def test_after_kill_9_of_the_app_no_engine_process_remains_and_the_port_is_free(text_store, tmp_path):
    with budgetkg_serve(text_store) as server:
        port = int(server.url.rsplit(":", 1)[1].strip("/"))
        status, _ = http(server.url + "query?query=ASK%7B%7D")
        assert status == 200
        engines = children(server.proc.pid)
        assert len(engines) == 2  # the two engine workers (--workers 2)
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in engines) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in engines)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0  # nobody answers on the port any more
    # The lock a kill -9 leaves behind names a dead process: a writer ignores it.
    store = tmp_path / "kg"
    shutil.copytree(text_store, store, ignore=NOT_THE_LOCKS)
    (store / f"budgetkg-serve-{server.proc.pid}.pid").write_text(f"{server.proc.pid}\n")
    assert api.ingest([str(EXAMPLES / "jinzhong-economic-operation-2024.txt")], str(store)).ok


def test_a_query_whose_client_goes_away_is_stopped(text_store):
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with budgetkg_serve(text_store, "--timeout", "120") as server:
        port = int(server.url.rsplit(":", 1)[1].strip("/"))
        engines = children(server.proc.pid)
        with socket.create_connection(("127.0.0.1", port)) as client:
            path = "/query?" + urllib.parse.urlencode({"query": cartesian})
            client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            time.sleep(1.0)  # the query is running in one of the engines
        # The client has gone: its engine is killed and replaced long before the 120 s timeout.
        deadline = time.monotonic() + 10
        while all(alive(pid) for pid in engines) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not all(alive(pid) for pid in engines)
        status, body = http(server.url + "query?query=ASK%7B%7D", accept="application/sparql-results+json")
        assert status == 200 and '"boolean":true' in body


def test_a_cartesian_query_is_cut_at_the_timeout_and_the_next_one_answers_within_1s(text_store):
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with budgetkg_serve(text_store, "--timeout", "2") as server:
        status, body = http(server.url + "query?" + urllib.parse.urlencode({"query": cartesian}))
        assert status == 503 and "2 s timeout" in body
        started = time.monotonic()
        status, body = http(server.url + "query?query=ASK%7B%7D", accept="application/sparql-results+json")
        assert status == 200 and '"boolean":true' in body
        assert time.monotonic() - started < 1.0
