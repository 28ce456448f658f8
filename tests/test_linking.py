"""Linking across documents and years (issue 5, cross-document half).

- organization identity from a normalised name, and the hierarchy names and documents state;
- the three samples together: organization-tree, subject-across, the SKOS schemes;
- cross-year linking on synthetic next-year variants of a sample built here: the 2024
  economic-operation disclosure rewritten to 2025 with another zone prefix, one project
  renamed slightly and one amount changed.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetkg import api
from budgetkg.derivers.labels import Printed, preferred
from budgetkg.derivers.projects import ProjectRef, link_years, similarity
from budgetkg.ingest.organizations import hierarchy, organization_key, texts_to_parent_bodies
from budgetkg.ingest.schemes import economic_code
from budgetkg.ontology import iris
from tests.conftest import EXAMPLES, SAMPLES, gold

ZONE = "山西转型综合改革示范区"
JINZHONG = "jinzhong-economic-operation-2024"
JINZHONG_ORG = "山西转型综合改革示范区晋中开发区经济运行与安全监管部"
PUBLISHERS = {
    "administrative-approval-bureau-2025": "山西转型综合改革示范区行政审批局",
    JINZHONG: JINZHONG_ORG,
    "yangqu-park-service-center-2026": "山西转型综合改革示范区阳曲工业园区服务中心",
}
BK = "PREFIX bk: <https://w3id.org/budgetkg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


def rows(store: str, query: str, **params: str) -> list[dict[str, str]]:
    return api.query(query, params, store_path=store).dicts()


# --- organization identity and hierarchy (pure rules) -------------------------------------

SAME_ORGANIZATION = [
    ("山西转型综合改革示范区行政审批局", "山西转型综改示范区行政审批局"),
    ("山西转型综合改革示范区行政审批局", "示范区行政审批局"),
    ("山西转型综合改革示范区行政审批局", "综改示范区行政审批局"),
    ("山西转型综合改革示范区行政审批局", "行政审批局"),
    ("山西转型综合改革示范区行政审批局", "山西转型综合改革示范区 行政审批局"),
    ("山西转型综合改革示范区行政审批局", "山西转型综合改革示范区行政审批局"),  # full-width
    ("山西转型综改示范区管委会", "山西转型综合改革示范区管理委员会"),
    ("示范区晋中开发区管委会", "山西转型综合改革示范区晋中开发区管理委员会"),
    # alias plates in brackets, and the same cell cut off by its column
    ("山西转型综合改革示范区政务服务中心（公共资源交易中心、大数据中心）",
     "山西转型综合改革示范区政务服务中心(山西转型综合改革示范区公共资源交易中"),
    ("山西转型综合改革示范区", "示范区"),
]
DIFFERENT_ORGANIZATIONS = [
    ("山西转型综合改革示范区晋中开发区经济运行与安全监管部", "山西转型综合改革示范区经济运行与安全监管部"),
    ("山西转型综合改革示范区管委会", "山西转型综合改革示范区晋中开发区管委会"),
    ("山西转型综合改革示范区管委会", "山西转型综合改革示范区管委会办公室"),
    ("山西转型综合改革示范区行政审批局", "山西转型综合改革示范区政务服务中心"),
]


@pytest.mark.parametrize(("a", "b"), SAME_ORGANIZATION)
def test_printed_variants_are_one_organization(a: str, b: str) -> None:
    assert organization_key(a) == organization_key(b)
    assert iris.organization(organization_key(a)) == iris.organization(organization_key(b))


@pytest.mark.parametrize(("a", "b"), DIFFERENT_ORGANIZATIONS)
def test_different_organizations_stay_apart(a: str, b: str) -> None:
    assert organization_key(a) != organization_key(b)


HIERARCHIES = [
    # name only: the prefix puts it in the zone
    ("山西转型综合改革示范区阳曲工业园区服务中心", [], ["阳曲工业园区服务中心", ZONE]),
    # a sub-zone in the name, and the document's bare 管委会 is the sub-zone's
    (JINZHONG_ORG, ["管委会"], ["晋中开发区经济运行与安全监管部", "晋中开发区管理委员会", "晋中开发区", ZONE]),
    # the 管委会 that approves the budget (批复) and assigns the work
    ("山西转型综合改革示范区行政审批局", ["山西转型综改示范区管委会", "管委会"],
     ["行政审批局", ZONE + "管理委员会", ZONE]),
    # an office of a 管委会 is inside it
    ("山西转型综合改革示范区晋中开发区管理委员会办公室", [],
     ["晋中开发区管理委员会办公室", "晋中开发区管理委员会", "晋中开发区", ZONE]),
    ("山西转型综改示范区管委会", [], [ZONE + "管理委员会", ZONE]),
    (ZONE, [], [ZONE]),
    # a bare name of somebody else (an issuer of a cited document) is in no zone
    ("晋中市能源局", [], ["晋中市能源局"]),
]


def chain_up(name: str, bodies: list[str]) -> list[str]:
    """The organization's ancestors by following the parent edges (one parent each here)."""
    parents = {child.key: parent.key for child, parent in hierarchy(name, bodies)}
    chain = [organization_key(name)]
    while chain[-1] in parents:
        chain.append(parents[chain[-1]])
    return chain


