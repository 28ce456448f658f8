"""Stage 3: turn overlapping candidates into the final reference list.

* a bare ``【2021】18号`` right after ``会议纪要[2021]7号、`` shares its code;
* a title and the 文号 right after (or before) it become one numbered entry;
* overlaps are removed (the longer span wins);
* spans are mapped back to the original text;
* duplicates inside the text are merged and back-references (上述文件, 该通知,
  《通知》) are resolved to the nearest earlier reference.
"""
from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable, Sequence

from budgetkg.ontology.identity import doc_number

from . import patterns as P
from .clean import Cleaned
from .find import Candidate
from .model import CONTRACT, LAW, MEETING, NUMBERED, REQUEST, TITLED, Reference

_TITLE_KINDS = (TITLED, LAW, REQUEST)
_DOCUMENT_KINDS = (NUMBERED, TITLED, LAW, REQUEST)
_KIND_RANK = {NUMBERED: 0, MEETING: 1, TITLED: 2, LAW: 3, REQUEST: 4, CONTRACT: 5, "backref": 6}


def normalise_title(s: str) -> str:
    """Identity form of a title: NFKC, no whitespace, no 《》〈〉 quotes."""
    return P.TITLE_IDENTITY_DROP.sub("", unicodedata.normalize("NFKC", s))


# --- shared codes and pairing -------------------------------------------------------


def share_codes(text: str, cands: list[Candidate]) -> None:
    """Give a partial 文号 the code of the full one it is listed after (in place)."""
    full = sorted((x for x in cands if x.issuer_code and not x.partial), key=lambda x: x.end)
    for p in sorted((x for x in cands if x.partial and x.issuer_code is None), key=lambda x: x.start):
        prev = [f for f in full if f.end <= p.start and P.SHARED_CODE_GAP.match(text[f.end : p.start])]
        if not prev:
            continue
        f = prev[-1]
        p.issuer_code, p.kind, p.partial = f.issuer_code, f.kind, False
        if p.unit == "号" and p.year is not None and p.serial is not None and f.issuer_code:
            p.doc_number = doc_number(f.issuer_code, p.year, p.serial)
        if p.kind == MEETING:
            p.meeting_body, p.meeting_year, p.meeting_number = f.meeting_body, p.year, p.serial
            p.issuer_text = f.meeting_body
        full.append(p)
        full.sort(key=lambda x: x.end)


def _pairable_docno(x: Candidate) -> bool:
    return x.kind == NUMBERED and not x.quoted and x.unit == "号"


def _merge(title: Candidate, doc: Candidate, start: int, end: int) -> Candidate:
    return dataclasses.replace(
        doc,
        start=start,
        end=end,
        title=title.title,
        issuer_text=title.issuer_text or doc.issuer_text,
        quoted=False,
        after_docno=False,
    )


