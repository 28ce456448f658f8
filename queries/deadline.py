"""A query with a deadline: pyoxigraph cannot cancel a running query, so a query that must stop
is stopped with the process it runs in.

- The library, ``api.query(..., timeout=S)``: the query runs in a forked child process (no
  imports, no interpreter start-up), killed (SIGKILL) at the deadline; QueryTimeout. The child
  opens its own store handle (a forked RocksDB or HTTP handle is not safe to use), sends its
  Result back over a pipe and dies with its parent (``ingest.pipeline.die_with_parent``). On
  ``organizations`` over the three samples this adds about 35 ms to the 17-25 ms the query
  takes in process (best of 15, 2-core machine under load). Without ``timeout`` the query
  runs in process, however long it takes.
- The command line, ``budgetkg query --timeout S`` (DEFAULT_TIMEOUT_S): the query runs on a
  thread of the command's own process (pyoxigraph releases the GIL while it evaluates) and at
  the deadline the process prints one line and exits with status 5, ending the query with it:
  nothing is added to an interactive query. ``--timeout 0``: no limit.

>>> call_with_deadline(lambda: 6 * 7, 10)
42
>>> call_with_deadline(lambda: __import__("time").sleep(5), 0.2)
Traceback (most recent call last):
...
budgetkg.queries.named_queries.QueryTimeout: query stopped after 0.2 s (the --timeout)
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

from budgetkg.ingest.pipeline import die_with_parent
from budgetkg.queries.named_queries import QueryError, QueryFailed, QueryTimeout

# The default of `budgetkg query --timeout`, in seconds (0 there: no limit, run in process).
DEFAULT_TIMEOUT_S = 120.0
# The longest timeout accepted, in seconds (a day; a longer wait is no limit at all).
MAX_TIMEOUT_S = 86400.0

T = TypeVar("T")


def call_with_deadline(fn: Callable[[], T], timeout: float) -> T:
    """``fn()`` run in a forked child; QueryTimeout when it takes longer than ``timeout`` seconds
    (the child is killed), QueryFailed when the child dies; ``fn``'s own exceptions re-raised."""
    check_timeout(timeout)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_child, args=(sender, fn, os.getpid()), daemon=True,
                            name="budgetkg-query")
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise timed_out(timeout)
        try:
            status, value = receiver.recv()
        except (EOFError, OSError):  # the child died before it answered
            child.join()
            raise QueryFailed(f"the query process died ({_exit_reason(child.exitcode)})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if status == "error":
        raise value
    return value


def check_timeout(timeout: float) -> None:
    """QueryError unless ``timeout`` is a number of seconds above 0 and at most MAX_TIMEOUT_S."""
    if not 0 < timeout <= MAX_TIMEOUT_S:  # NaN included
        raise QueryError(f"--timeout {timeout}: give a number of seconds above 0 and at most {MAX_TIMEOUT_S:g}")


def timed_out(timeout: float) -> QueryTimeout:
    """The error of a query stopped at ``timeout`` seconds."""
    return QueryTimeout(f"query stopped after {timeout:g} s (the --timeout)")


def _run_child(sender: Connection, fn: Callable[[], object], parent: int) -> None:
    die_with_parent(parent)
    try:
        answer: tuple[str, object] = ("ok", fn())
    except BaseException as err:  # noqa: BLE001 - every failure goes back to the parent
        answer = ("error", _portable(err))
    try:
        sender.send(answer)
    except Exception as err:  # noqa: BLE001 - an answer that cannot be pickled
        sender.send(("error", QueryFailed(f"the query's answer cannot be returned ({type(err).__name__})")))
    sender.close()


def _portable(err: BaseException) -> BaseException:
    """``err`` if it survives pickling (exception classes with extra constructor arguments do not),
    else a QueryFailed carrying its message."""
    try:
        pickle.loads(pickle.dumps(err))
    except Exception:  # noqa: BLE001 - any pickling failure
        return QueryFailed(f"{type(err).__name__}: {err}")
    return err


def _exit_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"signal {signal.Signals(-exitcode).name}"
    return f"exit status {exitcode}"