@pytest.mark.parametrize(("name", "bodies", "expected"), HIERARCHIES, ids=lambda v: str(v)[:12])
def test_hierarchy_from_name_and_document(name: str, bodies: list[str], expected: list[str]) -> None:
    assert chain_up(name, bodies) == expected


@pytest.mark.parametrize(("texts", "expected"), [
    (["山西转型综改示范区管委会 关于 2025 年部门预算的批复"], ["山西转型综改示范区管委会"]),
    (["……承办党工委、 管委会交办的其他事项。"], ["管委会"]),
    (["承办管委会交办的其他工作。"], ["管委会"]),
    (["经济运行部中有经济运行科、项目管理科4个内设科室。", "关于2025年部门预算的说明"], []),
])
def test_parent_bodies_found_in_document_text(texts: list[str], expected: list[str]) -> None:
    assert texts_to_parent_bodies(texts) == expected


@pytest.mark.parametrize("name", SAMPLES)
def test_document_bodies_parsed_from_samples(parsed, name: str) -> None:
    org = parsed[name].disclosure.organization
    expected = {"administrative-approval-bureau-2025": {"管委会", "山西转型综改示范区管委会"},
                JINZHONG: {"管委会"}, "yangqu-park-service-center-2026": set()}[name]
    assert set(org.parent_bodies) == expected


# --- the three samples together --------------------------------------------------------------

def test_organization_tree_puts_the_three_samples_under_their_zone(text_store: str) -> None:
    tree = {r["organization"]: r for r in rows(text_store, "organization-tree")}
    for name, publisher in PUBLISHERS.items():
        row = tree[publisher]
        assert row["zone"] == ZONE, name
        assert int(row["depth"]) >= 1 and row["kind"] == "部门", name
    assert tree[PUBLISHERS["administrative-approval-bureau-2025"]]["parent"] == ZONE + "管理委员会"
    assert tree[JINZHONG_ORG]["parent"] == ZONE + "晋中开发区管委会"
    assert tree[PUBLISHERS["yangqu-park-service-center-2026"]]["parent"] == ZONE
    assert tree[ZONE]["depth"] == "0" and tree[ZONE]["kind"] == "示范区"
    assert tree[ZONE + "晋中开发区"]["parent"] == ZONE
    # codes per year, printed with the organization's own name
    assert tree[JINZHONG_ORG]["codes"] == "2024:609"
    assert tree[PUBLISHERS["yangqu-park-service-center-2026"]]["codes"] == "2026:621"


def test_organization_tree_lists_internal_units_under_their_organization(text_store: str) -> None:
    units = [r for r in rows(text_store, "organization-tree") if r["kind"] == "内设机构"]
    by_parent: dict[str, set[str]] = {}
    for r in units:
        by_parent.setdefault(r["parent"], set()).add(r["organization"])
    for name, publisher in PUBLISHERS.items():
        assert by_parent[publisher] == set(gold(name)["document"]["internal_units"]), name


def test_sheet_units_get_identity_code_and_zone(text_store: str) -> None:
    """The 政务服务中心 of the approval bureau's sheets, printed two ways (both cut off), is one organization."""
    tree = [r for r in rows(text_store, "organization-tree") if "政务服务中心" in r["organization"]]
    assert len(tree) == 1
    (row,) = tree
    assert row["codes"] == "2025:640" and row["parent"] == ZONE
    assert len(row["names"].split("; ")) == 2


def test_one_preferred_label_per_organization(text_store: str) -> None:
    found = rows(text_store, BK + """SELECT ?o (COUNT(DISTINCT ?l) AS ?n) WHERE {
        ?o a bk:Organization . OPTIONAL { ?o skos:prefLabel ?l } } GROUP BY ?o""")
    assert found and all(r["n"] == "1" for r in found)


