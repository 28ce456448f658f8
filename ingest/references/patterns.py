"""Every regular expression and word list used by the reference finder.

The patterns run on the *cleaned* text produced by :mod:`.clean` (NFKC, so
full-width digits and brackets are ASCII; no whitespace next to CJK text).
Pass 3 patterns run on a masked copy of it where 《…》 spans are replaced by
``QUOTE_MASK`` and 文号 / meeting spans by ``DOCNO_MASK``, so they can never
reach into what earlier passes already took.

Each entry carries a one-line comment naming the document shape it handles.
"""
from __future__ import annotations

import re

from .issuers import REGISTRY


def _words(s: str) -> list[str]:
    """Split a space-separated word list."""
    return s.split()


# --- character classes -------------------------------------------------------

# CJK ideographs (basic block + extension A) plus 〇, the building blocks of names.
CJK = "\u4e00-\u9fff\u3400-\u4dbf〇"
# placeholder for a 《…》 span in the masked text (pass 3 may span over it in 关于…的通知).
QUOTE_MASK = "\x01"
# placeholder for a 文号 / meeting span in the masked text (nothing may cross it).
DOCNO_MASK = "\x00"
# opening brackets around the year of a 文号: 〔2020〕 【2020】 [2020] (2020) 〈2020〉 〖2020〗.
YEAR_OPEN = "〔【\\[(〈〖"
# closing brackets around the year of a 文号 (any opening may pair with any closing).
YEAR_CLOSE = "〕】\\])〉〗"
# opening title quotes: 《title》 and a top-level 〈title〉.
QUOTE_OPEN = "《〈"
# closing title quotes.
QUOTE_CLOSE = "》〉"
# characters that end a truncated 《title (no closing 》) before the end of the cell.
TRUNCATED_TITLE_STOP = re.compile(r"[，,。；;！!？?\n]")
# a 文号 in brackets also ends a truncated 《title: 《关于…的通知（晋财预〔2023〕1号） (the 》 was never printed).
TRUNCATED_TITLE_DOCNO = re.compile(rf"\((?=[{CJK}]{{0,16}}[{YEAR_OPEN}](?:19|20)\d{{2}}[{YEAR_CLOSE}])")
# characters trimmed off the end of a truncated 《title: 《促进创新创业企业发展、 -> 促进创新创业企业发展.
TRUNCATED_TITLE_TRIM = "、.·(（【[〔<《〈:：\"“”'‘’"

# where a whole text is cut before the finder sees it (budgetkg refs): a tab (between table cells of a text
# extraction) or a blank line (between paragraphs).
TEXT_SEGMENT_BREAK = re.compile(r"\t|\r?\n[ \t\r]*\n")

# --- 文号 (document numbers) --------------------------------------------------

