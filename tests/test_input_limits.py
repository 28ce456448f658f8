"""Bounded memory on one long field (issue 14, "Why" 2): a 部门名称 line of 1 MB took 2.3 GB and one of
50 MB aborted the process with a Rust allocation failure. Every limit of ingest/limits.py refuses
its file with one line, before the text is parsed, and the other files go on."""
from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from budgetkg import api
from budgetkg.ingest import limits
from budgetkg.ingest.errors import TooLarge
from budgetkg.ingest.text_reader import text_to_blocks
from tests.conftest import EXAMPLES, ROOT

BUDGETKG = [sys.executable, "-c", "from budgetkg.cli import main; main()"]
SAMPLE = EXAMPLES / "administrative-approval-bureau-2025.txt"
ADDRESS_SPACE_LIMIT = 2 * 1024**3
ORG_LINE = "部门名称：山西转型综合改革示范区行政审批局"
# A refusal line names the file and says why, in about 200 characters at most.
MAX_MESSAGE_CHARS = 200


def with_long_org_name(tmp_path: Path, megabytes: int) -> Path:
    """The sample with its first 部门名称 line grown to ``megabytes`` MB (UTF-8)."""
    text = SAMPLE.read_text(encoding="utf-8")
    name = "山西转型综合改革示范区行政审批局" * (megabytes * 1024 * 1024 // (3 * 16))
    path = tmp_path / f"long-name-{megabytes}mb.txt"
    path.write_text(text.replace(ORG_LINE, "部门名称：" + name, 1), encoding="utf-8")
    return path


def limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


def test_a_50_mb_org_name_line_under_2_gb_is_refused_with_one_line(tmp_path: Path) -> None:
    path = with_long_org_name(tmp_path, 50)
    assert path.stat().st_size > 50 * 1024 * 1024
    run = subprocess.run([*BUDGETKG, "ingest", "--store", str(tmp_path / "store"), str(path), str(SAMPLE)],
                         capture_output=True, text=True, preexec_fn=limit_address_space, timeout=300)
    assert run.returncode == 1, run.stderr[-2000:]
    errors = [line for line in run.stderr.splitlines() if line.startswith("budgetkg: ")]
    assert len(errors) == 1 and "Traceback" not in run.stderr and "panicked" not in run.stderr
    assert errors[0].startswith(f"budgetkg: {path}: too large (line ") and "the limit is 20,000" in errors[0]
    assert len(errors[0]) - len(str(path)) <= MAX_MESSAGE_CHARS
    # the sample after it is still ingested
    assert "ingested 1 of 2 file(s)" in run.stderr
    assert [d.document_id for d in api.documents(str(tmp_path / "store"))] == [SAMPLE.name]


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="measures the peak from /proc")
def test_a_1_mb_line_is_refused_in_little_memory(tmp_path: Path) -> None:
    """The 1 MB line that took 2.3 GB: refused while reading, in the memory of reading the file."""
    path = with_long_org_name(tmp_path, 1)
    # The peak resident size of the child, from its imports on: ru_maxrss would carry the size of
    # the forking test process over, so the peak is reset (clear_refs 5) and read as VmHWM.
    code = ("from budgetkg import api\n"
            "open('/proc/self/clear_refs', 'w').write('5')\n"
            f"r = api.parse_file_safely({str(path)!r})\n"
            "print(r[1] if isinstance(r, tuple) else 'parsed')\n"
            "print([line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')][0])")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    reason, peak_kb = run.stdout.splitlines()
    assert reason.startswith("too large (line ")
    assert int(peak_kb) < 300 * 1024, peak_kb  # the interpreter, its imports and the file's text


def test_each_text_limit_names_what_is_too_large() -> None:
    ok = "部门名称：某局\n" + "\t".join(["甲" * 100] * 3)
    assert text_to_blocks(ok, "t.txt")
    with pytest.raises(TooLarge, match=r"line 2 has 20,001 characters; the limit is 20,000"):
        text_to_blocks("部门名称：某局\n" + "甲" * (limits.MAX_LINE_CHARS + 1), "t.txt")
    with pytest.raises(TooLarge, match=r"a cell of line 1 has 10,001 characters; the limit is 10,000"):
        text_to_blocks("项目\t" + "甲" * (limits.MAX_CELL_CHARS + 1), "t.txt")
    # a long line of many short cells is a table row, not a long cell
    assert text_to_blocks("\t".join(["甲" * 10] * 1_500), "t.txt")


@pytest.mark.parametrize(("suffix", "limit"), [(".txt", limits.MAX_TEXT_BYTES), (".pdf", limits.MAX_PDF_BYTES)])
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, suffix: str, limit: int) -> None:
    path = tmp_path / f"big{suffix}"
    with path.open("wb") as fh:  # sparse: no disk space used
        fh.truncate(limit + 1)
    reason = api.parse_file_safely(str(path))
    assert isinstance(reason, tuple) and reason[1] == f"too large (a {'text file' if suffix == '.txt' else 'PDF'} " \
        f"of {limit + 1:,} bytes; the limit is {limit:,})"


def test_a_stored_value_over_the_field_limit_is_refused() -> None:
    parsed = api.parse_file(str(SAMPLE))
    values = [str(o) for _, _, o in parsed.triples if isinstance(o, Literal)]
    limits.check_values("x.txt", values)  # the sample is well inside
    long_value = Literal("甲" * (limits.MAX_FIELD_CHARS + 1))
    triples = [*parsed.triples, (URIRef("urn:x"), URIRef("urn:p"), long_value)]
    with pytest.raises(TooLarge, match="a value of 50,001 characters"):
        limits.check_values("x.txt", (str(o) for _, _, o in triples if isinstance(o, Literal)))


def test_the_samples_are_far_inside_the_limits() -> None:
    for sample in EXAMPLES.rglob("*.*"):
        if sample.suffix == ".txt":
            assert sample.stat().st_size * 100 < limits.MAX_TEXT_BYTES
            lines = sample.read_text(encoding="utf-8").splitlines()
            assert max(map(len, lines)) * 10 < limits.MAX_LINE_CHARS
        elif sample.suffix == ".pdf":
            assert sample.stat().st_size * 100 < limits.MAX_PDF_BYTES


def test_the_readme_documents_every_limit() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Failure behaviour", 1)[1].split("\n## ", 1)[0]
    for name in dir(limits):
        if name.startswith("MAX_"):
            assert f"`{name}`" in section and f"{getattr(limits, name):,}" in section, name


def test_the_readme_documents_every_exit_status() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Failure behaviour", 1)[1].split("\n## ", 1)[0]
    for status in api.Exit:
        assert f"| {status.value} | `{status.name}` |" in section, status
