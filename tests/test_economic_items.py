"""The 部门预算支出经济分类 table (ingest/data/economic_items.csv) and the 表6 lookup.

- the lookup of a printed item name, with and without the 类 heading it is printed under:
  aliases, names repeated under two 类 (never guessed without the heading), unknown names;
- the CSV: well-formed, every 类 of the scheme, every 款 under its 类, shipped as package data;
- the graph: every 表6 row of the three samples (text and PDF) that is not a total has a concept
  under the 类 row above it, and an edited sample whose 表6 grows capital-expenditure sections
  (names repeated under 309/310 and 311/312) gets each repeated name's code only under its heading.
"""
from __future__ import annotations

import csv
import tomllib
import unicodedata
from pathlib import Path

import pytest
from rdflib import Graph

from budgetkg import api
from budgetkg.ingest.model import Provenance
from budgetkg.ingest.records import TableRow
from budgetkg.ingest.schemes import (
    ECONOMIC_ALIASES,
    ECONOMIC_CSV,
    ECONOMIC_ITEMS,
    economic_broader,
    economic_code,
    economic_codes,
    read_economic_items,
)
from tests.conftest import EXAMPLES, ROOT, SAMPLES

BK = "PREFIX bk: <https://w3id.org/budgetkg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"

# --- the lookup -----------------------------------------------------------------------------

# (printed name, 类 heading above it or None, expected code)
LOOKUP = [
    # standard names, each 类
    ("基本工资", None, "30101"),
    ("工资福利支出", None, "301"),
    ("其他商品和服务支出", None, "30299"),
    ("办公费", "302", "30201"),
    ("代缴社会保险费", None, "30311"),
    ("国内债务付息", None, "30701"),
    ("其他基本建设支出", None, "30999"),
    ("其他资本性支出", None, "31099"),
    ("土地补偿", None, "31009"),
    ("政府投资基金股权投资", None, "31203"),
    ("补充全国社会保障基金", None, "31303"),
    ("对民间非营利组织和群众性自治组织补贴", None, "39908"),
    # printing: full-width brackets (NFKC), spaces, line-broken names
    ("维修（护）费", None, "30213"),
    ("因公出国（境）费用", None, "30212"),
    ("资本性支出（基本建设）", None, "309"),
    ("对企业补助（基本建设）", None, "311"),
    (" 办公 费 ", None, "30201"),
    ("机关事业单位基本养\n老保险缴费", None, "30108"),
    # aliases
    ("维修费", None, "30213"),
    ("对个人和家庭补助", None, "303"),
    ("其他对个人和家庭补助", None, "30399"),
    ("其他对个人和家庭的补助支出", None, "30399"),
    ("基本建设支出", None, "309"),
    ("因公出国（境）费", None, "30212"),
    # a unique name does not need its heading, and a wrong heading does not change it
    ("办公费", None, "30201"),
    ("办公费", "301", "30201"),
    # names repeated under two 类: only under one of them
    ("房屋建筑物购建", None, None),
    ("房屋建筑物购建", "309", "30901"),
    ("房屋建筑物购建", "310", "31001"),
    ("房屋建筑物购建", "302", None),
    ("办公设备购置", "310", "31002"),
    ("公务用车购置", "309", "30913"),
    ("信息网络及软件购置更新", "31005", "31007"),  # the heading given by any code of its 类
    ("资本金注入", None, None),
    ("资本金注入", "311", "31101"),
    ("资本金注入", "312", "31201"),
    ("其他对企业补助", None, None),
    ("其他对企业补助", "311", "31199"),
    ("其他对企业补助", "312", "31299"),
    ("维修（护）费", "310", "30213"),
    # 其他支出: 类 399 and its 款 39999
    ("其他支出", None, "399"),
    ("其他支出", "302", "399"),
    ("其他支出", "399", "39999"),
    # unknown: no concept
    ("未知", None, None),
    ("", None, None),
    ("合计", None, None),
    ("离退休费", None, None),  # a 政府预算支出经济分类 款 (50905), printed in the category column
    ("赠与", None, None),  # left out of the table (not certain it is in force)
    ("资本性支出（一）", None, None),  # 政府预算 wording, not a 部门预算 类
]


@pytest.mark.parametrize(("printed", "parent", "expected"), LOOKUP,
                         ids=[f"{p.strip() or 'empty'}|{c}" for p, c, _ in LOOKUP])
def test_economic_code(printed: str, parent: str | None, expected: str | None) -> None:
    assert economic_code(printed, parent) == expected


def rows_of(*labels: str) -> list[TableRow]:
    """表6 rows as the parser yields them, in order; 合计 is the total."""
    return [TableRow(table=6, index=i, label=label, cells=[], prov=Provenance("t.txt", line=i + 1),
                     is_total=label == "合计") for i, label in enumerate(labels)]


