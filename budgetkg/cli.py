"""The `budgetkg` command line: a thin layer over budgetkg.api."""
from __future__ import annotations

import functools
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from budgetkg import __version__, api
from budgetkg.api import (
    AUTH_ENV,
    ENDPOINT_ENV,
    FORMATS,
    GRAPH_STORE_ENDPOINT_ENV,
    PASSWORD_ENV,
    STORE_ENV,
    UPDATE_ENDPOINT_ENV,
    USER_ENV,
    Endpoint,
    IngestError,
    QueryError,
    StoreError,
    default_store_path,
    format_result,
    load_named_queries,
    rows_to_result,
)

STORE_OPTION = click.option(
    "--store", "store", type=click.Path(file_okay=False), default=None,
    help=f"Store directory (default: ${STORE_ENV}, else ./budgetkg-data).",
)


def remote_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--endpoint / --update-endpoint / --graph-store-endpoint, turned into one ``endpoint``
    argument (an Endpoint, or None for the embedded store). Credentials: environment only."""

    @functools.wraps(command)
    def wrapper(*args: Any, endpoint_url: str | None, update_endpoint: str | None,
                graph_store_endpoint: str | None, **kwargs: Any) -> Any:
        if endpoint_url and kwargs.get("store"):
            fail("give --store or --endpoint, not both")
        for option, url in (("--endpoint", endpoint_url), ("--update-endpoint", update_endpoint),
                            ("--graph-store-endpoint", graph_store_endpoint)):
            require_text(option, url)
        try:
            endpoint = Endpoint.from_env(endpoint_url, update_endpoint, graph_store_endpoint)
        except StoreError as err:
            fail(str(err))
        if kwargs.get("store"):
            endpoint = None  # an explicit --store wins over $BUDGETKG_ENDPOINT
        return command(*args, endpoint=endpoint, **kwargs)

    options = [
        click.option("--endpoint", "endpoint_url", default=None, metavar="URL",
                     help=f"Use this remote SPARQL query endpoint instead of a store directory "
                          f"(default: ${ENDPOINT_ENV}). Credentials come from ${USER_ENV}, ${PASSWORD_ENV} "
                          f"and ${AUTH_ENV}=basic|digest, never from the command line."),
        click.option("--update-endpoint", default=None, metavar="URL",
                     help=f"SPARQL update endpoint, if not the query URL (default: ${UPDATE_ENDPOINT_ENV})."),
        click.option("--graph-store-endpoint", default=None, metavar="URL",
                     help=f"SPARQL 1.1 Graph Store Protocol endpoint, used to replace a document's graph "
                          f"in one request (default: ${GRAPH_STORE_ENDPOINT_ENV}).")]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def where(store: str | None, endpoint: Endpoint | None) -> str:
    return endpoint.query if endpoint else (store or default_store_path())


def store_status(store: str | None, endpoint: Endpoint | None) -> int:
    """The exit status of a store error with no status of its own: 2 when there is no store
    directory where one was named or the --endpoint cannot be reached (the argument is wrong),
    else 4 (the store directory cannot be used now: another process is changing it, it cannot be
    opened; budgetkg.exit_codes)."""
    if endpoint is not None or not Path(store or default_store_path()).exists():
        return api.Exit.USAGE
    return api.Exit.STORE


def default_format() -> str:
    return "table" if sys.stdout.isatty() else "csv"


FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                             help="Output format (default: table on a terminal, csv otherwise).")


# An error line is cut to about this many characters (a PDF parser's or an engine's text can run
# to thousands); a usage error listing the accepted values (check ids, query names) is left whole.
MESSAGE_MAX_CHARS = 200
# Exit status after Ctrl-C, as a shell reports a process killed by SIGINT (128 + 2).
INTERRUPTED = 130
T = TypeVar("T")


def one_line(message: str, limit: int | None = MESSAGE_MAX_CHARS) -> str:
    """``message`` on one line, bytes that are not UTF-8 shown as ``\\xff``, cut to ``limit`` characters."""
    text = " ".join(message.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace").split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def fail(message: str, code: int = 2, *, whole: bool = False) -> NoReturn:
    """Print one line ``budgetkg: message`` on standard error and exit with ``code``."""
    click.echo(f"budgetkg: {one_line(message, None if whole else MESSAGE_MAX_CHARS)}", err=True)
    sys.exit(code)


def fail_for(err: BaseException, default: int = api.Exit.USAGE) -> NoReturn:
    """One line for an error of the library: its ``exit_code`` if it has one (budgetkg.exit_codes), else ``default``;
    a QueryError (our own message, listing what is accepted) is printed whole. With --debug, the traceback first."""
    if debugging():
        traceback.print_exception(err)
    fail(str(err), getattr(err, "exit_code", default), whole=isinstance(err, QueryError))


def require_text(name: str, value: str | None) -> None:
    """Exit 2 with one line when an argument that is text (not a file name) holds bytes that are not UTF-8."""
    try:
        (value or "").encode("utf-8")
    except UnicodeEncodeError:
        fail(f"{name} '{value}': not valid UTF-8 text")


def debugging() -> bool:
    """Whether ``budgetkg --debug`` was given."""
    context = click.get_current_context(silent=True)
    return bool(context and context.find_root().params.get("debug"))


def describe_unexpected(err: BaseException) -> tuple[str, int]:
    """An exception no command handled -> (one line, exit status): an argument that is not UTF-8,
    a file that cannot be written, an engine's error, memory; else an internal error."""
    if isinstance(err, UnicodeError):
        return f"an argument is not valid UTF-8 text ({err})", api.Exit.USAGE
    if isinstance(err, OSError):
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror or err}", api.Exit.FAILED
    if isinstance(err, RuntimeError):  # RocksDB and Oxigraph report store failures so
        return f"store error: {err}", api.Exit.STORE
    if isinstance(err, MemoryError):
        return "out of memory", api.Exit.FAILED
    return f"internal error: {type(err).__name__}: {err} (run `budgetkg --debug …` for the traceback)", api.Exit.FAILED


