"""Meetings as a pattern family (issue 12, Build 1): body, session, year, ordinal, date.

Sentences written here after the shapes of public government texts (names and
numbers invented). Each case pins kind, surface (span) and the meeting parts.
"""
from __future__ import annotations

import pytest

from budgetkg.ingest.references import MEETING, NUMBERED
from tests.test_references import E, check


def M(surface: str, body: str | None, year: int | None = None, number: int | None = None,  # noqa: N802
      date: str | None = None, session: int | None = None, **more: object) -> dict[str, object]:
    """One expected meeting with its parts."""
    return E(MEETING, surface, meeting_body=body, meeting_year=year, meeting_number=number, meeting_date=date,
             meeting_session=session, **more)


CASES: list[tuple[str, str, list[dict[str, object]]]] = [
    # --- ordinal meetings without 纪要 or 号 ---------------------------------------------------
    ("body-year-ordinal", "根据开发区党工委2023年第7次会议精神", [
        M("开发区党工委2023年第7次会议", "开发区党工委", 2023, 7, start=2, end=18)]),
    ("year-ordinal-no-di", "2024年15次党工委会议纪要", [M("2024年15次党工委会议纪要", "党工委", 2024, 15, start=0)]),
    ("body-year-ordinal-no-di", "党工委2023年15次会议", [M("党工委2023年15次会议", "党工委", 2023, 15)]),
    ("year-ordinal-no-di-minutes", "依据2022年9次党工委会议纪要", [M("2022年9次党工委会议纪要", "党工委", 2022, 9, start=2)]),
    ("minutes-year-ordinal-after", "根据榆次示范区党工委会议纪要2024第12次", [
        M("榆次示范区党工委会议纪要2024第12次", "榆次示范区党工委", 2024, 12, start=2)]),
    ("minutes-year-nian-ordinal-after", "党工委会议纪要2024年第12次", [M("党工委会议纪要2024年第12次", "党工委", 2024, 12)]),
    ("minutes-issue-no-nian", "管委会会议纪要2023第5期", [M("管委会会议纪要2023第5期", "管委会", 2023, 5)]),
    ("district-standing", "区政府第5次常务会议", [M("区政府第5次常务会议", "区政府", None, 5, start=0, end=10)]),
    ("session-ordinal-no-di", "市政府九届12次常务会议", [M("市政府九届12次常务会议", "市政府", None, 12, session=9)]),
    ("session-di-ordinal", "市政府十四届第35次常务会议", [M("市政府十四届第35次常务会议", "市政府", None, 35, session=14)]),
    ("session-chinese-ordinal", "根据省政府十三届第一百零五次常务会议精神", [
        M("省政府十三届第一百零五次常务会议", "省政府", None, 105, session=13, start=2)]),
    ("session-di-chinese-no-di", "市政府第七届二十次常务会议", [M("市政府第七届二十次常务会议", "市政府", None, 20, session=7)]),
    ("session-body-full-name", "晋中市人民政府第十五届第三次常务会议", [
        M("晋中市人民政府第十五届第三次常务会议", "晋中市人民政府", None, 3, session=15)]),
    ("session-inside-name", "已经太原市第十五届人民代表大会第五次会议批准", [
        M("太原市第十五届人民代表大会第五次会议", "太原市第十五届人民代表大会", None, 5, session=15, start=2)]),
    ("plenary-chinese", "县政府第四次全体会议", [M("县政府第四次全体会议", "县政府", None, 4)]),
    ("plenary-chinese-genju", "根据县政府第四次全体会议安排", [M("县政府第四次全体会议", "县政府", None, 4, start=2)]),
    ("committee-year-chinese", "区发展改革委员会2024年第二次会议", [
        M("区发展改革委员会2024年第二次会议", "区发展改革委员会", 2024, 2)]),
    ("leading-group-year", "乡村振兴领导小组2024年第三次会议", [M("乡村振兴领导小组2024年第三次会议", "乡村振兴领导小组", 2024, 3)]),
    ("long-committee-name", "山西转型综合改革示范区科技创新发展领导小组2024年第二次会议", [
        M("山西转型综合改革示范区科技创新发展领导小组2024年第二次会议", "山西转型综合改革示范区科技创新发展领导小组", 2024, 2)]),
    ("long-party-committee", "中共晋中市委全面深化改革委员会2024年第二次会议", [
        M("中共晋中市委全面深化改革委员会2024年第二次会议", "中共晋中市委全面深化改革委员会", 2024, 2)]),
    ("long-people-congress", "山西省晋中市榆次区人民代表大会常务委员会第十二次会议", [
        M("山西省晋中市榆次区人民代表大会常务委员会第十二次会议", "山西省晋中市榆次区人民代表大会常务委员会", None, 12)]),
    ("county-standing-committee", "经县委常委会2023年第5次会议研究决定", [M("县委常委会2023年第5次会议", "县委常委会", 2023, 5, start=1)]),
    ("district-year-chinese-minutes", "根据区政府2024年第八次常务会议纪要", [M("区政府2024年第八次常务会议纪要", "区政府", 2024, 8)]),
    ("office-meeting-chinese", "经管委会第二十三次主任办公会议审定", [M("管委会第二十三次主任办公会议", "管委会", None, 23, start=1)]),
    ("joint-meeting-year", "2024年第2次联席会议纪要", [M("2024年第2次联席会议纪要", None, 2024, 2)]),
    ("two-bodies-two-meetings", "示范区党工委2024年第22次会议和管委会2024年第34次专题会议", [
        M("示范区党工委2024年第22次会议", "示范区党工委", 2024, 22, end=17),
        M("管委会2024年第34次专题会议", "管委会", 2024, 34, start=18)]),
    # --- dates and leading verbs are not part of the body ------------------------------------
    ("full-date-before-body", "2020年3月6日县政府第二次全体会议", [
        M("2020年3月6日县政府第二次全体会议", "县政府", 2020, 2, "2020-03-06", start=0)]),
    ("full-date-hao", "2023年12月5号区政府第十次常务会议", [
        M("2023年12月5号区政府第十次常务会议", "区政府", 2023, 10, "2023-12-05")]),
    ("month-before-body", "2022年7月县委第3次常委会议", [M("2022年7月县委第3次常委会议", "县委", 2022, 3, "2022-07")]),
    ("zhuchi-zhaokai", "主持召开区政府第3次常务会议", [M("区政府第3次常务会议", "区政府", None, 3, start=4)]),
    ("zuzhi-zhaokai", "组织召开管委会2023年第6次专题会议", [M("管委会2023年第6次专题会议", "管委会", 2023, 6, start=4)]),
    ("shenyi-tongguo", "经审议通过市政府第十二次常务会议", [M("市政府第十二次常务会议", "市政府", None, 12)]),
    ("tingqu-date", "听取2021年5月党工委第9次会议", [M("2021年5月党工委第9次会议", "党工委", 2021, 9, "2021-05", start=2)]),
    # --- named meetings without a number --------------------------------------------------------
    ("special-topic-minutes", "根据龙城大街周边风貌整治专题会议纪要", [
        M("龙城大街周边风貌整治专题会议纪要", "龙城大街周边风貌整治专题会议", start=2)]),
    ("national-work-meeting", "全国财政工作会议", [M("全国财政工作会议", "全国财政工作会议")]),
    ("provincial-work-meeting-jingshen", "贯彻全省财政工作会议精神", [M("全省财政工作会议", "全省财政工作会议", start=2)]),
    ("party-building-symposium", "机关事务领域党建工作座谈会", [M("机关事务领域党建工作座谈会", "机关事务领域党建工作座谈会")]),
    ("promotion-meeting", "全市优化营商环境工作推进会", [M("全市优化营商环境工作推进会", "全市优化营商环境工作推进会")]),
    ("site-promotion-meeting", "全区农村人居环境整治现场推进会", [M("全区农村人居环境整治现场推进会", "全区农村人居环境整治现场推进会")]),
    ("city-topic-minutes", "晋中市城区老旧小区改造工作专题会议纪要", [
        M("晋中市城区老旧小区改造工作专题会议纪要", "晋中市城区老旧小区改造工作专题会议")]),
    ("year-named-meeting", "2023年全市安全生产工作会议", [M("2023年全市安全生产工作会议", "全市安全生产工作会议", 2023)]),
    ("jing-named-meeting", "经全市安全生产工作会议研究", [M("全市安全生产工作会议", "全市安全生产工作会议", start=1)]),
    ("named-after-generic", "党工委会议和全市安全生产工作会议", [M("全市安全生产工作会议", "全市安全生产工作会议", start=6)]),
    ("committee-economic-work", "市委经济工作会议", [M("市委经济工作会议", "市委经济工作会议")]),
    ("joint-meeting-named", "全市河长制联席会议纪要", [M("全市河长制联席会议纪要", "全市河长制联席会议")]),
    ("issue-before-name", "根据2023年第15期区长办公会议纪要", [M("2023年第15期区长办公会议纪要", "区长办公会议", 2023, 15, start=2)]),
    ("issue-in-brackets", "区长专题会议纪要（2023年第8期）", [M("区长专题会议纪要（2023年第8期）", "区长专题会议", 2023, 8)]),
    ("full-date-spoken", "根据2023年6月12日区长专题会议精神", [
        M("2023年6月12日区长专题会议", "区长专题会议", 2023, None, "2023-06-12", start=2)]),
    ("full-date-event-not-cited", "2023年6月12日召开党工委会议", []),
    ("state-council-standing", "国务院第192次常务会议审议通过", [M("国务院第192次常务会议", "国务院", None, 192)]),
    ("central-committee-chinese", "中央全面深化改革委员会第二十次会议审议通过", [
        M("中央全面深化改革委员会第二十次会议", "中央全面深化改革委员会", None, 20)]),
    ("two-ordinals-he", "经区政府第88次常务会议和区委常委会第45次会议审议", [
        M("区政府第88次常务会议", "区政府", None, 88, start=1), M("区委常委会第45次会议", "区委常委会", None, 45)]),
    ("city-standing-minutes", "市政府第29次常务会议纪要", [M("市政府第29次常务会议纪要", "市政府", None, 29)]),
    ("office-minutes-number", "根据主任办公会议纪要〔2023〕12号", [
        M("主任办公会议纪要〔2023〕12号", "主任办公会议", 2023, 12, doc_number="主任办公会议纪要〔2023〕12号")]),
    ("session-before-body", "已经2024年11月13日召开的二届市人民政府第93次常务会议通过", [
        M("二届市人民政府第93次常务会议", "市人民政府", None, 93, session=2)]),
    ("earlier-meeting-and-session", "主持召开区政府党组(扩大)会议和区政府十五届第21次常务会议", [
        M("区政府十五届第21次常务会议", "区政府", None, 21, session=15)]),
    ("people-congress-no-di", "拟提请区三届人大一次会议审议和区政协三届一次会议协商", [
        M("区三届人大一次会议", "区三届人大", None, 1, session=3, start=3), M("区政协三届一次会议", "区政协", None, 1, session=3)]),
    ("national-people-congress", "十四届全国人大二次会议", [M("十四届全国人大二次会议", "全国人大", None, 2, session=14)]),
    ("generic-then-ordinal", "党工委会议和管委会2023年第5次会议", [M("管委会2023年第5次会议", "管委会", 2023, 5, start=6)]),
    ("central-economic-work", "要全力贯彻中央经济工作会议部署", [M("中央经济工作会议", "中央经济工作会议", start=5)]),
    ("generic-state-council-standing", "会议传达学习了12月16日国务院常务会议精神", []),
    ("county-people-government", "主持召开裕安区人民政府第21次常务会议", [M("裕安区人民政府第21次常务会议", "裕安区人民政府", None, 21)]),
    ("body-meeting-paren-ordinal", "党工委会议（2023年第5次）", [M("党工委会议（2023年第5次）", "党工委", 2023, 5)]),
    ("standing-committee-minutes-number", "县委常委会会议纪要〔2023〕18号", [
        M("县委常委会会议纪要〔2023〕18号", "县委常委会", 2023, 18, doc_number="县委常委会会议纪要〔2023〕18号")]),
    ("reform-commission-short", "区委深改委第五次会议", [M("区委深改委第五次会议", "区委深改委", None, 5)]),
    ("finance-commission", "市委财经委员会第三次会议", [M("市委财经委员会第三次会议", "市委财经委员会", None, 3)]),
    ("docno-then-special-minutes", "根据《关于XX的批复》（沪发改投〔2019〕12号）及区发改委2020年第3次专题会议纪要", [
        E(NUMBERED, "《关于XX的批复》（沪发改投〔2019〕12号）", doc_number="沪发改投〔2019〕12号", title="关于XX的批复"),
        M("区发改委2020年第3次专题会议纪要", "区发改委", 2020, 3)]),
    # --- generic mentions stay generic ----------------------------------------------------------
    ("generic-named-meetings", "每季度召开一次联席会议，及时召开专题会议，组织专家论证会", []),
    ("generic-activity-list", "开展走访慰问、企业沙龙、企业座谈会、企业培训工作", []),
    ("generic-work-meeting", "召开项目推进会，定期召开工作会议", []),
    ("generic-body-topic-minutes", "区政府专题会议纪要", []),
    ("generic-residents-symposium", "召开居民代表座谈会", []),
    ("generic-times-count", "全年召开15次会议", []),
    ("generic-around-early-year", "紧紧围绕年初经济工作会议确定的目标", []),
    ("time-word-not-in-name", "年初全市经济工作会议", [M("全市经济工作会议", "全市经济工作会议", start=2)]),
    ("guanche-national", "认真贯彻全国财政工作会议精神", [M("全国财政工作会议", "全国财政工作会议", start=4)]),
    ("year-provincial", "2024年全省财政工作会议", [M("2024年全省财政工作会议", "全省财政工作会议", 2024)]),
    # --- meetings next to documents ---------------------------------------------------------------
    ("meeting-then-docno", "党工委2024年第3次会议及晋政发〔2024〕1号", [
        M("党工委2024年第3次会议", "党工委", 2024, 3), E(NUMBERED, "晋政发〔2024〕1号", doc_number="晋政发〔2024〕1号")]),
    ("docno-then-named-meeting", "依据晋财预〔2023〕2号和全省财政工作会议", [
        E(NUMBERED, "晋财预〔2023〕2号"), M("全省财政工作会议", "全省财政工作会议")]),
    ("numbered-minutes-kept", "根据管委会会议纪要〔2023〕5号", [
        M("管委会会议纪要〔2023〕5号", "管委会", 2023, 5, doc_number="管委会会议纪要〔2023〕5号")]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CASES], ids=[n for n, _, _ in CASES])
def test_meetings(text: str, expected: list[dict[str, object]]) -> None:
    check(text, expected)
