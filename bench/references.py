"""Reference-finding throughput: characters per second over the sample texts.

Called by `make bench` (`python -m bench.run`): ``reference_throughput()`` prints one line per
sample. Every table cell and paragraph line of the sample goes through
``find_references`` (the way ingest calls it: one text cell at a time); the figure is
the median of REPEAT warm runs, jieba already loaded so its one-off dictionary load
is not counted.
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REPEAT = 5


def sample_cells(path: Path) -> list[str]:
    """The text cells of a sample: tab-separated cells of table rows, whole lines otherwise."""
    return [cell for line in path.read_text(encoding="utf-8").split("\n") for cell in line.split("\t")
            if cell.strip()]


def reference_throughput() -> None:
    """Print, per sample text: characters, references found, and characters per second."""
    from budgetkg.ingest.references import find_references
    from budgetkg.ingest.references.segment import tokens

    tokens("预热")  # load jieba's dictionary outside the timing
    print(f"reference finding (find_references per cell), median of {REPEAT} warm runs")
    for path in sorted(EXAMPLES.glob("*.txt")):
        cells = sample_cells(path)
        chars = sum(len(c) for c in cells)
        times, found = [], 0
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            found = sum(len(find_references(c)) for c in cells)
            times.append(time.perf_counter() - t0)
        seconds = statistics.median(times)
        print(f"  {path.name:45s} {chars:8d} chars, {found:4d} refs, {seconds:.3f} s, "
              f"{chars / seconds:,.0f} chars/s")


if __name__ == "__main__":
    reference_throughput()