# (rows in printed order, expected code per row)
SEQUENCES = {
    "each class heading sets the context": (
        ["合计", "资本性支出", "房屋建筑物购建", "资本性支出（基本建设）", "房屋建筑物购建"],
        [None, "310", "31001", "309", "30901"]),
    "no heading: a repeated name gets none": (
        ["合计", "房屋建筑物购建", "资本金注入"], [None, None, None]),
    "a heading the scheme does not know ends the section": (
        ["资本性支出", "大型修缮", "资本性补助", "大型修缮"], ["310", "31006", None, None]),
    "a 款 of another 类 ends the section": (
        ["资本性支出", "办公费", "专用设备购置"], ["310", "30201", None]),
    "其他支出 heads 399, then is its 款": (
        ["商品和服务支出", "其他商品和服务支出", "其他支出", "其他支出"], ["302", "30299", "399", "39999"]),
    "311 and 312": (
        ["对企业补助（基本建设）", "资本金注入", "其他对企业补助", "对企业补助", "资本金注入", "其他对企业补助"],
        ["311", "31101", "31199", "312", "31201", "31299"]),
    "an alias heading": (["基本建设支出", "大型修缮"], ["309", "30906"]),
}


@pytest.mark.parametrize("case", SEQUENCES)
def test_economic_codes_read_each_row_under_its_heading(case: str) -> None:
    labels, expected = SEQUENCES[case]
    codes = economic_codes(rows_of(*labels))
    assert [codes.get(i) for i in range(len(labels))] == expected


def test_broader() -> None:
    assert [economic_broader(c) for c in ("30101", "301", "39999")] == ["301", None, "399"]


# --- the CSV --------------------------------------------------------------------------------

CLASSES = {
    "301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助", "307": "债务利息及费用支出",
    "309": "资本性支出(基本建设)", "310": "资本性支出", "311": "对企业补助(基本建设)", "312": "对企业补助",
    "313": "对社会保障基金补助", "399": "其他支出",
}


def csv_rows() -> list[dict[str, str]]:
    with open(ECONOMIC_CSV, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if line.strip() and not line.startswith("#")))


def test_csv_is_well_formed() -> None:
    rows = csv_rows()
    codes = [r["code"] for r in rows]
    assert list(rows[0]) == ["code", "name", "level", "note"]
    assert len(codes) == len(set(codes)) == len(ECONOMIC_ITEMS)
    heading = None
    for r in rows:
        assert r["name"] == unicodedata.normalize("NFKC", r["name"]) and "".join(r["name"].split()) == r["name"], r
        assert r["code"].isdigit() and (r["level"], len(r["code"])) in {("类", 3), ("款", 5)}, r
        if r["level"] == "类":
            heading = r["code"]
        else:  # each 款 listed under its 类, which exists
            assert r["code"][:3] == heading and heading in codes, r
    assert {r["code"]: r["name"] for r in rows if r["level"] == "类"} == CLASSES
    # a name repeats only under another 类
    pairs = [(r["code"][:3], r["name"]) for r in rows if r["level"] == "款"]
    assert len(pairs) == len(set(pairs))


def test_csv_holds_every_item_printed_in_the_samples_and_the_old_table() -> None:
    """The hand-written table this file replaced, name -> code, is all in it."""
    old = {"基本工资": "30101", "伙食补助费": "30106", "医疗费": "30114", "被装购置费": "30224",
           "税金及附加费用": "30240", "退职(役)费": "30303", "个人农业生产补贴": "30310",
           "信息网络及软件购置更新": "31007", "其他资本性支出": "31099"}
    assert all(ECONOMIC_ITEMS[code].name == name for name, code in old.items())
    assert len([i for i in ECONOMIC_ITEMS.values() if i.level == "款"]) == 96


def test_aliases_lead_to_standard_names() -> None:
    names = {i.name for i in ECONOMIC_ITEMS.values()}
    for printed, standard in ECONOMIC_ALIASES.items():
        assert printed not in names and standard in names, printed


