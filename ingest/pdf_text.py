"""Small pure text helpers for the PDF reader: character normalisation, how
wrapped lines are joined, and which lines are page furniture.

Everything here works on plain strings so it can be tested without a PDF.
"""
from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement (U+2E80-U+2EFF) -> the unified ideograph it looks like.
# PDF text layers made from some CJK fonts map glyphs to these radical code
# points (部⻔ for 部门). NFKC folds the Kangxi Radicals block (U+2F00-U+2FDF) but
# not this one, except U+2E9F and U+2EF3. Source: Unicode's
# EquivalentUnifiedIdeograph.txt (U+2E81-U+2EF3; U+2E80 and U+2E9A have no
# equivalent). Note ⻔ (gate) is U+2ED4; U+2EE8 is ⻨ (wheat, 麦).
RADICAL_SUPPLEMENT_EQUIVALENTS: dict[int, int] = {
    0x2E81: 0x5382, 0x2E82: 0x4E5B, 0x2E83: 0x4E5A, 0x2E84: 0x4E59,
    0x2E85: 0x4EBB, 0x2E86: 0x5182, 0x2E87: 0x20628, 0x2E88: 0x5200,
    0x2E89: 0x5202, 0x2E8A: 0x535C, 0x2E8B: 0x353E, 0x2E8C: 0x5C0F,
    0x2E8D: 0x5C0F, 0x2E8E: 0x5140, 0x2E8F: 0x5C23, 0x2E90: 0x5C22,
    0x2E91: 0x21BC2, 0x2E92: 0x5DF3, 0x2E93: 0x5E7A, 0x2E94: 0x5F51,
    0x2E95: 0x5F50, 0x2E96: 0x5FC4, 0x2E97: 0x5FC3, 0x2E98: 0x624C,
    0x2E99: 0x6535, 0x2E9B: 0x65E1, 0x2E9C: 0x65E5, 0x2E9D: 0x6708,
    0x2E9E: 0x6B7A, 0x2E9F: 0x6BCD, 0x2EA0: 0x6C11, 0x2EA1: 0x6C35,
    0x2EA2: 0x6C3A, 0x2EA3: 0x706C, 0x2EA4: 0x722B, 0x2EA5: 0x722B,
    0x2EA6: 0x4E2C, 0x2EA7: 0x725B, 0x2EA8: 0x72AD, 0x2EA9: 0x738B,
    0x2EAA: 0x24D14, 0x2EAB: 0x76EE, 0x2EAC: 0x793A, 0x2EAD: 0x793B,
    0x2EAE: 0x25AD7, 0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F, 0x2EB1: 0x7F53,
    0x2EB2: 0x7F52, 0x2EB3: 0x34C1, 0x2EB4: 0x5197, 0x2EB5: 0x2626B,
    0x2EB6: 0x7F8A, 0x2EB7: 0x2634C, 0x2EB8: 0x2634B, 0x2EB9: 0x8002,
    0x2EBA: 0x8080, 0x2EBB: 0x807F, 0x2EBC: 0x8089, 0x2EBD: 0x26951,
    0x2EBE: 0x8279, 0x2EBF: 0x8279, 0x2EC0: 0x8279, 0x2EC1: 0x864E,
    0x2EC2: 0x8864, 0x2EC3: 0x8980, 0x2EC4: 0x897F, 0x2EC5: 0x89C1,
    0x2EC6: 0x89D2, 0x2EC7: 0x278B2, 0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D,
    0x2ECA: 0x27FB7, 0x2ECB: 0x8F66, 0x2ECC: 0x8FB6, 0x2ECD: 0x8FB6,
    0x2ECE: 0x8FB6, 0x2ECF: 0x9091, 0x2ED0: 0x9485, 0x2ED1: 0x9577,
    0x2ED2: 0x9578, 0x2ED3: 0x957F, 0x2ED4: 0x95E8, 0x2ED5: 0x28E0F,
    0x2ED6: 0x961D, 0x2ED7: 0x96E8, 0x2ED8: 0x9752, 0x2ED9: 0x97E6,
    0x2EDA: 0x9875, 0x2EDB: 0x98CE, 0x2EDC: 0x98DE, 0x2EDD: 0x98DF,
    0x2EDE: 0x2967F, 0x2EDF: 0x98E0, 0x2EE0: 0x9963, 0x2EE1: 0x29810,
    0x2EE2: 0x9A6C, 0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C,
    0x2EE6: 0x9E1F, 0x2EE7: 0x5364, 0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4,
    0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50, 0x2EED: 0x6B6F,
    0x2EEE: 0x9F7F, 0x2EEF: 0x7ADC, 0x2EF0: 0x9F99, 0x2EF1: 0x9F9C,
    0x2EF2: 0x4E80, 0x2EF3: 0x9F9F,
}
# Kangxi radicals whose NFKC form is the traditional character while the
# simplified-Chinese glyph they stand for in PDF text layers is another one
# (⼾ is drawn for 户, NFKC gives 戶).
KANGXI_SIMPLIFIED_OVERRIDES: dict[int, int] = {
    0x2F3E: 0x6237,  # ⼾ -> 户 (NFKC: 戶 U+6236)
    0x2FAD: 0x9752,  # ⾭ -> 青 (NFKC: 靑 U+9751)
    0x2FC8: 0x9EC4,  # ⿈ -> 黄 (NFKC: 黃 U+9EC3)
}
_RADICAL_TABLE = {
    k: chr(v) for k, v in (RADICAL_SUPPLEMENT_EQUIVALENTS | KANGXI_SIMPLIFIED_OVERRIDES).items()
}