# 〔YEAR〕 + 第? serial + 号 after a 机关代字 (the CJK run in front of the match, found by scanning left, so a
# long run cannot make the search quadratic): 晋综示发（2020）49号, 市政府并政发【2012】2号, (2014)10号 (no run =
# partial), 主任办公会议【2019】8号会议纪要, 党工委【2023】15次会议纪要 (次 = meeting), 会议纪要〔2021〕第3期 (期).
DOC_NUMBER = re.compile(
    rf"[{YEAR_OPEN}](?P<year>(?:19|20)\d{{2}})[{YEAR_CLOSE}]"
    r"第?(?P<serial>\d{1,6})(?P<unit>[号號次期])"
    r"(?P<tail>会议纪要|纪要)?"
)
# a 文号 with one bracket lost (PDF text, typos): 晋政文〔20186号 (closing lost), 晋政文2018〕6号 (opening lost);
# reported as a partial reference with the code, year and serial that could be read.
DAMAGED_DOC_NUMBER = re.compile(
    rf"[{YEAR_OPEN}](?P<year>(?:19|20)\d{{2}})(?P<serial>\d{{1,4}})号"
    rf"|(?<=[{CJK}])(?P<year2>(?:19|20)\d{{2}})[{YEAR_CLOSE}]第?(?P<serial2>\d{{1,4}})号"
)
# longest fragment of a 机关代字 at the start of a line that is joined to the end of the line before it
# (a PDF line break inside the code: 晋投\n资规范（2022）2号).
MAX_CODE_LINE_FRAGMENT = 4
# whitespace holding a line break between two CJK characters: a PDF line wrap, dropped in printed titles / bodies.
CJK_LINE_BREAK = re.compile(rf"(?<=[{CJK}])\s*\n\s*(?=[{CJK}《》〈〉])")
# one character of a 机关代字 run scanned left of 〔YEAR〕: CJK, or a capital letter standing for a redacted or
# Latin part between CJK (晋市开X委会发[2023]5号, XX府办发〔2010〕12号).
CODE_RUN_CHAR = re.compile(rf"[{CJK}A-Z]")
# the end of a number printed before a 机关代字 run (…6号和(2014)10号): the run stops after it.
NUMBER_END = re.compile(r"[号號]")
# one CJK character: the runs scanned left of an anchor (机关代字, bodies).
CJK_CHAR = re.compile(rf"[{CJK}]")
# one character of a meeting body run, which may hold a date: 2025年党工委第四次会议.
MEETING_RUN_CHAR = re.compile(rf"[{CJK}\d]")
# one character of a list item (bare title, law, contract name): PPP项目合同, 2022年….
ITEM_CHAR = re.compile(rf"[{CJK}0-9A-Za-z]")
# whitespace runs collapsed to one space in printed titles and bodies.
WHITESPACE_RUN = re.compile(r"\s+")
# an earlier meeting and a conjunction in a meeting run: 区政府党组(扩大)会议和区政府十五届… -> 区政府十五届….
MEETING_RUN_CUT = re.compile(r".*(?:会议|纪要|会)(?:以及|和|及|与|、)")
# everything up to the last 的/了/、 in a body or meeting run (bodies never contain them): 印发的晋中市….
BODY_RUN_CUT = re.compile(r".*[的了、]")
# a year inside a meeting run; words before it that are no body are dropped: 批准于2025年党工委.
RUN_YEAR = re.compile(r"(?:19|20)\d{2}年")
# a title ending that makes a quoted title a contract: 《…合作共建协议》.
CONTRACT_TITLE_END = re.compile(r"(?:协议书|合同书|协议|合同)$")
# a conjunction in front of a bare title name: 《A》及其实施细则, …办法及山西省…办法.
TITLE_SPLIT = re.compile(r".*(?:以及|及)")
# a possessive in front of a contract name: 双方的租赁合同 -> 租赁合同.
CONTRACT_OF = re.compile(r".*的")
# codes in a run never contain these; cut the run after the last one (…印发的晋政发〔…〕).
# (和 inside an organization name does not cut: 晋中市发展和改革委员会, 人力资源和社会保障局, 住房和城乡建设局.)
CODE_STOP_CHARS = re.compile(r".*(?:[的了与或及在是、]|和(?!改革|社会保障|城乡建设|信息化|旅游|规划|计划生育|国有资产))")
# 文件 closing an organization name written as the code (发文机关标志): 晋中市发展和改革委员会文件(2020)15号.
CODE_WENJIAN_END = "文件"
# a title's document type in the run before 〔YEAR〕: the code starts after it (…的通知 榆府办发〔2010〕12号); with
# nothing after it the number has no code (关于做好预算编制的通知(2015)8号 is code-less, never code 通知).
CODE_AFTER_DOCTYPE = re.compile(
    r".*(?:通知|通报|意见|决定|批复|复函|请示|报告|办法|细则|方案|纲要|公告|通告|决议|规定|条例|精神|要求)"
)
# first characters of the rest of an organization name, never of a 机关代字: a run is not split in front of
# them (山西省委办公厅(2023)41号 is not 山西省委办 + 公厅, 晋市开建委会发 is not 晋市开建委 + 会发).
CODE_FRAGMENT_START = re.compile(r"^[会发字函复文号公厅办室局部委员组]")
# 机关代字 endings that make a numbered run a meeting: 会议纪要[2021]7号, 主任办公会议【2019】8号.
MEETING_CODE_END = re.compile(r"(?:会议纪要|纪要|会议|办公会|常务会|专题会|党工委会|党委会)$")
# a code this long is suspicious: let jieba cut leading words off (…通过晋政发 in long runs).
MAX_PLAIN_CODE_LEN = 7

# --- bodies (issuing organisations) ---------------------------------------

# endings of an organisation name: 市政府, 晋中市能源局, 示范区晋中开发区, 商务部, 党工委, 人民代表大会.
BODY_SUFFIX_WORDS = (
    "人民代表大会常务委员会|人民代表大会|代表大会|常务委员会|人民政府|管理委员会|委员会|办公厅|办公室"
    "|管委会|党工委|工委|党委|纪委|政府|综合办|局|厅|委|部|办|院|署|会|中心|开发区|示范区|园区"
    "|集团|公司|所|站|处|科|组|小组"
)
# a string ending in a body name.
BODY_SUFFIX = re.compile(rf"(?:{BODY_SUFFIX_WORDS})$")
# words that end like a body but are not one: 社会, 会议, 体会.
NOT_BODY = re.compile(r"(?:社会|机会|晚会|聚会|约会|体会|误会|会议|部门|内部|外部|全部|局部|本部)$")
# a short body written in front of a 文号 or 《title》 without a place name: 市政府并政发【2012】2号.
COMMON_BODIES = frozenset(
    _words(
        "市政府 区政府 县政府 省政府 管委会 党工委 市人民政府 省人民政府 县人民政府"
        " 区人民政府 国务院 财政部 财政厅 财政局 商务部 发改委 市发改委 省发改委"
    )
)
# place / level markers that make a longer prefix a body rather than part of a code: 晋中市能源局.
PLACE_MARKER = re.compile(r"[省市县区州盟旗镇乡]|国家|中央|国务院|中共|政府|委员会|管委会|党工委|示范区|开发区")
# verbs between an outside body and its 《title》: 晋中市能源局转发《…》, 晋中市委办…印发的《…》.
BODY_VERB_END = re.compile(
    r"(?:印发的|转发的|下发的|制定的|发布的|出台的|颁布的|联合印发|印发|转发|下发|制定|发布|出台|颁布|的)$"
)
# contract heads at least this long are checked by jieba for a leading verb the word lists miss (发放补贴入区协议).
MIN_JIEBA_CONTRACT_HEAD = 8
# longest body name we accept without asking jieba to trim it.
MAX_PLAIN_BODY_LEN = 16

