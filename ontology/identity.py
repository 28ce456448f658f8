"""Identity rules shared by ingest, the derivers and the queries, each written once.

- a triple of the graph (``Triple``), whichever stage states it;
- the canonical form of a 文号 (GB/T 9704-2012: 机关代字〔YEAR〕SERIAL号, 〔〕 U+3014/U+3015,
  no 第, no zero padding), from its parts.

Finding a 文号 in written text is the reference finder's job (``budgetkg.ingest.references``);
an organization's key is ``budgetkg.ingest.organizations.organization_key``; IRIs are minted
from keys in ``budgetkg.ontology.iris`` only.

>>> doc_number("晋综示发", 2020, 49)
'晋综示发〔2020〕49号'
"""
from __future__ import annotations

from rdflib.term import Node

Triple = tuple[Node, Node, Node]


def doc_number(code: str, year: int, serial: int) -> str:
    """The canonical 文号 of an issuer code, a year and a serial."""
    return f"{code}〔{year}〕{serial}号"
