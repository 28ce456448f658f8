"""Issue 14, Why 4: no traceback reaches the user. Each case runs the real `budgetkg` command
in a process of its own (a segfault or a Python traceback must show in its exit status and
standard error) and expects one line ``budgetkg: …`` naming the argument, file or store, and
the documented exit status (budgetkg.exit_codes)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from budgetkg.exit_codes import Exit
from tests.conftest import EXAMPLES, SAMPLES

CLI = [sys.executable, "-m", "budgetkg.cli"]
# An error line: "budgetkg: " and a message cut to about 200 characters (cli.MESSAGE_MAX_CHARS).
MAX_LINE = len("budgetkg: ") + 200
NOT_UTF8 = b"\xff"


def run(*args: str | bytes | Path, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, *args], capture_output=True, timeout=timeout)


def one_line(done: subprocess.CompletedProcess[bytes], status: int, *names: str) -> str:
    """The one error line of ``done``, checked: exit ``status``, no traceback, ``names`` in it."""
    err = done.stderr.decode("utf-8", "backslashreplace")
    assert done.returncode == status, (done.returncode, err)
    assert "Traceback" not in err and "panicked" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("budgetkg: "), err
    assert len(lines[0]) <= MAX_LINE, lines[0]
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


@pytest.fixture()
def store_copy(text_store: str, tmp_path: Path) -> Path:
    """A store of its own (the three sample texts) that a test may damage."""
    return Path(shutil.copytree(text_store, tmp_path / "store"))


# --- arguments that are not UTF-8 --------------------------------------------------------------


def test_param_value_not_utf8(text_store: str) -> None:
    done = run("query", "projects", "--store", text_store, "--param", b"organization=" + NOT_UTF8)
    one_line(done, Exit.USAGE, "--param organization", "\\xff", "UTF-8")
    assert done.stdout == b""


def test_export_document_not_utf8(text_store: str) -> None:
    one_line(run("export", "--store", text_store, "--document", NOT_UTF8), Exit.USAGE, "\\xff", "UTF-8")


def test_delete_document_not_utf8_leaves_the_store_alone(store_copy: Path) -> None:
    before = run("documents", "--store", store_copy, "--format", "csv").stdout
    one_line(run("documents", "--store", store_copy, "--delete", NOT_UTF8), Exit.USAGE, "\\xff", "UTF-8")
    assert run("documents", "--store", store_copy, "--format", "csv").stdout == before


def test_inline_sparql_not_utf8(text_store: str) -> None:
    done = run("query", "--store", text_store, b'SELECT * WHERE { ?s ?p "' + NOT_UTF8 + b'" }')
    one_line(done, Exit.USAGE, "\\xff", "UTF-8")


def test_policy_ref_and_endpoint_not_utf8(text_store: str) -> None:
    one_line(run("policy", "--store", text_store, NOT_UTF8), Exit.USAGE, "REF", "\\xff")
    one_line(run("documents", "--endpoint", b"http://" + NOT_UTF8 + b"/query"), Exit.USAGE, "--endpoint", "\\xff")


# --- export -o: a missing folder, a full disk ------------------------------------------------------


def test_export_into_a_missing_folder(text_store: str, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "out.ttl"
    one_line(run("export", "--store", text_store, "-o", target), Exit.USAGE, str(target), "no such folder")
    assert not target.parent.exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_export_onto_a_full_disk(text_store: str) -> None:
    one_line(run("export", "--store", text_store, "-o", "/dev/full"), Exit.FAILED, "/dev/full",
             "No space left on device")


# --- a corrupted store ---------------------------------------------------------------------------


def flip_bytes(path: Path, every: int = 997) -> None:
    """Invert one byte in every ``every`` of ``path`` (its checksums no longer match)."""
    data = bytearray(path.read_bytes())
    for i in range(100, len(data), every):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


CORRUPT_COMMANDS = [
    ("documents",), ("query", "organizations"), ("query", "organizations", "--timeout", "0"),
    ("export", "--format", "nquads"), ("policies",), ("policy", "晋综示发〔2020〕49号"),
]


@pytest.mark.parametrize("damage", ["CURRENT", "sst"])
def test_every_command_on_a_corrupted_store(store_copy: Path, damage: str) -> None:
    if damage == "CURRENT":
        (store_copy / "CURRENT").write_bytes(b"@prefix : <x> .\n" * 40)
    else:
        for sst in store_copy.glob("*.sst"):
            flip_bytes(sst)
    for command in CORRUPT_COMMANDS:
        line = one_line(run(*command, "--store", store_copy), Exit.STORE, str(store_copy), "Corruption")
        assert "cannot be read" in line or "could not be read" in line, line


def test_debug_shows_the_traceback(store_copy: Path) -> None:
    (store_copy / "CURRENT").write_bytes(b"garbage\n")
    done = run("--debug", "query", "organizations", "--store", store_copy)
    assert done.returncode == Exit.STORE
    assert b"Traceback" in done.stderr and b"StoreUnreadable" in done.stderr


# --- queries the engine cannot run ----------------------------------------------------------------


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_failing_service_call(text_store: str) -> None:
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{closed_port()}/sparql> {{ ?s ?p ?o }} }}"
    for timeout in ("0", "30"):  # in process, and in the child process of --timeout
        one_line(run("query", "--store", text_store, "--timeout", timeout, query), Exit.FAILED, "query failed")


def test_a_deeply_nested_query_is_refused_not_a_segfault(text_store: str) -> None:
    for query in ("SELECT * WHERE " + "{ " * 5000 + "}" * 5000,
                  "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"):
        one_line(run("query", "--store", text_store, query), Exit.USAGE, "nested 500", "deep")


# --- a read while an ingest writes ----------------------------------------------------------------


def test_reads_during_ingests_never_show_a_traceback(tmp_path: Path) -> None:
    """Queries and document lists run while ingests rewrite the store: each answers (exit 0) or is
    refused with one line (exit 4: the store is being changed); never a traceback."""
    store = tmp_path / "store"
    files = [EXAMPLES / f"{name}.txt" for name in SAMPLES]
    assert run("ingest", "--store", store, files[0]).returncode == 0
    writer = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from budgetkg import api\n"
         "for i in range(int(sys.argv[2])):\n"
         "    api.ingest(sys.argv[3:] if i % 2 else sys.argv[3:4], sys.argv[1])\n"
         "    api.delete_document(sys.argv[4].rsplit('/', 1)[1], sys.argv[1]) if i % 2 else None\n",
         str(store), "6", *map(str, files)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    statuses: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while writer.poll() is None and time.monotonic() < deadline:
            for command in (("query", "organizations", "--timeout", "0"), ("documents",), ("query", "projects")):
                done = run(*command, "--store", store)
                statuses.append(done.returncode)
                if done.returncode != 0:
                    one_line(done, Exit.STORE, str(store))
                else:
                    assert b"Traceback" not in done.stderr
    finally:
        if writer.poll() is None:
            writer.kill()
        writer.wait()
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert len(statuses) >= 3 and 0 in statuses


def test_no_traceback_for_a_fifo_or_missing_rq_file(text_store: str, tmp_path: Path) -> None:
    fifo = tmp_path / "q.rq"
    os.mkfifo(fifo)
    one_line(run("query", "--store", text_store, fifo, timeout=30), Exit.USAGE, "q.rq", "not a regular file")
    one_line(run("query", "--store", text_store, tmp_path / "none.rq"), Exit.USAGE, "no such query file")
    one_line(run("refs", tmp_path / "none.txt"), Exit.USAGE, "none.txt", "No such file")


def test_an_unexpected_error_is_one_line_and_debug_shows_it(text_store: str) -> None:
    """An error no command foresaw (here: standard output closed) is one line, exit 1, naming
    --debug; with --debug, the traceback."""
    args = [*CLI, "query", "organizations", "--store", text_store]
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120,
                          preexec_fn=lambda: os.close(1))
    line = one_line(done, Exit.FAILED, "internal error", "--debug")
    assert line.startswith("budgetkg: internal error: ")
    debug = subprocess.run([*args[:3], "--debug", *args[3:]], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=120, preexec_fn=lambda: os.close(1))
    assert debug.returncode == 1 and b"Traceback" in debug.stderr
