"""Issue 14: the fuzz suite. Property-based tests (Hypothesis) over the text reader, the table
parsers, the reference finder and parameter binding: no exception other than the documented
ones, no hang (each example has a deadline), spans and provenance inside the input.

Inputs are drawn from the pieces real disclosures are made of (CJK labels, amounts in every
printed form, subject codes, 文号 brackets, tabs, markdown residue, full-width forms) mixed with
arbitrary text, so that the parsers' interesting paths are reached, not only their first check.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetkg import api
from budgetkg.ingest import catalogue
from budgetkg.ingest.disclosure import document_to_disclosure
from budgetkg.ingest.errors import IngestError
from budgetkg.ingest.mapping import disclosure_to_triples
from budgetkg.ingest.model import Document, Paragraph, Provenance, Row
from budgetkg.ingest.parsers.tables import section_to_table
from budgetkg.ingest.references import canonical_doc_number
from budgetkg.ingest.sections import TABLE, Section
from budgetkg.ingest.text_reader import bytes_to_text, clean_line, text_to_blocks
from budgetkg.queries import QueryError, bind, load_named_queries
from budgetkg.queries.named_queries import PARAMS_MARKER, params_from_pairs
from budgetkg.queries.protect import check_size_and_depth
from tests.conftest import EXAMPLES, SAMPLES

# Per example: far above what any of these takes on a real document line (a hang fails the test).
DEADLINE = timedelta(seconds=2)
FUZZ = settings(deadline=DEADLINE, max_examples=150, suppress_health_check=[HealthCheck.too_slow])

# --- the pieces -----------------------------------------------------------------------------------

LABELS = ["合计", "总计", "基本支出", "项目支出", "一般公共预算", "政府性基金", "上年结转", "本年收入", "本年支出",
          "科目编码", "科目名称", "类", "款", "项", "人员经费", "公用经费", "一般公共服务支出", "行政运行",
          "项目名称", "部门名称", "单位：万元", "单位：元", "注：本表无数据", "收入", "支出", "栏次", "金额"]
AMOUNTS = ["0", "0.00", "1,234.56", "1234.56", "-12.5", "−3.00", "100000000", "12,34", "1.2.3", "—", "-", "９９.５"]
CODES = ["201", "20101", "2010101", "01", "1", "301", "30101", "2O1", "999999999", "7"]
REF_PIECES = ["晋综示发", "晋政办发", "财预", "国发", "【", "】", "〔", "〕", "[", "]", "(", ")", "（", "）", "2020",
              "２０２０", "49", "号", "第", "《", "》", "〈", "〉", "关于", "的通知", "会议纪要", "主任办公会议",
              "党工委", "次", "年", "管委会", "根据", "按照", "转发", "同时废止", "文件", "、", "和", " ", "\t", "\n",
              "\n\n", "编制", "合同", "协议", "法", "条例"]
TEXT_PIECES = [*LABELS, *AMOUNTS, *CODES, *REF_PIECES, "\t", "\t\t", "\n", "\r\n", "# ", "**", "<b>", "</b>",
               "仅供内部审核", "12", "- 3 -", "第 4 页", "……", "\u3000", "\x0b", "\u2028", "\ufeff"]


def joined(pieces: list[str], *, max_size: int = 60) -> st.SearchStrategy[str]:
    """Text made of ``pieces`` and arbitrary short strings."""
    return st.lists(st.sampled_from(pieces) | st.text(max_size=4), max_size=max_size).map("".join)


# --- the text reader ------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=300) | joined(TEXT_PIECES).map(lambda t: t.encode("utf-8")) |
       joined(TEXT_PIECES).map(lambda t: t.encode("gb18030", "replace")))
def test_bytes_to_text_decodes_or_refuses(data: bytes) -> None:
    try:
        text, encoding = bytes_to_text(data, "fuzz.txt")
    except IngestError as err:
        assert err.path == "fuzz.txt" and err.reason
        return
    assert encoding in ("utf-8", "gb18030") and data.strip()  # only blank bytes are an EmptyFile
    assert text == data.decode("utf-8-sig" if encoding == "utf-8" else encoding)  # never garbled


@FUZZ
@given(joined(TEXT_PIECES, max_size=120))
def test_text_to_blocks_keeps_every_block_on_its_line(text: str) -> None:
    try:
        blocks = text_to_blocks(text, "fuzz.txt")
    except IngestError as err:  # TooLarge: a line or cell over ingest.limits
        assert err.path == "fuzz.txt"
        return
    lines = text.splitlines()
    previous = 0
    for block in blocks:
        assert block.prov.file == "fuzz.txt" and 1 <= block.prov.line <= len(lines)
        assert block.prov.line > previous  # one block a line, in order
        previous = block.prov.line
        line = clean_line(lines[block.prov.line - 1])
        if isinstance(block, Paragraph):
            assert block.text and block.text == line.strip() and "\t" not in block.text
        else:
            assert isinstance(block, Row) and any(block.cells)
            assert block.cells == tuple(cell.strip() for cell in line.split("\t"))


CELLS = st.sampled_from([*LABELS, *AMOUNTS, *CODES, ""]) | st.text(max_size=6)
REAL_LINES = (EXAMPLES / f"{SAMPLES[0]}.txt").read_text(encoding="utf-8").splitlines()
# Edits made to a real disclosure's lines: drop, repeat, swap, change one cell, start part way.
EDITS = ("drop", "repeat", "swap", "cell", "start")


@st.composite
def edited_disclosures(draw: st.DrawFn) -> str:
    """A real disclosure (the 2024 sample text) with up to a dozen random edits."""
    lines = list(REAL_LINES)
    for _ in range(draw(st.integers(0, 12))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(EDITS))
        if edit == "drop":
            del lines[i]
        elif edit == "repeat":
            lines.insert(i, lines[i])
        elif edit == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif edit == "cell":
            cells = lines[i].split("\t")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(CELLS)
            lines[i] = "\t".join(cells)
        else:
            lines = lines[i:]
    return "\n".join(lines)


@settings(deadline=timedelta(seconds=10), max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(edited_disclosures())
def test_an_edited_disclosure_is_read_or_refused(text: str) -> None:
    """The whole text pipeline (sections, parsers, checks, mapping) on a damaged real document:
    a disclosure whose rows point into the text, or an IngestError (passed at 300 examples)."""
    try:
        blocks = text_to_blocks(text, "fuzz.txt")
        disclosure = document_to_disclosure(Document("fuzz.txt", blocks, encoding="utf-8", sha256="0" * 64))
        triples = disclosure_to_triples(disclosure, "fuzz.txt")
    except IngestError:
        return
    lines = len(text.splitlines())
    assert triples
    for table in disclosure.tables.values():
        assert all(1 <= row.prov.line <= lines for row in table.rows)


# --- the table parsers ----------------------------------------------------------------------------

TABLE_KINDS = [None, *(kind.id for kind in catalogue.kinds() if not kind.is_sheet and kind.shape != "overall")]


@st.composite
def table_sections(draw: st.DrawFn) -> Section:
    kind_id = draw(st.sampled_from(TABLE_KINDS))
    kind = catalogue.by_id(kind_id) if kind_id else None
    width = draw(st.integers(1, 9))
    rows = draw(st.lists(st.lists(CELLS, min_size=1, max_size=width), max_size=14))
    blocks: list[Paragraph | Row] = [Row(tuple(cells), Provenance("fuzz.txt", line=i + 2), table=1)
                                     for i, cells in enumerate(rows)]
    if draw(st.booleans()):
        blocks.insert(0, Paragraph(draw(st.sampled_from(["单位：万元", "单位：元", "注：本表无数据", "x"])),
                                   Provenance("fuzz.txt", line=1)))
    # A table section starts with the block that started it (ingest/sections.py): its title.
    blocks.insert(0, Paragraph(kind.titles[0] if kind else "某表", Provenance("fuzz.txt", line=0)))
    return Section(TABLE, kind.name if kind else "某表", blocks, kind.slot if kind else 101, kind_id)


@FUZZ
@given(table_sections())
def test_table_parsers_read_any_rows(section: Section) -> None:
    try:
        table = section_to_table(section, "山西转型综合改革示范区行政审批局")
    except IngestError:
        return
    lines = {block.prov.line for block in section.blocks}
    for row in table.rows:
        assert row.prov.file == "fuzz.txt" and row.prov.line in lines
        assert row.code is None or row.code.isdigit()
        for cell in row.cells:
            assert isinstance(cell.amount.yuan, Decimal) and cell.amount.yuan.is_finite()


# --- the reference finder -------------------------------------------------------------------------

# A canonical 文号: 机关代字〔YEAR〕SERIAL号 (ontology/identity.py).
CANONICAL_SHAPE = r"^\S+〔\d{4}〕\d+号$"


@pytest.fixture(scope="module")
def warm_finder() -> None:
    """Load the finder's dictionaries (jieba with the issuer registry: seconds) once, outside any
    example's deadline."""
    from budgetkg.ingest.references.segment import tokens

    tokens("根据房屋租赁协议")
    api.refs.find_in_text("根据晋综示发〔2020〕49号文件，编制《年度报告》", deliverables=True)


