"""Embedded policy documents and the relations between documents.

Disclosures reproduce whole policy documents (typically a 批复 under 其他说明, or a
forwarding notice with the notice it forwards), laid out as GB/T 9704 prints them,
one paragraph per line::

    山西转型综改示范区管委会                      <- issuer heading (optional)
    晋综改委复〔2025〕4号                          <- 文号 line: starts a document
    山西转型综改示范区管委会 关于 2025 年部门预算的批复   <- title (one or two paragraphs)
    各预算单位：                                  <- body …
    《…报告》已经…会议批准。现按照《预算法》相关规定予以批复 …
    此复。
    山西转型综改示范区管委会                      <- signature
    2025 年 3 月 17 日                             <- date: ends the document

:func:`find_embedded_documents` finds such documents in a list of paragraphs and,
for each, the documents it relates to, read from the wording of the clause a
reference sits in:

* ``forwards`` — 关于转发《B》的通知, 现将《B》转发给你们;
* ``repeals``  — 《E》同时废止, 停止执行;
* ``based_on`` — 根据《C》和《D》有关规定, 按照《预算法》相关规定;
* ``cites``    — any other reference.

A relation whose target is another document embedded in the same paragraphs points
to that document (so "A forwards 《B》" gets B's 文号 when B's full text follows).
:func:`forwarded_document` reads the one relation a single citation can state:
晋中市能源局转发《T》（市能源节能[2023]16号） — document 市能源节能〔2023〕16号 forwards 《T》.

>>> paras = ["晋财预〔2024〕12号", "山西省财政厅关于加强预算管理的通知", "各市财政局：",
...          "根据《中华人民共和国预算法》有关规定，现通知如下。《关于旧办法的通知》（晋财预〔2018〕3号）同时废止。",
...          "山西省财政厅", "2024年2月20日"]
>>> [(d.reference.doc_number, d.issuer, d.date) for d in find_embedded_documents(paras)]
[('晋财预〔2024〕12号', '山西省财政厅', '2024-02-20')]
>>> [(r.kind, r.target.doc_number or r.target.title) for r in find_embedded_documents(paras)[0].relations]
[('based_on', '中华人民共和国预算法'), ('repeals', '晋财预〔2018〕3号')]
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from . import patterns as P
from .clean import clean
from .find import find_candidates, find_quotes, names_body, printed
from .model import NUMBERED, Reference
from .resolve import identity, normalise_title, resolve

FORWARDS = "forwards"
BASED_ON = "based_on"
REPEALS = "repeals"
CITES = "cites"
# relation kinds, strongest first: a target named in several clauses keeps the strongest.
RELATIONS = (FORWARDS, REPEALS, BASED_ON, CITES)
_CHINESE_DATE_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                        "九": 9}


@dataclass(frozen=True, slots=True)
class Relation:
    """The embedded document ``kind``-relates to ``target`` (stated in paragraph ``paragraph``)."""

    kind: str  # forwards | repeals | based_on | cites
    target: Reference
    paragraph: int  # index into the paragraphs given to find_embedded_documents


@dataclass(frozen=True, slots=True)
class EmbeddedDocument:
    """A policy document reproduced in full, found in a list of paragraphs."""

    reference: Reference  # the document itself: 文号, title, issuer (span = its 文号 line)
    first: int  # first paragraph (issuer heading or 文号 line)
    last: int  # last paragraph (date line or note under it), inclusive
    number_paragraph: int  # the 文号 line
    title_paragraphs: tuple[int, ...]
    issuer: str | None  # issuer heading, else the body before 关于 in the title, else the signature
    date: str | None  # 成文日期 as YYYY-MM-DD
    relations: tuple[Relation, ...]


def _refs(text: str) -> list[Reference]:
    if not text or not text.strip():
        return []
    c = clean(text)
    return resolve(c, find_candidates(c), None, False)


def _flat(text: str) -> str:
    """Cleaned paragraph without markdown heading marks."""
    return clean(text).text.lstrip("#").strip()


def _printed_line(text: str) -> str:
    """A title / body line as printed, minus heading marks and text-extraction spaces."""
    c = clean(text)
    start = len(c.text) - len(c.text.lstrip("#"))
    return printed(c, start, len(c.text)) if start < len(c.text) else ""


def docno_line(text: str) -> Reference | None:
    """The 文号 of a paragraph that is only a 文号 (a 发文字号 line), else None."""
    flat = _flat(text)
    m = P.EMBEDDED_DOCNO_LINE.match(flat)
    if not m:
        return None
    nums = [r for r in _refs(text) if r.kind == NUMBERED and r.doc_number and not r.partial]
    if len(nums) != 1 or nums[0].issuer_text or _flat(nums[0].surface) != m.group("docno"):
        return None
    return nums[0]


def _title_at(paras: Sequence[str], j: int) -> tuple[str, tuple[int, ...]] | None:
    """The title starting at paragraph ``j`` (one paragraph, or two when it wraps)."""
    if j >= len(paras):
        return None
    first = _flat(paras[j])
    if not first or first[-1] in ":：。" or docno_line(paras[j]):
        return None
    if P.EMBEDDED_TITLE_END.search(first) and len(first) <= P.MAX_EMBEDDED_TITLE_LEN:
        return _printed_line(paras[j]), (j,)
    if j + 1 < len(paras):
        second = _flat(paras[j + 1])
        joined = first + second
        if second and "。" not in joined and P.EMBEDDED_TITLE_END.search(joined) \
                and len(joined) <= P.MAX_EMBEDDED_TITLE_LEN:
            return _printed_line(paras[j]) + _printed_line(paras[j + 1]), (j, j + 1)
    return None


def _issuer_heading(text: str) -> str | None:
    m = P.EMBEDDED_ISSUER_HEADING.match(_flat(text))
    if not m:
        return None
    body = m.group("body").strip()
    return _printed_line(text).removesuffix("文件").strip() if names_body(body.replace(" ", "")) else None


def _date(text: str) -> str | None:
    m = P.EMBEDDED_DATE_LINE.match(_flat(text))
    if not m:
        return None

    def number(s: str) -> int:
        if s.isdigit():
            return int(s)
        if len(s) == 4:  # 二〇二五
            return int("".join(str(_CHINESE_DATE_DIGITS[ch]) for ch in s))
        tens, _, ones = s.partition("十")
        if "十" not in s:
            return _CHINESE_DATE_DIGITS[s]
        return (_CHINESE_DATE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DATE_DIGITS[ones] if ones else 0)

    try:
        return f"{number(m.group('year')):04d}-{number(m.group('month')):02d}-{number(m.group('day')):02d}"
    except KeyError:
        return None


def _end(paras: Sequence[str], start: int) -> tuple[int, str | None, str | None]:
    """(last paragraph, date, signature) of the document whose body starts at ``start``."""
    n = len(paras)
    limit = min(n, start + P.MAX_EMBEDDED_PARAGRAPHS)
    k = start
    while k < limit:
        if docno_line(paras[k]) or P.DISCLOSURE_PART_HEADING.match(_flat(paras[k])):
            last = k - 1
            if last >= start and _issuer_heading(paras[last]):
                last -= 1  # the next document's issuer heading
            return max(last, start - 1), None, None
        date = _date(paras[k])
        if date:
            signature = _issuer_heading(paras[k - 1]) if k - 1 >= start else None
            last = k + 1 if k + 1 < n and P.EMBEDDED_NOTE.match(_flat(paras[k + 1])) else k
            return last, date, signature
        if P.EMBEDDED_CLOSING.match(_flat(paras[k])):
            for t in range(k + 1, min(n, k + 1 + P.MAX_EMBEDDED_TAIL)):
                date = _date(paras[t])
                if date:
                    signature = _issuer_heading(paras[t - 1])
                    last = t + 1 if t + 1 < n and P.EMBEDDED_NOTE.match(_flat(paras[t + 1])) else t
                    return last, date, signature
            return k, None, None
        k += 1
    return limit - 1, None, None


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of ``text``: split at ，。；… outside 《》 and brackets."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in P.CLAUSE_OPEN:
            depth += 1
        elif ch in P.CLAUSE_CLOSE:
            depth = max(0, depth - 1)
        elif ch in P.CLAUSE_END and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


def relation_kind(clause: str, offset: int) -> str:
    """The relation a reference at ``offset`` in ``clause`` states (see the module docstring)."""
    if P.FORWARD_WORDS.search(clause):
        return FORWARDS
    if P.REPEAL_WORDS.search(clause):
        return REPEALS
    if P.BASIS_WORDS.search(clause[:offset]):
        return BASED_ON
    return CITES


def _title_relations(title_text: str, paragraph: int) -> list[Relation]:
    """关于转发《B》的通知: the title names what it forwards (the whole-title match hides 《B》)."""
    c = clean(title_text)
    quotes = {q.start: q for q in find_quotes(c.text)}
    out = []
    for m in P.FORWARD_IN_CITATION.finditer(c.text):
        q = quotes.get(m.end() - 1)
        if q is None:
            continue
        a, b = c.span(q.start, q.end)
        refs = _refs(title_text[a:b])
        if refs:
            out.append(Relation(FORWARDS, refs[0], paragraph))
    return out


def _same(a: Reference, b: Reference) -> bool:
    if a.doc_number and b.doc_number:
        return a.doc_number == b.doc_number
    return bool(a.title and b.title and normalise_title(a.title) == normalise_title(b.title))


def _body_relations(paras: Sequence[str], first: int, last: int, me: Reference) -> list[Relation]:
    out: list[Relation] = []
    for k in range(first, last + 1):
        text = paras[k]
        spans = clauses(text)
        for r in _refs(text):
            if _same(r, me):
                continue
            a, b = next(((a, b) for a, b in spans if a <= r.start < b), (0, len(text)))
            out.append(Relation(relation_kind(text[a:b], r.start - a), r, k))
    return out


def _strongest(relations: list[Relation]) -> tuple[Relation, ...]:
    """One relation per target, the strongest kind, in order of first mention. A title named
    alone and with its 文号 in the same document is one target (the numbered one)."""
    numbered = {normalise_title(r.target.title): r.target for r in relations if r.target.doc_number and r.target.title}
    relations = [dataclasses.replace(r, target=numbered[normalise_title(r.target.title)])
                 if not r.target.doc_number and r.target.title and normalise_title(r.target.title) in numbered else r
                 for r in relations]
    order: list[tuple[object, ...]] = []
    best: dict[tuple[object, ...], Relation] = {}
    for rel in relations:
        key = identity(rel.target)
        if key not in best:
            order.append(key)
            best[key] = rel
        elif RELATIONS.index(rel.kind) < RELATIONS.index(best[key].kind):
            best[key] = dataclasses.replace(rel, target=_richer(best[key].target, rel.target))
    return tuple(best[k] for k in order)


def _richer(a: Reference, b: Reference) -> Reference:
    return a if (a.title and a.doc_number) or not (b.title or b.doc_number) else b


def find_embedded_documents(paragraphs: Sequence[str]) -> list[EmbeddedDocument]:
    """Policy documents reproduced in ``paragraphs`` (one string per paragraph, in reading order)."""
    docs: list[EmbeddedDocument] = []
    i, n = 0, len(paragraphs)
    prev_last = -1
    while i < n:
        number = docno_line(paragraphs[i])
        title = _title_at(paragraphs, i + 1) if number else None
        if number is None or title is None:
            i += 1
            continue
        title_text, title_paras = title
        heading = _issuer_heading(paragraphs[i - 1]) if i - 1 > prev_last else None
        body_start = title_paras[-1] + 1
        last, date, signature = _end(paragraphs, body_start)
        title_issuer = P.TITLE_ISSUER.match(title_text)
        issuer = heading or (title_issuer.group("body").strip() if title_issuer else None) or signature
        me = dataclasses.replace(number, title=title_text, issuer_text=issuer)
        relations = [rel for k in title_paras for rel in _title_relations(paragraphs[k], k)]
        relations += _body_relations(paragraphs, body_start, last, me)
        docs.append(EmbeddedDocument(
            reference=me, first=i - 1 if heading else i, last=last, number_paragraph=i,
            title_paragraphs=title_paras, issuer=issuer, date=date, relations=_strongest(relations),
        ))
        prev_last = last
        i = max(last + 1, i + 1)
    return [_link_within(d, docs) for d in docs]


def _link_within(doc: EmbeddedDocument, docs: list[EmbeddedDocument]) -> EmbeddedDocument:
    """Point relations at the documents embedded alongside (A forwards 《B》 -> B with its 文号)."""
    relations = []
    for rel in doc.relations:
        other = next((d for d in docs if d is not doc and _same(rel.target, d.reference)), None)
        relations.append(dataclasses.replace(rel, target=other.reference) if other else rel)
    return dataclasses.replace(doc, relations=_strongest(relations))


def forwarded_document(ref: Reference) -> Reference | None:
    """The document a citation says its 文号 forwards: ``X转发《T》（N）`` -> 《T》 (N is ``ref``).

    The finder gives such a citation N's 文号 and T's title; the title belongs to the
    forwarded document, not to N.
    """
    if not (ref.doc_number and ref.title) or not P.FORWARD_IN_CITATION.search(clean(ref.surface).text):
        return None
    return Reference(kind=_title_kind(ref.title), surface=ref.surface, start=ref.start, end=ref.end,
                     title=ref.title, field=ref.field)


def _title_kind(title: str) -> str:
    from .find import classify_title

    return classify_title(clean(title).text)
