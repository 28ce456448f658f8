"""Typed references (issue 12, Build 5): one class per kind, with that kind's fields."""
from __future__ import annotations

import dataclasses
import doctest

import pytest

import budgetkg.ingest.references.typed_refs as typed_mod
from budgetkg.ingest.references import (
    KINDS,
    Contract,
    LawRegulation,
    Meeting,
    NumberedDocument,
    Request,
    TitledDocument,
    find_references,
    find_typed,
    typed,
)

CASES: list[tuple[str, str, list[object]]] = [
    ("numbered", "根据晋综示发【2020】49号文件", [
        NumberedDocument("晋综示发【2020】49号", 2, 15, doc_number="晋综示发〔2020〕49号", issuer_code="晋综示发",
                         year=2020, serial=49)]),
    ("numbered-title", "普发改投【2017】89号文《关于XX的批复》", [
        NumberedDocument("普发改投【2017】89号文《关于XX的批复》", 0, 23, doc_number="普发改投〔2017〕89号",
                         issuer_code="普发改投", year=2017, serial=89, title="关于XX的批复")]),
    ("partial", "依据(2014)10号", [NumberedDocument("(2014)10号", 2, 11, year=2014, serial=10, partial=True)]),
    ("meeting-session", "市政府九届12次常务会议", [Meeting("市政府九届12次常务会议", 0, 12, body="市政府", session=9, number=12)]),
    ("meeting-date", "2020年3月6日县政府第二次全体会议", [
        Meeting("2020年3月6日县政府第二次全体会议", 0, 19, body="县政府", year=2020, number=2, date="2020-03-06")]),
    ("meeting-numbered", "会议纪要[2021]7号", [
        Meeting("会议纪要[2021]7号", 0, 12, year=2021, number=7, doc_number="会议纪要〔2021〕7号")]),
    ("titled", "《山西省XX管理办法》", [TitledDocument("《山西省XX管理办法》", 0, 11, title="山西省XX管理办法")]),
    ("law", "按照政府采购法规定", [LawRegulation("政府采购法", 2, 7, title="政府采购法")]),
    ("contract", "依据房屋租赁协议支付租金", [Contract("房屋租赁协议", 2, 8, title="房屋租赁协议")]),
    ("request", "建设部关于增加人员的请示", [
        Request("建设部关于增加人员的请示", 0, 12, title="建设部关于增加人员的请示", issuer_text="建设部")]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CASES], ids=[n for n, _, _ in CASES])
def test_find_typed(text: str, expected: list[object]) -> None:
    got = find_typed(text)
    assert got == expected
    for t in got:
        assert text[t.start : t.end] == t.surface


def test_every_kind_has_a_class() -> None:
    classes = (NumberedDocument, TitledDocument, LawRegulation, Contract, Request, Meeting)
    assert sorted(c.kind for c in classes) == sorted(KINDS)


def test_meeting_has_no_serial_and_document_no_body() -> None:
    fields = {f.name for f in dataclasses.fields(Meeting)}
    assert {"body", "session", "year", "number", "date"} <= fields and "serial" not in fields
    assert "body" not in {f.name for f in dataclasses.fields(NumberedDocument)}


def test_typed_keeps_field_and_deliverable() -> None:
    r = find_references("编制《XX应急预案》", "项目概况", deliverables=True)[0]
    t = typed(r)
    assert isinstance(t, TitledDocument) and t.produces and t.field == "项目概况"


def test_doctests() -> None:
    assert doctest.testmod(typed_mod).failed == 0