# --- leading words -----------------------------------------------------------

# function words that may precede an issuer code (根据晋政发…, 及民管字…); safe for codes.
CODE_LEADING_WORDS = _words(
    "根据 依据 按照 依照 参照 遵照 对照 遵循 贯彻落实 贯彻 落实 执行 严格执行 严格按照 结合 以及"
    " 转发 印发 下发 文件 关于 详见 参见 按 依 据 及 和 与 或 暨"
)
# function words that may precede a body, meeting or title (为深入贯彻落实商务部关于…).
BODY_LEADING_WORDS = CODE_LEADING_WORDS + _words(
    "为了 为 现 已经 已 经过 并且 并 同时 严格 认真 切实 深入 全面 进一步 要 需要 需 须 应 由 对 将 把"
    " 在 于 从 向 通过 围绕 即 见 其中 包括 如 是 系 属 另 召开 出席 参加 提交 报请 报 经"
    " 实现 兑现 履行 签订 签署 遵守 依托 完成 按时 及时 拨付 支付 参考 年 月 日"
    " 主持 组织 举行 举办 审议 研究 听取 传达 学习 提请 列入 拟"
)


def _leading_re(words: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(set(words), key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})+")


# leading function words in front of an issuer code.
CODE_LEADING = _leading_re(CODE_LEADING_WORDS)
# leading function words in front of a body / meeting / title / contract name.
BODY_LEADING = _leading_re(BODY_LEADING_WORDS)
# a list marker glued to the front of an item: 1、 2. （3） 一、
LIST_MARKER = re.compile(r"^(?:\d{1,2}(?![\d年月日届次号版期个项批])|[一二三四五六七八九十]{1,3}(?=、))")

# known 机关代字 (jieba user dictionary, and a safe suffix split: 市政府并政发 -> 并政发): the issuer
# registry (data/issuers.csv) plus a few codes that name no single issuer (国令: 国务院令 is numbered without year).
KNOWN_ISSUER_CODES = frozenset(_words("国令")) | REGISTRY.codes
# organization names of the registry, added to jieba's dictionary so a body stays one token (晋中市能源局).
KNOWN_ISSUER_NAMES = REGISTRY.organizations

# --- titles --------------------------------------------------------------

