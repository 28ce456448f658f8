"""Every heuristic the section detector and the table/sheet parsers use, in one
place. Each entry says which document shape it handles. (Reference patterns live
in ingest/references/patterns.py.)"""
from __future__ import annotations

import re

# --- cover and organization -------------------------------------------------
# "部门名称：XXX" / "单位名称：XXX" line above each of tables 1-13 (may carry "单位：万元" after it).
ORG_NAME_LINE = re.compile(r"^(?P<kind>部门|单位)名称[:：]\s*(?P<name>[^\s:：]+?)(?:\s+单位[:：].*)?$")
# Cover line "2026年度部门预算公开" / "2025年单位预算公开" / "上海市普陀区2026年区级部门预算" /
# "上海市2025年市级单位预算" / "XX2024年度部门决算" / "2025年度上海市XX局部门预算": year, level, kind, phase.
COVER_TITLE = re.compile(
    r"(?P<year>20\d{2})\s*年度?[^\d,，。:：;；]{0,40}?(?P<level>[省市区县乡镇]级)?\s*(?P<kind>部门|单位)(?P<phase>预算|决算)"
    r"(?:公开)?$")
# Organization lines of the nine-table layout (cover and above each table):
# "预算主管部门：X" / "预算单位：X" / "编制部门：X单位：元" (the unit glued on) / "编制单位：X".
BUDGET_ORG_LINE = re.compile(
    r"^(?:预算主管|预算|编制|主管)?(?P<kind>部门|单位)(?:名称)?[:：]\s*(?!万?元(?:\s|$))(?P<name>[^\s:：]{2,}?)(?=\s*单位[:：]|\s|$)")
# Table titles of final accounts (收入支出决算总表, 财政拨款支出决算表): a 决算, not a budget.
FINAL_ACCOUNTS_TITLE = re.compile(r"决算(?:总)?表|决算明细表")
# "核定内设机构12个：综合科、政策法规事务科、…。" (机构设置情况)
INTERNAL_UNITS = re.compile(r"内设(?:机构|科室|职能部门)\s*\d+\s*个\s*[:：]\s*(?P<units>[^。;；]+)")
# "经济运行部中有经济运行科、项目管理科…4个内设科室" (units listed before the count)
INTERNAL_UNITS_BEFORE = re.compile(r"(?:中有|下设|设有)(?P<units>[^。;；]+?)(?:等)?\s*\d+\s*个内设")
# Separators in a list of internal units.
UNIT_SPLIT = re.compile(r"\s*(?:、|,|，|和|及)\s*")
# "621-山西转型综合改革示范区阳曲工业园区服务中心" in 主管部门及代码.
CODE_AND_NAME = re.compile(r"^\s*(?P<code>\d{2,6})\s*[-－—]\s*(?P<name>.+)$")

# --- budget tables (their kinds: ingest/data/table_catalogue.toml) --------------------------------------------------------------
# "单位：万元" unit line above a table.
UNIT_LINE = re.compile(r"单位\s*[:：]\s*(?P<unit>万元|元)")
# A note printed under a table ("注：本表无数据", "说明：…"): part of the table.
TABLE_NOTE = re.compile(r"^(?:注|备注|说明)\s*[:：\d]")
# Running text: a sentence (ends in 。or ；, or is long), not a table's title, unit or note line.
SENTENCE = re.compile(r"[。；;]$|^.{60,}$")
# "注：本表无数据" / "…故本表为空表" under an empty table.
NO_DATA = re.compile(r"本表无数据|本表为空表|本表无内容")
# A functional-classification subject code: 类 3 / 款 5 / 项 7 digits.
SUBJECT_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
# Total rows of any table.
TOTAL_LABEL = re.compile(r"^(?:合计|总计|部门合计|本年收入合计|本年支出合计|收入总计|支出总计)$")
# 表12/13 column-number row "1 2 3 4 5 6 7".
COLUMN_NUMBER_ROW = re.compile(r"^\d{1,2}$")
# Header cells that name a column without being a measure (科目编码, 单位名称 ...).
HEADER_WORDS = re.compile(r"^(?:科目编码|收入科目编码|科目名称|项目|项目名称|收入|支出|本年收入|本年支出|单位名称|部门预算支出经济科目名称|政府预算支出经济科目名称|国有资本经营预算收入|国有资本经营预算支出|\d{4}年?预算数|\d{4}年财政拨款|\d{4}年|\d{4}年合计|类|款|项|预算数|\S*科目编码|\S*科目名称|\S*(?:收入|支出)预算|\S*预算支出|财政拨款(?:收入|支出))$")
# Leading enumeration on 表1/表4 lines: "一、", "十五、", "①".
ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+、|[①②③④⑤⑥⑦⑧⑨⑩]|\(\d+\)|（\d+）|\d{1,2}\s*[.、](?!\d))\s*")
# Quotes printed around “三公” in labels and titles.
QUOTES = re.compile(r"[“”\"'‘’]")
# Header cells naming the split code columns of the nine-table layout: 类 | 款 | 项.
CODE_PART_HEADERS = ("类", "款", "项")
# Lines printed inside a table block above its header: its title, 编制单位：…, 单位：元.
TABLE_FURNITURE = re.compile(r"^(?:编制|预算主管|预算)?(?:部门|单位)(?:名称)?[:：]|^单位[:：]|表(?:\([^()]*\))?$|^\(\d{4}年度?\)$")

