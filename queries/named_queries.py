"""Loading, describing and binding the named queries."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from budgetkg.exit_codes import Exit
from budgetkg.ingest.organizations import organization_key
from budgetkg.ingest.pipeline import READ_LOSS_CHECK
from budgetkg.ingest.reconcile import CHECKS
from budgetkg.ingest.references import canonical_doc_number, normalise_title

NAMED_DIR = Path(__file__).with_name("named")
PARAMS_MARKER = "#@params"
# A header comment of a .rq file: "# key: value", or "# param NAME: spec".
HEADER = re.compile(r"^#\s*(?P<key>description|param|columns|example|scope)(?:\s+(?P<name>[\w-]+))?"
                    r"\s*:\s*(?P<value>.*)$")
PARAM_SPEC = re.compile(r"^(?P<type>\w+)\s*,\s*(?P<req>required|optional)\s*(?::\s*(?P<help>.*))?$")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
# An integer parameter: optional sign, ASCII digits (full-width ones are NFKC-normalised first).
INTEGER_VALUE = re.compile(r"[+-]?\d+", re.ASCII)
# Longest parameter value accepted, in characters (a title or organization name is far shorter).
PARAM_MAX_CHARS = 1000
# Parameters whose value must be one of a known set, whatever query takes them: the check ids
# stored in findings (reconciliation checks and the reader's losses), severities, disclosure kinds.
PARAM_CHOICES: dict[str, tuple[str, ...]] = {
    "check": (*CHECKS, READ_LOSS_CHECK),
    "severity": ("violation", "warning", "info"),
    "org_kind": ("部门", "单位"),
}


class QueryError(Exception):
    """A query name, parameter or text the user gave cannot be run (exit status 2)."""

    exit_code = Exit.USAGE


class QueryFailed(QueryError):
    """A valid query the engine could not finish: a SERVICE it could not reach, say (exit status 1)."""

    exit_code = Exit.FAILED


class QueryTimeout(QueryFailed):
    """A query stopped at its timeout (exit status 5)."""

    exit_code = Exit.TIMEOUT


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
    # which document graphs its answer comes from, looked up first (budgetkg.queries.scope)
    scope: str = ""


def rq_to_named_query(name: str, text: str) -> NamedQuery:
    description, columns, params, examples, scope = "", (), [], [], ""
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
        elif key == "scope":
            scope = value
        elif key == "param":
            spec = PARAM_SPEC.match(value)
            if not spec or not match.group("name"):
                raise QueryError(f"{name}.rq: bad param header {line!r}")
            params.append(Param(match.group("name"), spec.group("type"), spec.group("req") == "required",
                                spec.group("help") or ""))
    return NamedQuery(name, description, tuple(params), columns, text, tuple(examples), scope)


@cache
def load_named_queries() -> dict[str, NamedQuery]:
    return {p.stem: rq_to_named_query(p.stem, p.read_text(encoding="utf-8"))
            for p in sorted(NAMED_DIR.glob("*.rq"))}


def named_query(name: str) -> NamedQuery:
    queries = load_named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; known: {', '.join(queries)}")
    return queries[name]


def shown(value: str) -> str:
    """A value as the user typed it, for a message: bytes that are not UTF-8 as ``\\xff``."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def normalise_value(param: Param, value: str) -> str:
    """The user's value checked and NFKC-normalised (full-width digits and letters become ASCII),
    or QueryError: not UTF-8, empty, too long, not one of the parameter's choices."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(f"--param {param.name}={shown(value)}: not valid UTF-8 text") from None
    if len(value) > PARAM_MAX_CHARS:
        raise QueryError(f"--param {param.name}: a value of {len(value)} characters; at most {PARAM_MAX_CHARS}")
    normal = unicodedata.normalize("NFKC", value).strip()
    if not normal:
        leave_out = "" if param.required else "; leave it out to match any"
        raise QueryError(f"--param {param.name}: empty value{leave_out}")
    choices = PARAM_CHOICES.get(param.name)
    if choices:
        chosen = {c.lower(): c for c in choices}.get(normal.lower())
        if chosen is None:
            raise QueryError(f"--param {param.name}={normal}: not a known {param.name}; one of {', '.join(choices)}")
        return chosen
    return normal


def param_to_terms(param: Param, value: str | None) -> dict[str, ox.Literal | None]:
    """User value -> the query variables it binds (``?param_<name>``)."""
    if value is None:
        if param.type == "policy":
            return {"param_doc_number": None, "param_title": None}
        if param.type == "organization":
            return {f"param_{param.name}_key": None}
        return {f"param_{param.name}": None}
    value = normalise_value(param, value)
    if param.type == "organization":
        # Any printed form of the name (prefix variants, width, spaces) finds the organization.
        key = organization_key(value)
        if not key:
            raise QueryError(f"--param {param.name}={value}: no organization name left once normalised")
        return {f"param_{param.name}_key": ox.Literal(key)}
    if param.type == "text":
        return {f"param_{param.name}": ox.Literal("".join(value.split()))}
    if param.type == "integer":
        if not INTEGER_VALUE.fullmatch(value):
            raise QueryError(f"--param {param.name}: {value!r} is not an integer")
        return {f"param_{param.name}": ox.Literal(str(int(value)), datatype=XSD_INTEGER)}
    if param.type == "policy":
        number = canonical_doc_number(value)
        if number:
            return {"param_doc_number": ox.Literal(number), "param_title": None}
        title = normalise_title(value)
        if not title:
            raise QueryError(f"--param {param.name}={value}: neither a 文号 nor a title")
        return {"param_doc_number": None, "param_title": ox.Literal(title)}
    return {f"param_{param.name}": ox.Literal(value)}


def params_from_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """``KEY=VALUE`` strings (the CLI's ``--param``s) -> a dict; a key given twice is an error
    (every parameter takes one value), as is an item without ``=``."""
    params: dict[str, str] = {}
    for item in pairs:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError(f"--param {shown(item)!r}: expected KEY=VALUE")
        if key in params:
            raise QueryError(f"--param {shown(key)} given twice ({shown(params[key])!r} and {shown(value)!r}); "
                             "a parameter takes one value")
        params[key] = value
    return params


def values_block(bindings: dict[str, ox.Literal | None]) -> str:
    """``VALUES (?a ?b) { ("x" UNDEF) }`` from pyoxigraph terms."""
    if not bindings:
        return ""
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(str(t) if t is not None else "UNDEF" for t in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def iri_values(variable: str, iris: Iterable[str]) -> str:
    """``VALUES ?variable { <a> <b> }`` for IRIs read from the store (pyoxigraph writes and checks
    each); no IRIs: an empty block, which matches nothing."""
    return f"VALUES ?{variable} {{ " + " ".join(str(ox.NamedNode(iri)) for iri in iris) + " }"


def bound_terms(query: NamedQuery, values: dict[str, str]) -> dict[str, ox.Literal | None]:
    """The query variables the user's values bind (None: not given); unknown or missing
    parameters are errors."""
    known = {p.name for p in query.params}
    unknown = set(values) - known
    if unknown:
        raise QueryError(f"{query.name}: unknown parameter(s) {', '.join(sorted(shown(k) for k in unknown))}; "
                         f"takes {', '.join(sorted(known)) or 'none'}")
    bindings: dict[str, ox.Literal | None] = {}
    for param in query.params:
        value = values.get(param.name)
        if value is None and param.required:
            raise QueryError(f"{query.name}: missing --param {param.name}=VALUE ({param.help})")
        bindings.update(param_to_terms(param, value))
    return bindings


def bind(query: NamedQuery, values: dict[str, str]) -> str:
    """The query text with its parameters bound (a VALUES block at each ``#@params`` marker: a
    query may bind them in several groups, where the engine should start from them); unknown or
    missing parameters are errors."""
    block = values_block(bound_terms(query, values))
    return query.text.replace(PARAMS_MARKER, block)
