"""Embedded policy documents, relations between documents and the issuer registry
(ingest/references/embedded.py, issuers.py, data/issuers.csv) — the library alone, no store."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from budgetkg.ingest.references import (
    BASED_ON,
    CITES,
    FORWARDS,
    MEETING,
    NUMBERED,
    REGISTRY,
    REPEALS,
    TITLED,
    canonical_doc_number,
    edit_distance,
    find_embedded_documents,
    find_references,
    forwarded_document,
    near_codes,
    normalise_title,
)
from budgetkg.ingest.references.embedded import clauses, docno_line, relation_kind
from budgetkg.ingest.references.issuers import LEVELS, REGISTRY_CSV, read_registry

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOLD_DIR = ROOT / "tests" / "fixtures" / "gold"

# "Notice A forwards notice B; B is based on C and D and repeals E", laid out the way a
# disclosure reproduces notices under 其他说明: issuer heading, 文号 line, title, body, signature, date.
CHAIN = """晋中市财政局文件

市财预〔2024〕5号

晋中市财政局关于转发《山西省财政厅关于进一步加强预算绩效管理的通知》的通知

各县（区）财政局，市直各部门：

现将《山西省财政厅关于进一步加强预算绩效管理的通知》（晋财预〔2024〕12号）转发给你们，请结合实际认真贯彻执行。

附件：山西省财政厅关于进一步加强预算绩效管理的通知

晋中市财政局

2024年3月1日

山西省财政厅文件

晋财预〔2024〕12号

山西省财政厅关于进一步加强预算绩效管理的通知

各市财政局，省直各部门：

根据《中共中央 国务院关于全面实施预算绩效管理的意见》（中发〔2018〕34号）和《财政部关于印发〈项目支出绩效评价管理办法〉的通知》（财预〔2020〕10号）有关规定，现就进一步加强预算绩效管理通知如下。

一、各部门要将绩效目标随预算一并申报。

本通知自印发之日起施行，《山西省财政厅关于加强预算绩效管理的通知》（晋财预〔2018〕3号）同时废止。

山西省财政厅

2024年2月20日