# Printed column headers -> measure keys (shared by all coded tables and 表12/13).
COLUMN_MEASURES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:合计|小计|金额|预算数|\d{4}年合计|政府性基金收入预算|国有资本经营收入预算)$"), "total"),
    (re.compile(r"^当年预算安排$"), "current_year"),
    (re.compile(r"^上年结转(?:安排)?$"), "carryover"),
    (re.compile(r"^基本支出$"), "basic"),
    (re.compile(r"^项目支出$"), "project"),
    (re.compile(r"^一般公共预算(?:资金)?$"), "general_public"),
    (re.compile(r"^财政拨款(?:收入)?$"), "appropriation"),
    (re.compile(r"^事业收入$"), "institution_income"),
    (re.compile(r"^事业单位经营收入$"), "institution_operating_income"),
    (re.compile(r"^其他收入$"), "other_income"),
    (re.compile(r"^政府性基金(?:预算)?$"), "government_fund"),
    (re.compile(r"^国有资本经营(?:预算)?$"), "state_capital"),
    (re.compile(r"^财政专户管理资金$"), "special_account"),
    (re.compile(r"^单位资金$"), "unit_funds"),
    (re.compile(r"^人员经费$"), "personnel"),
    (re.compile(r"^公用经费$"), "public_use"),
)
# 表1 income lines (label without enumeration) -> key.
INCOME_LINES: dict[str, str] = {
    "一般公共预算": "general_public",
    "一般公共预算资金": "general_public",
    "政府性基金预算": "government_fund",
    "政府性基金": "government_fund",
    "国有资本经营预算": "state_capital",
    "财政专户管理资金": "special_account",
    "单位资金": "unit_funds",
    "上年结转": "carryover",
    "上年财政拨款结转": "carryover",
    "本年收入合计": "income_current",
    "收入总计": "income_total",
}
EXPENDITURE_TOTALS: dict[str, str] = {
    "本年支出合计": "expenditure_current",
    "支出总计": "expenditure_total",
    "年终结转": "year_end_carryover",
}

