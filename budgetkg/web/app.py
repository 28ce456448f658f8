"""`budgetkg serve`: a Starlette (ASGI) app in front of a protected SPARQL endpoint.

Pages (Jinja2 templates in ``templates/``, everything they load in ``static/``; no CDN):
``/`` what the store holds and example questions; ``/queries`` and ``/queries/NAME`` every
named query with a form (``?format=csv|tsv|json`` downloads, in the CLI's formats);
``/id/…`` every IRI in the store under the ontology's ID base, HTML for browsers and Turtle /
JSON-LD / N-Triples by content negotiation; ``/editor`` the YASGUI SPARQL editor; ``/query``
(alias ``/sparql``) the SPARQL 1.1 Protocol endpoint, read-only, union default graph;
``/update`` and ``/store`` (Graph Store Protocol) only with ``--writable``; ``/source/FILE``
a source document from the ``--sources`` folder, when given.

Every query runs in an engine worker (``budgetkg.web.engine``): at most ``workers`` at once,
stopped at the timeout or when its client goes. Protocol queries are checked first
(``budgetkg.queries.protect``). Named queries are bound by ``budgetkg.api.query`` exactly as the
CLI binds them (any written variant of a 文号, a title fragment, a short organization name).
"""
from __future__ import annotations

import contextlib
import math
import re
import shlex
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote_to_bytes, urlencode, urlsplit

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from budgetkg.api import SUFFIXES
from budgetkg.graph_store.results import Result, Term
from budgetkg.ontology import iris
from budgetkg.ontology import terms as T
from budgetkg.queries import QueryError, bind, load_named_queries, named_query
from budgetkg.queries.protect import Refused, check_query, check_update
from budgetkg.queries.results import format_result
from budgetkg.web import lookups
from budgetkg.web.engine import Busy, ClientGone, EngineError, EnginePool, QueryTimeout, RemoteError

HERE = Path(__file__).parent
# Download formats of a named query page (the CLI's, minus the terminal table).
DOWNLOADS = {"csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
             "json": "application/sparql-results+json"}
# RDF media types an entity IRI answers in; HTML for browsers (Accept text/html or nothing specific).
RDF_MEDIA = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt"}
RDF_SUFFIX = {v: k for k, v in RDF_MEDIA.items()}
# Result media types of /query, by what the client accepts (SPARQL 1.1 Protocol); JSON by default.
RESULT_MEDIA = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", "application/json")
GRAPH_MEDIA = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
               "application/n-quads", "application/trig")
# A column holding yuan: shown in 万元 with separators, exact yuan on hover and in downloads.
YUAN_COLUMN = re.compile(r"(?:^|_)yuan$")
YUAN_PER_WAN = Decimal(10000)
# Paths the entity IRIs answer at: /id/… locally, and the IRI base's own path (/budgetkg/id/…),
# so that a proxy forwarding the IRIs' host as they are reaches the same pages.
ID_PATHS = tuple(dict.fromkeys(("/id/", urlsplit(iris.ID).path)))
# A run of percent-escapes in a request path (decoded back where the IRI keeps the character).
ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# Example questions on the home page: (question, named query, parameters).
EXAMPLES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("哪些项目引用了晋综示发(2020)49号？", "projects-citing", {"policy": "晋综示发(2020)49号"}),
    ("库里有哪些部门、哪些年度的预算公开？", "organizations", {}),
    ("各项目引用了哪些政策文件，各被引用几次？", "policies", {}),
    ("功能分类科目 21505 在各部门、各年度预算多少？", "subject-across", {"code": "21505"}),
    ("各部门的项目逐年怎样变化？", "project-history", {}),
    ("预算公开文件自身有哪些数据矛盾？", "findings", {"severity": "violation"}),
    ("哪些机关发文被引用？", "issuers", {}),
)
# Most projects in the year-over-year picture (the largest changes, up or down).
MAX_CHANGES = 30
LEVELS = {3: 0, 5: 1, 7: 2}  # subject code length -> 类 / 款 / 项 depth