# document-type endings of a 关于…的X title: 关于开展…考核的通知, …的批复, …的请示, …的指导意见.
DOCTYPES = (
    "通知|通报|意见|决定|批复|复函|函|请示|报告|规定|办法|细则|方案|规划|计划|纲要|公告|通告|答复|决议|指示"
    "|规则|标准|规范|条例|纪要"
)
# formal document types an unquoted 关于…的X title may end with (not 规定/要求: 国家关于差旅费的规定 is generic).
ABOUT_DOCTYPES = "请示报告|请示|通知|通报|意见|决定|批复|复函|函|报告|方案|规划|纲要|公告|通告|答复|决议|细则|办法"
# unquoted specific title: [body]关于…的通知 (may span a 《…》 placeholder, never a 文号 or sentence punctuation).
ABOUT_TITLE = re.compile(
    rf"关于[^{DOCNO_MASK}，,。；;：:！!？?\n]{{1,100}}?的(?:若干|实施|指导|补充|暂行|试行)?(?P<doctype>{ABOUT_DOCTYPES})"
    r"(?![书单表人者数件])"
)
# a law / document name right before 关于 makes it a provision, not a title: 《预算法》关于预算调整的规定.
ABOUT_AFTER_NAME = re.compile(rf"(?:法|条例|办法|规定|意见|通知|{QUOTE_MASK})$")
# a further 的<doctype> right after a 关于 title (关于印发…的意见的通知 is one title).
ABOUT_TITLE_EXTEND = re.compile(rf"的(?:若干|实施|指导|补充|暂行|试行)?(?:{ABOUT_DOCTYPES})(?![书单表人者数件])")
# issuer written in a title before 关于: 《山西省能源局关于印发…的通知》.
TITLE_ISSUER = re.compile(r"^(?P<body>.+?)\s*关于")
# issuer written in a title before a number without year: 《山西省委组织部晋发第一号…的通知》.
TITLE_ISSUER_NUMBER = re.compile(
    rf"^(?P<body>[{CJK}\s]{{1,18}}(?:{BODY_SUFFIX_WORDS}))(?=[{CJK}]{{0,4}}[发函字令]第?[\d一二三四五六七八九十百]+号)"
)
# unquoted title directly after a bare 文号: 并政发[2009]85号太原市突发事件应急管理暂行办法.
AFTER_DOCNO_TITLE = re.compile(
    rf"[{CJK}\d“”()〈〉]{{2,80}}?(?:{DOCTYPES})(?=$|[，,。；;：:、\n{DOCNO_MASK}{QUOTE_MASK}]|文件|要求|精神|等|执行)"
)
# gap allowed between a bare 文号 and the unquoted title that follows it (newline / markdown heading).
DOCNO_TITLE_GAP = re.compile(r"^[\s#]*$")
# gap 文 / 文件 between a 文号 and the 《title》 or 关于… title it numbers: 沪府规【2016】168号文关于同意…的批复.
DOCNO_WEN_TITLE_GAP = re.compile(r"^\s*文件?\s*$")
# gap allowed between a title and the 文号 that follows it: 《…》（市政办发[2018]7号）, 《…》文件(…).
TITLE_DOCNO_GAP = re.compile(r"^\s*(?:文件)?\s*\(?\s*$")
# words an unquoted title after a 文号 cannot start with: 晋政发〔2020〕1号要求的实施方案.
AFTER_DOCNO_BAD_START = re.compile(
    r"^(?:要求|精神|规定|文件|等|的|中|和|及|与|执行|有关|相关|提出|明确|下发|印发|转发|通知要求)"
)
# a serial listed after a full 文号, sharing its code and year: 晋财预〔2023〕12号、13号.
SHARED_SERIAL = re.compile(r"(?:[、,，]|和|及|与)第?(?P<serial>\d{1,6})号(?!\d)")
# separator between a full 文号 and a bare 〔YEAR〕N号 that shares its code: 会议纪要[2021]7号、【2021】18号.
SHARED_CODE_GAP = re.compile(r"^(?:[、,，/]|和|及|与|以及|或)$")
# closing parenthesis after a 文号 that followed a title.
DOCNO_CLOSE_PAREN = re.compile(r"^\s*\)")
# suffixes of an unquoted bare name that may be a specific title or law: …管理办法, 网络安全法, …条例.
BARE_NAME_SUFFIX = re.compile(r"办法|细则|条例|法")
# what may follow a bare name for it to be a whole item (…管理办法3、网络安全法4、…).
BARE_NAME_RIGHT = re.compile(
    rf"^(?:$|[^{CJK}]|等|和|及|与|文件|要求|规定|精神|相关|有关|执行|第|中|之|关于)"
)
# markers that make a bare 办法/细则 name specific: a place, a level or a year.
SPECIFIC_MARKER = re.compile(r"[省市县区]|国家|全国|中央|国务院|中华人民共和国|示范区|开发区|中国|\d{4}年")
# names that are never specific documents when unquoted: 财务管理办法, 相关办法.
GENERIC_NAME_HEAD = re.compile(r"^(?:相关|有关|各项|各类|上述|该|本|此|其|内部|单位|部门|财务|内控|管理|考核|实施)")
# quoted titles that are only a document-type word: 《通知》 — a back-reference.
BACKREF_QUOTED = re.compile(r"^(?:通知|文件|意见|办法|决定|规定|方案|批复|函|纪要|会议纪要|协议|合同|条例|请示|报告)$")
# anaphoric mentions of an earlier document: 上述文件, 该通知, 此办法.
BACKREF = re.compile(
    r"(?:上述|前述|上列|以上|该|此|本)(?P<noun>会议纪要|纪要|文件|通知|意见|办法|规定|批复|决定|方案|协议|合同|请示|条例|文(?![\u4e00-\u9fff]))"
)
# a 《》 name that is a newspaper, broadcast, magazine, website or app, not a policy document (dropped):
# 《山西日报》, 《学习强国》, 《晋中新闻联播》, 《求是》杂志, 《中国财经报》.
MEDIA_TITLE = re.compile(
    r"(?:日报|晚报|晨报|早报|商报|时报|周报|导报|画报|青年报|经济报|财经报|法治报|法制报|新闻联播|新闻|联播|学习强国|杂志|周刊|月刊"
    r"|半月刊|期刊|学报|电视台|广播电台|电台|广播|频道|客户端|公众号|微信公众号|视频号|抖音号|微博|网站|在线|头条|人民网|新华网"
    r"|新华社|求是|瞭望|年鉴)$"
    r"|^(?:人民日报|光明日报|经济日报|新华每日电讯|求是|学习强国|新闻联播|焦点访谈)"
)
# newspapers named …报 without a word list entry: 《晋中报》, but not 《…情况通报》 / 《…年报》 / 《…简报》 (documents).
MEDIA_BAO = re.compile(r"^[\u4e00-\u9fff]{1,6}(?<![通简公快汇申预情呈填举电年月季周海情])报$")
# words after 》 that make the quoted name a medium: 《榆次发布》微信公众号, 《求是》杂志, 《XX》栏目 (used with .match).
MEDIA_AFTER = re.compile(r"(?:微信公众号|公众号|客户端|APP|App|app|网站|杂志|报纸|栏目|专栏|频道|平台|节目|期刊|刊物)")
# a 《》 name that is an organization, not a document: 《中共XX工作委员会》 (names a body, no document-type ending).
ORG_TITLE_NOT = re.compile(rf"(?:{DOCTYPES}|章程|规程|守则|公约|指南|目录|清单|名录|预案|图|表|册|书)$|关于")
# the verb in front of a 《title》 the project is to write (its deliverable, not its basis): 编制《XX应急预案》,
# 修订《XX管理办法》, 起草完成《…》.
DELIVERABLE_BEFORE = re.compile(
    r"(?:编制|制定|制订|修订|修编|起草|编写|拟定|撰写|编印|研究制定|组织编制|牵头编制)(?:完成|好|出)?$"
)
# the same written around the title: 完成《XX规划》编制, 启动《XX预案》的修订工作 (按照《XX规划》编制预算 is a basis).
DELIVERABLE_AROUND_BEFORE = re.compile(r"(?:完成|开展|启动|做好|推进|负责)$")
# the noun after the title in DELIVERABLE_AROUND_BEFORE … 《title》 … (used with .match at the title end).
DELIVERABLE_AROUND_AFTER = re.compile(r"的?(?:编制|修订|修编|起草|编写)")
# characters dropped from a title for identity (normalise_title).
TITLE_IDENTITY_DROP = re.compile(r"[\s《》〈〉<>]")
# whitespace inside a printed title that came from text extraction (next to digits / Latin / 关于).
TITLE_EXTRACTION_SPACE = re.compile(r"\s+(?=[0-9A-Za-z]|关于)|(?<=[0-9A-Za-z])\s+|(?<=关于)\s+")