@pytest.mark.parametrize(("code", "expected"), [
    ("2150805", {(JINZHONG_ORG, "2024", "52000000"),
                 (PUBLISHERS["yangqu-park-service-center-2026"], "2026", "95201200")}),
    ("2011399", {(JINZHONG_ORG, "2024", None), (PUBLISHERS["yangqu-park-service-center-2026"], "2026", None)}),
    ("201", {(p, y, None) for p, y in zip(PUBLISHERS.values(), ("2025", "2024", "2026"), strict=True)}),
])
def test_subject_across_lists_every_organization_budgeting_under_a_code(text_store, code, expected) -> None:
    found = rows(text_store, "subject-across", code=code)
    assert {(r["organization"], r["year"]) for r in found} == {(o, y) for o, y, _ in expected}
    for org, year, total in expected:
        if total:
            (row,) = [r for r in found if r["organization"] == org and r["year"] == year]
            assert row["total_yuan"] == total


def test_subject_across_keeps_printed_names_and_one_preferred_name(text_store: str) -> None:
    """21505 is printed 工业和信息产业监管 (2024) and 工业和信息产业 (2026): three rows each; the tie
    goes to the latest printed name."""
    found = rows(text_store, "subject-across", code="21505")
    assert {r["printed_name"] for r in found} == {"工业和信息产业监管", "工业和信息产业"}
    assert {r["name"] for r in found} == {"工业和信息产业"}


def test_subject_scheme_pref_and_alt_labels(text_store: str) -> None:
    """20604: 表2 and 表5 print 技术与开发, 表3 技术与研究与开发 -> prefLabel the most frequent."""
    found = rows(text_store, BK + """SELECT ?p ?a WHERE {
        ?c skos:notation "20604" ; skos:prefLabel ?pl . OPTIONAL { ?c skos:altLabel ?al }
        BIND(STR(?pl) AS ?p) BIND(STR(?al) AS ?a) }""")
    assert {(r["p"], r["a"]) for r in found} == {("技术与开发", "技术与研究与开发")}
    assert rows(text_store, "subject-across", code="20604")[0]["printed_name"] == "技术与研究与开发"


@pytest.mark.parametrize("name", SAMPLES)
def test_every_gold_economic_item_has_a_code(name: str) -> None:
    items = gold(name)["economic_items"]
    assert items and all(economic_code(item["name"]) for item in items), [
        i["name"] for i in items if not economic_code(i["name"])]


def test_economic_items_are_a_scheme_with_broader_classes(text_store: str) -> None:
    found = rows(text_store, BK + """SELECT ?code ?label ?broader (COUNT(DISTINCT ?r) AS ?rows) WHERE {
        ?r bk:economicItem ?e . ?e skos:notation ?code ; skos:prefLabel ?l ; skos:inScheme bk:EconomicClassification .
        OPTIONAL { ?e skos:broader/skos:notation ?broader }
        BIND(STR(?l) AS ?label) } GROUP BY ?code ?label ?broader""")
    by_code = {r["code"]: r for r in found}
    assert by_code["30201"]["label"] == "办公费" and by_code["30201"]["broader"] == "302"
    assert by_code["302"]["label"] == "商品和服务支出" and by_code["302"]["broader"] == ""
    assert by_code["30201"]["rows"] == "3"  # every sample's 表6 prints 办公费
    leaves = sum(len(gold(n)["economic_items"]) for n in SAMPLES)
    assert sum(int(r["rows"]) for r in found if len(r["code"]) == 5) == leaves


def test_funding_sources_fixed_keys_and_printed_variants(text_store: str) -> None:
    found = rows(text_store, BK + """SELECT ?key ?pref (GROUP_CONCAT(DISTINCT STR(?alt); separator="|") AS ?alts) WHERE {
        ?s a bk:FundingSource ; skos:notation ?key ; skos:prefLabel ?p ; skos:inScheme bk:FundingSourceScheme .
        OPTIONAL { ?s skos:altLabel ?alt } BIND(STR(?p) AS ?pref) } GROUP BY ?key ?pref""")
    by_key = {r["key"]: r for r in found}
    assert by_key["general_public"]["pref"] == "一般公共预算"
    assert by_key["central"]["pref"] == "中央财政资金" and by_key["central"]["alts"] == ""
    assert "政府性基金" in by_key["government_fund"]["alts"].split("|")
    assert {"general_public", "government_fund", "carryover", "central", "provincial", "local",
            "self_raised", "other"} <= set(by_key)


# --- across years: synthetic next-year variants ------------------------------------------------

RENAMED = ("统计网络租用经费", "统计网络租赁经费")
CHANGED = ("遗属补助\t0.70\t0.70", "遗属补助\t0.90\t0.90")


