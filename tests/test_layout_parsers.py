"""Table-driven cases for the pieces that read the family's other layouts: code parts over
类 | 款 | 项 columns, header trees of a grid, described projects' names and amounts, cover
lines, organization lines and the administrative divisions at the head of a name."""
from __future__ import annotations

import pytest

from budgetkg.ingest import patterns as P
from budgetkg.ingest.amounts import Amount
from budgetkg.ingest.model import Provenance, Row
from budgetkg.ingest.organizations import hierarchy
from budgetkg.ingest.parsers.described import heading_to_name, overview_to_name, text_to_total
from budgetkg.ingest.parsers.narrative import text_to_organization
from budgetkg.ingest.parsers.tables import CodeContext, header_tree, parts_to_code
from budgetkg.ingest.records import TextField

AT = Provenance("t.pdf", page=1)

# (rows printed above, the row's 类 | 款 | 项 cells) -> (code read, parts kept as printed)
CODE_CASES = [
    ([], ("204", "06", "01"), ("2040601", None)),
    ([], ("204", "", ""), ("204", None)),
    ([], ("204", "06", ""), ("20406", None)),
    ([("204", "", "")], ("", "06", ""), ("20406", None)),  # 款 printed alone under its 类
    ([("204", "", "")], ("", "06", "01"), ("2040601", None)),
    ([("204", "06", "")], ("", "", "04"), ("2040604", None)),  # 项 printed alone under its 款
    ([("210", "", ""), ("210", "11", "")], ("7", "11", "02"), ("2101102", "71102")),  # 类 misprinted
    ([("210", "", ""), ("210", "12", "")], ("7", "11", "02"), (None, "71102")),  # …not under that 款: unreadable
    ([], ("7", "11", "02"), (None, "71102")),
    ([], ("合计", "", ""), (None, None)),
    ([], ("无", "", ""), (None, None)),
    ([], ("", "", ""), (None, None)),
    ([], ("204", "6", "01"), (None, "204601")),  # a 款 of one digit is no code
    ([], ("204", "", "01"), (None, "20401")),  # a 项 under a 类 without its 款
]


@pytest.mark.parametrize(("above", "parts", "expected"), CODE_CASES, ids=[str(c[1]) for c in CODE_CASES])
def test_parts_to_code(above: list[tuple[str, str, str]], parts: tuple[str, str, str],
                       expected: tuple[str | None, str | None]) -> None:
    context = CodeContext()
    for row in above:
        code, _ = parts_to_code(list(row), context)
        assert code
        context.update(code)
    assert parts_to_code(list(parts), context) == expected


