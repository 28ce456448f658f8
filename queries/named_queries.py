"""Loading, describing and binding the named queries."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from budgetkg.ingest.organizations import organization_key
from budgetkg.ingest.references import canonical_doc_number, normalise_title

NAMED_DIR = Path(__file__).with_name("named")
PARAMS_MARKER = "#@params"
HEADER = re.compile(r"^#\s*(?P<key>description|param|columns|example)(?:\s+(?P<name>[\w-]+))?\s*:\s*(?P<value>.*)$")
PARAM_SPEC = re.compile(r"^(?P<type>\w+)\s*,\s*(?P<req>required|optional)\s*(?::\s*(?P<help>.*))?$")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


class QueryError(Exception):
    """A query name, parameter or text the user gave cannot be run."""


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str  # string | integer | policy | organization (matched by key) | text (NFKC, no spaces)
    required: bool
    help: str = ""


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    text: str
    examples: tuple[str, ...] = field(default=())


def rq_to_named_query(name: str, text: str) -> NamedQuery:
    description, columns, params, examples = "", (), [], []
    for line in text.splitlines():
        match = HEADER.match(line)
        if not match:
            continue
        key, value = match.group("key"), match.group("value").strip()
        if key == "description":
            description = value
        elif key == "columns":
            columns = tuple(c.strip() for c in value.split(","))
        elif key == "example":
            examples.append(value)
        elif key == "param":
            spec = PARAM_SPEC.match(value)
            if not spec or not match.group("name"):
                raise QueryError(f"{name}.rq: bad param header {line!r}")
            params.append(Param(match.group("name"), spec.group("type"), spec.group("req") == "required",
                                spec.group("help") or ""))
    return NamedQuery(name, description, tuple(params), columns, text, tuple(examples))


@cache
def load_named_queries() -> dict[str, NamedQuery]:
    return {p.stem: rq_to_named_query(p.stem, p.read_text(encoding="utf-8"))
            for p in sorted(NAMED_DIR.glob("*.rq"))}


def named_query(name: str) -> NamedQuery:
    queries = load_named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; known: {', '.join(queries)}")
    return queries[name]


def param_to_terms(param: Param, value: str | None) -> dict[str, ox.Literal | None]:
    """User value -> the query variables it binds (``?param_<name>``)."""
    if value is None:
        if param.type == "policy":
            return {"param_doc_number": None, "param_title": None}
        if param.type == "organization":
            return {f"param_{param.name}_key": None}
        return {f"param_{param.name}": None}
    if param.type == "organization":
        # Any printed form of the name (prefix variants, width, spaces) finds the organization.
        return {f"param_{param.name}_key": ox.Literal(organization_key(value))}
    if param.type == "text":
        return {f"param_{param.name}": ox.Literal("".join(unicodedata.normalize("NFKC", value).split()))}
    if param.type == "integer":
        if not re.fullmatch(r"-?\d+", value.strip()):
            raise QueryError(f"--param {param.name}: {value!r} is not an integer")
        return {f"param_{param.name}": ox.Literal(value.strip(), datatype=XSD_INTEGER)}
    if param.type == "policy":
        number = canonical_doc_number(value)
        if number:
            return {"param_doc_number": ox.Literal(number), "param_title": None}
        return {"param_doc_number": None, "param_title": ox.Literal(normalise_title(value))}
    return {f"param_{param.name}": ox.Literal(value.strip())}


def values_block(bindings: dict[str, ox.Literal | None]) -> str:
    """``VALUES (?a ?b) { ("x" UNDEF) }`` from pyoxigraph terms."""
    if not bindings:
        return ""
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(str(t) if t is not None else "UNDEF" for t in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def bind(query: NamedQuery, values: dict[str, str]) -> str:
    """The query text with its parameters bound; unknown or missing parameters are errors."""
    known = {p.name for p in query.params}
    unknown = set(values) - known
    if unknown:
        raise QueryError(f"{query.name}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                         f"takes {', '.join(sorted(known)) or 'none'}")
    bindings: dict[str, ox.Literal | None] = {}
    for param in query.params:
        value = values.get(param.name)
        if value is None and param.required:
            raise QueryError(f"{query.name}: missing --param {param.name}=VALUE ({param.help})")
        bindings.update(param_to_terms(param, value))
    block = values_block(bindings)
    if PARAMS_MARKER not in query.text:
        return query.text
    return query.text.replace(PARAMS_MARKER, block, 1)
