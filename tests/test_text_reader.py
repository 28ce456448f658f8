"""The text reader: both flavours, residue and furniture dropped, encodings."""
from __future__ import annotations

import pytest

from budgetkg.ingest.errors import EmptyFile, TruncatedFile, UndecodableText
from budgetkg.ingest.model import Paragraph, Row
from budgetkg.ingest.sections import SHEET, TABLE, document_to_sections
from budgetkg.ingest.text_reader import bytes_to_text, clean_line, read_text, text_to_blocks
from tests.conftest import EXAMPLES, SAMPLES


@pytest.mark.parametrize(("raw", "clean"), [
    ("# 目 录", "目 录"),
    ("## 第四部分 名词解释", "第四部分 名词解释"),
    ("<b>第一部分 概况</b>\t<b>1</b>", "第一部分 概况\t1"),
    ("**一、基本支出：**指为保障机构正常运转", "一、基本支出:指为保障机构正常运转"),
    ("2. 2025 年项目支出绩效目标表  ", "2. 2025 年项目支出绩效目标表"),
    ("合计\t\t3011.46\t\t", "合计\t\t3011.46\t\t"),  # trailing empty cells are kept
    ("晋综示发（２０２０）49号", "晋综示发(2020)49号"),  # NFKC: full-width forms
])
def test_clean_line(raw, clean):
    assert clean_line(raw) == clean


def test_watermarks_toc_and_page_numbers_are_dropped():
    text = "\n".join(["仅供内部审核", "目 录", "一、本部门职责.....\t1", "表一2024年预算收支总表.....\t2",
                      "第一部分 概况", "12", "- 13 -", "部门名称：某局", "合计\t1.00"] + ["仅供内部审核"] * 3)
    blocks = text_to_blocks(text, "t.txt")
    assert [b.text if isinstance(b, Paragraph) else b.cells for b in blocks] == [
        "第一部分 概况", "部门名称:某局", ("合计", "1.00")]
    assert blocks[-1].prov.line == 9


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_read_without_furniture(name):
    doc = read_text(EXAMPLES / f"{name}.txt")
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert "仅供内部审核" not in texts
    assert not any(t.startswith(("#", "**", "<b>")) for t in texts)
    assert not any("....." in t for t in texts)
    sections = document_to_sections(doc)
    assert sorted(s.number for s in sections if s.kind == TABLE) == list(range(1, 14))
    # Every 项目名称 row outside 表12/13 (whose header also starts so) opens one sheet.
    rows = [b for s in sections if s.kind != TABLE for b in s.blocks if isinstance(b, Row)]
    sheet_starts = sum(1 for r in rows if r.filled() and r.filled()[0] == "项目名称")
    assert sum(1 for s in sections if s.kind == SHEET) == sheet_starts == {
        "yangqu-park-service-center-2026": 19, "jinzhong-economic-operation-2024": 13,
        "administrative-approval-bureau-2025": 20}[name]


def test_encodings():
    assert bytes_to_text("部门名称".encode("gb18030"), "x") == ("部门名称", "gb18030")
    assert bytes_to_text("\ufeff部门名称".encode(), "x") == ("部门名称", "utf-8")
    with pytest.raises(EmptyFile):
        bytes_to_text(b"  \n", "x")
    with pytest.raises(TruncatedFile):
        bytes_to_text("部门名称".encode()[:-1], "x")
    with pytest.raises(UndecodableText):
        bytes_to_text(b"\x00\x81\xff\xfe", "x")