@dataclass(frozen=True, slots=True)
class Settings:
    store: str
    writable: bool = False
    allow_service: bool = False
    timeout_s: float = 30.0
    workers: int = 2
    sources: Path | None = None  # folder holding the ingested files, for /source/FILE


def wan(value: str) -> str:
    """Yuan -> 万元 with separators: '11803400' -> '1,180.34'."""
    try:
        return f"{Decimal(value) / YUAN_PER_WAN:,.2f}"
    except InvalidOperation:
        return value


def yuan(value: str) -> str:
    try:
        return f"{Decimal(value):,.2f} 元"
    except InvalidOperation:
        return value


def example_params(example: str) -> dict[str, str]:
    """The parameters of a named query's ``# example:`` command line (``--param K=V`` pairs).

    >>> example_params("budgetkg query projects-citing --param policy='晋综示发【2020】49号'")
    {'policy': '晋综示发【2020】49号'}
    """
    try:
        words = shlex.split(example)
    except ValueError:
        return {}
    return dict(value.split("=", 1) for flag, value in zip(words, words[1:], strict=False)
                if flag in ("--param", "-p") and "=" in value)


def local_path(iri: str) -> str | None:
    """The app's own path for an IRI under the ID base (``/id/…``), else None."""
    return "/id/" + iri[len(iris.ID):] if iri.startswith(iris.ID) else None


def iri_from_path(raw_path: str) -> str:
    """``/id/…`` as requested -> the IRI in the store: percent-escapes of characters an IRI
    keeps as they are (CJK, unreserved ASCII) are decoded, the others (%2F …) kept as escapes."""
    rest = raw_path
    for prefix in ID_PATHS:
        if raw_path.startswith(prefix):
            rest = raw_path[len(prefix):]
            break

    def decode(match: re.Match[str]) -> str:
        try:
            text = unquote_to_bytes(match.group(0)).decode("utf-8")
        except UnicodeDecodeError:
            return match.group(0).upper()
        return "".join(ch if iris.KEEP_UNESCAPED.match(ch) else quote(ch, safe="") for ch in text)

    return iris.ID + ESCAPES.sub(decode, rest)


def negotiate(accept: str, offered: tuple[str, ...], default: str) -> str | None:
    """The first offered media type the Accept header names (q-values by order of preference),
    ``default`` for */* or no header, None if nothing matches."""
    if not accept.strip():
        return default
    ranges = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(p[2:])
        ranges.append((-q, i, media.lower()))
    for _, _, media in sorted(ranges):
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            family = media.split("/")[0]
            if family == "*" or default.startswith(family):
                return default
            for o in offered:
                if o.startswith(family + "/"):
                    return o
    return None


