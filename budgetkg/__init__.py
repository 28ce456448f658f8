"""budgetkg: Chinese public-budget disclosures -> an RDF knowledge graph in Oxigraph.

Library first: everything the command line does is a function in budgetkg.api.
"""
__version__ = "0.1.0"
