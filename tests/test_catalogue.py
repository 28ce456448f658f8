"""The table catalogue (ingest/data/table_catalogue.toml, ingest/catalogue.py): every kind is
recognised by the titles the layouts print (the numbered 山西 form, the nine-table 上海 form,
部门/单位 prefixes, 预算公开表N numbering, quoted “三公”, a trailing qualifier) and by its
column headings alone; a sentence naming a table is no title; a title whose header rules it
out is read by its header."""
from __future__ import annotations

import tomllib

import pytest

from budgetkg.ingest import catalogue

# (kind id, printed title): at least two spellings per kind.
TITLE_CASES: list[tuple[str, str]] = [
    ("budget_summary", "2026年预算收支总表"),
    ("budget_summary", "表1 2026年预算收支总表"),
    ("budget_summary", "2026年部门财务收支预算总表"),
    ("budget_summary", "2024年预算单位财务收支预算总表"),
    ("budget_summary", "预算公开表1 2026年部门收支总表"),
    ("budget_summary", "1.2026年单位收支预算总表"),
    ("budget_summary", "2026年收入支出预算总表"),
    ("income", "2026年预算收入总表"),
    ("income", "表2 2026年部门收入总表"),
    ("income", "2025年部门收入预算总表"),
    ("income", "2024年预算单位收入预算总表"),
    ("income", "预算公开表2 2026年单位收入总表"),
    ("expenditure", "2026年预算支出总表"),
    ("expenditure", "表3 2026年部门支出总表"),
    ("expenditure", "2026年部门支出预算总表"),
    ("expenditure", "2024年预算单位支出预算总表"),
    ("expenditure", "预算公开表3 2026年单位支出总表"),
    ("appropriation_summary", "2026年财政拨款收支总表"),
    ("appropriation_summary", "表4 2026年部门财政拨款收支总表"),
    ("appropriation_summary", "2026年财政拨款收支预算总表"),
    ("appropriation_summary", "2024年预算单位财政拨款收支预算总表"),
    ("general_public_functional", "2026年一般公共预算支出表"),
    ("general_public_functional", "表5 2026年一般公共预算支出预算表"),
    ("general_public_functional", "2026年一般公共预算支出功能分类预算表"),
    ("general_public_functional", "2024年预算单位一般公共预算支出功能分类预算表"),
    ("general_public_functional", "2026年部门一般公共预算财政拨款支出表"),
    ("general_public_basic_economic", "2026年一般公共预算基本支出表"),
    ("general_public_basic_economic", "表6 2026年部门一般公共预算基本支出表"),
    ("general_public_basic_economic", "8.2026年预算单位一般公共预算基本支出部门预算经济分类预算表"),
    ("general_public_basic_economic", "2026年部门基本支出分经济科目表"),
    ("government_fund_income", "2026年政府性基金预算收入表"),
    ("government_fund_income", "表7 2026年部门政府性基金收入表"),
    ("government_fund_expenditure", "2026年政府性基金预算支出表"),
    ("government_fund_expenditure", "表8 2026年政府性基金预算支出功能分类预算表"),
    ("government_fund_expenditure", "2026年单位政府性基金预算财政拨款支出表"),
    ("state_capital", "2026年国有资本经营预算支出表"),
    ("state_capital", "表9 2026年国有资本经营预算支出功能分类预算表"),
    ("state_capital", "2026年部门国有资本经营预算收支表"),
    ("three_public", "2026年“三公”经费支出预算表"),
    ("three_public", "表10 2026年财政拨款安排“三公”经费支出表"),
    ("three_public", "2026年部门“三公”经费和机关运行经费预算表"),
    ("three_public", '2026年"三公"经费预算表'),
    ("three_public", "预算公开表10 2026年单位一般公共预算“三公”经费支出表"),
    ("operating_costs", "2026年机关运行经费预算表"),
    ("operating_costs", "表11 2026年部门机关运行经费支出表"),
    ("projects_current", "2026年项目支出预算表（本年预算）"),
    ("projects_current", "表12 2026年项目支出预算表(不含上年结转)"),
    ("projects_current", "2026年部门项目支出预算明细表"),
    ("projects_current", "2026年一般公共预算项目支出表"),
    ("projects_carryover", "2026年项目支出预算表（上年结转）"),
    ("projects_carryover", "表13 2026年上年结转项目支出预算表"),
    ("projects_carryover", "2026年单位项目支出表(上年结转)"),
    ("procurement", "2026年政府采购预算表"),
    ("procurement", "表14 2026年部门政府采购预算明细表"),
    ("purchased_services", "2026年政府购买服务预算表"),
    ("purchased_services", "2026年单位政府购买服务预算财政拨款明细表"),
    ("project_performance", "2026年项目支出绩效目标表"),
    ("project_performance", "财政项目支出绩效目标填报表"),
    ("project_performance", "2026年部门项目绩效目标申报表"),
    ("overall_performance", "2026年部门整体支出绩效目标表"),
    ("overall_performance", "2026年单位整体支出绩效目标表"),
]

