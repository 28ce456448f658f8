"""`budgetkg serve`: the Oxigraph server (PyPI ``oxigraph``) on a budgetkg store.

The server binary must be the same version as pyoxigraph, which wrote the store:
Oxigraph's on-disk format is not stable across versions. The server runs as a
child process in its own session, so Ctrl-C reaches only budgetkg, which then stops
the server and waits for it (every update the server accepted is already committed
to disk; there is no buffered state to lose).

Endpoints of the served store (Oxigraph's layout): ``/`` the YASGUI query page,
``/query`` SPARQL queries, ``/update`` SPARQL updates and ``/store`` the Graph Store
Protocol (both refused with HTTP 403 unless ``--writable``).
"""
from __future__ import annotations

import ipaddress
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pyoxigraph

from budgetkg.graph_store.base import StoreError

DEFAULT_BIND = "127.0.0.1:7878"
# How long the server may take to open the store and listen, and to stop.
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
# The line Oxigraph prints once it accepts connections.
LISTENING = re.compile(r"Listening for requests at (?P<url>\S+)")
# `--bind` values: host:port, [v6]:port.
BIND = re.compile(r"^(?:\[(?P<v6>[0-9a-fA-F:.]+)\]|(?P<host>[^:\[\]]+)):(?P<port>\d{1,5})$")
LOOPBACK_NAMES = ("localhost",)


@dataclass(frozen=True, slots=True)
class Served:
    base_url: str
    query_url: str
    update_url: str
    graph_store_url: str
    writable: bool


def oxigraph_binary() -> str:
    """The `oxigraph` program installed beside this Python, else on PATH; same version as pyoxigraph."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    wanted = pyoxigraph.__version__
    if not found:
        raise StoreError(f"the Oxigraph server is not installed: pip install 'oxigraph=={wanted}' "
                         f"(into the environment budgetkg runs in)")
    try:
        out = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired) as err:
        raise StoreError(f"{found}: cannot run the Oxigraph server ({err})") from err
    version = out.split()[-1] if out.split() else "unknown"
    if version != wanted:
        raise StoreError(f"{found} is Oxigraph {version}, but the store is written by pyoxigraph {wanted}: "
                         f"pip install 'oxigraph=={wanted}' (the on-disk format changes between versions)")
    return found


def parse_bind(bind: str) -> tuple[str, int, bool]:
    """host, port, and whether the host is a loopback address."""
    match = BIND.match(bind.strip())
    if not match or not 0 < int(match.group("port")) < 65536:
        raise StoreError(f"--bind {bind!r}: expected HOST:PORT, e.g. {DEFAULT_BIND} or [::1]:7878")
    host = match.group("v6") or match.group("host")
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host.lower() in LOOPBACK_NAMES
    return host, int(match.group("port")), loopback


def server_command(store: Path, bind: str, writable: bool) -> list[str]:
    mode = "serve" if writable else "serve-read-only"
    # --union-default-graph: queries without GRAPH see every document, as `budgetkg query` does.
    return [oxigraph_binary(), mode, "--location", str(store), "--bind", bind, "--union-default-graph"]


def check_store(store: Path, writable: bool) -> None:
    if writable:
        return  # the server creates a new store
    if not (store / "CURRENT").is_file():
        raise StoreError(f"{store}: no store here yet (run `budgetkg ingest --store {store} ...` first, "
                         f"or serve an empty one with --writable)")


def serve(store: str | Path, bind: str = DEFAULT_BIND, *, writable: bool = False,
          on_ready: Callable[[Served], None] | None = None, on_output: Callable[[str], None] | None = None) -> int:
    """Run the Oxigraph server on ``store`` until Ctrl-C / SIGTERM; return an exit status.

    Raises StoreError if the server cannot start (missing binary, wrong version, no store,
    port in use, store locked by a writer).
    """
    store = Path(store)
    host, port, _ = parse_bind(bind)
    check_store(store, writable)
    command = server_command(store, bind, writable)
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)  # Ctrl-C goes to us; we stop the server
    assert proc.stdout is not None
    lines: list[str] = []
    ready = threading.Event()
    url_holder: list[str] = []

    def read_output() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.rstrip("\n")
            match = LISTENING.search(line)
            if match and not ready.is_set():
                url_holder.append(match.group("url"))
                ready.set()
            elif ready.is_set() and on_output:
                on_output(line)
            else:
                lines.append(line)
        ready.set()  # the server ended

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    # Ctrl-C and SIGTERM only set this event; the loop below notices it. Raising
    # KeyboardInterrupt at an arbitrary point (say inside Popen.wait, holding its lock)
    # could leave the shutdown itself unable to wait for the server.
    stopping = threading.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.getsignal(sig) for sig in signals}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    for sig in signals:
        signal.signal(sig, on_signal)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready.wait(0.2) and not stopping.is_set() and time.monotonic() < deadline:
            pass
        if stopping.is_set():
            return 0
        if not url_holder:
            stop(proc)
            reader.join(STOP_TIMEOUT_S)
            raise StoreError(f"the Oxigraph server did not start on {bind}: {startup_error(lines)}")
        shown_host = f"[{host}]" if ":" in host else host
        base = f"http://{shown_host}:{port}"
        served = Served(f"{base}/", f"{base}/query", f"{base}/update", f"{base}/store", writable)
        if on_ready:
            on_ready(served)
        while proc.poll() is None and not stopping.wait(0.5):
            pass
        if stopping.is_set():
            return 0
        reader.join(STOP_TIMEOUT_S)
        if proc.returncode != 0:
            raise StoreError(f"the Oxigraph server stopped (exit status {proc.returncode}): {startup_error(lines)}")
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        stop(proc)


def stop(proc: subprocess.Popen[str]) -> None:
    """SIGTERM, wait, then SIGKILL if it does not go."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_TIMEOUT_S)


def startup_error(lines: list[str]) -> str:
    """Oxigraph's own error line ("Error: ..."), without its backtrace."""
    for line in lines:
        if line.startswith("Error:"):
            return line.removeprefix("Error:").strip()
    meaningful = [line for line in lines if line.strip()]
    return meaningful[0].strip() if meaningful else "no output"
