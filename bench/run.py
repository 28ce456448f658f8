"""`make bench`: speed and memory figures, printed (no timed tests).

- process start-up cost: `budgetkg --help` and the imports ingest needs;
- warm ingest time per sample text (parse + map + store, in one process);
- peak memory of that process;
- PDF: pages per second, and our reader's time against pdfplumber's bare
  extract_tables + extract_words over the same pages;
- full ingest (read, parse, map, store, derive) per PDF page for each layout of the family:
  the numbered 预算公开表1-13 (examples/*.pdf) and the nine-table layout (examples/nine-table/);
- `--jobs 2` against `--jobs 1` on the three sample PDFs;
- reference-finding throughput (characters per second);
- per named query, latency on the embedded store, the Oxigraph server and Virtuoso over
  about a million triples, and the load rate into each (bench/engines.py).

`--no-pdf` and `--no-engines` skip the slow parts. Run from the repository root (bench and
tests are packages there): `python -m bench.run [--no-pdf] [--no-engines]`.
"""
from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.engines import engine_bench
from bench.references import reference_throughput

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BIN = Path(sys.executable).parent
REPEAT = 5


def seconds(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr.strip()}")
    return time.perf_counter() - t0


def startup() -> None:
    help_s = statistics.median(seconds([str(BIN / "budgetkg"), "--help"]) for _ in range(3))
    code = "import budgetkg.api, budgetkg.ingest.disclosure, budgetkg.ingest.mapping"
    imports_s = statistics.median(seconds([sys.executable, "-c", code]) for _ in range(3))
    bare_s = statistics.median(seconds([sys.executable, "-c", "pass"]) for _ in range(3))
    print(f"start-up: interpreter {bare_s:.3f} s; `budgetkg --help` {help_s:.3f} s; "
          f"ingest imports {imports_s:.3f} s")


def warm_text_ingest() -> None:
    from budgetkg import api
    from budgetkg.graph_store.embedded import EmbeddedStore
    from budgetkg.ontology import iris

    texts = sorted(EXAMPLES.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(tmp)
        store.ensure_ontology()
        api.parse_file(str(texts[0]))  # warm: imports, lazy dictionaries
        print("warm text ingest (read + parse + map + store), median of", REPEAT)
        print("  first = into an empty graph; again = re-ingesting the unchanged file (a no-op diff)")
        for path in texts:
            first, again, parse_times = [], [], []
            for _ in range(REPEAT):
                store.delete_document(path.name)
                for times in (first, again):
                    t0 = time.perf_counter()
                    parsed = api.parse_file(str(path))
                    t1 = time.perf_counter()
                    n = store.replace_graph(iris.graph(parsed.document_id), parsed.triples)
                    times.append(time.perf_counter() - t0)
                    parse_times.append(t1 - t0)
            print(f"  {path.name:45s} first {statistics.median(first):.3f} s, again {statistics.median(again):.3f} s "
                  f"(parse+map {statistics.median(parse_times):.3f} s, {n} triples)")
    print("warm `api.ingest` of one file into a store holding the other samples "
          "(parse + store + refresh of the derived cross-document graphs), median of", REPEAT)
    with tempfile.TemporaryDirectory() as tmp:
        api.ingest([str(p) for p in texts], tmp)
        for path in texts:
            times = []
            for _ in range(REPEAT):
                api.delete_document(path.name, tmp)
                t0 = time.perf_counter()
                report = api.ingest([str(path)], tmp)
                times.append(time.perf_counter() - t0)
                assert report.ok, report.failed
            print(f"  {path.name:45s} {statistics.median(times):.3f} s")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process): {peak_mib:.0f} MiB")


def pdf_figures() -> None:
    import logging

    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # the bare run's FontBBox noise

    from budgetkg.ingest.pdf_reader import read_pdf

    print("PDF reader vs bare pdfplumber (extract_tables + extract_words, same pages)")
    for path in sorted(EXAMPLES.glob("*.pdf")):
        t0 = time.perf_counter()
        doc = read_pdf(str(path))
        ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
            for page in pdf.pages:
                page.extract_tables()
                page.extract_words()
                page.close()
        bare = time.perf_counter() - t0
        print(f"  {path.name:45s} {pages:3d} pages  ours {ours:.2f} s ({pages / ours:.1f} pages/s)  "
              f"bare {bare:.2f} s  overhead {100 * (ours / bare - 1):+.0f}%  blocks {len(doc.blocks)}")


# The layouts of the family in examples/, each a folder of PDFs.
LAYOUTS = {"numbered 表1-13 (山西)": EXAMPLES, "nine-table (上海)": EXAMPLES / "nine-table"}


def layout_ingest_per_page() -> None:
    """Whole ingest time per page, by layout: each PDF ingested alone into a fresh store in
    one process (api.ingest, derived graphs included), start-up not counted."""
    import pdfplumber

    from budgetkg import api

    print("ingest time per PDF page, by layout (api.ingest into a fresh store, derived graphs included)")
    for layout, folder in LAYOUTS.items():
        pages = 0
        total = 0.0
        for path in sorted(folder.glob("*.pdf")):
            with pdfplumber.open(path) as pdf:
                pages += len(pdf.pages)
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                report = api.ingest([str(path)], tmp)
                total += time.perf_counter() - t0
            if not report.ok:
                raise SystemExit(f"bench: {path.name} failed: {report.failed}")
        print(f"  {layout:24s} {pages:4d} pages  {total:6.2f} s  {1000 * total / pages:6.1f} ms/page  "
              f"({pages / total:.1f} pages/s)")


def jobs_speedup() -> None:
    pdfs = [str(p) for p in sorted(EXAMPLES.glob("*.pdf"))]
    cli = str(BIN / "budgetkg")
    times = {}
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            times[jobs] = seconds([cli, "ingest", "--store", tmp, "--jobs", str(jobs), *pdfs])
    print(f"ingest of the 3 sample PDFs: --jobs 1 {times[1]:.2f} s, --jobs 2 {times[2]:.2f} s, "
          f"speed-up x{times[1] / times[2]:.2f}")


def main() -> None:
    startup()
    warm_text_ingest()
    reference_throughput()
    if "--no-pdf" not in sys.argv:
        pdf_figures()
        layout_ingest_per_page()
        jobs_speedup()
    if "--no-engines" not in sys.argv:
        # Named-query latency and load rate on the embedded store, the Oxigraph server and
        # Virtuoso over ~1M triples (replicas of the samples): the slow part of `make bench`.
        engine_bench()


if __name__ == "__main__":
    main()
