"""`budgetkg serve`: the web app (``budgetkg.web``) on a budgetkg store, under uvicorn.

The app answers pages, entity IRIs and the SPARQL 1.1 Protocol (``/query``, alias ``/sparql``);
queries run in engine worker processes (``budgetkg.web.engine``) that die with this process.
While it runs, the store directory holds the serve lock (``budgetkg.graph_store.serving``), so
that ``budgetkg ingest`` refuses a served store instead of writing where the server would keep
answering from the old state.
"""
from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from budgetkg.graph_store.base import StoreError
from budgetkg.graph_store.serving import SERVING_PID_ENV, refuse_if_served, serve_lock

if TYPE_CHECKING:
    from budgetkg.web.app import Settings

DEFAULT_BIND = "127.0.0.1:7878"
# Seconds the server gives open connections to finish when stopped.
STOP_TIMEOUT_S = 10.0
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


def check_store(store: Path, writable: bool) -> None:
    if writable:
        return  # the server creates a new store
    if not (store / "CURRENT").is_file():
        raise StoreError(f"{store}: no store here yet (run `budgetkg ingest --store {store} ...` first, "
                         f"or serve an empty one with --writable)")


def listen(host: str, port: int, bind: str) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as err:
        sock.close()
        raise StoreError(f"the server did not start on {bind}: {err.strerror or err}") from err
    sock.set_inheritable(False)
    return sock


def quiet_stop_server() -> type:
    """uvicorn's Server, stopping on SIGINT / SIGTERM without raising the signal again when
    it is done (uvicorn does, which would turn a clean Ctrl-C into KeyboardInterrupt)."""
    import signal

    import uvicorn

    class QuietStopServer(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            loop = asyncio.get_running_loop()
            signals = (signal.SIGINT, signal.SIGTERM)
            for sig in signals:
                loop.add_signal_handler(sig, self.handle_exit, sig, None)
            try:
                yield
            finally:
                for sig in signals:
                    loop.remove_signal_handler(sig)

    return QuietStopServer


def serve(settings: Settings, bind: str = DEFAULT_BIND, *, on_ready: Callable[[Served], None] | None = None,
          on_output: Callable[[str], None] | None = None) -> int:
    """Run the web app on ``settings.store`` until Ctrl-C / SIGTERM; return an exit status.

    Raises StoreError if it cannot start (no store, port in use, the engines cannot open the
    store: say, a writer holds it).
    """
    import uvicorn

    from budgetkg.web.app import WebApp

    QuietStopServer = quiet_stop_server()

    store = Path(settings.store)
    host, port, _ = parse_bind(bind)
    check_store(store, settings.writable)
    if settings.writable:
        store.mkdir(parents=True, exist_ok=True)
        refuse_if_served(store)
    sock = listen(host, port, bind)
    os.environ[SERVING_PID_ENV] = str(os.getpid())  # inherited by the engine workers
    web = WebApp(settings)

    async def main() -> None:
        from budgetkg.web.engine import EngineError

        try:
            await web.pool.start()
        except EngineError as err:
            raise StoreError(f"{store}: the query engine cannot open the store: {err}") from err
        config = uvicorn.Config(web.build(), log_level="warning", access_log=False,
                                timeout_graceful_shutdown=int(STOP_TIMEOUT_S), lifespan="on")
        server = QuietStopServer(config)
        task = asyncio.ensure_future(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.05)
        if server.started and on_ready:
            shown_host = f"[{host}]" if ":" in host else host
            base = f"http://{shown_host}:{sock.getsockname()[1]}"
            on_ready(Served(f"{base}/", f"{base}/query", f"{base}/update", f"{base}/store", settings.writable))
        try:
            await task
        finally:
            await web.pool.close()

    with serve_lock(store), contextlib.closing(sock):
        asyncio.run(main())
    return 0
