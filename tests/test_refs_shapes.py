"""Table-driven cases for reference shapes beyond the first corpus (issue 12 and the 号文 titles).

Every sentence is written here (names and numbers invented after the shapes of
public government texts); nothing is read from outside the repository.
Each case pins kind, surface (span), canonical 文号 and the parts that matter.
"""
from __future__ import annotations

import pytest

from budgetkg.ingest.references import MEETING, NUMBERED, TITLED, find_references
from tests.test_references import E, check

# a 文号 followed by 文 (or 文件) and then the title it numbers carries that title
WEN_TITLE_CASES: list[tuple[str, str, list[dict[str, object]]]] = [
    ("wen-about-title-and-wen-quoted-title",
     "根据沪府规【2016】168号文关于同意《上海市普陀区万里社区W060701单元W-07、W-08街坊、真如城市副中心X101、X102、X103、"
     "G1街坊控制性详细规划局部调整》的批复和普发改投【2017】89号文《关于万里街道社区公共服务中心新建工程可行性研究报告的批复》,"
     "同意建设。", [
         E(NUMBERED, "沪府规【2016】168号文关于同意《上海市普陀区万里社区W060701单元W-07、W-08街坊、真如城市副中心X101、"
           "X102、X103、G1街坊控制性详细规划局部调整》的批复", doc_number="沪府规〔2016〕168号", issuer_code="沪府规",
           year=2016, serial=168, start=2,
           title="关于同意《上海市普陀区万里社区W060701单元W-07、W-08街坊、真如城市副中心X101、X102、X103、G1街坊控制性详细规划"
                 "局部调整》的批复"),
         E(NUMBERED, "普发改投【2017】89号文《关于万里街道社区公共服务中心新建工程可行性研究报告的批复》",
           doc_number="普发改投〔2017〕89号", issuer_code="普发改投", year=2017, serial=89,
           title="关于万里街道社区公共服务中心新建工程可行性研究报告的批复")]),
    ("wen-quoted-title", "按照沪财预〔2021〕12号文《关于做好2022年预算编制工作的通知》要求", [
        E(NUMBERED, "沪财预〔2021〕12号文《关于做好2022年预算编制工作的通知》", doc_number="沪财预〔2021〕12号",
          title="关于做好2022年预算编制工作的通知", start=2, end=35)]),
    ("wenjian-quoted-title", "按照沪财预〔2021〕12号文件《关于做好2022年预算编制工作的通知》要求", [
        E(NUMBERED, "沪财预〔2021〕12号文件《关于做好2022年预算编制工作的通知》", doc_number="沪财预〔2021〕12号",
          title="关于做好2022年预算编制工作的通知")]),
    ("wen-about-title-inner-quote", "普府〔2018〕7号文关于印发《普陀区XX实施办法》的通知", [
        E(NUMBERED, "普府〔2018〕7号文关于印发《普陀区XX实施办法》的通知", doc_number="普府〔2018〕7号",
          title="关于印发《普陀区XX实施办法》的通知", start=0)]),
    ("wen-space-about-title", "根据市政办发〔2020〕5号文 关于同意XX项目立项的批复，", [
        E(NUMBERED, "市政办发〔2020〕5号文 关于同意XX项目立项的批复", doc_number="市政办发〔2020〕5号",
          title="关于同意XX项目立项的批复")]),
    ("wen-two-in-a-row", "根据沪府规〔2016〕168号文关于同意XX的批复和沪府规〔2016〕169号文关于同意YY的批复", [
        E(NUMBERED, "沪府规〔2016〕168号文关于同意XX的批复", doc_number="沪府规〔2016〕168号", title="关于同意XX的批复"),
        E(NUMBERED, "沪府规〔2016〕169号文关于同意YY的批复", doc_number="沪府规〔2016〕169号", title="关于同意YY的批复")]),
    ("wen-jingshen-no-title", "根据晋政发〔2020〕1号文精神执行", [
        E(NUMBERED, "晋政发〔2020〕1号", doc_number="晋政发〔2020〕1号", title=None)]),
    ("wen-comma-not-paired", "根据沪府发〔2019〕3号文，《上海市XX管理办法》", [
        E(NUMBERED, "沪府发〔2019〕3号", title=None), E(TITLED, "《上海市XX管理办法》", title="上海市XX管理办法")]),
    ("wen-title-then-meeting", "普发改投【2018】12号文《关于XX工程项目建议书的批复》及区政府第5次常务会议", [
        E(NUMBERED, "普发改投【2018】12号文《关于XX工程项目建议书的批复》", doc_number="普发改投〔2018〕12号",
          title="关于XX工程项目建议书的批复"),
        E(MEETING, "区政府第5次常务会议", meeting_body="区政府", meeting_number=5)]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in WEN_TITLE_CASES],
                         ids=[n for n, _, _ in WEN_TITLE_CASES])
def test_wen_title(text: str, expected: list[dict[str, object]]) -> None:
    check(text, expected)


def test_no_separate_titled_document_for_numbered_titles() -> None:
    text = WEN_TITLE_CASES[0][1]
    assert [r.kind for r in find_references(text)] == [NUMBERED, NUMBERED]