# --- laws and standards ------------------------------------------------------

# a title that names a law / regulation: 《预算法》, 《全国经济普查条例》, 《…法规》, …法典.
LAW_TITLE = re.compile(r"(?:法|条例|法规|法典)$")
# endings in 法 that are not laws: 办法 (titled_document), 方法, 工作法 (a method), 依法 …
NOT_LAW_END = re.compile(
    r"(?:办法|方法|做法|工作法|看法|说法|想法|用法|手法|写法|疗法|技法|章法|笔法|语法|句法|执法|立法|依法|合法|违法"
    r"|非法|守法|普法|变法|兵法|书法|佛法|魔法|戏法|效法|取法|司法|无法|设法|没法|有法)$"
)
# trailing parenthetical of a title ignored when deciding its kind: 《…法（2018修正）》.
TITLE_TRAILING_PAREN = re.compile(r"\([^()]*\)$")
# well-known laws that may appear unquoted and unbounded: 按网络安全法要求.
KNOWN_LAWS = frozenset(
    _words(
        "宪法 预算法 网络安全法 数据安全法 个人信息保护法 政府采购法 招标投标法 会计法 审计法 统计法 合同法 民法典"
        " 劳动法 劳动合同法 安全生产法 环境保护法 公务员法 土地管理法 城乡规划法 建筑法 消防法 突发事件应对法"
        " 行政许可法 行政处罚法 行政复议法 行政诉讼法 档案法 保守国家秘密法 保密法 税收征收管理法 企业所得税法"
        " 个人所得税法 反不正当竞争法 价格法 科学技术进步法 促进科技成果转化法 中小企业促进法 公司法 森林法 水法"
        " 大气污染防治法 水污染防治法 固体废物污染环境防治法 节约能源法 可再生能源法 电子签名法 广告法 食品安全法"
        " 药品管理法 传染病防治法 道路交通安全法 国有资产法 企业国有资产法 乡村振兴促进法 标准化法 计量法"
        " 产品质量法 清洁生产促进法 循环经济促进法 监察法 公职人员政务处分法 反食品浪费法 国家安全法 反恐怖主义法"
    )
)
# law names written with the state prefix: 中华人民共和国预算法.
STATE_LAW_PREFIX = "中华人民共和国"
# a standard code: GB/T 9704—2012, DB14/T 1234—2023, JGJ 59-2011.
STANDARD = re.compile(
    r"(?<![A-Za-z])(?:GB/[TZ]|GB|DB\d{2}/T|DB\d{2}|[A-Z]{2,4}/T|JGJ|CJJ|HJ|YY|WS)\s?\d{1,6}(?:\.\d{1,3})?"
    r"\s?[-—–－~]\s?(?:19|20)\d{2}"
)

# --- contracts ------------------------------------------------------------

