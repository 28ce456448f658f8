"""Shared by the serve / remote-engine / browser tests: the named queries with the
parameters of their own `# example:` line, row comparison, and `budgetkg serve` as a
real child process."""
from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from graph_store.engines import free_port
from graph_store.results import Result
from queries import load_named_queries

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
