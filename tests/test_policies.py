"""Cited documents in the store: issuers, relations, identity across documents, the named
queries shared-policies / policy-graph / issuers, and the `policy` / `policies` commands.

Real stores on disk, real sample disclosures. Cross-document behaviour needs more than the
three samples (they share no document), so `linked_store` also holds edited copies of them,
written to a temporary folder: the economic-operation disclosure a year later citing the
park's 晋综示发（2020）49号, a title-only mention, a title with a second 文号 and the correct
spelling of a mistyped 文号; and the administrative sample with a forwarding chain embedded
in its 其他说明.
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from budgetkg import api
from budgetkg.ontology import iris
from tests.test_references_relations import CHAIN

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
BIN = Path(sys.executable).parent
ECONOMIC = "jinzhong-economic-operation-2024"
PARK = "yangqu-park-service-center-2026"
ADMIN = "administrative-approval-bureau-2025"
ECONOMIC_ORG = "山西转型综合改革示范区晋中开发区经济运行与安全监管部"
PARK_ORG = "山西转型综合改革示范区阳曲工业园区服务中心"
ADMIN_ORG = "山西转型综合改革示范区行政审批局"
TITLE = "晋中市服务企业常态化工作考核办法"

# Edits of the economic-operation sample for its "2025" copy: (line as printed, replacement).
ECONOMIC_EDITS = [
    ("立项依据\t豫示晋开综办函〔2020〕4号", "立项依据\t晋综示发【2020】49号"),  # shared with the park (another org)
    ("立项依据\t关于开展2022年全省统计信息化建设和网络安全工作考核的通知", f"立项依据\t《{TITLE}》"),  # title only
    ("立项依据\t\t商资函(2012)1113号", f"立项依据\t\t《{TITLE}》（市政办发[2019]9号）"),  # same title, 2nd 文号
    ("立项依据\t综示晋开综办函〔2021〕17号", "立项依据\t晋政办发〔2019〕10号"),  # the correct spelling of 晋证办发
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "budgetkg"), *args], capture_output=True, text=True, check=False)


def write_edited(src: Path, dest: Path, edits: list[tuple[str, str]], year: tuple[str, str] | None = None) -> None:
    text = src.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    if year:
        text = text.replace(*year)
    dest.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def linked_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("linked")
    write_edited(EXAMPLES / f"{ECONOMIC}.txt", folder / "jinzhong-economic-operation-2025.txt", ECONOMIC_EDITS,
                 year=("2024", "2025"))
    write_edited(EXAMPLES / f"{ADMIN}.txt", folder / "administrative-approval-bureau-chain-2025.txt",
                 [("（二）其他\n", "（二）其他\n\n" + CHAIN + "\n")])
    store = str(tmp_path_factory.mktemp("linked-store"))
    files = [str(EXAMPLES / f"{PARK}.txt"), str(EXAMPLES / f"{ECONOMIC}.txt"),
             str(folder / "jinzhong-economic-operation-2025.txt"), str(folder / "administrative-approval-bureau-chain-2025.txt")]
    report = api.ingest(files, store)
    assert report.ok, report.failed
    return store


def rows(name: str, store: str, **params: str) -> list[dict[str, str]]:
    return api.query(name, params, store).dicts()


# --- issuers -------------------------------------------------------------------------------------


def test_issuers_query_groups_citations_by_issuing_organization(text_store: str) -> None:
    by_issuer = {r["issuer"] or r["issuer_codes"]: r for r in rows("issuers", text_store)}
    zone = by_issuer["山西转型综合改革示范区管理委员会"]
    # lists in code-point order, whatever order the engine concatenated them in
    assert (zone["level"], zone["region"], zone["issuer_codes"]) == ("开发区", "山西转型综合改革示范区", "晋综改委复; 晋综示发")
    assert zone["organizations"] == "; ".join(sorted([PARK_ORG, ADMIN_ORG]))
    assert (by_issuer["商务部"]["level"], by_issuer["商务部"]["issuer_codes"]) == ("中央", "商资函")
    assert by_issuer["太原市人民政府"]["level"] == "市"
    assert by_issuer["晋中市人民政府办公室"]["region"] == "山西省晋中市"
    assert by_issuer["山西省发展和改革委员会"]["level"] == "省"
    # codes the registry does not know (or knows without an issuer) are rows of their own
    for code in ("晋证办发", "豫示晋开综办函", "民管字"):
        assert by_issuer[code]["issuer"] == "" and by_issuer[code]["level"] == ""
    assert "主任办公会议" not in by_issuer  # meetings have no issuer code in this sense


def test_issuers_rows_are_the_derived_counts_over_every_citation(text_store: str) -> None:
    """The issuers query reads the derived summaries: the same rows as counting every citation."""
    from budgetkg.derivers.issuers import ISSUER_COUNTS

    def listed(row: dict[str, str]) -> tuple[str, ...]:  # the lists in code-point order
        return tuple("; ".join(sorted(set(row[c].split("; ")))) if c in ("issuer_codes", "organizations") else row[c]
                     for c in read.columns)

    counted = api.query(ISSUER_COUNTS, {}, text_store)
    read = api.query("issuers", {}, text_store)
    assert sorted(listed(r) for r in read.dicts()) == sorted(listed(r) for r in counted.dicts())
    assert sorted(tuple(r.values()) for r in read.dicts()) == sorted(listed(r) for r in read.dicts())
    assert len(read.rows) > 10


def test_unknown_issuers_command_lists_codes_with_where_they_were_cited(text_store: str) -> None:
    p = run("policies", "--unknown-issuers", "--store", text_store, "--format", "csv")
    assert p.returncode == 0, p.stderr
    found = list(csv.DictReader(io.StringIO(p.stdout)))
    assert {r["issuer_code"] for r in found} == {"晋证办发", "豫示晋开综办函", "民管字"}
    typo = next(r for r in found if r["issuer_code"] == "豫示晋开综办函")
    assert (typo["status"], typo["candidates"], typo["doc_number"]) == (
        "not in registry", "综示晋开综办函", "豫示晋开综办函〔2020〕4号")
    assert (typo["organization"], typo["year"], typo["project_name"], typo["field"], typo["location"]) == (
        ECONOMIC_ORG, "2024", "新疆建设兵团二二二团准东产业园区工作经费", "立项依据", f"{ECONOMIC}.txt:772")
    unidentified = {r["status"] for r in found if r["issuer_code"] == "民管字"}
    assert unidentified == {"registered, issuer unidentified"}
    assert len([r for r in found if r["issuer_code"] == "晋证办发"]) == 12  # 2 文号 × 3 sheets × 2 fields


# --- the embedded 批复 ---------------------------------------------------------------------------


def test_embedded_reply_yields_its_own_relations(text_store: str) -> None:
    graph = rows("policy-graph", text_store, policy="晋综改委复【2025】4号")
    assert {(r["relation"], r["target_doc_number"], r["target_title"]) for r in graph} == {
        ("cites", "", "山西转型综合改革示范区关于2024年预算执行与2025年预算草案的报告"),
        ("cites", "", "党工委第4次"),
        ("cites", "", "太原市第十五届人民代表大会第5次"),
        ("based_on", "", "预算法"),
    }
    assert {r["source_doc_number"] for r in graph} == {"晋综改委复〔2025〕4号"}
    assert {r["stated_in"] for r in graph} == {f"{ADMIN_ORG} 2025"}


def test_embedded_reply_is_one_document_with_its_title_and_issuer(text_store: str) -> None:
    (report,) = api.policy("山西转型综改示范区管委会关于2025年部门预算的批复", text_store)
    assert (report.doc_number, report.kind, report.issuer_code) == ("晋综改委复〔2025〕4号", "numbered_document", "晋综改委复")
    assert report.issuer is not None and report.issuer.organization == "山西转型综合改革示范区管理委员会"
    # its 文号 line and its title line are two narrative citations of the same document
    assert {surface for surface, _ in report.forms} == {"晋综改委复〔2025〕4号", "山西转型综改示范区管委会 关于 2025 年部门预算的批复"}
    assert {(c.project_name, c.line) for c in report.citations} == {(None, 389), (None, 391)}
    q = ("PREFIX bk: <https://w3id.org/budgetkg/ontology#> PREFIX eli: <http://data.europa.eu/eli/ontology#> "
         "SELECT ?date WHERE { ?d bk:embeds ?p . ?p bk:docNumber '晋综改委复〔2025〕4号' ; eli:date_document ?date }")
    assert [r["date"] for r in api.query(q, {}, text_store).dicts()] == ["2025-03-17"]


# --- the forwarding chain -------------------------------------------------------------------------


def test_chain_relations_in_the_store(linked_store: str) -> None:
    graph = {(r["source_doc_number"], r["relation"], r["target_doc_number"])
             for r in rows("policy-graph", linked_store) if r["stated_in"] != "derived"}
    assert {
        ("市财预〔2024〕5号", "forwards", "晋财预〔2024〕12号"),
        ("晋财预〔2024〕12号", "based_on", "中发〔2018〕34号"),
        ("晋财预〔2024〕12号", "based_on", "财预〔2020〕10号"),
        ("晋财预〔2024〕12号", "repeals", "晋财预〔2018〕3号"),
    } <= graph
    (b,) = api.policy("晋财预(2024)12号", linked_store)
    assert [(r.direction, r.relation, r.label.split()[0]) for r in b.relations] == [
        ("out", "based_on", "中发〔2018〕34号"), ("out", "based_on", "财预〔2020〕10号"),
        ("out", "repeals", "晋财预〔2018〕3号"), ("in", "forwards", "市财预〔2024〕5号")]
    assert b.issuer is not None and (b.issuer.organization, b.issuer.level) == ("山西省财政厅", "省")


def test_chain_document_graph_conforms_to_the_shapes(tmp_path: Path) -> None:
    from pyshacl import validate
    from rdflib import Graph

    from budgetkg.ontology import ONTOLOGY_TTL, SHAPES_TTL

    path = tmp_path / "administrative-approval-bureau-chain-2025.txt"
    write_edited(EXAMPLES / f"{ADMIN}.txt", path, [("（二）其他\n", "（二）其他\n\n" + CHAIN + "\n")])
    parsed = api.parse_file(str(path))
    assert [e.reference.doc_number for e in parsed.disclosure.embedded] == [
        "晋综改委复〔2025〕4号", "市财预〔2024〕5号", "晋财预〔2024〕12号"]
    shapes = Graph().parse(SHAPES_TTL, format="turtle")
    ontology = Graph().parse(ONTOLOGY_TTL, format="turtle")
    conforms, _, text = validate(parsed.graph, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                 allow_warnings=False)
    assert conforms, text


# --- identity across documents ---------------------------------------------------------------------


def test_title_only_mention_resolves_to_the_numbered_documents(linked_store: str) -> None:
    cited = rows("projects-citing", linked_store, policy="市政办发[2018]7号")
    assert {(r["organization"], r["year"], r["project_name"], r["surface"]) for r in cited} == {
        (ECONOMIC_ORG, "2024", "企业服务常态化经费", f"《{TITLE}》(市政办发[2018]7号)"),  # readers apply NFKC
        (ECONOMIC_ORG, "2025", "企业服务常态化经费", f"《{TITLE}》(市政办发[2018]7号)"),
        (ECONOMIC_ORG, "2025", "统计网络租用经费", f"《{TITLE}》"),  # the title-only mention
    }
    # the title is also cited with a second 文号: the mention links to both, and it is reported
    second = rows("projects-citing", linked_store, policy="市政办发〔2019〕9号")
    assert {r["project_name"] for r in second} == {"援助新疆建设兵团12师222团准东产业园区项目经费", "统计网络租用经费"}
    (conflict,) = api.title_conflicts(linked_store)
    assert conflict.title == TITLE
    assert set(conflict.doc_numbers.split("; ")) == {"市政办发〔2018〕7号", "市政办发〔2019〕9号"}
    p = run("policies", "--title-conflicts", "--store", linked_store, "--format", "csv")
    assert p.returncode == 0 and TITLE in p.stdout
    (report,) = api.policy("市政办发〔2018〕7号", linked_store)
    assert report.same_title == ["市政办发〔2019〕9号"]
    assert report.aliases == [str(iris.policy(f"titled_document:{TITLE}"))]
    assert dict(report.forms) == {f"《{TITLE}》(市政办发[2018]7号)": 4, f"《{TITLE}》": 1}


def test_no_title_conflict_in_the_samples(text_store: str) -> None:
    assert api.title_conflicts(text_store) == []


def test_shared_policies_lists_who_cites_a_document_and_when(linked_store: str) -> None:
    shared = rows("shared-policies", linked_store)
    by_doc: dict[str, set[tuple[str, str]]] = {}
    for r in shared:
        by_doc.setdefault(r["doc_number"] or r["title"], set()).add((r["organization"], r["year"]))
    assert by_doc["晋综示发〔2020〕49号"] == {(PARK_ORG, "2026"), (ECONOMIC_ORG, "2025")}
    assert by_doc["市政办发〔2018〕7号"] == {(ECONOMIC_ORG, "2024"), (ECONOMIC_ORG, "2025")}
    row = next(r for r in shared if r["doc_number"] == "晋综示发〔2020〕49号" and r["organization"] == PARK_ORG)
    assert (row["organizations_citing"], row["years_citing"]) == ("2", "2")
    assert set(row["projects"].split("; ")) == {"周边事务工作经费", "园区征地费用", "园区征地项目经费"}
    assert by_doc["市能源节能〔2023〕16号"] == {(ECONOMIC_ORG, "2024"), (ECONOMIC_ORG, "2025")}
    # a document one organization cites in one year only is not shared
    assert "主任办公会议〔2019〕8号" not in by_doc and "晋综改委复〔2025〕4号" not in by_doc


def test_shared_policies_empty_when_nothing_is_shared(text_store: str) -> None:
    assert rows("shared-policies", text_store) == []


def test_typo_candidates_are_linked_with_a_confidence_never_merged(text_store: str, linked_store: str) -> None:
    def candidates(store: str) -> dict[tuple[str, str], str]:
        return {(r["source_doc_number"], r["target_doc_number"]): r["confidence"]
                for r in rows("policy-graph", store) if r["relation"] == "typo_candidate"}

    alone = candidates(text_store)
    assert alone[("晋证办发〔2019〕10号", "晋政办发〔2019〕10号")] == "0.6"  # registry only
    assert alone[("晋证办发〔2019〕10号", "晋办发〔2019〕10号")] == "0.4"  # a deletion is less likely
    assert alone[("豫示晋开综办函〔2020〕4号", "综示晋开综办函〔2020〕4号")] == "0.6"
    assert alone[("民管字〔2015〕45号", "民管字〔2016〕45号")] == "0.3"  # years one apart
    linked = candidates(linked_store)
    assert linked[("晋证办发〔2019〕10号", "晋政办发〔2019〕10号")] == "0.9"  # the correct 文号 is cited elsewhere
    # never merged: each spelling keeps its own citing projects
    right = rows("projects-citing", linked_store, policy="晋政办发〔2019〕10号")
    assert {(r["organization"], r["project_name"]) for r in right} == {(ECONOMIC_ORG, "参加中国国际进口博览会经费")}
    wrong = rows("projects-citing", linked_store, policy="晋证办发〔2019〕10号")
    assert {r["organization"] for r in wrong} == {PARK_ORG}


def test_refreshing_the_derived_links_twice_changes_nothing(tmp_path: Path) -> None:
    """The deriver reads document graphs only: the corrected 文号 it describes must not make a
    second refresh think that 文号 is cited (which would raise the candidate's confidence)."""
    from budgetkg import derive
    from budgetkg.graph_store.embedded import EmbeddedStore

    store_path = str(tmp_path / "store")
    assert api.ingest([str(EXAMPLES / f"{ECONOMIC}.txt")], store_path).ok
    q = "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/budgetkg/graph/derived/policies> { ?s ?p ?o } }"

    def derived() -> set[tuple[str, ...]]:
        return {tuple(r.values()) for r in api.query(q, {}, store_path).dicts()}

    first = derived()
    assert any(o == "0.6" for _, _, o in first)  # 豫示晋开综办函 -> 综示晋开综办函, registry only
    store = EmbeddedStore(store_path)
    derive.refresh(store)
    store.flush()
    del store
    assert derived() == first


def test_deleting_a_document_takes_its_links_with_it(tmp_path: Path) -> None:
    edited = tmp_path / "jinzhong-economic-operation-2025.txt"
    write_edited(EXAMPLES / f"{ECONOMIC}.txt", edited, ECONOMIC_EDITS, year=("2024", "2025"))
    store = str(tmp_path / "store")
    assert api.ingest([str(EXAMPLES / f"{ECONOMIC}.txt"), str(edited)], store).ok
    assert [c.title for c in api.title_conflicts(store)] == [TITLE]
    # No gc.collect() here on purpose: api.ingest releases the writer's lock when it returns,
    # so deleting in the same process right after works.
    assert api.delete_document(edited.name, store)
    assert api.title_conflicts(store) == []
    assert {r["project_name"] for r in rows("projects-citing", store, policy=TITLE)} == {"企业服务常态化经费"}


# --- every written variant --------------------------------------------------------------------------

VARIANTS = ["晋综示发〔2020〕49号", "晋综示发(2020)49号", "晋综示发【2020】49号", "晋综示发（2020）49号",
            "晋综示发[2020]49号", "晋综示发〔２０２０〕第０４９号", " 晋综示发 〔2020〕 第49号 "]


def projects_via_policy_command(store: str, ref: str) -> set[tuple[str, str, str]]:
    p = run("policy", ref, "--store", store, "--format", "json")
    assert p.returncode == 0, p.stderr
    (report,) = json.loads(p.stdout)
    return {(c["organization"], str(c["year"]), c["project_name"]) for c in report["citations"]}


def projects_via_query(store: str, ref: str) -> set[tuple[str, str, str]]:
    p = run("query", "projects-citing", "--store", store, "--param", f"policy={ref}", "--format", "csv")
    assert p.returncode == 0, p.stderr
    return {(r["organization"], r["year"], r["project_name"]) for r in csv.DictReader(io.StringIO(p.stdout))}


def test_policy_command_and_projects_citing_agree_on_every_variant(text_store: str) -> None:
    """Done-when: `budgetkg policy 晋综示发(2020)49号` and projects-citing with 晋综示发【2020】49号
    return the same projects as the canonical spelling."""
    canonical = projects_via_query(text_store, "晋综示发〔2020〕49号")
    assert canonical == {(PARK_ORG, "2026", p) for p in ("周边事务工作经费", "园区征地费用", "园区征地项目经费")}
    assert projects_via_policy_command(text_store, "晋综示发(2020)49号") == canonical
    assert projects_via_query(text_store, "晋综示发【2020】49号") == canonical
    for variant in VARIANTS:
        assert projects_via_query(text_store, variant) == canonical, variant
    for variant in VARIANTS[1:3]:
        assert projects_via_policy_command(text_store, variant) == canonical, variant


@pytest.mark.parametrize("variant", VARIANTS[:4] + ["晋综示发"])
def test_policies_query_filter_matches_variants(text_store: str, variant: str) -> None:
    found = rows("policies", text_store, policy=variant)
    if variant == "晋综示发":  # no 文号: a title fragment, and no title contains it
        assert found == []
        return
    assert [(r["doc_number"], r["citing_projects"]) for r in found] == [("晋综示发〔2020〕49号", "3")]


@pytest.mark.parametrize(("fragment", "doc_numbers"), [
    ("消费券发放活动", {"市政办发〔2022〕32号", "综示晋开综办函〔2023〕10号"}),
    ("《 关于持续开展 2023 年消费券发放活动的通知 》", {"市政办发〔2022〕32号"}),
    ("节能审查实施办法", {"市能源节能〔2023〕16号"}),  # the document that forwards it
])
def test_projects_citing_by_title_fragment(text_store: str, fragment: str, doc_numbers: set[str]) -> None:
    found = rows("projects-citing", text_store, policy=fragment)
    assert {r["doc_number"] for r in found if r["doc_number"]} == doc_numbers


def test_forwarding_citation_states_a_relation(text_store: str) -> None:
    (report,) = api.policy("市能源节能(2023)16号", text_store)
    assert report.titles == []  # the title printed with it is the forwarded document's
    assert [(r.relation, r.label) for r in report.relations] == [("forwards", "《固定资产投资项目节能审查实施办法》")]
    (forwarded,) = api.policy("固定资产投资项目节能审查实施办法", text_store)
    assert [(r.direction, r.relation, r.label) for r in forwarded.relations] == [
        ("in", "forwards", "市能源节能〔2023〕16号")]
    both = rows("projects-citing", text_store, policy="固定资产投资项目节能审查实施办法")
    assert {(r["project_name"], r["field"]) for r in both} == {
        ("节能审查相关工作经费", "立项依据"), ("节能审查相关工作经费", "保证项目实施的制度、措施")}


# --- the policy command -------------------------------------------------------------------------------


def test_policy_command_prints_forms_issuer_relations_and_projects(text_store: str) -> None:
    p = run("policy", "晋证办发【2019】10号", "--store", text_store)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert out.startswith("晋证办发〔2019〕10号  (numbered_document)")
    assert "not in the issuer registry (one edit from 晋政办发, 晋办发)" in out
    assert "written:   晋证办发【2019】10号  ×6" in out
    assert "-> typo_candidate  晋政办发〔2019〕10号 (confidence 0.6)" in out
    assert f"{PARK_ORG} 2026  周边事务工作经费  立项依据  11,803,400.00 元  {PARK}.txt:576" in out


def test_policy_report_amounts_and_lines(text_store: str) -> None:
    (report,) = api.policy("市政办发〔2022〕32号", text_store)
    assert report.issuer is not None and report.issuer.organization == "晋中市人民政府办公室"
    assert report.titles == ["晋中市人民政府办公室关于持续开展2023年消费券发放活动的通知"]
    assert {(c.project_name, c.field, c.amount_yuan, c.line) for c in report.citations} == {
        ("2024年晋中开发区消费券专项资金", "项目概况", "10000000", 546),  # 表12: 1000.00 万元
        ("2024年晋中开发区消费券专项资金", "立项依据", "10000000", 547)}


def test_policy_command_unknown_reference_fails_cleanly(text_store: str) -> None:
    p = run("policy", "国发〔1999〕1号", "--store", text_store)
    assert p.returncode == 1 and p.stdout == ""
    assert p.stderr.strip() == f"budgetkg: no cited document matches '国发〔1999〕1号' in {text_store}"


def test_user_input_is_bound_not_spliced(text_store: str) -> None:
    hostile = '晋综示发" } } ; DROP ALL ; SELECT * { ?s ?p ?o '
    assert api.policy(hostile, text_store) == []
    assert rows("projects-citing", text_store, policy=hostile) == []
    assert rows("policies", text_store) != []


# --- named queries are listed ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "columns"), [
    ("shared-policies", "policy, kind, doc_number, title, organization, year, projects, organizations_citing, years_citing"),
    ("policy-graph", "source, source_doc_number, source_title, relation, target, target_doc_number, target_title, "
                     "confidence, stated_in"),
    ("issuers", "issuer, level, region, issuer_codes, documents, citations, citing_projects, organizations"),
])
def test_new_named_queries_have_their_columns(text_store: str, name: str, columns: str) -> None:
    result = api.query(name, {}, text_store)
    assert ", ".join(result.columns) == columns
    p = run("queries", "--format", "csv")
    assert name in p.stdout


