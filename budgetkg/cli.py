"""The `budgetkg` command line: a thin layer over budgetkg.api."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from budgetkg import __version__, api
from graph_store.embedded import STORE_ENV, StoreError, default_store_path
from queries import QueryError, load_named_queries
from queries.results import FORMATS, format_result, rows_to_result

STORE_OPTION = click.option(
    "--store", "store", type=click.Path(file_okay=False), default=None,
    help=f"Store directory (default: ${STORE_ENV}, else ./budgetkg-data).",
)


def default_format() -> str:
    return "table" if sys.stdout.isatty() else "csv"


FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                             help="Output format (default: table on a terminal, csv otherwise).")


def fail(message: str, code: int = 2) -> None:
    click.echo(f"budgetkg: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="budgetkg")
def main() -> None:
    """Chinese public-budget disclosures -> an RDF knowledge graph, queried with SPARQL.

    \b
    Example:
      budgetkg ingest examples/
      budgetkg query projects-citing --param policy='晋综示发【2020】49号'
    """


@main.command()
@STORE_OPTION
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Parse files in this many worker processes (one writer stores them).")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def ingest(store: str | None, jobs: int, paths: tuple[str, ...]) -> None:
    """Ingest disclosures (.pdf/.txt/.md files or folders of them).

    Each file becomes one named graph; ingesting it again replaces that graph.
    A file that cannot be ingested is reported on one line; the others go on,
    and the exit status is 1 at the end.

    \b
    Example:
      budgetkg ingest --store ./kg examples/ downloads/2026-budget.pdf
    """
    files = api.expand_paths(paths)
    if not files:
        fail("nothing to ingest (no .pdf/.txt/.md files in the paths given)")
    errors: list[str] = []
    # One bar over files; while PDFs are read, its label shows their pages.
    show_bar = (len(files) > 1 or files[0].lower().endswith(api.PDF_SUFFIXES)) and sys.stderr.isatty()
    pages: dict[str, str] = {}
    with click.progressbar(length=len(files), label="ingesting", file=sys.stderr,
                           show_pos=True, hidden=not show_bar) as bar:

        def on_file(path: str, error: str | None) -> None:
            pages.pop(path, None)
            if error:
                errors.append(f"{path}: {error}")
                click.echo(f"\nbudgetkg: {path}: {error}" if show_bar else f"budgetkg: {path}: {error}", err=True)
            bar.label = page_label(pages)
            bar.update(1)

        def on_page(path: str, done: int, total: int) -> None:
            pages[path] = f"{Path(path).name} page {done}/{total}"
            bar.label = page_label(pages)
            bar.render_progress()

        try:
            report = api.ingest(files, store or default_store_path(), jobs=jobs, on_file=on_file,
                                on_page=on_page if show_bar else None)
        except StoreError as err:
            fail(str(err))
    triples = sum(n for _, _, n in report.ingested)
    click.echo(f"ingested {len(report.ingested)} of {len(files)} file(s), {triples} triples "
               f"into {store or default_store_path()}", err=True)
    if not report.ok:
        sys.exit(1)


def page_label(pages: dict[str, str]) -> str:
    return "ingesting " + ", ".join(pages.values()) if pages else "ingesting"


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        if "=" not in item:
            fail(f"--param {item!r}: expected KEY=VALUE")
        key, value = item.split("=", 1)
        params[key.strip()] = value
    return params


@main.command()
@click.argument("query")
@STORE_OPTION
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="Query parameter (repeatable).")
@FORMAT_OPTION
def query(query: str, store: str | None, params: tuple[str, ...], fmt: str | None) -> None:
    """Run a named query, a .rq file, or inline SPARQL over all documents.

    \b
    Examples:
      budgetkg query organizations
      budgetkg query projects --param year=2026 --format csv
      budgetkg query projects-citing --param policy='晋综示发(2020)49号'
      budgetkg query my-question.rq
      budgetkg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    try:
        result = api.query(query, parse_params(params), store or default_store_path())
    except (QueryError, StoreError) as err:
        fail(str(err))
    click.echo(format_result(result, fmt or default_format()), nl=False)


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
@click.option("--format", "fmt", type=click.Choice(list(api.EXPORT_FORMATS)), default="turtle", show_default=True)
@click.option("--document", "document_id", default=None, help="Export only this document (see `budgetkg documents`).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
def export(store: str | None, fmt: str, document_id: str | None, output: str | None) -> None:
    """Export the graph as Turtle (union of all documents), TriG or N-Quads.

    \b
    Examples:
      budgetkg export -o budget.ttl
      budgetkg export --format trig --document yangqu-park-service-center-2026.txt
    """
    try:
        data = api.export(fmt, document_id, store or default_store_path())
    except StoreError as err:
        fail(str(err))
    if output:
        with open(output, "wb") as fh:
            fh.write(data)
        click.echo(f"wrote {len(data)} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@STORE_OPTION
@click.option("--delete", "delete_id", default=None, metavar="ID", help="Remove this document's graph.")
@FORMAT_OPTION
def documents(store: str | None, delete_id: str | None, fmt: str | None) -> None:
    """List the documents in the store, or delete one.

    \b
    Examples:
      budgetkg documents
      budgetkg documents --delete jinzhong-economic-operation-2024.txt
    """
    path = store or default_store_path()
    try:
        if delete_id:
            if not api.delete_document(delete_id, path):
                fail(f"no document {delete_id!r} in {path}", 1)
            click.echo(f"deleted {delete_id}", err=True)
            return
        docs = api.documents(path)
    except StoreError as err:
        fail(str(err))
    rows = [(d.document_id, d.organization, d.year, d.triples, d.graph) for d in docs]
    click.echo(format_result(rows_to_result(["document", "organization", "year", "triples", "graph"], rows),
                             fmt or default_format()), nl=False)


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
    from ingest.errors import IngestError
    from ingest.pdf_reader import debug_png, inspect_page

    try:
        click.echo(inspect_page(pdf, page_no), nl=False)
        if png:
            debug_png(pdf, page_no, png)
            click.echo(f"wrote {png}", err=True)
    except (IngestError, ValueError, IndexError) as err:
        fail(str(err))


if __name__ == "__main__":
    main()
