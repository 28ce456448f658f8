"""Policy-reference finder: the documents, laws, meetings and contracts a text cites.

One text cell goes through three stages:

1. **clean** (:mod:`.clean`) — NFKC per character (full-width digits and
   brackets to ASCII), whitespace between Chinese characters dropped, with a
   map from every cleaned character back to the original text;
2. **find** (:mod:`.find`, patterns in :mod:`.patterns`) — three masked passes
   that collect candidates: 《…》 titles; 文号 and meetings; then unquoted
   关于…的通知 titles, titles after a 文号, laws, contracts, standards and
   back-references;
3. **resolve** (:mod:`.resolve`) — a bare ``【2021】18号`` listed after a full
   文号 shares its code, a title and its 文号 become one entry, overlaps are
   removed, spans are mapped back to the original text, duplicates are merged
   and back-references (上述文件, 该通知, 《通知》) are resolved.

Conventions:

* ``text[r.start:r.end] == r.surface`` holds for every reference returned;
  surfaces leave out leading 根据/按照… and a trailing 文件/要求, but include a
  body written in front (``市政府并政发【2012】2号``, ``晋中市能源局转发《…》（…）``),
  which also becomes ``issuer_text``.
* ``doc_number`` is ``机关代字〔YEAR〕SERIAL号`` with the code as printed (typos
  kept, NFKC, no spaces).  A 文号 printed without an issuer code, such as
  ``(2014)10号``, is a ``numbered_document`` with ``partial=True`` and
  ``doc_number=None`` (``year``/``serial`` set), unless it follows a full 文号
  in a list (``会议纪要[2021]7号、【2021】18号``), whose code it then shares.
* ``title`` is the title as printed without 《》, minus the spaces text
  extraction puts next to digits (``关于 2025 年`` -> ``关于2025年``); compare
  titles with :func:`normalise_title`.  ``issuer_text`` is the body written
  outside the title, else the part of the title before 关于, else None.
* meetings carry ``meeting_body/year/number/date``, and ``doc_number`` when
  they are numbered with 号; generic mentions (相关会议纪要) are not returned.

Beyond single texts: :func:`find_embedded_documents` finds policy documents
reproduced in full in a list of paragraphs (文号 line, title, body, date) and
their relations to other documents (forwards / repeals / based_on / cites, read
from 转发 / 废止 / 根据…有关规定 in the clause of each reference), and
:data:`REGISTRY` maps a 机关代字 to its issuing organization, level and region
(``data/issuers.csv``; :func:`near_codes` proposes registered codes one edit
away from a mistyped one).

Typed views (:mod:`.typed_refs`): :func:`find_typed` returns one class per kind
(:class:`NumberedDocument`, :class:`Meeting` with body / session / year /
number / date, :class:`TitledDocument`, :class:`LawRegulation`,
:class:`Contract`, :class:`Request`) with only the fields that kind has;
:func:`typed` converts one flat :class:`Reference`.

jieba is imported lazily, only for long runs of characters the regular
expressions cannot split (see :mod:`.segment`).

>>> refs = find_references("根据市政府并政发【2012】2号、《预算法》及上述文件执行")
>>> [(r.kind, r.doc_number or r.title, r.issuer_text, r.surface) for r in refs]  # doctest: +NORMALIZE_WHITESPACE
[('numbered_document', '并政发〔2012〕2号', '市政府', '市政府并政发【2012】2号'),
 ('law_regulation', '预算法', None, '《预算法》')]
>>> canonical_doc_number("晋综示发 〔2020〕 第049号")
'晋综示发〔2020〕49号'
>>> normalise_title("《关于 2025 年部门预算的批复》") == normalise_title("关于2025年部门预算的批复")
True
"""
from __future__ import annotations

from collections.abc import Collection

from .clean import clean
from .embedded import (
    BASED_ON,
    CITES,
    FORWARDS,
    RELATIONS,
    REPEALS,
    EmbeddedDocument,
    Relation,
    find_embedded_documents,
    forwarded_document,
)
from .find import docno_candidate, find_candidates, join_wrapped_code, scan_left_cjk
from .issuers import REGISTRY, Issuer, edit_distance, near_codes
from .model import CONTRACT, KINDS, LAW, MEETING, NUMBERED, REQUEST, TITLED, Reference
from .patterns import DOC_NUMBER
from .resolve import normalise_title, resolve, resolve_back_references
from .typed_refs import (
    Contract,
    LawRegulation,
    Meeting,
    NumberedDocument,
    Request,
    TitledDocument,
    TypedReference,
    find_typed,
    typed,
)

__all__ = [
    "BASED_ON",
    "CITES",
    "CONTRACT",
    "Contract",
    "LawRegulation",
    "Meeting",
    "NumberedDocument",
    "Request",
    "TitledDocument",
    "TypedReference",
    "find_typed",
    "typed",
    "FORWARDS",
    "KINDS",
    "LAW",
    "MEETING",
    "NUMBERED",
    "REGISTRY",
    "RELATIONS",
    "REPEALS",
    "REQUEST",
    "TITLED",
    "EmbeddedDocument",
    "Issuer",
    "Reference",
    "Relation",
    "canonical_doc_number",
    "edit_distance",
    "find_embedded_documents",
    "find_references",
    "forwarded_document",
    "near_codes",
    "normalise_title",
    "resolve_back_references",
]


def find_references(text: str, field: str | None = None, *, keep_back_references: bool = False,
                    deliverables: bool = False, soft_breaks: Collection[int] = ()) -> list[Reference]:
    """All references in one text cell, in order of appearance, deduplicated.

    ``field`` is copied onto every reference.  Back-references that point to a
    reference earlier in the same text are dropped (that document is already
    listed); with ``keep_back_references=True`` the ones that cannot be
    resolved here are returned (``r.unresolved``) for
    :func:`resolve_back_references` to resolve across the fields of a sheet.
    Documents the text says are to be written (``编制《XX应急预案》``) are
    deliverables, not citations: left out unless ``deliverables=True``, and
    then marked ``r.produces``.  《》 around media (《山西日报》) and
    organizations (《中共XX工作委员会》) give no reference.
    ``soft_breaks`` are the indices of line breaks in ``text`` that a reader
    knows are only line wraps (a PDF line or page break inside a sentence): a
    文号 or title across them is read whole.  Without it, a line break is a
    boundary, except inside a 文号 whose code was plainly cut (``晋投\n资规范…``).
    """
    if not text or not text.strip():
        return []
    c = clean(text, soft_breaks)
    return resolve(c, find_candidates(c), field, keep_back_references, deliverables)


def canonical_doc_number(s: str) -> str | None:
    """Normalise a written 文号 to ``机关代字〔YEAR〕SERIAL号``; None if it has no issuer code.

    >>> canonical_doc_number("晋综示发（2020）49号")
    '晋综示发〔2020〕49号'
    >>> canonical_doc_number("(2014)10号") is None
    True
    """
    c = clean(s)
    prev_end = 0
    for m in DOC_NUMBER.finditer(c.text):
        run_start = join_wrapped_code(c.text, max(scan_left_cjk(c.text, m.start()), prev_end), m.start(), prev_end)
        prev_end = m.end()
        if m.group("unit") != "号":
            continue
        cand = docno_candidate(c, run_start, m.start(), m)
        if cand is not None and not cand.partial and cand.doc_number:
            return cand.doc_number
    return None
