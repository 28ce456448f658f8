"""Lazy jieba word segmentation, used only where the regex trimming cannot decide.

Mainly for issuer codes: a run in front of 〔YEAR〕 that is longer than a
plausible 机关代字 (or a known code behind two unknown characters) gets its
leading words cut by part of speech.  The same fallback trims unusually long
bodies, meeting bodies, contract names and bare titles.

jieba costs about a second to load its dictionary, so it is imported on the
first call of :func:`tokens` and never at import time.  The known 机关代字 of
:mod:`.patterns` (the issuer registry, ``data/issuers.csv``) and the registry's organization
names are added as a user dictionary so a code or a body is kept in one piece.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from . import patterns as P


@lru_cache(maxsize=1)
def _posseg() -> Any:
    import logging

    import jieba
    import jieba.posseg as posseg

    jieba.setLogLevel(logging.WARNING)
    for code in P.KNOWN_ISSUER_CODES:
        jieba.add_word(code, freq=100000, tag="nz")
    for name in P.KNOWN_ISSUER_NAMES:  # registry organizations: a body is one place/organisation token
        jieba.add_word(name, freq=100000, tag="nt")
    return posseg


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[tuple[str, str], ...]:
    """(word, part-of-speech flag) pairs for ``text``."""
    return tuple((w.word, w.flag) for w in _posseg().lcut(text))


def strip_leading_tokens(text: str, min_rest: int = 2, max_rest: int | None = None) -> int:
    """Offset past leading function-word tokens (prepositions, verbs …) of ``text``.

    Stops before the remainder would be shorter than ``min_rest`` characters,
    and at the first known 机关代字; single-character tokens are only cut when
    they are prepositions / conjunctions / adverbs that never start a code.
    With ``max_rest``, stops as soon as the remainder is that short (a plausible 机关代字).
    """
    offset = 0
    toks = tokens(text)
    for word, flag in toks[:-1]:
        if max_rest is not None and len(text) - offset <= max_rest:
            break
        if word in P.KNOWN_ISSUER_CODES or flag not in P.JIEBA_STRIP_FLAGS:
            break
        if len(word) < 2 and (flag not in P.JIEBA_SINGLE_STRIP_FLAGS or word in P.JIEBA_KEEP_SINGLE):
            break
        if len(text) - offset - len(word) < min_rest:
            break
        offset += len(word)
    return offset


def strip_leading_verbs(text: str, min_rest: int) -> int:
    """Offset past leading verb + object tokens: 拨付入区协议 -> 入区协议 (but 承包经营合同 stays).

    A leading multi-character verb / preposition / conjunction is cut only when
    a noun token follows it.
    """
    offset = 0
    toks = tokens(text)
    for (word, flag), (_next_word, next_flag) in zip(toks, toks[1:], strict=False):
        if len(word) < 2 or flag not in P.JIEBA_VERB_FLAGS or next_flag not in P.JIEBA_BODY_FLAGS:
            break
        if len(text) - offset - len(word) < min_rest:
            break
        offset += len(word)
    return offset


def body_start(text: str, is_body: Any) -> int | None:
    """Offset of the body name ``text`` ends with: the suffix that names a body (``is_body``) and
    starts on the first place / organisation token (ns, nt), else on the first noun token."""
    fallback = None
    offset = 0
    for word, flag in tokens(text):
        if flag in P.JIEBA_BODY_FLAGS and is_body(text[offset:]):
            if flag in P.JIEBA_PLACE_FLAGS:
                return offset
            if fallback is None:
                fallback = offset
        offset += len(word)
    return fallback
