"""Store behaviour (idempotence, atomic failure, documents, export) and the CLI
contract (bad inputs, named queries, output formats, parameter binding)."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from budgetkg import api
from budgetkg.graph_store.embedded import EmbeddedStore
from budgetkg.ontology import iris
from budgetkg.queries import QueryError, load_named_queries
from tests.conftest import EXAMPLES, SAMPLES

CLI = [sys.executable, "-m", "budgetkg.cli"]
SAMPLE = EXAMPLES / "jinzhong-economic-operation-2024.txt"
DESIGN_COLUMNS = {
    "organizations": "organization, year, kind, org_code, income_total_yuan, expenditure_total_yuan, basic_yuan, project_yuan",
    "projects": "organization, year, project_name, list, total_yuan, general_public_yuan, government_fund_yuan",
    "subjects": "organization, year, code, name, total_yuan, basic_yuan, project_yuan",
    "citations": "organization, year, project_name, field, kind, doc_number, title, surface",
    "projects-citing": "organization, year, project_name, field, doc_number, title, surface",
    "policies": "policy, kind, doc_number, title, issuer_code, citing_projects, organizations, years",
}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300)


def all_quads(path: str) -> set[str]:
    store = ox.Store.read_only(path)
    return {str(q) for q in store}


def test_reingest_is_idempotent(tmp_path):
    api.ingest([str(SAMPLE)], str(tmp_path / "kg"))
    first = all_quads(str(tmp_path / "kg"))
    api.ingest([str(SAMPLE)], str(tmp_path / "kg"))
    assert all_quads(str(tmp_path / "kg")) == first


def test_failed_ingest_leaves_store_unchanged(tmp_path):
    work = tmp_path / "in"
    work.mkdir()
    target = work / "disclosure.txt"
    shutil.copy(SAMPLE, target)
    store = str(tmp_path / "kg")
    assert api.ingest([str(target)], store).ok
    before = all_quads(store)
    target.write_bytes(SAMPLE.read_bytes()[:5000])  # the same document, cut short
    report = api.ingest([str(target)], store)
    assert not report.ok and "truncated" in report.failed[0][1]
    assert all_quads(store) == before


def test_documents_list_and_delete(tmp_path):
    store = str(tmp_path / "kg")
    api.ingest([str(EXAMPLES / f"{n}.txt") for n in SAMPLES], store)
    docs = api.documents(store)
    assert [d.document_id for d in docs] == [f"{n}.txt" for n in SAMPLES]
    assert all(d.triples > 1000 and d.year for d in docs)
    assert api.delete_document(SAMPLE.name, store)
    assert SAMPLE.name not in [d.document_id for d in api.documents(store)]
    assert not api.delete_document("nope.txt", store)


def test_export_of_one_document_is_isomorphic_to_its_graph(tmp_path):
    store = str(tmp_path / "kg")
    api.ingest([str(SAMPLE)], store)
    exported = Graph().parse(data=api.export("turtle", SAMPLE.name, store), format="turtle")
    # every export ends with the dataset description (budgetkg.dataset): set it aside
    described = {iris.DATASET_DESCRIPTION, iris.RIGHTS, iris.graph(SAMPLE.name)}
    for s, p, o in list(exported):
        if s in described or str(s).startswith(f"{iris.DATASET_DESCRIPTION}/") or (p, o) == (DCTERMS.rights, iris.RIGHTS):
            exported.remove((s, p, o))
    assert isomorphic(exported, api.parse_file(str(SAMPLE)).graph)
    assert b"@prefix bk:" in api.export("turtle", SAMPLE.name, store)


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_export_dataset_formats(tmp_path, fmt):
    store = str(tmp_path / "kg")
    api.ingest([str(SAMPLE)], store)
    ds = Dataset()
    ds.parse(data=api.export(fmt, None, store), format={"trig": "trig", "nquads": "nquads"}[fmt])
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert any(g.endswith("jinzhong-economic-operation-2024.txt") for g in graphs)
    assert any(g.endswith("/ontology") for g in graphs)


BAD_INPUTS = [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", b"\x00\x01\x02\xff\xfe\x00garbage", "not decodable"),
    ("notes.txt", "这是一份会议记录，不是预算公开。\n第二行。\n".encode(), "not a budget disclosure"),
    ("cut.txt", None, "truncated"),
    ("table.csv", b"a,b\n1,2\n", "unsupported"),
]


def test_bad_inputs_one_line_each_others_ingested(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data, _ in BAD_INPUTS:
        (folder / name).write_bytes(data if data is not None else SAMPLE.read_bytes()[:5000])
    good = folder / SAMPLE.name
    shutil.copy(SAMPLE, good)
    files = [str(folder / n) for n, _, _ in BAD_INPUTS] + [str(good)]
    p = run("ingest", "--store", str(tmp_path / "kg"), *files)
    assert p.returncode == 1
    errors = [line for line in p.stderr.splitlines() if line.startswith("budgetkg: ")]
    assert len(errors) == len(BAD_INPUTS)
    for (name, _, reason), line in zip(BAD_INPUTS, errors, strict=False):
        assert name in line and reason in line, line
    assert "ingested 1 of 6" in p.stderr
    assert [d.document_id for d in api.documents(str(tmp_path / "kg"))] == [SAMPLE.name]


def test_gb18030_text_is_decoded_not_garbled(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("gb18030"))
    parsed = api.parse_file(str(path))
    assert parsed.disclosure.organization.name == "山西转型综合改革示范区晋中开发区经济运行与安全监管部"


@pytest.mark.parametrize("name", sorted(DESIGN_COLUMNS))
def test_every_named_query_has_design_columns_and_rows(text_store, name):
    params = {"policy": "晋综示发〔2020〕49号"} if name == "projects-citing" else {}
    result = api.query(name, params, text_store)
    assert ", ".join(result.columns) == DESIGN_COLUMNS[name]
    assert load_named_queries()[name].columns == tuple(result.columns)
    assert result.rows


def test_organizations_query_totals(text_store):
    rows = {r["organization"]: r for r in api.query("organizations", {}, text_store).dicts()}
    yangqu = rows["山西转型综合改革示范区阳曲工业园区服务中心"]
    assert (yangqu["year"], yangqu["kind"], yangqu["org_code"]) == ("2026", "部门", "621")
    assert (yangqu["income_total_yuan"], yangqu["basic_yuan"], yangqu["project_yuan"]) == (
        "1000000000", "47945400", "952054500")


@pytest.mark.parametrize("written", ["晋综示发〔2020〕49号", "晋综示发【2020】49号", "晋综示发(2020)49号",
                                     "晋综示发（2020）49号", "晋综示发[2020]49号", " 晋综示发 〔2020〕 49 号 "])
def test_projects_citing_matches_every_bracket_variant(text_store, written):
    rows = api.query("projects-citing", {"policy": written}, text_store).dicts()
    assert {r["project_name"] for r in rows} == {"周边事务工作经费", "园区征地费用", "园区征地项目经费"}
    assert {r["doc_number"] for r in rows} == {"晋综示发〔2020〕49号"}


def test_projects_citing_by_title_fragment(text_store):
    rows = api.query("projects-citing", {"policy": "消费券发放活动"}, text_store).dicts()
    assert {r["project_name"] for r in rows} == {"2024年晋中开发区消费券专项资金"}


def test_parameters_are_bound_as_terms_not_spliced(text_store):
    hostile = '山西" ) } } ; DROP ALL ; SELECT * { ?s ?p ?o '
    assert api.query("projects", {"organization": hostile}, text_store).rows == []
    with pytest.raises(QueryError):
        api.query("projects", {"year": "2026 || true"}, text_store)
    with pytest.raises(QueryError):
        api.query("projects", {"nope": "1"}, text_store)


def test_projects_filtered_by_organization_and_year(text_store):
    rows = api.query("projects", {"year": "2024"}, text_store).dicts()
    assert len(rows) == 15 and {r["year"] for r in rows} == {"2024"}


def test_query_formats_and_inline_sparql(text_store, tmp_path):
    p = run("query", "subjects", "--store", text_store, "--param", "year=2025", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    assert [r["code"] for r in rows] == ["201", "20103", "2010302", "2010350"]
    p = run("query", "subjects", "--store", text_store, "--param", "year=2025", "--format", "json")
    data = json.loads(p.stdout)
    assert data["head"]["vars"][:3] == ["organization", "year", "code"]
    assert data["results"]["bindings"][0]["year"]["datatype"].endswith("#integer")
    p = run("query", "subjects", "--store", text_store, "--param", "year=2025", "--format", "tsv")
    assert p.stdout.splitlines()[0].startswith("?organization\t?year")
    p = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/budgetkg/ontology#Project> }",
            "--store", text_store, "--format", "csv")
    assert p.returncode == 0 and int(p.stdout.splitlines()[1]) >= 66
    rq = tmp_path / "mine.rq"
    rq.write_text("# param year: integer, optional: fiscal year\n"
                  "SELECT ?y WHERE { #@params\n ?y a <https://w3id.org/budgetkg/ontology#FiscalYear> }", "utf-8")
    p = run("query", str(rq), "--store", text_store, "--format", "csv")
    assert p.returncode == 0 and len(p.stdout.splitlines()) == 4


def test_query_errors_are_one_line(text_store):
    p = run("query", "no-such-query", "--store", text_store)
    assert p.returncode == 2 and p.stderr.startswith("budgetkg: no named query")
    p = run("query", "projects", "--store", str(Path(text_store) / "missing"))
    assert p.returncode == 2 and "no store here yet" in p.stderr


def test_queries_command_lists_every_named_query():
    p = run("queries", "--format", "csv")
    names = [r["name"] for r in csv.DictReader(io.StringIO(p.stdout))]
    assert set(DESIGN_COLUMNS) <= set(names)


def test_store_reopens_after_ingest(text_store):
    assert len(EmbeddedStore(text_store, read_only=True).documents()) == 3


def test_two_sources_of_one_disclosure_are_pointed_out(tmp_path):
    """A text extraction next to its PDF (here: the same text under two names) is one
    disclosure stored twice; the user is told, since rows then come once per source."""
    for name in ("a.txt", "b.txt"):
        shutil.copy(SAMPLE, tmp_path / name)
    store = str(tmp_path / "kg")
    first = api.ingest([str(tmp_path / "a.txt")], store)
    assert first.ok and first.same_disclosure == []
    second = run("ingest", "--store", store, str(tmp_path / "b.txt"))
    assert second.returncode == 0
    assert "a.txt, b.txt are sources of one disclosure" in second.stderr
    report = api.ingest([str(tmp_path / "a.txt")], store)
    ((org, year, ids),) = report.same_disclosure
    assert ids == ["a.txt", "b.txt"] and year == 2024 and org.endswith("经济运行与安全监管部")


def test_one_store_handle_serves_every_api_function(tmp_path) -> None:
    """budgetkg.open(path): ingest, query, documents, export, policy and delete share one handle,
    which stays open until its owner closes it; a call given a path opens and closes its own."""
    import budgetkg

    path = str(tmp_path / "kg")
    with budgetkg.open(path) as db:
        report = api.ingest([str(EXAMPLES / "administrative-approval-bureau-2025.txt")], db)
        assert report.ok and [doc_id for _, doc_id, _ in report.ingested] == ["administrative-approval-bureau-2025.txt"]
        rows = api.query("organizations", {}, store=db).dicts()
        assert [r["organization"] for r in rows] == ["山西转型综合改革示范区行政审批局"]
        assert [d.document_id for d in api.documents(db)] == ["administrative-approval-bureau-2025.txt"]
        assert b"bk:Disclosure" in api.export("turtle", store_path=db)
        assert api.delete_document("administrative-approval-bureau-2025.txt", db)
        assert api.documents(db) == []
        assert db.graph_store.store is not None  # still open: the handle's owner closes it
    assert db.graph_store.store is None
    # a path: the call opens the store and releases it (a writer can open it right after)
    api.ingest([str(EXAMPLES / "administrative-approval-bureau-2025.txt")], path)
    with budgetkg.open(path) as again:
        assert len(api.documents(again)) == 1
