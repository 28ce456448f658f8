"""Typed references: one class per kind, with the fields that kind has (eyecite-style).

:class:`~.model.Reference` is the flat record the pipeline stores (one kind
string, every field of every kind).  The classes here are views of it for
callers who want a meeting to have a body and a 文号 to have a serial, and
nothing else:

>>> [type(r).__name__ for r in find_typed("根据晋政发〔2020〕1号和党工委2024年第3次会议精神")]
['NumberedDocument', 'Meeting']
>>> m = find_typed("市政府九届12次常务会议")[0]
>>> (m.body, m.session, m.number)
('市政府', 9, 12)
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar

from .model import CONTRACT, LAW, MEETING, NUMBERED, REQUEST, TITLED, Reference


@dataclass(frozen=True, slots=True)
class Span:
    """Where a reference is written: ``text[start:end] == surface``; ``field`` is the sheet field, if any."""

    surface: str
    start: int
    end: int
    field: str | None = None


@dataclass(frozen=True, slots=True)
class NumberedDocument(Span):
    """A document with a 文号; ``partial`` when the code was not written or a bracket was lost."""

    kind: ClassVar[str] = NUMBERED
    doc_number: str | None = None  # canonical 机关代字〔YEAR〕SERIAL号 (None when partial)
    issuer_code: str | None = None
    year: int | None = None
    serial: int | None = None
    title: str | None = None
    issuer_text: str | None = None
    partial: bool = False


@dataclass(frozen=True, slots=True)
class TitledDocument(Span):
    """A named document without a 文号: 《山西综改示范区公务行系统使用管理办法》."""

    kind: ClassVar[str] = TITLED
    title: str = ""
    issuer_text: str | None = None
    produces: bool = False  # the text's deliverable (编制《…》), not a citation


@dataclass(frozen=True, slots=True)
class LawRegulation(Span):
    """A law, regulation or standard: 《预算法》, 太原市生活垃圾分类管理条例, GB/T 9704-2012."""

    kind: ClassVar[str] = LAW
    title: str = ""
    produces: bool = False


@dataclass(frozen=True, slots=True)
class Contract(Span):
    """A specific agreement or contract: 房屋租赁协议, 《XX合作共建协议》."""

    kind: ClassVar[str] = CONTRACT
    title: str = ""


@dataclass(frozen=True, slots=True)
class Request(Span):
    """A specific 请示: 建设与公用事业管理部关于增加劳务派遣人员的请示."""

    kind: ClassVar[str] = REQUEST
    title: str = ""
    issuer_text: str | None = None
    produces: bool = False


@dataclass(frozen=True, slots=True)
class Meeting(Span):
    """A meeting or its minutes: body, session (届), year, ordinal number, date; a 文号 when numbered with 号."""

    kind: ClassVar[str] = MEETING
    body: str | None = None
    session: int | None = None
    year: int | None = None
    number: int | None = None
    date: str | None = None  # 2020-03 or 2020-03-06
    doc_number: str | None = None


TypedReference = NumberedDocument | TitledDocument | LawRegulation | Contract | Request | Meeting


def typed(r: Reference) -> TypedReference:
    """The typed view of a flat :class:`Reference`."""
    span = {"surface": r.surface, "start": r.start, "end": r.end, "field": r.field}
    if r.kind == NUMBERED:
        return NumberedDocument(**span, doc_number=r.doc_number, issuer_code=r.issuer_code, year=r.year,
                                serial=r.serial, title=r.title, issuer_text=r.issuer_text, partial=r.partial)
    if r.kind == MEETING:
        return Meeting(**span, body=r.meeting_body, session=r.meeting_session, year=r.meeting_year,
                       number=r.meeting_number, date=r.meeting_date, doc_number=r.doc_number)
    if r.kind == LAW:
        return LawRegulation(**span, title=r.title or "", produces=r.produces)
    if r.kind == CONTRACT:
        return Contract(**span, title=r.title or "")
    if r.kind == REQUEST:
        return Request(**span, title=r.title or "", issuer_text=r.issuer_text, produces=r.produces)
    if r.kind == TITLED:
        return TitledDocument(**span, title=r.title or "", issuer_text=r.issuer_text, produces=r.produces)
    raise ValueError(f"unknown reference kind {r.kind!r}")


def find_typed(text: str, field: str | None = None, *, deliverables: bool = False,
               soft_breaks: Collection[int] = ()) -> list[TypedReference]:
    """:func:`find_references`, typed."""
    from . import find_references

    return [typed(r) for r in find_references(text, field, deliverables=deliverables, soft_breaks=soft_breaks)]