def test_header_tree_keeps_spans_under_their_parent() -> None:
    """The “三公” grid: 小计/购置费/运行费 under 公务用车购置及运行费, 机关运行经费 spanning three rows."""
    header = [Row(("“三公”经费预算数", "", "", "", "", "", "机关运行经费预算数"), AT, 1),
              Row(("合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""), AT, 1),
              Row(("", "", "", "小计", "购置费", "运行费", ""), AT, 1)]
    paths = header_tree(header, 7)
    assert paths == [["“三公”经费预算数", "合计"], ["“三公”经费预算数", "因公出国(境)费"],
                     ["“三公”经费预算数", "公务接待费"], ["“三公”经费预算数", "公务用车购置及运行费", "小计"],
                     ["“三公”经费预算数", "公务用车购置及运行费", "购置费"],
                     ["“三公”经费预算数", "公务用车购置及运行费", "运行费"], ["机关运行经费预算数"]]


HEADING_CASES = [
    ("人民调解项目经费情况说明", "人民调解项目"),
    ("生命健康专项(政策资金)经费情况说明", "生命健康专项(政策资金)"),
    ("社区治理项目情况说明", "社区治理项目"),
    ("项目经费情况说明", ""),  # the name is in the text
    ("垃圾分类经费说明", "垃圾分类"),
]


@pytest.mark.parametrize(("heading", "name"), HEADING_CASES, ids=[c[0] for c in HEADING_CASES])
def test_heading_to_name(heading: str, name: str) -> None:
    assert heading_to_name(heading) == name


@pytest.mark.parametrize("text", ["其他相关情况说明", "一、2026年“三公”经费预算情况说明", "部门预算编制说明"])
def test_other_headings_describe_no_project(text: str) -> None:
    assert P.DESCRIBED_HEADING.match(text) is None


def test_overview_names_the_project() -> None:
    overview = TextField("项目概况", "由上海市普陀区人民政府万里街道办事处建设的万里街道社区公共服务中心新建工程,位于普陀区真金路。", AT)
    assert overview_to_name([overview]) == "万里街道社区公共服务中心新建工程"
    assert overview_to_name([TextField("项目概况", "加强管理,提高效率。", AT)]) == ""


TOTAL_CASES = [
    ("795万元", Amount("795", "万元")),
    ("2025年度项目总预算1720.00万,其中各级企业技术中心及专精特新认定1720.00万。", Amount("1720.00", "万元")),
    ("2025年度项目总预算1410.00万,其中支持引进品牌集聚340.00万,支持打造示范地标120.00万,合计1410.00万。",
     Amount("1410.00", "万元")),
    ("本项目2026年预算安排4,100,000.00元。", Amount("4,100,000.00", "元")),
    # instalments without a total: no amount is invented
    ("第一季度用款计划25.88万元,第二季度用款计划180.74万元,第三季度用款计划186.60万元,第四季度用款计划16.78万元。", None),
    ("详见单位的项目绩效目标表", None),
]


@pytest.mark.parametrize(("text", "amount"), TOTAL_CASES, ids=[c[0][:16] for c in TOTAL_CASES])
def test_text_to_total(text: str, amount: Amount | None) -> None:
    assert text_to_total(text) == amount


COVER_CASES = [
    ("上海市普陀区2026年区级部门预算", ("2026", "区级", "部门", "预算")),
    ("上海市2025年市级单位预算", ("2025", "市级", "单位", "预算")),
    ("上海市普陀区社会福利院2024年单位预算", ("2024", None, "单位", "预算")),
    ("2026年度部门预算公开", ("2026", None, "部门", "预算")),
    ("2025年度上海市某局部门预算", ("2025", None, "部门", "预算")),
    ("某局2024年度部门决算", ("2024", None, "部门", "决算")),
]


@pytest.mark.parametrize(("line", "expected"), COVER_CASES, ids=[c[0] for c in COVER_CASES])
def test_cover_line(line: str, expected: tuple[str, str | None, str, str]) -> None:
    match = P.COVER_TITLE.search(line)
    assert match is not None
    assert (match.group("year"), match.group("level"), match.group("kind"), match.group("phase")) == expected


ORG_LINE_CASES = [
    ("部门名称：山西转型综合改革示范区行政审批局", ("山西转型综合改革示范区行政审批局", "部门")),
    ("预算主管部门:上海市普陀区司法局", ("上海市普陀区司法局", "部门")),
    ("预算单位:上海市普陀区社会福利院", ("上海市普陀区社会福利院", "单位")),
    ("编制部门:上海市普陀区司法局单位:元", ("上海市普陀区司法局", "部门")),
    ("编制单位:上海市某事业单位单位:万元", ("上海市某事业单位", "单位")),
    ("单位:元", None),
    ("单位：万元", None),
]


@pytest.mark.parametrize(("line", "expected"), ORG_LINE_CASES, ids=[c[0] for c in ORG_LINE_CASES])
def test_organization_line(line: str, expected: tuple[str, str] | None) -> None:
    org = text_to_organization(line, AT)
    assert (None if org is None else (org.name, org.kind)) == expected


REGION_CASES = [
    ("上海市普陀区司法局", [("上海市普陀区司法局", "上海市普陀区"), ("上海市普陀区", "上海市")]),
    ("上海市财政局", [("上海市财政局", "上海市")]),
    ("山西省太原市财政局", [("山西省太原市财政局", "山西省太原市"), ("山西省太原市", "山西省")]),
    ("贵州省铜仁市德江县教育局", [("贵州省铜仁市德江县教育局", "贵州省铜仁市德江县"), ("贵州省铜仁市", "贵州省"),
                                   ("贵州省铜仁市德江县", "贵州省铜仁市")]),
    ("上海市社区服务中心", [("上海市社区服务中心", "上海市")]),  # 社区 is no district
    ("太原市财政局", []),  # no province printed: nothing assumed
]


@pytest.mark.parametrize(("name", "edges"), REGION_CASES, ids=[c[0] for c in REGION_CASES])
def test_divisions_at_the_head_of_a_name(name: str, edges: list[tuple[str, str]]) -> None:
    assert [(child.key, parent.key) for child, parent in hierarchy(name)] == edges
