"""Documents -> records -> RDF. Never imports graph_store; the CLI wires the two."""
