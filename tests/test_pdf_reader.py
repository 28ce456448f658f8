"""The PDF reader: the three sample disclosures against their text flavour,
and one small generated PDF per hard case.

The small PDFs are written by hand (``_PdfBuilder`` below): a Type0 font with
Identity-H encoding and a ToUnicode map, not embedded, so no font file and no
PDF library is needed and the text layer can carry any code point (radicals
included). Tables are drawn as ruling lines.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from budgetkg.ingest.errors import EmptyFile, EncryptedPdf, NoTextLayer, TruncatedFile
from budgetkg.ingest.model import Document, Paragraph, Row
from budgetkg.ingest.pdf_reader import debug_png, inspect_page, read_pdf
from budgetkg.ingest.pdf_text import join_wrapped, normalize_text
from budgetkg.ingest.text_reader import read_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SAMPLES = [
    "yangqu-park-service-center-2026",
    "jinzhong-economic-operation-2024",
    "administrative-approval-bureau-2025",
]

# --------------------------------------------------------------------------- a tiny PDF writer

_PASSWORD_PADDING = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_ASCENT = 0.88  # font ascent (em): a line's top = baseline - ascent * size


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


class _Page:
    """One page; coordinates are given from the top-left corner like
    pdfplumber's (x, top), converted to PDF space when written."""

    def __init__(self, width: float, height: float, rotate: int) -> None:
        self.rotate = rotate
        # The displayed size: a /Rotate 90 page shows its MediaBox turned.
        self.width, self.height = (height, width) if rotate in (90, 270) else (width, height)
        self.media = (width, height)
        self.ops: list[tuple] = []
        self.images = 0

    def text(
        self, x: float, top: float, s: str, size: float = 10, angle: float = 0.0, slant: float = 0.0
    ) -> _Page:
        self.ops.append(("text", x, top, s, size, angle, slant))
        return self

    def line(self, x0: float, top0: float, x1: float, top1: float) -> _Page:
        self.ops.append(("line", x0, top0, x1, top1))
        return self

    def grid(self, xs: list[float], tops: list[float]) -> _Page:
        for top in tops:
            self.line(xs[0], top, xs[-1], top)
        for x in xs:
            self.line(x, tops[0], x, tops[-1])
        return self

    def image(self, x: float, top: float, w: float, h: float) -> _Page:
        self.ops.append(("image", x, top, w, h))
        self.images += 1
        return self


