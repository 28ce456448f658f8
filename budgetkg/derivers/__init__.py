"""Derivers: cross-document facts computed from the document graphs (see budgetkg/derive.py).

- organizations: one skos:prefLabel per organization (its most frequent printed name), the rest altLabels;
- schemes: the same for subject codes and economic items, printed variants of funding sources;
- projects: the same organization's projects linked across years (exact and candidate links);
- headlines: per disclosure and document, its organization, year, kind, code and headline figures;
- issuers: per issuer of cited documents, its documents, citations, citing projects and organizations;
- policies: title-only mentions linked to the numbered document of the same title; suspected
  typos of a 文号 as scored candidates (never merged).
"""
