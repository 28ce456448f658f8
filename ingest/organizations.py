"""Organization identity and hierarchy: one named, commented rule set.

An organization is known by its *key*, the printed name normalised by the rules
below, so the same department gets one IRI in every document and year however the
zone prefix is written (山西转型综合改革示范区 / 山西转型综改示范区 / 示范区 / none),
with full- or half-width characters and stray spaces.  ``ontology.iris.organization``
mints the IRI from :func:`organization_key` and nothing else.

The hierarchy (``org:subOrganizationOf``) comes from what is printed:

- the *name*: a zone prefix puts the organization in the zone; a sub-zone after the
  prefix (…晋中开发区经济运行与安全监管部) puts it in that sub-zone, which is in the zone;
- the *document*: a 管委会 that approves the department's budget (…管委会关于2025年部门
  预算的批复) or whose assignments the department carries out (承办管委会交办的其他工作)
  is its parent; a bare 管委会 is the one of the organization's own (sub-)zone.

>>> organization_key("山西转型综改示范区 行政审批局") == organization_key("示范区行政审批局")
True
>>> organization_key("山西转型综改示范区管委会")
'山西转型综合改革示范区管理委员会'
>>> [(c.key, p.key) for c, p in hierarchy("山西转型综合改革示范区晋中开发区经济运行与安全监管部")]
[('晋中开发区经济运行与安全监管部', '晋中开发区'), ('晋中开发区', '山西转型综合改革示范区')]
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# The zone every sample belongs to, in its full official form (the key of the zone itself).
ZONE = "山西转型综合改革示范区"
# Ways the zone prefix is printed, longest first (so 示范区 never eats part of a longer form).
# A name printed without any of them is taken to be in the same zone: the corpus is this zone's.
ZONE_PREFIXES = (
    "山西转型综合改革示范区",
    "山西转型综改示范区",
    "山西综改示范区",
    "转型综改示范区",
    "综改示范区",
    "示范区",
)
# Abbreviations written either way in names: 管委会 is short for 管理委员会.
ABBREVIATIONS = (("管委会", "管理委员会"),)
# Bodies of a (sub-)zone itself: their key keeps the zone in front (山西转型综合改革示范区管理委员会),
# a bare 管理委员会 would otherwise say nothing.
ZONE_BODIES = ("管理委员会", "党工委")
# A sub-zone named right after the prefix: 晋中开发区 / 太原开发区 … (each has its own 管委会).
SUB_ZONE = re.compile(r"^(?P<sub>[\u4e00-\u9fff]{2,3}开发区)(?P<rest>.+)$")
# A bracketed tail names the same body's other plates (政务服务中心(公共资源交易中心、大数据中心),
# 一个机构多块牌子) or was cut off by its cell ("…(山西转型综合改革示范区公共资源交易中"): not identity.
ALIAS_TAIL = re.compile(r"\([^()]*\)?$")
# Document: a 管委会 approving this department's budget (embedded 批复 in 绩效管理情况).
APPROVING_BODY = re.compile(r"^(?P<body>\S*?(?:管委会|管理委员会))\s*关于\s*\d{4}\s*年度?\s*部门预算的批复$")
# Document: duties "承办党工委、管委会交办的其他事项" — the department works for that 管委会.
ASSIGNING_BODY = re.compile(r"承办(?:[^，,。；;]*?、)?(?P<body>管委会|管理委员会)交办")

# Administrative divisions printed at the head of a name, outermost first (上海市普陀区司法局,
# 山西省太原市财政局, 广西壮族自治区防城港市…): a province-level division, then optionally a
# prefecture-level one, then optionally a county-level district or county.
REGION_PREFIX = re.compile(
    r"^(?P<province>北京市|天津市|上海市|重庆市|[\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,8}?自治区)"
    r"(?P<city>[\u4e00-\u9fff]{2,5}?(?:市|自治州|州|盟|地区)(?=[\u4e00-\u9fff]{2}))?"
    r"(?P<county>[\u4e00-\u9fff]{2,5}?(?:区|县|旗)(?=[\u4e00-\u9fff]{2}))?")
# Words ending in 区 that are not divisions (社区服务中心, 园区管理办公室 …): a match ending in one is no county.
NOT_A_COUNTY = ("社区", "园区", "小区", "街区", "景区", "片区", "城区", "辖区", "开发区", "示范区", "保税区", "功能区",
                "自贸区", "试验区", "实验区", "新城区")

# Roles of organizations the rules above name (the publishers' own kind is 部门 / 单位).
ROLE_REGION = "行政区"
ROLE_ZONE = "示范区"
ROLE_SUB_ZONE = "开发区"
ROLE_BODY = "管委会"


@dataclass(frozen=True, slots=True)
class OrgName:
    """A printed name taken apart by the rules."""

    printed: str
    prefix: str | None  # the zone prefix as printed, if any
    sub_zone: str | None  # 晋中开发区 …
    rest: str  # the name inside the (sub-)zone, abbreviations expanded, alias tail dropped
    key: str


@dataclass(frozen=True, slots=True)
class OrgRef:
    """An organization named by the rules: key, a label and its role (None for an ordinary body)."""

    key: str
    label: str
    role: str | None = None


def clean_name(text: str) -> str:
    """NFKC (全角 -> 半角), no whitespace: how a name is compared."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def expand_abbreviations(text: str) -> str:
    for short, full in ABBREVIATIONS:
        text = text.replace(short, full)
    return text