class _PdfBuilder:
    def __init__(self, font_bbox: bool = True) -> None:
        self.pages: list[_Page] = []
        self.font_bbox = font_bbox

    def page(self, width: float = 595, height: float = 842, rotate: int = 0) -> _Page:
        page = _Page(width, height, rotate)
        self.pages.append(page)
        return page

    # -- writing

    def _cids(self) -> dict[str, int]:
        chars = sorted({ch for p in self.pages for op in p.ops if op[0] == "text" for ch in op[3]})
        return {ch: n + 1 for n, ch in enumerate(chars)}

    @staticmethod
    def _width(ch: str) -> int:
        return 1000 if unicodedata.east_asian_width(ch) in ("W", "F", "A") and ord(ch) > 0x2000 else 500

    def _content(self, page: _Page, cids: dict[str, int]) -> bytes:
        out: list[str] = []
        if page.rotate == 90:
            # draw in displayed (landscape) coordinates
            out.append(f"q 0 1 -1 0 {page.media[0]} 0 cm")
        h = page.height
        img = 0
        for op in page.ops:
            if op[0] == "text":
                _, x, top, s, size, angle, slant = op
                y = h - top - _ASCENT * size
                hexs = "".join(f"{cids[ch]:04X}" for ch in s)
                c, si = math.cos(math.radians(angle)), math.sin(math.radians(angle))
                tm = f"{c:.4f} {si:.4f} {slant - si:.4f} {c:.4f} {x} {y}"
                out.append(f"BT /F1 {size} Tf {tm} Tm <{hexs}> Tj ET")
            elif op[0] == "line":
                _, x0, t0, x1, t1 = op
                out.append(f"0.5 w {x0} {h - t0} m {x1} {h - t1} l S")
            elif op[0] == "image":
                _, x, top, w, hh = op
                img += 1
                out.append(f"q {w} 0 0 {hh} {x} {h - top - hh} cm /Im{img} Do Q")
        if page.rotate == 90:
            out.append("Q")
        return "\n".join(out).encode("ascii")

    def build(self, user_password: str | None = None, empty: bool = False) -> bytes:
        cids = self._cids()
        objs: dict[int, bytes] = {}

        def stream(dict_body: str, data: bytes) -> bytes:
            return f"<< {dict_body} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"

        # 1 catalog, 2 pages, 3 Type0 font, 4 CIDFont, 5 descriptor, 6 ToUnicode
        widths = " ".join(f"{cid} [{self._width(ch)}]" for ch, cid in cids.items() if self._width(ch) != 1000)
        objs[3] = b"<< /Type /Font /Subtype /Type0 /BaseFont /TestSans /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>"
        objs[4] = (
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSans "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor 5 0 R /DW 1000 /W [{widths}] >>"
        ).encode()
        bbox = "/FontBBox [-100 -120 1000 880] " if self.font_bbox else ""
        objs[5] = (
            "<< /Type /FontDescriptor /FontName /TestSans /Flags 4 "
            f"{bbox}/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
        ).encode()
        entries = [f"<{cid:04X}> <{ord(ch):04X}>" for ch, cid in cids.items()]
        chunks = [entries[i : i + 100] for i in range(0, len(entries), 100)] or [[]]
        bf = "".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar\n" for c in chunks if c)
        cmap = (
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{bf}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
        ).encode()
        objs[6] = stream("", cmap)
        kids = []
        n = 7
        for page in ([] if empty else self.pages):
            page_id, content_id = n, n + 1
            n += 2
            xobjects = []
            for k in range(page.images):
                objs[n] = stream(
                    "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8",
                    b"\x00\xff\xff\x00",
                )
                xobjects.append(f"/Im{k + 1} {n} 0 R")
                n += 1
            res = "/Font << /F1 3 0 R >>" + (f" /XObject << {' '.join(xobjects)} >>" if xobjects else "")
            rotate = f" /Rotate {page.rotate}" if page.rotate else ""
            objs[page_id] = (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page.media[0]} {page.media[1]}]{rotate} "
                f"/Resources << {res} >> /Contents {content_id} 0 R >>"
            ).encode()
            objs[content_id] = stream("", self._content(page, cids))
            kids.append(f"{page_id} 0 R")
        objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
        objs[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()

        file_id = hashlib.md5(b"budgetkg-test").digest()
        encrypt = ""
        if user_password is not None:
            # Standard security handler, revision 2 (40-bit RC4).
            owner_key = hashlib.md5((b"owner" + _PASSWORD_PADDING)[:32]).digest()[:5]
            o_value = _rc4(owner_key, (user_password.encode() + _PASSWORD_PADDING)[:32])
            p_value = -4
            key = hashlib.md5(
                (user_password.encode() + _PASSWORD_PADDING)[:32] + o_value + p_value.to_bytes(4, "little", signed=True) + file_id
            ).digest()[:5]
            u_value = _rc4(key, _PASSWORD_PADDING)
            objs[n] = f"<< /Filter /Standard /V 1 /R 2 /O <{o_value.hex()}> /U <{u_value.hex()}> /P {p_value} >>".encode()
            encrypt = f" /Encrypt {n} 0 R"
            n += 1

        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = {}
        for num in sorted(objs):
            offsets[num] = len(out)
            out += f"{num} 0 obj\n".encode() + objs[num] + b"\nendobj\n"
        xref = len(out)
        size = max(objs) + 1
        out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
        for num in range(1, size):
            out += f"{offsets[num]:010d} 00000 n \n".encode() if num in offsets else b"0000000000 65535 f \n"
        out += (
            f"trailer\n<< /Size {size} /Root 1 0 R /ID [<{file_id.hex()}> <{file_id.hex()}>]{encrypt} >>\n"
            f"startxref\n{xref}\n%%EOF\n"
        ).encode()
        return bytes(out)

    def write(self, path: Path, **kwargs) -> str:
        path.write_bytes(self.build(**kwargs))
        return str(path)


def _rows(doc: Document) -> list[Row]:
    return [b for b in doc.blocks if isinstance(b, Row)]


def _paragraphs(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def _trimmed(cells: tuple[str, ...]) -> tuple[str, ...]:
    cells = list(cells)
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def _table(page: _Page, x0: float, top: float, widths: list[float], rows: list[list[str]], row_h: float = 20) -> float:
    """Draw a ruled table with one line of text per cell; returns its bottom."""
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    tops = [top + i * row_h for i in range(len(rows) + 1)]
    page.grid(xs, tops)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                page.text(xs[c] + 3, tops[r] + 5, text)
    return tops[-1]


# --------------------------------------------------------------------------- the sample disclosures

_MARKDOWN = re.compile(r"</?b>|\*\*|^#+\s*")
_SUBJECT_CODE = re.compile(r"^(?:\d{3}|\d{5}|\d{7})$")


def _txt_rows(name: str) -> list[tuple[str, ...]]:
    text = (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")
    return [
        tuple(normalize_text(_MARKDOWN.sub("", cell)) for cell in line.split("\t"))
        for line in text.splitlines()
        if "\t" in line
    ]


def _filled(cells: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in cells if c)


def _budget_rows(rows) -> Counter:
    return Counter(
        _filled(cells) for cells in rows if _filled(cells) and _SUBJECT_CODE.match(_filled(cells)[0])
    )


@pytest.fixture(scope="module")
def sample_docs(pdf_documents: dict[str, Document]) -> dict[str, Document]:
    """The sample PDFs as read_pdf reads them, each read once for the run (conftest)."""
    return pdf_documents


def _sample(docs: dict[str, Document], name: str) -> Document:
    return docs[name]


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_budget_table_rows_equal_text_flavour(sample_docs, name):
    doc = _sample(sample_docs, name)
    pdf_rows = _budget_rows(r.cells for r in _rows(doc))
    txt_rows = _budget_rows(_txt_rows(name))
    assert sum(txt_rows.values()) >= 10
    assert pdf_rows == txt_rows


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_project_name_rows_present(sample_docs, name):
    doc = _sample(sample_docs, name)
    pdf_rows = {_filled(r.cells) for r in _rows(doc)}
    wanted = [_filled(cells) for cells in _txt_rows(name) if cells[0] == "项目名称"]
    assert wanted
    missing = [cells for cells in wanted if cells not in pdf_rows]
    assert not missing


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_blocks_equal_text_reader_blocks_up_to_spaces(sample_docs, name):
    """Block for block, in order, the PDF gives what the text reader gives for
    the text flavour (rows with their cells in their columns, paragraphs with
    wrapped lines joined; table of contents, watermark and repeated lines
    dropped by both), except for spaces: a space that fell on a line wrap is
    not drawn in the PDF, so it cannot be recovered."""
    doc = _sample(sample_docs, name)
    text_doc = read_text(EXAMPLES / f"{name}.txt")

    def key(block):
        if isinstance(block, Row):
            return ("row", *(c.replace(" ", "") for c in _trimmed(block.cells)))
        return ("paragraph", block.text.replace(" ", ""))

    assert [key(b) for b in doc.blocks] == [key(b) for b in text_doc.blocks]


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_provenance_and_facts(sample_docs, name):
    doc = _sample(sample_docs, name)
    path = str(EXAMPLES / f"{name}.pdf")
    assert doc.path == path and doc.pages and len(doc.sha256) == 64
    pages = [b.prov.page for b in doc.blocks]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] <= doc.pages
    for block in doc.blocks:
        assert block.prov.file == path and block.prov.line is None
        x0, top, x1, bottom = block.prov.bbox
        assert 0 <= x0 <= x1 <= 1000 and 0 <= top <= bottom <= 1000
    tables = [r.table for r in _rows(doc)]
    assert tables == sorted(tables)


def test_sample_watermark_dropped(sample_docs):
    doc = _sample(sample_docs, "jinzhong-economic-operation-2024")
    assert not any("仅供内部审核" in doc.text(b) for b in doc.blocks)
    # the diagonal watermark's characters did not leak into the text either
    assert any(p.startswith("部门名称:山西转型综合改革示范区晋中开发区经济运行与安全监管部") for p in _paragraphs(doc))


# --------------------------------------------------------------------------- hard cases


def test_radical_code_points_are_mapped(tmp_path):
    b = _PdfBuilder()
    page = b.page()
    page.text(40, 40, "部⻔预算 ⼈⺠ 财政专⼾ ⻓期 ⽬录 ⻋辆")
    _table(page, 40, 80, [120, 120], [["部⻔名称", "⺠⽣⽀出"]])
    doc = read_pdf(b.write(tmp_path / "radicals.pdf"))
    assert _paragraphs(doc) == ["部门预算 人民 财政专户 长期 目录 车辆"]
    assert _rows(doc)[0].cells == ("部门名称", "民生支出")


def test_doubled_characters_are_deduplicated(tmp_path):
    b = _PdfBuilder()
    page = b.page()
    page.text(40, 40, "一般公共预算 2024")
    page.text(40.4, 40.2, "一般公共预算 2024")  # fake bold: drawn again, nudged
    _table(page, 40, 80, [100, 100], [["", ""]])
    page.text(43, 85, "事业运行").text(43.3, 85, "事业运行")
    page.text(143, 85, "136.56").text(143.2, 85.1, "136.56")
    doc = read_pdf(b.write(tmp_path / "doubled.pdf"))
    assert _paragraphs(doc) == ["一般公共预算 2024"]
    assert _rows(doc)[0].cells == ("事业运行", "136.56")


def test_cell_text_wrapping_onto_several_lines(tmp_path):
    b = _PdfBuilder()
    page = b.page()
    xs, tops = [40, 100, 240, 340], [60, 110]
    page.grid(xs, tops)
    page.text(43, 63, "法律服").text(43, 75, "务完成").text(43, 87, "率")
    page.text(103, 63, "Public").text(103, 75, "budget total")
    page.text(243, 63, "2,800,").text(243, 75, "000")  # never split a number
    doc = read_pdf(b.write(tmp_path / "wrapped.pdf"))
    assert _rows(doc)[0].cells == ("法律服务完成率", "Public budget total", "2,800,000")


def test_join_rules():
    assert join_wrapped(["国有资本经营", "预算支出"]) == "国有资本经营预算支出"
    assert join_wrapped(["Public", "budget"]) == "Public budget"
    assert join_wrapped(["2,800,", "000"]) == "2,800,000"
    assert join_wrapped(["园区基本建设费-", "新建"]) == "园区基本建设费-新建"
    assert join_wrapped(["abc-", "def"]) == "abc-def"
    assert join_wrapped(["目标", "4、建设"]) == "目标4、建设"


def test_paragraph_wrapped_at_the_right_edge_is_one_block(tmp_path):
    b = _PdfBuilder()
    page = b.page()
    # a full line (ends at the right edge), its continuation, then a new paragraph
    page.text(40, 40, "一" * 50)  # 40 .. 540
    page.text(40, 54, "二二二。")
    page.text(40, 84, "三、新段落")
    page.text(40, 98, "四" * 50)
    doc = read_pdf(b.write(tmp_path / "paragraphs.pdf"))
    assert _paragraphs(doc) == ["一" * 50 + "二二二。", "三、新段落", "四" * 50]


def test_table_continuing_on_next_page(tmp_path):
    b = _PdfBuilder()
    p1 = b.page()
    p1.text(40, 40, "2026年预算支出总表")
    _table(p1, 40, 780, [60, 160, 80], [["科目编码", "科目名称", "合计"], ["201", "一般公共服务支出", "1,088.47"]])
    p2 = b.page()
    _table(p2, 40, 40, [60, 160, 80], [["20104", "发展与改革事务", "50.57"], ["2010401", "行政运行", "24.17"]])
    p2.text(40, 120, "注：本表数据四舍五入")
    p3 = b.page()  # continuing again, this time with a repeated header
    _table(p3, 40, 40, [60, 160, 80], [["科目编码", "科目名称", "合计"], ["208", "社会保障和就业支出", "0.70"]])
    doc = read_pdf(b.write(tmp_path / "continued.pdf"))
    rows = _rows(doc)
    assert [r.cells for r in rows] == [
        ("科目编码", "科目名称", "合计"),
        ("201", "一般公共服务支出", "1,088.47"),
        ("20104", "发展与改革事务", "50.57"),
        ("2010401", "行政运行", "24.17"),
        ("科目编码", "科目名称", "合计"),
        ("208", "社会保障和就业支出", "0.70"),
    ]
    assert [r.prov.page for r in rows] == [1, 1, 2, 2, 3, 3]
    assert len({r.table for r in rows[:4]}) == 1  # p.1 -> p.2 continues the table
    assert _paragraphs(doc) == ["2026年预算支出总表", "注:本表数据四舍五入"]


def test_table_of_contents_is_dropped_like_the_text_reader_does(tmp_path):
    b = _PdfBuilder()
    page = b.page()
    page.text(40, 40, "目 录")
    _table(page, 40, 60, [300, 40], [["第一部分 概况.....", "1"], ["一、本部门职责", "1"]])
    page.text(40, 120, "第一部分 概况")
    doc = read_pdf(b.write(tmp_path / "toc.pdf"))
    assert [doc.text(block) for block in doc.blocks] == ["第一部分 概况"]


def test_row_cut_by_a_page_break_is_one_row(tmp_path):
    b = _PdfBuilder()
    p1 = b.page()
    xs = [40, 120, 400]
    _table(p1, 40, 700, [80, 280], [["项目名称", "周边事务工作经费"]])
    # the next row starts on p.1 and has no bottom rule there
    for x in xs:
        p1.line(x, 720, x, 800)
    p1.text(43, 725, "立项依据").text(123, 725, "晋证办发【2020】16号文件、")
    p2 = b.page()
    for x in xs:
        p2.line(x, 40, x, 60)
    p2.line(40, 60, 400, 60)
    _table(p2, 40, 60, [80, 280], [["项目概况", "对辖区农村集体土地进行征收"]])
    p2.text(123, 43, "民管字【2015】45号文件")
    doc = read_pdf(b.write(tmp_path / "cut-row.pdf"))
    assert [r.cells for r in _rows(doc)] == [
        ("项目名称", "周边事务工作经费"),
        ("立项依据", "晋证办发【2020】16号文件、民管字【2015】45号文件"),
        ("项目概况", "对辖区农村集体土地进行征收"),
    ]
    assert len({r.table for r in _rows(doc)}) == 1
    assert not _paragraphs(doc)


def test_blank_part_of_a_cut_row_joins_nothing(tmp_path):
    b = _PdfBuilder()
    p1 = b.page()
    xs = [40, 120, 400]
    _table(p1, 40, 700, [80, 280], [["项目名称", "房屋租赁费用"]])
    for x in xs:  # the cut row's part on p.1 holds no text
        p1.line(x, 720, x, 800)
    p2 = b.page()
    for x in xs:
        p2.line(x, 40, x, 60)
    p2.line(40, 60, 400, 60)
    p2.text(43, 43, "项目属性").text(123, 43, "经常性项目")
    doc = read_pdf(b.write(tmp_path / "cut-blank.pdf"))
    assert [r.cells for r in _rows(doc)] == [("项目名称", "房屋租赁费用"), ("项目属性", "经常性项目")]


@pytest.mark.parametrize("rotate", [0, 90])
def test_landscape_page(tmp_path, rotate):
    b = _PdfBuilder()
    # rotate 0: a landscape MediaBox; rotate 90: a portrait MediaBox shown turned
    page = b.page(842, 595) if rotate == 0 else b.page(595, 842, rotate=90)
    assert (page.width, page.height) == (842, 595)
    page.text(40, 40, "2026年项目支出预算表（本年预算）")
    widths = [200, 100, 100, 100, 100, 100]
    _table(page, 40, 80, widths, [
        ["项目名称", "合计", "一般公共预算", "政府性基金", "国有资本经营", "单位资金"],
        ["园区征地费用", "3,902.00", "", "3,902.00", "", ""],
    ])
    page.text(700, 560, "单位：万元")
    doc = read_pdf(b.write(tmp_path / f"landscape-{rotate}.pdf"))
    assert [r.cells for r in _rows(doc)][1] == ("园区征地费用", "3,902.00", "", "3,902.00", "", "")
    assert _paragraphs(doc) == ["2026年项目支出预算表(本年预算)", "单位:万元"]
    x0, top, x1, bottom = _rows(doc)[0].prov.bbox
    assert x1 > 595  # laid out in the displayed, landscape space


def test_watermark_is_dropped(tmp_path):
    b = _PdfBuilder()
    for _ in range(2):
        page = b.page()
        page.text(40, 40, "部门名称：晋中开发区经济运行与安全监管部")
        _table(page, 40, 80, [100, 100], [["科目编码", "合计"], ["2010401", "24.17"]])
        page.text(150, 500, "仅供内部审核", size=60, angle=30)  # diagonal, across the text
        page.text(150, 50, "仅供内部审核", size=40, angle=-45)
        page.text(200, 700, "仅供内部审核", size=12)  # drawn straight, on its own line
        page.text(40, 600, "说明：斜体文字保留", slant=0.3)  # italic, not a watermark
    doc = read_pdf(b.write(tmp_path / "watermark.pdf"))
    assert not any("仅" in doc.text(block) or "审核" in doc.text(block) for block in doc.blocks)
    assert _paragraphs(doc) == ["部门名称:晋中开发区经济运行与安全监管部", "说明:斜体文字保留"] * 2
    assert [r.cells for r in _rows(doc)] == [("科目编码", "合计"), ("2010401", "24.17")] * 2


def test_page_numbers_and_running_headers_are_dropped(tmp_path):
    b = _PdfBuilder()
    for n in range(1, 5):
        page = b.page()
        page.text(200, 20, "阳曲工业园区服务中心2026年部门预算")
        page.text(40, 100, f"第{n}页正文内容。")
        page.text(290, 810, f"- {n} -" if n % 2 else str(n))
    doc = read_pdf(b.write(tmp_path / "furniture.pdf"))
    assert _paragraphs(doc) == [f"第{n}页正文内容。" for n in range(1, 5)]


def test_merged_cells_give_empty_cells_in_place(tmp_path):
    b = _PdfBuilder()
    page = b.page()
    xs = [40, 120, 200, 280, 360]
    tops = [60, 80, 100, 120]
    for top in tops:
        page.line(xs[0], top, xs[-1], top)
    page.line(xs[0], tops[0], xs[0], tops[-1])
    page.line(xs[-1], tops[0], xs[-1], tops[-1])
    page.line(xs[1], tops[0], xs[1], tops[-1])
    page.line(xs[2], tops[1], xs[2], tops[-1])  # header row: cols 2-4 merged
    page.line(xs[3], tops[1], xs[3], tops[-1])
    page.text(43, 63, "项目").text(123, 63, "本年收入")
    page.text(43, 83, "合计").text(123, 83, "合计").text(203, 83, "一般公共预算").text(283, 83, "上年结转")
    page.text(43, 103, "201").text(123, 103, "27,357.46").text(283, 103, "24.44")
    doc = read_pdf(b.write(tmp_path / "merged.pdf"))
    assert [r.cells for r in _rows(doc)] == [
        ("项目", "本年收入", "", ""),
        ("合计", "合计", "一般公共预算", "上年结转"),
        ("201", "27,357.46", "", "24.44"),
    ]


def test_progress_and_provenance(tmp_path):
    b = _PdfBuilder()
    for n in range(3):
        b.page().text(40, 100, f"正文{n + 1}")
    path = b.write(tmp_path / "three.pdf")
    calls: list[tuple[int, int]] = []
    doc = read_pdf(path, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert doc.pages == 3 and doc.path == path
    assert [(p.prov.file, p.prov.page, p.prov.line) for p in doc.blocks] == [(path, n, None) for n in (1, 2, 3)]
    x0, top, x1, bottom = doc.blocks[0].prov.bbox
    assert x0 == pytest.approx(40) and top == pytest.approx(100, abs=0.01) and bottom > top


def test_pdfminer_noise_does_not_reach_the_terminal(tmp_path, capfd, recwarn):
    b = _PdfBuilder(font_bbox=False)  # pdfminer warns about the missing FontBBox
    b.page().text(40, 40, "预算")
    read_pdf(b.write(tmp_path / "nobbox.pdf"))
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert not [w for w in recwarn if "pdfminer" in (w.filename or "")]


def test_inspect_page_and_debug_png(tmp_path):
    b = _PdfBuilder()
    page = b.page()
    page.text(40, 40, "部⻔名称：测试")
    _table(page, 40, 80, [100, 100], [["科目编码", "合计"], ["201", "1,088.47"]])
    path = b.write(tmp_path / "inspect.pdf")
    shown = inspect_page(path, 1)
    assert "部门名称:测试" in shown and "201 | 1,088.47" in shown and "2 rows x 2 cols" in shown
    with pytest.raises(ValueError):
        inspect_page(path, 2)
    png = tmp_path / "p1.png"
    debug_png(path, 1, str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- bad PDFs


def test_encrypted_pdf(tmp_path):
    b = _PdfBuilder()
    b.page().text(40, 40, "机密")
    path = b.write(tmp_path / "locked.pdf", user_password="secret")
    with pytest.raises(EncryptedPdf) as info:
        read_pdf(path)
    assert info.value.path == path and "encrypted" in str(info.value)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_pdf(tmp_path, keep):
    b = _PdfBuilder()
    for n in range(3):
        _table(b.page(), 40, 80, [100, 100], [["科目编码", "合计"], [f"20{n}", "1.00"]])
    data = b.build()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(TruncatedFile) as info:
        read_pdf(str(path))
    assert info.value.path == str(path)


def test_corrupt_pdf(tmp_path):
    b = _PdfBuilder()
    b.page().text(40, 40, "预算")
    data = bytearray(b.build())
    start = data.index(b"xref")
    data[start : start + 200] = b"\x00" * 200  # xref table and trailer destroyed
    data[50:400] = b"\x00" * 350  # objects destroyed too
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(bytes(data))
    with pytest.raises(TruncatedFile):
        read_pdf(str(path))


def test_zero_pages(tmp_path):
    b = _PdfBuilder()
    b.page().text(40, 40, "预算")
    path = b.write(tmp_path / "zero.pdf", empty=True)
    with pytest.raises((EmptyFile, TruncatedFile)):
        read_pdf(path)


def test_empty_and_not_a_pdf(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(EmptyFile):
        read_pdf(str(empty))
    html = tmp_path / "page.pdf"
    html.write_bytes(b"<html><body>not found</body></html>")
    with pytest.raises(TruncatedFile):
        read_pdf(str(html))


def test_image_only_pdf(tmp_path):
    b = _PdfBuilder()
    for _ in range(2):
        b.page().image(40, 40, 500, 700)
    path = b.write(tmp_path / "scan.pdf")
    with pytest.raises(NoTextLayer) as info:
        read_pdf(path)
    assert "OCR" in str(info.value)


def test_only_a_watermark_is_no_text_layer(tmp_path):
    b = _PdfBuilder()
    page = b.page().image(40, 40, 500, 700)
    page.text(150, 400, "仅供内部审核", size=60, angle=30)
    with pytest.raises(NoTextLayer):
        read_pdf(b.write(tmp_path / "scan-watermarked.pdf"))
