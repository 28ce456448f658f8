"""Issuers as written, code-less numbers, glued words, PDF line breaks and damaged brackets (issue 12, Build 2-3).

Sentences written here after the shapes of public government texts (names and
numbers invented). Each case pins kind, surface (span), canonical 文号 and parts.
"""
from __future__ import annotations

import pytest

from budgetkg.ingest.references import NUMBERED, TITLED, find_references
from tests.test_references import E, check


def N(surface: str, doc_number: str | None, code: str | None, year: int, serial: int,  # noqa: N802
      **more: object) -> dict[str, object]:
    """One expected numbered document with its parts."""
    return E(NUMBERED, surface, doc_number=doc_number, issuer_code=code, year=year, serial=serial, **more)


CASES: list[tuple[str, str, list[dict[str, object]]]] = [
    # --- an organization's name as the 机关代字 is kept whole -------------------------------------
    ("org-name-code", "山西省委办公厅(2023)41号", [
        N("山西省委办公厅(2023)41号", "山西省委办公厅〔2023〕41号", "山西省委办公厅", 2023, 41, start=0, end=16)]),
    ("org-name-code-genju", "根据省委办公厅(2023)41号文件", [
        N("省委办公厅(2023)41号", "省委办公厅〔2023〕41号", "省委办公厅", 2023, 41, start=2)]),
    ("org-name-code-zhonggong", "根据中共晋中市委办公室〔2022〕5号文件", [
        N("中共晋中市委办公室〔2022〕5号", "中共晋中市委办公室〔2022〕5号", "中共晋中市委办公室", 2022, 5)]),
    ("org-name-code-leading-words", "认真落实山西省人民政府办公厅〔2021〕7号", [
        N("山西省人民政府办公厅〔2021〕7号", "山西省人民政府办公厅〔2021〕7号", "山西省人民政府办公厅", 2021, 7, start=4)]),
    ("org-name-code-short", "市委办公室〔2021〕12号", [N("市委办公室〔2021〕12号", "市委办公室〔2021〕12号", "市委办公室", 2021, 12)]),
    ("org-name-code-then-code", "太原市人民政府办公厅(2019)5号和并政办发〔2019〕6号", [
        N("太原市人民政府办公厅(2019)5号", "太原市人民政府办公厅〔2019〕5号", "太原市人民政府办公厅", 2019, 5),
        N("并政办发〔2019〕6号", "并政办发〔2019〕6号", "并政办发", 2019, 6)]),
    ("org-name-he-in-name", "按照晋中市发展和改革委员会文件(2020)15号", [
        N("晋中市发展和改革委员会文件(2020)15号", "晋中市发展和改革委员会〔2020〕15号", "晋中市发展和改革委员会", 2020, 15)]),
    ("org-name-provincial-bureau", "山西省统计局(2022)3号", [N("山西省统计局(2022)3号", "山西省统计局〔2022〕3号", "山西省统计局", 2022, 3)]),
    ("body-he-then-code", "晋中市人力资源和社会保障局市人社发〔2021〕8号", [
        N("晋中市人力资源和社会保障局市人社发〔2021〕8号", "市人社发〔2021〕8号", "市人社发", 2021, 8,
          issuer_text="晋中市人力资源和社会保障局")]),
    ("body-he-housing", "住房和城乡建设局市建发〔2022〕11号", [
        N("住房和城乡建设局市建发〔2022〕11号", "市建发〔2022〕11号", "市建发", 2022, 11, issuer_text="住房和城乡建设局")]),
    ("body-then-short-known-code", "县财政局县财预〔2020〕1号", [
        N("县财政局县财预〔2020〕1号", "县财预〔2020〕1号", "县财预", 2020, 1, issuer_text="县财政局")]),
    ("two-bodies-dunhao-before-title", "中共中央办公厅、国务院办公厅印发《关于XX的意见》（中办发〔2021〕37号）", [
        N("中共中央办公厅、国务院办公厅印发《关于XX的意见》（中办发〔2021〕37号）", "中办发〔2021〕37号", "中办发", 2021, 37,
          title="关于XX的意见", issuer_text="中共中央办公厅、国务院办公厅")]),
    ("district-office-before-title", "依据普陀区人民政府办公室《关于印发普陀区XX实施办法的通知》（普府办规〔2021〕3号）", [
        N("普陀区人民政府办公室《关于印发普陀区XX实施办法的通知》（普府办规〔2021〕3号）", "普府办规〔2021〕3号", "普府办规",
          2021, 3, issuer_text="普陀区人民政府办公室", start=2)]),
    ("state-council-title-docno", "根据《国务院办公厅关于进一步优化营商环境的意见》（国办发〔2022〕30号）精神", [
        N("《国务院办公厅关于进一步优化营商环境的意见》（国办发〔2022〕30号）", "国办发〔2022〕30号", "国办发", 2022, 30,
          issuer_text="国务院办公厅")]),
    ("nested-shanghai", "按照《上海市人民政府关于印发〈上海市城市更新指引〉的通知》（沪府规〔2022〕12号）", [
        N("《上海市人民政府关于印发〈上海市城市更新指引〉的通知》（沪府规〔2022〕12号）", "沪府规〔2022〕12号", "沪府规", 2022, 12,
          title="上海市人民政府关于印发〈上海市城市更新指引〉的通知")]),
    ("provinces-listed", "苏政办发〔2020〕32号、京政发〔2019〕8号、粤府函〔2021〕101号", [
        N("苏政办发〔2020〕32号", "苏政办发〔2020〕32号", "苏政办发", 2020, 32),
        N("京政发〔2019〕8号", "京政发〔2019〕8号", "京政发", 2019, 8),
        N("粤府函〔2021〕101号", "粤府函〔2021〕101号", "粤府函", 2021, 101)]),
    ("title-docno-then-article", "《上海市预算绩效管理实施办法》（沪财绩〔2020〕6号）第十二条", [
        N("《上海市预算绩效管理实施办法》（沪财绩〔2020〕6号）", "沪财绩〔2020〕6号", "沪财绩", 2020, 6,
          title="上海市预算绩效管理实施办法")]),
    ("ministry-then-city", "根据《财政部关于XX的通知》（财预〔2022〕5号）和沪财预〔2022〕18号文件要求", [
        N("《财政部关于XX的通知》（财预〔2022〕5号）", "财预〔2022〕5号", "财预", 2022, 5, issuer_text="财政部"),
        N("沪财预〔2022〕18号", "沪财预〔2022〕18号", "沪财预", 2022, 18)]),
    # --- multi-part codes are never cut -------------------------------------------------------
    ("multi-part-weihuifa", "晋市开建委会发[2023]5号", [
        N("晋市开建委会发[2023]5号", "晋市开建委会发〔2023〕5号", "晋市开建委会发", 2023, 5, issuer_text=None)]),
    ("multi-part-guanweihui", "晋综示开管委会发〔2022〕9号", [
        N("晋综示开管委会发〔2022〕9号", "晋综示开管委会发〔2022〕9号", "晋综示开管委会发", 2022, 9)]),
    ("multi-part-genju", "根据榆开管委办字〔2021〕17号文件", [
        N("榆开管委办字〔2021〕17号", "榆开管委办字〔2021〕17号", "榆开管委办字", 2021, 17)]),
    ("multi-part-bangongshi", "晋市开办发〔2024〕2号", [N("晋市开办发〔2024〕2号", "晋市开办发〔2024〕2号", "晋市开办发", 2024, 2)]),
    ("government-ban-fa", "市政府办发〔2020〕1号", [N("市政府办发〔2020〕1号", "市政府办发〔2020〕1号", "市政府办发", 2020, 1)]),
    ("body-unknown-code-kept", "晋中市能源局市能源节能[2023]16号", [
        N("晋中市能源局市能源节能[2023]16号", "市能源节能〔2023〕16号", "市能源节能", 2023, 16, issuer_text="晋中市能源局")]),
    # the issue's own examples, with X for a changed character
    ("x-multi-part", "晋市开X委会发[2023]5号", [N("晋市开X委会发[2023]5号", "晋市开X委会发〔2023〕5号", "晋市开X委会发", 2023, 5)]),
    ("x-org-name", "XX省委办公厅(2023)41号", [N("XX省委办公厅(2023)41号", "XX省委办公厅〔2023〕41号", "XX省委办公厅", 2023, 41)]),
    ("x-title-space-code", "关于XX的通知 XX府办发〔2010〕12 号", [
        N("关于XX的通知 XX府办发〔2010〕12 号", "XX府办发〔2010〕12号", "XX府办发", 2010, 12, title="关于XX的通知")]),
    ("x-break-before-bracket", "X财\n〔2009〕21号", [N("X财\n〔2009〕21号", "X财〔2009〕21号", "X财", 2009, 21)]),
    ("x-break-inside-code", "X投\n资规范（2022）2号", [N("X投\n资规范（2022）2号", "X投资规范〔2022〕2号", "X投资规范", 2022, 2)]),
    ("x-damaged", "X政文〔20186号", [E(NUMBERED, "X政文〔20186号", partial=True, issuer_code="X政文", year=2018, serial=6)]),
    ("latin-words-before-known-code", "根据PPP晋政发〔2020〕1号", [N("晋政发〔2020〕1号", "晋政发〔2020〕1号", "晋政发", 2020, 1)]),
    # --- a number without a code never takes the word before it -----------------------------------
    ("codeless-after-tongzhi", "关于做好2015年预算编制工作的通知(2015)8号文件", [
        E(NUMBERED, "关于做好2015年预算编制工作的通知(2015)8号", partial=True, doc_number=None, issuer_code=None,
          year=2015, serial=8, title="关于做好2015年预算编制工作的通知")]),
    ("codeless-after-yijian", "根据关于XX的意见(2019)2号精神", [
        E(NUMBERED, "关于XX的意见(2019)2号", partial=True, doc_number=None, issuer_code=None, year=2019, serial=2,
          title="关于XX的意见", start=2)]),
    ("codeless-after-pifu", "关于同意XX项目立项的批复（2021）36号", [
        E(NUMBERED, "关于同意XX项目立项的批复（2021）36号", partial=True, issuer_code=None, year=2021, serial=36,
          title="关于同意XX项目立项的批复")]),
    ("codeless-after-banfa", "按照XX资金管理办法(2018)7号执行", [
        E(NUMBERED, "(2018)7号", partial=True, issuer_code=None, year=2018, serial=7)]),
    ("codeless-listed", "关于印发XX办法的通知(2016)3号、(2016)4号", [
        E(NUMBERED, "关于印发XX办法的通知(2016)3号", partial=True, issuer_code=None, year=2016, serial=3),
        E(NUMBERED, "(2016)4号", partial=True, issuer_code=None, year=2016, serial=4)]),
    ("codeless-after-yaoqiu", "按照上级要求(2020)9号", [E(NUMBERED, "(2020)9号", partial=True, issuer_code=None)]),
    # --- a title written before an unbracketed 文号 stays with it --------------------------------------
    ("title-space-code", "关于做好预算编制的通知 榆府办发〔2010〕12 号", [
        N("关于做好预算编制的通知 榆府办发〔2010〕12 号", "榆府办发〔2010〕12号", "榆府办发", 2010, 12,
          title="关于做好预算编制的通知")]),
    ("title-space-known-code", "关于XX的通知 晋财预〔2010〕12 号", [
        N("关于XX的通知 晋财预〔2010〕12 号", "晋财预〔2010〕12号", "晋财预", 2010, 12, title="关于XX的通知")]),
    ("title-space-pifu", "关于XX项目的批复 榆发改投〔2021〕45号", [
        N("关于XX项目的批复 榆发改投〔2021〕45号", "榆发改投〔2021〕45号", "榆发改投", 2021, 45, title="关于XX项目的批复")]),
    ("quoted-title-space-code", "《关于XX的通知》 榆府办发〔2010〕12 号", [
        N("《关于XX的通知》 榆府办发〔2010〕12 号", "榆府办发〔2010〕12号", "榆府办发", 2010, 12, title="关于XX的通知")]),
    ("title-glued-code", "山西省财政厅关于XX的通知晋财预〔2022〕6号", [
        N("山西省财政厅关于XX的通知晋财预〔2022〕6号", "晋财预〔2022〕6号", "晋财预", 2022, 6,
          title="山西省财政厅关于XX的通知", issuer_text="山西省财政厅")]),
    ("title-glued-unknown-code", "关于下达2023年XX资金的通知榆财建〔2023〕19号", [
        N("关于下达2023年XX资金的通知榆财建〔2023〕19号", "榆财建〔2023〕19号", "榆财建", 2023, 19,
          title="关于下达2023年XX资金的通知")]),
    ("title-glued-yijian", "关于加快XX发展的实施意见晋政办发〔2021〕30号", [
        N("关于加快XX发展的实施意见晋政办发〔2021〕30号", "晋政办发〔2021〕30号", "晋政办发", 2021, 30,
          title="关于加快XX发展的实施意见")]),
    # --- PDF line breaks inside a 文号 or a title -----------------------------------------------------
    ("break-before-bracket", "晋财\n〔2009〕21号", [N("晋财\n〔2009〕21号", "晋财〔2009〕21号", "晋财", 2009, 21)]),
    ("break-inside-code", "根据晋投\n资规范（2022）2号文件", [
        N("晋投\n资规范（2022）2号", "晋投资规范〔2022〕2号", "晋投资规范", 2022, 2, start=2)]),
    ("break-inside-code-3", "按照普发\n改投【2017】89号", [N("普发\n改投【2017】89号", "普发改投〔2017〕89号", "普发改投", 2017, 89)]),
    ("break-before-full-code-kept", "部门预算\n晋财预〔2021〕3号", [N("晋财预〔2021〕3号", "晋财预〔2021〕3号", "晋财预", 2021, 3)]),
    ("break-before-province-code", "相关工作\n沪财预〔2021〕3号", [N("沪财预〔2021〕3号", "沪财预〔2021〕3号", "沪财预", 2021, 3)]),
    ("break-codeless-stays-partial", "依据文件\n(2014)10号", [
        E(NUMBERED, "(2014)10号", partial=True, issuer_code=None, year=2014, serial=10)]),
    ("break-after-punctuation", "要求。\n(2014)10号", [E(NUMBERED, "(2014)10号", partial=True, issuer_code=None)]),
    ("break-inside-quoted-title", "根据《关于进一步加强人民调解工作的\n实施意见》（沪司发〔2018〕86号）", [
        N("《关于进一步加强人民调解工作的\n实施意见》（沪司发〔2018〕86号）", "沪司发〔2018〕86号", "沪司发", 2018, 86,
          title="关于进一步加强人民调解工作的实施意见")]),
    ("break-inside-title-no-docno", "《山西省政务信息化\n项目管理办法》", [
        E(TITLED, "《山西省政务信息化\n项目管理办法》", title="山西省政务信息化项目管理办法")]),
    ("break-between-two-docnos", "晋政发〔2020〕1号\n晋政发〔2020〕2号", [
        N("晋政发〔2020〕1号", "晋政发〔2020〕1号", "晋政发", 2020, 1), N("晋政发〔2020〕2号", "晋政发〔2020〕2号", "晋政发", 2020, 2)]),
    # --- damaged brackets: reported as partial with what could be read -----------------------------------
    ("damaged-close-lost", "晋政文〔20186号", [
        E(NUMBERED, "晋政文〔20186号", partial=True, doc_number=None, issuer_code="晋政文", year=2018, serial=6)]),
    ("damaged-open-lost", "根据晋政文2018〕6号文件", [
        E(NUMBERED, "晋政文2018〕6号", partial=True, doc_number=None, issuer_code="晋政文", year=2018, serial=6, start=2)]),
    ("damaged-after-full", "晋政发〔2020〕1号、晋政文〔20186号", [
        N("晋政发〔2020〕1号", "晋政发〔2020〕1号", "晋政发", 2020, 1),
        E(NUMBERED, "晋政文〔20186号", partial=True, issuer_code="晋政文", year=2018, serial=6)]),
    # the code-less number after a damaged one never takes the 号和 before it as its code
    ("damaged-then-codeless", "依据晋政文〔20186号和(2014)10号开展工作", [
        E(NUMBERED, "晋政文〔20186号", partial=True, issuer_code="晋政文", year=2018, serial=6, start=2),
        E(NUMBERED, "(2014)10号", partial=True, issuer_code=None, year=2014, serial=10, start=13)]),
    # …after a whole one, a bare number is that issuer's next document (晋政发〔2020〕1号和〔2014〕10号)
    ("full-then-codeless", "晋政发〔2020〕1号和(2014)10号", [
        N("晋政发〔2020〕1号", "晋政发〔2020〕1号", "晋政发", 2020, 1),
        N("(2014)10号", "晋政发〔2014〕10号", "晋政发", 2014, 10, start=12)]),
    ("damaged-with-title", "《XX办法》（晋政文〔20186号）", [
        E(NUMBERED, "《XX办法》（晋政文〔20186号）", partial=True, issuer_code="晋政文", year=2018, serial=6,
          title="XX办法")]),
    ("damaged-square", "市财预[202112号", [
        E(NUMBERED, "市财预[202112号", partial=True, issuer_code="市财预", year=2021, serial=12)]),
    ("damaged-body-before", "晋中市财政局市财预2022】8号", [
        E(NUMBERED, "晋中市财政局市财预2022】8号", partial=True, issuer_code="市财预", year=2022, serial=8,
          issuer_text="晋中市财政局")]),
    ("not-damaged-amount", "共计2018元，其中6号楼", []),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CASES], ids=[n for n, _, _ in CASES])
