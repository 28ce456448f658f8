"""budgetkg: Chinese public-budget disclosures -> an RDF knowledge graph in Oxigraph.

Library first: everything the command line does is a function in budgetkg.api.
"""
from budgetkg.store import Database, open

__version__ = "0.1.0"
__all__ = ["Database", "open", "__version__"]
