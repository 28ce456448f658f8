"""Issue 14, Why 5: the footguns, each reproduced on the real command line and now closed."""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from budgetkg import api
from budgetkg.cli import MESSAGE_MAX_CHARS, one_line
from budgetkg.exit_codes import Exit
from budgetkg.ingest.reconcile import CHECKS
from budgetkg.ontology import iris
from tests.conftest import EXAMPLES, SAMPLES

CLI = [sys.executable, "-m", "budgetkg.cli"]
MAX_LINE = len("budgetkg: ") + MESSAGE_MAX_CHARS
SAMPLE = EXAMPLES / f"{SAMPLES[0]}.txt"


def run(*args: str | bytes | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, errors="backslashreplace",
                          timeout=timeout)


def refused(done: subprocess.CompletedProcess[str], status: int, *names: str) -> str:
    assert done.returncode == status, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("budgetkg: "), done.stderr
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


@pytest.fixture()
def store_copy(text_store: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(text_store, tmp_path / "store"))


def graph_size(store: Path, graph: str) -> int:
    result = api.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", store_path=str(store))
    return int(result.rows[0][0].value)


# --- export -o ------------------------------------------------------------------------------------


def test_export_onto_the_stores_own_files_is_refused(store_copy: Path) -> None:
    current = (store_copy / "CURRENT").read_bytes()
    for target in (store_copy / "CURRENT", store_copy / "new.ttl", store_copy / "sub" / "x.ttl"):
        refused(run("export", "--store", store_copy, "-o", target, "--force"), Exit.USAGE, "inside the store directory")
    assert (store_copy / "CURRENT").read_bytes() == current and not (store_copy / "new.ttl").exists()
    assert run("documents", "--store", store_copy).returncode == 0  # the store still opens


def test_export_inside_another_store_is_refused(store_copy: Path, text_store: str) -> None:
    # The store written into is not the one exported: it is recognised by its own files.
    refused(run("export", "--store", text_store, "-o", store_copy / "CURRENT"), Exit.USAGE, str(store_copy))


def test_export_over_an_existing_file_needs_force(text_store: str, tmp_path: Path) -> None:
    target = tmp_path / "kept.ttl"
    target.write_text("precious\n")
    refused(run("export", "--store", text_store, "-o", target), Exit.USAGE, "already exists", "--force")
    assert target.read_text() == "precious\n"
    done = run("export", "--store", text_store, "-o", target, "--force", "--document", SAMPLE.name)
    assert done.returncode == 0, done.stderr
    assert len(Graph().parse(target, format="turtle")) > 1000
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary file left behind