# --- project sheets (项目支出绩效目标表) -----------------------------------------
# First label of every sheet.
SHEET_START = "项目名称"
# Last row of a complete sheet ("负责人：…填报日期：…").
SHEET_FOOTER = re.compile(r"^(?:负责人|填报日期)")
# Header labels -> record attribute.
SHEET_HEADER_LABELS: dict[str, str] = {
    "主管部门及代码": "managing",
    "实施单位": "implementing_org",
    "项目属性": "attribute",
    "项目期": "period",
    "项目日期": "period",  # mislabelled in some sheets
    "主管部门": "managing",  # 财政项目支出绩效目标填报表 (上海): a name without code
    "项目性质": "attribute",  # 财政项目支出绩效目标填报表: 经常性项目 / 阶段性项目
}
# The six free-text fields whose text we search for references.
SHEET_TEXT_FIELDS = ("项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施", "项目实施计划", "总体目标")
# Funding labels (spaces removed) -> level; "实施期资金总额"/"总预算资金总额" start the implementation column.
# "项目资金总额" / "年度资金申请总额" in the 财政项目支出绩效目标填报表.
FUNDING_TOTAL_LABEL = re.compile(r"^(?P<period>实施期|总预算|年度|项目)资金(?:申请)?总额[:：]?$")
FUNDING_LEVELS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:其中[:：])?中央财政资金$"), "central"),
    (re.compile(r"^省级财政资金$"), "provincial"),
    (re.compile(r"^市县\s*[(（]区[)）]\s*财政资金$"), "local"),
    (re.compile(r"^单位自筹$"), "self_raised"),
    (re.compile(r"^其他资金$"), "other"),
    # 财政项目支出绩效目标填报表: 其中：财政资金 (period) / 其中：当年财政拨款 + 上年结转资金 (year)
    (re.compile(r"^财政资金$"), "fiscal"),
    (re.compile(r"^当年财政拨款$"), "current_appropriation"),
    (re.compile(r"^上年结转资金$"), "carryover"),
)
# Goal columns of the 财政项目支出绩效目标填报表: a row of headings, the texts in the row below.
SHEET_GOAL_COLUMNS = ("项目总目标", "年度总体目标")
# Indicator level-1 and level-2 labels (suffix 指标 optional on level 2).
INDICATOR_LEVEL1 = re.compile(r"^(?:产出|效益|满意度|成本)指标$")
INDICATOR_LEVEL2 = re.compile(
    r"^(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续(?:发展|性)?影响|可持續影响|可持续发展|服务对象满意度)(?:指标?)?$"
)
# Header cells inside the indicator block, not indicators.
INDICATOR_HEADER = re.compile(r"^(?:一级指标|二级指标|三级指标|指标值|绩效指标|实施期目标|年度目标)$")
# 部门整体绩效目标表: first row label.
OVERALL_START = re.compile(r"^(?:部门名称|部门基本信息)$")
# 部门整体绩效目标表 printed as a lone 部门名称 row above its 部门基本信息 grid: one sheet, not two.
OVERALL_NAME_ROW = "部门名称"
OVERALL_INFO_GRID = "部门基本信息"
# 部门基本信息 grid (rows of label, count, label, count … in drifting columns, cells may be empty):
# label as normalised by sheets.basic_info_label (NFKC, no spaces, no 其中:, no colon) -> (figure key,
# unit when the count is printed bare). Labels not here keep their count under overall/other/N.
OVERALL_BASIC_INFO: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("内设职能部门数", "内设机构部门数", "内设部门数", "内设机构数", "内设科室数", "内设处室数",
                     "内设职能科室数"), ("overall/internal_units", "个")),
    **dict.fromkeys(("所属预算单位数", "下属预算单位数", "所属单位数", "下属单位数", "所属二级预算单位数"),
                    ("overall/subordinate_units", "个")),
    **dict.fromkeys(("核定的人员编制数", "核定人员编制数", "核定编制数", "核定编制人数", "预编的人员编制数", "人员编制数",
                     "编制数", "编制人数"), ("overall/staff_authorised", "人")),
    **dict.fromkeys(("实际在职人员总数", "实际在职人员数", "在职人员总数", "在职人员数", "实有人数", "实有人员数"),
                    ("overall/staff_actual", "人")),
    **dict.fromkeys(("在编人员数", "在编人数", "编制内人员数"), ("overall/staff_on_establishment", "人")),
    **dict.fromkeys(("其他人员数", "编外人员数"), ("overall/staff_other", "人")),
}
# Key prefix of a 部门基本信息 count whose label is not in OVERALL_BASIC_INFO: + N, its 1-based rank.
OVERALL_OTHER_PREFIX = "overall/other/"
# Units of 部门基本信息 counts (each in ingest.records.COUNT_UNITS).
BASIC_INFO_UNITS = ("个", "人", "名")
# A count in the 部门基本信息 grid: a whole number, its unit printed or not ("4个", "21人", "21").
BASIC_INFO_COUNT = re.compile(rf"^(?P<v>\d+)(?P<u>{'|'.join(BASIC_INFO_UNITS)})?$")
# A grid label carrying the unit of its count: "在编人员数(人)", "内设机构数(个)".
BASIC_INFO_LABEL_UNIT = re.compile(rf"^(?P<label>.+?)\((?P<u>{'|'.join(BASIC_INFO_UNITS)})\)$")
# "其中:" before a grid label (a part of the count above it).
BASIC_INFO_PART_PREFIX = re.compile(r"^其中[:,]?")