def test_issuers(text: str, expected: list[dict[str, object]]) -> None:
    check(text, expected)


def test_damaged_is_never_silently_dropped() -> None:
    refs = find_references("按照晋政文〔20186号和晋财预2019〕3号执行")
    assert [(r.issuer_code, r.year, r.serial, r.partial) for r in refs] == [
        ("晋政文", 2018, 6, True), ("晋财预", 2019, 3, True)]


SOFT_BREAK_CASES: list[tuple[str, str, list[dict[str, object]]]] = [
    ("soft-break-in-about-title", "关于做好XX工作的\n通知（晋财预〔2023〕1号）", [
        N("关于做好XX工作的\n通知（晋财预〔2023〕1号）", "晋财预〔2023〕1号", "晋财预", 2023, 1, title="关于做好XX工作的通知")]),
    ("soft-break-in-body", "晋中市能源\n局市能源节能[2023]16号", [
        N("晋中市能源\n局市能源节能[2023]16号", "市能源节能〔2023〕16号", "市能源节能", 2023, 16, issuer_text="晋中市能源局")]),
    ("soft-break-in-code", "晋财预\n〔2023〕1号", [N("晋财预\n〔2023〕1号", "晋财预〔2023〕1号", "晋财预", 2023, 1)]),
    ("soft-break-in-meeting", "管委会2023年第12次专题\n会议", [
        E("meeting", "管委会2023年第12次专题\n会议", meeting_body="管委会", meeting_year=2023, meeting_number=12)]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in SOFT_BREAK_CASES],
                         ids=[n for n, _, _ in SOFT_BREAK_CASES])
def test_soft_breaks_from_the_reader(text: str, expected: list[dict[str, object]]) -> None:
    """The reader tells which line breaks are wraps: a 文号, title or meeting across one is found whole."""
    breaks = [i for i, ch in enumerate(text) if ch == "\n"]
    refs = find_references(text, soft_breaks=breaks)
    assert [(r.kind, r.surface) for r in refs] == [(e["kind"], e["surface"]) for e in expected]
    for r, e in zip(refs, expected, strict=True):
        for key, value in e.items():
            actual = getattr(r, key)
            if key == "title":
                actual, value = (actual or "").replace("\n", ""), value
            assert actual == value, (key, actual, value)


def test_hard_break_stays_a_boundary() -> None:
    text = "关于做好XX工作的\n通知（晋财预〔2023〕1号）"
    assert [(r.surface, r.title) for r in find_references(text)] == [("晋财预〔2023〕1号", None)]
