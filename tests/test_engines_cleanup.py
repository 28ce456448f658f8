"""A server started by tests.engines dies with the process that started it, even when
that process is ended by SIGTERM or SIGKILL (no `with` cleanup runs then): a child Python
process starts the real engine, is signalled, and the engine's pid and port must be gone."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.engines import oxigraph_server, virtuoso_available

# The child starts an engine, prints its pid, port and temporary directory on one line, then
# waits to be signalled.
STARTER = """
import json, sys, time
from tests import engines
with getattr(engines, sys.argv[1])() as engine:
    port = int(engine.base_url.rsplit(":", 1)[1])
    tmp = engine.directory if engine.name == "virtuoso" else engine.directory.parent
    print(json.dumps({"pid": engine.pid, "port": port, "tmp": str(tmp)}), flush=True)
    time.sleep(600)
"""
GONE_WITHIN_S = 5.0
pytestmark = pytest.mark.engines  # starts the Oxigraph server and Virtuoso (make test-engines)


def alive(pid: int) -> bool:
    """Running (a zombie left for a PID 1 that does not reap counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def start_child(starter: str) -> tuple[subprocess.Popen[str], int, int, Path]:
    child = subprocess.Popen([sys.executable, "-c", STARTER, starter], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None
    line = child.stdout.readline()
    if not line:
        child.kill()
        pytest.fail(f"the child did not start {starter}: {child.communicate()[1][-2000:]}")
    started = json.loads(line)
    return child, started["pid"], started["port"], Path(started["tmp"])


def wait_gone(pid: int, port: int, tmp: Path) -> float:
    began = time.monotonic()
    while time.monotonic() - began < GONE_WITHIN_S:
        if not alive(pid) and not answers(port):
            return time.monotonic() - began
        time.sleep(0.1)
    state = f"pid {pid} {'running' if alive(pid) else 'gone'}, port {port} {'answers' if answers(port) else 'closed'}"
    kill_quietly(pid, tmp)
    pytest.fail(f"{GONE_WITHIN_S:g} s after its parent ended, the server is still there: {state}")


def kill_quietly(pid: int, tmp: Path) -> None:
    """A failed test must not leave the server behind either; the pid is only signalled while
    it is still this server (its command line names the temporary directory), never a reuse."""
    with contextlib.suppress(OSError):
        if alive(pid) and str(tmp) in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
            os.kill(pid, signal.SIGKILL)


STARTERS = ["oxigraph_server", pytest.param("virtuoso", marks=pytest.mark.skipif(
    not virtuoso_available(), reason="virtuoso-opensource-7-bin is not installed"))]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_DEATHSIG is Linux only")
@pytest.mark.parametrize("starter", STARTERS)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_server_dies_with_its_parent(starter: str, sig: signal.Signals) -> None:
    child, pid, port, tmp = start_child(starter)
    try:
        assert alive(pid) and answers(port)
        child.send_signal(sig)
        assert child.wait(timeout=30) == -sig
        wait_gone(pid, port, tmp)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        kill_quietly(pid, tmp)
        # Known limit: the starter's temporary directory outlives a killed parent.
        assert tmp.name.startswith("budgetkg-")
        shutil.rmtree(tmp, ignore_errors=True)


def test_server_stops_when_the_with_block_ends() -> None:
    """The ordinary path still stops the server and frees the port."""
    with oxigraph_server() as engine:
        port = int(engine.base_url.rsplit(":", 1)[1])
        pid = engine.pid
        assert alive(pid) and answers(port)
    assert not alive(pid) and not answers(port)
