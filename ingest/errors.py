"""Why a file could not be ingested. Each error names the file and one reason,
so the CLI can print one clear line and go on with the other files."""
from __future__ import annotations


class IngestError(Exception):
    """A file that cannot become a disclosure graph."""

    reason = "cannot be ingested"

    def __init__(self, path: str, detail: str | None = None) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"{path}: {self.reason}" + (f" ({detail})" if detail else ""))


class EmptyFile(IngestError):
    reason = "empty file"


class UndecodableText(IngestError):
    reason = "not decodable as UTF-8 or GB18030 text"


class UnsupportedFile(IngestError):
    reason = "unsupported file type (expected .pdf, .txt or .md)"


class NotADisclosure(IngestError):
    reason = "not a budget disclosure"


class TruncatedFile(IngestError):
    reason = "truncated or corrupt"


class EncryptedPdf(IngestError):
    reason = "encrypted PDF (no password given)"


class NoTextLayer(IngestError):
    reason = "no text layer: OCR it first"


class FinalAccounts(IngestError):
    reason = "a 决算 (final accounts), not a budget: 决算 disclosures are not supported yet"


class TooLarge(IngestError):
    reason = "too large"