# endings of a contract / agreement name: 房屋租赁协议, 餐厅管理服务合同, …协议书.
CONTRACT_SUFFIX = re.compile(r"(?:协议书|合同书|协议|合同)")
# words after 协议/合同 that make it a generic mention: 合同约定, 合同执行进度, 框架协议采购, 协议类.
CONTRACT_RIGHT_GENERIC = re.compile(
    r"^(?:约定|执行|进度|管理|金额|条款|采购|类|签订|履行|价款|价|范本|文本|备案|约束|期限|双方|内容|规定|制度|关系|纠纷|谈判|主体|法"
    r"|供货|转让|出让|存款|库存|工|制|条)"
)
# heads (name minus 协议/合同) that are not specific: 相关合同, 框架协议, 服务合同.
GENERIC_CONTRACT_HEAD = re.compile(
    r"^(?:相关|有关|上述|前述|该|本|此|各类|各项|所有|框架|服务|采购|劳动|购销|书面|正式|补充|合作|签订|原|新|的"
    r"|租赁|劳务|承包|委托|技术|咨询|施工|监理|设计|维修|维护|运维|借款|贷款)$"
    r"|相关|有关|框架$"
)
# conjunctions / verbs / an earlier contract in front of a contract name: 用网协议及用网维护协议,
# 与中标单位签订合同, 入区协议兑现给企业付房租为实现入区协议.
CONTRACT_SPLIT = re.compile(
    r".*(?:以及|及|和|与|或|签订|签署|订立|履行|执行|按照|根据|依据|实现|兑现|落实|为|协议书|合同书|协议|合同)"
)
# A与B签订的X合同: the contract named after 签订的 (title X合同, surface the whole phrase).
SIGNED_CONTRACT = re.compile(r"签订的(?P<name>.+)$")

# --- meetings ----------------------------------------------------------------