def next_year_variant(tmp: Path, prefix: str) -> Path:
    """The 2024 sample as a 2025 disclosure: zone prefix written ``prefix``, one project
    renamed slightly, one amount changed (7000 -> 9000 yuan)."""
    text = (EXAMPLES / f"{JINZHONG}.txt").read_text(encoding="utf-8")
    text = text.replace("2024", "2025")
    text = text.replace(JINZHONG_ORG, prefix + JINZHONG_ORG.removeprefix(ZONE))
    text = text.replace(ZONE + "晋中开发区经济\n", prefix + "晋中开发区经济\n")  # the cover line
    assert RENAMED[0] in text and CHANGED[0] in text
    text = text.replace(*RENAMED).replace(*CHANGED)
    path = tmp / "jinzhong-economic-operation-2025.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["示范区", "山西转型综改示范区"])
def two_years(request, tmp_path_factory) -> tuple[str, str]:
    """A store with the 2024 sample and its 2025 variant; returns (store, 2025 printed name)."""
    tmp = tmp_path_factory.mktemp("years")
    variant = next_year_variant(tmp, request.param)
    store = str(tmp / "kg")
    report = api.ingest([str(EXAMPLES / f"{JINZHONG}.txt"), str(variant)], store)
    assert report.ok, report.failed
    return store, request.param + JINZHONG_ORG.removeprefix(ZONE)


def test_one_organization_iri_across_years(two_years) -> None:
    store, printed_2025 = two_years
    found = rows(store, BK + """SELECT DISTINCT ?org ?name ?year WHERE { GRAPH ?g {
        ?d a bk:Disclosure ; bk:publishedBy ?org ; bk:organizationName ?name ; bk:fiscalYear/bk:yearNumber ?year } }""")
    assert {r["org"] for r in found} == {str(iris.organization(organization_key(JINZHONG_ORG)))}
    assert {(r["name"], r["year"]) for r in found} == {(JINZHONG_ORG, "2024"), (printed_2025, "2025")}


def test_named_queries_keep_each_years_printed_name_without_doubling(two_years) -> None:
    store, printed_2025 = two_years
    orgs = rows(store, "organizations")
    assert [(r["organization"], r["year"]) for r in orgs] == sorted(
        [(JINZHONG_ORG, "2024"), (printed_2025, "2025")])
    projects = rows(store, "projects")
    assert len(projects) == 2 * len(gold(JINZHONG)["projects_current"] + gold(JINZHONG)["projects_carryover"])
    assert {r["organization"] for r in projects if r["year"] == "2025"} == {printed_2025}


def test_organization_tree_one_row_with_both_names_and_codes(two_years) -> None:
    store, printed_2025 = two_years
    (row,) = [r for r in rows(store, "organization-tree") if r["kind"] == "部门"]
    assert row["years"] == "2024; 2025" and row["codes"] == "2024:609; 2025:609"
    assert set(row["names"].split("; ")) == {JINZHONG_ORG, printed_2025}
    assert row["zone"] == ZONE


def links(store: str) -> dict[tuple[str, str], tuple[str, str, bool]]:
    """(later name, earlier name) -> (kind, similarity, has a direct edge)."""
    found = rows(store, BK + """SELECT ?later ?earlier ?kind ?sim ?edge WHERE {
        ?l a bk:ProjectLink ; bk:laterProject ?lp ; bk:earlierProject ?ep ; bk:matchKind ?kind ; bk:similarity ?sim .
        ?lp bk:projectName ?later . ?ep bk:projectName ?earlier .
        BIND(EXISTS { ?lp bk:continues|bk:mayContinue ?ep } AS ?edge) }""")
    return {(r["later"], r["earlier"]): (r["kind"], r["sim"], r["edge"] == "true") for r in found}


def test_exact_and_candidate_project_links(two_years) -> None:
    store, _ = two_years
    found = links(store)
    assert found[("党建工作及机关文化建设经费", "党建工作及机关文化建设经费")] == ("exact", "1", True)
    assert found[("遗属补助", "遗属补助")][0] == "exact"
    kind, score, edge = found[RENAMED[::-1]]
    assert kind == "candidate" and edge and Decimal("0.5") <= Decimal(score) < 1
    # the year in a name does not hide a continued programme
    kind, score, edge = found[("2025年创新能力建设项目", "2024年创新能力建设项目")]
    assert (kind, edge) == ("candidate", True) and Decimal(score) == 1
    # each project continues at most one earlier project
    edges = [pair for pair, (_, _, edge) in found.items() if edge]
    assert len({later for later, _ in edges}) == len(edges) == 15


