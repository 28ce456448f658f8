"""项目支出绩效目标表 parser against the gold performance_projects of each sample."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import SAMPLES, gold, nfkc


def yuan(sheet, period):
    amount = sheet.total(period)
    return amount.yuan if amount else None


@pytest.mark.parametrize("name", SAMPLES)
def test_sheet_headers_and_totals_match_gold(parsed, name):
    sheets = parsed[name].disclosure.sheets
    expected = gold(name)["performance_projects"]
    assert [s.name for s in sheets] == [nfkc(p["name"]) for p in expected]
    for sheet, g in zip(sheets, expected, strict=True):
        assert sheet.managing_code == g["org_code"], sheet.name
        assert sheet.implementing_org == nfkc(g["implementing_unit"]), sheet.name
        assert sheet.period == nfkc(g["period"]), sheet.name
        assert yuan(sheet, "implementation") == Decimal(g["implementation_total_yuan"].replace(",", ""))
        annual = g["annual_total_yuan"]
        assert yuan(sheet, "annual") == (Decimal(annual) if annual is not None else None), sheet.name


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sheet_has_its_text_fields_and_indicators(parsed, name):
    for sheet in parsed[name].disclosure.sheets:
        fields = {f.name for f in sheet.fields}
        assert {"项目概况", "立项依据", "项目设立必要性"} <= fields, sheet.name
        assert sheet.indicators, sheet.name
        assert all(i.value for i in sheet.indicators)


def test_sheet_of_another_unit_keeps_its_own_managing_organization(parsed):
    d = parsed["administrative-approval-bureau-2025"].disclosure
    assert d.organization.name == "山西转型综合改革示范区行政审批局"
    assert {s.managing_code for s in d.sheets} == {"640"}
    assert all(s.managing_org.startswith("山西转型综合改革示范区政务服务中心") for s in d.sheets)
    assert d.organization.code is None  # 640 is printed for the 政务服务中心, not for this bureau
