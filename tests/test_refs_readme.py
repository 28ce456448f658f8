"""The README's `budgetkg refs` examples are real: each `$ echo '…' | budgetkg refs …` line in the
section prints exactly the output written under it."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from budgetkg import refs as refs_lib

ROOT = Path(__file__).resolve().parents[1]
SECTION_TITLE = "### Finding references in any text: `budgetkg refs`"
COMMAND = re.compile(r"^\$ echo '(?P<text>[^']*)' \| budgetkg refs(?P<options>.*)$")


def section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert SECTION_TITLE in readme
    return readme.split(SECTION_TITLE, 1)[1].split("\n## ", 1)[0]


def examples() -> list[tuple[str, list[str], str]]:
    """(input text, options, expected output) of every example in the section."""
    found: list[tuple[str, list[str], str]] = []
    for block in re.findall(r"```\n(.*?)```", section(), flags=re.S):
        current: tuple[str, list[str]] | None = None
        output: list[str] = []
        for line in block.splitlines():
            m = COMMAND.match(line)
            if m:
                if current is not None:
                    found.append((*current, "\n".join(output) + "\n"))
                current, output = (m["text"] + "\n", shlex.split(m["options"])), []
            elif current is not None:
                output.append(line)
        if current is not None:
            found.append((*current, "\n".join(output) + "\n"))
    return found


def test_the_section_has_examples_of_every_format() -> None:
    found = examples()
    assert len(found) >= 4
    formats = {opts[opts.index("--format") + 1] if "--format" in opts else "table" for _, opts, _ in found}
    assert formats == {"table", "json", "jsonl"}
    assert any("--deliverables" in opts for _, opts, _ in found)


@pytest.mark.parametrize("example", examples(), ids=lambda e: " ".join(e[1]) or "table")
def test_readme_example_output_is_real(example: tuple[str, list[str], str]) -> None:
    text, options, expected = example
    fmt = options[options.index("--format") + 1] if "--format" in options else "table"
    records = refs_lib.find_in_text(text, deliverables="--deliverables" in options)
    assert refs_lib.format_records(records, fmt) == expected


def test_the_section_names_every_kind_and_json_field() -> None:
    from budgetkg.ingest.references import KINDS

    text = section()
    for kind in KINDS:
        assert f"`{kind}`" in text, kind
    record = refs_lib.find_in_text("党工委2024年第3次会议")[0]
    for field in [*record, *record["meeting"]]:
        assert f"`{field}`" in text, field
