"""A PDF and its text twin state the same graph, apart from provenance.

For each bundled sample, the triples ``api.parse_file`` maps from the PDF must be
the triples it maps from the text extraction, once two things that differ by
design are set aside:

- PROVENANCE_PREDICATES: where a fact was read (file, hash, line or page, and
  prov:wasDerivedFrom the file);
- the source file itself (``ontology.iris.source_file``, a bk:SourceFile keyed by
  its SHA-256): its name, hash and media type.

Tables, rows, sheets, figures, citations and findings are keyed by the disclosure,
so the text's and the PDF's are the same IRIs (one disclosure in a store holding both).

One difference is tolerated, and only in string literals: WRAP_SPACE. The text
extractions carry spaces where a cell of the original document wrapped
("市县(区)财政资 金"). A PDF drawn from that text wraps a cell at such a space
as often as not, and a line break draws no space character, so the PDF does
not say that one stood there (a CJK line may wrap at any character; nothing in
the geometry tells the two breaks apart). The PDF literal may therefore lack
spaces the text has next to a wide (CJK) character; it may never lack a space
between two Latin words or digits, nor have a space, a character or a value the
text does not.
"""
from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV

from budgetkg.ingest.mapping import Triple
from budgetkg.ingest.pdf_text import is_wide
from budgetkg.ontology import iris
from budgetkg.ontology import terms as T
from tests.conftest import SAMPLES

# Predicates that say where a fact was read, not what it is.
PROVENANCE_PREDICATES = frozenset({T.sourceFile, T.sha256, T.sourceLine, T.sourcePage, PROV.wasDerivedFrom})


def without_provenance(triples: set[Triple], sha256: str) -> set[Triple]:
    """The triples minus PROVENANCE_PREDICATES and the statements about the source file."""
    source_file = iris.source_file(sha256)
    return {(s, p, o) for s, p, o in triples if p not in PROVENANCE_PREDICATES and s != source_file}


def lost_only_wrap_spaces(text: str, pdf: str) -> bool:
    """WRAP_SPACE: ``pdf`` is ``text`` with some spaces removed, each of them
    next to a wide character.

    >>> lost_only_wrap_spaces("市县(区)财政资 金", "市县(区)财政资金")
    True
    >>> lost_only_wrap_spaces("Public budget", "Publicbudget"), lost_only_wrap_spaces("资金", "资 金")
    (False, False)
    """
    i = j = 0
    while i < len(text):
        if j < len(pdf) and text[i] == pdf[j]:
            i, j = i + 1, j + 1
            continue
        beside = text[i - 1: i] + text[i + 1: i + 2]
        if text[i] == " " and any(is_wide(ch) for ch in beside):
            i += 1
            continue
        return False
    return j == len(pdf)


def wrap_space_pairs(only_text: set[Triple], only_pdf: set[Triple]) -> tuple[list[tuple], list[tuple]]:
    """Pair the triples only one side states by subject and predicate; return
    the pairs WRAP_SPACE explains and every triple it does not."""
    by_key: dict[tuple[URIRef, URIRef], tuple[list, list]] = defaultdict(lambda: ([], []))
    for s, p, o in only_text:
        by_key[(s, p)][0].append(o)
    for s, p, o in only_pdf:
        by_key[(s, p)][1].append(o)
    explained: list[tuple] = []
    unexplained: list[tuple] = []
    for (s, p), (texts, pdfs) in sorted(by_key.items()):
        if (
            len(texts) == len(pdfs) == 1
            and isinstance(texts[0], Literal) and isinstance(pdfs[0], Literal)
            and texts[0].language == pdfs[0].language and texts[0].datatype == pdfs[0].datatype
            and lost_only_wrap_spaces(str(texts[0]), str(pdfs[0]))
        ):
            explained.append((s, p, texts[0], pdfs[0]))
        else:
            unexplained += [("text", s, p, o) for o in texts] + [("pdf", s, p, o) for o in pdfs]
    return explained, unexplained


def test_lost_only_wrap_spaces_is_narrow():
    assert lost_only_wrap_spaces("目标 4、通过", "目标4、通过")
    assert lost_only_wrap_spaces("其中: 中央财政资金", "其中:中央财政资金")
    assert lost_only_wrap_spaces("同一", "同一")
    assert not lost_only_wrap_spaces("budget 2024", "budget2024")  # Latin words keep their space
    assert not lost_only_wrap_spaces("财政资金", "财政资")  # a lost character is no space
    assert not lost_only_wrap_spaces("财政资金", "财政资金 ")
    assert not lost_only_wrap_spaces("资金", "资 金")  # the PDF never gains a space
    assert not lost_only_wrap_spaces("300", "30")


@pytest.mark.parametrize("name", SAMPLES)
def test_pdf_graph_equals_text_graph_apart_from_provenance(parsed, parsed_pdf, name):
    text, pdf = parsed[name], parsed_pdf[name]
    from_text = without_provenance(text.triples, text.disclosure.sha256)
    from_pdf = without_provenance(pdf.triples, pdf.disclosure.sha256)
    assert len(from_text) > 5000
    # the filter is narrow: it drops only the provenance statements
    dropped = len(text.triples) - len(from_text)
    source_file = iris.source_file(text.disclosure.sha256)
    assert dropped == sum(1 for s, p, _ in text.triples if p in PROVENANCE_PREDICATES or s == source_file)
    explained, unexplained = wrap_space_pairs(from_text - from_pdf, from_pdf - from_text)
    assert unexplained == [], "triples only one flavour states"