def test_reference_throughput_prints_one_line_per_sample(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.references import reference_throughput

    reference_throughput()
    lines = capsys.readouterr().out.strip().split("\n")
    samples = sorted(p.name for p in EXAMPLES.glob("*.txt"))
    assert [line.split()[0] for line in lines[1:]] == samples
    assert all(line.endswith("chars/s") for line in lines[1:])


def test_title_links_rules() -> None:
    """Same normalised title links; a title-only mention without issuer also matches a numbered
    title that adds its issuer before 关于; a forwarding document is never the forwarded one."""
    from budgetkg.derivers.policies import title_links

    numbered = {"n1": {"晋中市人民政府办公室关于持续开展2023年消费券发放活动的通知"}, "n2": {TITLE}, "n3": {TITLE}}
    titled = {"t1": {"关于持续开展2023年消费券发放活动的通知"}, "t2": {TITLE}, "t3": {"关于开展工作的通知"},
              "t4": {"山西省财政厅关于持续开展2023年消费券发放活动的通知"}}
    assert sorted(title_links(numbered, titled, set())) == [("t1", "n1"), ("t2", "n2"), ("t2", "n3")]
    assert sorted(title_links(numbered, titled, {("n2", "t2")})) == [("t1", "n1"), ("t2", "n3")]
