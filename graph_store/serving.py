"""The lock a running ``budgetkg serve`` keeps in a store directory.

While it serves a store, ``budgetkg serve`` holds ``budgetkg-serve-PID.pid`` in it; any writer of
the embedded store (``EmbeddedStore`` opened for writing) calls ``refuse_if_served`` and refuses a
served store instead of writing where the server would keep answering from the old state. The
file is removed on exit and ignored once its process is gone (a ``kill -9`` leaves it behind,
harmlessly).
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from budgetkg.graph_store.base import StoreError

# The file a running `budgetkg serve` keeps in the store directory (PID: its process id).
SERVE_LOCK = "budgetkg-serve-{pid}.pid"
SERVE_LOCK_GLOB = "budgetkg-serve-*.pid"
# Set for the engine workers of a --writable serve: the pid of the serve they belong to,
# whose own lock does not keep them out.
SERVING_PID_ENV = "BUDGETKG_SERVING_PID"

class StoreServed(StoreError):
    """The store is held by a running `budgetkg serve` (exit status 4, Exit.STORE)."""

    exit_code = 4


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a running budgetkg process (a recycled pid of another program is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    try:
        return b"budgetkg" in cmdline.read_bytes() if cmdline.parent.exists() else True
    except OSError:
        return True


def serving_pids(store: str | os.PathLike[str]) -> list[int]:
    """The pids of the `budgetkg serve` processes holding ``store`` (stale lock files ignored)."""
    pids = []
    for lock in Path(store).glob(SERVE_LOCK_GLOB):
        pid_text = lock.stem.removeprefix("budgetkg-serve-")
        if pid_text.isdigit() and _alive(int(pid_text)):
            pids.append(int(pid_text))
    return sorted(pids)


def refuse_if_served(store: str | os.PathLike[str]) -> None:
    """Raise StoreServed if a `budgetkg serve` holds ``store``: called where the embedded store
    is opened for writing."""
    own = os.environ.get(SERVING_PID_ENV, "")
    others = [pid for pid in serving_pids(store) if str(pid) != own]
    if others:
        # Short: the command line cuts a message to one line of 200 characters, the path included.
        raise StoreServed(f"{store}: being served by `budgetkg serve` (pid {others[0]}): stop it, or serve it "
                          f"--writable and ingest through --endpoint")


@contextlib.contextmanager
def serve_lock(store: Path) -> Iterator[Path]:
    lock = store / SERVE_LOCK.format(pid=os.getpid())
    lock.write_text(f"{os.getpid()}\n", encoding="utf-8")
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)