class Main(click.Group):
    """The ``budgetkg`` group: no traceback reaches the user. An exception a command did not turn
    into a message becomes one line ``budgetkg: …`` and a documented exit status
    (budgetkg.exit_codes); ``budgetkg --debug COMMAND`` shows the traceback instead."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            fail("interrupted", INTERRUPTED)
        except Exception as err:  # noqa: BLE001 - the last line of defence
            if ctx.params.get("debug"):
                raise
            if hasattr(err, "exit_code") and isinstance(err, StoreError | QueryError | ValueError):
                fail_for(err)
            message, code = describe_unexpected(err)
            fail(message, code)
        except BaseException as err:  # a Rust panic (pyo3's PanicException is a BaseException)
            if ctx.params.get("debug") or isinstance(err, SystemExit | GeneratorExit):
                raise
            fail(f"internal error: {type(err).__name__}: {err} (run `budgetkg --debug …` for the traceback)",
                 api.Exit.FAILED)


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="budgetkg")
@click.option("--debug", is_flag=True, default=False,
              help="On an error, show the Python traceback instead of one line.")
def main(debug: bool) -> None:
    """Chinese public-budget disclosures -> an RDF knowledge graph, queried with SPARQL.

    \b
    Reads the national family of disclosure layouts (the numbered 预算公开表1-13, the
    nine-table layout, …) through one table catalogue.

    \b
    Example:
      budgetkg ingest examples/*.pdf examples/nine-table/*.pdf
      budgetkg query projects-citing --param policy='晋综示发【2020】49号'
      budgetkg query organizations
    """


def jobs_option(help_text: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--jobs N`` / ``-j N``: worker processes for the slow part of a command."""
    return click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True, help=help_text)


@main.command()
@STORE_OPTION
@remote_options
@jobs_option("Parse files in this many worker processes (one writer stores them).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Parse on this Dask cluster (tcp://HOST:PORT); with --endpoint each worker writes its "
                   "document graph to the engine. The files must be at the same path on every worker.")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def ingest(store: str | None, jobs: int, scheduler: str | None, paths: tuple[str, ...],
           endpoint: Endpoint | None) -> None:
    """Ingest disclosures (.pdf/.txt/.md files or folders of them).

    Each file becomes one named graph; ingesting it again replaces that graph.
    A file that cannot be ingested is reported on one line; the others go on,
    and the exit status is 1 at the end. A file read only in part (a damaged
    PDF) gets a warning line and a stored finding; exit status 3 when that is
    all that went wrong (see the README's "Failure behaviour").

    \b
    Example:
      budgetkg ingest --store ./kg examples/ downloads/2026-budget.pdf
      budgetkg ingest --scheduler tcp://10.0.0.5:8786 --endpoint http://10.0.0.9:7878/query \
                      --update-endpoint http://10.0.0.9:7878/update \
                      --graph-store-endpoint http://10.0.0.9:7878/store /shared/disclosures/
    """
    started = time.perf_counter()
    files = api.expand_paths(paths)
    if not files:
        fail("nothing to ingest (no .pdf/.txt/.md files in the paths given)")
    errors: list[str] = []
    # One bar over files; while PDFs are read, its label shows their pages.
    show_bar = (len(files) > 1 or files[0].lower().endswith(api.PDF_SUFFIXES)) and sys.stderr.isatty()
    pages: dict[str, str] = {}
    page_totals: dict[str, int] = {}  # pages per PDF, for the end summary
    with click.progressbar(length=len(files), label="ingesting", file=sys.stderr,
                           show_pos=True, hidden=not show_bar) as bar:

        def on_file(path: str, error: str | None) -> None:
            pages.pop(path, None)
            if error:
                errors.append(f"{path}: {error}")
                line = f"budgetkg: {one_line(f'{path}: {error}')}"  # a broken PDF's reason can run to pages
                click.echo(f"\n{line}" if show_bar else line, err=True)
            bar.label = page_label(pages)
            bar.update(1)

        def on_page(path: str, done: int, total: int) -> None:
            page_totals[path] = total
            pages[path] = f"{Path(path).name} page {done}/{total}"
            bar.label = page_label(pages)
            bar.render_progress()

        try:
            report = api.ingest(files, store or default_store_path(), jobs=jobs, on_file=on_file,
                                on_page=on_page, endpoint=endpoint, scheduler=scheduler)
        except StoreError as err:
            fail_for(err, store_status(store, endpoint))
    for path, losses in report.losses:
        more = f" (and {len(losses) - 1} more)" if len(losses) > 1 else ""
        click.echo(f"budgetkg: warning: {path}: ingested with losses: {losses[0]}{more}", err=True)
    triples = sum(n for _, _, n in report.ingested)
    with_losses = f", {len(report.losses)} with losses" if report.losses else ""
    # the end summary: files, pages (of PDFs read here; none for text, nor on a --scheduler cluster),
    # triples, seconds, rejects
    click.echo(f"ingested {len(report.ingested)} of {len(files)} file(s){with_losses}, {triples} triples "
               f"into {where(store, endpoint)}; {sum(page_totals.values())} PDF page(s), "
               f"{time.perf_counter() - started:.1f} s, {len(report.failed)} rejected", err=True)
    for org, year, ids in report.same_disclosure:
        click.echo(f"budgetkg: note: {', '.join(ids)} are sources of one disclosure ({org} {year}); "
                   "it is stored once, each fact with the provenance of every source", err=True)
    if not report.ok:
        sys.exit(api.Exit.FAILED)
    if report.losses:
        sys.exit(api.Exit.LOSSES)


def page_label(pages: dict[str, str]) -> str:
    return "ingesting " + ", ".join(pages.values()) if pages else "ingesting"


@main.command()
@click.argument("query")
@STORE_OPTION
@remote_options
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="Query parameter (repeatable, each KEY once).")
@FORMAT_OPTION
@click.option("--timeout", type=click.FloatRange(min=0), default=api.DEFAULT_TIMEOUT_S, show_default=True,
              metavar="SECONDS", help="Stop the query after this many seconds (exit status 5); 0: no limit.")
def query(query: str, store: str | None, params: tuple[str, ...], fmt: str | None, timeout: float,
          endpoint: Endpoint | None) -> None:
    """Run a named query, a .rq file, or inline SPARQL over all documents.

    At --timeout the command stops with exit status 5 (pyoxigraph cannot cancel a
    query: the process ends, and the query with it); --timeout 0: no limit. A query too
    large or nested too deep (README, "Failure behaviour") is refused before it runs.
    Exit status: 2 a bad name, parameter or query; 1 the engine failed (a SERVICE);
    4 the store cannot be read now; 5 the timeout.

    \b
    Examples:
      budgetkg query organizations
      budgetkg query projects --param year=2026 --format csv
      budgetkg query projects-citing --param policy='晋综示发(2020)49号'
      budgetkg query my-question.rq
      budgetkg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --timeout 10
    """
    try:
        if timeout:
            api.check_timeout(timeout)
        values = api.params_from_pairs(params)
        result = within(timeout, lambda: api.query(query, values, store or default_store_path(), endpoint=endpoint))
    except (QueryError, StoreError) as err:
        fail_for(err, store_status(store, endpoint))
    click.echo(format_result(result, fmt or default_format()), nl=False)


def within(timeout: float, work: Callable[[], T]) -> T:
    """``work()`` on a thread of its own (pyoxigraph releases the GIL while it evaluates); past
    ``timeout`` seconds (0: none) one line and exit status 5. A query cannot be cancelled, so the
    process ends and the query with it (queries/deadline.py: the library uses a child process)."""
    if not timeout:
        return work()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as err:  # noqa: BLE001 - raised again on the main thread
            outcome["error"] = err
            # pyoxigraph's objects in the failed frames must be dropped on this thread (they are "unsendable").
            cause: BaseException | None = err
            while cause is not None:
                traceback.clear_frames(cause.__traceback__)
                cause = cause.__cause__ or cause.__context__

    thread = threading.Thread(target=run, name="budgetkg-query", daemon=True)
    thread.start()
    try:
        thread.join(timeout)
    except KeyboardInterrupt:
        stop_now("interrupted", INTERRUPTED)
    if thread.is_alive():
        stop_now(str(api.timed_out(timeout)), api.Exit.TIMEOUT)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def stop_now(message: str, code: int) -> NoReturn:
    """One line, then end the process at once: a query still running on another thread cannot be
    stopped otherwise, and it has written nothing (a read-only store, no output yet)."""
    click.echo(f"budgetkg: {one_line(message)}", err=True)
    sys.stderr.flush()
    os._exit(code)


@main.command("queries")
@FORMAT_OPTION
def list_queries(fmt: str | None) -> None:
    """List the named queries, their parameters and columns.

    \b
    Example:
      budgetkg queries --format table
    """
    rows = []
    for q in load_named_queries().values():
        params = ", ".join(f"{p.name}{'' if p.required else '?'} ({p.type})" for p in q.params)
        rows.append((q.name, params, ", ".join(q.columns), q.description))
    click.echo(format_result(rows_to_result(["name", "parameters", "columns", "description"], rows),
                             fmt or default_format()), nl=False)


@main.command()
@STORE_OPTION
@remote_options
@click.option("--format", "fmt", type=click.Choice(list(api.EXPORT_FORMATS)), default="turtle", show_default=True)
@click.option("--document", "document_id", default=None, help="Export only this document (see `budgetkg documents`).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output (never inside a store directory).")
@click.option("--force", is_flag=True, default=False, help="Overwrite the -o file if it exists.")
def export(store: str | None, fmt: str, document_id: str | None, output: str | None, force: bool,
           endpoint: Endpoint | None) -> None:
    """Export the graph as Turtle (union of all documents), TriG or N-Quads.

    With -o, the file is written whole or not at all (a temporary file beside it,
    renamed); an existing file is kept unless --force; a path inside the store
    directory (or any Oxigraph store) is refused.

    \b
    Examples:
      budgetkg export -o budget.ttl
      budgetkg export --format trig --document yangqu-park-service-center-2026.txt
    """
    path = store or default_store_path()
    try:
        if output:  # refused before the export is computed: a wrong -o costs nothing
            api.check_output(output, force=force, store_path=path)
        data = api.export(fmt, document_id, path, endpoint=endpoint)
        if output:
            api.write_file(data, output, force=force, store_path=path)
            click.echo(f"wrote {len(data)} bytes to {one_line(output)}", err=True)
        else:
            sys.stdout.buffer.write(data)
    except (StoreError, api.OutputError, api.NotADocument) as err:
        fail_for(err, store_status(store, endpoint))


@main.command()
@STORE_OPTION
@remote_options
@click.option("--delete", "delete_id", default=None, metavar="ID", help="Remove this document's graph.")
@FORMAT_OPTION
def documents(store: str | None, delete_id: str | None, fmt: str | None, endpoint: Endpoint | None) -> None:
    """List the documents in the store, or delete one.

    \b
    Examples:
      budgetkg documents
      budgetkg documents --delete jinzhong-economic-operation-2024.txt
    """
    path = store or default_store_path()
    try:
        if delete_id:
            if not api.delete_document(delete_id, path, endpoint=endpoint):
                fail(f"no document {delete_id!r} in {where(store, endpoint)}", 1)
            click.echo(f"deleted {delete_id}", err=True)
            return
        docs = api.documents(path, endpoint=endpoint)
    except api.NotADocument as err:  # the ontology or a derived graph, or an id that is not UTF-8
        fail_for(err)
    except StoreError as err:
        fail_for(err, store_status(store, endpoint))
    rows = [(d.document_id, d.organization, d.year, d.triples, d.graph) for d in docs]
    click.echo(format_result(rows_to_result(["document", "organization", "year", "triples", "graph"], rows),
                             fmt or default_format()), nl=False)


@main.command()
@STORE_OPTION
@remote_options
def repair(store: str | None, endpoint: Endpoint | None) -> None:
    """Finish what a killed ingest or delete left unfinished, and recompute the derived graphs.

    Any command that opens a store directory does this itself when it finds an
    interrupted change; run it when a command says the store needs it, or after a
    crash while ingesting into a remote store (--endpoint), which keeps no record of one.

    \b
    Example:
      budgetkg repair --store ./kg
    """
    try:
        report = api.repair(store or default_store_path(), endpoint=endpoint)
    except StoreError as err:
        fail_for(err, store_status(store, endpoint))
    found = "an interrupted change finished" if report.pending else "no interrupted change"
    dropped = f"; removed the half-written graph {report.dropped}" if report.dropped else ""
    click.echo(f"repaired {where(store, endpoint)}: {found}{dropped}; "
               f"{len(report.derived)} derived graph(s) recomputed, {sum(report.derived.values())} triples", err=True)


@main.command()
@STORE_OPTION
@click.option("--bind", default="127.0.0.1:7878", show_default=True, metavar="HOST:PORT",
              help="Address to listen on; loopback unless you mean to share the graph on a network.")
@click.option("--writable", is_flag=True, default=False,
              help="Accept SPARQL updates (/update) and Graph Store Protocol writes (/store); read-only otherwise.")
@click.option("--allow-service", is_flag=True, default=False,
              help="Let queries use SERVICE (the server would then fetch any URL a client names).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(0.1), default=30.0, show_default=True, metavar="SECONDS",
              help="Stop a query that runs longer (its engine process is killed and replaced).")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries run at once, each in its own engine process (1 with --writable).")
@click.option("--sources", type=click.Path(file_okay=False, exists=True), default=None, metavar="DIR",
              help="Folder holding the ingested files: rows and entity pages then link to the file, page or line.")
def serve(store: str | None, bind: str, writable: bool, allow_service: bool, timeout_s: float, workers: int,
          sources: str | None) -> None:
    """Serve the store as a web app over a protected SPARQL endpoint.

    Pages for people: what the store holds, every named query as a form (with CSV/TSV/JSON
    downloads), a page per organization, project, cited document and subject code (also as
    Turtle / JSON-LD / N-Triples), and the YASGUI SPARQL editor at /editor. The SPARQL 1.1
    Protocol endpoint is /query (alias /sparql): SELECT/ASK/CONSTRUCT/DESCRIBE, union default
    graph, size and nesting limits, no SERVICE unless --allow-service, --timeout per query.
    While it runs, `budgetkg ingest --store` into the same directory is refused (exit 4):
    serve it --writable and ingest through --endpoint instead. Stop with Ctrl-C.

    \b
    Examples:
      budgetkg serve --store ./kg --sources examples/
      budgetkg serve --store ./kg --writable &
      budgetkg ingest --endpoint http://127.0.0.1:7878/query \\
        --update-endpoint http://127.0.0.1:7878/update \\
        --graph-store-endpoint http://127.0.0.1:7878/store new.pdf
    """
    path = store or default_store_path()

    def ready(served: Any) -> None:  # a budgetkg.web.server.Served
        mode = "read-write" if served.writable else "read-only"
        click.echo(f"serving {path} ({mode}) at {served.base_url}\n"
                   f"  web app     {served.base_url}\n  SPARQL      {served.query_url}"
                   + (f"\n  update      {served.update_url}\n  graph store {served.graph_store_url}"
                      if served.writable else "")
                   + "\nCtrl-C to stop.", err=True)

    try:
        if not api.parse_bind(bind)[2]:
            click.echo(f"budgetkg: warning: {bind} is not a loopback address: anyone who can reach it can "
                       f"{'change' if writable else 'read'} the graph", err=True)
        status = api.serve(path, bind, writable=writable, allow_service=allow_service, timeout_s=timeout_s,
                           workers=workers, sources=sources, on_ready=ready,
                           on_output=lambda line: click.echo(line, err=True))
    except StoreError as err:
        fail(str(err), getattr(err, "exit_code", 1))
    click.echo("server stopped", err=True)
    sys.exit(status)


@main.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False))
@click.option("--page", "page_no", type=click.IntRange(1), required=True, help="1-based page number.")
@click.option("--png", "png", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write pdfplumber's table-finder debug image here.")
def inspect(pdf: str, page_no: int, png: str | None) -> None:
    """Show what the PDF reader saw on one page: blocks and table cells.

    \b
    Example:
      budgetkg inspect examples/yangqu-park-service-center-2026.pdf --page 5 --png page5.png
    """
    try:
        click.echo(api.inspect_page(pdf, page_no, png), nl=False)
        if png:
            click.echo(f"wrote {png}", err=True)
    except (IngestError, ValueError, IndexError) as err:
        fail(str(err))


@main.command()
@click.argument("ref")
@STORE_OPTION
@remote_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def policy(ref: str, store: str | None, fmt: str, endpoint: Endpoint | None) -> None:
    """Print one cited document: its forms as written, issuer, relations and citing projects.

    REF is a 文号 in any written variant (brackets, 第, zero padding, full-width digits) or a
    title or part of one. Exit status 1 when nothing matches.

    \b
    Examples:
      budgetkg policy 晋综示发(2020)49号
      budgetkg policy 晋综改委复〔2025〕4号 --format json
      budgetkg policy 消费券发放活动
    """
    import json

    from budgetkg.policies import report_to_text

    require_text("REF", ref)
    try:
        reports = api.policy(ref, store or default_store_path(), endpoint=endpoint)
    except StoreError as err:
        fail_for(err, store_status(store, endpoint))
    if not reports:
        fail(f"no cited document matches {ref!r} in {where(store, endpoint)}", 1)
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(report_to_text(r) for r in reports), nl=False)


@main.command()
@STORE_OPTION
@remote_options
@click.option("--unknown-issuers", is_flag=True,
              help="List citations of 文号 whose 机关代字 is not in the issuer registry.")
@click.option("--title-conflicts", is_flag=True, help="List titles cited with two or more different 文号.")
@FORMAT_OPTION
def policies(store: str | None, unknown_issuers: bool, title_conflicts: bool, fmt: str | None,
             endpoint: Endpoint | None) -> None:
    """List the cited documents (the `policies` named query), or what needs a human look.

    \b
    Examples:
      budgetkg policies --format table
      budgetkg policies --unknown-issuers
      budgetkg policies --title-conflicts
    """
    from dataclasses import astuple, fields

    from budgetkg.policies import TitleConflict, UnknownIssuer

    if unknown_issuers and title_conflicts:
        fail("--unknown-issuers and --title-conflicts are two different lists: give one of them")
    path = store or default_store_path()
    try:
        if unknown_issuers:
            rows, cls = api.unknown_issuers(path, endpoint=endpoint), UnknownIssuer
        elif title_conflicts:
            rows, cls = api.title_conflicts(path, endpoint=endpoint), TitleConflict
        else:
            click.echo(format_result(api.query("policies", {}, path, endpoint=endpoint), fmt or default_format()),
                       nl=False)
            return
    except (QueryError, StoreError) as err:
        fail_for(err, store_status(store, endpoint))
    result = rows_to_result([f.name for f in fields(cls)], [astuple(r) for r in rows])
    click.echo(format_result(result, fmt or default_format()), nl=False)

@main.command()
@STORE_OPTION
@remote_options
@FORMAT_OPTION
@click.option("--allow-warnings", is_flag=True,
              help="Exit 0 when there are only warnings and info (as pyshacl --allow-warnings).")
@click.option("--shacl/--no-shacl", default=True, show_default=True,
              help="Also validate each document graph against ontology/shapes.ttl.")
@jobs_option("Run SHACL over stored documents in this many worker processes.")
@click.argument("files", nargs=-1, type=click.Path())
def validate(store: str | None, fmt: str | None, allow_warnings: bool, shacl: bool, jobs: int,
             files: tuple[str, ...], endpoint: Endpoint | None) -> None:
    """Print the data-quality findings and the SHACL report of each document.

    Without FILES: every document in the store, a directory or --endpoint (findings
    stored at ingest). With FILES (.pdf/.txt/.md or folders): those files, read and
    checked without a store.
    One row per finding or SHACL result; a summary per document on standard error.

    \b
    Exit status (as pyshacl): 0 clean (info findings at most), 1 violations or
    warnings (with --allow-warnings: violations only), 2 error (no store, a file
    that cannot be read).

    \b
    Examples:
      budgetkg validate --store ./kg
      budgetkg validate --endpoint http://127.0.0.1:7878/query --allow-warnings
      budgetkg validate --format csv examples/yangqu-park-service-center-2026.txt
      budgetkg validate --store ./kg --jobs 4
    """
    if files and store:
        fail("FILES are read and checked without a store: give FILES or --store, not both")
    if files and not api.expand_paths(files):
        fail("nothing to validate (no .pdf/.txt/.md files in the paths given)")
    # A bar over documents; their number is known once the store answers.
    with click.progressbar(length=1, label="validating", file=sys.stderr, show_pos=True,
                           hidden=not sys.stderr.isatty()) as bar:

        def on_document(_document: str, done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        report = api.validate(files or None, store or default_store_path(), endpoint=endpoint, shacl=shacl,
                              jobs=jobs, on_document=on_document)
    for path, reason in report.errors:
        click.echo(f"budgetkg: {path}: {reason}", err=True)
    if report.documents:
        click.echo(format_result(report.result(), fmt or default_format()), nl=False)
    for doc in report.documents:
        click.echo(doc.summary(), err=True)
    click.echo(f"validated {report.summary()}", err=True)
    sys.exit(report.exit_code(allow_warnings))


@main.command("refs")
@click.argument("file", default="-", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(api.refs.FORMATS), default="table", show_default=True)
@click.option("--deliverables", is_flag=True,
              help="Also list documents the text says are to be written (编制《…》), with produces=true.")
def refs(file: str, fmt: str, deliverables: bool) -> None:
    """Find the policy references in any text (FILE, .txt/.md or .pdf, or - for standard input).

    Prints one entry per reference: kind, surface, start/end (character offsets into
    the text as read), doc_number (canonical 文号), issuer_code, year, serial, title,
    meeting (body, session, year, number, date) and partial. The text is cut at tabs
    and blank lines; a .pdf is read as its blocks, one paragraph each.

    \b
    Example:
      echo '根据晋综示发【2020】49号文件和党工委2024年第3次会议精神' | budgetkg refs --format jsonl
      budgetkg refs --format json examples/yangqu-park-service-center-2026.txt
    """
    text = ""
    try:
        text = sys.stdin.buffer.read().decode("utf-8-sig") if file == "-" else api.refs.read_text(file)
    except OSError as err:
        fail(f"{file}: {err.strerror or err}")
    except UnicodeDecodeError:
        fail(f"{file}: not UTF-8 text")
    records = api.refs.find_in_text(text, deliverables=deliverables)
    click.echo(api.refs.format_records(records, fmt), nl=False)


if __name__ == "__main__":
    main()