@FUZZ
@given(joined(REF_PIECES, max_size=80), st.booleans())
def test_references_are_spans_of_the_text(warm_finder: None, text: str, deliverables: bool) -> None:
    import re

    for record in api.refs.find_in_text(text, deliverables=deliverables):
        assert 0 <= record["start"] < record["end"] <= len(text)
        assert text[record["start"]:record["end"]] == record["surface"]
        number = record["doc_number"]
        if number is not None:
            assert re.match(CANONICAL_SHAPE, number), number
            assert canonical_doc_number(number) == number  # canonical is a fixed point


# --- parameter binding ----------------------------------------------------------------------------

NAMED = load_named_queries()
VALUES = (st.text(max_size=30) | joined([*REF_PIECES, *LABELS, "2024", "２０２４", "'", '"', "\\", "}", "#",
                                          "> .", "\n", "UNDEF", "?x"], max_size=12)
          | st.sampled_from(["", " ", "\udcff", "x\udcc4\udce3", "rounding", "Violation", "部门"]))
EMPTY_STORE = ox.Store()


@FUZZ
@given(st.sampled_from(sorted(NAMED)), st.dictionaries(st.sampled_from(["year", "organization", "policy", "check",
                                                                        "severity", "org_kind", "code", "name",
                                                                        "nosuch"]), VALUES, max_size=3))
