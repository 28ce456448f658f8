"""The budgetkg ontology: Turtle, SHACL shapes, term constants and IRI minting."""
from pathlib import Path

ONTOLOGY_TTL = Path(__file__).with_name("budgetkg.ttl")
SHAPES_TTL = Path(__file__).with_name("shapes.ttl")