BAD_ROWS = {
    "repeated code": "301,工资福利支出,类,\n301,商品和服务支出,类,\n",
    "款 before its 类": "30101,基本工资,款,\n301,工资福利支出,类,\n",
    "code length": "301,工资福利支出,类,\n3011,基本工资,款,\n",
    "level": "301,工资福利支出,项,\n",
    "name repeated under one 类": "301,工资福利支出,类,\n30101,基本工资,款,\n30102,基本 工资,款,\n",
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_reader_rejects_bad_rows(case: str, tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text("code,name,level,note\n# a comment\n" + BAD_ROWS[case], encoding="utf-8")
    with pytest.raises(ValueError, match=r"items\.csv:\d"):
        read_economic_items(path)


def test_csv_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "data/*" in config["tool"]["setuptools"]["package-data"]["budgetkg.ingest"]
    assert ECONOMIC_CSV == ROOT / "ingest" / "data" / "economic_items.csv"


# --- the graph ------------------------------------------------------------------------------

TABLE6 = BK + """SELECT ?index ?label ?total ?code WHERE {
    ?r bk:inTable ?t ; bk:rowIndex ?index ; bk:printedLabel ?label ; bk:isTotal ?total .
    ?t bk:tableNumber 6 .
    OPTIONAL { ?r bk:economicItem ?e . ?e skos:notation ?code ; skos:inScheme bk:EconomicClassification }
} ORDER BY ?index"""


def table6(graph: Graph) -> list[tuple[str, bool, str | None]]:
    """(printed label, is total, economic code) of each 表6 row, in printed order."""
    return [(str(r.label), r.total.toPython(), None if r.code is None else str(r.code)) for r in graph.query(TABLE6)]


def assert_every_item_coded_under_its_heading(rows: list[tuple[str, bool, str | None]]) -> None:
    assert rows and rows[0][1]  # 合计 first, without a concept
    heading = None
    for label, total, code in rows:
        if total:
            assert code is None, label
            continue
        assert code is not None, label
        if len(code) == 3:
            heading = code
        else:
            assert code[:3] == heading, (label, code)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_table6_item_of_the_samples_has_a_concept(name: str, parsed: dict) -> None:
    rows = table6(parsed[name].graph)
    assert_every_item_coded_under_its_heading(rows)
    assert {code for _, _, code in rows if code} <= set(ECONOMIC_ITEMS)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_table6_item_of_the_sample_pdfs_has_a_concept(name: str, parsed: dict, parsed_pdf: dict) -> None:
    rows = table6(parsed_pdf[name].graph)
    assert_every_item_coded_under_its_heading(rows)
    assert rows == table6(parsed[name].graph)


def test_park_sample_codes() -> None:
    """The 2026 park disclosure prints three 类 with their 款 (退休费 filed by 政府预算 under 离退休费)."""
    rows = table6(api.parse_file(str(EXAMPLES / "yangqu-park-service-center-2026.txt")).graph)
    codes = [code for _, _, code in rows]
    assert [c for c in codes if c and len(c) == 3] == ["301", "302", "303"]
    assert codes[-4:] == ["30302", "30304", "30309", "30399"]


# The park sample's 表6 grown by rows after its last item: label, category (政府预算 column), amount.
EXTRA_ROWS = [
    ("办公设备购置", "资本性支出（一）", None),  # under 303: a 309/310 name without its heading
    ("资本性支出", "", "310"),
    ("办公设备购置", "资本性支出（一）", "31002"),
    ("其他资本性支出", "资本性支出（一）", "31099"),
    ("资本性支出（基本建设）", "", "309"),
    ("房屋建筑物购建", "资本性支出（二）", "30901"),
    ("其他基本建设支出", "资本性支出（二）", "30999"),
    ("对企业补助", "", "312"),
    ("资本金注入", "对企业补助", "31201"),
    ("对企业补助（基本建设）", "", "311"),
    ("其他对企业补助", "对企业补助", "31199"),
    ("资本性补助支出", "", None),  # not in the scheme: ends the 311 section
    ("大型修缮", "资本性支出（二）", None),
    ("基本建设支出", "", "309"),  # the name of 309 before 2018
    ("大型修缮", "资本性支出（二）", "30906"),
    ("其他支出", "", "399"),
    ("其他支出", "其他支出", "39999"),
    ("维修费", "商品和服务支出", "30213"),  # a 302 款 under 399: ends that section
    ("专用设备购置", "资本性支出（一）", None),
]
PARK_LAST_ITEM = "其他对个人和家庭的补助\t其他对个人和家庭的补助\t1.20\t1.20\t\n"


def test_repeated_names_in_an_edited_table6_get_codes_only_under_their_heading(tmp_path: Path) -> None:
    text = (EXAMPLES / "yangqu-park-service-center-2026.txt").read_text(encoding="utf-8")
    assert text.count(PARK_LAST_ITEM) == 1
    extra = "".join(f"{label}\t{category}\t1.00\t\t1.00\n" for label, category, _ in EXTRA_ROWS)
    edited = tmp_path / "yangqu-park-service-center-2026.txt"
    edited.write_text(text.replace(PARK_LAST_ITEM, PARK_LAST_ITEM + extra), encoding="utf-8")
    rows = table6(api.parse_file(str(edited)).graph)
    assert [(label, code) for label, _, code in rows[-len(EXTRA_ROWS):]] == [
        (unicodedata.normalize("NFKC", label), code) for label, _, code in EXTRA_ROWS]
    assert_every_item_coded_under_its_heading(rows[:-len(EXTRA_ROWS)])


def test_items_noted_sample_are_those_the_samples_print(parsed: dict) -> None:
    printed = {code for name in SAMPLES for _, _, code in table6(parsed[name].graph) if code}
    assert printed == {code for code, item in ECONOMIC_ITEMS.items() if item.note == "sample"}
