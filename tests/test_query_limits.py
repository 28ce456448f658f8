"""Issue 14, Build "limits": a query's size and bracket depth are checked before any engine
or parser sees it, and a query stops at its timeout (a child process killed at the deadline)."""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time

import pytest

import budgetkg
from budgetkg import api
from budgetkg.exit_codes import Exit
from budgetkg.queries import QueryError, bind, load_named_queries
from budgetkg.queries.deadline import DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S, call_with_deadline
from budgetkg.queries.named_queries import PARAM_MAX_CHARS, QueryFailed, QueryTimeout
from budgetkg.queries.protect import MAX_NESTING, MAX_QUERY_BYTES

CLI = [sys.executable, "-m", "budgetkg.cli"]
# Three unconstrained patterns over ~31,000 triples: 3e13 solutions, never finishes.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# How long a killed query may take to come back past its timeout (fork, kill, join).
KILL_SLACK_S = 5.0


def nested(depth: int) -> str:
    """A query whose WHERE clause opens ``depth`` brackets in all (the outer one included)."""
    return "SELECT ?s WHERE " + "{ " * (depth - 1) + "{ ?s ?p ?o }" + " }" * (depth - 1) + " LIMIT 1"


def test_every_named_query_is_within_the_limits() -> None:
    from budgetkg.queries.protect import check_size_and_depth, code_only, nesting_depth

    for query in load_named_queries().values():
        sparql = bind(query, {p.name: "2024" if p.type == "integer" else "x" for p in query.params if p.required})
        check_size_and_depth(sparql)
        assert nesting_depth(code_only(sparql)) <= MAX_NESTING // 2, query.name  # room to spare


def test_nesting_at_the_limit_runs_and_past_it_is_refused(text_store: str) -> None:
    assert len(api.query(nested(MAX_NESTING), store_path=text_store).rows) == 1
    with pytest.raises(QueryError, match=f"nested {MAX_NESTING + 1} deep"):
        api.query(nested(MAX_NESTING + 1), store_path=text_store)


def test_brackets_in_strings_iris_and_comments_do_not_count(text_store: str) -> None:
    deep_text = "{(" * 200
    query = (f'SELECT ?s WHERE {{ ?s ?p ?o FILTER(?o != "{deep_text}" && ?o != """{deep_text}""") '
             f"FILTER(?p != <https://example.org/a#b>) }} # {deep_text}\nLIMIT 1")
    assert len(api.query(query, store_path=text_store).rows) == 1


def test_size_limits(text_store: str) -> None:
    padding = "#" + "x" * MAX_QUERY_BYTES + "\n"
    with pytest.raises(QueryError, match=f"at most {MAX_QUERY_BYTES}"):
        api.query("SELECT * WHERE { ?s ?p ?o }" + padding, store_path=text_store)
    with pytest.raises(QueryError, match=f"at most {PARAM_MAX_CHARS}"):
        api.query("projects-citing", {"policy": "文" * (PARAM_MAX_CHARS + 1)}, store_path=text_store)


def test_a_timeout_stops_the_query_and_leaves_nothing_behind(text_store: str) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="after 1 s"):
        api.query(ENDLESS, store_path=text_store, timeout=1)
    assert 1 <= time.monotonic() - started < 1 + KILL_SLACK_S
    assert multiprocessing.active_children() == []
    # The store is free: a writer can open it at once.
    with budgetkg.open(text_store) as db:
        assert len(api.query("organizations", store=db).rows) == 3


def test_a_timeout_gives_the_rows_of_a_query_in_process(text_store: str) -> None:
    in_process = api.query("projects", {"year": "2026"}, store_path=text_store)
    assert api.query("projects", {"year": "2026"}, store_path=text_store, timeout=60).rows == in_process.rows
    with budgetkg.open(text_store, read_only=True) as db:  # a handle: the child opens its own on the same store
        assert api.query("projects", {"year": "2026"}, store=db, timeout=60).rows == in_process.rows


def test_errors_in_the_child_come_back_as_themselves(text_store: str) -> None:
    with pytest.raises(QueryError, match="syntax"):
        api.query("SELECT * WHERE { ?s ?p", store_path=text_store, timeout=30)
    with pytest.raises(api.StoreError, match="no store here yet"):
        api.query("organizations", store_path=f"{text_store}-missing", timeout=30)


class TwoPartError(Exception):
    """An exception that pickles but does not unpickle (its constructor wants two arguments)."""

    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} {second}")


def raise_two_part() -> None:
    raise TwoPartError("a", "b")


def test_a_child_that_dies_or_cannot_send_its_error() -> None:
    with pytest.raises(QueryFailed, match="SIGKILL"):
        call_with_deadline(lambda: os.kill(os.getpid(), signal.SIGKILL), 30)
    with pytest.raises(QueryFailed, match="TwoPartError: a b"):
        call_with_deadline(raise_two_part, 30)
    for bad in (0, -1, float("nan"), float("inf"), MAX_TIMEOUT_S * 2):
        with pytest.raises(QueryError, match="--timeout"):
            call_with_deadline(lambda: 1, bad)


def test_cli_timeout(text_store: str) -> None:
    done = subprocess.run([*CLI, "query", "--store", text_store, "--timeout", "1", ENDLESS], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == Exit.TIMEOUT
    assert done.stderr == "budgetkg: query stopped after 1 s (the --timeout)\n"
    for bad in ("nan", "inf", "1e308"):
        done = subprocess.run([*CLI, "query", "organizations", "--store", text_store, "--timeout", bad],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == Exit.USAGE and done.stderr.startswith("budgetkg: --timeout"), done.stderr
    assert f"[default: {DEFAULT_TIMEOUT_S}" in subprocess.run([*CLI, "query", "--help"], capture_output=True,
                                                                 text=True, timeout=60).stdout.replace("\n", " ")