# --- projects described in prose (XX项目经费情况说明) --------------------------------
# Heading of one described project: "人民调解项目经费情况说明", "生命健康专项(政策资金)经费情况说明",
# "XX项目情况说明", or a bare "项目经费情况说明" (the name is then in the text).
DESCRIBED_HEADING = re.compile(r"^(?P<name>[^,，。:：;；、]{0,40}?)(?:经费情况说明|经费说明|(?<=项目)情况说明|(?<=项目)说明)$")
# The enumeration a heading may carry: "七、", "(七)", "7.".
HEADING_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d))\s*")
# Inside a numbered "七、项目经费情况说明": one project's heading, "(一)人民调解项目" / "1.科技创新专项经费".
DESCRIBED_PROJECT_LINE = re.compile(r"^(?:[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d)|[一二三四五六七八九十]+、)\s*"
                                    r"(?P<name>[^,，。:：;；]{2,40}?(?:项目|专项|经费|工程))(?:经费情况说明|情况说明)?$")
# Numbered parts of a description: 一、项目概述 二、立项依据 三、实施主体 四、实施方案 五、实施周期 六、年度预算安排 七、绩效目标.
DESCRIBED_FIELD = re.compile(
    r"^(?:项目概述|项目概况|项目内容|项目基本情况|立项依据|项目依据|政策依据|实施主体|实施单位|实施方案|实施内容|实施周期|实施期限|"
    r"年度预算安排|预算安排|资金安排|年度资金安排|绩效目标|年度绩效目标|项目绩效目标)$")
# A numbered part's heading line, its text possibly on the same line: "二、立项依据", "(二)立项依据：《…》",
# "6.年度预算安排：795万元".
DESCRIBED_FIELD_LINE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d))\s*(?P<title>[^:：\s]{2,8}?)"
    r"\s*(?:[:：]\s*(?P<rest>.*))?$")
# Fields whose first sentence may name a project whose heading does not.
DESCRIBED_OVERVIEW_FIELDS = ("项目概述", "项目概况", "项目内容", "项目基本情况")
# Parts a description opens with: a project heading is followed by one of them.
DESCRIBED_OPENING_FIELDS = ("项目概述", "项目概况", "项目内容", "项目基本情况", "立项依据", "项目依据", "政策依据")
DESCRIBED_BUDGET_FIELDS = ("年度预算安排", "预算安排", "资金安排", "年度资金安排")
# A project's name in the first clause of its overview: "由X建设的万里街道社区公共服务中心新建工程,…".
DESCRIBED_NAME_IN_TEXT = re.compile(r"(?:^|的)(?P<name>[^,，。;；的]{4,40}?(?:工程|项目|专项|经费))(?:[,，。;；]|$)")
# End of the first clause of an overview sentence.
CLAUSE_END = re.compile(r"[,，。;；]")
# Longest 实施主体 text taken for an organization name (a longer one is a description).
MAX_ORG_NAME_CHARS = 40
# An amount with its unit in prose: "795万元", "1720.00万" (万 alone is 万元), "4,100,000.00元".
PROSE_AMOUNT = re.compile(r"(?P<v>\d[\d,]*(?:\.\d+)?)\s*(?P<u>万元|万|元)")
# The total of a 年度预算安排: "项目总预算1720.00万", "合计1410.00万", "预算安排795万元".
PROSE_TOTAL = re.compile(r"(?:总预算|预算总额|总金额|合计|共计|总计|预算安排|安排资金)\s*(?:为|:|：)?\s*"
                         r"(?P<v>\d[\d,]*(?:\.\d+)?)\s*(?P<u>万元|万|元)")