def limit_file_size() -> None:
    """In the child: files may not grow past FILE_SIZE_LIMIT bytes (a write past it fails with EFBIG)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


# A disk that fills up after this many bytes of any one file (RLIMIT_FSIZE), root or not.
FILE_SIZE_LIMIT = 100_000


def test_a_failed_write_keeps_the_old_file(text_store: str, tmp_path: Path) -> None:
    """The export goes to a temporary file renamed over the old one: a write that fails half way
    (the file size limit standing in for a full disk) leaves the old file whole and no debris."""
    target = tmp_path / "kept.ttl"
    target.write_text("precious\n")
    done = subprocess.run([*CLI, "export", "--store", text_store, "-o", str(target), "--force"], capture_output=True,
                          text=True, timeout=120, preexec_fn=limit_file_size)
    refused(done, Exit.FAILED, str(target), "cannot write it", "too large")
    assert target.read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.ttl"]


# --- documents --delete -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ontology", "catalog"])
def test_deleting_budgetkgs_own_graphs_is_refused(store_copy: Path, name: str) -> None:
    before = graph_size(store_copy, str(iris.ONTOLOGY_GRAPH))
    refused(run("documents", "--store", store_copy, "--delete", name), Exit.USAGE, name, "not a document")
    assert graph_size(store_copy, str(iris.ONTOLOGY_GRAPH)) == before > 0


def test_a_derived_graph_cannot_be_named_as_a_document(store_copy: Path) -> None:
    derived = [g for g in ox.Store.read_only(str(store_copy)).named_graphs()
               if g.value.startswith(iris.DERIVED_GRAPH)]
    assert derived
    name = derived[0].value.removeprefix(str(iris.graph("")))  # derived/organizations
    refused(run("documents", "--store", store_copy, "--delete", name), Exit.FAILED, "no document")
    assert graph_size(store_copy, derived[0].value) > 0


# --- parameters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "param"), [("projects-citing", "policy="), ("projects-citing", "policy=  "),
                                              ("subject-across", "code="), ("projects", "organization="),
                                              ("projects-citing", "policy=《》")])
def test_empty_parameters_are_rejected(text_store: str, query: str, param: str) -> None:
    refused(run("query", query, "--store", text_store, "--param", param), Exit.USAGE, "--param " + param.split("=")[0])


def test_full_width_digits_are_normalised(text_store: str) -> None:
    half = run("query", "projects", "--store", text_store, "--param", "year=2024", "--format", "csv")
    full = run("query", "projects", "--store", text_store, "--param", "year=２０２４", "--format", "csv")
    assert half.returncode == full.returncode == 0
    assert full.stdout == half.stdout and len(half.stdout.splitlines()) > 10


def test_a_repeated_parameter_is_rejected(text_store: str) -> None:
    refused(run("query", "projects", "--store", text_store, "--param", "year=2024", "--param", "year=2025"),
            Exit.USAGE, "year given twice", "2024", "2025")


def test_an_unknown_check_id_lists_the_known_ones(text_store: str) -> None:
    line = refused(run("query", "findings", "--store", text_store, "--param", "check=nosuch"), Exit.USAGE, "nosuch")
    assert all(check in line for check in CHECKS)
    known = run("query", "findings", "--store", text_store, "--param", "check=rounding", "--param",
                "severity=Warning", "--format", "csv")
    assert known.returncode == 0 and len(known.stdout.splitlines()) > 1


def test_the_two_policy_lists_are_mutually_exclusive(text_store: str) -> None:
    refused(run("policies", "--store", text_store, "--unknown-issuers", "--title-conflicts"), Exit.USAGE,
            "--unknown-issuers", "--title-conflicts")


# --- files ingest cannot read ------------------------------------------------------------------------


def test_a_gbk_file_name_is_refused_in_one_line(tmp_path: Path) -> None:
    gbk = Path(os.fsdecode(bytes(tmp_path) + b"/" + "你好".encode("gbk") + b".txt"))
    shutil.copy(SAMPLE, gbk)
    good = tmp_path / "good.txt"
    shutil.copy(SAMPLE, good)
    done = run("ingest", "--store", tmp_path / "store", gbk, good)
    assert done.returncode == Exit.FAILED and "Traceback" not in done.stderr
    line, summary = done.stderr.splitlines()
    assert line.startswith("budgetkg: ") and "\\xc4\\xe3\\xba\\xc3.txt" in line and "not UTF-8" in line
    assert summary.startswith("ingested 1 of 2 file(s)")


def test_a_fifo_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    done = run("ingest", "--store", tmp_path / "store", fifo, timeout=60)  # read, it would block forever
    assert done.returncode == Exit.FAILED
    assert done.stderr.splitlines()[0] == f"budgetkg: {fifo}: cannot be ingested (not a regular file)"


def test_error_lines_are_cut(tmp_path: Path) -> None:
    dump = "PDFSyntaxError: " + repr({f"/K{i}": "x" * 20 for i in range(100)})  # pdfminer's dictionary dumps
    line = one_line(f"{tmp_path}/a.pdf: truncated or corrupt ({dump})")
    assert len(line) == MESSAGE_MAX_CHARS and line.endswith("…") and "\n" not in line
    source = (EXAMPLES / f"{SAMPLES[1]}.pdf").read_bytes()
    broken = {"cut.pdf": source[: len(source) // 3], "xref.pdf": source.replace(b"startxref", b"startxrez")}
    for name, data in broken.items():
        (tmp_path / name).write_bytes(data)
    done = run("ingest", "--store", tmp_path / "store", *(tmp_path / name for name in broken))
    assert done.returncode == Exit.FAILED and "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("budgetkg: ")]
    assert len(errors) == 2 and all(len(line) <= MAX_LINE for line in errors), errors
