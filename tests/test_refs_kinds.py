"""What 《》 holds that is no policy document, and deliverables that are no citations (issue 12, Build 4).

Sentences written here after the shapes of public government texts (names invented).
"""
from __future__ import annotations

import pytest

from budgetkg.ingest.references import CONTRACT, LAW, NUMBERED, REQUEST, TITLED, find_references
from tests.test_references import E, check

CASES: list[tuple[str, str, list[dict[str, object]]]] = [
    # --- media and publications ------------------------------------------------------------------
    ("media-newspaper", "在《山西日报》刊发专题报道", []),
    ("media-app", "通过《学习强国》平台学习", []),
    ("media-broadcast", "《晋中新闻联播》播出", []),
    ("media-three", "《山西日报》《学习强国》《晋中新闻联播》", []),
    ("media-magazine-and-paper", "在《人民日报》、《求是》杂志和《中国财经报》刊发", []),
    ("media-evening-paper", "《太原晚报》", []),
    ("media-city-paper-bao", "《晋中报》", []),
    ("media-tv", "《晋中电视台》", []),
    ("media-public-account", "《榆次发布》微信公众号和《晋中日报》客户端", []),
    ("media-column", "在《晋中新闻》栏目和《XX之窗》平台宣传", []),
    ("media-yearbook", "《晋中年鉴》", []),
    ("media-then-document", "《山西日报》报道了《山西省XX管理办法》", [E(TITLED, "《山西省XX管理办法》", start=9)]),
    ("report-is-document", "《XX情况通报》《2023年工作简报》", [
        E(TITLED, "《XX情况通报》", title="XX情况通报"), E(TITLED, "《2023年工作简报》", title="2023年工作简报")]),
    ("work-report-is-document", "根据《政府工作报告》", [E(TITLED, "《政府工作报告》", title="政府工作报告", start=2)]),
    # --- organizations ---------------------------------------------------------------------------------
    ("org-work-committee", "《中共榆次区工作委员会》", []),
    ("org-government", "《晋中市人民政府》", []),
    ("org-leading-group", "《XX区乡村振兴领导小组》", []),
    ("org-centre", "《晋中市政务服务中心》", []),
    ("org-charter-is-document", "《晋中市XX协会章程》", [E(TITLED, "《晋中市XX协会章程》", title="晋中市XX协会章程")]),
    ("org-about-is-document", "《晋中市人民政府关于XX的通知》", [
        E(TITLED, "《晋中市人民政府关于XX的通知》", issuer_text="晋中市人民政府")]),
    ("org-then-document", "《中共榆次区工作委员会》印发《XX实施方案》", [E(TITLED, "《XX实施方案》", title="XX实施方案")]),
    # --- deliverables are not citations -----------------------------------------------------------------
    ("deliverable-plan", "编制《榆次区突发事件应急预案》", []),
    ("deliverable-revise", "修订《XX管理办法》", []),
    ("deliverable-draft-done", "起草完成《关于XX的实施意见》", []),
    ("deliverable-formulate", "研究制定《XX专项资金管理办法》", []),
    ("deliverable-then-basis", "修订《XX管理办法》并根据《XX资金管理办法》执行", [
        E(TITLED, "《XX资金管理办法》", title="XX资金管理办法")]),
    ("deliverable-around", "完成《晋中市XX规划》编制", []),
    ("deliverable-around-de", "启动《XX应急预案》的修订工作", []),
    ("deliverable-unquoted", "制定晋中市XX管理办法", []),
    ("deliverable-work-report", "负责起草《政府工作报告》等区政府重要文稿", []),
    ("basis-plan-then-bianzhi", "按照《XX规划》编制预算", [E(TITLED, "《XX规划》", title="XX规划", start=2)]),
    ("basis-zhiding-de", "XX局制定的《XX办法》", [E(TITLED, "《XX办法》", title="XX办法")]),
    ("basis-with-docno-after-verb", "编制《XX方案》（晋政发〔2020〕1号）", [
        E(NUMBERED, "《XX方案》（晋政发〔2020〕1号）", doc_number="晋政发〔2020〕1号", title="XX方案")]),
    ("deliverable-law-draft", "起草《XX条例》", []),
    ("deliverable-request", "撰写《关于XX的请示》", []),
    ("contract-not-deliverable", "签订《XX服务合同》", [E(CONTRACT, "《XX服务合同》", title="XX服务合同")]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CASES], ids=[n for n, _, _ in CASES])
def test_kinds(text: str, expected: list[dict[str, object]]) -> None:
    check(text, expected)


@pytest.mark.parametrize(("text", "kind", "title"), [
    ("编制《榆次区突发事件应急预案》", TITLED, "榆次区突发事件应急预案"),
    ("起草《XX条例》", LAW, "XX条例"),
    ("撰写《关于XX的请示》", REQUEST, "关于XX的请示"),
    ("完成《晋中市XX规划》编制", TITLED, "晋中市XX规划"),
])
def test_deliverables_on_request(text: str, kind: str, title: str) -> None:
    refs = find_references(text, deliverables=True)
    assert [(r.kind, r.title, r.produces) for r in refs] == [(kind, title, True)]


def test_deliverable_and_citation_of_same_title_stay_apart() -> None:
    refs = find_references("修订《XX管理办法》，原《XX管理办法》同时废止", deliverables=True)
    assert [(r.title, r.produces) for r in refs] == [("XX管理办法", True), ("XX管理办法", False)]