# ordinal meeting: [YEAR年][body]第N次[type]会议[纪要] — 2025年党工委第四次会议, 管委会2023年第12次专题会议,
# 太原市第十五届人民代表大会第五次会议.
# (第 may be left out right after a year, a session or 人大 / 政协: 2024年15次党工委会议纪要, 市政府九届12次常务会议,
# 十四届全国人大二次会议.)
MEETING_ORDINAL = re.compile(
    r"(?:第|(?<=[年届])|(?<=人大)|(?<=政协))(?P<num>\d{1,3}|[一二三四五六七八九十百零〇两]{1,5})次"
    rf"(?P<type>(?:(?![第次和及与或的])[{CJK}]){{0,10}}?)"
    r"(?P<word>会议|会)(?P<tail>纪要)?"
)
# ordinals listed in front of 第N次…会议 that share its body and year: 党工委2023年第12次、第15次会议.
MEETING_ORDINAL_LIST_BEFORE = re.compile(r"(?:第(?:\d{1,3}|[一二三四五六七八九十百零〇两]{1,5})次(?:[、,，和及与]|以及))+$")
# one listed ordinal (item = 第N次 without the separator).
MEETING_ORDINAL_ITEM = re.compile(r"(?P<item>第(?P<num>\d{1,3}|[一二三四五六七八九十百零〇两]{1,5})次)(?:[、,，和及与]|以及)")
# continuation of a meeting name after a body ending in 会: 第5次管委会主任办公会议.
MEETING_NAME_CONTINUE = re.compile(rf"(?:(?![第次和及与或的])[{CJK}]){{0,8}}?(?:会议|会)(?P<tail>纪要)?")
# words ending in 会 that are not meetings: 社会, 协会, 将会.
NOT_MEETING_END = re.compile(
    r"(?:社会|机会|体会|协会|学会|工会|都会|省会|宴会|舞会|晚会|约会|聚会|不会|将会|才会|就会|也会|只会|能会)$"
)
# characters after 会 that make it part of another word: 会员, 会计, 会展.
NOT_MEETING_NEXT = re.compile(r"^[员计展长同商谈见务所费场馆]")
# meeting types that do not name who meets: 第12次专题会议 (body stays None).
GENERIC_MEETING_TYPES = frozenset({"", "全体", "常务", "专题", "扩大", "联席", "工作", "全体扩大"})
# meeting minutes numbered by issue after the name (body run scanned left of the match): 党工委会议纪要2021年第3期.
# (also with 年 left out and 次 for 期: XX示范区党工委会议纪要2024第12次.)
MEETING_ISSUE = re.compile(r"(?P<word>会议纪要|纪要)(?P<year>(?:19|20)\d{2})年?第(?P<num>\d{1,4})[期次]")
# minutes numbered by issue before the name: 2023年第15期区长办公会议纪要.
MEETING_ISSUE_BEFORE = re.compile(
    rf"(?P<year>(?:19|20)\d{{2}})年第(?P<num>\d{{1,4}})期(?P<body>[{CJK}]{{1,16}}?)(?P<word>会议纪要|纪要)"
)
# a meeting on a full date, spoken of without 纪要: 2023年6月12日区长专题会议 (the body follows the date directly;
# 2023年5月召开党工委会议 is an event, not a citation).
MEETING_DATED_SPOKEN = re.compile(
    r"(?P<year>(?:19|20)\d{2})年(?P<month>\d{1,2})月(?P<day>\d{1,2})[日号]"
    rf"(?P<body>[{CJK}]{{2,12}}?(?:专题|办公|常务|全体|联席|党组|扩大|主任|常委|党工委|管委会|领导小组))(?P<word>会议|会)"
)
# dated minutes: [body]YYYY年M月[D日][body]会议纪要 — 2023年5月12日党工委会议纪要, 党工委2023年5月会议纪要.
MEETING_DATED = re.compile(
    r"(?P<year>(?:19|20)\d{2})年(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})[日号])?"
    rf"(?P<body>[{CJK}]{{0,12}}?)(?P<word>会议纪要|纪要)"
)
# a date / year at the front of a meeting body run: 2024年11月主任办公会, 2025年党工委.
MEETING_LEAD_DATE = re.compile(r"^(?P<year>(?:19|20)\d{2})年(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})[日号])?)?")
# a year at the end of a meeting body run: 管委会2023年第12次专题会议.
MEETING_TAIL_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})年$")
# meeting with the number in brackets after it (body run scanned left of the match): 2024年11月主任办公会(〔2024〕第9次).
# (also minutes numbered by issue in brackets: 区长专题会议纪要（2023年第8期）.)
MEETING_PAREN = re.compile(
    rf"(?P<word>会议纪要|纪要|会议|会)\((?:[{YEAR_OPEN}])?(?P<year>(?:19|20)\d{{2}})年?(?:[{YEAR_CLOSE}])?"
    r"第?(?P<num>\d{1,4})[次期]\)"
)
# endings that make a run before 第N次会议 a meeting body: 党工委, 人民代表大会, 管委会.
MEETING_BODY_OK = re.compile(
    r"届|(?:委员会|代表大会|常委会|党工委|党委|管委会|政府|办公会|会议|局|厅|委|部|办|院|组|会)$"
)
# the session (届) inside or at the end of a meeting body: 市政府九届 -> 市政府 + 9, 太原市第十五届人民代表大会 -> 15.
MEETING_SESSION = re.compile(r"第?(?P<session>\d{1,3}|[一二三四五六七八九十百]{1,4})届")
# named meeting without a number: [scope/topic] + type [纪要] — 全国财政工作会议, XX领域党建工作座谈会,
# XX周边风貌整治专题会议纪要 (the topic is the CJK run scanned left of the match).
NAMED_MEETING = re.compile(
    r"(?P<type>工作会议|座谈会|专题会议|专题会|联席会议|推进会议|推进会|现场会议|现场会|调度会议|调度会|动员大会|动员会"
    r"|部署会议|部署会|协调会议|协调会)(?P<tail>纪要)?"
)
# the last verb / preposition in the run before a named meeting; the topic starts after it: 每季度召开XX联席会议.
NAMED_MEETING_CUT = re.compile(
    r".*(?:召开|举行|举办|组织|参加|出席|主持|列席|通过|经过|以及|围绕|紧扣|聚焦|对标|贯彻|落实|传达|学习|领会|按照|根据|依据"
    r"|的|了|、|会议[和及与]|会[和及与])"
)
# time words in front of a named meeting's topic, not part of its name: 年初经济工作会议 -> 经济工作会议.
NAMED_MEETING_TIME = re.compile(r"^(?:年初|年中|年底|年末|今年|去年|明年|上半年|下半年|近期|近日|本年|当年|全年|每年|年度)+")
# topics that make a named meeting generic: 召开专题会议, 相关工作会议, 一次联席会议, 年度工作会议.
GENERIC_MEETING_TOPIC = re.compile(
    r"(?:相关|有关|各类|各项|各种|各级|本次|此次|该|上述|年度|季度|月度|每月|每季度|每年|日常|例行|工作|专题|全体|定期|不定期"
    r"|专门|多次|\d+次|[一二三四五六七八九十两]+次|部门|单位|内部|党组|班子|专家|项目|会议|召开|若干|有关方面|各方|业务)*"
)
# a scope that makes a short topic a specific meeting: 全国财政工作会议, 全市安全生产工作会议 (else the topic needs
# MIN_NAMED_MEETING_TOPIC characters: 企业座谈会 and 居民代表座谈会 are activities, not citable meetings).
NAMED_MEETING_SCOPE = re.compile(r"^(?:全国|全省|全市|全区|全县|全镇|全系统|全行业|中央|国务院|[省市区县](?:委|政府|人大))")
# shortest topic of a named meeting without a scope word: 机关事务领域党建工作座谈会 (minutes, …专题会议纪要, need
# MIN_NAMED_MINUTES_TOPIC: they are a document).
MIN_NAMED_MEETING_TOPIC = 8
# shortest topic of named minutes without a scope word: 龙城大街周边风貌整治专题会议纪要.
MIN_NAMED_MINUTES_TOPIC = 4
# Chinese numerals used in meeting ordinals.
CHINESE_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
# Chinese numeral units.
CHINESE_UNITS = {"十": 10, "百": 100}

# --- jieba -------------------------------------------------------------------

