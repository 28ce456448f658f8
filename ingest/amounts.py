"""Exact amounts. Tables 1-13 print 万元, project sheets print 元; we keep the
printed text and convert to yuan with Decimal arithmetic, never floats."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# A printed amount: optional sign, digits with optional thousands separators, decimals.
AMOUNT = re.compile(r"^[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-−]?\d+(?:\.\d+)?$")
WAN = Decimal(10000)


@dataclass(frozen=True, slots=True)
class Amount:
    """A printed amount with its unit; ``yuan`` is exact."""

    printed: str
    unit: str  # "万元" or "元"

    @property
    def value(self) -> Decimal:
        return Decimal(self.printed.replace(",", "").replace("−", "-"))

    @property
    def yuan(self) -> Decimal:
        return self.value * WAN if self.unit == "万元" else self.value


def is_amount(text: str) -> bool:
    return bool(AMOUNT.match(text.strip()))


def text_to_amount(text: str | None, unit: str) -> Amount | None:
    """'4,100.76' -> Amount('4,100.76', unit); '' or non-numeric -> None."""
    if text is None:
        return None
    text = text.strip()
    if not text or not AMOUNT.match(text):
        return None
    try:
        Decimal(text.replace(",", "").replace("−", "-"))
    except InvalidOperation:
        return None
    return Amount(text, unit)


def yuan_to_text(value: Decimal) -> str:
    """Plain decimal text without exponent or trailing zeros: 1000000.00 -> '1000000'."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
