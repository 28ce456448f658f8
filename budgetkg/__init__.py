"""budgetkg: Chinese public-budget disclosures -> an RDF knowledge graph in Oxigraph.

Library first: everything the command line does is a function in budgetkg.api;
``budgetkg.open(path | endpoint)`` gives the store handle those functions accept.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from budgetkg.store import Database, open  # noqa: A004

__version__ = "0.1.0"
__all__ = ["Database", "__version__", "open"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: importing budgetkg.ingest (in a parsing worker, say) must not load the store.
    if name in ("Database", "open"):
        from budgetkg import store

        return getattr(store, name)
    raise AttributeError(f"module 'budgetkg' has no attribute {name!r}")