（此件公开发布）"""


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def relations_of(doc) -> list[tuple[str, str | None, str | None]]:  # noqa: ANN001 - EmbeddedDocument
    return [(r.kind, r.target.doc_number, r.target.title and normalise_title(r.target.title)) for r in doc.relations]


# --- the chain --------------------------------------------------------------------------------


def test_chain_documents_are_found_with_their_headers() -> None:
    paras = paragraphs(CHAIN)
    a, b = find_embedded_documents(paras)
    assert (a.reference.doc_number, a.issuer, a.date) == ("市财预〔2024〕5号", "晋中市财政局", "2024-03-01")
    assert normalise_title(a.reference.title or "") == "晋中市财政局关于转发山西省财政厅关于进一步加强预算绩效管理的通知的通知"
    assert (paras[a.first], paras[a.last]) == ("晋中市财政局文件", "2024年3月1日")
    assert (b.reference.doc_number, b.issuer, b.date) == ("晋财预〔2024〕12号", "山西省财政厅", "2024-02-20")
    assert (paras[b.first], paras[b.last]) == ("山西省财政厅文件", "（此件公开发布）")
    assert b.reference.kind == NUMBERED and b.reference.issuer_code == "晋财预"


def test_chain_a_forwards_b_and_b_is_based_on_c_and_d_and_repeals_e() -> None:
    a, b = find_embedded_documents(paragraphs(CHAIN))
    # A names B by title (in its own title and its 附件 line) and by 文号: one relation, to B with its 文号
    assert relations_of(a) == [(FORWARDS, "晋财预〔2024〕12号", "山西省财政厅关于进一步加强预算绩效管理的通知")]
    assert relations_of(b) == [
        (BASED_ON, "中发〔2018〕34号", "中共中央国务院关于全面实施预算绩效管理的意见"),
        (BASED_ON, "财预〔2020〕10号", "财政部关于印发项目支出绩效评价管理办法的通知"),
        (REPEALS, "晋财预〔2018〕3号", "山西省财政厅关于加强预算绩效管理的通知"),
    ]


def test_relation_paragraphs_point_at_the_sentence() -> None:
    paras = paragraphs(CHAIN)
    _a, b = find_embedded_documents(paras)
    assert [paras[r.paragraph][:7] for r in b.relations] == ["根据《中共中央", "根据《中共中央", "本通知自印发之"]


def test_forwarded_document_without_its_own_full_text_keeps_its_title() -> None:
    """Only A is reproduced: the forwarded notice is known by what A says of it."""
    paras = paragraphs(CHAIN.split("山西省财政厅文件")[0])
    (a,) = find_embedded_documents(paras)
    assert relations_of(a) == [(FORWARDS, "晋财预〔2024〕12号", "山西省财政厅关于进一步加强预算绩效管理的通知")]


def test_two_line_title_and_chinese_date() -> None:
    paras = ["晋综示发〔2021〕3号", "山西转型综合改革示范区管理委员会关于印发", "示范区XX管理办法的通知",
             "各部门：", "依据《中华人民共和国预算法》，制定本办法。", "二〇二一年三月十七日"]
    (doc,) = find_embedded_documents(paras)
    assert doc.title_paragraphs == (1, 2) and doc.date == "2021-03-17"
    assert normalise_title(doc.reference.title or "") == "山西转型综合改革示范区管理委员会关于印发示范区XX管理办法的通知"
    assert doc.issuer == "山西转型综合改革示范区管理委员会"
    assert relations_of(doc) == [(BASED_ON, None, "中华人民共和国预算法")]


def test_document_without_date_ends_before_the_next_part_of_the_disclosure() -> None:
    paras = ["晋政办发〔2020〕3号", "山西省人民政府办公厅关于XX的通知", "各市人民政府：", "按照《预算法》执行。",
             "第四部分 名词解释", "根据《政府采购法》采购。"]
    (doc,) = find_embedded_documents(paras)
    assert doc.last == 3 and doc.date is None
    assert relations_of(doc) == [(BASED_ON, None, "预算法")]


@pytest.mark.parametrize("paras", [
    ["根据晋政发〔2020〕1号文件精神，做好工作。", "关于做好工作的通知"],  # a 文号 inside a sentence
    ["晋政发〔2020〕1号", "各单位：", "请遵照执行。"],  # no title after the 文号 line
    ["(2014)10号", "关于XX的通知"],  # partial 文号
    [],
], ids=["docno-in-sentence", "no-title", "partial", "empty"])
def test_not_embedded_documents(paras: list[str]) -> None:
    assert find_embedded_documents(paras) == []


@pytest.mark.parametrize(("line", "number"), [
    ("晋综改委复〔2025〕4号", "晋综改委复〔2025〕4号"),
    ("## 晋财预〔2024〕12号", "晋财预〔2024〕12号"),
    ("晋财预〔2024〕12号  签发人：张三", "晋财预〔2024〕12号"),
    ("市政府并政发【2012】2号", None),  # a body in front: a citation, not a 文号 line
    ("根据晋政发〔2020〕1号", None),
])
def test_docno_line(line: str, number: str | None) -> None:
    ref = docno_line(line)
    assert (ref.doc_number if ref else None) == number


RELATION_WORDING = [
    ("现将《B》（晋财预〔2024〕12号）转发给你们", "《B》", FORWARDS),
    ("《E》（晋财预〔2018〕3号）同时废止", "《E》", REPEALS),
    ("原《E》停止执行", "《E》", REPEALS),
    ("根据《C》和《D》有关规定", "《D》", BASED_ON),
    ("现按照《预算法》相关规定予以批复", "《预算法》", BASED_ON),
    ("依据《办法》精神", "《办法》", BASED_ON),
    ("《报告》已经党工委会议批准", "《报告》", CITES),
    ("《报告》提出，根据会议要求", "《报告》", CITES),  # the basis word comes after the reference
]


@pytest.mark.parametrize(("clause", "ref", "kind"), RELATION_WORDING, ids=[c for c, _, _ in RELATION_WORDING])
def test_relation_kind_from_wording(clause: str, ref: str, kind: str) -> None:
    a, b = next((a, b) for a, b in clauses(clause) if ref in clause[a:b])
    assert relation_kind(clause[a:b], clause[a:b].index(ref)) == kind


def test_clauses_keep_brackets_whole() -> None:
    text = "根据《关于A，B的通知》（晋政发〔2020〕1号，以下简称通知），现通知如下。"
    assert [text[a:b] for a, b in clauses(text)] == ["根据《关于A，B的通知》（晋政发〔2020〕1号，以下简称通知）", "现通知如下", ""]


def test_forwarded_document_in_a_citation() -> None:
    (ref,) = find_references("晋中市能源局转发《固定资产投资项目节能审查实施办法》（市能源节能[2023]16号）")
    fwd = forwarded_document(ref)
    assert fwd is not None and (fwd.kind, fwd.title, fwd.doc_number) == (
        TITLED, "固定资产投资项目节能审查实施办法", None)
    (plain,) = find_references("《晋中市服务企业常态化工作考核办法》（市政办发[2018]7号）")
    assert forwarded_document(plain) is None


# --- the embedded 批复 of the administrative-approval sample ----------------------------------


def _gold(name: str) -> dict:
    return json.loads((GOLD_DIR / f"{name}.gold.json").read_text(encoding="utf-8"))


def test_embedded_reply_in_the_administrative_sample_matches_gold() -> None:
    lines = (EXAMPLES / "administrative-approval-bureau-2025.txt").read_text(encoding="utf-8").split("\n")
    paras = [line for line in lines if line.strip() and "\t" not in line]
    (doc,) = find_embedded_documents(paras)
    gold = _gold("administrative-approval-bureau-2025")["document_level_citations"]
    me = next(c for c in gold if c["relation"] is None)
    assert doc.reference.doc_number == me["doc_number"]
    assert normalise_title(doc.reference.title or "") == normalise_title(me["title"])
    assert doc.issuer == me["issuer_text"] and doc.date == "2025-03-17"
    related = [c for c in gold if c["relation"]]
    assert len(doc.relations) == len(related)
    for rel, c in zip(doc.relations, related, strict=True):
        assert c["from"] == doc.reference.doc_number
        assert (rel.kind, rel.target.kind) == (c["relation"], c["kind"])
        assert c["surface"] in rel.target.surface
        assert normalise_title(rel.target.title or "") == normalise_title(c["title"] or "")
        if c["kind"] == MEETING:
            m = c["meeting"]
            assert (rel.target.meeting_body, rel.target.meeting_year, rel.target.meeting_number) == (
                m["body"], m["year"], m["number"])


@pytest.mark.parametrize("name", ["jinzhong-economic-operation-2024", "yangqu-park-service-center-2026"])
def test_samples_without_embedded_documents(name: str) -> None:
    lines = (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    assert find_embedded_documents([line for line in lines if line.strip() and "\t" not in line]) == []


# --- the issuer registry ------------------------------------------------------------------------


def test_registry_file_is_well_formed() -> None:
    registry = read_registry()
    assert len(registry) >= 90
    with open(REGISTRY_CSV, encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert len(rows) == len(registry), "a code is listed twice"
    for issuer in registry:
        assert issuer.source, f"{issuer.code}: no source"
        assert issuer.level in LEVELS or (issuer.level is None and not issuer.identified), issuer.code
        assert issuer.identified == (issuer.certainty != "unidentified"), issuer.code
        assert canonical_doc_number(f"{issuer.code}〔2020〕1号") == f"{issuer.code}〔2020〕1号", issuer.code


def test_bad_registry_row_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "issuers.csv"
    path.write_text("code,organization,level,region,certainty,source\n晋政发,山西省人民政府,省级,山西省,public,x\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"issuers.csv:2: bad registry row"):
        read_registry(path)


@pytest.mark.parametrize(("code", "organization", "level", "region"), [
    ("国办发", "国务院办公厅", "中央", "全国"),
    ("中办发", "中共中央办公厅", "中央", "全国"),
    ("厅字", "中共中央办公厅", "中央", "全国"),
    ("财预", "财政部", "中央", "全国"),
    ("财社", "财政部", "中央", "全国"),
    ("组通字", "中共中央组织部", "中央", "全国"),
    ("晋政发", "山西省人民政府", "省", "山西省"),
    ("晋政办发", "山西省人民政府办公厅", "省", "山西省"),
    ("晋财预", "山西省财政厅", "省", "山西省"),
    ("晋组通字", "中共山西省委组织部", "省", "山西省"),
    ("并政发", "太原市人民政府", "市", "山西省太原市"),
    ("市政办发", "晋中市人民政府办公室", "市", "山西省晋中市"),
    ("晋综示发", "山西转型综合改革示范区管理委员会", "开发区", "山西转型综合改革示范区"),
    ("综示晋开综办发", "山西转型综合改革示范区晋中开发区管理委员会综合办公室", "开发区", "山西转型综合改革示范区晋中开发区"),
])
def test_common_codes(code: str, organization: str, level: str, region: str) -> None:
    issuer = REGISTRY.issuer(code)
    assert issuer is not None and (issuer.organization, issuer.level, issuer.region) == (organization, level, region)


def _sample_codes() -> set[str]:
    codes = set()
    for path in EXAMPLES.glob("*.txt"):
        for line in path.read_text(encoding="utf-8").split("\n"):
            for cell in line.split("\t"):
                codes |= {r.issuer_code for r in find_references(cell) if r.kind == NUMBERED and r.issuer_code}
    return codes


def test_every_code_in_the_samples_is_registered_or_a_typo_of_one() -> None:
    codes = _sample_codes()
    assert {"晋综示发", "综示晋开综办发", "市政办发", "商资函", "晋综改委复"} <= codes
    unregistered = {c for c in codes if c not in REGISTRY}
    assert unregistered == {"晋证办发", "豫示晋开综办函"}
    assert near_codes("晋证办发")[0] == "晋政办发"
    assert near_codes("豫示晋开综办函") == ("综示晋开综办函",)
    assert not REGISTRY.issuer("民管字").identified  # attested, issuer not printed anywhere


@pytest.mark.parametrize(("a", "b", "distance"), [
    ("晋证办发", "晋政办发", 1), ("豫示晋开综办函", "综示晋开综办函", 1), ("晋证办发", "晋办发", 1),
    ("晋政发", "晋政发", 0), ("国发", "晋政办发", 2), ("财预", "财社", 1),
])
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance


def test_registry_feeds_the_finder_and_jieba() -> None:
    """A registered code after a department name is split off by the registry alone, and the
    registry's codes and organization names are jieba words."""
    code = (
        "import sys\n"
        "from ingest.references import find_references\n"
        "r, = find_references('山西省财政厅晋财预〔2021〕3号')\n"
        "assert (r.issuer_text, r.issuer_code) == ('山西省财政厅', '晋财预'), r\n"
        "assert 'jieba' not in sys.modules\n"
        "from ingest.references.segment import tokens\n"
        "words = [w for w, _ in tokens('转发晋中市能源局综示晋开综办发')]\n"
        "assert '晋中市能源局' in words and '综示晋开综办发' in words, words\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