def test_binding_never_changes_the_query(name: str, params: dict[str, str]) -> None:
    query = NAMED[name]
    try:
        sparql = bind(query, params)
    except QueryError:
        return
    check_size_and_depth(sparql)
    if PARAMS_MARKER in query.text:
        before, after = query.text.split(PARAMS_MARKER, 1)
        assert sparql.startswith(before) and sparql.endswith(after)
        block = sparql[len(before):len(sparql) - len(after)]
        assert "\n" not in block and (not block or block.startswith("VALUES ("))
    EMPTY_STORE.query(sparql)  # parses and runs: the values stayed values


@FUZZ
@given(st.lists(st.text(max_size=12) | joined(["year", "=", "2024", "policy", " ", "=="], max_size=5), max_size=5))
def test_param_pairs_parse_or_refuse(pairs: list[str]) -> None:
    try:
        params = params_from_pairs(pairs)
    except QueryError as err:
        assert str(err).startswith("--param ")
        return
    assert len(params) == len(pairs)
    for item in pairs:
        key, _, value = item.partition("=")
        assert params[key.strip()] == value


@pytest.mark.parametrize("value", ["２０２４", " 2024 ", "+2024"])
def test_integer_forms_bind_as_one_value(value: str) -> None:
    """The examples the fuzzing above found worth keeping: width, spaces and sign do not matter."""
    assert bind(NAMED["projects"], {"year": value}) == bind(NAMED["projects"], {"year": "2024"})
