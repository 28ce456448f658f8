"""`budgetkg validate` and the `findings` named query, on real stores of the samples.

Exit codes are checked through the real command line (a subprocess), like pyshacl's:
0 clean (info at most), 1 violations or warnings (--allow-warnings: violations), 2 error.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from budgetkg import api
from budgetkg.ingest.reconcile import CHECKS
from budgetkg.ontology import iris
from budgetkg.queries import load_named_queries
from budgetkg.validation import COLUMNS
from tests.conftest import EXAMPLES, ROOT

CLI = [sys.executable, "-m", "budgetkg.cli"]
FINDINGS_COLUMNS = ("organization, year, check, severity, table, row, page, line, expected_yuan, printed_yuan, "
                    "message")
YANGQU = "山西转型综合改革示范区阳曲工业园区服务中心"
BUREAU = "山西转型综合改革示范区行政审批局"
JINZHONG = EXAMPLES / "jinzhong-economic-operation-2024.txt"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=600, cwd=cwd)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- the findings named query ---------------------------------------------------------------

def test_findings_query_has_its_documented_columns(text_store) -> None:
    result = api.query("findings", {}, text_store)
    assert ", ".join(result.columns) == FINDINGS_COLUMNS
    assert ", ".join(load_named_queries()["findings"].columns) == FINDINGS_COLUMNS


def test_findings_query_lists_the_gold_findings(text_store) -> None:
    rows = api.query("findings", {}, text_store).dicts()
    yangqu = [r for r in rows if r["organization"] == YANGQU]
    one_cent = [r for r in yangqu if r["check"] == "rounding" and "[projects_vs_table3]" in r["message"]]
    assert [(r["severity"], r["table"], r["row"], r["expected_yuan"], r["printed_yuan"], r["line"])
            for r in one_cent] == [("warning", "3", "合计", "952054600", "952054500", "147")]
    names = {r["row"] for r in yangqu if r["check"] == "sheet_name_differs"}
    assert names == {"党群工作经历费", "非公党委工作经历费", "规划建设工作经历费", "职工伙食政务值班经费"}
    bureau = [r for r in rows if r["organization"] == BUREAU and r["check"] == "sheet_vs_project"]
    assert {(r["row"], r["expected_yuan"], r["printed_yuan"]) for r in bureau} == {
        ("公务出行交通补贴经费", "40000", "60000"), ("委托业务经费", "985000", "230000")}
    assert sum(r["organization"] == BUREAU and r["check"] == "sheet_without_project" for r in rows) == 18


def test_findings_query_orders_violations_first(text_store) -> None:
    rows = api.query("findings", {"year": "2026"}, text_store).dicts()
    ranks = [("violation", "warning", "info").index(r["severity"]) for r in rows]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == 2


@pytest.mark.parametrize(("params", "expect"), [
    ({"year": "2025"}, lambda r: r["organization"] == BUREAU),
    ({"organization": YANGQU}, lambda r: r["year"] == "2026"),
    ({"severity": "violation"}, lambda r: r["severity"] == "violation"),
    ({"severity": "INFO"}, lambda r: r["severity"] == "info"),
    ({"check": "rounding", "year": "2026"}, lambda r: r["check"] == "rounding" and r["organization"] == YANGQU),
])
def test_findings_query_parameters(text_store, params, expect) -> None:
    rows = api.query("findings", params, text_store).dicts()
    assert rows and all(expect(r) for r in rows)


def test_findings_query_binds_parameters_as_terms(text_store) -> None:
    assert api.query("findings", {"organization": 'x" } UNION { ?x ?y ?z'}, text_store).rows == []
    with pytest.raises(api.QueryError, match="not a known check"):  # check ids are a closed set (issue 14)
        api.query("findings", {"check": 'rounding" } UNION { ?x ?y ?z'}, text_store)


@pytest.fixture(scope="module")
def text_and_pdf_store(tmp_path_factory) -> str:
    """The text and the PDF of one disclosure in one store."""
    path = str(tmp_path_factory.mktemp("both") / "kg")
    name = "yangqu-park-service-center-2026"
    report = api.ingest([str(EXAMPLES / f"{name}.txt"), str(EXAMPLES / f"{name}.pdf")], path)
    assert report.ok, report.failed
    return path


def test_text_and_pdf_of_one_disclosure_give_one_row_per_finding(text_store, text_and_pdf_store) -> None:
    both = api.query("findings", {"organization": YANGQU}, text_and_pdf_store).dicts()
    text_only = api.query("findings", {"organization": YANGQU}, text_store).dicts()
    assert len(both) == len(text_only) == 38
    assert all(r["page"] and r["line"] for r in both)  # the PDF's page and the text's line
    one_cent = next(r for r in both if "[projects_vs_table3]" in r["message"])
    assert (one_cent["page"], one_cent["line"]) == ("3", "147")


# --- budgetkg validate: exit codes and output --------------------------------------------------

def test_validate_store_with_findings_exits_1(text_store) -> None:
    p = run("validate", "--store", text_store, "--format", "csv")
    assert p.returncode == 1, p.stderr
    rows = csv_rows(p.stdout)
    assert list(rows[0]) == COLUMNS
    documents = {r["document"] for r in rows}
    assert documents == {f"{n}.txt" for n in ("administrative-approval-bureau-2025", "jinzhong-economic-operation-2024",
                                              "yangqu-park-service-center-2026")}
    assert not [r for r in rows if r["check"] == "shacl"]
    assert "yangqu-park-service-center-2026.txt: 6 violation, 27 warning, 5 info; SHACL conforms" in p.stderr
    assert p.stderr.strip().endswith("findings: 10 violation, 55 warning, 11 info; SHACL: 3 of 3 conform")
    stored = api.query("findings", {}, text_store).dicts()
    assert len(rows) == len(stored)


def test_validate_allow_warnings_still_fails_on_violations(text_store) -> None:
    p = run("validate", "--store", text_store, "--allow-warnings", "--no-shacl", "--format", "json")
    assert p.returncode == 1
    data = json.loads(p.stdout)
    assert data["head"]["vars"] == COLUMNS
    assert "SHACL" not in p.stderr.splitlines()[-1]


def clean_jinzhong(tmp_path: Path, *, keep_name_difference: bool = False) -> Path:
    """jinzhong with its 部门整体绩效目标表 figures corrected (and its sheet renamed): info findings only."""
    text = JINZHONG.read_text(encoding="utf-8").replace("6397.54", "6389.17").replace("6373.37", "6365.00")
    if not keep_name_difference:
        text = re.sub(r"^项目名称\t\t转型项目建设经费", "项目名称\t\t转型项目建设年经费", text, flags=re.M)
    path = tmp_path / ("jinzhong-warnings-2024.txt" if keep_name_difference else "jinzhong-clean-2024.txt")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def clean_store(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("clean")
    path = str(tmp / "kg")
    assert api.ingest([str(clean_jinzhong(tmp))], path).ok
    return path


def test_validate_clean_store_exits_0(clean_store) -> None:
    p = run("validate", "--store", clean_store, "--format", "csv")
    assert p.returncode == 0, p.stderr
    rows = csv_rows(p.stdout)
    assert rows and {r["severity"] for r in rows} == {"info"}
    assert p.stderr.strip().endswith("findings: 0 violation, 0 warning, 5 info; SHACL: 1 of 1 conform")


def test_validate_warnings_exit_1_unless_allowed(tmp_path) -> None:
    store = str(tmp_path / "kg")
    assert api.ingest([str(clean_jinzhong(tmp_path, keep_name_difference=True))], store).ok
    p = run("validate", "--store", store, "--no-shacl", "--format", "csv")
    assert p.returncode == 1
    assert [r["check"] for r in csv_rows(p.stdout) if r["severity"] == "warning"] == ["sheet_name_differs"]
    assert run("validate", "--store", store, "--no-shacl", "--allow-warnings").returncode == 0


def store_with_a_second_sha256(tmp_path: Path, *others: Path) -> tuple[str, ox.NamedNode]:
    """A store of a clean jinzhong copy (and ``others``) whose disclosure got a second,
    malformed bk:sha256: a SHACL violation. Returns the store and that disclosure."""
    store = str(tmp_path / "kg")
    assert api.ingest([str(clean_jinzhong(tmp_path)), *map(str, others)], store).ok
    graph = ox.NamedNode(str(iris.graph("jinzhong-clean-2024.txt")))
    data = ox.Store(store)
    disclosure = next(q.subject for q in data.quads_for_pattern(
        None, ox.NamedNode("https://w3id.org/budgetkg/ontology#sha256"), None, graph))
    data.add(ox.Quad(disclosure, ox.NamedNode("https://w3id.org/budgetkg/ontology#sha256"), ox.Literal("abc"), graph))
    data.flush()
    del data
    return store, disclosure


def test_validate_reports_shacl_violations(tmp_path) -> None:
    store, disclosure = store_with_a_second_sha256(tmp_path)
    p = run("validate", "--store", store, "--format", "csv")
    assert p.returncode == 1
    shacl = [r for r in csv_rows(p.stdout) if r["check"] == "shacl"]
    assert shacl and all(r["severity"] == "violation" and r["row"] == str(disclosure.value) for r in shacl)
    assert any("bk:sha256" in r["message"] for r in shacl)
    assert "SHACL: 0 of 1 conform" in p.stderr


def test_validate_jobs_give_the_same_report(tmp_path) -> None:
    store, _ = store_with_a_second_sha256(tmp_path, EXAMPLES / "administrative-approval-bureau-2025.txt",
                                          EXAMPLES / "yangqu-park-service-center-2026.txt")
    one, three = (run("validate", "--store", store, "--format", "csv", "--jobs", n) for n in ("1", "3"))
    assert one.returncode == three.returncode == 1
    assert (three.stdout, three.stderr) == (one.stdout, one.stderr)
    shacl = [r for r in csv_rows(three.stdout) if r["check"] == "shacl"]
    # SHACL ran in the workers; the rows still carry the document's organization and year.
    assert shacl and {(r["document"], r["year"]) for r in shacl} == {("jinzhong-clean-2024.txt", "2024")}
    assert all(r["organization"] for r in shacl)
    assert "SHACL: 2 of 3 conform" in three.stderr


def test_validate_missing_store_exits_2(tmp_path) -> None:
    p = run("validate", "--store", str(tmp_path / "missing"))
    assert p.returncode == 2
    assert p.stdout == ""
    assert "no store here yet" in p.stderr.splitlines()[0]


def test_validate_files_without_a_store(tmp_path) -> None:
    bad = tmp_path / "broken-2025.txt"
    bad.write_bytes(b"\xff\xfe not a disclosure")
    p = run("validate", "--no-shacl", "--format", "csv", str(JINZHONG), str(bad), cwd=tmp_path)
    assert p.returncode == 2  # an unreadable file is an error; the other file is still checked
    assert {r["document"] for r in csv_rows(p.stdout)} == {JINZHONG.name}
    assert any(line.startswith(f"budgetkg: {bad}: ") for line in p.stderr.splitlines())
    assert not (tmp_path / "budgetkg-data").exists()  # no store opened, none created


def test_validate_files_with_a_store_is_refused(tmp_path) -> None:
    p = run("validate", "--store", str(tmp_path / "kg"), str(JINZHONG))
    assert p.returncode == 2
    assert p.stderr.strip() == "budgetkg: FILES are read and checked without a store: give FILES or --store, not both"
    assert not (tmp_path / "kg").exists()


def test_validate_nothing_to_validate_exits_2(tmp_path) -> None:
    p = run("validate", str(tmp_path))
    assert p.returncode == 2 and "nothing to validate" in p.stderr


def test_files_and_store_give_the_same_rows(text_store) -> None:
    from_file = api.validate([str(JINZHONG)], shacl=False).rows
    from_store = [r for r in api.validate(store_path=text_store, shacl=False).rows if r["document"] == JINZHONG.name]
    assert from_file == from_store and len(from_file) == 8


def test_validate_file_runs_shacl(tmp_path) -> None:
    report = api.validate([str(clean_jinzhong(tmp_path))])
    assert [d.shacl_conforms for d in report.documents] == [True]
    assert report.exit_code() == 0 and report.exit_code(allow_warnings=True) == 0


# --- documentation -----------------------------------------------------------------------------

def test_readme_documents_findings_and_validate() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"| findings | organization?, year?, severity?, check? | {FINDINGS_COLUMNS} |" in readme
    section = readme.split("## budgetkg validate", 1)[1].split("\n## ", 1)[0]
    for check in CHECKS:
        assert f"`{check}`" in section, check
    for code in ("0", "1", "2"):
        assert f"| {code} |" in section
    assert ", ".join(COLUMNS) in section
