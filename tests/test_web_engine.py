"""The pieces under `budgetkg serve`: the query checks, the engine workers (real processes on a
real store) and the serve lock that keeps ingest out of a served store."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from budgetkg.graph_store.serving import SERVING_PID_ENV, StoreServed, refuse_if_served, serving_pids
from budgetkg.queries.protect import MAX_NESTING, MAX_QUERY_BYTES, Refused, check_query, check_update
from budgetkg.web.engine import ClientGone, EnginePool, QueryTimeout, RemoteError

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.mark.parametrize(("query", "form"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("ASK { ?s ?p ?o }", "ASK"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <https://w3id.org/budgetkg/id/org/x>", "DESCRIBE"),
    # brackets inside strings, IRIs and comments do not count towards the depth
    ('SELECT * WHERE { ?s ?p "' + "{" * 200 + '" } # ' + "{" * 200, "SELECT"),
    ("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> { }", "SELECT"),
    ('SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }', "SELECT"),
])
def test_accepted_queries(query, form):
    assert check_query(query).form == form


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT * WHERE { " * 3000 + "}" * 3000, "nested 3000 deep"),
    ("SELECT * WHERE " + "{ " * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1), f"nested {MAX_NESTING + 1} deep"),
    ("SELECT * WHERE { FILTER(" + "(" * 100 + "1" + ")" * 100 + ") }", "nested 102 deep"),
    ("SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_QUERY_BYTES, "bytes; at most"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", "SERVICE is not allowed"),
    ("SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE SILENT <http://x/> { ?s ?p ?o } } }", "SERVICE is not allowed"),
    ("DROP ALL", "SPARQL syntax error"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "SPARQL syntax error"),
    ("SELECT * WHERE { ?x }", "SPARQL syntax error"),
])
def test_refused_queries(query, message):
    with pytest.raises(Refused, match=message.replace("(", r"\(")):
        check_query(query)


def test_service_allowed_when_asked():
    assert check_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", allow_service=True).form == "SELECT"


def test_updates_are_checked_for_depth_and_service_only():
    assert check_update('INSERT DATA { <urn:a> <urn:b> "SERVICE {{{" }').form == "UPDATE"
    with pytest.raises(Refused, match="SERVICE"):
        check_update("INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
    with pytest.raises(Refused, match="nested"):
        check_update("DELETE WHERE " + "{ " * 500 + "}" * 500)


# --- engine workers ----------------------------------------------------------------------------


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_named_query_runs_in_a_worker_as_api_query_runs_it(text_store):
    from budgetkg import api

    async def go():
        pool = EnginePool(text_store, 1)
        await pool.start()
        try:
            return await pool.call("query", "projects-citing", {"policy": "晋综示发(2020)49号"})
        finally:
            await pool.close()

    assert run(go()).rows == api.query("projects-citing", {"policy": "晋综示发(2020)49号"}, text_store).rows


def test_a_bad_parameter_comes_back_as_the_query_error(text_store):
    async def go():
        pool = EnginePool(text_store, 1)
        await pool.start()
        try:
            await pool.call("query", "projects", {"year": "x"})
        finally:
            await pool.close()

    with pytest.raises(RemoteError, match="is not an integer") as err:
        run(go())
    assert err.value.kind == "QueryError"


def test_a_query_whose_client_goes_is_stopped_and_its_worker_replaced(text_store):
    async def go():
        pool = EnginePool(text_store, 1, timeout_s=60)
        await pool.start()
        try:
            first = next(iter(pool.workers)).proc.pid
            started = time.monotonic()
            client_left_at = started + 1.0

            async def gone() -> bool:
                return time.monotonic() >= client_left_at

            with pytest.raises(ClientGone):
                await pool.call("sparql", CARTESIAN, "text/csv", gone=gone)
            stopped = time.monotonic() - started
            answer = await pool.call("sparql", "ASK {}", "application/sparql-results+json")
            return first, stopped, answer, pool.restarts, {w.proc.pid for w in pool.workers}
        finally:
            await pool.close()

    first, stopped, answer, restarts, pids = run(go())
    assert stopped < 2.0  # well before the 60 s timeout
    assert answer[1] == b'{"head":{},"boolean":true}'
    assert restarts == 1 and first not in pids
    assert not Path(f"/proc/{first}").exists() or "Z" in Path(f"/proc/{first}/stat").read_text().split(")")[1][:3]


def test_the_timeout_kills_the_worker_and_the_other_one_answers_at_once(text_store):
    async def go():
        pool = EnginePool(text_store, 2, timeout_s=1.0)
        await pool.start()
        try:
            with pytest.raises(QueryTimeout):
                await pool.call("sparql", CARTESIAN, "text/csv")
            started = time.monotonic()
            await pool.call("sparql", "ASK {}", "application/sparql-results+json")
            return time.monotonic() - started
        finally:
            await pool.close()

    assert run(go()) < 1.0


# --- the serve lock ----------------------------------------------------------------------------


def test_a_live_serve_lock_refuses_writers_and_a_dead_one_is_ignored(tmp_path, monkeypatch):
    monkeypatch.delenv(SERVING_PID_ENV, raising=False)
    # A live process whose command line names budgetkg, as `budgetkg serve` does.
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "budgetkg"])
    cmdline = Path(f"/proc/{holder.pid}/cmdline")
    deadline = time.monotonic() + 10
    while b"budgetkg" not in cmdline.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.01)  # until the child has exec'd: before that it shows its parent's command line
    try:
        (tmp_path / f"budgetkg-serve-{holder.pid}.pid").write_text(f"{holder.pid}\n")
        assert serving_pids(tmp_path) == [holder.pid]
        with pytest.raises(StoreServed, match=f"being served by `budgetkg serve` \\(pid {holder.pid}\\)") as err:
            refuse_if_served(tmp_path)
        assert err.value.exit_code == 4
        monkeypatch.setenv(SERVING_PID_ENV, str(holder.pid))  # that serve's own engine workers
        refuse_if_served(tmp_path)
    finally:
        holder.kill()
        holder.wait()
    monkeypatch.delenv(SERVING_PID_ENV)
    assert serving_pids(tmp_path) == []  # its process is gone: the file left behind is ignored
    refuse_if_served(tmp_path)


def test_a_recycled_pid_of_another_program_does_not_hold_the_store(tmp_path):
    (tmp_path / f"budgetkg-serve-{os.getppid()}.pid").write_text("x")  # pytest's parent: a shell, not budgetkg
    cmdline = Path(f"/proc/{os.getppid()}/cmdline")
    if cmdline.exists() and b"budgetkg" in cmdline.read_bytes():
        pytest.skip("the parent process of this test names budgetkg")
    assert serving_pids(tmp_path) == []


def test_a_worker_killed_from_outside_costs_one_answer_and_is_replaced(text_store):
    import signal

    from budgetkg.web.engine import EngineError

    async def go():
        pool = EnginePool(text_store, 1)
        await pool.start()
        try:
            (worker,) = pool.workers
            os.kill(worker.proc.pid, signal.SIGKILL)
            await worker.proc.wait()
            with pytest.raises(EngineError, match="stopped unexpectedly"):
                await pool.call("sparql", "ASK {}", "application/sparql-results+json")
            answer = await pool.call("sparql", "ASK {}", "application/sparql-results+json")
            return answer, pool.restarts
        finally:
            await pool.close()

    answer, restarts = run(go())
    assert answer[1] == b'{"head":{},"boolean":true}' and restarts == 1