class WebApp:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = EnginePool(settings.store, settings.workers if not settings.writable else 1, settings.writable,
                               settings.timeout_s)
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape())
        self.templates.globals.update(local_path=local_path, wan=wan, yuan=yuan, settings=settings,
                                      ontology_ns=str(T.BK))
        self.templates.filters["urlencode_params"] = urlencode
        self.sources: dict[str, Path] | None = None  # file name -> path under --sources, built on first use

    # --- running things on the engine ---------------------------------------------------------
    async def run(self, request: Request, op: str, *args: Any) -> Any:
        return await self.pool.call(op, *args, gone=request.is_disconnected)

    async def select(self, request: Request, text: str) -> Result:
        return await self.run(request, "select", text)

    async def first(self, request: Request, text: str) -> dict[str, str] | None:
        rows = (await self.select(request, text)).dicts()
        return rows[0] if rows else None

    def page(self, template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
        html = self.templates.get_template(template).render(queries=load_named_queries(), **context)
        return HTMLResponse(html, status_code=http_status)

    def error_page(self, status: int, message: str) -> HTMLResponse:
        return self.page("error.html", status, status=status, message=message)

    # --- pages ----------------------------------------------------------------------------------
    async def home(self, request: Request) -> Response:
        counts = await self.first(request, lookups.COUNTS) or {}
        counts["policies"] = ((await self.first(request, lookups.COUNT_POLICIES)) or {}).get("n", "0")
        counts["projects"] = ((await self.first(request, lookups.COUNT_PROJECTS)) or {}).get("n", "0")
        organizations = await self.run(request, "query", "organizations", {})
        examples = [(question, f"/queries/{name}" + (f"?{urlencode(params)}" if params else ""))
                    for question, name, params in EXAMPLES]
        return self.page("home.html", counts=counts, organizations=self.table(organizations),
                         examples=examples)

    async def query_list(self, request: Request) -> Response:
        return self.page("queries.html")

    async def query_page(self, request: Request) -> Response:
        name = request.path_params["name"]
        queries = load_named_queries()
        if name not in queries:
            return self.error_page(404, f"no named query {name!r}")
        query = named_query(name)
        fmt = request.query_params.get("format", "")
        if fmt and fmt not in DOWNLOADS:
            return self.error_page(400, f"format {fmt!r}: one of {', '.join(DOWNLOADS)}")
        known = {p.name for p in query.params}
        given = {k: v for k, v in request.query_params.items() if k in known and v.strip()}
        missing = [p.name for p in query.params if p.required and p.name not in given]
        result, error = None, None
        if not missing:
            try:
                result = await self.run(request, "query", name, given)
            except RemoteError as err:
                if err.kind != "QueryError":
                    raise
                error = str(err)
        if fmt:
            if result is None:
                return PlainTextResponse(error or f"missing parameter(s): {', '.join(missing)}\n", status_code=400)
            return Response(format_result(result, fmt), media_type=DOWNLOADS[fmt], headers={
                "Content-Disposition": f"attachment; filename=\"{name}.{fmt}\""})
        downloads = [(fmt_name, f"/queries/{name}?{urlencode({**given, 'format': fmt_name})}")
                     for fmt_name in DOWNLOADS] if result is not None else []
        examples = [f"/queries/{name}?{urlencode(params)}" if params else f"/queries/{name}"
                    for params in map(example_params, query.examples)]
        return self.page("query.html", http_status=400 if error else 200, query=query, given=given,
                         table=self.table(result) if result is not None else None, error=error,
                         downloads=downloads, examples=list(zip(query.examples, examples, strict=True)))

    def table(self, result: Result) -> dict[str, Any]:
        """Header and rows ready for templates/table.html: each cell's text, sort key, hover and link."""
        rows = []
        for row in result.rows:
            values = {c: (t.value if t else "") for c, t in zip(result.columns, row, strict=False)}
            cells = [self.cell(column, term) for column, term in zip(result.columns, row, strict=False)]
            rows.append({"cells": cells, "link": self.row_link(values)})
        return {"columns": list(result.columns), "rows": rows,
                "numeric": [bool(YUAN_COLUMN.search(c)) or c in ("year", "depth") for c in result.columns]}

    def cell(self, column: str, term: Term | None) -> dict[str, str | None]:
        if term is None:
            return {"text": "", "sort": "", "title": None, "href": None}
        value = term.value
        if YUAN_COLUMN.search(column):
            return {"text": wan(value), "sort": value, "title": yuan(value), "href": None}
        href = local_path(value) if term.type == "uri" else None
        if column == "doc_number" and value:
            href = "/policy?" + urlencode({"ref": value})
        elif column == "code" and value:
            href = "/subject?" + urlencode({"code": value})
        elif column == "organization" and value:
            href = "/organization?" + urlencode({"name": value})
        return {"text": value, "sort": value, "title": None, "href": href}

    @staticmethod
    def row_link(values: dict[str, str]) -> str | None:
        """Where a row leads: the line or page it was read from when it says (findings), its project
        when it names one, else the disclosure of its organization and year."""
        organization, year = values.get("organization"), values.get("year")
        if not (organization and year):
            return None
        if values.get("line") or values.get("page"):
            return "/source-at?" + urlencode({"organization": organization, "year": year,
                                              **{k: values[k] for k in ("line", "page") if values.get(k)}})
        if values.get("project_name"):
            return "/project?" + urlencode({"organization": organization, "year": year,
                                            "name": values["project_name"]})
        return "/disclosure?" + urlencode({"organization": organization, "year": year,
                                           **({"kind": values["kind"]} if values.get("kind") else {})})

    async def resolve_disclosure(self, request: Request) -> Response:
        params = request.query_params
        found = await self.first(request, lookups.disclosure_iri(params.get("organization", ""),
                                                                 params.get("year", "0"), params.get("kind")))
        return self.redirect(found["d"] if found else None, "no such disclosure")

    async def resolve_source(self, request: Request) -> Response:
        """A line (of the text) or page (of the PDF) of a disclosure's source files."""
        params = request.query_params
        files = (await self.select(request, lookups.disclosure_files(params.get("organization", ""),
                                                                      params.get("year", "0")))).dicts()
        line, page = params.get("line", ""), params.get("page", "")
        for row in files:
            is_pdf = row["file"].lower().endswith(".pdf")
            if self.source_file(row["file"]) and ((line and not is_pdf) or (page and is_pdf)):
                anchor = f"#page={page}" if is_pdf else f"#L{line}"
                return RedirectResponse(f"/source/{quote(row['file'])}{anchor}", status_code=303)
        where = ", ".join(r["file"] for r in files) or "no file"
        return self.error_page(404, f"{where} {'line ' + line if line else 'page ' + page}: the file is not served "
                               f"(budgetkg serve --sources DIR serves the ingested files)")

    async def resolve_project(self, request: Request) -> Response:
        params = request.query_params
        try:
            found = await self.first(request, lookups.project_iri(params.get("organization", ""),
                                                                  params.get("year", "0"), params.get("name", "")))
        except RemoteError as err:
            return self.error_page(400, str(err))
        return self.redirect(found["p"] if found else None, "no such project")

    async def resolve_organization(self, request: Request) -> Response:
        found = await self.first(request, lookups.organization_iri(request.query_params.get("name", "")))
        return self.redirect(found["org"] if found else None, "no such organization")

    async def resolve_subject(self, request: Request) -> Response:
        found = await self.first(request, lookups.subject_iri(request.query_params.get("code", "").strip()))
        return self.redirect(found["s"] if found else None, "no such subject code")

    async def resolve_policy(self, request: Request) -> Response:
        reports = await self.run(request, "policy", request.query_params.get("ref", ""))
        return self.redirect(reports[0].policy if reports else None, "no cited document matches")

    def redirect(self, iri: str | None, missing: str) -> Response:
        path = local_path(iri) if iri else None
        if not path:
            return self.error_page(404, missing)
        return RedirectResponse(quote(path, safe="/%:~"), status_code=303)

    # --- entities -----------------------------------------------------------------------------
    async def entity(self, request: Request) -> Response:
        raw = request.scope.get("raw_path", b"").decode("ascii", "replace").split("?")[0] or request.url.path
        suffix = None
        for ext in RDF_SUFFIX:  # /id/…​.ttl etc. name a format where Accept cannot be set
            if raw.endswith("." + ext):
                suffix, raw = ext, raw[: -len(ext) - 1]
        iri = iri_from_path(raw)
        try:
            ox.NamedNode(iri)
        except ValueError:
            return self.failure(request, 404, f"{iri} is not an IRI")
        media = RDF_SUFFIX[suffix] if suffix else negotiate(
            request.headers.get("accept", ""), ("text/html", *RDF_MEDIA), "text/html")
        if media is None:
            return PlainTextResponse("this IRI is served as text/html, " + ", ".join(RDF_MEDIA) + "\n",
                                     status_code=406)
        if media != "text/html":
            described = await self.run(request, "describe", iri, media)
            if described is None:
                return PlainTextResponse(f"no {iri} in the store\n", status_code=404)
            return Response(described[1], media_type=described[0], headers={"Vary": "Accept"})
        return await self.entity_html(request, iri)

    async def entity_html(self, request: Request, iri: str) -> Response:
        types = {row["type"] for row in (await self.select(request, lookups.entity_types(iri))).dicts()}
        outgoing = (await self.select(request, lookups.outgoing(iri))).dicts()
        incoming = (await self.select(request, lookups.incoming(iri))).dicts()
        if not (types or outgoing or incoming):
            return self.error_page(404, f"no {iri} in the store")
        label = next((r["o"] for r in outgoing if r["p"] in (lookups.SKOS_PREF, lookups.RDFS_LABEL,
                                                                str(T.projectName), str(T.docNumber))), "")
        context: dict[str, Any] = {"iri": iri, "types": sorted(types), "outgoing": outgoing, "incoming": incoming,
                                   "label": label or iri.rsplit("/", 1)[-1], "sections": [],
                                   "formats": [(ext, local_path(iri) + "." + ext) for ext in RDF_SUFFIX]
                                   if local_path(iri) else []}
        sections: list[dict[str, Any]] = context["sections"]
        if str(T.Organization) in types:
            await self.organization_sections(request, iri, sections)
        if types & {str(T.Project), str(T.PerformanceSheet)}:
            await self.project_sections(request, iri, sections)
        if str(T.PolicyDocument) in types:
            report = await self.run(request, "policy_report", iri)
            sections.append({"kind": "policy", "report": report, "graph": citation_graph(report)})
        if str(T.SubjectCode) in types:
            code = next((r["o"] for r in outgoing if r["p"] == lookups.SKOS_NOTATION), None)
            if code:
                across = await self.run(request, "query", "subject-across", {"code": code})
                sections.append({"kind": "table", "title": "各部门、各年度 Across organizations and years",
                                 "table": self.table(across)})
        sources = (await self.select(request, lookups.sources_of(iri))).dicts()
        if sources:
            sections.append({"kind": "sources", "sources": [self.source_link(s) for s in sources]})
        return self.page("entity.html", **context)

    async def organization_sections(self, request: Request, iri: str, sections: list[dict[str, Any]]) -> None:
        disclosures = (await self.select(request, lookups.disclosures_of(iri))).dicts()
        if not disclosures:
            return
        sections.append({"kind": "disclosures", "disclosures": disclosures})
        names = list(dict.fromkeys(d["organization"] for d in disclosures))
        pictured: set[tuple[str, str, str]] = set()
        for d in disclosures:  # one picture per disclosure (a 部门 and a 单位 budget are two), not per file
            if (d["organization"], d["year"], d.get("kind", "")) in pictured:
                continue
            pictured.add((d["organization"], d["year"], d.get("kind", "")))
            params = {"organization": d["organization"], "year": d["year"], "org_kind": d.get("kind", "")}
            subjects = await self.run(request, "query", "subjects", {k: v for k, v in params.items() if v})
            if subjects.rows:
                sections.append({"kind": "bars", "title": f"{d['organization']} {d['year']} {d.get('kind', '')}: "
                                 "支出功能分类 Expenditure by subject (万元)", "bars": subject_bars(subjects)})
        history = await self.run(request, "query", "project-history", {"organization": names[0]})
        changes = [r for r in history.dicts() if r.get("change_yuan") and Decimal(r["change_yuan"]) != 0]
        changes = sorted(changes, key=lambda r: -abs(Decimal(r["change_yuan"])))[:MAX_CHANGES]
        if changes:
            sections.append({"kind": "changes", "title": "项目逐年变化 Year-over-year change of projects (万元)",
                             "changes": change_bars(changes)})
        label = next((r["o"] for r in (await self.select(request, lookups.outgoing(iri))).dicts()
                      if r["p"] == lookups.SKOS_PREF), names[0])
        tree = await self.run(request, "query", "organization-tree", {})
        near = [row for row, d in zip(tree.rows, tree.dicts(), strict=True)
                if label in (d.get("organization"), d.get("parent")) or d.get("organization") in names]
        if near:
            sections.append({"kind": "table", "title": "机构 Place in the organization tree",
                             "table": self.table(Result(tree.columns, near))})
        for name in names:
            projects = await self.run(request, "query", "projects", {"organization": name})
            if projects.rows:
                sections.append({"kind": "table", "title": f"{name}: 项目 Projects", "table": self.table(projects)})
            findings = await self.run(request, "query", "findings", {"organization": name})
            if findings.rows:
                sections.append({"kind": "table", "title": f"{name}: 数据核对 Findings", "table": self.table(findings)})

    async def project_sections(self, request: Request, iri: str, sections: list[dict[str, Any]]) -> None:
        facts = await self.first(request, lookups.project_facts(iri))
        if not facts:
            return
        history = await self.run(request, "query", "project-history",
                                 {"organization": facts["organization"], "name": facts["name"]})
        if history.rows:
            sections.append({"kind": "table", "title": "历年 History across years", "table": self.table(history)})
        citations = await self.run(request, "query", "citations",
                                   {"organization": facts["organization"], "year": facts["year"]})
        cited = Result(citations.columns, [row for row, d in zip(citations.rows, citations.dicts(), strict=True)
                                           if d.get("project_name") == facts["name"]])
        if cited.rows:
            sections.append({"kind": "table", "title": "引用的文件 Citations", "table": self.table(cited)})
        fields = await self.select(request, lookups.sheet_fields(iri))
        if fields.rows:
            sections.append({"kind": "table", "title": "绩效目标表 Sheet fields", "table": self.table(fields)})
        indicators = await self.select(request, lookups.sheet_indicators(iri))
        if indicators.rows:
            sections.append({"kind": "table", "title": "绩效指标 Indicators", "table": self.table(indicators)})

    def source_link(self, source: dict[str, str]) -> dict[str, str | None]:
        file, line, page = source.get("file", ""), source.get("line"), source.get("page")
        where = file + (f" 第{page}页 (page {page})" if page else "") + (f" 第{line}行 (line {line})" if line else "")
        href = None
        if self.source_file(file):
            href = f"/source/{quote(file)}" + (f"#page={page}" if page else f"#L{line}" if line else "")
        return {"where": where, "href": href}

    def source_file(self, name: str) -> Path | None:
        """The file called ``name`` in the --sources folder or below it (looked up by plain file
        name in an index of the folder: no path a client sends leaves it)."""
        if self.sources is None:
            folder = self.settings.sources
            found = sorted(folder.rglob("*")) if folder else []
            self.sources = {}
            for path in found:
                if path.is_file() and path.suffix.lower() in SUFFIXES:  # what ingest reads
                    self.sources.setdefault(path.name, path)
        return self.sources.get(name)

    async def source(self, request: Request) -> Response:
        name = request.path_params["name"]
        path = self.source_file(name)
        if path is None:
            return self.error_page(404, f"no source file {name!r} here (budgetkg serve --sources DIR serves them)")
        if path.suffix.lower() == ".pdf":
            return FileResponse(path, media_type="application/pdf")
        text = path.read_bytes().decode("utf-8", "replace")
        return self.page("source.html", name=name, lines=text.splitlines())

    # --- the SPARQL protocol ------------------------------------------------------------------
    async def sparql(self, request: Request) -> Response:
        params = await self.protocol_params(request)
        text = await self.protocol_text(request, "query")
        if text is None:
            return self.editor_or_usage(request)
        dataset = ([g for k, g in params if k == "default-graph-uri"], [g for k, g in params if k == "named-graph-uri"])
        try:
            for iri in (*dataset[0], *dataset[1]):
                ox.NamedNode(iri)
        except ValueError as err:
            return PlainTextResponse(f"default-graph-uri / named-graph-uri: {err}\n", status_code=400)
        try:
            checked = check_query(text, allow_service=self.settings.allow_service)
        except Refused as err:
            return PlainTextResponse(f"{err}\n", status_code=400)
        offered = GRAPH_MEDIA if checked.form in ("CONSTRUCT", "DESCRIBE") else RESULT_MEDIA
        media = negotiate(request.headers.get("accept", ""), offered, offered[0])
        if media is None:
            return PlainTextResponse(f"{checked.form} results are served as {', '.join(offered)}\n",
                                     status_code=406)
        if media == "application/json":
            media = "application/sparql-results+json"
        try:
            content_type, body = await self.run(request, "sparql", text, media, *dataset)
        except RemoteError as err:
            return PlainTextResponse(f"{err}\n", status_code=400)
        return Response(body, media_type=content_type)

    def editor_or_usage(self, request: Request) -> Response:
        if "text/html" in request.headers.get("accept", ""):
            return RedirectResponse("/editor", status_code=303)
        return PlainTextResponse("no query (SPARQL 1.1 Protocol: ?query=… or POST)\n", status_code=400)

    async def protocol_params(self, request: Request) -> list[tuple[str, str]]:
        """The protocol's parameters: the URL's, and a POSTed form's."""
        params = list(request.query_params.multi_items())
        if request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
            params += parse_qsl((await request.body()).decode("utf-8", "replace"))
        return params

    async def protocol_text(self, request: Request, key: str) -> str | None:
        """The query or update of a protocol request: GET ?query=, POST form, or POST body."""
        if request.method == "GET":
            return request.query_params.get(key)
        body = (await request.body()).decode("utf-8", "replace")
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "application/x-www-form-urlencoded":
            return dict(parse_qsl(body)).get(key)
        if media in (f"application/sparql-{key}", "") or body:
            return body
        return None

    async def update(self, request: Request) -> Response:
        if not self.settings.writable:
            return PlainTextResponse("The server is read-only (budgetkg serve --writable accepts updates)\n",
                                     status_code=403)
        text = await self.protocol_text(request, "update")
        if not text:
            return PlainTextResponse("no update\n", status_code=400)
        try:
            check_update(text, allow_service=self.settings.allow_service)
            await self.run(request, "update", text)
        except Refused as err:
            return PlainTextResponse(f"{err}\n", status_code=400)
        except RemoteError as err:
            return PlainTextResponse(f"{err}\n", status_code=400)
        return Response(status_code=204)

    async def graph_store(self, request: Request) -> Response:
        if request.method != "GET" and request.method != "HEAD" and not self.settings.writable:
            return PlainTextResponse("The server is read-only (budgetkg serve --writable accepts writes)\n",
                                     status_code=403)
        graph = request.query_params.get("graph")
        if graph is None and "default" not in request.query_params:
            return PlainTextResponse("?graph=IRI or ?default\n", status_code=400)
        body = await request.body() if request.method in ("PUT", "POST") else b""
        media = (request.headers.get("content-type", "") if body else
                 negotiate(request.headers.get("accept", ""), GRAPH_MEDIA, "application/n-triples")) or ""
        try:
            content_type, data = await self.run(request, "graph", request.method, graph, body,
                                                media.split(";")[0].strip())
        except RemoteError as err:
            status = 404 if err.kind == "LookupError" else 400
            return PlainTextResponse(f"{err}\n", status_code=status)
        if request.method == "GET":
            return Response(data, media_type=content_type)
        return Response(status_code=204)

    async def editor(self, request: Request) -> Response:
        """YASGUI, with every named query ready to load, bound with its first example's parameters."""
        texts = {}
        for name, query in load_named_queries().items():
            params = example_params(query.examples[0]) if query.examples else {}
            with contextlib.suppress(QueryError):
                texts[name] = bind(query, params)
        return self.page("editor.html", texts=texts, first=texts.get("organizations", ""))

    # --- the app ------------------------------------------------------------------------------
    def build(self) -> Starlette:
        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            started_here = not self.pool.started  # `budgetkg serve` starts it before it listens
            if started_here:
                await self.pool.start()
            try:
                yield
            finally:
                if started_here:
                    await self.pool.close()

        def guarded(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
            async def endpoint(request: Request) -> Response:
                try:
                    return await handler(request)
                except QueryTimeout as err:
                    return self.failure(request, 503, str(err))
                except ClientGone:
                    return Response(status_code=499)
                except Busy as err:
                    return self.failure(request, 503, str(err))
                except RemoteError as err:
                    return self.failure(request, 400 if err.kind == "QueryError" else 500, str(err))
                except EngineError as err:
                    return self.failure(request, 503, str(err))
            return endpoint

        routes = [
            Route("/", guarded(self.home)),
            Route("/queries", guarded(self.query_list)),
            Route("/queries/{name}", guarded(self.query_page)),
            Route("/project", guarded(self.resolve_project)),
            Route("/disclosure", guarded(self.resolve_disclosure)),
            Route("/source-at", guarded(self.resolve_source)),
            Route("/organization", guarded(self.resolve_organization)),
            Route("/subject", guarded(self.resolve_subject)),
            Route("/policy", guarded(self.resolve_policy)),
            *(Route(prefix + "{rest:path}", guarded(self.entity)) for prefix in ID_PATHS),
            Route("/source/{name}", guarded(self.source)),
            Route("/editor", guarded(self.editor)),
            Route("/query", guarded(self.sparql), methods=["GET", "POST"]),
            Route("/sparql", guarded(self.sparql), methods=["GET", "POST"]),
            Route("/update", guarded(self.update), methods=["POST"]),
            Route("/store", guarded(self.graph_store), methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]
        return Starlette(routes=routes, lifespan=lifespan)

    def failure(self, request: Request, status: int, message: str) -> Response:
        if "text/html" in request.headers.get("accept", ""):
            return self.error_page(status, message)
        return PlainTextResponse(f"{message}\n", status_code=status)


def create_app(settings: Settings) -> Starlette:
    return WebApp(settings).build()


def subject_bars(subjects: Result) -> list[dict[str, Any]]:
    """Subjects of one organization as nested bars: year, then 类 → 款 → 项, widths relative to
    the largest 类 of that year."""
    bars: list[dict[str, Any]] = []
    rows = [r for r in subjects.dicts() if r.get("total_yuan")]
    for year in sorted({r["year"] for r in rows}):
        of_year = [r for r in rows if r["year"] == year]
        top = max((Decimal(r["total_yuan"]) for r in of_year if len(r["code"]) == 3), default=Decimal(0))
        for r in of_year:
            amount = Decimal(r["total_yuan"])
            bars.append({"year": year, "code": r["code"], "name": r["name"], "depth": LEVELS.get(len(r["code"]), 2),
                         "yuan": r["total_yuan"],
                         "percent": float(amount / top * 100) if top > 0 else 0.0})
    return bars


def change_bars(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Projects with a previous year, bars of their change (negative to the left)."""
    largest = max((abs(Decimal(r["change_yuan"])) for r in rows), default=Decimal(0))
    return [{"name": r["project_name"], "year": r["year"], "previous_year": r.get("previous_year", ""),
             "yuan": r["change_yuan"], "negative": Decimal(r["change_yuan"]) < 0,
             "percent": float(abs(Decimal(r["change_yuan"])) / largest * 50) if largest > 0 else 0.0}
            for r in rows]


# The citation graph picture of a cited document: SVG size and the ring the neighbours sit on.
GRAPH_SIZE, GRAPH_RADIUS = 640, 230
# Most neighbours drawn around a document (relations first, then citing disclosures).
GRAPH_MAX_NODES = 24


def citation_graph(report: Any) -> dict[str, Any]:
    """A cited document in the middle, around it the documents it is related to (forwards,
    based on, repeals, cites, same document, typo candidates) and the disclosures citing it."""
    neighbours: list[dict[str, Any]] = []
    for rel in report.relations:
        neighbours.append({"label": rel.label, "href": local_path(rel.other), "edge": rel.relation,
                           "out": rel.direction == "out", "kind": "document"})
    citing: dict[tuple[str, int], int] = {}
    for c in report.citations:
        citing[(c.organization, c.year)] = citing.get((c.organization, c.year), 0) + 1
    for (organization, year), count in sorted(citing.items()):
        neighbours.append({"label": f"{organization} {year}", "href": "/organization?" + urlencode(
            {"name": organization}), "edge": f"cites ×{count}", "out": False, "kind": "disclosure"})
    neighbours = neighbours[:GRAPH_MAX_NODES]
    centre = GRAPH_SIZE / 2
    for i, node in enumerate(neighbours):
        angle = 2 * math.pi * i / max(len(neighbours), 1) - math.pi / 2
        node["x"], node["y"] = centre + GRAPH_RADIUS * math.cos(angle), centre + GRAPH_RADIUS * math.sin(angle)
    return {"size": GRAPH_SIZE, "centre": centre, "label": report.doc_number or (report.titles or [""])[0],
            "nodes": neighbours}
