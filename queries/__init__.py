"""Named SPARQL questions (queries/named/*.rq) and how they are bound and run.

Each .rq file starts with comment headers::

    # description: what it answers
    # param NAME: TYPE, required|optional: help
    # columns: a, b, c
    # example: budgetkg query NAME --param NAME=VALUE

Parameters are bound as RDF terms: the runner builds pyoxigraph terms from the
user's values and inserts a ``VALUES`` block at the ``#@params`` marker; the
terms are serialised by pyoxigraph (N-Triples escaping), so a value can never
change the query's structure.
"""
from __future__ import annotations

from budgetkg.queries.named_queries import NamedQuery, QueryError, bind, load_named_queries, named_query

__all__ = ["NamedQuery", "QueryError", "bind", "load_named_queries", "named_query"]