# (kind id, the column headings such a table prints, space-separated): no title given.
HEADER_CASES: list[tuple[str, str]] = [
    ("budget_summary", "收入 支出 项目 预算数 项目 预算数"),
    ("budget_summary", "本年收入 金额 本年支出 金额"),
    ("income", "科目编码 科目名称 合计 本年收入 上年结转"),
    ("income", "功能分类科目编码 功能分类科目名称 合计 财政拨款收入 事业收入 其他收入"),
    ("expenditure", "功能分类科目编码 功能分类科目名称 合计 基本支出 项目支出"),
    ("appropriation_summary", "财政拨款收入 财政拨款支出 项目 预算数"),
    ("appropriation_summary", "收入 支出 项目 金额 小计 一般公共预算 政府性基金预算 国有资本经营预算"),
    ("general_public_functional", "功能分类科目编码 功能分类科目名称 一般公共预算支出 合计 基本支出 项目支出"),
    ("general_public_basic_economic", "部门预算支出经济分类科目 科目编码 科目名称 合计 人员经费 公用经费"),
    ("government_fund_income", "科目编码 科目名称 政府性基金收入"),
    ("government_fund_expenditure", "科目编码 科目名称 合计 政府性基金预算支出 基本支出 项目支出"),
    ("state_capital", "科目编码 科目名称 合计 国有资本经营预算支出 基本支出 项目支出"),
    ("three_public", "合计 因公出国(境)费 公务用车购置及运行费 小计 公务用车购置费 公务用车运行费 公务接待费"),
    ("operating_costs", "项目 机关运行经费 预算数"),
    ("projects_current", "项目名称 合计 一般公共预算 政府性基金预算 国有资本经营预算"),
    ("projects_carryover", "项目名称 上年结转 合计 一般公共预算"),
    ("procurement", "采购项目 采购品目 采购数量 预算金额"),
    ("purchased_services", "项目名称 购买服务内容 承接主体 预算金额"),
    ("project_performance", "项目名称 一级指标 二级指标 三级指标 指标值"),
    ("overall_performance", "部门名称 年度绩效指标 一级指标 二级指标 三级指标"),
]


def case_id(kind_id: str, text: str) -> str:
    return f"{kind_id}:{text}"


def catalogue_ids() -> set[str]:
    return {kind.id for kind in catalogue.kinds()}


def raw_catalogue() -> list[dict[str, object]]:
    text = catalogue.CATALOGUE_TOML.read_text(encoding="utf-8")
    kinds: list[dict[str, object]] = tomllib.loads(text)["kind"]
    return kinds


@pytest.mark.parametrize(("kind_id", "title"), TITLE_CASES, ids=[case_id(*c) for c in TITLE_CASES])
def test_title_names_its_kind(kind_id: str, title: str) -> None:
    kind = catalogue.title_to_kind(title)
    assert kind is not None, f"{title!r} is read as no table title"
    assert kind.id == kind_id
    assert catalogue.by_id(kind_id) == kind