def test_project_history_rows_with_change(two_years) -> None:
    store, printed_2025 = two_years
    history = rows(store, "project-history", organization=printed_2025)
    assert len(history) == 30  # 15 projects in each year
    (row,) = [r for r in history if r["project_name"] == "遗属补助" and r["year"] == "2025"]
    assert (row["total_yuan"], row["previous_year"], row["previous_total_yuan"], row["change_yuan"], row["link"]) == \
        ("9000", "2024", "7000", "2000", "exact")
    first = [r for r in history if r["year"] == "2024"]
    assert all(r["previous_year"] == "" and r["organization"] == JINZHONG_ORG for r in first)


@pytest.mark.parametrize("organization", [JINZHONG_ORG, "示范区晋中开发区经济运行与安全监管部",
                                          "山西转型综改示范区 晋中开发区经济运行与安全监管部"])
def test_project_history_finds_the_organization_by_any_printed_name(two_years, organization: str) -> None:
    store, _ = two_years
    assert len(rows(store, "project-history", organization=organization)) == 30
    assert rows(store, "project-history", organization="山西转型综合改革示范区行政审批局") == []


def test_project_history_by_name_follows_the_renamed_project(two_years) -> None:
    store, _ = two_years
    found = rows(store, "project-history", name="租用")  # only the 2024 name contains it
    assert [(r["year"], r["project_name"]) for r in found] == [("2024", RENAMED[0]), ("2025", RENAMED[1])]
    assert found[1]["link"] == "candidate" and found[1]["previous_name"] == RENAMED[0]


def test_links_go_when_a_year_is_deleted(tmp_path) -> None:
    variant = next_year_variant(tmp_path, "示范区")
    store = str(tmp_path / "kg")
    assert api.ingest([str(EXAMPLES / f"{JINZHONG}.txt"), str(variant)], store).ok
    assert links(store)
    assert api.delete_document(variant.name, store)
    assert links(store) == {}
    assert all(r["previous_year"] == "" for r in rows(store, "project-history"))


def test_text_and_pdf_of_one_year_do_not_double_history(tmp_path) -> None:
    variant = next_year_variant(tmp_path, "示范区")
    store = str(tmp_path / "kg")
    report = api.ingest([str(EXAMPLES / f"{JINZHONG}.txt"), str(EXAMPLES / f"{JINZHONG}.pdf"), str(variant)], store)
    assert report.ok, report.failed
    history = rows(store, "project-history")
    assert len(history) == 30
    assert len([r for r in history if r["link"]]) == 15


# --- similarity and one-to-one matching (pure) ---------------------------------------------------

@pytest.mark.parametrize(("a", "b", "low", "high"), [
    ("统计网络租用经费", "统计网络租赁经费", "0.5", "0.99"),
    ("2024年创新能力建设项目", "2025年创新能力建设项目", "1", "1"),
    ("办公设备购置购置费", "办公设备购置费", "0.8", "1"),
    ("规划建设工作经历费", "规划建设工作经费", "0.5", "0.9"),
    ("园区征地费用", "房屋租赁费用", "0", "0.49"),
    ("遗属补助", "统计网络租用经费", "0", "0"),
])
def test_similarity_of_project_names(a: str, b: str, low: str, high: str) -> None:
    assert Decimal(low) <= similarity(a, b) <= Decimal(high)


def test_candidates_are_matched_one_to_one_best_first() -> None:
    earlier = [ProjectRef("e1", 2024, "current", "规划建设工作经费"), ProjectRef("e2", 2024, "current", "规划建设经费")]
    later = [ProjectRef("l1", 2025, "current", "规划建设工作经历费"), ProjectRef("l2", 2025, "current", "规划建设费")]
    chosen = {(k.later.iri, k.earlier.iri) for k in link_years(earlier, later) if k.chosen}
    assert chosen == {("l1", "e1"), ("l2", "e2")}


def test_exact_link_prefers_the_same_list() -> None:
    earlier = [ProjectRef("e-carry", 2024, "carryover", "技改资金"), ProjectRef("e-cur", 2024, "current", "技改资金")]
    later = [ProjectRef("l", 2025, "current", "技改资金")]
    found = link_years(earlier, later)
    assert {(k.earlier.iri, k.kind, k.chosen) for k in found} == {("e-cur", "exact", True), ("e-carry", "exact", False)}


def test_preferred_label_most_frequent_then_whole_then_latest() -> None:
    assert preferred([Printed("甲", 1), Printed("乙", 3)]) == ("乙", ["甲"])
    assert preferred([Printed("中心(公共", 2), Printed("中心(公共资源)", 2)]) == ("中心(公共资源)", ["中心(公共"])
    assert preferred([Printed("旧名", 1, 2024), Printed("新名", 1, 2025)])[0] == "新名"