# Watermark texts drawn across pages; a line made only of these is dropped.
WATERMARK_TEXTS: tuple[str, ...] = ("仅供内部审核",)

# A line that is nothing but a page number: "3", "- 3 -", "第3页", "第 3 页 共 55 页",
# "3/55", "Page 3", "Page 3 of 55".
PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—–－~]\s*\d{1,4}\s*[-—–－~]"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)

_WS_RE = re.compile(r"\s+")
_DIGITS_RE = re.compile(r"\d+")
# Characters after which a wrapped Latin line continues without a space.
_NO_SPACE_AFTER = "-/‐‑–—_"


def normalize_text(text: str) -> str:
    """Map radical code points to ideographs, NFKC-normalise, collapse whitespace.

    >>> normalize_text("部⻔ ⼈⺠ 财政专⼾")
    '部门 人民 财政专户'
    """
    text = unicodedata.normalize("NFKC", text.translate(_RADICAL_TABLE))
    return _WS_RE.sub(" ", text).strip()


def is_wide(ch: str) -> bool:
    """True for CJK ideographs, kana, hangul and full-width punctuation:
    characters between which a line break never stands for a space."""
    width = unicodedata.east_asian_width(ch)
    # Ambiguous-width punctuation (“” … ① ≤) counts as wide; ambiguous Latin-1
    # letters (é) do not.
    return width in ("W", "F") or (width == "A" and ord(ch) >= 0x2000)


def needs_space(left: str, right: str) -> bool:
    """Whether two pieces of text joined at a line break need a space between
    them: only between two narrow (Latin, digit) characters, not after a
    hyphen or slash, and not inside a number (a digit after a digit, a
    thousands separator or a decimal point).

    >>> needs_space("国有资本经营", "预算支出"), needs_space("public", "budget")
    (False, True)
    >>> needs_space("2,800,", "000"), needs_space("Page", "3")
    (False, True)
    """
    if not left or not right:
        return False
    a, b = left[-1], right[0]
    if a.isspace() or b.isspace():
        return False
    if is_wide(a) or is_wide(b):
        return False
    if b.isdigit() and (a.isdigit() or a in ",."):
        return False
    return a not in _NO_SPACE_AFTER


def join_wrapped(lines: list[str]) -> str:
    """Join the visual lines of one cell or paragraph into one string.

    >>> join_wrapped(["法律服", "务完成", "率"]), join_wrapped(["Page", "one 2,800,000"])
    ('法律服务完成率', 'Page one 2,800,000')
    """
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        out = out + " " + line if needs_space(out, line) else out + line
    return out


def is_page_number(text: str) -> bool:
    """A line that is only a page number.

    >>> is_page_number("- 12 -"), is_page_number("第 3 页 共 40 页"), is_page_number("201")
    (True, True, True)
    """
    return bool(PAGE_NUMBER_RE.match(text.strip()))


def is_watermark(text: str) -> bool:
    """A line made only of watermark text (possibly repeated).

    >>> is_watermark("仅供内部审核 仅供内部审核"), is_watermark("仅供内部审核的表")
    (True, False)
    """
    rest = _WS_RE.sub("", text)
    if not rest:
        return False
    for mark in WATERMARK_TEXTS:
        rest = rest.replace(mark, "")
    return not rest


def furniture_key(text: str) -> str:
    """The text of a header/footer line with its numbers masked, so that
    "2024年预算 第3页" and "2024年预算 第4页" compare equal."""
    return _DIGITS_RE.sub("#", _WS_RE.sub("", text))
