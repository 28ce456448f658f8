"""Start real SPARQL engines on loopback for tests and benchmarks: the Oxigraph server and
Virtuoso 7 (Debian's ``virtuoso-opensource-7-bin``), each in a temporary directory on free
ports, stopped (and their directories removed) on exit, and killed by the kernel if the
process that started them ends without that cleanup (``die_with_parent_preexec``).

    with virtuoso() as engine:
        store = RemoteStore(engine.endpoint)

Test and bench tooling, not part of budgetkg: the remote-engine tests and ``bench/engines.py``
import it (``from tests.engines import ...``, the repository root on ``sys.path`` as pytest and
``python -m bench.run`` put it) so they share one way of running the engines.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from budgetkg.graph_store.base import StoreError
from budgetkg.graph_store.remote import Endpoint
from budgetkg.ingest.pipeline import die_with_parent_preexec

VIRTUOSO_BINARY = "virtuoso-t"
ISQL_BINARY = "isql-vt"
# A fresh Virtuoso database takes a few seconds to create; a loaded one longer to open.
START_TIMEOUT_S = 120.0
# The account the tests write with: digest auth on /sparql-auth and /sparql-graph-crud-auth.
VIRTUOSO_USER = "budgetkg"
VIRTUOSO_PASSWORD = "budgetkg-test-password"
# Virtuoso's defaults cap results at 10,000 rows and queries at 60 s; the replicated bench
# corpus needs more. NumberOfBuffers: 8 KiB pages (about 680 MiB); a million triples fits.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = 85000
MaxDirtyBuffers = 65000
MaxQueryMem = 1G
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 8
MaxClientConnections = 8
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = {query_timeout_s}
"""


# Named queries that make the Virtuoso 7.2.5 server process exit: tests and benchmarks
# never send them (tests/test_remote_virtuoso.py lists the other differences). None today:
# policy-graph and shared-policies were rewritten (queries/named/*.rq say which shapes it dies on).
VIRTUOSO_CRASHES: dict[str, str] = {}


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



@dataclass(frozen=True, slots=True)
class RunningEngine:
    name: str
    endpoint: Endpoint
    base_url: str
    directory: Path
    pid: int  # the server process


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def virtuoso_available() -> bool:
    return shutil.which(VIRTUOSO_BINARY) is not None and shutil.which(ISQL_BINARY) is not None


def wait_for_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"engine exited with status {proc.returncode}: {tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"engine did not answer at {url} within {timeout:g} s: {tail(log)}")


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


# Servers are started with ``die_with_parent_preexec()`` (budgetkg.ingest.pipeline), so that
# they die with this process.
# The ``with`` blocks below stop the server on any exception, but not when this process is
# ended by a signal it does not handle (SIGTERM, SIGKILL, an OOM kill): no Python code runs
# then. PR_SET_DEATHSIG is chosen over a SIGTERM handler registered here because the kernel
# applies it however the parent ends (SIGKILL and crashes included), and it takes over no
# process-wide signal handling (which a library should not, and which only the main thread
# may set). The server gets SIGKILL: its database is a throw-away directory (or Oxigraph's
# crash-safe RocksDB) and nobody is left to wait for a graceful stop. What is not covered: the
# temporary directory stays behind, and the signal follows the *thread* that started the
# server, which is fine as long as that thread is the one inside the ``with`` block.


def alive(pid: int) -> bool:
    """Whether process ``pid`` is running (a zombie is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


@contextmanager
def oxigraph_server(location: Path | None = None, *, writable: bool = True, timeout_s: float | None = None,
                    union_default_graph: bool = True) -> Iterator[RunningEngine]:
    """The Oxigraph server (PyPI ``oxigraph``, the reference engine) on a store directory."""
    with tempfile.TemporaryDirectory(prefix="budgetkg-oxigraph-") as tmp:
        directory = Path(location) if location else Path(tmp) / "store"
        port = free_port()
        log = Path(tmp) / "server.log"
        mode = "serve" if writable else "serve-read-only"
        with log.open("wb") as out:
            proc = subprocess.Popen([oxigraph_binary(), mode, "--location", str(directory),
                                     "--bind", f"127.0.0.1:{port}",
                                     *(["--union-default-graph"] if union_default_graph else []),
                                     *(["--timeout-s", str(int(timeout_s))] if timeout_s else [])],
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                    preexec_fn=die_with_parent_preexec())
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for_http(f"{base}/query?query=ASK%7B%7D", proc, log)
            yield RunningEngine("oxigraph", Endpoint(query=f"{base}/query", update=f"{base}/update",
                                                     graph_store=f"{base}/store"), base, directory, proc.pid)
        finally:
            stop_process(proc)


@contextmanager
def virtuoso(*, graph_store: bool = True, query_timeout_s: float = 600) -> Iterator[RunningEngine]:
    """Virtuoso 7 on a fresh database; updates with digest auth as VIRTUOSO_USER."""
    with tempfile.TemporaryDirectory(prefix="budgetkg-virtuoso-") as tmp:
        directory = Path(tmp)
        sql_port, http_port = free_port(), free_port()
        ini = directory / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port,
                                           query_timeout_s=int(query_timeout_s)))
        log = directory / "stdout.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([VIRTUOSO_BINARY, "+foreground", "+configfile", str(ini)], cwd=directory,
                                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                    preexec_fn=die_with_parent_preexec())
        base = f"http://127.0.0.1:{http_port}"
        try:
            wait_for_http(f"{base}/sparql?query=ASK%7B%7D", proc, log)
            isql(sql_port, f"DB.DBA.USER_CREATE('{VIRTUOSO_USER}', '{VIRTUOSO_PASSWORD}'); "
                           f"GRANT SPARQL_UPDATE TO \"{VIRTUOSO_USER}\";")
            endpoint = Endpoint(query=f"{base}/sparql", update=f"{base}/sparql-auth",
                                graph_store=f"{base}/sparql-graph-crud-auth" if graph_store else None,
                                user=VIRTUOSO_USER, password=VIRTUOSO_PASSWORD, auth="digest")
            yield RunningEngine("virtuoso", endpoint, base, directory, proc.pid)
        finally:
            with suppress(Exception):
                isql(sql_port, "checkpoint; shutdown;", timeout=30)
            stop_process(proc)


def isql(port: int, statements: str, timeout: float = 60) -> str:
    """Run SQL as dba (the fresh database's default password) through isql-vt."""
    done = subprocess.run([ISQL_BINARY, f"127.0.0.1:{port}", "dba", "dba", f"exec={statements}"],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or "*** Error" in done.stdout:
        raise RuntimeError(f"isql failed: {done.stdout[-1000:]} {done.stderr[-1000:]}")
    return done.stdout
