"""Section parsers: sections of the document model -> records."""
