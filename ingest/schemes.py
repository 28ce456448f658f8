"""Fixed keys of two classification schemes the tables print by name only.

- 部门预算支出经济分类 (economic classification, 表6 rows): 表6 prints the item names
  (办公费, 基本工资 …) but never their codes, so the code is looked up from the
  standard name. 类 3 digits (301), 款 5 digits (30101); a 款 is narrower than its 类.
- Funding sources: the columns of tables 1-9 (一般公共预算 …), the income lines of
  表1/表4 and the funding levels of the project sheets (中央 / 省级 / 市县(区) 财政资金 …).

A name not in these tables gets no concept (the row keeps its printed label).

>>> economic_code("维修（护）费"), economic_code("其他商品和服务支出"), economic_code("未知")
('30213', '30299', None)
"""
from __future__ import annotations

import re
import unicodedata

# 部门预算支出经济分类科目 (财政部《政府收支分类科目》): standard name -> code.
ECONOMIC_ITEMS: dict[str, str] = {
    "工资福利支出": "301",
    "基本工资": "30101",
    "津贴补贴": "30102",
    "奖金": "30103",
    "伙食补助费": "30106",
    "绩效工资": "30107",
    "机关事业单位基本养老保险缴费": "30108",
    "职业年金缴费": "30109",
    "职工基本医疗保险缴费": "30110",
    "公务员医疗补助缴费": "30111",
    "其他社会保障缴费": "30112",
    "住房公积金": "30113",
    "医疗费": "30114",
    "其他工资福利支出": "30199",
    "商品和服务支出": "302",
    "办公费": "30201",
    "印刷费": "30202",
    "咨询费": "30203",
    "手续费": "30204",
    "水费": "30205",
    "电费": "30206",
    "邮电费": "30207",
    "取暖费": "30208",
    "物业管理费": "30209",
    "差旅费": "30211",
    "因公出国(境)费用": "30212",
    "维修(护)费": "30213",
    "租赁费": "30214",
    "会议费": "30215",
    "培训费": "30216",
    "公务接待费": "30217",
    "专用材料费": "30218",
    "被装购置费": "30224",
    "专用燃料费": "30225",
    "劳务费": "30226",
    "委托业务费": "30227",
    "工会经费": "30228",
    "福利费": "30229",
    "公务用车运行维护费": "30231",
    "其他交通费用": "30239",
    "税金及附加费用": "30240",
    "其他商品和服务支出": "30299",
    "对个人和家庭的补助": "303",
    "离休费": "30301",
    "退休费": "30302",
    "退职(役)费": "30303",
    "抚恤金": "30304",
    "生活补助": "30305",
    "救济费": "30306",
    "医疗费补助": "30307",
    "助学金": "30308",
    "奖励金": "30309",
    "个人农业生产补贴": "30310",
    "代缴社会保险费": "30311",
    "其他对个人和家庭的补助": "30399",
    "资本性支出": "310",
    "房屋建筑物购建": "31001",
    "办公设备购置": "31002",
    "专用设备购置": "31003",
    "基础设施建设": "31005",
    "大型修缮": "31006",
    "信息网络及软件购置更新": "31007",
    "其他资本性支出": "31099",
}
# Printed variants of standard names seen in 表6 (the printed form is kept on the row).
ECONOMIC_ALIASES: dict[str, str] = {
    "维修费": "维修(护)费",
    "对个人和家庭补助": "对个人和家庭的补助",
}

# Funding sources: fixed key -> preferred name (DESIGN.md: the funding sources, and the sheet levels).
FUNDING_SOURCES: dict[str, str] = {
    "general_public": "一般公共预算",
    "government_fund": "政府性基金预算",
    "state_capital": "国有资本经营预算",
    "special_account": "财政专户管理资金",
    "unit_funds": "单位资金",
    "carryover": "上年结转",
    "central": "中央财政资金",
    "provincial": "省级财政资金",
    "local": "市县(区)财政资金",
    "self_raised": "单位自筹",
    "other": "其他资金",
}
# Table measure keys (ingest.patterns.COLUMN_MEASURES) and 表1/表4 income-line keys
# (ingest.patterns.INCOME_LINES) that are funding sources: the same keys.
MEASURE_FUNDING = {k: k for k in ("general_public", "government_fund", "state_capital", "special_account",
                                  "unit_funds", "carryover")}
# Project-sheet funding levels (ingest.patterns.FUNDING_LEVELS) that are funding sources ('total' is not).
LEVEL_FUNDING = {k: k for k in ("central", "provincial", "local", "self_raised", "other")}


# Decoration around a funding label as printed: "其中: 中央财政资金", "年度资金总额:".
FUNDING_LABEL_NOISE = re.compile(r"^其中\s*[:：]\s*|\s*[:：]\s*$")


def funding_label(printed: str) -> str:
    """A printed funding label without its decoration, as an alternative name."""
    return FUNDING_LABEL_NOISE.sub("", printed).strip()


def _clean(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


_ECONOMIC = {_clean(name): code for name, code in ECONOMIC_ITEMS.items()}


def economic_code(printed: str) -> str | None:
    """The 部门预算支出经济分类 code of a 表6 item name, or None."""
    name = _clean(printed)
    name = _clean(ECONOMIC_ALIASES.get(name, name))
    return _ECONOMIC.get(name)


def economic_broader(code: str) -> str | None:
    return code[:3] if len(code) == 5 else None