# --- narrative ------------------------------------------------------------------
# Part headings "第三部分 …" and numbered section headings "十一、国有资产占有使用情况".
PART_HEADING = re.compile(r"^第[一二三四五六]部分")
SECTION_HEADING = re.compile(r"^(?P<num>[一二三四五六七八九十]+)、(?P<title>\S{2,30})$")
# Narrative sections we parse for figures.
PROCUREMENT_HEADING = re.compile(r"政府采购")
ASSETS_HEADING = re.compile(r"国有资产")
# "政府采购预算总额19,545.48万元。其中：政府采购货物预算13.10万元、…工程预算…、…服务预算…"
PROCUREMENT_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("procurement_total", re.compile(r"政府采购预算总额\s*(?P<v>[\d,]+(?:\.\d+)?)\s*(?P<u>万元|元)")),
    ("procurement_goods", re.compile(r"政府采购货物预算\s*(?P<v>[\d,]+(?:\.\d+)?)\s*(?P<u>万元|元)")),
    ("procurement_works", re.compile(r"政府采购工程预算\s*(?P<v>[\d,]+(?:\.\d+)?)\s*(?P<u>万元|元)")),
    ("procurement_services", re.compile(r"政府采购服务预算\s*(?P<v>[\d,]+(?:\.\d+)?)\s*(?P<u>万元|元)")),
)
# 国有资产: vehicles, office area, high-value equipment.
ASSET_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("vehicles_quota", re.compile(r"公务用车编制\s*(?P<v>\d+)\s*(?P<u>辆)")),
    ("vehicles_actual", re.compile(r"实有\s*(?P<v>\d+)\s*(?P<u>辆)")),
    ("office_area", re.compile(r"办公用房建筑总面积\s*(?P<v>[\d,]+(?:\.\d+)?)\s*(?P<u>平方米)")),
    ("equipment_over_50wan", re.compile(r"50万元[(（]原值[)）]以上的通用设备\s*(?P<v>\d+)\s*(?P<u>台[(（]套[)）])")),
    ("equipment_over_100wan", re.compile(r"100万元[(（]原值[)）]以上的通用设备\s*(?P<v>\d+)\s*(?P<u>台[(（]套[)）])")),
)
# 表12/13 group rows naming a unit (not a project): "xx局", "xx中心本级" ...
GROUP_ROW_SUFFIX = re.compile(r"(?:本级|局|委员会|中心|部|办公室|管委会|厅|院|站|所|队)$")

# --- narrative statements checked against the tables (ingest/parsers/statements.py) ----
# Matched against a 说明 paragraph with spaces removed after NFKC (so , : ; ( % are ASCII).
# Each names its amount ``v`` (万元); optional groups: ``p`` share 占p%, ``dir``/``d``/``dp`` the
# change on last year (比上年增加/减少 d万元, 增长/下降 dp%), ``n`` a count, ``base`` the amount
# that ``items`` are shares of. The first match of each key in the document wins.
_AMT = r"\d[\d,]*(?:\.\d+)?"
_CHANGE = rf"(?:[^;。]*?比上年(?P<dir>增加|减少)(?P<d>{_AMT})万元,?(?:增长|下降)(?P<dp>\d+(?:\.\d+)?)%)?"
NARRATIVE_STATEMENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 一、收支变动: "预算收入总计100,000.00万元,其中:本年收入…,上年结转…,比上年增加…,增长…%"
    ("income_total", re.compile(rf"预算收入总计(?P<v>{_AMT})万元{_CHANGE}")),
    ("income_current", re.compile(rf"预算收入总计{_AMT}万元,其中:本年收入(?P<v>{_AMT})万元")),
    ("income_carryover", re.compile(rf"其中:本年收入{_AMT}万元,上年结转(?P<v>{_AMT})万元")),
    # "本年部门预算支出总计100,000.00万元,…,比上年增加…"
    ("expenditure_total", re.compile(rf"支出总计(?P<v>{_AMT})万元{_CHANGE}")),
    # 二、收入预算: "预算收入100,000.00万元,主要包括一般公共预算拨款收入96,073.56万元,占96.07%;…"
    ("income_item", re.compile(rf"预算收入(?P<base>{_AMT})万元,主要包括(?P<items>[^。]*)")),
    # 三、支出预算: "支出预算100000万元,其中:基本支出4794.54万元,占4.79%;项目支出…"
    ("expenditure_item", re.compile(rf"支出预算(?P<base>{_AMT})万元,其中:(?P<items>[^。]*)")),
    # 五、一般公共预算当年支出: "…当年支出96,073.56万元,比上年增加25448.72万元,增长36.03%"
    ("general_public_current", re.compile(rf"一般公共预算当年支出(?P<v>{_AMT})万元,比上年(?P<dir>增加|减少)(?P<d>{_AMT})万元,?(?:增长|下降)(?P<dp>\d+(?:\.\d+)?)%")),
    # "…当年支出96,073.56万元,主要用于以下方面:一般公共服务支出27,357.46万元,占28.48%;…"
    ("general_public_item", re.compile(rf"一般公共预算当年支出(?P<base>{_AMT})万元,主要用于以下方面:(?P<items>[^。]*)")),
    # 六、基本支出: "一般公共预算安排基本支出4,794.54万元,其中:" / "人员经费4,637.98万元" / "公用经费156.56万元"
    ("basic_total", re.compile(rf"一般公共预算安排基本支出(?P<v>{_AMT})万元")),
    ("basic_personnel", re.compile(rf"^-?人员经费(?P<v>{_AMT})万元")),
    ("basic_public_use", re.compile(rf"^-?公用经费(?P<v>{_AMT})万元")),
    # 七、三公经费: "财政拨款安排的“三公”经费预算40.50万元比2025年减少…"
    ("three_public_total", re.compile(rf"[“\"]?三公[”\"]?经费预算(?P<v>{_AMT})万元")),
    # 十、绩效管理: "纳入绩效目标管理的二级项目11个,共计金额3,000.00万元。其中:其他运转类项目11个,涉及金额…"
    ("performance_projects", re.compile(rf"纳入绩效目标管理的\S{{0,6}}?项目(?P<n>\d+)个,共计金额(?P<v>{_AMT})万元")),
    ("performance_part", re.compile(rf"共计金额{_AMT}万元。其中:(?P<items>[^。]*)")),
)
# The nine-table 编制说明 (上海): one subject of 财政拨款支出主要内容 with its amount,
# "1、公共安全支出(204类)司法(06款)行政运行(01项)1672.67万元" or "“一般公共服务支出(类)商贸事务(款)…(项)”938.99万元";
# codes in the brackets are optional. Matched against the compact (NFKC, no spaces) paragraph.
NARRATIVE_SUBJECT_ITEM = re.compile(
    rf"(?:^|[。;])(?:\d{{1,2}}[.、]|[(]\d{{1,2}}[)])?[“\"]?(?P<c>[^()“”\"。;,]+?)\((?P<cc>\d{{3}})?类\)"
    rf"(?P<k>[^()]+?)\((?P<kc>\d{{2}})?款\)(?P<x>[^()]+?)\((?P<xc>\d{{2}})?项\)[”\"]?(?P<v>{_AMT})万元")