def parse_name(printed: str) -> OrgName:
    name = clean_name(printed)
    prefix = next((p for p in ZONE_PREFIXES if name.startswith(p)), None)
    rest = name[len(prefix):] if prefix else name
    rest = ALIAS_TAIL.sub("", rest) or rest
    rest = expand_abbreviations(rest)
    sub_zone = None
    match = SUB_ZONE.match(rest)
    if match:
        sub_zone = match.group("sub")
    if not rest:
        key = ZONE
    elif rest.startswith(ZONE_BODIES):
        key = ZONE + rest
    else:
        key = rest
    return OrgName(printed, prefix, sub_zone, rest, key)


def organization_key(printed: str) -> str:
    """The identity of an organization: its name without zone prefix variants, spacing,
    width differences, alias tail or abbreviations (see the module docstring)."""
    return parse_name(printed).key


def zone_ref() -> OrgRef:
    return OrgRef(ZONE, ZONE, ROLE_ZONE)


def sub_zone_ref(sub_zone: str) -> OrgRef:
    return OrgRef(sub_zone, ZONE + sub_zone, ROLE_SUB_ZONE)


def body_ref(printed_body: str, home: OrgRef) -> OrgRef:
    """The 管委会 a document names: printed with its zone, or bare (then it is ``home``'s)."""
    parsed = parse_name(printed_body)
    if parsed.prefix is None and parsed.rest in ZONE_BODIES:
        if home.role == ROLE_SUB_ZONE:
            return OrgRef(home.key + parsed.rest, home.label + clean_name(printed_body), ROLE_BODY)
        return OrgRef(ZONE + parsed.rest, ZONE + clean_name(printed_body), ROLE_BODY)
    return OrgRef(parsed.key, clean_name(printed_body), ROLE_BODY)


def regions(name: str) -> list[OrgRef]:
    """The administrative divisions a name starts with, outermost first:
    '上海市普陀区司法局' -> 上海市, 上海市普陀区. The name itself is never one of them.

    >>> [r.key for r in regions("上海市普陀区人民政府万里街道办事处")]
    ['上海市', '上海市普陀区']
    >>> [r.key for r in regions("上海市社区服务中心")]
    ['上海市']
    """
    match = REGION_PREFIX.match(name)
    if not match:
        return []
    out: list[OrgRef] = []
    prefix = ""
    for part in ("province", "city", "county"):
        text = match.group(part)
        if not text or (part == "county" and text.endswith(NOT_A_COUNTY)):
            continue
        prefix += text
        if prefix != name:
            out.append(OrgRef(prefix, prefix, ROLE_REGION))
    return out


def hierarchy(printed: str, bodies: Iterable[str] = ()) -> list[tuple[OrgRef, OrgRef]]:
    """(child, parent) edges from the organization up to the zone.

    ``bodies`` are the 管委会 the document names as approving or assigning this
    organization's work (see :func:`texts_to_parent_bodies`).
    """
    parsed = parse_name(printed)
    zone = zone_ref()
    if parsed.key == ZONE:
        return []
    # The places the name itself states, outermost first. A zone prefix, a zone body or
    # one of the zone's sub-zones says the organization is in the zone; any other bare
    # name (太原市财政局, an issuer of a cited document) may be anyone's.
    in_zone = parsed.prefix or parsed.rest.startswith(ZONE_BODIES) or parsed.sub_zone
    chain = [zone] if in_zone else []
    inner = parsed.rest
    if chain and parsed.sub_zone and parsed.sub_zone != parsed.rest:
        chain.append(sub_zone_ref(parsed.sub_zone))
        inner = parsed.rest[len(parsed.sub_zone):]
    role = None
    body = next((b for b in ZONE_BODIES if inner.startswith(b)), None)
    if chain and body:
        if inner == body:
            role = ROLE_BODY  # the (sub-)zone's own 管委会
        else:
            # An office of a 管委会 (…管理委员会办公室) is inside that 管委会.
            place = chain[-1]
            chain.append(OrgRef((place.key if place is not zone else ZONE) + body, place.label + body, ROLE_BODY))
    me = OrgRef(parsed.key, clean_name(printed), role)
    edges = [(inner_ref, outer) for outer, inner_ref in zip(chain, chain[1:], strict=False)]
    home = chain[-1] if chain else zone
    parents: dict[str, OrgRef] = {}
    # Bodies printed with their zone first: their label is the printed one.
    for printed_body in sorted(dict.fromkeys(bodies), key=lambda b: parse_name(b).prefix is None):
        parent = body_ref(printed_body, home)
        if parent.key != parsed.key:
            parents.setdefault(parent.key, parent)
    if not chain and not parents:
        # Outside the zone: the divisions the name starts with (上海市 → 普陀区 → 司法局).
        places = regions(parsed.key)
        if not places:
            return []
        return [(me, places[-1]), *zip(places[1:], places, strict=False)]
    if not parents:
        return [(me, home), *edges]
    out = [(me, parent) for parent in parents.values()]
    # A body of the organization's own (sub-)zone sits in it; any other body in the zone.
    out += [(parent, home if parent.key.startswith(home.key) else zone)
            for parent in parents.values() if parent.key != home.key]
    return out + edges


def texts_to_parent_bodies(texts: Iterable[str]) -> list[str]:
    """The 管委会 named by the document as approving the budget or assigning the work, as printed."""
    found: list[str] = []
    for text in texts:
        line = text.strip()
        match = APPROVING_BODY.match(line)
        if match:
            found.append(clean_name(match.group("body")))
            continue
        match = ASSIGNING_BODY.search(clean_name(line))
        if match:
            found.append(match.group("body"))
    return list(dict.fromkeys(found))
