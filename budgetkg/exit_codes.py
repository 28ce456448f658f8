"""The exit statuses of every ``budgetkg`` command, in one place (documented in the README's
"Failure behaviour" section; a test keeps the two in step)."""
from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    # Some input could not be used (a file refused, a query failing on the engine); the rest was done.
    FAILED = 1
    # The command line itself is wrong: unknown name, bad or missing parameter, bad query text, footgun refused.
    USAGE = 2
    # Every file was ingested, but at least one with losses (pages or objects the reader could not read).
    LOSSES = 3
    # The store cannot be used as asked: corrupt, held by another writer or by `budgetkg serve`, needs repair.
    STORE = 4
    # A query ran past its --timeout.
    TIMEOUT = 5