# ... and the same subject against last year's outturn: "2025年当年预算执行数为1690.69万元,2026年预算安排1672.67万元,
# 比2025年预算执行数减少1.07%".
NARRATIVE_OUTTURN_CHANGE = re.compile(
    rf"当年预算执行数为(?P<prev>{_AMT})万元,\d{{4}}年预算安排(?P<cur>{_AMT})万元,比\d{{4}}年预算执行数"
    r"(?P<dir>增加|减少)(?P<dp>\d+(?:\.\d+)?)%")
# One share item inside ``items``: "一般公共预算拨款收入96,073.56万元,占96.07%" (占 optional).
NARRATIVE_ITEM = re.compile(rf"(?P<label>[^\d,;:、。%]+?)(?P<v>{_AMT})万元(?:,占(?P<p>\d+(?:\.\d+)?)%)?")
# One 绩效 part: "其他运转类项目2个,涉及金额1,295.00万元".
NARRATIVE_PART = re.compile(rf"(?P<label>[^\d,;:、。]+?项目)(?P<n>\d+)个,涉及(?:项目)?金额(?P<v>{_AMT})万元")
# Narrative income labels (二、收入预算) -> the 表1 income line they restate.
NARRATIVE_INCOME_LINES: dict[str, str] = {
    "一般公共预算拨款收入": "一般公共预算",
    "政府性基金预算拨款收入": "政府性基金预算",
    "国有资本经营预算拨款收入": "国有资本经营预算",
    "财政专户管理资金收入": "财政专户管理资金",
    "单位资金": "单位资金",
    "上年结转": "上年结转",
}
# Narrative expenditure labels (三、支出预算) -> the 表3 合计 column they restate.
NARRATIVE_EXPENDITURE_COLUMNS: dict[str, str] = {"基本支出": "basic", "项目支出": "project"}
# 表10 三公经费: "1公务用车购置费" / "2公务用车运行维护费" are parts of the row above them.
THREE_PUBLIC_SUBITEM = re.compile(r"^(?:\d|[(（]\d[)）])")