@pytest.mark.parametrize(("kind_id", "header"), HEADER_CASES, ids=[case_id(*c) for c in HEADER_CASES])
def test_header_alone_names_its_kind(kind_id: str, header: str) -> None:
    kind = catalogue.recognise(None, header)
    assert kind is not None, f"header {header!r} names no kind"
    assert kind.id == kind_id
    assert catalogue.header_to_kind(header) == kind


@pytest.mark.parametrize(("cases", "minimum"), [(TITLE_CASES, 2), (HEADER_CASES, 1)], ids=["titles", "headers"])
def test_cases_cover_every_kind(cases: list[tuple[str, str]], minimum: int) -> None:
    """A kind added to the catalogue without cases here fails this test."""
    counts = {kind_id: sum(1 for k, _ in cases if k == kind_id) for kind_id in catalogue_ids()}
    assert {k for k, n in counts.items() if n < minimum} == set()
    assert {k for k, _ in cases} <= catalogue_ids(), "a case names a kind the catalogue does not have"


@pytest.mark.parametrize("entry", raw_catalogue(), ids=lambda e: str(e["id"]))
def test_toml_kind_has_titles_and_headers(entry: dict[str, object]) -> None:
    titles = entry["titles"]
    headers = entry.get("headers", [])
    assert isinstance(titles, list) and len(titles) >= 2
    assert isinstance(headers, list) and len(headers) >= 1
    assert all(isinstance(sig, list) and sig and all(isinstance(w, str) and w for w in sig) for sig in headers)


def test_catalogue_ids_and_slots_are_unique() -> None:
    kinds = catalogue.kinds()
    assert len({k.id for k in kinds}) == len(kinds)
    assert len({k.slot for k in kinds}) == len(kinds)
    assert [k.id for k in kinds] == [str(e["id"]) for e in raw_catalogue()]


SENTENCES = [
    "详见2026年部门收支总表。",
    "2026年部门财务收支预算总表详见附件1",
    "本部门2026年一般公共预算“三公”经费支出情况详见2026年“三公”经费支出预算表，比上年减少0.5万元，主要原因是压减开支。",
]


@pytest.mark.parametrize("sentence", SENTENCES, ids=["ends-with-period", "table-named-mid-sentence", "too-long"])
def test_sentence_naming_a_table_is_no_title(sentence: str) -> None:
    assert catalogue.title_text(sentence) is None
    assert catalogue.title_to_kind(sentence) is None
    assert catalogue.recognise(sentence, "") is None


# (title, header, kind read): the header's exclude words overrule the title only when the
# header names another kind.
CONTRADICTED = [
    ("2026年部门收支总表", "项目 预算数 财政拨款收入 财政拨款支出", "appropriation_summary"),
    ("2026年项目支出预算表", "项目名称 上年结转 合计 一般公共预算", "projects_carryover"),
    ("2026年部门支出总表", "科目编码 科目名称 经济分类 合计 人员经费 公用经费", "general_public_basic_economic"),
    ("2026年部门支出总表", "科目编码 科目名称 经济分类 合计", "expenditure"),  # header names no kind: title stands
    ("2026年政府采购预算表", "项目 合计 因公出国 公务接待", "procurement"),  # no exclude word: title stands
    ("2026年部门收支总表", "项目 预算数 项目 预算数", "budget_summary"),
]


@pytest.mark.parametrize(("title", "header", "expected"), CONTRADICTED,
                         ids=["收支-vs-财政拨款", "本年-vs-上年结转", "支出-vs-经济分类", "excluded-header-of-no-kind",
                              "title-without-exclude", "agreeing-header"])
def test_title_contradicted_by_its_header_is_read_by_the_header(title: str, header: str, expected: str) -> None:
    kind = catalogue.recognise(title, header)
    assert kind is not None
    assert kind.id == expected


def test_title_kind_of_a_contradicted_title_is_still_the_title_kind() -> None:
    """The override lives in recognise only: the title alone still names its own kind."""
    by_title = catalogue.title_to_kind("2026年部门收支总表")
    assert by_title is not None and by_title.id == "budget_summary"
    assert "财政拨款" in by_title.exclude
