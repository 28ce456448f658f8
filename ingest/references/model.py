"""Records produced by the reference finder."""
from __future__ import annotations

from dataclasses import dataclass

# The kinds of reference we identify (docs/ARCHITECTURE.md, "The command-line contract": `citations.kind`).
NUMBERED = "numbered_document"
TITLED = "titled_document"
MEETING = "meeting"
LAW = "law_regulation"
CONTRACT = "contract"
REQUEST = "request"
KINDS = (NUMBERED, TITLED, MEETING, LAW, CONTRACT, REQUEST)


@dataclass(frozen=True, slots=True)
class Reference:
    """One reference found in one text.

    ``start``/``end`` index the *original* text handed to the finder, so
    ``text[start:end] == surface`` always holds.
    """

    kind: str
    surface: str
    start: int
    end: int
    doc_number: str | None = None  # canonical GB/T 9704 form: 机关代字〔年份〕序号号
    issuer_code: str | None = None  # 机关代字 as printed (typos kept)
    year: int | None = None
    serial: int | None = None
    title: str | None = None  # without 《》, as printed
    issuer_text: str | None = None  # body written outside the code / before 关于
    meeting_body: str | None = None
    meeting_year: int | None = None
    meeting_number: int | None = None
    meeting_date: str | None = None
    partial: bool = False  # a 文号 without issuer code, e.g. (2014)10号
    field: str | None = None
    # back-references (上述文件, 该通知, 《通知》): only returned by
    # find_references(..., keep_back_references=True) while unresolved
    # (antecedent None), and by resolve_back_references() as a copy of the
    # document they point to (antecedent = that document's surface).
    back_reference: bool = False
    back_noun: str | None = None  # 文件 / 通知 / 会议纪要 … of the back-reference
    antecedent: str | None = None
    meeting_session: int | None = None  # 届 of a meeting: 市政府九届12次常务会议 -> 9
    # a document the text says is to be written (编制《XX应急预案》): the project's deliverable (bk:produces),
    # not a citation; only returned by find_references(..., deliverables=True).
    produces: bool = False

    @property
    def unresolved(self) -> bool:
        """A back-reference that has not been resolved to a document yet."""
        return self.back_reference and self.antecedent is None
