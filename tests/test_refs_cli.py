"""`budgetkg refs`: references in any text, through the command line (issue 12, Build 6)."""
from __future__ import annotations

import doctest
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import budgetkg.refs as refs_lib
from budgetkg.cli import main

ROOT = Path(__file__).resolve().parents[1]
TEXT = "根据晋综示发【2020】49号文件和党工委2024年第3次会议精神，普发改投【2017】89号文《关于XX工程可行性研究报告的批复》"
KEYS = {"kind", "surface", "start", "end", "doc_number", "issuer_code", "issuer_text", "year", "serial", "title",
        "meeting", "partial", "produces"}


def run(*args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(main, ["refs", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_jsonl_from_stdin() -> None:
    out = run("--format", "jsonl", "-", stdin=TEXT)
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["kind"], r["doc_number"]) for r in rows] == [
        ("numbered_document", "晋综示发〔2020〕49号"), ("meeting", None), ("numbered_document", "普发改投〔2017〕89号")]
    for r in rows:
        assert set(r) == KEYS
        assert TEXT[r["start"] : r["end"]] == r["surface"]
    assert rows[0]["issuer_code"] == "晋综示发" and rows[0]["year"] == 2020
    assert rows[0]["serial"] == 49 and rows[0]["meeting"] is None and rows[0]["partial"] is False
    assert rows[1]["meeting"] == {"body": "党工委", "session": None, "year": 2024, "number": 3, "date": None}
    assert rows[2]["title"] == "关于XX工程可行性研究报告的批复"


def test_stdin_is_the_default() -> None:
    assert run("--format", "jsonl", stdin=TEXT) == run("--format", "jsonl", "-", stdin=TEXT)


def test_json_from_file_offsets_index_the_file(tmp_path: Path) -> None:
    text = ("项目名称\tXX项目\n立项依据\t根据晋财预〔2023〕12号、13号文件\n\n"
            "2020年3月6日县政府第二次全体会议\t市政府九届12次常务会议\n山西省委办公厅(2023)41号\n")
    path = tmp_path / "cell.txt"
    path.write_text(text, encoding="utf-8")
    rows = json.loads(run("--format", "json", str(path)))
    assert [r["surface"] for r in rows] == [
        "晋财预〔2023〕12号", "13号", "2020年3月6日县政府第二次全体会议", "市政府九届12次常务会议", "山西省委办公厅(2023)41号"]
    for r in rows:
        assert text[r["start"] : r["end"]] == r["surface"]
    assert rows[1]["doc_number"] == "晋财预〔2023〕13号"
    assert rows[2]["meeting"] == {"body": "县政府", "session": None, "year": 2020, "number": 2, "date": "2020-03-06"}
    assert rows[3]["meeting"] == {"body": "市政府", "session": 9, "year": None, "number": 12, "date": None}
    assert rows[4]["doc_number"] == "山西省委办公厅〔2023〕41号"


def test_tab_separates_cells(tmp_path: Path) -> None:
    """A tab is a cell boundary: the label in front of a 文号 never becomes its code."""
    rows = json.loads(run("--format", "json", "-", stdin="立项依据\t市政办发〔2020〕5号"))
    assert [(r["doc_number"], r["start"]) for r in rows] == [("市政办发〔2020〕5号", 5)]


def test_partial_and_damaged() -> None:
    rows = json.loads(run("--format", "json", stdin="依据(2014)10号和晋政文〔20186号"))
    assert [(r["issuer_code"], r["year"], r["serial"], r["partial"], r["doc_number"]) for r in rows] == [
        (None, 2014, 10, True, None), ("晋政文", 2018, 6, True, None)]


def test_deliverables_flag() -> None:
    text = "编制《XX突发事件应急预案》，根据《XX资金管理办法》执行"
    assert [r["title"] for r in json.loads(run("--format", "json", stdin=text))] == ["XX资金管理办法"]
    rows = json.loads(run("--format", "json", "--deliverables", stdin=text))
    assert [(r["title"], r["produces"]) for r in rows] == [("XX突发事件应急预案", True), ("XX资金管理办法", False)]


def test_table_format() -> None:
    out = run(stdin=TEXT)
    lines = out.splitlines()
    assert lines[0].split() == ["start", "end", "kind", "surface", "doc_number", "title", "meeting", "partial"]
    assert len(lines) == 4
    assert "晋综示发〔2020〕49号" in lines[1] and "党工委 2024 第3次" in lines[2]


def test_nothing_found_is_empty() -> None:
    assert run("--format", "json", stdin="按照相关规定执行") == "[]\n"
    assert run("--format", "jsonl", stdin="") == ""
    assert run(stdin="无").splitlines()[0].startswith("start")


def test_missing_file_fails(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["refs", str(tmp_path / "nope.txt")])
    assert result.exit_code != 0


def test_bad_format_fails() -> None:
    result = CliRunner().invoke(main, ["refs", "--format", "csv"], input=TEXT)
    assert result.exit_code != 0


def test_pdf_example() -> None:
    """A .pdf of the repository's examples: its 文号 are found, offsets index the text as read."""
    pdf = ROOT / "examples" / "administrative-approval-bureau-2025.pdf"
    rows = json.loads(run("--format", "json", str(pdf)))
    text = refs_lib.read_text(pdf)
    assert any(r["doc_number"] == "晋综改委复〔2025〕4号" for r in rows)
    for r in rows:
        assert text[r["start"] : r["end"]] == r["surface"]


def test_console_script_reads_stdin() -> None:
    exe = Path(sys.executable).with_name("budgetkg")
    if not exe.exists():
        pytest.skip("console script not installed")
    out = subprocess.run([str(exe), "refs", "--format", "jsonl"], input=TEXT.encode(), capture_output=True,
                         check=True, cwd=ROOT).stdout.decode()
    assert [json.loads(line)["kind"] for line in out.splitlines()] == ["numbered_document", "meeting",
                                                                       "numbered_document"]


def test_library_doctests() -> None:
    assert doctest.testmod(refs_lib).failed == 0


def test_help_mentions_formats() -> None:
    out = run("--help")
    assert "table|json|jsonl" in out
