"""Section detection on small documents built from the document model: a table section
starts where title and header agree (or a header alone names a kind), never at a table of
contents line or a sentence; running text after a table is narrative again; a project
described in prose keeps its numbered parts."""
from __future__ import annotations

from budgetkg.ingest.model import Block, Document, Paragraph, Provenance, Row
from budgetkg.ingest.sections import DESCRIBED, NARRATIVE, TABLE, document_to_sections

AT = Provenance("t.pdf", page=1)

SUMMARY_HEADER = [("本年收入", "", "本年支出", ""), ("项目", "预算数", "项目", "预算数")]
SUMMARY_DATA = [("一、财政拨款收入", "100.00", "一、公共安全支出", "100.00"), ("收入总计", "100.00", "支出总计", "100.00")]
SPENDING_HEADER = [("项目", "", "", "", "支出预算", "", ""),
                   ("功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"),
                   ("类", "款", "项", "", "", "", "")]
SPENDING_DATA = [("204", "", "", "公共安全支出", "100.00", "40.00", "60.00"),
                 ("合计", "", "", "", "100.00", "40.00", "60.00")]


def p(text: str) -> Paragraph:
    return Paragraph(text, AT)


def rows(cells: list[tuple[str, ...]], table: int) -> list[Block]:
    return [Row(c, AT, table) for c in cells]


def sections(*blocks: Block | list[Block]) -> list[tuple[str, int | None, str | None]]:
    flat: list[Block] = []
    for b in blocks:
        flat.extend(b if isinstance(b, list) else [b])
    return [(s.kind, s.number, s.table_kind) for s in document_to_sections(Document("t.pdf", flat))]


def test_title_and_header_start_a_table() -> None:
    got = sections(p("上海市普陀区2026年区级部门预算"), p("2026年部门财务收支预算总表"), p("编制部门:上海市普陀区某局单位:元"),
                   rows(SUMMARY_HEADER + SUMMARY_DATA, 1))
    assert got == [("front", None, None), (TABLE, 1, "budget_summary")]


def test_table_of_contents_lines_start_nothing() -> None:
    got = sections(p("目录"), p("1. 2026年部门财务收支预算总表"), p("2. 2026年部门收入预算总表"),
                   p("3. 2026年部门支出预算总表"), p("六、其他相关情况说明"))
    assert [kind for kind, _, _ in got] == ["front", NARRATIVE]


def test_sentence_naming_a_table_is_no_title() -> None:
    """The sentence stays running text; the table under it is still found, by its header."""
    doc = Document("t.pdf", [p("收支情况详见2026年部门财务收支预算总表。"), *rows(SUMMARY_HEADER + SUMMARY_DATA, 1)])
    got = document_to_sections(doc)
    assert [(s.kind, s.title, s.table_kind) for s in got] == [
        ("front", "front", None), (TABLE, "", "budget_summary")]


def test_title_printed_as_a_row_of_the_table_block() -> None:
    block = rows([("2024年预算单位支出预算总表", "", "", "", "", "", ""),
                  ("编制单位:上海市普陀区某院", "", "", "", "", "", "单位:元")] + SPENDING_HEADER + SPENDING_DATA, 3)
    assert sections(p("前言"), block) == [("front", None, None), (TABLE, 3, "expenditure")]


def test_header_alone_names_the_table_and_a_repeated_header_continues_it() -> None:
    got = sections(p("一、预算情况"), rows(SPENDING_HEADER + SPENDING_DATA[:1], 2),
                   rows(SPENDING_HEADER + SPENDING_DATA[1:], 3))
    assert got == [(NARRATIVE, None, None), (TABLE, 3, "expenditure")]


def test_title_contradicted_by_its_header_is_read_by_the_header() -> None:
    """A title saying 收支总表 over a header of 财政拨款收入 / 财政拨款支出 is a 财政拨款收支总表."""
    header = [("财政拨款收入", "", "财政拨款支出", ""), ("项目", "预算数", "项目", "合计")]
    got = sections(p("2026年部门收支总表"), rows(header + SUMMARY_DATA, 1))
    assert got[-1] == (TABLE, 4, "appropriation_summary")


def test_running_text_after_a_table_is_narrative_a_note_is_not() -> None:
    got = sections(p("2026年部门财务收支预算总表"), rows(SUMMARY_HEADER + SUMMARY_DATA, 1),
                   p("注:本部门无政府性基金预算。"),
                   p("2026年本部门政府采购预算1486.42万元，其中：政府采购货物预算3.66万元。"))
    assert [kind for kind, _, _ in got] == [TABLE, NARRATIVE]


def test_described_project_keeps_its_numbered_parts() -> None:
    doc = Document("t.pdf", [p("人民调解项目经费情况说明"), p("一、项目概述"), p("化解矛盾。"), p("二、立项依据"),
                             p("《关于加强人民调解员队伍建设的实施意见》(沪司发〔2018〕86号)。"),
                             p("六、年度预算安排：795万元"), p("其他说明"), p("八、其他")])
    got = document_to_sections(doc)
    described = [s for s in got if s.kind == DESCRIBED]
    assert len(described) == 1 and len(described[0].blocks) == 7
    assert got[-1].kind == NARRATIVE and got[-1].title == "八、其他"


def test_numbered_section_of_several_described_projects() -> None:
    """七、项目经费情况说明 with (一) / (二) projects, each with 1. / 2. parts: two projects, none invented."""
    doc = Document("t.pdf", [p("七、项目经费情况说明"), p("(一)人民调解项目"), p("1.项目概述"), p("化解矛盾。"),
                             p("2.年度预算安排：795万元"), p("(二)法律援助专项经费"), p("1.立项依据"),
                             p("《法律援助条例》。"), p("2.年度预算安排"), p("120万元")])
    got = [s for s in document_to_sections(doc) if s.kind == DESCRIBED]
    assert [(s.title, len(s.blocks)) for s in got] == [("(一)人民调解项目", 5), ("(二)法律援助专项经费", 5)]


def test_contents_line_naming_the_descriptions_is_narrative() -> None:
    doc = Document("t.pdf", [p("七、项目经费情况说明"), p("本部门无需要说明的项目。")])
    assert [s.kind for s in document_to_sections(doc)] == [NARRATIVE]


def test_list_item_naming_a_project_inside_a_part_is_no_new_project() -> None:
    doc = Document("t.pdf", [p("科技创新专项经费情况说明"), p("一、项目概述"), p("推动企业创新。"), p("二、实施方案"),
                             p("1、各级企业技术中心认定项目"), p("2、专精特新企业认定项目"), p("三、年度预算安排"),
                             p("1720.00万")])
    got = [s for s in document_to_sections(doc) if s.kind == DESCRIBED]
    assert [(s.title, len(s.blocks)) for s in got] == [("科技创新专项经费情况说明", 8)]