def pair_titles(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Join 《title》（文号）, 《title》文号 and 文号 title into single numbered entries."""
    titles = sorted((x for x in cands if x.kind in _TITLE_KINDS), key=lambda x: x.start)
    docnos = sorted((x for x in cands if _pairable_docno(x)), key=lambda x: x.start)
    used: set[int] = set()
    merged: list[Candidate] = []
    # title first: 《…》（市政办发[2018]7号） / 关于…的通知 晋政发〔2020〕1号
    for t in titles:
        for d in docnos:
            if id(d) in used or d.start < t.end or d.start - t.end > 3:
                continue
            gap = text[t.end : d.start]
            if not P.TITLE_DOCNO_GAP.match(gap):
                continue
            end = d.end
            if "(" in gap:
                close = P.DOCNO_CLOSE_PAREN.match(text[d.end :])
                if close:
                    end = d.end + close.end()
            merged.append(_merge(t, d, t.start, end))
            used.update((id(t), id(d)))
            break
    # 文号 first: 并政发[2009]85号太原市突发事件应急管理暂行办法
    for d in docnos:
        if id(d) in used:
            continue
        for t in titles:
            if id(t) in used or t.start < d.end:
                continue
            gap = text[d.end : t.start]
            if (t.quoted or t.after_docno) and P.DOCNO_TITLE_GAP.match(gap):
                pass
            elif not ((t.quoted or text.startswith("关于", t.start)) and P.DOCNO_WEN_TITLE_GAP.match(gap)):
                continue
            merged.append(_merge(t, d, d.start, t.end))
            used.update((id(t), id(d)))
            break
    return [x for x in cands if id(x) not in used] + merged


def drop_overlaps(cands: Iterable[Candidate]) -> list[Candidate]:
    """Keep the longest of overlapping candidates (ties: numbered > meeting > titled …)."""
    kept: list[Candidate] = []
    for x in sorted(cands, key=lambda x: (-(x.end - x.start), _KIND_RANK.get(x.kind, 9), x.start)):
        if x.end <= x.start:
            continue
        if any(x.start < k.end and k.start < x.end for k in kept):
            continue
        kept.append(x)
    return sorted(kept, key=lambda x: x.start)


# --- references, identity, back-references -------------------------------------------


def to_reference(c: Cleaned, x: Candidate, field: str | None) -> Reference:
    start, end = c.span(x.start, x.end)
    kind = x.kind
    back = kind == "backref"
    if back:
        kind = _backref_kind(x.back_noun or "")
    return Reference(
        kind=kind,
        surface=c.original[start:end],
        start=start,
        end=end,
        doc_number=x.doc_number,
        issuer_code=x.issuer_code,
        year=x.year,
        serial=x.serial,
        title=None if back else x.title,
        issuer_text=x.issuer_text,
        meeting_body=x.meeting_body,
        meeting_year=x.meeting_year,
        meeting_number=x.meeting_number,
        meeting_date=x.meeting_date,
        meeting_session=x.meeting_session,
        produces=x.produces,
        partial=x.partial,
        field=field,
        back_reference=back,
        back_noun=x.back_noun if back else None,
    )


def _backref_kind(noun: str) -> str:
    if "纪要" in noun:
        return MEETING
    if noun in ("协议", "合同"):
        return CONTRACT
    if noun == "条例":
        return LAW
    if noun == "请示":
        return REQUEST
    return TITLED


def identity(r: Reference) -> tuple[object, ...]:
    """What makes two references the same: kind + 文号 / title / meeting."""
    if r.doc_number:
        return ("doc", r.doc_number)
    if r.kind == MEETING:
        return (MEETING, r.meeting_body, r.meeting_session, r.meeting_year, r.meeting_number, r.meeting_date)
    if r.kind == NUMBERED:
        return (NUMBERED, "partial", r.year, r.serial, normalise_title(r.title or ""))
    return (r.kind, normalise_title(r.title or ""), r.produces)


def _compatible(noun: str, r: Reference) -> bool:
    if r.unresolved:
        return False
    if "纪要" in noun:
        return r.kind == MEETING
    if noun in ("协议", "合同"):
        return r.kind == CONTRACT
    if noun in ("文件", "文"):
        return r.kind in _DOCUMENT_KINDS
    if r.kind not in _DOCUMENT_KINDS:
        return False
    return r.title is None or normalise_title(r.title).endswith(noun)


def _merge_missing(kept: Reference, new: Reference) -> Reference:
    """Fill fields the first occurrence lacks from a later duplicate (surface stays the first)."""
    updates = {}
    for f in ("title", "issuer_text", "meeting_body", "meeting_date"):
        if getattr(kept, f) is None and getattr(new, f) is not None:
            updates[f] = getattr(new, f)
    return dataclasses.replace(kept, **updates) if updates else kept


def dedupe(refs: Sequence[Reference], keep_back_references: bool = False) -> list[Reference]:
    """Merge duplicates and resolve back-references inside one text (or one field)."""
    out: list[Reference] = []
    index: dict[tuple[object, ...], int] = {}
    for r in refs:
        if r.unresolved:
            if any(_compatible(r.back_noun or "", k) for k in out):
                continue  # the document it points to is already listed
            if keep_back_references:
                out.append(r)
            continue
        key = identity(r)
        if key in index:
            out[index[key]] = _merge_missing(out[index[key]], r)
            continue
        if r.kind in (TITLED, LAW, CONTRACT, REQUEST) and r.title:
            norm = normalise_title(r.title)
            if any(k.kind == NUMBERED and k.title and normalise_title(k.title) == norm for k in out):
                continue  # the same document, already listed with its 文号
        if r.kind == NUMBERED and r.title:
            norm = normalise_title(r.title)
            same = [i for i, k in enumerate(out) if k.kind in _TITLE_KINDS and k.title
                    and normalise_title(k.title) == norm]
            if same:
                i = same[0]
                out[i] = r
                index = {identity(k): j for j, k in enumerate(out)}
                continue
        index[key] = len(out)
        out.append(r)
    return out


def resolve(c: Cleaned, cands: list[Candidate], field: str | None, keep_back_references: bool,
            deliverables: bool = False) -> list[Reference]:
    """Candidates of one text -> its deduplicated references (deliverables, 编制《…》, only if asked)."""
    share_codes(c.text, cands)
    cands = [x for x in cands if not (x.partial and x.unit == "次")]
    cands = pair_titles(c.text, cands)
    cands = drop_overlaps(cands)
    refs = [to_reference(c, x, field) for x in cands if deliverables or not x.produces]
    return dedupe(refs, keep_back_references)


def resolve_back_references(refs: Sequence[Reference]) -> list[Reference]:
    """Resolve back-references across the fields of one sheet.

    ``refs`` is the concatenation, in reading order, of
    ``find_references(text, field, keep_back_references=True)`` over the
    sheet's text fields.  Each unresolved back-reference becomes a copy of the
    nearest earlier compatible reference, carrying its own surface, span and
    field (``back_reference=True``); back-references with nothing to point to
    are dropped, and duplicates inside one field are merged.
    """
    out: list[Reference] = []
    for r in refs:
        if not r.unresolved:
            out.append(r)
            continue
        ante = next((k for k in reversed(out) if _compatible(r.back_noun or "", k)), None)
        if ante is None:
            continue
        out.append(dataclasses.replace(ante, surface=r.surface, start=r.start, end=r.end, field=r.field,
                                       back_reference=True, back_noun=r.back_noun, antecedent=ante.surface))
    # merge duplicates per field, keeping field order
    result: list[Reference] = []
    seen: set[tuple[object, ...]] = set()
    for r in out:
        key = (r.field, *identity(r))
        if key in seen:
            continue
        seen.add(key)
        result.append(r)
    return result