# part-of-speech tags of leading tokens jieba may cut off a long run (prepositions, conjunctions, adverbs, verbs).
JIEBA_STRIP_FLAGS = frozenset(_words("p c d ad u uj ul r i l v vn f m"))
# single-character tokens jieba may cut off too (为, 对, 和 …).
JIEBA_SINGLE_STRIP_FLAGS = frozenset(_words("p c d"))
# single characters that start issuer codes and must stay: 并 (太原, 并政发).
JIEBA_KEEP_SINGLE = frozenset(
    _words("并 晋 豫 冀 京 津 沪 渝 蒙 辽 吉 黑 苏 浙 皖 闽 赣 鲁 鄂 湘 粤 桂 琼 川 蜀 贵 黔 云 滇 藏 陕 甘 陇 青 宁")
)
# part-of-speech tags of a leading verb cut off a contract name when a noun follows (拨付入区协议).
JIEBA_VERB_FLAGS = frozenset(_words("v p c"))
# part-of-speech tags of place / organisation names, preferred as the start of a long body (…工作太原市财政局).
JIEBA_PLACE_FLAGS = frozenset(_words("ns nt"))
# a place marker near the start of a bare title: it starts with a name, no leading verb to cut (山西省…办法).
NAME_START = re.compile(r"^.{0,3}(?:[省市县区]|国家|全国|中华|中共|国务院)")
# part-of-speech tags that may start a body name.
JIEBA_BODY_FLAGS = frozenset(_words("n ns nt nz nr j"))

# --- embedded documents and relations between documents -----------------------------

# a paragraph that is only a 文号 (the 发文字号 line of an embedded document), maybe with 签发人: 晋综改委复〔2025〕4号.
EMBEDDED_DOCNO_LINE = re.compile(
    rf"^#*(?P<docno>[{CJK}]{{2,16}}[{YEAR_OPEN}](?:19|20)\d{{2}}[{YEAR_CLOSE}]第?\d{{1,6}}号)(?:签发人[:：].{{0,12}})?$"
)
# a heading above the 文号 naming the issuer (发文机关标志): 山西转型综改示范区管委会, 晋中市财政局文件.
EMBEDDED_ISSUER_HEADING = re.compile(rf"^#*(?P<body>[{CJK}()\s]{{2,40}}?)(?:文件)?$")
# a paragraph that can be the title of an embedded document: it ends with a document type.
EMBEDDED_TITLE_END = re.compile(rf"(?:{DOCTYPES})$")
# the longest title we accept (titles wrap over at most two paragraphs).
MAX_EMBEDDED_TITLE_LEN = 160
# the 成文日期 closing an embedded document: 2025年3月17日, 二〇二五年三月十七日.
EMBEDDED_DATE_LINE = re.compile(
    r"^(?P<year>(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年(?P<month>\d{1,2}|[一二三四五六七八九十]{1,2})月"
    r"(?P<day>\d{1,2}|[一二三四五六七八九十]{1,3})日$"
)
# the closing formula of the body: 此复。 特此通知。 特此批复。
EMBEDDED_CLOSING = re.compile(r"^(?:此复|特此(?:通知|批复|函复|函告|报告|公告|通告|决定))[。.]?$")
# paragraphs after the closing formula that still belong to the document (附件, signature, date, 此件…公开).
MAX_EMBEDDED_TAIL = 8
# a note under the date: (此件不予公开), （此件公开发布）.
EMBEDDED_NOTE = re.compile(r"^[(（]此件.{0,12}[)）]$")
# headings of the disclosure itself, which an embedded document never runs into: 第四部分 名词解释.
DISCLOSURE_PART_HEADING = re.compile(r"^#*第[一二三四五六七八九十]+部分")
# the longest embedded document we follow without a closing date (paragraphs).
MAX_EMBEDDED_PARAGRAPHS = 300
# characters that end a clause (the unit a relation word applies to), outside brackets.
CLAUSE_END = "，,。；;！!？?\n"
# brackets tracked while splitting clauses, so 《…，…》 and （…，…） stay whole.
CLAUSE_OPEN = "《〈(（【[〔"
# closing brackets for CLAUSE_OPEN.
CLAUSE_CLOSE = "》〉)）】]〕"
# forwarding: 现将《B》（…）转发给你们, 关于转发《B》的通知 -> the document forwards B.
FORWARD_WORDS = re.compile(r"转发")
# repealing: 《E》同时废止, 废止《E》, 停止执行, 不再执行 -> the document repeals E.
REPEAL_WORDS = re.compile(r"废止|停止执行|不再执行|同时失效|予以撤销")
# basis: 根据《C》和《D》有关规定, 按照《预算法》相关规定, 依据…精神 -> the document is based on C, D.
BASIS_WORDS = re.compile(r"根据|依据|按照|依照|遵照|贯彻落实|贯彻|落实|参照")
# a forwarded title inside a citation: 晋中市能源局转发《固定资产投资项目节能审查实施办法》（市能源节能[2023]16号）.
FORWARD_IN_CITATION = re.compile(r"转发(?:的)?[《〈]")
