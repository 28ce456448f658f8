"""Stage 2: find reference candidates in a cleaned text.

Three passes over the cleaned text, each masking what it took so later passes
cannot reach into it:

1. 《…》 spans (balanced, with nested 〈〉; a trailing unclosed 《 runs to the
   end of the cell) -> quoted titles, 《文号》, 《通知》-style back-references.
2. 文号 and meetings (outside quotes) -> numbered documents, partial 文号
   (code-less, or damaged: a bracket lost), meetings written with 号 / 次 /
   第N次 / 期, dated meetings, and meetings named by their topic
   (全国财政工作会议); a line break inside a 文号's code is read through.
3. the rest -> the body written in front of a 《title》, unquoted 关于…的通知
   titles, titles right after a 文号, bare names ending in 办法/条例/法,
   contracts, standard codes, back-references (上述文件); titles the text
   says are to be written (编制《…》) are marked as deliverables.

《》 around media (《山西日报》) and organizations give no candidate.

Candidates carry spans in *cleaned* coordinates; :mod:`.resolve` pairs them,
removes overlaps and maps them back to the original text.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from budgetkg.ontology.identity import doc_number

from . import patterns as P
from .clean import Cleaned
from .model import CONTRACT, LAW, MEETING, NUMBERED, REQUEST, TITLED

# word lists ordered longest first, for suffix matching
_KNOWN_CODES = tuple(sorted(P.KNOWN_ISSUER_CODES, key=len, reverse=True))
_KNOWN_LAWS = tuple(sorted(P.KNOWN_LAWS, key=len, reverse=True))


@dataclass(slots=True)
class Candidate:
    """A reference found in the cleaned text (spans in cleaned coordinates)."""

    kind: str
    start: int
    end: int
    doc_number: str | None = None
    issuer_code: str | None = None
    year: int | None = None
    serial: int | None = None
    title: str | None = None
    issuer_text: str | None = None
    meeting_body: str | None = None
    meeting_year: int | None = None
    meeting_number: int | None = None
    meeting_date: str | None = None
    partial: bool = False
    quoted: bool = False  # a 《title》 or 《文号》
    after_docno: bool = False  # an unquoted title glued to the end of a 文号
    back_noun: str | None = None  # set for back-references (上述文件 -> 文件)
    produces: bool = False  # a document the text says is to be written (编制《…》): a deliverable, not a citation
    meeting_session: int | None = None  # 届 of a meeting: 市政府九届12次常务会议 -> 9
    unit: str = "号"  # 号 or 次 for 文号-shaped candidates


# --- small helpers -------------------------------------------------------------


def names_body(s: str) -> bool:
    """True when ``s`` reads as an organisation name (市政府, 晋中市能源局, 商务部)."""
    return len(s) >= 2 and bool(P.BODY_SUFFIX.search(s)) and not P.NOT_BODY.search(s)


def printed(c: Cleaned, start: int, end: int) -> str:
    """Original text of a cleaned span with text-extraction spaces removed."""
    s = c.original_slice(start, end)
    s = P.CJK_LINE_BREAK.sub("", s)
    s = P.TITLE_EXTRACTION_SPACE.sub("", s)
    return P.WHITESPACE_RUN.sub(" ", s).strip()


def chinese_number(s: str) -> int | None:
    """``12`` / ``十二`` / ``二十三`` / ``一百零五`` -> int."""
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch in P.CHINESE_DIGITS:
            current = P.CHINESE_DIGITS[ch]
        elif ch in P.CHINESE_UNITS:
            total += (current or 1) * P.CHINESE_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def strip_leading(s: str, pattern: re.Pattern[str], min_rest: int = 1) -> int:
    """Offset past leading function words in ``s`` (keeping at least ``min_rest`` chars)."""
    m = pattern.match(s)
    if not m:
        return 0
    end = m.end()
    # back off whole words until enough is left
    while end > 0 and len(s) - end < min_rest:
        m2 = pattern.match(s[: end - 1])
        end = m2.end() if m2 else 0
    return end


def scan_left(text: str, pos: int, allowed: re.Pattern[str], limit: int = 60) -> int:
    """Start of the run of ``allowed`` characters ending at ``pos``."""
    start = pos
    while start > 0 and pos - start < limit and allowed.match(text[start - 1]):
        start -= 1
    return start


def scan_left_cjk(text: str, pos: int) -> int:
    """Start of the run (at most 40 CJK characters or capitals) ending at ``pos``: the 机关代字 in front of 〔YEAR〕.
    The run never reaches back into the end of another number (…〔20186号和(2014)10号: 号 after a digit)."""
    start = scan_left(text, pos, P.CODE_RUN_CHAR, limit=40)
    for i in range(pos - 1, start - 1, -1):
        if P.NUMBER_END.match(text, i) and i > 0 and text[i - 1].isdigit():
            return i + 1
    return start


def trim_body(run: str) -> int | None:
    """Offset in ``run`` where the body name it ends with begins, or None if it names no body."""
    off = 0
    m = P.BODY_RUN_CUT.match(run)
    if m:
        off = m.end()
    off += strip_leading(run[off:], P.BODY_LEADING, min_rest=2)
    body = run[off:]
    if not names_body(body):
        return None
    if len(body) > P.MAX_PLAIN_BODY_LEN:
        from .segment import body_start

        inner = body_start(body, names_body)
        if inner is None:
            return None
        off += inner
    return off


def split_code_run(run: str) -> tuple[int | None, int]:
    """Split the CJK run in front of a 〔YEAR〕 into (issuer body offset | None, code offset).

    ``市政府并政发`` -> (0, 3); ``根据晋政发`` -> (None, 2); ``晋中市能源局市能源节能`` -> (0, 6).
    """
    off = 0
    m = P.CODE_STOP_CHARS.match(run)
    if m and len(run) - m.end() >= 2:
        off = m.end()
    if strip_leading(run[off:], P.CODE_LEADING, min_rest=0) == len(run) - off:
        return None, len(run)  # only function words: 依据(2014)10号 has no code
    dt = P.CODE_AFTER_DOCTYPE.match(run, off)
    if dt:
        if len(run) - dt.end() < 2:
            return None, len(run)  # …的通知(2015)8号: a code-less number after a title
        off = dt.end()
        if strip_leading(run[off:], P.CODE_LEADING, min_rest=0) == len(run) - off:
            return None, len(run)
    off += strip_leading(run[off:], P.CODE_LEADING, min_rest=2)
    rest = run[off:]
    if rest in P.KNOWN_ISSUER_CODES:
        return None, off
    # a known code at the end, with a body (or nothing) in front: 市政府并政发
    for code in _KNOWN_CODES:
        if len(rest) > len(code) and rest.endswith(code):
            prefix = rest[: -len(code)]
            pre = strip_leading(prefix, P.BODY_LEADING, min_rest=0)
            body = prefix[pre:]
            if not body:
                return None, off + len(prefix)
            if names_body(body):
                return off + pre, off + len(prefix)
            for k in (1, 2):  # a body, then a code the registry knows a shorter form of: 县财政局县财预
                b = body[:-k]
                if len(b) >= 2 and names_body(b) and (b in P.COMMON_BODIES or P.PLACE_MARKER.search(b)):
                    return off + pre, off + pre + len(b)
            if len(body) >= 3:  # words, not part of a longer code: 按照要求做好工作晋政发
                return None, off + len(prefix)
            if len(body) == 2:  # a word the lists do not know, or a longer code (县财预)? ask jieba
                from .segment import strip_leading_tokens

                if strip_leading_tokens(body + code, min_rest=len(code)) == len(body):
                    return None, off + len(prefix)
    # a body with a place marker in front of an unknown code: 晋中市能源局市能源节能
    # (never inside a meeting name: 党工委会议纪要 is one code)
    for i in range(len(rest) - 2, 1, -1):
        body = rest[:i]
        if P.MEETING_CODE_END.search(rest[i:]) or rest[i] == "议" or P.CODE_FRAGMENT_START.match(rest[i:]):
            continue
        if names_body(body) and (body in P.COMMON_BODIES or (len(body) >= 4 and P.PLACE_MARKER.search(body))):
            return off, off + i
    # the code is an organization's name, kept whole: 山西省委办公厅(2023)41号, 中共晋中市委办公室〔2022〕5号
    if names_body(rest) and P.PLACE_MARKER.search(rest) and not P.MEETING_CODE_END.search(rest):
        inner = trim_body(rest)
        return None, off + (inner or 0)
    if len(rest) > P.MAX_PLAIN_CODE_LEN:
        from .segment import strip_leading_tokens

        cut = strip_leading_tokens(rest, max_rest=P.MAX_PLAIN_CODE_LEN)
        if cut:
            issuer, code_off = split_code_run(rest[cut:])
            return (None if issuer is None else off + cut + issuer), off + cut + code_off
    return None, off


def classify_title(q: str) -> str:
    """Kind of a quoted title from its (cleaned) text."""
    core = P.TITLE_TRAILING_PAREN.sub("", q)
    if P.STANDARD.match(core):
        return LAW
    if P.LAW_TITLE.search(core) and not P.NOT_LAW_END.search(core):
        return LAW
    if P.CONTRACT_TITLE_END.search(core):
        return CONTRACT
    if core.endswith("请示"):
        return REQUEST
    return TITLED


def _mask(text: str, spans: list[tuple[int, int]], ch: str) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            chars[i] = ch
    return "".join(chars)


# --- pass 1: quotes ------------------------------------------------------------


@dataclass(slots=True)
class Quote:
    start: int  # position of 《
    end: int  # one past 》 (or end of the truncated title)
    inner_start: int
    inner_end: int
    closed: bool


def find_quotes(t: str) -> list[Quote]:
    """Top-level 《…》 / 〈…〉 spans with nesting; an unclosed 《 is cut at the first stop."""
    quotes: list[Quote] = []
    i, n = 0, len(t)
    while i < n:
        if t[i] not in P.QUOTE_OPEN:
            i += 1
            continue
        depth, j = 0, i
        while j < n:
            if t[j] in P.QUOTE_OPEN:
                depth += 1
            elif t[j] in P.QUOTE_CLOSE:
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j < n:
            if P.CJK_CHAR.search(t, i + 1, j) is None:
                i += 1  # 〈2020〉 is a year bracket, not a title
                continue
            quotes.append(Quote(i, j + 1, i + 1, j, True))
            i = j + 1
            continue
        m = P.TRUNCATED_TITLE_STOP.search(t, i + 1)
        end = m.start() if m else n
        d = P.TRUNCATED_TITLE_DOCNO.search(t, i + 1, end)
        if d:
            end = d.start()
        inner_end = end
        while inner_end > i + 1 and t[inner_end - 1] in P.TRUNCATED_TITLE_TRIM:
            inner_end -= 1
        if inner_end - (i + 1) >= 2:
            quotes.append(Quote(i, inner_end, i + 1, inner_end, False))
        i = end
    return quotes


def _quote_candidate(c: Cleaned, q: Quote) -> Candidate | None:
    inner = c.text[q.inner_start : q.inner_end]
    if not inner.strip():
        return None
    m = P.DOC_NUMBER.search(inner)
    if m and m.end() == len(inner) and m.start() > 0 and scan_left(inner, m.start(), P.CJK_CHAR) == 0 \
            and m.group("unit") != "次":
        cand = docno_candidate(c, q.inner_start, q.inner_start + m.start(), m, base=q.inner_start)
        if cand is not None and not cand.partial:
            cand.start, cand.end, cand.quoted = q.start, q.end, True
            cand.issuer_text = None
            return cand
    if P.BACKREF_QUOTED.match(inner):
        return Candidate("backref", q.start, q.end, quoted=True, back_noun=inner)
    if not_a_document(inner) or P.MEDIA_AFTER.match(c.text, q.end):
        return None
    kind = classify_title(inner)
    title = printed(c, q.inner_start, q.inner_end)
    return Candidate(kind, q.start, q.end, title=title, issuer_text=_title_issuer(title), quoted=True)


def not_a_document(name: str) -> bool:
    """True for a 《》 name that is a medium (《山西日报》, 《学习强国》) or an organization (《中共XX工作委员会》)."""
    core = P.TITLE_TRAILING_PAREN.sub("", name).strip()
    if P.MEDIA_TITLE.search(core) or P.MEDIA_BAO.match(core):
        return True
    return names_body(core) and not P.ORG_TITLE_NOT.search(core)


def _title_issuer(title: str) -> str | None:
    """Issuer written inside a title: before 关于, else a body right before a yearless number."""
    m = P.TITLE_ISSUER.match(title)
    if m and len(m.group("body").strip()) >= 2:
        return m.group("body").strip()
    m = P.TITLE_ISSUER_NUMBER.match(title)
    if m and names_body(m.group("body").strip()):
        return m.group("body").strip()
    return None


# --- pass 2: 文号 and meetings --------------------------------------------------


def _meeting_body_from_code(code: str) -> str | None:
    body = code
    for tail in ("会议纪要", "纪要"):
        if body.endswith(tail):
            body = body[: -len(tail)] + ("会议" if tail == "会议纪要" else "")
            break
    if body in ("", "会议"):
        return None
    if body.endswith("会议") and names_body(body[:-2]):
        return body[:-2]
    return body


def docno_candidate(
    c: Cleaned, run_start: int, run_end: int, m: re.Match[str], base: int = 0
) -> Candidate | None:
    """Candidate for a DOC_NUMBER match ``m`` (offsets relative to ``base``) with code run [run_start, run_end).

    The run may hold one line break (a PDF line wrap inside the code: 晋投\\n资规范); the code is read without it.
    """
    run = c.text[run_start:run_end]
    year, serial, unit = int(m.group("year")), int(m.group("serial")), m.group("unit")
    unit = "号" if unit == "號" else unit
    end = base + m.end()
    keep = [i for i, ch in enumerate(run) if ch != "\n"]
    joined = "".join(run[i] for i in keep)
    issuer_j, code_j = split_code_run(joined) if joined else (None, 0)
    issuer_off = None if issuer_j is None else (keep[issuer_j] if issuer_j < len(keep) else len(run))
    code_off = keep[code_j] if code_j < len(keep) else len(run)
    code = joined[code_j:]
    if code.endswith(P.CODE_WENJIAN_END) and names_body(code[: -len(P.CODE_WENJIAN_END)]):
        code = code[: -len(P.CODE_WENJIAN_END)]  # 晋中市发展和改革委员会文件(2020)15号
    if unit == "期" and not (m.group("tail") or P.MEETING_CODE_END.search(code)):
        return None
    if len(code) < 2:
        start = base + m.start()
        kind = MEETING if unit in "次期" or m.group("tail") else NUMBERED
        return Candidate(kind, start, end, year=year, serial=serial, partial=True, unit=unit,
                         meeting_year=year if kind == MEETING else None,
                         meeting_number=serial if kind == MEETING else None)
    start = run_start + (code_off if issuer_off is None else issuer_off)
    issuer_text = printed(c, run_start + issuer_off, run_start + code_off) if issuer_off is not None else None
    code_printed = code  # cleaned: NFKC, no whitespace; typos stay as printed
    cand = Candidate(NUMBERED, start, end, issuer_code=code_printed, year=year, serial=serial,
                     issuer_text=issuer_text, unit=unit)
    if unit == "号":
        cand.doc_number = doc_number(code_printed, year, serial)
    if unit in "次期" or m.group("tail") or P.MEETING_CODE_END.search(code):
        cand.kind = MEETING
        cand.meeting_body = _meeting_body_from_code(code_printed)
        cand.meeting_year, cand.meeting_number = year, serial
        cand.issuer_text = issuer_text or cand.meeting_body
    return cand


def _lead_date(d: re.Match[str]) -> str | None:
    """``2020-03`` / ``2020-03-06`` from a MEETING_LEAD_DATE match (None without a month)."""
    if not d.group("month"):
        return None
    date = f"{int(d.group('year')):04d}-{int(d.group('month')):02d}"
    return date + (f"-{int(d.group('day')):02d}" if d.group("day") else "")


def join_wrapped_code(mask: str, run_start: int, anchor: int, floor: int) -> int:
    """Start of a 机关代字 run that a PDF line break cut: 晋财\\n〔2009〕21号, 晋投\\n资规范（2022）2号.

    The line before is joined when the run on this line is empty or a short fragment that cannot start a
    code by itself (a known code or a province abbreviation starts a code: 部门预算\\n晋财预 stays 晋财预).
    """
    nl = run_start - 1
    if nl < floor or nl < 1 or mask[nl] != "\n" or not P.CJK_CHAR.match(mask[nl - 1]):
        return run_start
    here = mask[run_start:anchor]
    if here:
        if len(here) > P.MAX_CODE_LINE_FRAGMENT or here[0] in P.JIEBA_KEEP_SINGLE:
            return run_start
        if any(here.startswith(k) for k in _KNOWN_CODES):
            return run_start
    before = max(scan_left_cjk(mask, nl), floor)
    joined = mask[before:nl] + here
    _issuer, code_off = split_code_run(joined)
    if len(joined) - code_off < 2 or (not here and len(joined) - code_off > P.MAX_PLAIN_CODE_LEN):
        return run_start
    return before


def _damaged_candidate(c: Cleaned, mask: str, m: re.Match[str]) -> Candidate | None:
    """A 文号 with a bracket lost (晋政文〔20186号): partial, with the code, year and serial that could be read."""
    run_start = scan_left_cjk(mask, m.start())
    run = mask[run_start : m.start()]
    if not run:
        return None
    issuer_off, code_off = split_code_run(run)
    code = run[code_off:]
    if len(code) < 2 or P.MEETING_CODE_END.search(code):
        return None
    year = int(m.group("year") or m.group("year2"))
    serial = int(m.group("serial") or m.group("serial2"))
    start = run_start + (code_off if issuer_off is None else issuer_off)
    issuer_text = printed(c, run_start + issuer_off, run_start + code_off) if issuer_off is not None else None
    return Candidate(NUMBERED, start, m.end(), issuer_code=code, year=year, serial=serial, issuer_text=issuer_text,
                     partial=True)


def _meeting_run(run: str) -> tuple[int, int | None, str | None, str]:
    """Trim a run in front of a meeting anchor: (offset, year, date, body)."""
    off = 0
    m = P.BODY_RUN_CUT.match(run)
    if m:
        off = m.end()
    mc = P.MEETING_RUN_CUT.match(run, off)
    if mc and len(run) - mc.end() >= 2:
        off = mc.end()
    off += strip_leading(run[off:], P.BODY_LEADING, min_rest=0)
    rest = run[off:]
    # drop words before a year that are not a body: 批准于2025年党工委 -> 2025年党工委
    ym = P.RUN_YEAR.search(rest)
    if ym and ym.start() > 0 and not names_body(rest[: ym.start()]):
        off += ym.start()
        rest = run[off:]
    year: int | None = None
    date: str | None = None
    d = P.MEETING_LEAD_DATE.match(rest)
    body = rest
    if d:
        year = int(d.group("year"))
        date = _lead_date(d)
        body = rest[d.end() :]
    ty = P.MEETING_TAIL_YEAR.search(body)
    if ty:
        year = year or int(ty.group("year"))
        body = body[: ty.start()]
    if len(body) > P.MAX_PLAIN_BODY_LEN:
        from .segment import body_start

        inner = body_start(body, lambda s: bool(P.MEETING_BODY_OK.search(s)))
        if inner is None:
            return off, year, date, ""
        if not d:
            off += inner
        body = body[inner:]
    return off, year, date, body


def _meeting_paren_candidate(c: Cleaned, mask: str, m: re.Match[str]) -> Candidate | None:
    run_start = scan_left(mask, m.start(), P.MEETING_RUN_CHAR, limit=40)
    run = mask[run_start : m.start()] + m.group("word")
    off, _year, date, body = _meeting_run(run)
    if body.endswith("纪要"):  # 区长专题会议纪要（2023年第8期）
        body = _meeting_body_from_code(body) or ""
    elif body.endswith("会议") and names_body(body[:-2]):  # 党工委会议（2023年第5次） -> 党工委
        body = body[:-2]
    if not body:
        return None
    start = run_start + off
    lead = P.MEETING_LEAD_DATE.match(run[off:])
    body_start = start + (lead.end() if lead else 0)
    return Candidate(MEETING, start, m.end(), meeting_body=printed(c, body_start, body_start + len(body)),
                     meeting_year=int(m.group("year")), meeting_number=int(m.group("num")), meeting_date=date,
                     issuer_text=None, unit="次")


def _meeting_ordinal_candidates(c: Cleaned, mask: str, m: re.Match[str]) -> list[Candidate]:
    """第N次…会议, plus the ordinals listed in front of it that share its body: 党工委第3次、第5次会议."""
    typ, word, end = m.group("type") or "", m.group("word"), m.end()
    if word == "会":
        if not typ or P.NOT_MEETING_END.search(typ + word) or P.NOT_MEETING_NEXT.match(mask[end : end + 1]):
            return []
        if names_body(typ + word):  # 第5次管委会主任办公会议
            more = P.MEETING_NAME_CONTINUE.match(mask, end)
            if more:
                typ, word, end = typ + word + mask[end : more.end()].removesuffix("纪要"), "", more.end()
    number = chinese_number(m.group("num"))
    anchor = m.start()
    listed = P.MEETING_ORDINAL_LIST_BEFORE.search(mask, max(0, anchor - 40), anchor)
    if listed:
        anchor = listed.start()
    run_start = scan_left(mask, anchor, P.MEETING_RUN_CHAR, limit=40)
    run = mask[run_start:anchor]
    off, year, date, body = _meeting_run(run)
    rest = run[off:]
    date_len = _date_len(rest)
    if body and P.MEETING_BODY_OK.search(body):
        start = run_start + off
    elif date_len == len(rest) and date_len:
        body, start = "", run_start + off
    else:
        body, start, year, date = "", anchor, None, None
    if not body and year is None and typ in P.GENERIC_MEETING_TYPES:
        return []  # 召开第一次全体会议: no body, no year
    body_text: str | None
    if body:
        body_text = _printed_body(c, run_start, run, body)
    elif typ not in P.GENERIC_MEETING_TYPES:
        # 第1次党工委会议 -> 党工委; 第9次主任办公会议 -> 主任办公会议
        body_text = typ if names_body(typ) else (typ + word).removesuffix("纪要")
    else:
        body_text = None
    body_text, session = split_session(body_text)
    out = []
    if listed:  # the earlier ordinals: the first carries the body run, the others only 第N次
        for i, om in enumerate(P.MEETING_ORDINAL_ITEM.finditer(mask, listed.start(), listed.end())):
            out.append(Candidate(MEETING, start if i == 0 else om.start(), om.start() + len(om.group("item")),
                                 meeting_body=body_text, meeting_year=year,
                                 meeting_number=chinese_number(om.group("num")), meeting_date=date, unit="次",
                                 meeting_session=session))
        start = m.start()
    out.append(Candidate(MEETING, start, end, meeting_body=body_text, meeting_year=year, meeting_number=number,
                         meeting_date=date, unit="次", meeting_session=session))
    return out


def split_session(body: str | None) -> tuple[str | None, int | None]:
    """The session (届) of a meeting body: 市政府九届 -> (市政府, 9); 太原市第十五届人民代表大会 keeps its name, 15."""
    if not body:
        return body, None
    m = next(iter(reversed(list(P.MEETING_SESSION.finditer(body)))), None)
    if m is None:
        return body, None
    session = chinese_number(m.group("session"))
    if m.end() == len(body) and m.start() > 0:
        return body[: m.start()], session
    if m.start() == 0 and len(body) - m.end() >= 2:  # 十四届全国人大 -> 全国人大, 二届市人民政府 -> 市人民政府
        return body[m.end() :], session
    return body, session


def _named_meeting_candidate(c: Cleaned, mask: str, m: re.Match[str]) -> Candidate | None:
    """A meeting named by its topic, without a number: 全国财政工作会议, XX周边风貌整治专题会议纪要."""
    run_start = scan_left(mask, m.start(), P.MEETING_RUN_CHAR, limit=40)
    run = mask[run_start : m.start()]
    cut = P.NAMED_MEETING_CUT.match(run)
    off = cut.end() if cut else 0
    tw = P.NAMED_MEETING_TIME.match(run[off:])
    off += tw.end() if tw else 0
    off += strip_leading(run[off:], P.BODY_LEADING, min_rest=0)
    year = date = None
    topic_off = off
    d = P.MEETING_LEAD_DATE.match(run[off:])
    if d:
        year, date = int(d.group("year")), _lead_date(d)
        topic_off += d.end()
    tw = P.NAMED_MEETING_TIME.match(run[topic_off:])
    if tw:
        topic_off += tw.end()
        off = topic_off if not d else off
    topic = run[topic_off:]
    if not P.CJK_CHAR.search(topic) or len(topic) < 3 or P.GENERIC_MEETING_TOPIC.fullmatch(topic):
        return None
    shortest = P.MIN_NAMED_MINUTES_TOPIC if m.group("tail") else P.MIN_NAMED_MEETING_TOPIC
    if len(topic) < shortest and not P.NAMED_MEETING_SCOPE.match(topic):
        return None
    if names_body(topic):  # 区政府专题会议纪要: a body's meeting without number or date is a generic mention
        return None
    if P.NOT_MEETING_NEXT.match(mask[m.end() : m.end() + 1]) and not m.group("tail"):
        return None
    start = run_start + off
    name_start = run_start + topic_off
    name_end = m.end() - (len(m.group("tail")) if m.group("tail") else 0)
    return Candidate(MEETING, start, m.end(), meeting_body=printed(c, name_start, name_end), meeting_year=year,
                     meeting_date=date, unit="次")


def _meeting_issue_candidate(c: Cleaned, mask: str, m: re.Match[str]) -> Candidate | None:
    run_start = scan_left(mask, m.start(), P.CJK_CHAR, limit=40)
    run = mask[run_start : m.start()] + m.group("word")
    _issuer_off, code_off = split_code_run(run)
    code = run[code_off:]
    start = run_start + code_off
    return Candidate(MEETING, start, m.end(), meeting_body=_meeting_body_from_code(code),
                     meeting_year=int(m.group("year")), meeting_number=int(m.group("num")), unit="期")


def _meeting_issue_before_candidate(c: Cleaned, m: re.Match[str]) -> Candidate | None:
    """2023年第15期区长办公会议纪要: the issue number before the name."""
    body = _meeting_body_from_code(m.group("body") + m.group("word"))
    if not body or not P.MEETING_BODY_OK.search(body):
        return None
    return Candidate(MEETING, m.start(), m.end(), meeting_body=body, meeting_year=int(m.group("year")),
                     meeting_number=int(m.group("num")), unit="期")


def _meeting_dated_spoken_candidate(c: Cleaned, m: re.Match[str]) -> Candidate | None:
    """2023年6月12日区长专题会议: a meeting on a full date (the body right after the date)."""
    body = m.group("body")
    if P.BODY_LEADING.match(body) or "第" in body or "次" in body:
        return None  # 2023年6月12日召开党工委会议: an event; …第二次全体会议: an ordinal meeting
    date = f"{int(m.group('year')):04d}-{int(m.group('month')):02d}-{int(m.group('day')):02d}"
    name = body + m.group("word") if not names_body(body) else body
    return Candidate(MEETING, m.start(), m.end(), meeting_body=name, meeting_year=int(m.group("year")),
                     meeting_date=date, unit="次")


def _meeting_dated_candidate(c: Cleaned, mask: str, m: re.Match[str]) -> Candidate | None:
    body = m.group("body")
    cut = strip_leading(body, P.BODY_LEADING, min_rest=0)
    body = body[cut:]
    if body.endswith("会议"):
        body = body[:-2] if names_body(body[:-2]) else body
    if body and not P.MEETING_BODY_OK.search(body):
        return None
    start = m.start()
    if not body:  # the body may be written before the date: 党工委2023年5月会议纪要
        run_start = scan_left(mask, m.start(), P.CJK_CHAR, limit=20)
        run = mask[run_start : m.start()]
        off = strip_leading(run, P.BODY_LEADING, min_rest=0)
        if run[off:] and P.MEETING_BODY_OK.search(run[off:]):
            body, start = run[off:], run_start + off
    year, month = int(m.group("year")), int(m.group("month"))
    date = f"{year:04d}-{month:02d}" + (f"-{int(m.group('day')):02d}" if m.group("day") else "")
    body_text = None
    if body:
        body_text = _printed_body(c, start, mask[start : m.end()], body)
    return Candidate(MEETING, start, m.end(), meeting_body=body_text, meeting_year=year, meeting_date=date,
                     unit="次")


def _date_len(s: str) -> int:
    d = P.MEETING_LEAD_DATE.match(s)
    return d.end() if d else 0


def _printed_body(c: Cleaned, run_start: int, run: str, body: str) -> str:
    """Printed text of ``body``, which is a substring of ``run`` (prefer the last occurrence)."""
    idx = run.rfind(body)
    if idx < 0:
        return body
    return printed(c, run_start + idx, run_start + idx + len(body))


# --- pass 3: titles, laws, contracts, back-references ---------------------------------


def _outer_body(c: Cleaned, mask: str, cand: Candidate) -> None:
    """Attach a body written in front of a 《title》: 晋中市能源局转发《…》."""
    run_start = scan_left(mask, cand.start, P.CJK_CHAR, limit=60)
    run = mask[run_start : cand.start]
    if not run:
        return
    v = P.BODY_VERB_END.search(run)
    body_run = run[: v.start()] if v else run
    if not body_run:
        return
    off = trim_body(body_run)
    if off is None:
        return
    body = body_run[off:]
    if not names_body(body):
        return
    start = run_start + off
    # more bodies listed in front with 、: 中共中央办公厅、国务院办公厅印发《…》
    while start >= 2 and mask[start - 1] == "、":
        prev_start = scan_left(mask, start - 1, P.CJK_CHAR, limit=30)
        prev_run = mask[prev_start : start - 1]
        poff = trim_body(prev_run) if prev_run else None
        if poff is None or not names_body(prev_run[poff:]):
            break
        start = prev_start + poff
    cand.issuer_text = printed(c, start, run_start + off + len(body))
    cand.start = start


def _about_titles(c: Cleaned, mask: str) -> list[Candidate]:
    out = []
    for m in P.ABOUT_TITLE.finditer(mask):
        start, end = m.start(), m.end()
        if P.ABOUT_AFTER_NAME.search(mask, 0, start):
            continue
        while True:
            ext = P.ABOUT_TITLE_EXTEND.match(mask, end)
            if not ext:
                break
            end = ext.end()
        doctype_request = m.group("doctype").startswith("请示") and not mask.startswith("报", end)
        issuer = None
        run_start = scan_left(mask, start, P.CJK_CHAR, limit=60)
        run = mask[run_start:start]
        if run:
            off = trim_body(run)
            if off is not None:
                issuer = printed(c, run_start + off, start)
                start = run_start + off
        after = start > 0 and mask[start - 1] == P.DOCNO_MASK
        out.append(Candidate(REQUEST if doctype_request else TITLED, start, end, title=printed(c, start, end),
                             issuer_text=issuer, after_docno=after))
    return out


def _after_docno_titles(c: Cleaned, mask: str, docnos: list[Candidate]) -> list[Candidate]:
    out = []
    for d in docnos:
        if d.kind != NUMBERED or d.partial or d.quoted:
            continue
        pos = d.end
        while pos < len(mask) and mask[pos] in "\n#":
            pos += 1
        m = P.AFTER_DOCNO_TITLE.match(mask, pos)
        if not m:
            continue
        name = m.group(0)
        if len(name) < 4 or P.BODY_LEADING.match(name) or P.CODE_LEADING.match(name):
            continue
        if P.AFTER_DOCNO_BAD_START.match(name) or ("的" in name and "关于" not in name):
            continue
        kind = classify_title(name)
        if kind == CONTRACT:
            continue
        title = printed(c, m.start(), m.end())
        out.append(Candidate(kind, m.start(), m.end(), title=title, issuer_text=_title_issuer(title),
                             after_docno=True))
    return out


def _item(mask: str, suffix_start: int, suffix_end: int) -> tuple[int, str, bool]:
    """The list item ending at a suffix: (start, text, whether leading words were cut)."""
    start = scan_left(mask, suffix_start, P.ITEM_CHAR, limit=60)
    lm = P.LIST_MARKER.match(mask[start:suffix_end])
    if lm:
        start += lm.end()
    cut = strip_leading(mask[start:suffix_end], P.BODY_LEADING, min_rest=2)
    return start + cut, mask[start + cut : suffix_end], cut > 0


def _bare_names(c: Cleaned, mask: str) -> list[Candidate]:
    out = []
    for m in P.BARE_NAME_SUFFIX.finditer(mask):
        if not P.BARE_NAME_RIGHT.match(mask[m.end() : m.end() + 4]):
            continue
        start, name, cut = _item(mask, m.start(), m.end())
        sp = P.TITLE_SPLIT.match(name)
        if sp and len(name) - sp.end() >= 3:
            start += sp.end()
            name = name[sp.end() :]
            cut = True
        if start > 0 and mask[start - 1] == P.DOCNO_MASK:
            continue  # handled as a title after a 文号
        suffix = m.group(0)
        if suffix == "法":
            known = next((k for k in _KNOWN_LAWS if name.endswith(k)), None)
            if name.startswith(P.STATE_LAW_PREFIX) and len(name) > len(P.STATE_LAW_PREFIX) + 1:
                pass
            elif known and name != known and not (len(name) >= 4 and not cut and _bounded_right(mask, m.end())):
                start += len(name) - len(known)
                name = known
            elif not known and (cut or len(name) < 4 or not _bounded_right(mask, m.end())):
                continue
            if P.NOT_LAW_END.search(name):
                continue
            out.append(Candidate(LAW, start, m.end(), title=printed(c, start, m.end())))
        elif suffix == "条例":
            if len(name) < 4 or P.GENERIC_NAME_HEAD.match(name):
                continue
            out.append(Candidate(LAW, start, m.end(), title=printed(c, start, m.end())))
        else:
            if len(name) >= 8 and not P.NAME_START.match(name):
                from .segment import strip_leading_tokens  # 认真组织实施山西省…办法

                cut2 = strip_leading_tokens(name, min_rest=6)
                start, name = start + cut2, name[cut2:]
            if len(name) < 6 or P.GENERIC_NAME_HEAD.match(name):
                continue
            if not (P.SPECIFIC_MARKER.search(name) or len(name) >= 10):
                continue
            title = printed(c, start, m.end())
            out.append(Candidate(TITLED, start, m.end(), title=title, issuer_text=_title_issuer(title)))
    return out


def _bounded_right(mask: str, pos: int) -> bool:
    return pos >= len(mask) or not P.CJK_CHAR.match(mask[pos])


def _contracts(c: Cleaned, mask: str) -> list[Candidate]:
    out = []
    for m in P.CONTRACT_SUFFIX.finditer(mask):
        if P.CONTRACT_RIGHT_GENERIC.match(mask[m.end() : m.end() + 4]):
            continue
        start, item, _cut = _item(mask, m.start(), m.end())
        signed = P.SIGNED_CONTRACT.search(item)
        if signed:
            name = signed.group("name")
            if "签订的" in name:
                name = name[name.rindex("签订的") + 3 :]
            head = name[: -len(m.group(0))]
            if len(head) < 2 or P.GENERIC_CONTRACT_HEAD.search(head):
                continue
            if item.startswith("与"):
                start += 1
            out.append(Candidate(CONTRACT, start, m.end(), title=printed(c, m.end() - len(name), m.end())))
            continue
        sp = P.CONTRACT_SPLIT.match(item[: -len(m.group(0))])
        if sp:
            start += sp.end()
            item = item[sp.end() :]
        dm = P.CONTRACT_OF.match(item)
        if dm:
            start += dm.end()
            item = item[dm.end() :]
        cut = strip_leading(item, P.BODY_LEADING, min_rest=2)
        start += cut
        item = item[cut:]
        if len(item) - len(m.group(0)) >= P.MIN_JIEBA_CONTRACT_HEAD:
            from .segment import strip_leading_verbs  # a verb the word lists do not know: 拨付入区协议

            cut = strip_leading_verbs(item, min_rest=len(m.group(0)) + 2)
            start += cut
            item = item[cut:]
        head = item[: -len(m.group(0))]
        if len(head) < 2 or P.GENERIC_CONTRACT_HEAD.search(head):
            continue
        out.append(Candidate(CONTRACT, start, m.end(), title=printed(c, start, m.end())))
    return out


def _standards(c: Cleaned, mask: str) -> list[Candidate]:
    return [Candidate(LAW, m.start(), m.end(), title=c.original_slice(m.start(), m.end()).strip())
            for m in P.STANDARD.finditer(mask)]


def _backrefs(mask: str) -> list[Candidate]:
    return [Candidate("backref", m.start(), m.end(), back_noun=m.group("noun")) for m in P.BACKREF.finditer(mask)]


# --- driver ---------------------------------------------------------------------


def find_candidates(c: Cleaned) -> list[Candidate]:
    """All candidates of the three passes, unsorted, possibly overlapping."""
    t = c.text
    quotes = find_quotes(t)
    mask = _mask(t, [(q.start, q.end) for q in quotes], P.QUOTE_MASK)
    cands: list[Candidate] = []
    quoted: list[Candidate] = []
    for q in quotes:
        qc = _quote_candidate(c, q)
        if qc is not None:
            quoted.append(qc)

    # pass 2: meetings with the number in brackets, 文号, ordinal meetings
    docnos: list[Candidate] = []
    for m in P.MEETING_PAREN.finditer(mask):
        mc = _meeting_paren_candidate(c, mask, m)
        if mc is not None:
            docnos.append(mc)
    mask = _mask(mask, [(d.start, d.end) for d in docnos], P.DOCNO_MASK)
    found = []
    for m in P.MEETING_ISSUE.finditer(mask):
        mc = _meeting_issue_candidate(c, mask, m)
        if mc is not None:
            found.append(mc)
    mask = _mask(mask, [(d.start, d.end) for d in found], P.DOCNO_MASK)
    prev_end = 0
    for m in P.DOC_NUMBER.finditer(mask):
        run_start = max(scan_left_cjk(mask, m.start()), prev_end)
        run_start = join_wrapped_code(mask, run_start, m.start(), prev_end)
        prev_end = m.end()
        dc = docno_candidate(c, run_start, m.start(), m)
        if dc is None:
            continue
        found.append(dc)
        # 晋财预〔2023〕12号、13号: later serials share the code and year
        pos = dc.end
        while dc.doc_number and dc.issuer_code and (sm := P.SHARED_SERIAL.match(mask, pos)) is not None:
            serial = int(sm.group("serial"))
            found.append(dataclasses.replace(dc, start=sm.start("serial"), end=sm.end(), serial=serial,
                                             doc_number=doc_number(dc.issuer_code, dc.year or 0, serial),
                                             issuer_text=None if dc.kind == NUMBERED else dc.issuer_text))
            pos = sm.end()
    docnos += found
    mask = _mask(mask, [(d.start, d.end) for d in found], P.DOCNO_MASK)
    found = [dc for m in P.DAMAGED_DOC_NUMBER.finditer(mask) if (dc := _damaged_candidate(c, mask, m)) is not None]
    docnos += found
    mask = _mask(mask, [(d.start, d.end) for d in found], P.DOCNO_MASK)
    found = [mc for m in P.MEETING_ISSUE_BEFORE.finditer(mask)
             if (mc := _meeting_issue_before_candidate(c, m)) is not None]
    docnos += found
    mask = _mask(mask, [(d.start, d.end) for d in found], P.DOCNO_MASK)
    found = [mc for m in P.MEETING_DATED.finditer(mask) if (mc := _meeting_dated_candidate(c, mask, m)) is not None]
    found += [mc for m in P.MEETING_DATED_SPOKEN.finditer(_mask(mask, [(d.start, d.end) for d in found], P.DOCNO_MASK))
              if (mc := _meeting_dated_spoken_candidate(c, m)) is not None]
    docnos += found
    mask = _mask(mask, [(d.start, d.end) for d in found], P.DOCNO_MASK)
    # one at a time, so the body of the next meeting cannot run into this one
    pos = 0
    while (m := P.MEETING_ORDINAL.search(mask, pos)) is not None:
        pos = m.end()
        found = _meeting_ordinal_candidates(c, mask, m)
        docnos += found
        mask = _mask(mask, [(mc.start, mc.end) for mc in found], P.DOCNO_MASK)
    # meetings named by their topic, without a number (after the numbered ones took theirs)
    found = [mc for m in P.NAMED_MEETING.finditer(mask) if (mc := _named_meeting_candidate(c, mask, m)) is not None]
    docnos += found
    mask = _mask(mask, [(d.start, d.end) for d in found], P.DOCNO_MASK)

    # pass 3
    for qc in quoted:
        if qc.kind != "backref" and qc.doc_number is None:
            _outer_body(c, mask, qc)
    cands += quoted + docnos
    cands += _about_titles(c, mask)
    cands += _after_docno_titles(c, mask, docnos)
    cands += _bare_names(c, mask)
    cands += _contracts(c, mask)
    cands += _standards(c, mask)
    cands += _backrefs(mask)
    for x in cands:
        if x.kind not in (TITLED, LAW, REQUEST) or x.doc_number is not None or x.partial:
            continue
        before = t[max(0, x.start - 8) : x.start]
        if P.DELIVERABLE_BEFORE.search(before) or (
                P.DELIVERABLE_AROUND_BEFORE.search(before) and P.DELIVERABLE_AROUND_AFTER.match(t, x.end)):
            x.produces = True
    return cands
